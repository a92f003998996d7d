# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Health evaluation and report rendering for the ``migration_health`` role.

The role gathers three module results (``oms_sync_task_info``,
``oms_sync_task_statistics_info``, ``modelarts_dataset_sync_info``) and hands
them to these filters:

``migration_health_policy``
    Validate and normalise the role's inputs (task selection, datasets,
    thresholds, window) before any API call, so a typo fails fast.
``migration_health_evaluate``
    Turn the module results and the policy into the ``migration_health`` fact:
    the verdict, one entry per sync task and dataset, one entry per check.
``migration_health_junit``
    Render the fact as JUnit XML, one test case per check.
``migration_health_html``
    Render the fact as one self-contained HTML page with inline SVG charts.

Everything below the ``FilterModule`` class boundary is plain Python working on
plain data (no Ansible objects) so it is unit-tested directly.  The shape of the
fact is documented by ``docs/migration_health_fact.schema.json``.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import re
from xml.sax.saxutils import escape as _xml_escape

from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import (
    TimeExpressionError,
    ms_to_iso,
    now_ms as _current_ms,
    parse_duration,
)
from ansible_collections.hwcloud.migration.plugins.module_utils._statistics import iter_points

try:
    from ansible.errors import AnsibleFilterError
except ImportError:  # pragma: no cover - only when used outside Ansible
    AnsibleFilterError = ValueError

SCHEMA_VERSION = 1

KIND_SYNC_TASK = 'sync_task'
KIND_DATASET = 'dataset'

# Thresholds a per-task dict may override, with the role defaults used when the
# caller gives none.  The names are the role variables without their prefix.
TASK_THRESHOLDS = (
    'allowed_task_statuses',
    'max_window_failure_ratio',
    'max_window_failed_objects',
    'max_monthly_failure_ratio',
    'max_stall_age',
)
DATASET_THRESHOLDS = ('allowed_dataset_statuses',)
# Checks that skip_checks may switch off; a missing task or dataset always fails.
SKIPPABLE_CHECKS = ('task-status', 'window-statistics', 'window-failure-ratio', 'window-failed-objects',
                    'monthly-failure-ratio', 'stall', 'dataset-status')

DEFAULT_POLICY = {
    'window': '1h',
    'allowed_task_statuses': ['SYNCHRONIZING'],
    'max_window_failure_ratio': 0.05,
    'max_window_failed_objects': 100,
    'max_monthly_failure_ratio': 0.05,
    'max_stall_age': '30m',
    'allowed_dataset_statuses': ['COMPLETED'],
}

# Width of one statistics bucket: a bucket's time_stamp is its start, so an
# object counted in it may have succeeded up to one width later.
BUCKET_MS = {
    'FIVE_MINUTES': 5 * 60 * 1000,
    'ONE_HOUR': 60 * 60 * 1000,
}

CHART_TYPES = ('REQUEST', 'SUCCESS', 'FAILURE')
CHART_COLOURS = {'REQUEST': '#1f6feb', 'SUCCESS': '#1a7f37', 'FAILURE': '#cf222e'}
# Past this many buckets the chart plots the returned points as they are
# instead of filling the omitted (empty) buckets with zeros.
CHART_MAX_GRID = 2000


class MigrationHealthError(ValueError):
    """An input to the health evaluation is invalid; the message says which and why."""


# ---------------------------------------------------------------------------
# Formatting helpers
# ---------------------------------------------------------------------------

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


def _one_line(text):
    """Collapse whitespace (API error messages may hold newlines) to keep messages on one line."""
    return re.sub(r'\s+', ' ', str(text)).strip()


def _status_list(statuses):
    return ', '.join(statuses) if statuses else '(none)'


# ---------------------------------------------------------------------------
# Policy: the role inputs, validated and normalised
# ---------------------------------------------------------------------------

def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_ratio(value, name):
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise MigrationHealthError('%s: %r is not a number between 0 and 1' % (name, value))
    if not _is_number(value) or not 0 <= value <= 1:
        raise MigrationHealthError('%s: %r is not a number between 0 and 1 (0.05 means 5%%)' % (name, value))
    return float(value)


