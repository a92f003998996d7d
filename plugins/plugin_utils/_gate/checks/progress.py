# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The checks every migration that runs towards a cutover shares: status, deadline against the ETA, failed objects.

Migration tasks and task groups (``checks.migration``) both call them with
their own check ids, status names and the summary of their answer.  Pure.
"""

from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import MAX_EPOCH_MS, MIN_EPOCH_MS, ms_to_iso
from ansible_collections.hwcloud.migration.plugins.module_utils._values import is_integer
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks.common import Checks, disabled_check, format_duration


def _status_text(status, names):
    if status is None:
        return 'unknown'
    name = names.get(status)
    return '%s (%s)' % (name, status) if name else 'unknown (%r)' % (status,)


def as_integer(value: object) -> int | None:
    """``value`` when it is an integer (not a bool), else None."""
    return value if is_integer(value) else None


def as_stamp(value: object) -> int | None:
    """``value`` when it is an epoch ms a report can show, else None."""
    # An epoch ms a report cannot show (past the year 9999) is no ETA: the check sees it as unknown.
    value = as_integer(value)
    return value if value is not None and MIN_EPOCH_MS <= value <= MAX_EPOCH_MS else None


def iso_or_none(ms: int | None) -> str | None:
    """``ms`` as ISO 8601, None for None."""
    return ms_to_iso(ms) if ms is not None else None


def status_check(checks: Checks, check_id: str, subject: str, kind: str, noun: str, status, names: dict, passing, running, reason: str) -> None:
    """The status against the passing and running ones; a status the API does not document is not evaluated."""
    text = _status_text(status, names)
    allowed = sorted(passing | running)
    allowed_display = 'in [%s]' % ', '.join(_status_text(code, names) for code in allowed)
    evaluated = True
    if status in passing:
        passed, message = True, '%s %s is %s' % (noun, subject, text)
    elif status in running:
        passed, message = True, '%s %s is still running (%s)' % (noun, subject, text)
    elif status is None or status not in names:
        # Not a status the API documents: nothing can be said of the task, so the gate cannot judge it.
        passed, evaluated = False, False
        message = '%s %s: its status is %s, not a status of the API%s' % (noun, subject, text, reason)
    else:
        passed, message = False, '%s %s did not succeed: it is %s%s' % (noun, subject, text, reason)
    checks.add(
        check_id, subject, kind, status, allowed, passed=passed, message=message, observed_display=text, threshold_display=allowed_display, evaluated=evaluated
    )


def deadline_check(checks: Checks, check_id: str, subject: str, kind: str, noun: str, status_known: bool, summary: dict, thresholds: dict, reason: str) -> None:
    """The ETA of a running subject against the cutover deadline."""
    deadline_ms = thresholds.get('deadline_ms')
    eta_ms = as_stamp(summary.get('eta_ms'))
    eta_display = iso_or_none(eta_ms) or ('unknown' if summary.get('eta_unknown') else 'n/a')
    if deadline_ms is None:
        checks.add(
            check_id,
            subject,
            kind,
            eta_ms,
            None,
            passed=True,
            message='no deadline set (migration_health_deadline)',
            observed_display=eta_display,
            threshold_display='no deadline',
            skipped=True,
        )
        return
    threshold_display = 'done by %s' % ms_to_iso(deadline_ms)
    if not status_known:
        checks.add(
            check_id,
            subject,
            kind,
            eta_ms,
            deadline_ms,
            passed=False,
            message='%s %s: its status could not be read, so whether it ends before the deadline %s is unknown%s'
            % (noun, subject, ms_to_iso(deadline_ms), reason),
            observed_display=eta_display,
            threshold_display=threshold_display,
            evaluated=False,
        )
    elif not summary.get('active'):
        checks.add(
            check_id,
            subject,
            kind,
            eta_ms,
            deadline_ms,
            passed=True,
            message='%s %s is not running; the status check judges it' % (noun, subject),
            observed_display='not running',
            threshold_display=threshold_display,
            skipped=True,
        )
    elif eta_ms is None:
        checks.add(
            check_id,
            subject,
            kind,
            None,
            deadline_ms,
            passed=False,
            message='%s %s is still running with no estimate of its end (ETA unknown), so it may miss the '
            'deadline %s%s' % (noun, subject, ms_to_iso(deadline_ms), reason),
            observed_display='unknown',
            threshold_display=threshold_display,
        )
    elif eta_ms > deadline_ms:
        checks.add(
            check_id,
            subject,
            kind,
            eta_ms,
            deadline_ms,
            passed=False,
            message='%s %s will miss the deadline: ETA %s is %s after %s%s'
            % (noun, subject, ms_to_iso(eta_ms), format_duration(eta_ms - deadline_ms), ms_to_iso(deadline_ms), reason),
            observed_display=eta_display,
            threshold_display=threshold_display,
        )
    else:
        checks.add(
            check_id,
            subject,
            kind,
            eta_ms,
            deadline_ms,
            passed=True,
            message='%s %s should be done by %s, %s before the deadline %s'
            % (noun, subject, ms_to_iso(eta_ms), format_duration(deadline_ms - eta_ms), ms_to_iso(deadline_ms)),
            observed_display=eta_display,
            threshold_display=threshold_display,
        )


def failed_objects_check(checks: Checks, check_id: str, subject: str, kind: str, noun: str, summary: dict, thresholds: dict, reason: str) -> None:
    """The failed objects against ``max_migration_failed_objects``."""
    limit = thresholds.get('max_migration_failed_objects')
    failed = as_integer(summary.get('failed_objects'))
    if limit is None:
        disabled_check(checks, check_id, subject, kind, 'max_migration_failed_objects', observed=failed)
        return
    threshold_display = '<= %d' % limit
    if failed is None:
        checks.add(
            check_id,
            subject,
            kind,
            None,
            limit,
            passed=False,
            message='%s %s: the number of failed objects was not returned%s' % (noun, subject, reason),
            observed_display='unknown',
            threshold_display=threshold_display,
            evaluated=False,
        )
    elif failed <= limit:
        checks.add(
            check_id,
            subject,
            kind,
            failed,
            limit,
            passed=True,
            message='%d object(s) failed, within the limit of %d' % (failed, limit),
            threshold_display=threshold_display,
        )
    else:
        where = summary.get('failed_object_list')
        listing = 'the failed objects are listed at %s in the destination bucket' % where if where else 'no list of failed objects was recorded'
        checks.add(
            check_id,
            subject,
            kind,
            failed,
            limit,
            passed=False,
            message='%d object(s) failed, above the limit of %d; %s%s' % (failed, limit, listing, reason),
            threshold_display=threshold_display,
        )
