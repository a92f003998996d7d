# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The gate's evaluation: module results + policy -> the ``migration_health`` fact.

This is where the verdict is made.  Plain Python on plain data (no Ansible
objects), unit-tested directly; the shape of the fact is
``docs/migration_health_fact.schema.json`` (shipped as ``_health_schema``).
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.hwcloud.migration.plugins.module_utils._errors import _one_line
from ansible_collections.hwcloud.migration.plugins.module_utils._statistics import RATIO_DIGITS, iter_points
from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import (
    ms_to_iso,
    now_ms as _current_ms,
)
from ansible_collections.hwcloud.migration.plugins.plugin_utils._health_charts import chart_columns, downsample_series
from ansible_collections.hwcloud.migration.plugins.plugin_utils._health_constants import (
    BUCKET_MS,
    CHART_TYPES,
    DATASET_THRESHOLDS,
    KIND_DATASET,
    KIND_SYNC_TASK,
    KINDS_BY_NAME,
    SCHEMA_VERSION,
    SERIES_POINT_BUDGET,
    SPARKLINE_COLUMNS,
    SUBJECT_KINDS,
    TASK_THRESHOLDS,
    VERDICT_HEALTHY,
    VERDICT_UNHEALTHY,
)
from ansible_collections.hwcloud.migration.plugins.plugin_utils._health_policy import normalise_policy


