# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The checks of one OMS sync task: status, window statistics, monthly ratio, stall.

``_health_evaluate`` calls :func:`task_checks` once per sync task with its
module results; the shared ``Checks`` collector and formatting helpers are in
``_health_checks``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import one_line
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.statistics_summary import ratio as _ratio_of
from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import ms_to_iso
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks.common import (
    as_count,
    as_string,
    chart_series,
    format_duration,
    format_ratio,
    status_list,
)
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import BUCKET_MS, CHART_TYPES, KIND_SYNC_TASK, WINDOW_CHECKS
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.results import describe


def task_observed(task):
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


def _is_count(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def statistics_problem(statistics, window):
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
        if not _is_count(total):
            if not isinstance(entry, dict):
                return 'summary.series.%s is %s, not an object' % (data_type, describe(entry))
            return 'summary.series.%s.total is %s, not a count' % (data_type, describe(total))
    last = summary.get('last_success_time')
    if last is not None and not _is_count(last):
        return 'summary.last_success_time is %s, not a time in epoch milliseconds' % describe(last)
    return None


def task_checks(checks, task_id, task, statistics, thresholds, now, window):
    """Evaluate one found sync task; returns its observed values for the report."""
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
            False,
            'status is %s, not a status name' % describe(status),
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
            passed,
            'status %s is %s' % (status, 'allowed' if passed else 'not one of %s' % status_list(allowed)),
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
            False,
            problem,
            observed_display='missing' if statistics is None else 'unusable',
            threshold_display='complete',
            evaluated=False,
        )
        if isinstance(statistics, dict):
            observed['series'] = chart_series(statistics)
        for check_id in WINDOW_CHECKS:
            _unevaluated_window_check(checks, task_id, check_id, thresholds, window)
        _monthly_check(checks, task_id, observed, thresholds, task)
        return observed

    summary = statistics['summary']
    series = summary['series']

    def total(data_type):
        entry = series.get(data_type)
        value = entry.get('total') if isinstance(entry, dict) else None
        return value if _is_count(value) else None

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
            'bytes_synchronized': summary.get('bytes_synchronized') if _is_count(summary.get('bytes_synchronized')) else None,
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
        True,
        'the statistics of the last %s were read completely (%d requested, %d failed)' % (window, requests, failures),
        observed_display='complete',
        threshold_display='complete',
    )

    _window_ratio_check(checks, task_id, observed, thresholds, window)
    _window_failed_check(checks, task_id, observed, thresholds, window)
    _monthly_check(checks, task_id, observed, thresholds, task)
    _stall_check(checks, task_id, observed, thresholds, now, window)
    return observed


# The threshold each window check compares with, and how it is shown.
_WINDOW_LIMITS = {
    'window-failure-ratio': ('max_window_failure_ratio', lambda limit: '<= %s' % format_ratio(limit)),
    'window-failed-objects': ('max_window_failed_objects', lambda limit: '<= %d' % limit),
    'stall': ('max_stall_age', lambda limit: '<= %s' % limit),
}


def _unevaluated_window_check(checks, task_id, check_id, thresholds, window):
    name, display = _WINDOW_LIMITS[check_id]
    limit = thresholds.get(name)
    if limit is None:
        checks.add(check_id, task_id, KIND_SYNC_TASK, None, None, True, 'check disabled (%s is null)' % name, threshold_display='disabled', skipped=True)
        return
    threshold = thresholds.get('max_stall_age_ms') if check_id == 'stall' else limit
    checks.add(
        check_id,
        task_id,
        KIND_SYNC_TASK,
        None,
        threshold,
        False,
        'the statistics of the last %s cannot be used (see window-statistics)' % window,
        observed_display='not evaluated',
        threshold_display=display(limit),
        evaluated=False,
    )


def _monthly_check(checks, task_id, observed, thresholds, task):
    limit = thresholds.get('max_monthly_failure_ratio')
    requests = observed['monthly_acceptance_request']
    failures = observed['monthly_failure_object']
    # The same ratio rule (and rounding) as the window ratios the statistics module computes.
    ratio = _ratio_of(failures, requests)
    observed['monthly_failure_ratio'] = ratio
    threshold_display = '<= %s' % format_ratio(limit) if limit is not None else 'disabled'
    if limit is None:
        checks.add(
            'monthly-failure-ratio',
            task_id,
            KIND_SYNC_TASK,
            ratio,
            None,
            True,
            'check disabled (max_monthly_failure_ratio is null)',
            observed_display=format_ratio(ratio),
            threshold_display=threshold_display,
            skipped=True,
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
            False,
            '; '.join('%s is %s, not a count' % (name, describe(task.get(name))) for name in unusable),
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
            False,
            '%d object(s) failed this month while none were requested: the failure ratio has no denominator, '
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
            True,
            'skipped: no objects requested this month',
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
            passed,
            'monthly failure ratio %s (%d failed of %d requested) is %s %s'
            % (format_ratio(ratio), failures, requests, 'within' if passed else 'above', format_ratio(limit)),
            observed_display=format_ratio(ratio),
            threshold_display=threshold_display,
        )


