# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The gate's evaluation: module results + policy -> the ``migration_health`` fact.

This is where the verdict is made.  Plain Python on plain data (no Ansible
objects), unit-tested directly; the shape of the fact is
``docs/migration_health_fact.schema.json`` (shipped as ``_health_schema``).
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import (
    ms_to_iso,
    now_ms as _current_ms,
)
from ansible_collections.hwcloud.migration.plugins.plugin_utils._health_charts import chart_columns, downsample_series
from ansible_collections.hwcloud.migration.plugins.plugin_utils._health_checks import (
    Checks,
    dataset_checks,
    missing_check,
    task_checks,
    task_observed,
)
from ansible_collections.hwcloud.migration.plugins.plugin_utils._health_checks_migration import (
    evaluate_migration,
    resolve_deadline,
)
from ansible_collections.hwcloud.migration.plugins.plugin_utils._health_constants import (
    BUCKET_MS,
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


def _result_list(result, key):
    """The list ``key`` of a registered module result; a skipped or absent call gives []."""
    if not isinstance(result, dict):
        return []
    value = result.get(key)
    return value if isinstance(value, list) else []


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
    defaults = resolve_deadline(policy['thresholds'], now)

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

    checks = Checks(policy.get('skip_checks') or ())
    task_entries = []
    for item in selection:
        task_id = item['id']
        thresholds = _effective(defaults, item['overrides'], TASK_THRESHOLDS)
        first = len(checks.entries)
        task = tasks_by_id.get(task_id)
        if task is None:
            # Anything asked for and not returned is missing, whether or not the
            # module listed it under ``missing``.
            missing_check(checks, 'task-found', task_id, KIND_SYNC_TASK, 'sync task')
            observed = task_observed(None)
        else:
            checks.add('task-found', task_id, KIND_SYNC_TASK, True, True, True,
                       'sync task %s exists' % task_id, observed_display='found', threshold_display='found')
            observed = task_checks(checks, task_id, task, statistics_by_id.get(task_id), thresholds, now, window)
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
            missing_check(checks, 'dataset-found', dataset_id, KIND_DATASET, 'dataset')
            observed = {'status': None, 'error_code': None, 'error_msg': None, 'finished': None,
                        'succeeded': None, 'task_id': None, 'total_sample_count': None}
        else:
            checks.add('dataset-found', dataset_id, KIND_DATASET, True, True, True,
                       'dataset %s exists' % dataset_id, observed_display='found', threshold_display='found')
            observed = dataset_checks(checks, dataset_id, dataset_sync, thresholds['allowed_dataset_statuses'])
        own = checks.entries[first:]
        entry = {'id': dataset_id, 'found': dataset_sync is not None}
        entry.update(observed)
        entry['thresholds'] = thresholds
        entry['overridden'] = sorted(item['overrides'])
        entry['failed_checks'] = [check['id'] for check in own if not check['passed']]
        entry['healthy'] = not entry['failed_checks']
        dataset_entries.append(entry)

    subjects = {KIND_SYNC_TASK: task_entries, KIND_DATASET: dataset_entries}
    subjects.update(evaluate_migration(results, policy, defaults, checks, now))
    failed = [check for check in checks.entries if not check['passed']]
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
    # Only the kinds the gate looked at: "0 of 0 task groups" says nothing.
    gated = [kind for kind in SUBJECT_KINDS if counts.get(kind['count_key'])] or SUBJECT_KINDS[:2]
    unhealthy = ', '.join(
        '%d of %d %s' % (counts.get(kind['count_key'] + '_unhealthy', 0), counts.get(kind['count_key'], 0),
                         kind['plural'])
        for kind in gated)
    lines = ['Migration health gate FAILED: %d of %d checks failed (%s unhealthy)'
             % (counts['checks_failed'], counts['checks'], unhealthy)]
    lines.extend('- ' + line for line in fact['violations'])
    return '\n'.join(lines)