def _check_count(value, name):
    if value is None:
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise MigrationHealthError('%s: %r is not a whole number of objects (0 or more)' % (name, value))
    return value


def _check_statuses(value, name):
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not value:
        raise MigrationHealthError('%s: %r is not a non-empty list of statuses' % (name, value))
    statuses = []
    for status in value:
        if not isinstance(status, str) or not status.strip():
            raise MigrationHealthError('%s: %r is not a status name' % (name, status))
        status = status.strip().upper()
        if status not in statuses:
            statuses.append(status)
    return statuses


def _check_duration(value, name):
    if value is None:
        return None, None
    try:
        return str(value).strip(), parse_duration(value, name=name)
    except TimeExpressionError as exc:
        raise MigrationHealthError(str(exc))


def _normalise_thresholds(values, names, prefix):
    """Validate one set of thresholds; ``values`` holds only the keys to check."""
    result = {}
    for key in names:
        if key not in values:
            continue
        label = prefix + key
        value = values[key]
        if key.startswith('allowed_'):
            result[key] = _check_statuses(value, label)
        elif key.endswith('_ratio'):
            result[key] = _check_ratio(value, label)
        elif key == 'max_window_failed_objects':
            result[key] = _check_count(value, label)
        elif key == 'max_stall_age':
            text, millis = _check_duration(value, label)
            result[key] = text
            result['max_stall_age_ms'] = millis
    return result


def _check_id(value, name):
    if isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).strip():
        raise MigrationHealthError('%s: %r is not an id' % (name, value))
    return str(value).strip()


def _normalise_subjects(items, label, thresholds):
    """Normalise a list of ids or ``{id, <threshold overrides>}`` dicts; duplicates merge."""
    if items is None:
        return []
    if isinstance(items, (str, dict)) or not isinstance(items, (list, tuple)):
        raise MigrationHealthError(
            '%s: %r is not a list of ids or of {id, ...} dicts' % (label, items))
    subjects = []
    by_id = {}
    for index, item in enumerate(items):
        where = '%s[%d]' % (label, index)
        if isinstance(item, dict):
            unknown = sorted(set(item) - set(('id',) + thresholds))
            if 'id' not in item:
                raise MigrationHealthError('%s: %r has no "id"' % (where, item))
            if unknown:
                raise MigrationHealthError(
                    '%s: unknown key(s) %s; a per-item override may set %s'
                    % (where, ', '.join(unknown), ', '.join(thresholds)))
            subject_id = _check_id(item['id'], where + '.id')
            overrides = _normalise_thresholds(item, thresholds, where + '.')
        else:
            subject_id = _check_id(item, where)
            overrides = {}
        if subject_id in by_id:
            by_id[subject_id]['overrides'].update(overrides)
        else:
            entry = {'id': subject_id, 'overrides': overrides}
            by_id[subject_id] = entry
            subjects.append(entry)
    return subjects