def format_duration(ms):
    """Format milliseconds as a short human duration: ``1h 5m``, ``42s``, ``0s``."""
    if ms is None:
        return 'n/a'
    seconds = int(ms) // 1000
    if seconds <= 0:
        return '0s'
    parts = []
    for unit, size in (('d', 86400), ('h', 3600), ('m', 60), ('s', 1)):
        if seconds >= size:
            parts.append('%d%s' % (seconds // size, unit))
            seconds %= size
    return ' '.join(parts[:2])


def format_ratio(ratio):
    """Format a ratio (0.0125) as a percentage (``1.25%``); ``None`` gives ``n/a``."""
    if ratio is None:
        return 'n/a'
    return '%.2f%%' % (ratio * 100)


def _status_list(statuses):
    return ', '.join(statuses) if statuses else '(none)'


# ---------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------

def _result_list(result, key):
    """The list ``key`` of a registered module result; a skipped or absent call gives []."""
    if not isinstance(result, dict):
        return []
    value = result.get(key)
    return value if isinstance(value, list) else []


def _count(value):
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _chart_series(statistics):
    """The REQUEST/SUCCESS/FAILURE buckets of one statistics entry as ``[[time_stamp, count], ...]``."""
    series = {}
    for data_type in CHART_TYPES:
        points = sorted(iter_points(statistics or {}, data_type))
        series[data_type] = [[time_stamp, count] for time_stamp, count in points]
    return series


class _Checks:
    """Collects check entries for one evaluation; checks named in ``disabled`` always pass, as skipped."""

    def __init__(self, disabled=()):
        self.entries = []
        self.disabled = frozenset(disabled)

    def add(self, check_id, subject, kind, observed, threshold, passed, message,
            observed_display=None, threshold_display=None, skipped=False):
        if check_id in self.disabled and not skipped:
            # Still evaluated, so the report shows what the check would have said.
            message = 'disabled by skip_checks (would have %s): %s' % ('passed' if passed else 'failed', message)
            passed = skipped = True
        entry = {
            'id': check_id,
            'subject': subject,
            'kind': kind,
            'observed': observed,
            'threshold': threshold,
            'passed': bool(passed),
            'skipped': bool(skipped),
            'message': _one_line(message),
            'observed_display': observed_display if observed_display is not None else _display(observed),
            'threshold_display': threshold_display if threshold_display is not None else _display(threshold),
        }
        self.entries.append(entry)
        return entry


def _display(value):
    if value is None:
        return 'n/a'
    if isinstance(value, (list, tuple)):
        return _status_list(value)
    return str(value)


def _task_observed(task):
    """The observed values of one sync task before its statistics are read (all None when not found)."""
    task = task or {}
    return {
        'status': task.get('status'),
        'src_bucket': task.get('src_bucket'),
        'dst_bucket': task.get('dst_bucket'),
        'description': task.get('description'),
        'statistic_time_type': None,
        'window_request_total': None,
        'window_success_total': None,
        'window_failure_total': None,
        'window_skip_total': None,
        'window_failure_ratio': None,
        'window_failed_objects': None,
        'bytes_synchronized': None,
        'monthly_acceptance_request': _count(task.get('monthly_acceptance_request')),
        'monthly_success_object': _count(task.get('monthly_success_object')),
        'monthly_failure_object': _count(task.get('monthly_failure_object')),
        'monthly_skip_object': _count(task.get('monthly_skip_object')),
        'monthly_size': _count(task.get('monthly_size')),
        'monthly_failure_ratio': None,
        'last_success_time': None,
        'last_success': None,
        'last_success_age_ms': None,
        'last_success_age': None,
        'series': {data_type: [] for data_type in CHART_TYPES},
    }


def _task_checks(checks, task_id, task, statistics, thresholds, now, window):
    """Evaluate one found sync task; returns its observed values for the report."""
    kind = KIND_SYNC_TASK
    status = task.get('status')
    allowed = thresholds['allowed_task_statuses']
    passed = status in allowed
    checks.add('task-status', task_id, kind, status, allowed, passed,
               'status %s is %s' % (status, 'allowed' if passed else 'not one of %s' % _status_list(allowed)),
               threshold_display='in [%s]' % _status_list(allowed))

    observed = _task_observed(task)

    if statistics is None:
        checks.add('window-statistics', task_id, kind, None, None, False,
                   'no statistics were returned for the last %s' % window,
                   observed_display='missing', threshold_display='present')
        _monthly_check(checks, task_id, observed, thresholds)
        return observed

    summary = statistics.get('summary') or {}
    series = summary.get('series') or {}

    def total(data_type):
        entry = series.get(data_type)
        return entry.get('total') if isinstance(entry, dict) else None

    requests = total('REQUEST')
    failures = total('FAILURE')
    time_type = statistics.get('statistic_time_type') or summary.get('statistic_time_type')
    observed.update({
        'statistic_time_type': time_type,
        'window_request_total': requests,
        'window_success_total': total('SUCCESS'),
        'window_failure_total': failures,
        'window_skip_total': total('SKIP'),
        'window_failure_ratio': summary.get('failure_ratio'),
        'window_failed_objects': failures,
        'bytes_synchronized': summary.get('bytes_synchronized'),
        'last_success_time': summary.get('last_success_time'),
        'last_success': summary.get('last_success') or ms_to_iso(summary.get('last_success_time')),
        'series': _chart_series(statistics),
    })

    _window_ratio_check(checks, task_id, observed, thresholds, window)
    _window_failed_check(checks, task_id, observed, thresholds, window)
    _monthly_check(checks, task_id, observed, thresholds)
    _stall_check(checks, task_id, observed, thresholds, now, window)
    return observed


def _monthly_check(checks, task_id, observed, thresholds):
    limit = thresholds.get('max_monthly_failure_ratio')
    requests = observed['monthly_acceptance_request']
    failures = observed['monthly_failure_object']
    ratio = None
    if requests and failures is not None:
        ratio = round(failures / requests, RATIO_DIGITS)
    observed['monthly_failure_ratio'] = ratio
    threshold_display = '<= %s' % format_ratio(limit) if limit is not None else 'disabled'
    if limit is None:
        checks.add('monthly-failure-ratio', task_id, KIND_SYNC_TASK, ratio, None, True,
                   'check disabled (max_monthly_failure_ratio is null)',
                   observed_display=format_ratio(ratio), threshold_display=threshold_display, skipped=True)
    elif ratio is None:
        why = 'no objects requested this month' if requests == 0 else 'monthly counters not returned'
        checks.add('monthly-failure-ratio', task_id, KIND_SYNC_TASK, None, limit, True,
                   'skipped: %s' % why, observed_display='n/a', threshold_display=threshold_display, skipped=True)
    else:
        passed = ratio <= limit
        checks.add('monthly-failure-ratio', task_id, KIND_SYNC_TASK, ratio, limit, passed,
                   'monthly failure ratio %s (%d failed of %d requested) is %s %s'
                   % (format_ratio(ratio), failures, requests, 'within' if passed else 'above', format_ratio(limit)),
                   observed_display=format_ratio(ratio), threshold_display=threshold_display)


def _window_ratio_check(checks, task_id, observed, thresholds, window):
    limit = thresholds.get('max_window_failure_ratio')
    ratio = observed['window_failure_ratio']
    threshold_display = '<= %s' % format_ratio(limit) if limit is not None else 'disabled'
    if limit is None:
        checks.add('window-failure-ratio', task_id, KIND_SYNC_TASK, ratio, None, True,
                   'check disabled (max_window_failure_ratio is null)',
                   observed_display=format_ratio(ratio), threshold_display=threshold_display, skipped=True)
    elif ratio is None:
        checks.add('window-failure-ratio', task_id, KIND_SYNC_TASK, None, limit, True,
                   'skipped: no objects requested in the last %s' % window,
                   observed_display='n/a', threshold_display=threshold_display, skipped=True)
    else:
        passed = ratio <= limit
        checks.add('window-failure-ratio', task_id, KIND_SYNC_TASK, ratio, limit, passed,
                   'failure ratio %s over the last %s (%s failed of %s requested) is %s %s'
                   % (format_ratio(ratio), window, observed['window_failure_total'],
                      observed['window_request_total'], 'within' if passed else 'above', format_ratio(limit)),
                   observed_display=format_ratio(ratio), threshold_display=threshold_display)


def _window_failed_check(checks, task_id, observed, thresholds, window):
    limit = thresholds.get('max_window_failed_objects')
    failed = observed['window_failed_objects']
    if limit is None:
        checks.add('window-failed-objects', task_id, KIND_SYNC_TASK, failed, None, True,
                   'check disabled (max_window_failed_objects is null)',
                   threshold_display='disabled', skipped=True)
        return
    failed = failed or 0
    passed = failed <= limit
    checks.add('window-failed-objects', task_id, KIND_SYNC_TASK, failed, limit, passed,
               '%d object(s) failed in the last %s, %s %d'
               % (failed, window, 'within the limit of' if passed else 'above the limit of', limit),
               threshold_display='<= %d' % limit)


def _stall_check(checks, task_id, observed, thresholds, now, window):
    limit_ms = thresholds.get('max_stall_age_ms')
    limit = thresholds.get('max_stall_age')
    requests = observed['window_request_total'] or 0
    last_success = observed['last_success_time']
    age = None
    if last_success is not None:
        # The bucket's time stamp is its start; the newest success may be as late
        # as the bucket's end, so measure from there (never below zero).
        bucket = BUCKET_MS.get(observed['statistic_time_type'], 0)
        age = max(0, now - (last_success + bucket))
        observed['last_success_age_ms'] = age
        observed['last_success_age'] = format_duration(age)
    threshold_display = '<= %s' % limit if limit is not None else 'disabled'
    if limit_ms is None:
        checks.add('stall', task_id, KIND_SYNC_TASK, age, None, True,
                   'check disabled (max_stall_age is null)',
                   observed_display=format_duration(age), threshold_display=threshold_display, skipped=True)
    elif requests <= 0:
        checks.add('stall', task_id, KIND_SYNC_TASK, age, limit_ms, True,
                   'skipped: no objects requested in the last %s' % window,
                   observed_display=format_duration(age), threshold_display=threshold_display, skipped=True)
    elif age is None:
        checks.add('stall', task_id, KIND_SYNC_TASK, None, limit_ms, False,
                   'stalled: %d object(s) requested in the last %s but none succeeded' % (requests, window),
                   observed_display='no success in %s' % window, threshold_display=threshold_display)
    else:
        passed = age <= limit_ms
        checks.add('stall', task_id, KIND_SYNC_TASK, age, limit_ms, passed,
                   '%slast successful object %s ago while %d object(s) were requested in the last %s (limit %s)'
                   % ('' if passed else 'stalled: ', format_duration(age), requests, window, limit),
                   observed_display=format_duration(age), threshold_display=threshold_display)


def _dataset_checks(checks, dataset_id, dataset_sync, allowed):
    status = dataset_sync.get('status')
    passed = status in allowed
    reason = ''
    error_code = dataset_sync.get('error_code')
    error_msg = dataset_sync.get('error_msg') or dataset_sync.get('error_message')
    if status == 'FAILED' and (error_code or error_msg):
        reason = ' (%s)' % ': '.join(str(part) for part in (error_code, error_msg) if part)
    checks.add('dataset-status', dataset_id, KIND_DATASET, status, allowed, passed,
               'status %s%s is %s' % (status, reason, 'allowed' if passed else 'not one of %s' % _status_list(allowed)),
               threshold_display='in [%s]' % _status_list(allowed))
    return {
        'status': status,
        'error_code': error_code,
        'error_msg': error_msg,
        'finished': dataset_sync.get('finished'),
        'succeeded': dataset_sync.get('succeeded'),
        'task_id': dataset_sync.get('task_id'),
        'total_sample_count': dataset_sync.get('total_sample_count'),
    }


def _missing_check(checks, check_id, subject, kind, noun):
    checks.add(check_id, subject, kind, False, True, False,
               '%s %s was not found' % (noun, subject),
               observed_display='missing', threshold_display='found')


def _effective(policy_thresholds, overrides, names):
    effective = {key: policy_thresholds.get(key) for key in names}
    if 'max_stall_age' in names:
        effective['max_stall_age_ms'] = policy_thresholds.get('max_stall_age_ms')
    effective.update(overrides)
    return effective


def violation_line(check):
    """One line describing a failed check: subject, check, observed, threshold, message."""
    kind = KINDS_BY_NAME.get(check['kind'])
    label = kind['label'] if kind else str(check['kind'])
    return '%s %s: %s observed %s, threshold %s - %s' % (
        label, check['subject'], check['id'], check['observed_display'], check['threshold_display'],
        check['message'])


def evaluate(results, policy, now_ms=None):
    """Evaluate the module results against the policy and return the health fact.

    ``results`` is a dict of registered module results: ``sync_task_info``
    (``oms_sync_task_info``), ``sync_task_statistics_info``
    (``oms_sync_task_statistics_info``) and ``dataset_sync_info``
    (``modelarts_dataset_sync_info``); a missing or skipped result counts as
    empty.  ``policy`` is a ``normalise_policy()`` result or the raw settings
    it accepts.  ``now_ms`` is the reference time for ages (the current time
    when ``None``; tests inject it).
    """
    if not isinstance(policy, dict) or 'thresholds' not in policy:
        policy = normalise_policy(policy)
    results = results if isinstance(results, dict) else {}
    now = _current_ms() if now_ms is None else int(now_ms)
    window = policy['window']
    defaults = policy['thresholds']

    task_info = results.get('sync_task_info')
    tasks_by_id = {}
    listed_ids = []
    for task in _result_list(task_info, 'sync_tasks'):
        if isinstance(task, dict) and task.get('sync_task_id') is not None:
            task_id = str(task['sync_task_id'])
            if task_id not in tasks_by_id:
                listed_ids.append(task_id)
            tasks_by_id[task_id] = task
    statistics_by_id = {}
    for entry in _result_list(results.get('sync_task_statistics_info'), 'sync_task_statistics'):
        if isinstance(entry, dict) and entry.get('sync_task_id') is not None:
            statistics_by_id[str(entry['sync_task_id'])] = entry
    datasets_by_id = {}
    for entry in _result_list(results.get('dataset_sync_info'), 'dataset_syncs'):
        if isinstance(entry, dict) and entry.get('dataset_id') is not None:
            datasets_by_id[str(entry['dataset_id'])] = entry

    if policy['all_sync_tasks']:
        selection = [{'id': task_id, 'overrides': {}} for task_id in listed_ids]
    else:
        selection = policy['sync_tasks']

    checks = _Checks(policy.get('skip_checks') or ())
    task_entries = []
    for item in selection:
        task_id = item['id']
        thresholds = _effective(defaults, item['overrides'], TASK_THRESHOLDS)
        first = len(checks.entries)
        task = tasks_by_id.get(task_id)
        if task is None:
            # Anything asked for and not returned is missing, whether or not the
            # module listed it under ``missing``.
            _missing_check(checks, 'task-found', task_id, KIND_SYNC_TASK, 'sync task')
            observed = _task_observed(None)
        else:
            checks.add('task-found', task_id, KIND_SYNC_TASK, True, True, True,
                       'sync task %s exists' % task_id, observed_display='found', threshold_display='found')
            observed = _task_checks(checks, task_id, task, statistics_by_id.get(task_id), thresholds, now, window)
        own = checks.entries[first:]
        entry = {'id': task_id, 'found': task is not None}
        entry.update(observed)
        entry['thresholds'] = thresholds
        entry['overridden'] = sorted(key for key in item['overrides'] if key != 'max_stall_age_ms')
        entry['failed_checks'] = [check['id'] for check in own if not check['passed']]
        entry['healthy'] = not entry['failed_checks']
        task_entries.append(entry)

    window_bounds = _window_bounds(statistics_by_id, policy, now)
    if not policy.get('full_series'):
        failing = sum(1 for entry in task_entries if entry['found'] and not entry['healthy'])
        columns = chart_columns(failing, len(task_entries) - failing, SERIES_POINT_BUDGET)
        for entry in task_entries:
            _downsample_entry(entry, window_bounds, SPARKLINE_COLUMNS if entry['healthy'] else columns)

    dataset_entries = []
    for item in policy['datasets']:
        dataset_id = item['id']
        thresholds = _effective(defaults, item['overrides'], DATASET_THRESHOLDS)
        first = len(checks.entries)
        dataset_sync = datasets_by_id.get(dataset_id)
        if dataset_sync is None:
            _missing_check(checks, 'dataset-found', dataset_id, KIND_DATASET, 'dataset')
            observed = {'status': None, 'error_code': None, 'error_msg': None, 'finished': None,
                        'succeeded': None, 'task_id': None, 'total_sample_count': None}
        else:
            checks.add('dataset-found', dataset_id, KIND_DATASET, True, True, True,
                       'dataset %s exists' % dataset_id, observed_display='found', threshold_display='found')
            observed = _dataset_checks(checks, dataset_id, dataset_sync, thresholds['allowed_dataset_statuses'])
        own = checks.entries[first:]
        entry = {'id': dataset_id, 'found': dataset_sync is not None}
        entry.update(observed)
        entry['thresholds'] = thresholds
        entry['overridden'] = sorted(item['overrides'])
        entry['failed_checks'] = [check['id'] for check in own if not check['passed']]
        entry['healthy'] = not entry['failed_checks']
        dataset_entries.append(entry)

    failed = [check for check in checks.entries if not check['passed']]
    subjects = {KIND_SYNC_TASK: task_entries, KIND_DATASET: dataset_entries}
    counts = {}
    for kind in SUBJECT_KINDS:
        entries = subjects.get(kind['kind'], [])
        counts[kind['count_key']] = len(entries)
        counts[kind['count_key'] + '_unhealthy'] = sum(1 for entry in entries if not entry['healthy'])
    counts.update({
        'checks': len(checks.entries),
        'checks_passed': len(checks.entries) - len(failed),
        'checks_failed': len(failed),
        'checks_skipped': sum(1 for check in checks.entries if check['skipped']),
    })
    fact = {
        'schema_version': SCHEMA_VERSION,
        'healthy': not failed,
        'verdict': VERDICT_HEALTHY if not failed else VERDICT_UNHEALTHY,
        'evaluated_at_ms': now,
        'evaluated_at': ms_to_iso(now),
        'window': window_bounds,
        'selection': 'all' if policy['all_sync_tasks'] else 'list',
        'thresholds': dict(defaults),
        'skip_checks': list(policy.get('skip_checks') or []),
        'counts': counts,
    }
    for kind in SUBJECT_KINDS:
        fact[kind['fact_key']] = subjects.get(kind['kind'], [])
    fact['checks'] = checks.entries
    fact['violations'] = [violation_line(check) for check in failed]
    return fact


def _downsample_entry(entry, window, columns):
    """Keep the buckets the report can draw: ``columns`` columns of at most two points each.

    Per column the lowest and highest bucket stay, so a burst is never averaged
    away; ``series_downsampled`` tells a reader (and the chart) that the empty
    buckets are then written out as zeros.
    """
    bucket = BUCKET_MS.get(entry.get('statistic_time_type'), 0)
    series, downsampled = downsample_series(entry.get('series') or {}, window['start_time'], window['end_time'],
                                            bucket, columns)
    entry['series'] = series
    entry['series_downsampled'] = downsampled


def _window_bounds(statistics_by_id, policy, now):
    """The window the statistics covered (from the module's summary), else now minus the window."""
    for entry in statistics_by_id.values():
        window = (entry.get('summary') or {}).get('window')
        if isinstance(window, dict) and window.get('start_time') is not None and window.get('end_time') is not None:
            start, end = int(window['start_time']), int(window['end_time'])
            break
    else:
        start, end = now - policy['window_ms'], now
    return {
        'duration': policy['window'],
        'duration_ms': policy['window_ms'],
        'start_time': start,
        'end_time': end,
        'start': ms_to_iso(start),
        'end': ms_to_iso(end),
    }


def failure_message(fact):
    """The text the role fails with: a headline, then one violation per line."""
    counts = fact['counts']
    unhealthy = ', '.join(
        '%d of %d %s' % (counts.get(kind['count_key'] + '_unhealthy', 0), counts.get(kind['count_key'], 0),
                         kind['plural'])
        for kind in SUBJECT_KINDS)
    lines = ['Migration health gate FAILED: %d of %d checks failed (%s unhealthy)'
             % (counts['checks_failed'], counts['checks'], unhealthy)]
    lines.extend('- ' + line for line in fact['violations'])
    return '\n'.join(lines)
