# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the migration_health filter tests: module results shaped like the info modules' output."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import sys

import pytest

from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import ms_to_iso

# 2023-11-16T18:00:00Z: every scenario below is relative to this instant.
NOW = 1700157600000
MINUTE = 60 * 1000
BUCKET = 5 * MINUTE
WINDOW_START = NOW - 60 * MINUTE


def bucket_series(counts, end=NOW):
    """Buckets ending at ``end``: ``counts`` oldest first, 0 entries omitted as the API does."""
    first = end - len(counts) * BUCKET
    return [{'time_stamp': first + index * BUCKET, 'statistic_num': count} for index, count in enumerate(counts) if count]


def task(task_id, status='SYNCHRONIZING', requested=1000, failed=0, succeeded=None):
    return {
        'sync_task_id': task_id,
        'status': status,
        'src_bucket': 'src-' + task_id,
        'dst_bucket': 'dst-' + task_id,
        'description': 'sync of ' + task_id,
        'src_cloud_type': 'AWS',
        'monthly_acceptance_request': requested,
        'monthly_success_object': requested - failed if succeeded is None else succeeded,
        'monthly_failure_object': failed,
        'monthly_skip_object': 0,
        'monthly_size': 123456789,
    }


def _series_summary(points):
    if not points:
        return {'total': 0, 'points': 0, 'max': None, 'first_time_stamp': None, 'last_time_stamp': None}
    return {
        'total': sum(point['statistic_num'] for point in points),
        'points': len(points),
        'max': max(point['statistic_num'] for point in points),
        'first_time_stamp': points[0]['time_stamp'],
        'last_time_stamp': points[-1]['time_stamp'],
    }


def statistics(task_id, request, success, failure, time_type='FIVE_MINUTES'):
    """A statistics entry with the summary the module computes (as _statistics.summarize_statistics)."""
    series = {
        'REQUEST': bucket_series(request),
        'SUCCESS': bucket_series(success),
        'FAILURE': bucket_series(failure),
        'SKIP': [],
        'SIZE': bucket_series([c * 1024 for c in success]),
    }
    summary_series = {name: _series_summary(points) for name, points in series.items()}
    req = summary_series['REQUEST']['total']

    def ratio(name):
        return round(summary_series[name]['total'] / req, 6) if req else None

    successes = [point['time_stamp'] for point in series['SUCCESS'] if point['statistic_num'] > 0]
    last = max(successes) if successes else None
    return {
        'sync_task_id': task_id,
        'statistic_time_type': time_type,
        'statistic_datas': [{'data_type': name, 'data': points} for name, points in series.items()],
        'summary': {
            'window': {'start_time': WINDOW_START, 'end_time': NOW, 'start': ms_to_iso(WINDOW_START), 'end': ms_to_iso(NOW)},
            'statistic_time_type': time_type,
            'series': summary_series,
            'failure_ratio': ratio('FAILURE'),
            'success_ratio': ratio('SUCCESS'),
            'skip_ratio': ratio('SKIP'),
            'bytes_synchronized': summary_series['SIZE']['total'],
            'last_success_time': last,
            'last_success': ms_to_iso(last),
        },
    }


HEALTHY_REQUEST = [10] * 12
HEALTHY_SUCCESS = [10] * 12
NO_FAILURE = [0] * 12


def healthy_results(task_ids=('task-a', 'task-b'), dataset_ids=('ds-1',)):
    return {
        'sync_task_info': {'changed': False, 'sync_tasks': [task(task_id) for task_id in task_ids], 'missing': []},
        'sync_task_statistics_info': {
            'changed': False,
            'sync_task_statistics': [statistics(task_id, HEALTHY_REQUEST, HEALTHY_SUCCESS, NO_FAILURE) for task_id in task_ids],
            'missing': [],
        },
        'dataset_sync_info': {
            'changed': False,
            'dataset_syncs': [{'dataset_id': dataset_id, 'status': 'COMPLETED', 'finished': True, 'succeeded': True} for dataset_id in dataset_ids],
            'missing': [],
        },
    }


def settings(**overrides):
    base = {
        'sync_tasks': ['task-a', 'task-b'],
        'datasets': ['ds-1'],
        'window': '1h',
        'allowed_task_statuses': ['SYNCHRONIZING'],
        'max_window_failure_ratio': 0.05,
        'max_window_failed_objects': 100,
        'max_monthly_failure_ratio': 0.05,
        'max_stall_age': '30m',
        'allowed_dataset_statuses': ['COMPLETED'],
    }
    base.update(overrides)
    return base


def replace_statistics(results, task_id, entry):
    results = copy.deepcopy(results)
    entries = results['sync_task_statistics_info']['sync_task_statistics']
    results['sync_task_statistics_info']['sync_task_statistics'] = [entry if item['sync_task_id'] == task_id else item for item in entries]
    return results


def unhealthy_results():
    """A mix of every violation: for reports and the browser test."""
    results = healthy_results(task_ids=('task-ok', 'task-failing', 'task-stalled', 'task-stopped'), dataset_ids=('ds-ok', 'ds-failed'))
    results['sync_task_info']['sync_tasks'][3]['status'] = 'STOPPED'
    results['sync_task_info']['sync_tasks'][1].update(monthly_acceptance_request=1000, monthly_failure_object=200)
    results['sync_task_info']['missing'] = ['task-gone']
    results = replace_statistics(results, 'task-failing', statistics('task-failing', [20] * 12, [10] * 12, [10] * 12))
    results = replace_statistics(results, 'task-stalled', statistics('task-stalled', [10] * 12, [10, 10, 5] + [0] * 9, [0] * 12))
    results = replace_statistics(results, 'task-stopped', statistics('task-stopped', [], [], []))
    results['dataset_sync_info']['dataset_syncs'][1].update(
        status='FAILED', error_code='ModelArts.4360', error_msg='sync <error>\n& "quotes"', finished=True, succeeded=False
    )
    results['dataset_sync_info']['missing'] = ['ds-gone']
    return results


def unhealthy_settings():
    return settings(sync_tasks=['task-ok', 'task-failing', 'task-stalled', 'task-stopped', 'task-gone'], datasets=['ds-ok', 'ds-failed', 'ds-gone'])


def pytest_configure(config):
    config.addinivalue_line('markers', 'chromium: renders the HTML report in headless Chromium (needs /usr/bin/chromium)')


@pytest.fixture
def health_data():
    """The builders above (NOW, task(), statistics(), healthy_results(), ...) as one namespace."""
    return sys.modules[__name__]
