# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The checks of one OMS sync task: status, window statistics, monthly ratio (the window's own checks: ``window``).

``_gate/evaluate`` calls :func:`task_checks` once per sync task with its two
reads (``sync_task_info``, ``sync_task_statistics_info``); the shared
``Checks`` collector and formatting helpers are in ``checks.common``.
"""

from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import one_line
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.statistics_summary import ratio as ratio_of
from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import ms_to_iso
from ansible_collections.hwcloud.migration.plugins.module_utils._values import is_count
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks.common import SubjectChecks, as_count, as_string, format_ratio
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks.settings import settings_checks
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks.window import (
    stall_check,
    unevaluated_window_check,
    window_failed_check,
    window_ratio_check,
)
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import CHART_TYPES, WINDOW_CHECKS
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.results import describe


def task_observed(task: dict | None = None) -> dict:
    """The observed values of one sync task before its statistics are read (all None when not found)."""
    task = task or {}
    return {
        'status': as_string(task.get('status')),
        'src_bucket': as_string(task.get('src_bucket')),
        'dst_bucket': as_string(task.get('dst_bucket')),
        'description': as_string(task.get('description')),
        'statistic_time_type': None,
        'window_request_total': None,
        'window_success_total': None,
        'window_failure_total': None,
        'window_skip_total': None,
        'window_failure_ratio': None,
        'window_failed_objects': None,
        'bytes_synchronized': None,
        'monthly_acceptance_request': as_count(task.get('monthly_acceptance_request')),
        'monthly_success_object': as_count(task.get('monthly_success_object')),
        'monthly_failure_object': as_count(task.get('monthly_failure_object')),
        'monthly_skip_object': as_count(task.get('monthly_skip_object')),
        'monthly_size': as_count(task.get('monthly_size')),
        'monthly_failure_ratio': None,
        'last_success_time': None,
        'last_success': None,
        'last_success_age_ms': None,
        'last_success_age': None,
        'series': {data_type: [] for data_type in CHART_TYPES},
    }


def statistics_problem(statistics: object, window: str) -> str | None:
    """Why ``statistics`` (one entry of ``oms_sync_task_statistics_info``) cannot feed the window checks, or None.

    The checks need a summary that says it is complete, the REQUEST, SUCCESS
    and FAILURE totals as counts, and the newest success as a time or null.
    """
    if statistics is None:
        return 'no statistics were returned for the last %s' % window
    if not isinstance(statistics, dict):
        return 'the statistics entry is %s, not an object' % describe(statistics)
    summary = statistics.get('summary')
    if not isinstance(summary, dict):
        return 'summary is %s, not an object' % describe(summary)
    problems = summary.get('problems')
    if summary.get('complete') is False or (isinstance(problems, list) and problems):
        listed = [one_line(problem) for problem in problems or [] if problem]
        return 'the statistics of the last %s are incomplete (summary.complete is false)%s' % (window, ': ' + '; '.join(listed[:3]) if listed else '')
    series = summary.get('series')
    if not isinstance(series, dict):
        return 'summary.series is %s, not an object' % describe(series)
    for data_type in CHART_TYPES:
        entry = series.get(data_type)
        total = entry.get('total') if isinstance(entry, dict) else None
        if not is_count(total):
            if not isinstance(entry, dict):
                return 'summary.series.%s is %s, not an object' % (data_type, describe(entry))
            return 'summary.series.%s.total is %s, not a count' % (data_type, describe(total))
    last = summary.get('last_success_time')
    if last is not None and not is_count(last):
        return 'summary.last_success_time is %s, not a time in epoch milliseconds' % describe(last)
    return None


def task_checks(subject: SubjectChecks, bodies: tuple, thresholds: dict, *, now: int, window: str) -> dict:
    """Evaluate one found sync task (``bodies``: its task, its statistics or None); returns its observed values for the report."""
    task, statistics = bodies[:2]  # (the failed-object list, when read, comes after)
    subject.status_name('task-status', task.get('status'), thresholds['allowed_task_statuses'])
    observed = task_observed(task)
    problem = statistics_problem(statistics, window)
    if problem is not None:
        shown = 'missing' if statistics is None else 'unusable'
        subject.unusable('window-statistics', False, True, problem, observed_display=shown, threshold_display='complete')
        for check_id in WINDOW_CHECKS:
            unevaluated_window_check(subject, check_id, thresholds, window)
        _monthly_check(subject, observed, thresholds, task)
        settings_checks(subject, task, thresholds, 'sync task')
        return observed

    summary = statistics['summary']

    def total(data_type):
        entry = summary['series'].get(data_type)
        return as_count(entry.get('total')) if isinstance(entry, dict) else None

    requests, failures = total('REQUEST'), total('FAILURE')
    time_type = statistics.get('statistic_time_type') or summary.get('statistic_time_type')
    observed.update(
        {
            'statistic_time_type': time_type if isinstance(time_type, str) else None,
            'window_request_total': requests,
            'window_success_total': total('SUCCESS'),
            'window_failure_total': failures,
            'window_skip_total': total('SKIP'),
            # The same rule (and rounding) as the module's summary, from the totals the checks just validated.
            'window_failure_ratio': ratio_of(failures, requests),
            'window_failed_objects': failures,
            'bytes_synchronized': as_count(summary.get('bytes_synchronized')),
            'last_success_time': summary.get('last_success_time'),
            'last_success': ms_to_iso(summary.get('last_success_time')),
        }
    )
    message = 'the statistics of the last %s were read completely (%d requested, %d failed)' % (window, requests, failures)
    subject.add('window-statistics', True, True, passed=True, message=message, observed_display='complete', threshold_display='complete')
    window_ratio_check(subject, observed, thresholds, window)
    window_failed_check(subject, observed, thresholds, window)
    _monthly_check(subject, observed, thresholds, task)
    stall_check(subject, observed, thresholds, now, window)
    settings_checks(subject, task, thresholds, 'sync task')
    return observed


def _monthly_check(subject, observed, thresholds, task):
    limit = thresholds.get('max_monthly_failure_ratio')
    counts = (observed['monthly_failure_object'], observed['monthly_acceptance_request'])
    observed['monthly_failure_ratio'] = ratio_of(*counts)
    unusable = [name for name in ('monthly_acceptance_request', 'monthly_failure_object') if observed[name] is None]
    if limit is not None and unusable:
        message = '; '.join('%s is %s, not a count' % (name, describe(task.get(name))) for name in unusable)
        subject.unusable('monthly-failure-ratio', None, limit, message, observed_display='unusable', threshold_display='<= %s' % format_ratio(limit))
        return
    subject.ratio('monthly-failure-ratio', 'max_monthly_failure_ratio', limit, counts, during='this month', label='monthly failure ratio %s')
