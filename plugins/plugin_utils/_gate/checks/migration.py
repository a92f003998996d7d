# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The gate's checks of OMS migration tasks and task groups.

Will the migration be done, with nothing failed, before the cutover?  One
function per check; :func:`migration_task_checks` and :func:`task_group_checks`
evaluate one found subject of each kind for ``_gate/evaluate`` with the checks
both kinds share (``checks.progress``); their inputs are checked in
``_gate/policy``.  Fail closed: a value the checks
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
from ansible_collections.hwcloud.migration.plugins.module_utils._values import is_number
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks.common import SubjectChecks, as_string
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks.counts import GROUP_COUNTS, TASK_COUNTS, counts_check
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks.progress import (
    as_integer,
    as_stamp,
    deadline_check,
    failed_objects_check,
    iso_or_none,
    status_check,
)
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks.settings import settings_checks

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


def _failed_tasks_check(subject, group, reason):
    failed = as_integer(group.get('failed_task_num'))
    total = as_integer(group.get('total_task_num'))
    if failed is None:
        message = 'task group %s: the number of failed tasks was not returned%s' % (subject.id, reason)
        subject.unusable('task-group-failed-tasks', None, 0, message, observed_display='unknown', threshold_display='0')
        return
    message = '%d%s task(s) failed%s' % (failed, ' of %d' % total if total is not None else '', reason if failed else '')
    subject.add('task-group-failed-tasks', failed, 0, passed=failed == 0, message=message, threshold_display='0')


def migration_task_checks(subject: SubjectChecks, bodies: tuple, thresholds: dict, *, now: int, window: str) -> dict:
    """Evaluate one found migration task (``bodies``: its ``migration_task_info`` entry); returns its observed values."""
    task = bodies[0]
    summary = _summary(task, task_summary, now)
    status = as_integer(task.get('status'))
    reason = _reason(summary)
    status_check(subject, 'migration-task-status', 'migration task', status, TASK_STATUS_NAMES, TASK_PASSING_STATUSES, TASK_RUNNING_STATUSES, reason)
    deadline_check(subject, 'migration-task-deadline', 'migration task', status in TASK_STATUS_NAMES, summary, thresholds, reason)
    failed_objects_check(subject, 'migration-task-failed-objects', 'migration task', summary, thresholds, reason)
    counts_check(subject, task, TASK_COUNTS, status, TASK_STATUS_NAMES, 'migration task')
    settings_checks(subject, task, thresholds, 'migration task')
    src = task.get('src_node') if isinstance(task.get('src_node'), dict) else {}
    dst = task.get('dst_node') if isinstance(task.get('dst_node'), dict) else {}
    observed = _observed(summary, thresholds, status)
    observed.update(
        {
            'name': as_string(task.get('name')),
            'group_id': as_string(task.get('group_id')),
            'src_bucket': as_string(src.get('bucket')),
            'dst_bucket': as_string(dst.get('bucket')),
            'left_time_ms': as_integer(task.get('left_time')),
            'total_num': as_integer(task.get('total_num')),
            'successful_num': as_integer(task.get('successful_num')),
        }
    )
    return observed


def task_group_checks(subject: SubjectChecks, bodies: tuple, thresholds: dict, *, now: int, window: str) -> dict:
    """Evaluate one found task group (``bodies``: its ``task_group_info`` entry); returns its observed values."""
    group = bodies[0]
    summary = _summary(group, group_summary, now)
    status = as_integer(group.get('status'))
    reason = _reason(summary)
    status_check(subject, 'task-group-status', 'task group', status, GROUP_STATUS_NAMES, GROUP_PASSING_STATUSES, GROUP_RUNNING_STATUSES, reason)
    _failed_tasks_check(subject, group, reason)
    deadline_check(subject, 'task-group-deadline', 'task group', status in GROUP_STATUS_NAMES, summary, thresholds, reason)
    failed_objects_check(subject, 'task-group-failed-objects', 'task group', summary, thresholds, reason)
    counts_check(subject, group, GROUP_COUNTS, status, GROUP_STATUS_NAMES, 'task group')
    settings_checks(subject, group, thresholds, 'task group')
    observed = _observed(summary, thresholds, status)
    observed.update(
        {
            'description': as_string(group.get('description')),
            'total_task_num': as_integer(group.get('total_task_num')),
            'complete_task_num': as_integer(group.get('complete_task_num')),
            'failed_tasks': as_integer(group.get('failed_task_num')),
        }
    )
    return observed


def _observed(summary, thresholds, status):
    eta_ms = as_stamp(summary.get('eta_ms'))
    deadline_ms = thresholds.get('deadline_ms')
    return {
        'status': status,
        'status_name': summary.get('status_name'),
        'active': summary.get('active') if isinstance(summary.get('active'), bool) else None,
        'percent': summary.get('percent') if is_number(summary.get('percent')) else None,
        'eta_ms': eta_ms,
        'eta': iso_or_none(eta_ms),
        'eta_unknown': bool(summary.get('eta_unknown')),
        'deadline_margin_ms': deadline_ms - eta_ms if deadline_ms is not None and eta_ms is not None else None,
        'failed_objects': as_integer(summary.get('failed_objects')),
        'failed_object_list': summary.get('failed_object_list'),
        'error_code': summary.get('error_code'),
        'error_msg': summary.get('error_msg'),
    }


def migration_task_unread() -> dict:
    """The observed values of a migration task that was not read: all None."""
    return dict(_observed({}, {}, None), **dict.fromkeys(('name', 'group_id', 'src_bucket', 'dst_bucket', 'left_time_ms', 'total_num', 'successful_num')))


def task_group_unread() -> dict:
    """The observed values of a task group that was not read: all None."""
    return dict(_observed({}, {}, None), **dict.fromkeys(('description', 'total_task_num', 'complete_task_num', 'failed_tasks')))