def normalise_policy(settings):
    """Validate the role's inputs and return the normalised policy.

    ``settings`` holds the role variables without their ``migration_health_``
    prefix: ``sync_tasks`` (a list of ids or ``{id, <overrides>}`` dicts, or
    ``"all"``), ``datasets``, ``window`` and the thresholds.  Missing keys take
    ``DEFAULT_POLICY``.  A threshold of ``None`` disables its check.  Raises
    ``MigrationHealthError`` with the offending input in the message.
    """
    if settings is None:
        settings = {}
    if not isinstance(settings, dict):
        raise MigrationHealthError('the policy must be a dict, got %r' % (settings,))
    merged = dict(DEFAULT_POLICY)
    merged.update(settings)

    sync_tasks = merged.get('sync_tasks')
    all_tasks = isinstance(sync_tasks, str) and sync_tasks.strip().lower() == 'all'
    if isinstance(sync_tasks, str) and not all_tasks:
        raise MigrationHealthError(
            'sync_tasks: %r is neither "all" nor a list of sync task ids' % (sync_tasks,))
    tasks = [] if all_tasks else _normalise_subjects(sync_tasks, 'sync_tasks', TASK_THRESHOLDS)
    datasets = _normalise_subjects(merged.get('datasets'), 'datasets', DATASET_THRESHOLDS)

    if not all_tasks and not tasks and not datasets:
        raise MigrationHealthError(
            'nothing to gate: give sync_tasks (a list of ids, or "all") and/or datasets')

    window, window_ms = _check_duration(merged.get('window'), 'window')
    if window is None:
        raise MigrationHealthError('window: a duration such as "1h" is required')

    skip_checks = merged.get('skip_checks') or []
    if isinstance(skip_checks, str):
        skip_checks = [skip_checks]
    if not isinstance(skip_checks, (list, tuple)):
        raise MigrationHealthError('skip_checks: %r is not a list of check ids' % (skip_checks,))
    unknown = [check for check in skip_checks if check not in SKIPPABLE_CHECKS]
    if unknown:
        raise MigrationHealthError('skip_checks: unknown check id(s) %s; choose from %s'
                                   % (', '.join(str(check) for check in unknown), ', '.join(SKIPPABLE_CHECKS)))

    defaults = _normalise_thresholds(merged, TASK_THRESHOLDS + DATASET_THRESHOLDS, '')
    for key in ('allowed_task_statuses', 'allowed_dataset_statuses'):
        if defaults.get(key) is None:
            raise MigrationHealthError('%s: a non-empty list of statuses is required' % key)

    return {
        'all_sync_tasks': all_tasks,
        'sync_tasks': tasks,
        'sync_task_ids': [task['id'] for task in tasks],
        'datasets': datasets,
        'dataset_ids': [dataset['id'] for dataset in datasets],
        'window': window,
        'window_ms': window_ms,
        'thresholds': defaults,
        'skip_checks': sorted(set(skip_checks)),
    }


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
        ratio = round(failures / requests, 6)
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
    label = 'sync task' if check['kind'] == KIND_SYNC_TASK else 'dataset'
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
    window_bounds = _window_bounds(statistics_by_id, policy, now)
    return {
        'schema_version': SCHEMA_VERSION,
        'healthy': not failed,
        'verdict': 'HEALTHY' if not failed else 'UNHEALTHY',
        'evaluated_at_ms': now,
        'evaluated_at': ms_to_iso(now),
        'window': window_bounds,
        'selection': 'all' if policy['all_sync_tasks'] else 'list',
        'thresholds': dict(defaults),
        'skip_checks': list(policy.get('skip_checks') or []),
        'counts': {
            'sync_tasks': len(task_entries),
            'sync_tasks_unhealthy': sum(1 for entry in task_entries if not entry['healthy']),
            'datasets': len(dataset_entries),
            'datasets_unhealthy': sum(1 for entry in dataset_entries if not entry['healthy']),
            'checks': len(checks.entries),
            'checks_passed': len(checks.entries) - len(failed),
            'checks_failed': len(failed),
            'checks_skipped': sum(1 for check in checks.entries if check['skipped']),
        },
        'sync_tasks': task_entries,
        'datasets': dataset_entries,
        'checks': checks.entries,
        'violations': [violation_line(check) for check in failed],
    }


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
    lines = ['Migration health gate FAILED: %d of %d checks failed (%d of %d sync tasks, %d of %d datasets unhealthy)'
             % (counts['checks_failed'], counts['checks'], counts['sync_tasks_unhealthy'], counts['sync_tasks'],
                counts['datasets_unhealthy'], counts['datasets'])]
    lines.extend('- ' + line for line in fact['violations'])
    return '\n'.join(lines)


# ---------------------------------------------------------------------------
# JUnit XML
# ---------------------------------------------------------------------------

# Characters XML 1.0 cannot carry at all, even escaped.
_XML_INVALID = re.compile(u'[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]')


def _xml_text(value):
    return _xml_escape(_XML_INVALID.sub(u'\ufffd', u'' if value is None else str(value)))


def _xml_attr(value):
    return _xml_text(value).replace('"', '&quot;').replace('\n', '&#10;').replace('\r', '&#13;').replace('\t', '&#9;')


