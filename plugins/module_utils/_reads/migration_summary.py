# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""OMS migration tasks and task groups: ids, statuses and the derived summaries.

Pure functions on plain data (no Ansible objects, no I/O), so the info modules
stay thin and every rule here is unit-tested directly.

A summary is derived from one API body and a clock reading; it never changes
the body.  Its keys are the same for tasks and groups where the meaning is the
same (:func:`_summary`), so a gate reads both alike; the RETURN blocks of
``oms_migration_task_info`` and ``oms_task_group_info`` document each key.
"""

import re

from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import MAX_EPOCH_MS, MIN_EPOCH_MS, ms_to_iso
from ansible_collections.hwcloud.migration.plugins.module_utils._values import is_count, is_integer, is_number

LONG_MAX = 9223372036854775807

TASK_STATUS_NAMES = {1: 'waiting', 2: 'executing', 3: 'stopped', 4: 'failed', 5: 'succeeded', 6: 'retrying', 7: 'pausing'}
# The statuses ListTasks documents as filter values (6, retrying, is not one).
TASK_LISTING_STATUSES = (1, 2, 3, 4, 5, 7)
TASK_ACTIVE_STATUSES = frozenset([1, 2, 6])

GROUP_STATUS_NAMES = {
    0: 'waiting',
    1: 'executing',
    2: 'monitoring',
    3: 'paused',
    4: 'creation_failed',
    5: 'migration_failed',
    6: 'completed',
    7: 'pausing',
    8: 'waiting_for_deletion',
    9: 'deleted',
}
GROUP_ACTIVE_STATUSES = frozenset([0, 1, 2])

# The fields a gate reads to judge a task or a group, with the check each must
# pass (see ``answers.check_fields``): an answer without them cannot be judged.
# ``left_time``, ``error_reason`` and ``failed_object_record`` are null on
# purpose (no estimate yet, no failure), so only absent or of the wrong type
# counts against them.
TASK_CHECKED_FIELDS = {
    'status': tuple(sorted(TASK_STATUS_NAMES)),
    'progress': 'fraction',
    'left_time': 'duration_ms_or_null',
    'failed_num': 'count',
    'total_num': 'count',
    'error_reason': 'object_or_null',
    'failed_object_record': 'object_or_null',
}
GROUP_CHECKED_FIELDS = {
    'status': tuple(sorted(GROUP_STATUS_NAMES)),
    'total_size': 'count',
    'complete_size': 'count',
    'migrate_speed': 'count',
    'failed_task_num': 'count',
    'fail_num': 'count',
}

_DIGITS_RE = re.compile(r'^[0-9]{1,19}$')


class MigrationValueError(ValueError):
    """A task id or status the API would not understand; the message says what to write instead."""


def parse_task_id(value, name='task_id'):
    """Return a migration task id (an int64 in the API) from an int or a string of digits.

    Raises :class:`MigrationValueError` for anything else (negative numbers,
    floats, booleans, words, empty strings, values above 2^63-1).
    """
    number = None
    if is_integer(value):
        number = value
    elif isinstance(value, str) and _DIGITS_RE.match(value.strip()):
        number = int(value.strip())
    if number is None or not 0 <= number <= LONG_MAX:
        raise MigrationValueError('%s must be a migration task id: a whole number such as 1001 (or "1001"), at most %d; got %r' % (name, LONG_MAX, value))
    return number


def _parse_status(value, names, name, kind):
    if is_integer(value) and value in names:
        return value
    if isinstance(value, str):
        text = value.strip().lower()
        if text.isdigit() and int(text) in names:
            return int(text)
        for code, label in names.items():
            if text == label:
                return code
    choices = ', '.join('%d (%s)' % (code, label) for code, label in sorted(names.items()))
    raise MigrationValueError('%s must be a %s status: one of %s; got %r' % (name, kind, choices, value))


def task_status_value(value, name='status'):
    """The API integer of a migration task status given as that integer or its name (``failed``, ``5``...)."""
    return _parse_status(value, TASK_STATUS_NAMES, name, 'migration task')


def group_status_value(value, name='status'):
    """The API integer of a task group status given as that integer or its name (``completed``, ``6``...)."""
    return _parse_status(value, GROUP_STATUS_NAMES, name, 'task group')


def _field(body, name):
    return body.get(name) if isinstance(body, dict) else None


def _error_reason(body):
    reason = _field(body, 'error_reason')
    if not isinstance(reason, dict):
        return None, None
    code = reason.get('error_code')
    message = reason.get('error_msg')
    return (code if isinstance(code, str) and code else None, message if isinstance(message, str) and message else None)


def _failed_object_list(body):
    record = _field(body, 'failed_object_record')
    if not isinstance(record, dict):
        return None
    key = record.get('list_file_key')
    return key if isinstance(key, str) and key else None


def _count(body, name):
    value = _field(body, name)
    return value if is_count(value) else None


def _eta(active, eta_ms):
    if not active:
        return {'eta': None, 'eta_ms': None, 'eta_unknown': False}
    if eta_ms is None or not MIN_EPOCH_MS <= eta_ms <= MAX_EPOCH_MS:
        # An ETA past the year 9999 (a huge left_time) is no time: unknown, and the read reports the field.
        return {'eta': None, 'eta_ms': None, 'eta_unknown': True}
    return {'eta': ms_to_iso(eta_ms), 'eta_ms': eta_ms, 'eta_unknown': False}


def _summary(body, names, active_statuses, percent, eta_ms, failed_field, **extra):
    """The keys a task's and a group's summary share, around what each computed (``percent``, ``eta_ms``, ``extra``)."""
    status = _field(body, 'status')
    status = status if is_integer(status) else None
    active = status in active_statuses
    error_code, error_msg = _error_reason(body)
    summary = dict(status_name=names.get(status), active=active, percent=percent, **extra)
    summary.update(failed_objects=_count(body, failed_field), failed_object_list=_failed_object_list(body), error_code=error_code, error_msg=error_msg)
    summary.update(_eta(active, eta_ms))
    return summary


def task_summary(task, now_ms):
    """The derived summary of one migration task body at ``now_ms``.

    The ETA is ``now_ms + left_time``.  ``left_time`` must be an integer of
    milliseconds; it is unknown when absent, null, negative, or 0 while
    ``progress`` is below 1 (a task that has not estimated yet).
    """
    progress = _field(task, 'progress')
    percent = round(progress * 100.0, 1) if is_number(progress) and 0 <= progress <= 1 else None
    left = _field(task, 'left_time')
    eta_ms = None
    if is_integer(left) and left >= 0:
        if left > 0 or (percent is not None and progress >= 1):
            eta_ms = now_ms + left
    return _summary(task, TASK_STATUS_NAMES, TASK_ACTIVE_STATUSES, percent, eta_ms, 'failed_num')


def group_summary(group, now_ms):
    """The derived summary of one task group body at ``now_ms``.

    ``percent`` is ``complete_size / total_size``; the ETA is the remaining
    bytes (``total_size - complete_size``) over ``migrate_speed`` (bytes/s),
    unknown when the speed is absent or 0, or the sizes are missing or
    inconsistent.  Groups also report ``failed_tasks`` (``failed_task_num``)
    and their failed objects come from ``fail_num``.
    """
    total = _count(group, 'total_size')
    complete = _count(group, 'complete_size')
    percent = None
    eta_ms = None
    if total and complete is not None and complete <= total:
        percent = round(complete * 100.0 / total, 1)
        speed = _count(group, 'migrate_speed')
        remaining = total - complete
        if remaining == 0:
            eta_ms = now_ms
        elif speed:
            # Whole milliseconds, rounded up: an ETA must never be early.
            eta_ms = now_ms + -(-remaining * 1000 // speed)
    return _summary(group, GROUP_STATUS_NAMES, GROUP_ACTIVE_STATUSES, percent, eta_ms, 'fail_num', failed_tasks=_count(group, 'failed_task_num'))
