# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The gate's checks of OMS migration tasks and task groups.

Will the migration be done, with nothing failed, before the cutover?  One
function per check; :func:`migration_task_checks` and :func:`task_group_checks`
evaluate one found subject of each kind for ``_gate/evaluate`` (their inputs
are checked in ``_gate/policy_migration``).  Fail closed: a value the checks
cannot use makes its check fail as not evaluated; what the modules flagged
(``problems``), the ids they could not read (``errors``) and a listing cut
short are read once for every kind by ``_gate/results`` (the ``reads`` of each
kind in ``_gate/kinds.KINDS``), which fails the checks they feed the same way.
"""

from ansible_collections.hwcloud.migration.plugins.module_utils._reads.migration_summary import (
    GROUP_STATUS_NAMES,
    TASK_STATUS_NAMES,
    group_summary,
    task_summary,
)
from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import MAX_EPOCH_MS, MIN_EPOCH_MS, ms_to_iso
from ansible_collections.hwcloud.migration.plugins.module_utils._values import is_integer, is_number
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks.common import Checks, format_duration
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import KIND_MIGRATION_TASK, KIND_TASK_GROUP

# Task statuses: 5 succeeded passes; 1 waiting, 2 executing, 6 retrying are
# still running (they pass the status check; the deadline check judges them).
TASK_PASSING_STATUSES = frozenset([5])
TASK_RUNNING_STATUSES = frozenset([1, 2, 6])
# Group statuses: 6 completed passes; 0 waiting, 1 executing/creating and
# 2 monitoring are running; 3, 4, 5, 7, 8 and 9 fail.
GROUP_PASSING_STATUSES = frozenset([6])
GROUP_RUNNING_STATUSES = frozenset([0, 1, 2])

SUMMARY_KEYS = ('status_name', 'active', 'percent', 'eta', 'eta_ms', 'eta_unknown', 'failed_objects', 'failed_object_list', 'error_code', 'error_msg')


def _summary(body, summarise, now):
    """The module's summary of ``body`` when it has every key, else one derived here (same rules)."""
    summary = body.get('summary')
    if isinstance(summary, dict) and all(key in summary for key in SUMMARY_KEYS):
        return summary
    return summarise(body, now)


def _reason(summary):
    """`` (error TRF.0155: The source bucket does not exist.)`` from the API's error_reason, else ''."""
    parts = [str(part) for part in (summary.get('error_code'), summary.get('error_msg')) if part]
    return ' (error %s)' % ': '.join(parts) if parts else ''


def _status_text(status, names):
    if status is None:
        return 'unknown'
    name = names.get(status)
    return '%s (%s)' % (name, status) if name else 'unknown (%r)' % (status,)


def _int(value):
    return value if is_integer(value) else None


def _stamp(value):
    # An epoch ms a report cannot show (past the year 9999) is no ETA: the check sees it as unknown.
    value = _int(value)
    return value if value is not None and MIN_EPOCH_MS <= value <= MAX_EPOCH_MS else None


def _when(ms):
    return ms_to_iso(ms) if ms is not None else None


# -- the checks ---------------------------------------------------------------------


def _status_check(checks, check_id, subject, kind, noun, status, names, passing, running, reason):
    text = _status_text(status, names)
    allowed = sorted(passing | running)
    allowed_display = 'in [%s]' % ', '.join(_status_text(code, names) for code in allowed)
    if status in passing:
        checks.add(
            check_id, subject, kind, status, allowed, True, '%s %s is %s' % (noun, subject, text), observed_display=text, threshold_display=allowed_display
        )
    elif status in running:
        checks.add(
            check_id,
            subject,
            kind,
            status,
            allowed,
            True,
            '%s %s is still running (%s)' % (noun, subject, text),
            observed_display=text,
            threshold_display=allowed_display,
        )
    elif status is None or status not in names:
        # Not a status the API documents: nothing can be said of the task, so the gate cannot judge it.
        checks.add(
            check_id,
            subject,
            kind,
            status,
            allowed,
            False,
            '%s %s: its status is %s, not a status of the API%s' % (noun, subject, text, reason),
            observed_display=text,
            threshold_display=allowed_display,
            evaluated=False,
        )
    else:
        checks.add(
            check_id,
            subject,
            kind,
            status,
            allowed,
            False,
            '%s %s did not succeed: it is %s%s' % (noun, subject, text, reason),
            observed_display=text,
            threshold_display=allowed_display,
        )


