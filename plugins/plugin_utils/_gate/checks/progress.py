# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The checks every migration that runs towards a cutover shares: status, deadline against the ETA, failed objects.

Migration tasks and task groups (``checks.migration``) both call them with
their own check ids, status names and the summary of their answer.  Pure.
"""

from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import MAX_EPOCH_MS, MIN_EPOCH_MS, ms_to_iso
from ansible_collections.hwcloud.migration.plugins.module_utils._values import is_integer
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks.common import SubjectChecks, format_duration


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


def status_check(subject: SubjectChecks, check_id: str, noun: str, status, names: dict, passing, running, reason: str) -> None:
    """The status against the passing and running ones; a status the API does not document is not evaluated."""
    text = _status_text(status, names)
    allowed = sorted(passing | running)
    displays = {'observed_display': text, 'threshold_display': 'in [%s]' % ', '.join(_status_text(code, names) for code in allowed)}
    if status in passing:
        subject.add(check_id, status, allowed, passed=True, message='%s %s is %s' % (noun, subject.id, text), **displays)
    elif status in running:
        subject.add(check_id, status, allowed, passed=True, message='%s %s is still running (%s)' % (noun, subject.id, text), **displays)
    elif status is None or status not in names:
        # Not a status the API documents: nothing can be said of the task, so the gate cannot judge it.
        subject.unusable(check_id, status, allowed, '%s %s: its status is %s, not a status of the API%s' % (noun, subject.id, text, reason), **displays)
    else:
        subject.add(check_id, status, allowed, passed=False, message='%s %s did not succeed: it is %s%s' % (noun, subject.id, text, reason), **displays)


def deadline_check(subject: SubjectChecks, check_id: str, noun: str, status_known: bool, summary: dict, thresholds: dict, reason: str) -> None:
    """The ETA of a running subject against the cutover deadline."""
    deadline_ms = thresholds.get('deadline_ms')
    eta_ms = as_stamp(summary.get('eta_ms'))
    eta_display = iso_or_none(eta_ms) or ('unknown' if summary.get('eta_unknown') else 'n/a')
    if deadline_ms is None:
        subject.skip(check_id, eta_ms, None, 'no deadline set (migration_health_deadline)', observed_display=eta_display, threshold_display='no deadline')
        return
    deadline = ms_to_iso(deadline_ms)
    displays = {'observed_display': eta_display, 'threshold_display': 'done by %s' % deadline}
    named = '%s %s' % (noun, subject.id)
    if not status_known:
        message = '%s: its status could not be read, so whether it ends before the deadline %s is unknown%s' % (named, deadline, reason)
        subject.unusable(check_id, eta_ms, deadline_ms, message, **displays)
    elif not summary.get('active'):
        subject.skip(check_id, eta_ms, deadline_ms, '%s is not running; the status check judges it' % named, **dict(displays, observed_display='not running'))
    elif eta_ms is None:
        message = '%s is still running with no estimate of its end (ETA unknown), so it may miss the deadline %s%s' % (named, deadline, reason)
        subject.add(check_id, None, deadline_ms, passed=False, message=message, **dict(displays, observed_display='unknown'))
    elif eta_ms > deadline_ms:
        message = '%s will miss the deadline: ETA %s is %s after %s%s' % (named, ms_to_iso(eta_ms), format_duration(eta_ms - deadline_ms), deadline, reason)
        subject.add(check_id, eta_ms, deadline_ms, passed=False, message=message, **displays)
    else:
        message = '%s should be done by %s, %s before the deadline %s' % (named, ms_to_iso(eta_ms), format_duration(deadline_ms - eta_ms), deadline)
        subject.add(check_id, eta_ms, deadline_ms, passed=True, message=message, **displays)


def failed_objects_check(subject: SubjectChecks, check_id: str, noun: str, summary: dict, thresholds: dict, reason: str) -> None:
    """The failed objects against ``max_migration_failed_objects``."""
    limit = thresholds.get('max_migration_failed_objects')
    failed = as_integer(summary.get('failed_objects'))
    if limit is None:
        subject.disabled(check_id, 'max_migration_failed_objects', observed=failed)
        return
    threshold_display = '<= %d' % limit
    if failed is None:
        message = '%s %s: the number of failed objects was not returned%s' % (noun, subject.id, reason)
        subject.unusable(check_id, None, limit, message, observed_display='unknown', threshold_display=threshold_display)
    elif failed <= limit:
        message = '%d object(s) failed, within the limit of %d' % (failed, limit)
        subject.add(check_id, failed, limit, passed=True, message=message, threshold_display=threshold_display)
    else:
        where = summary.get('failed_object_list')
        listing = 'the failed objects are listed at %s in the destination bucket' % where if where else 'no list of failed objects was recorded'
        message = '%d object(s) failed, above the limit of %d; %s%s' % (failed, limit, listing, reason)
        subject.add(check_id, failed, limit, passed=False, message=message, threshold_display=threshold_display)
