# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The check of a ModelArts dataset sync: its status is one of the allowed ones."""

from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks.common import Checks, as_count, as_string, status_list
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import KIND_DATASET
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.results import describe


def dataset_unread() -> dict:
    """The observed values of a dataset that was not read: all None."""
    return dict.fromkeys(('status', 'error_code', 'error_msg', 'finished', 'succeeded', 'task_id', 'total_sample_count'))


def _flag(value):
    return value if isinstance(value, bool) else None


def dataset_checks(checks: Checks, dataset_id: str, bodies: tuple, thresholds: dict, *, now: int, window: str) -> dict:
    """Evaluate one found dataset sync (``bodies``: its ``dataset_sync_info`` entry); returns its observed values."""
    dataset_sync = bodies[0]
    allowed = thresholds['allowed_dataset_statuses']
    status = dataset_sync.get('status')
    threshold_display = 'in [%s]' % status_list(allowed)
    error_code = dataset_sync.get('error_code')
    error_msg = dataset_sync.get('error_msg') or dataset_sync.get('error_message')
    if not isinstance(status, str):
        message = 'status is %s, not a status name' % describe(status)
        checks.add(
            'dataset-status',
            dataset_id,
            KIND_DATASET,
            None,
            allowed,
            passed=False,
            message=message,
            observed_display='unusable',
            threshold_display=threshold_display,
            evaluated=False,
        )
    else:
        passed = status in allowed
        reason = ''
        if status == 'FAILED' and (error_code or error_msg):
            reason = ' (%s)' % ': '.join(str(part) for part in (error_code, error_msg) if part)
        message = 'status %s%s is %s' % (status, reason, 'allowed' if passed else 'not one of %s' % status_list(allowed))
        checks.add('dataset-status', dataset_id, KIND_DATASET, status, allowed, passed=passed, message=message, threshold_display=threshold_display)
    return {
        'status': as_string(status),
        'error_code': None if error_code is None else str(error_code),
        'error_msg': None if error_msg is None else str(error_msg),
        'finished': _flag(dataset_sync.get('finished')),
        'succeeded': _flag(dataset_sync.get('succeeded')),
        'task_id': as_string(dataset_sync.get('task_id')),
        'total_sample_count': as_count(dataset_sync.get('total_sample_count')),
    }