def render_junit(fact):
    """Render the health fact as JUnit XML: one testsuite, one testcase per check."""
    counts = fact['counts']
    suite_attrs = {
        'name': 'migration-health',
        'tests': counts['checks'],
        'failures': counts['checks_failed'],
        'errors': 0,
        'skipped': counts['checks_skipped'],
        'timestamp': (fact.get('evaluated_at') or '').rstrip('Z'),
        'time': '0',
    }
    lines = ['<?xml version="1.0" encoding="UTF-8"?>']
    lines.append('<testsuites name="migration-health" tests="%d" failures="%d" errors="0" skipped="%d">'
                 % (counts['checks'], counts['checks_failed'], counts['checks_skipped']))
    attributes = ' '.join('%s="%s"' % (key, _xml_attr(value)) for key, value in suite_attrs.items())
    lines.append('  <testsuite %s>' % attributes)
    lines.append('    <properties>')
    window = fact.get('window') or {}
    properties = [
        ('verdict', fact.get('verdict')),
        ('window', window.get('duration')),
        ('window_start', window.get('start')),
        ('window_end', window.get('end')),
    ]
    for name, value in properties:
        lines.append('      <property name="%s" value="%s"/>' % (_xml_attr(name), _xml_attr(value)))
    lines.append('    </properties>')
    for check in fact['checks']:
        classname = 'migration_health.%s.%s' % (check['kind'], check['subject'])
        lines.append('    <testcase classname="%s" name="%s" time="0">' % (_xml_attr(classname), _xml_attr(check['id'])))
        detail = 'observed: %s\nthreshold: %s\n%s' % (
            check['observed_display'], check['threshold_display'], check['message'])
        if not check['passed']:
            lines.append('      <failure message="%s" type="%s">%s</failure>'
                         % (_xml_attr(check['message']), _xml_attr(check['id']), _xml_text(detail)))
        elif check['skipped']:
            lines.append('      <skipped message="%s"/>' % _xml_attr(check['message']))
        lines.append('      <system-out>%s</system-out>' % _xml_text(detail))
        lines.append('    </testcase>')
    lines.append('  </testsuite>')
    lines.append('</testsuites>')
    return '\n'.join(lines) + '\n'


# ---------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------

def _h(value):
    """HTML-escape any value (quotes included, so it is safe in attributes too)."""
    text = u'' if value is None else str(value)
    return _XML_INVALID.sub(u'\ufffd', text).replace('&', '&amp;').replace('<', '&lt;').replace(
        '>', '&gt;').replace('"', '&quot;').replace("'", '&#39;')


_CSS = """
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 24px; color: #1f2328; }
h1 { margin: 0 0 4px 0; font-size: 24px; }
h2 { margin-top: 32px; font-size: 18px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
.meta { color: #57606a; font-size: 13px; }
.verdict { display: inline-block; padding: 8px 16px; border-radius: 6px; font-weight: bold; font-size: 20px;
  margin: 12px 0; color: #fff; }
.verdict.healthy { background: #1a7f37; }
.verdict.unhealthy { background: #cf222e; }
table { border-collapse: collapse; font-size: 13px; margin-top: 8px; }
th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
td.id { white-space: nowrap; font-family: monospace; }
th { background: #f6f8fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.pass { color: #1a7f37; font-weight: bold; }
.fail { color: #cf222e; font-weight: bold; }
.skip { color: #57606a; }
tr.failed td { background: #ffebe9; }
.violations li { color: #cf222e; font-family: monospace; }
.chart { margin: 8px 16px 16px 0; display: inline-block; vertical-align: top; }
.chart h3 { font-size: 14px; margin: 8px 0 4px 0; }
svg text { font-family: Helvetica, Arial, sans-serif; font-size: 11px; fill: #57606a; }
"""


def _fmt(value):
    return '' if value is None else value