def _deadline_check(checks, check_id, subject, kind, noun, status_known, summary, thresholds, reason):
    deadline_ms = thresholds.get('deadline_ms')
    eta_ms = _stamp(summary.get('eta_ms'))
    eta_display = _when(eta_ms) or ('unknown' if summary.get('eta_unknown') else 'n/a')
    if deadline_ms is None:
        checks.add(
            check_id,
            subject,
            kind,
            eta_ms,
            None,
            True,
            'no deadline set (migration_health_deadline)',
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
            False,
            '%s %s: its status could not be read, so whether it ends before the deadline %s is unknown%s' % (noun, subject, ms_to_iso(deadline_ms), reason),
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
            True,
            '%s %s is not running; the status check judges it' % (noun, subject),
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
            False,
            '%s %s is still running with no estimate of its end (ETA unknown), so it may miss the '
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
            False,
            '%s %s will miss the deadline: ETA %s is %s after %s%s'
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
            True,
            '%s %s should be done by %s, %s before the deadline %s'
            % (noun, subject, ms_to_iso(eta_ms), format_duration(deadline_ms - eta_ms), ms_to_iso(deadline_ms)),
            observed_display=eta_display,
            threshold_display=threshold_display,
        )


def _failed_objects_check(checks, check_id, subject, kind, noun, summary, thresholds, reason):
    limit = thresholds.get('max_migration_failed_objects')
    failed = _int(summary.get('failed_objects'))
    if limit is None:
        checks.add(
            check_id, subject, kind, failed, None, True, 'check disabled (max_migration_failed_objects is null)', threshold_display='disabled', skipped=True
        )
        return
    threshold_display = '<= %d' % limit
    if failed is None:
        checks.add(
            check_id,
            subject,
            kind,
            None,
            limit,
            False,
            '%s %s: the number of failed objects was not returned%s' % (noun, subject, reason),
            observed_display='unknown',
            threshold_display=threshold_display,
            evaluated=False,
        )
    elif failed <= limit:
        checks.add(
            check_id, subject, kind, failed, limit, True, '%d object(s) failed, within the limit of %d' % (failed, limit), threshold_display=threshold_display
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
            False,
            '%d object(s) failed, above the limit of %d; %s%s' % (failed, limit, listing, reason),
            threshold_display=threshold_display,
        )


def _failed_tasks_check(checks, subject, group, reason):
    failed = _int(group.get('failed_task_num'))
    total = _int(group.get('total_task_num'))
    of_total = ' of %d' % total if total is not None else ''
    if failed is None:
        checks.add(
            'task-group-failed-tasks',
            subject,
            KIND_TASK_GROUP,
            None,
            0,
            False,
            'task group %s: the number of failed tasks was not returned%s' % (subject, reason),
            observed_display='unknown',
            threshold_display='0',
            evaluated=False,
        )
    else:
        checks.add(
            'task-group-failed-tasks',
            subject,
            KIND_TASK_GROUP,
            failed,
            0,
            failed == 0,
            '%d%s task(s) failed%s' % (failed, of_total, reason if failed else ''),
            threshold_display='0',
        )


