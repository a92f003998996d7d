# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A 500-task gate over a 2-day window, shaped like the info modules' results, for the report tests."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import random

from ansible_collections.hwcloud.migration.plugins.module_utils._reads.statistics_summary import summarize_statistics
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate import evaluate as _health_evaluate

# 2023-11-16T18:02:00Z: two minutes into a five-minute bucket, so the newest bucket is partial.
NOW = 1700157720000
BUCKET = 5 * 60 * 1000
WINDOW_MS = 2 * 24 * 3600 * 1000
TASKS = 500


def _task(index, rng, window_ms=WINDOW_MS, failing_every=5):
    task_id = 'scale-task-%04d' % index
    start = NOW - window_ms
    first = start - start % BUCKET + BUCKET
    stamps = list(range(first, NOW, BUCKET))
    failing = index % failing_every == 0
    burst = index % 7 == 0
    request, success, failure = [], [], []
    for position, stamp in enumerate(stamps):
        count = rng.randint(50, 400)
        failed = int(count * (0.3 if failing else 0.001))
        if burst and 200 <= position < 203:
            failed = count
        if stamp + BUCKET > NOW:
            count, failed = count // 3, failed // 3
        request.append({'time_stamp': stamp, 'statistic_num': count})
        success.append({'time_stamp': stamp, 'statistic_num': count - failed})
        if failed:
            failure.append({'time_stamp': stamp, 'statistic_num': failed})
    response = {
        'statistic_time_type': 'FIVE_MINUTES',
        'statistic_datas': [{'data_type': 'REQUEST', 'data': request}, {'data_type': 'SUCCESS', 'data': success}, {'data_type': 'FAILURE', 'data': failure}],
    }
    statistics = dict(response, sync_task_id=task_id, summary=summarize_statistics(response, ['REQUEST', 'SUCCESS', 'FAILURE'], start, NOW))
    task = {
        'sync_task_id': task_id,
        'status': 'SYNCHRONIZING',
        'src_bucket': 'src-bucket-%04d' % index,
        'dst_bucket': 'dst-bucket-%04d' % index,
        'description': 'nightly copy %d' % index,
        'monthly_acceptance_request': 100000,
        'monthly_success_object': 99000,
        'monthly_failure_object': 30000 if failing else 10,
    }
    return task, statistics


def scale_results(tasks=TASKS, window='2d', window_ms=WINDOW_MS, failing_every=5):
    """``(results, policy)`` of ``tasks`` sync tasks: every ``failing_every``-th failing, every 7th with a one-bucket burst."""
    rng = random.Random(12)
    task_entries, statistics = [], []
    for index in range(tasks):
        task, entry = _task(index, rng, window_ms, failing_every)
        task_entries.append(task)
        statistics.append(entry)
    results = {'sync_task_info': {'sync_tasks': task_entries}, 'sync_task_statistics_info': {'sync_task_statistics': statistics}}
    policy = {'sync_tasks': [task['sync_task_id'] for task in task_entries], 'window': window}
    return results, policy


def scale_gate(tasks=TASKS, failing_every=5):
    """``(results, policy, fact)`` of ``tasks`` sync tasks over a 2-day window (see ``scale_results``)."""
    results, policy = scale_results(tasks, failing_every=failing_every)
    return results, policy, _health_evaluate.evaluate(results, policy, now_ms=NOW)