def _nice_step(raw):
    """The smallest 1, 2, 2.5 or 5 times a power of ten that is >= ``raw``, as a whole number >= 1."""
    step = 1
    while True:
        for factor in (1, 2, 2.5, 5):
            value = step * factor
            if value >= raw and float(value).is_integer():
                return int(value)
        step *= 10


def _chart_svg(task, window):
    """An inline SVG line chart of one task's REQUEST, SUCCESS and FAILURE buckets."""
    width, height = 580, 220
    left, right, top, bottom = 56, 16, 16, 52
    plot_w, plot_h = width - left - right, height - top - bottom
    series = task.get('series') or {}
    start = window.get('start_time')
    end = window.get('end_time')
    bucket = BUCKET_MS.get(task.get('statistic_time_type'), 0)
    stamps = sorted({point[0] for data_type in CHART_TYPES for point in series.get(data_type) or []})
    if start is None or end is None or end <= start:
        start = stamps[0] if stamps else 0
        end = stamps[-1] if stamps else 1
    if stamps:
        start = min(start, stamps[0])
        end = max(end, stamps[-1])
    if end <= start:
        end = start + 1

    # Empty buckets are omitted by the API: put zeros back on the bucket grid so
    # a line does not bridge a gap as if objects kept flowing.
    grid = None
    if bucket and stamps and (end - start) // bucket < CHART_MAX_GRID:
        anchor = stamps[0] % bucket
        first = start - ((start - anchor) % bucket)
        if first < start:
            first += bucket
        # Only buckets that started inside the window: one starting at its end has no data yet.
        grid = list(range(first, end, bucket))
        grid = sorted(set(grid) | set(stamps))

    values = {}
    peak = 0
    for data_type in CHART_TYPES:
        points = dict((point[0], point[1]) for point in series.get(data_type) or [])
        if grid is not None:
            values[data_type] = [(stamp, points.get(stamp, 0)) for stamp in grid]
        else:
            values[data_type] = sorted(points.items())
        for _stamp, count in values[data_type]:
            peak = max(peak, count)
    y_step = _nice_step(peak / 4.0)
    y_max = y_step * 4

    def x_of(stamp):
        return left + plot_w * (stamp - start) / (end - start)

    def y_of(count):
        return top + plot_h - plot_h * count / y_max

    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" '
             'aria-label="%s">' % (width, height, width, height, _h('statistics of sync task %s' % task['id']))]
    parts.append('<rect x="0" y="0" width="%d" height="%d" fill="#ffffff"/>' % (width, height))
    # Horizontal grid lines and y labels.
    for step in range(5):
        count = y_step * step
        y = y_of(count)
        parts.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#eaeef2"/>' % (left, y, left + plot_w, y))
        label = ('%d' % count) if float(count).is_integer() else ('%g' % count)
        parts.append('<text x="%d" y="%.1f" text-anchor="end">%s</text>' % (left - 6, y + 4, _h(label)))
    # Axes.
    parts.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#57606a"/>' % (left, top, left, top + plot_h))
    parts.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#57606a"/>'
                 % (left, top + plot_h, left + plot_w, top + plot_h))
    for fraction in (0, 0.5, 1):
        stamp = int(start + (end - start) * fraction)
        x = x_of(stamp)
        anchor = 'start' if fraction == 0 else ('end' if fraction == 1 else 'middle')
        iso = ms_to_iso(stamp)
        parts.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#57606a"/>'
                     % (x, top + plot_h, x, top + plot_h + 4))
        parts.append('<text x="%.1f" y="%d" text-anchor="%s">%s</text>'
                     % (x, top + plot_h + 16, anchor, _h(iso[11:16] + ' UTC' if fraction else iso[:16].replace('T', ' ') + ' UTC')))
    parts.append('<text x="12" y="%d" transform="rotate(-90 12 %d)" text-anchor="middle">objects per bucket</text>'
                 % (top + plot_h // 2, top + plot_h // 2))

    if not any(values[data_type] for data_type in CHART_TYPES):
        parts.append('<text x="%d" y="%d" text-anchor="middle" style="font-size:14px">no data in the window</text>'
                     % (left + plot_w // 2, top + plot_h // 2))
    for data_type in CHART_TYPES:
        points = values[data_type]
        if not points:
            continue
        colour = CHART_COLOURS[data_type]
        coords = ' '.join('%.1f,%.1f' % (x_of(stamp), y_of(count)) for stamp, count in points)
        # REQUEST is drawn first and wider so SUCCESS on top of it (the healthy
        # case: every request succeeds) still shows both lines.
        style = 'stroke-width="5" stroke-opacity="0.35"' if data_type == 'REQUEST' else 'stroke-width="2"'
        parts.append('<polyline fill="none" stroke="%s" %s points="%s" data-series="%s"/>'
                     % (colour, style, coords, data_type))
        if len(points) <= 100:
            for stamp, count in points:
                if count:
                    parts.append('<circle cx="%.1f" cy="%.1f" r="2.5" fill="%s"><title>%s %s: %d</title></circle>'
                                 % (x_of(stamp), y_of(count), colour, data_type, _h(ms_to_iso(stamp)), count))
    # Legend.
    legend_y = height - 12
    legend_x = left
    for data_type in CHART_TYPES:
        total = sum(count for _stamp, count in values[data_type])
        parts.append('<rect x="%d" y="%d" width="12" height="4" fill="%s"/>'
                     % (legend_x, legend_y - 4, CHART_COLOURS[data_type]))
        parts.append('<text x="%d" y="%d">%s (%d)</text>' % (legend_x + 16, legend_y, data_type, total))
        legend_x += 140
    parts.append('</svg>')
    return ''.join(parts)


def _status_cell(passed, skipped=False):
    if not passed:
        return '<td class="fail">FAIL</td>'
    if skipped:
        return '<td class="skip">SKIP</td>'
    return '<td class="pass">PASS</td>'


def render_html(fact, title='Migration health'):
    """Render the health fact as one self-contained HTML page (inline CSS and SVG, no script)."""
    counts = fact['counts']
    window = fact.get('window') or {}
    healthy = fact.get('healthy')
    verdict = fact.get('verdict') or ('HEALTHY' if healthy else 'UNHEALTHY')
    out = ['<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           '<title>%s: %s</title>' % (_h(title), _h(verdict)),
           '<style>%s</style>' % _CSS, '</head>', '<body>']
    out.append('<h1>%s</h1>' % _h(title))
    out.append('<div class="meta">Evaluated %s &middot; window %s (%s to %s)</div>'
               % (_h(fact.get('evaluated_at')), _h(window.get('duration')), _h(window.get('start')),
                  _h(window.get('end'))))
    out.append('<div class="verdict %s" id="verdict">%s</div>' % ('healthy' if healthy else 'unhealthy', _h(verdict)))
    out.append('<p>%d of %d checks failed; %d of %d sync tasks and %d of %d datasets unhealthy.</p>'
               % (counts['checks_failed'], counts['checks'], counts['sync_tasks_unhealthy'], counts['sync_tasks'],
                  counts['datasets_unhealthy'], counts['datasets']))
    if fact.get('violations'):
        out.append('<h2>Violations</h2><ul class="violations">')
        out.extend('<li>%s</li>' % _h(line) for line in fact['violations'])
        out.append('</ul>')

    out.append('<h2>Sync tasks</h2>')
    if fact['sync_tasks']:
        out.append('<table><thead><tr><th>Sync task</th><th>Result</th><th>Status</th><th>Buckets</th>'
                   '<th>Requested</th><th>Succeeded</th><th>Failed</th><th>Window failure ratio</th>'
                   '<th>Monthly failure ratio</th><th>Last success</th><th>Age</th></tr></thead><tbody>')
        for task in fact['sync_tasks']:
            buckets = ' &rarr; '.join(_h(task.get(key)) for key in ('src_bucket', 'dst_bucket') if task.get(key))
            out.append('<tr class="%s"><td class="id">%s</td>%s<td>%s</td><td>%s</td><td class="num">%s</td>'
                       '<td class="num">%s</td><td class="num">%s</td><td class="num">%s</td><td class="num">%s</td>'
                       '<td>%s</td><td>%s</td></tr>'
                       % ('' if task['healthy'] else 'failed', _h(task['id']), _status_cell(task['healthy']),
                          _h(_fmt(task.get('status')) if task['found'] else 'NOT FOUND'), buckets,
                          _h(_fmt(task.get('window_request_total'))), _h(_fmt(task.get('window_success_total'))),
                          _h(_fmt(task.get('window_failure_total'))),
                          _h(format_ratio(task.get('window_failure_ratio'))),
                          _h(format_ratio(task.get('monthly_failure_ratio'))),
                          _h(_fmt(task.get('last_success'))),
                          _h(_fmt(task.get('last_success_age')))))
        out.append('</tbody></table>')
    else:
        out.append('<p>No sync tasks were gated.</p>')

    out.append('<h2>Datasets</h2>')
    if fact['datasets']:
        out.append('<table><thead><tr><th>Dataset</th><th>Result</th><th>Status</th><th>Error</th></tr></thead><tbody>')
        for dataset in fact['datasets']:
            error = ': '.join(str(part) for part in (dataset.get('error_code'), dataset.get('error_msg')) if part)
            out.append('<tr class="%s"><td class="id">%s</td>%s<td>%s</td><td>%s</td></tr>'
                       % ('' if dataset['healthy'] else 'failed', _h(dataset['id']), _status_cell(dataset['healthy']),
                          _h(_fmt(dataset.get('status')) if dataset['found'] else 'NOT FOUND'), _h(error)))
        out.append('</tbody></table>')
    else:
        out.append('<p>No datasets were gated.</p>')

    charted = [task for task in fact['sync_tasks'] if task.get('found')]
    if charted:
        out.append('<h2>Sync task statistics over the window</h2>')
        for task in charted:
            out.append('<div class="chart"><h3>%s <span class="meta">%s</span></h3>%s</div>'
                       % (_h(task['id']), _h(_fmt(task.get('statistic_time_type'))), _chart_svg(task, window)))

    out.append('<h2>Checks</h2>')
    out.append('<table><thead><tr><th>Subject</th><th>Kind</th><th>Check</th><th>Observed</th><th>Threshold</th>'
               '<th>Result</th><th>Message</th></tr></thead><tbody>')
    for check in fact['checks']:
        out.append('<tr class="%s"><td class="id">%s</td><td>%s</td><td class="id">%s</td><td>%s</td><td>%s</td>%s'
                   '<td>%s</td></tr>'
                   % ('' if check['passed'] else 'failed', _h(check['subject']), _h(check['kind']), _h(check['id']),
                      _h(check['observed_display']), _h(check['threshold_display']),
                      _status_cell(check['passed'], check['skipped']), _h(check['message'])))
    out.append('</tbody></table>')

    out.append('</body>')
    out.append('</html>')
    return '\n'.join(out) + '\n'


# ---------------------------------------------------------------------------
# Ansible filter wrappers
# ---------------------------------------------------------------------------

def _plain(value):
    """Copy Ansible's lazy/tagged containers into plain dicts and lists."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, str):
        return str(value)
    return value


def _filter_policy(settings):
    try:
        return normalise_policy(_plain(settings))
    except MigrationHealthError as exc:
        raise AnsibleFilterError('migration_health: %s' % exc)


def _filter_evaluate(results, policy, now_ms=None):
    try:
        return evaluate(_plain(results), _plain(policy), now_ms=now_ms)
    except MigrationHealthError as exc:
        raise AnsibleFilterError('migration_health: %s' % exc)


def _filter_junit(fact):
    return render_junit(_plain(fact))


def _filter_html(fact, title='Migration health'):
    return render_html(_plain(fact), title=title)


def _filter_failure_message(fact):
    return failure_message(_plain(fact))


class FilterModule(object):
    """Filters of the migration_health role."""

    def filters(self):
        return {
            'migration_health_policy': _filter_policy,
            'migration_health_evaluate': _filter_evaluate,
            'migration_health_junit': _filter_junit,
            'migration_health_html': _filter_html,
            'migration_health_failure_message': _filter_failure_message,
        }