def _window_ratio_check(checks, task_id, observed, thresholds, window):
    limit = thresholds.get('max_window_failure_ratio')
    ratio = observed['window_failure_ratio']
    threshold_display = '<= %s' % format_ratio(limit) if limit is not None else 'disabled'
    if limit is None:
        checks.add(
            'window-failure-ratio',
            task_id,
            KIND_SYNC_TASK,
            ratio,
            None,
            True,
            'check disabled (max_window_failure_ratio is null)',
            observed_display=format_ratio(ratio),
            threshold_display=threshold_display,
            skipped=True,
        )
    elif ratio is None and observed['window_failure_total']:
        # Failures without requests: no ratio, but objects failed, which no limit allows to pass unseen.
        checks.add(
            'window-failure-ratio',
            task_id,
            KIND_SYNC_TASK,
            None,
            limit,
            False,
            '%d object(s) failed in the last %s while none were requested: the failure ratio has no denominator, '
            'and failures without requests count as above any limit' % (observed['window_failure_total'], window),
            observed_display='%d failed of 0 requested' % observed['window_failure_total'],
            threshold_display=threshold_display,
        )
    elif ratio is None:
        # Only reached with a REQUEST total of 0: statistics_problem refused any other gap.
        checks.add(
            'window-failure-ratio',
            task_id,
            KIND_SYNC_TASK,
            None,
            limit,
            True,
            'skipped: no objects requested in the last %s' % window,
            observed_display='n/a',
            threshold_display=threshold_display,
            skipped=True,
        )
    else:
        passed = ratio <= limit
        checks.add(
            'window-failure-ratio',
            task_id,
            KIND_SYNC_TASK,
            ratio,
            limit,
            passed,
            'failure ratio %s over the last %s (%s failed of %s requested) is %s %s'
            % (
                format_ratio(ratio),
                window,
                observed['window_failure_total'],
                observed['window_request_total'],
                'within' if passed else 'above',
                format_ratio(limit),
            ),
            observed_display=format_ratio(ratio),
            threshold_display=threshold_display,
        )


def _window_failed_check(checks, task_id, observed, thresholds, window):
    limit = thresholds.get('max_window_failed_objects')
    failed = observed['window_failed_objects']
    if limit is None:
        checks.add(
            'window-failed-objects',
            task_id,
            KIND_SYNC_TASK,
            failed,
            None,
            True,
            'check disabled (max_window_failed_objects is null)',
            threshold_display='disabled',
            skipped=True,
        )
        return
    passed = failed <= limit
    checks.add(
        'window-failed-objects',
        task_id,
        KIND_SYNC_TASK,
        failed,
        limit,
        passed,
        '%d object(s) failed in the last %s, %s %d' % (failed, window, 'within the limit of' if passed else 'above the limit of', limit),
        threshold_display='<= %d' % limit,
    )


def _time_text(ms):
    try:
        return ms_to_iso(ms)
    except (OverflowError, ValueError):
        return '%d ms after the epoch' % ms


def _stall_check(checks, task_id, observed, thresholds, now, window):
    limit_ms = thresholds.get('max_stall_age_ms')
    limit = thresholds.get('max_stall_age')
    requests = observed['window_request_total']
    last_success = observed['last_success_time']
    age = None
    if last_success is not None and last_success > now:
        # A success that starts after now is not a success seen: it must not make the age 0.
        if limit_ms is None:
            checks.add('stall', task_id, KIND_SYNC_TASK, None, None, True, 'check disabled (max_stall_age is null)', threshold_display='disabled', skipped=True)
            return
        checks.add(
            'stall',
            task_id,
            KIND_SYNC_TASK,
            None,
            limit_ms,
            False,
            'the newest success bucket starts at %s, after now (%s): the statistics disagree with the clock, so the age of '
            'the last success is unknown' % (_time_text(last_success), _time_text(now)),
            observed_display='in the future',
            threshold_display='<= %s' % limit,
            evaluated=False,
        )
        return
    if last_success is not None:
        # The bucket's time stamp is its start; the newest success may be as late
        # as the bucket's end, so measure from there (never below zero).
        bucket = BUCKET_MS.get(observed['statistic_time_type'], 0)
        age = max(0, now - (last_success + bucket))
        observed['last_success_age_ms'] = age
        observed['last_success_age'] = format_duration(age)
    threshold_display = '<= %s' % limit if limit is not None else 'disabled'
    if limit_ms is None:
        checks.add(
            'stall',
            task_id,
            KIND_SYNC_TASK,
            age,
            None,
            True,
            'check disabled (max_stall_age is null)',
            observed_display=format_duration(age),
            threshold_display=threshold_display,
            skipped=True,
        )
    elif requests <= 0:
        checks.add(
            'stall',
            task_id,
            KIND_SYNC_TASK,
            age,
            limit_ms,
            True,
            'skipped: no objects requested in the last %s' % window,
            observed_display=format_duration(age),
            threshold_display=threshold_display,
            skipped=True,
        )
    elif age is None:
        checks.add(
            'stall',
            task_id,
            KIND_SYNC_TASK,
            None,
            limit_ms,
            False,
            'stalled: %d object(s) requested in the last %s but none succeeded' % (requests, window),
            observed_display='no success in %s' % window,
            threshold_display=threshold_display,
        )
    else:
        passed = age <= limit_ms
        checks.add(
            'stall',
            task_id,
            KIND_SYNC_TASK,
            age,
            limit_ms,
            passed,
            '%slast successful object %s ago while %d object(s) were requested in the last %s (limit %s)'
            % ('' if passed else 'stalled: ', format_duration(age), requests, window, limit),
            observed_display=format_duration(age),
            threshold_display=threshold_display,
        )
