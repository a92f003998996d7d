# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The columns each subject kind adds to its table in the HTML report (after name, result and failed checks).

Each is a :class:`Column`: its header, the text of one fact entry, whether it
is a number (right-aligned).  ``_gate/kinds.KINDS`` names each kind's columns.
"""

from typing import Callable, NamedTuple

from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks.common import format_duration, format_ratio


class Column(NamedTuple):
    header: str
    text: Callable[[dict], str]
    numeric: bool = False


def _text(value):
    return '' if value is None else value


def _field(key, format_value=_text):
    return lambda entry: format_value(entry.get(key))


def _status(entry):
    # A subject the gate has no answer for: read and absent, or not read at all (``not_read``, set by the view model).
    return _text(entry.get('status')) if entry.get('found') else entry.get('not_read') or 'NOT FOUND'


def _error_reason(entry):
    return ': '.join(str(part) for part in (entry.get('error_code'), entry.get('error_msg')) if part)


def _migration_status(entry):
    if not entry.get('found'):
        return _status(entry)
    name = entry.get('status_name')
    return '%s (%s)' % (name, entry.get('status')) if name else 'unknown (%s)' % _text(entry.get('status'))


def _percent(entry):
    return '' if entry.get('percent') is None else '%.1f%%' % entry['percent']


def _eta(entry):
    if entry.get('eta'):
        return entry['eta']
    return 'unknown' if entry.get('eta_unknown') else ''


def _against_deadline(entry):
    """How the ETA stands against the deadline: ``2h 5m early``, ``30m late``, ``no ETA``."""
    margin = entry.get('deadline_margin_ms')
    if margin is not None:
        return '%s %s' % (format_duration(abs(margin)), 'early' if margin >= 0 else 'LATE')
    if (entry.get('thresholds') or {}).get('deadline_ms') is None or not entry.get('active'):
        return ''
    return 'no ETA' if entry.get('eta_unknown') or entry.get('eta') is None else ''


def _failed_objects(entry):
    failed = entry.get('failed_objects')
    if failed is None:
        return ''
    if failed and entry.get('failed_object_list'):
        return '%d (list: %s)' % (failed, entry['failed_object_list'])
    return str(failed)


def _failed_tasks(entry):
    return '' if entry.get('failed_tasks') is None else '%s of %s' % (entry['failed_tasks'], _text(entry.get('total_task_num')))


SYNC_TASK_COLUMNS = (
    Column('Status', _status),
    Column('Requested', _field('window_request_total'), True),
    Column('Succeeded', _field('window_success_total'), True),
    Column('Failed', _field('window_failure_total'), True),
    Column('Window failure ratio', _field('window_failure_ratio', format_ratio), True),
    Column('Monthly failure ratio', _field('monthly_failure_ratio', format_ratio), True),
    Column('Last success', _field('last_success')),
    Column('Age', _field('last_success_age')),
)
DATASET_COLUMNS = (Column('Status', _status), Column('Error', _error_reason))
_PROGRESS = (Column('Status', _migration_status), Column('Progress', _percent, True), Column('ETA', _eta), Column('Against the deadline', _against_deadline))
_FAILURES = (Column('Failed objects', _failed_objects, True), Column('Error reason', _error_reason))
MIGRATION_TASK_COLUMNS = _PROGRESS + _FAILURES
TASK_GROUP_COLUMNS = _PROGRESS + (Column('Failed tasks', _failed_tasks, True),) + _FAILURES
