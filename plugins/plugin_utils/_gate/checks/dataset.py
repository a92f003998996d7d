# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The check of a ModelArts dataset sync: its status is one of the allowed ones."""

from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks.common import SubjectChecks, as_count, as_string


def dataset_unread() -> dict:
    """The observed values of a dataset that was not read: all None."""
    return dict.fromkeys(('status', 'error_code', 'error_msg', 'finished', 'succeeded', 'task_id', 'total_sample_count'))


def _flag(value):
    return value if isinstance(value, bool) else None


def dataset_checks(subject: SubjectChecks, bodies: tuple, thresholds: dict, *, now: int, window: str) -> dict:
    """Evaluate one found dataset sync (``bodies``: its ``dataset_sync_info`` entry); returns its observed values."""
    dataset_sync = bodies[0]
    status = dataset_sync.get('status')
    error_code = dataset_sync.get('error_code')
    error_msg = dataset_sync.get('error_msg') or dataset_sync.get('error_message')
    reason = ''
    if status == 'FAILED' and (error_code or error_msg):
        reason = ' (%s)' % ': '.join(str(part) for part in (error_code, error_msg) if part)
    subject.status_name('dataset-status', status, thresholds['allowed_dataset_statuses'], reason)
    return {
        'status': as_string(status),
        'error_code': None if error_code is None else str(error_code),
        'error_msg': None if error_msg is None else str(error_msg),
        'finished': _flag(dataset_sync.get('finished')),
        'succeeded': _flag(dataset_sync.get('succeeded')),
        'task_id': as_string(dataset_sync.get('task_id')),
        'total_sample_count': as_count(dataset_sync.get('total_sample_count')),
    }