def migration_task_checks(checks: Checks, subject: str, bodies: tuple, thresholds: dict, *, now: int, window: str) -> dict:
    """Evaluate one found migration task (``bodies``: its ``migration_task_info`` entry); returns its observed values."""
    kind = KIND_MIGRATION_TASK
    task = bodies[0]
    summary = _summary(task, task_summary, now)
    status = _int(task.get('status'))
    reason = _reason(summary)
    _status_check(
        checks, 'migration-task-status', subject, kind, 'migration task', status, TASK_STATUS_NAMES, TASK_PASSING_STATUSES, TASK_RUNNING_STATUSES, reason
    )
    _deadline_check(checks, 'migration-task-deadline', subject, kind, 'migration task', status in TASK_STATUS_NAMES, summary, thresholds, reason)
    _failed_objects_check(checks, 'migration-task-failed-objects', subject, kind, 'migration task', summary, thresholds, reason)
    src = task.get('src_node') if isinstance(task.get('src_node'), dict) else {}
    dst = task.get('dst_node') if isinstance(task.get('dst_node'), dict) else {}
    observed = _observed(summary, thresholds, status)
    observed.update(
        {
            'name': task.get('name') if isinstance(task.get('name'), str) else None,
            'group_id': task.get('group_id') if isinstance(task.get('group_id'), str) else None,
            'src_bucket': src.get('bucket') if isinstance(src.get('bucket'), str) else None,
            'dst_bucket': dst.get('bucket') if isinstance(dst.get('bucket'), str) else None,
            'left_time_ms': _int(task.get('left_time')),
            'total_num': _int(task.get('total_num')),
            'successful_num': _int(task.get('successful_num')),
        }
    )
    return observed


def task_group_checks(checks: Checks, subject: str, bodies: tuple, thresholds: dict, *, now: int, window: str) -> dict:
    """Evaluate one found task group (``bodies``: its ``task_group_info`` entry); returns its observed values."""
    kind = KIND_TASK_GROUP
    group = bodies[0]
    summary = _summary(group, group_summary, now)
    status = _int(group.get('status'))
    reason = _reason(summary)
    _status_check(checks, 'task-group-status', subject, kind, 'task group', status, GROUP_STATUS_NAMES, GROUP_PASSING_STATUSES, GROUP_RUNNING_STATUSES, reason)
    _failed_tasks_check(checks, subject, group, reason)
    _deadline_check(checks, 'task-group-deadline', subject, kind, 'task group', status in GROUP_STATUS_NAMES, summary, thresholds, reason)
    _failed_objects_check(checks, 'task-group-failed-objects', subject, kind, 'task group', summary, thresholds, reason)
    observed = _observed(summary, thresholds, status)
    observed.update(
        {
            'description': group.get('description') if isinstance(group.get('description'), str) else None,
            'total_task_num': _int(group.get('total_task_num')),
            'complete_task_num': _int(group.get('complete_task_num')),
            'failed_tasks': _int(group.get('failed_task_num')),
        }
    )
    return observed


def _observed(summary, thresholds, status):
    eta_ms = _stamp(summary.get('eta_ms'))
    deadline_ms = thresholds.get('deadline_ms')
    return {
        'status': status,
        'status_name': summary.get('status_name'),
        'active': summary.get('active') if isinstance(summary.get('active'), bool) else None,
        'percent': summary.get('percent') if is_number(summary.get('percent')) else None,
        'eta_ms': eta_ms,
        'eta': _when(eta_ms),
        'eta_unknown': bool(summary.get('eta_unknown')),
        'deadline_margin_ms': deadline_ms - eta_ms if deadline_ms is not None and eta_ms is not None else None,
        'failed_objects': _int(summary.get('failed_objects')),
        'failed_object_list': summary.get('failed_object_list'),
        'error_code': summary.get('error_code'),
        'error_msg': summary.get('error_msg'),
    }


def _empty_observed(extra):
    observed = {
        key: None
        for key in (
            'status',
            'status_name',
            'active',
            'percent',
            'eta_ms',
            'eta',
            'deadline_margin_ms',
            'failed_objects',
            'failed_object_list',
            'error_code',
            'error_msg',
        )
    }
    observed['eta_unknown'] = False
    observed.update(dict.fromkeys(extra))
    return observed


def migration_task_unread() -> dict:
    """The observed values of a migration task that was not read: all None."""
    return _empty_observed(('name', 'group_id', 'src_bucket', 'dst_bucket', 'left_time_ms', 'total_num', 'successful_num'))


def task_group_unread() -> dict:
    """The observed values of a task group that was not read: all None."""
    return _empty_observed(('description', 'total_task_num', 'complete_task_num', 'failed_tasks'))
