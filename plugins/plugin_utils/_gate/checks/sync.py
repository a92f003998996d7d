# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The checks of one OMS sync task: status, window statistics, monthly ratio (the window's own checks: ``window``).

``_gate/evaluate`` calls :func:`task_checks` once per sync task with its two
reads (``sync_task_info``, ``sync_task_statistics_info``); the shared
``Checks`` collector and formatting helpers are in ``checks.common``.
"""

from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import one_line
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.statistics_summary import ratio as _ratio_of
from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import ms_to_iso
from ansible_collections.hwcloud.migration.plugins.module_utils._values import is_count
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks.common import (
    Checks,
    as_count,
    as_string,
    chart_series,
    disabled_check,
    format_ratio,
    status_list,
)
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks.window import (
    stall_check,
    unevaluated_window_check,
    window_failed_check,
    window_ratio_check,
)
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import CHART_TYPES, KIND_SYNC_TASK, WINDOW_CHECKS
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


def task_checks(checks: Checks, task_id: str, bodies: tuple, thresholds: dict, *, now: int, window: str) -> dict:
    """Evaluate one found sync task (``bodies``: its task, its statistics or None); returns its observed values for the report."""
    task, statistics = bodies
    kind = KIND_SYNC_TASK
    status = task.get('status')
    allowed = thresholds['allowed_task_statuses']
    threshold_display = 'in [%s]' % status_list(allowed)
    if not isinstance(status, str):
        checks.add(
            'task-status',
            task_id,
            kind,
            None,
            allowed,
            passed=False,
            message='status is %s, not a status name' % describe(status),
            observed_display='unusable',
            threshold_display=threshold_display,
            evaluated=False,
        )
    else:
        passed = status in allowed
        checks.add(
            'task-status',
            task_id,
            kind,
            status,
            allowed,
            passed=passed,
            message='status %s is %s' % (status, 'allowed' if passed else 'not one of %s' % status_list(allowed)),
            threshold_display=threshold_display,
        )

    observed = task_observed(task)
    problem = statistics_problem(statistics, window)
    if problem is not None:
        checks.add(
            'window-statistics',
            task_id,
            kind,
            False,
            True,
            passed=False,
            message=problem,
            observed_display='missing' if statistics is None else 'unusable',
            threshold_display='complete',
            evaluated=False,
        )
        if isinstance(statistics, dict):
            observed['series'] = chart_series(statistics)
        for check_id in WINDOW_CHECKS:
            unevaluated_window_check(checks, task_id, check_id, thresholds, window)
        _monthly_check(checks, task_id, observed, thresholds, task)
        return observed

    summary = statistics['summary']
    series = summary['series']

    def total(data_type):
        entry = series.get(data_type)
        value = entry.get('total') if isinstance(entry, dict) else None
        return value if is_count(value) else None

    requests = total('REQUEST')
    failures = total('FAILURE')
    time_type = statistics.get('statistic_time_type') or summary.get('statistic_time_type')
    observed.update(
        {
            'statistic_time_type': time_type if isinstance(time_type, str) else None,
            'window_request_total': requests,
            'window_success_total': total('SUCCESS'),
            'window_failure_total': failures,
            'window_skip_total': total('SKIP'),
            # The same rule (and rounding) as the module's summary, from the totals the checks just validated.
            'window_failure_ratio': _ratio_of(failures, requests),
            'window_failed_objects': failures,
            'bytes_synchronized': summary.get('bytes_synchronized') if is_count(summary.get('bytes_synchronized')) else None,
            'last_success_time': summary.get('last_success_time'),
            'last_success': ms_to_iso(summary.get('last_success_time')),
            'series': chart_series(statistics),
        }
    )
    checks.add(
        'window-statistics',
        task_id,
        kind,
        True,
        True,
        passed=True,
        message='the statistics of the last %s were read completely (%d requested, %d failed)' % (window, requests, failures),
        observed_display='complete',
        threshold_display='complete',
    )

    window_ratio_check(checks, task_id, observed, thresholds, window)
    window_failed_check(checks, task_id, observed, thresholds, window)
    _monthly_check(checks, task_id, observed, thresholds, task)
    stall_check(checks, task_id, observed, thresholds, now, window)
    return observed


def _monthly_check(checks, task_id, observed, thresholds, task):
    limit = thresholds.get('max_monthly_failure_ratio')
    requests = observed['monthly_acceptance_request']
    failures = observed['monthly_failure_object']
    # The same ratio rule (and rounding) as the window ratios the statistics module computes.
    ratio = _ratio_of(failures, requests)
    observed['monthly_failure_ratio'] = ratio
    threshold_display = '<= %s' % format_ratio(limit) if limit is not None else 'disabled'
    if limit is None:
        disabled_check(
            checks,
            'monthly-failure-ratio',
            task_id,
            KIND_SYNC_TASK,
            'max_monthly_failure_ratio',
            observed=ratio,
            observed_display=format_ratio(ratio),
            threshold_display=threshold_display,
        )
        return
    unusable = [name for name in ('monthly_acceptance_request', 'monthly_failure_object') if observed[name] is None]
    if unusable:
        checks.add(
            'monthly-failure-ratio',
            task_id,
            KIND_SYNC_TASK,
            None,
            limit,
            passed=False,
            message='; '.join('%s is %s, not a count' % (name, describe(task.get(name))) for name in unusable),
            observed_display='unusable',
            threshold_display=threshold_display,
            evaluated=False,
        )
    elif ratio is None and failures:
        checks.add(
            'monthly-failure-ratio',
            task_id,
            KIND_SYNC_TASK,
            None,
            limit,
            passed=False,
            message='%d object(s) failed this month while none were requested: the failure ratio has no denominator, '
            'and failures without requests count as above any limit' % failures,
            observed_display='%d failed of 0 requested' % failures,
            threshold_display=threshold_display,
        )
    elif ratio is None:
        checks.add(
            'monthly-failure-ratio',
            task_id,
            KIND_SYNC_TASK,
            None,
            limit,
            passed=True,
            message='skipped: no objects requested this month',
            observed_display='n/a',
            threshold_display=threshold_display,
            skipped=True,
        )
    else:
        passed = ratio <= limit
        checks.add(
            'monthly-failure-ratio',
            task_id,
            KIND_SYNC_TASK,
            ratio,
            limit,
            passed=passed,
            message='monthly failure ratio %s (%d failed of %d requested) is %s %s'
            % (format_ratio(ratio), failures, requests, 'within' if passed else 'above', format_ratio(limit)),
            observed_display=format_ratio(ratio),
            threshold_display=threshold_display,
        )
