# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The gate's evaluation: module results + policy -> the ``migration_health`` fact.

This is where the verdict is made.  Plain Python on plain data (no Ansible
objects), unit-tested directly; the shape of the fact is
``docs/migration_health_fact.schema.json`` (shipped as ``_health_schema``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import ms_to_iso
from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import now_ms as _current_ms
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks.common import Checks, dataset_checks, missing_check
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks.migration import evaluate_migration, resolve_deadline
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks.sync import task_checks, task_observed
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import (
    BUCKET_MS,
    DATASET_THRESHOLDS,
    DEFAULT_POLICY,
    ERRORS_IN_SUMMARY,
    KIND_DATASET,
    KIND_SYNC_TASK,
    KINDS_BY_NAME,
    SCHEMA_VERSION,
    SERIES_POINT_BUDGET,
    SPARKLINE_COLUMNS,
    SUBJECT_KINDS,
    TASK_THRESHOLDS,
    VERDICT_ERROR,
    VERDICT_HEALTHY,
    VERDICT_UNHEALTHY,
    MigrationHealthError,
)
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.policy import normalise_policy
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.results import error_line, gate_error, read_outcomes, subject_issues
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.schema import fact_errors
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports.charts import chart_columns, downsample_series


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
        label,
        check['subject'],
        check['id'],
        check['observed_display'],
        check['threshold_display'],
        check['message'],
    )


def evaluate(results, policy, now_ms=None, errors=()):
    """Evaluate the module results against the policy and return the health fact.

    ``results`` is a dict of registered module results: ``sync_task_info``
    (``oms_sync_task_info``), ``sync_task_statistics_info``
    (``oms_sync_task_statistics_info``), ``dataset_sync_info``
    (``modelarts_dataset_sync_info``), ``migration_task_info``
    (``oms_migration_task_info``) and ``task_group_info``
    (``oms_task_group_info``), failed ones included (they are read as
    far as they go: see ``_health_reads``); a result that is absent or skipped
    means "not read".  ``policy`` is a ``normalise_policy()`` result or the raw
    settings it accepts.  ``now_ms`` is the reference time for ages (the
    current time when ``None``; tests inject it).  ``errors`` are errors of
    the gate found before the evaluation (``_health_reads.gate_error``
    entries); any makes the verdict ERROR.

    The verdict is ERROR when the gate could not see everything it was asked
    to gate (a read failed, an answer could not be used, ``all`` found nothing
    without ``allow_empty``), else UNHEALTHY when a check failed, else HEALTHY.
    """
    if not isinstance(policy, dict) or 'thresholds' not in policy:
        policy = normalise_policy(policy)
    now = _current_ms() if now_ms is None else int(now_ms)
    window = policy['window']
    defaults = resolve_deadline(policy['thresholds'], now)

    outcomes = read_outcomes(results)
    tasks_by_id = outcomes['sync_task_info'].items
    statistics_by_id = outcomes['sync_task_statistics_info'].items
    datasets_by_id = outcomes['dataset_sync_info'].items

    if policy['all_sync_tasks']:
        selection = [{'id': task_id, 'overrides': {}} for task_id in outcomes['sync_task_info'].order]
    else:
        selection = policy['sync_tasks']

    checks = Checks(policy.get('skip_checks') or ())
    task_entries = []
    for item in selection:
        task_id = item['id']
        thresholds = _effective(defaults, item['overrides'], TASK_THRESHOLDS)
        task = tasks_by_id.get(task_id)
        if task is None:
            # Anything asked for and not returned is missing, whether or not the
            # module listed it under ``missing``.
            missing_check(checks, 'task-found', task_id, KIND_SYNC_TASK, 'sync task')
            observed = task_observed(None)
        else:
            checks.add(
                'task-found', task_id, KIND_SYNC_TASK, True, True, True, 'sync task %s exists' % task_id, observed_display='found', threshold_display='found'
            )
            observed = task_checks(checks, task_id, task, statistics_by_id.get(task_id), thresholds, now, window)
        entry = {'id': task_id, 'found': task is not None}
        entry.update(observed)
        entry['thresholds'] = thresholds
        entry['overridden'] = sorted(key for key in item['overrides'] if key != 'max_stall_age_ms')
        task_entries.append(entry)

    dataset_entries = []
    for item in policy['datasets']:
        dataset_id = item['id']
        thresholds = _effective(defaults, item['overrides'], DATASET_THRESHOLDS)
        dataset_sync = datasets_by_id.get(dataset_id)
        if dataset_sync is None:
            missing_check(checks, 'dataset-found', dataset_id, KIND_DATASET, 'dataset')
            observed = {'status': None, 'error_code': None, 'error_msg': None, 'finished': None, 'succeeded': None, 'task_id': None, 'total_sample_count': None}
        else:
            checks.add(
                'dataset-found',
                dataset_id,
                KIND_DATASET,
                True,
                True,
                True,
                'dataset %s exists' % dataset_id,
                observed_display='found',
                threshold_display='found',
            )
            observed = dataset_checks(checks, dataset_id, dataset_sync, thresholds['allowed_dataset_statuses'])
        entry = {'id': dataset_id, 'found': dataset_sync is not None}
        entry.update(observed)
        entry['thresholds'] = thresholds
        entry['overridden'] = sorted(item['overrides'])
        dataset_entries.append(entry)

    subjects = {KIND_SYNC_TASK: task_entries, KIND_DATASET: dataset_entries}
    subjects.update(evaluate_migration(outcomes, policy, defaults, checks, now))
    _apply_read_issues(checks, subjects, outcomes)

    window_bounds = _window_bounds(statistics_by_id, policy, now)
    if not policy.get('full_series'):
        failing = sum(1 for entry in task_entries if entry['found'] and not entry['healthy'])
        columns = chart_columns(failing, len(task_entries) - failing, SERIES_POINT_BUDGET)
        for entry in task_entries:
            _downsample_entry(entry, window_bounds, SPARKLINE_COLUMNS if entry['healthy'] else columns)

    gate_errors = [dict(error) for error in errors or ()]
    for outcome in outcomes.values():
        gate_errors.extend(outcome.errors)
    gate_errors.extend(_empty_selection_errors(policy, subjects, outcomes))
    return _fact(policy, now, window_bounds, subjects, checks.entries, gate_errors)


def evaluate_failing_gate(results, policy, errors):
    """The fact of a gate that is already failing (``errors``): what was read, evaluated, and ERROR.

    Whatever else goes wrong (invalid inputs, an unexpected answer) becomes one
    more error in an error fact, so the reports of a failing run are always
    written and always say why.
    """
    errors = list(errors)
    try:
        return evaluate(results, policy, errors=errors)
    except MigrationHealthError as exc:
        return error_fact(errors + [gate_error('inputs', str(exc))])
    except Exception as exc:  # pylint: disable=broad-except
        return error_fact(errors + [gate_error('evaluation', 'the evaluation failed: %s: %s' % (type(exc).__name__, exc))])


def checked_fact(fact, errors=()):
    """``(fact, problems)``: the fact checked against its schema (``problems`` lists what is wrong).

    For a gate already failing (``errors``), a fact that does not match becomes
    an error fact saying so: reporting a failure must not fail in turn.
    """
    problems = fact_errors(fact)
    if problems and errors:
        fact = error_fact(list(errors) + [gate_error('evaluation', 'the fact does not match its schema: ' + '; '.join(problems))])
        problems = fact_errors(fact)
    return fact, problems


def _apply_read_issues(checks, subjects, outcomes):
    """Fail, as not evaluated, each check a failed read or a flagged answer feeds; then settle each subject.

    Per kind, from its ``reads`` in ``SUBJECT_KINDS``: nothing here knows a check by name.
    """
    by_subject = {}
    for check in checks.entries:
        by_subject.setdefault((check['kind'], check['subject']), []).append(check)
    for kind in SUBJECT_KINDS:
        found_check = kind['checks'][0]
        for entry in subjects.get(kind['kind'], []):
            own = by_subject.get((kind['kind'], entry['id']), [])
            for read in kind.get('reads') or ():
                outcome = outcomes.get(read['result'])
                if outcome is None:
                    continue
                for reason, affected in subject_issues(outcome, entry['id'], found_check):
                    for check in own:
                        if check['id'] in affected:
                            checks.not_evaluated(check, reason)
            entry['failed_checks'] = [check['id'] for check in own if not check['passed']]
            entry['healthy'] = not entry['failed_checks']


def _empty_selection_errors(policy, subjects, outcomes):
    """``all`` that found nothing is an error unless the caller allows an empty project."""
    if policy.get('allow_empty'):
        return []
    errors = []
    for kind in SUBJECT_KINDS:
        if not policy.get('all_' + kind['fact_key']) or subjects.get(kind['kind']):
            continue
        listing = next((outcomes[read['result']] for read in kind.get('reads') or () if read['result'] in outcomes), None)
        if listing is not None and listing.errors:
            continue  # the failed listing is the error already
        errors.append(
            gate_error(
                'selection',
                '%s is "all" but the project has no %s: nothing was gated; check the region and project, '
                'or set migration_health_allow_empty: true if an empty project is acceptable' % (kind['fact_key'], kind['plural']),
                field=kind['fact_key'],
            )
        )
    return errors


def _counts(subjects, checks):
    counts = {}
    for kind in SUBJECT_KINDS:
        entries = subjects.get(kind['kind'], [])
        counts[kind['count_key']] = len(entries)
        counts[kind['count_key'] + '_unhealthy'] = sum(1 for entry in entries if not entry['healthy'])
    failed = [check for check in checks if not check['passed']]
    counts.update(
        {
            'checks': len(checks),
            'checks_passed': len(checks) - len(failed),
            'checks_failed': len(failed),
            'checks_skipped': sum(1 for check in checks if check['skipped']),
            'checks_not_evaluated': sum(1 for check in failed if not check['evaluated']),
        }
    )
    return counts


def error_summary(errors, not_evaluated):
    """The fact's ``error``: why the gate could not be evaluated, in one line (None when it could)."""
    parts = []
    if errors:
        shown = '; '.join(error_line(error) for error in errors[:ERRORS_IN_SUMMARY])
        more = len(errors) - ERRORS_IN_SUMMARY
        parts.append('%s%s' % (shown, ' (and %d more, see errors)' % more if more > 0 else ''))
    if not_evaluated:
        parts.append('%d check(s) could not be evaluated' % not_evaluated)
    if not parts:
        return None
    return 'the gate could not be evaluated: ' + '; '.join(parts)


def _fact(policy, now, window_bounds, subjects, checks, errors):
    counts = _counts(subjects, checks)
    if errors or counts['checks_not_evaluated']:
        verdict = VERDICT_ERROR
    elif counts['checks_failed']:
        verdict = VERDICT_UNHEALTHY
    else:
        verdict = VERDICT_HEALTHY
    fact = {
        'schema_version': SCHEMA_VERSION,
        'healthy': verdict == VERDICT_HEALTHY,
        'verdict': verdict,
        'error': error_summary(errors, counts['checks_not_evaluated']),
        'evaluated_at_ms': now,
        'evaluated_at': ms_to_iso(now),
        'window': window_bounds,
        'selection': 'all' if policy['all_sync_tasks'] else 'list',
        # A deadline relative to now ("+6h") as the time it stood for in this evaluation.
        'thresholds': resolve_deadline(policy['thresholds'], now),
        'skip_checks': list(policy.get('skip_checks') or []),
        'counts': counts,
    }
    for kind in SUBJECT_KINDS:
        fact[kind['fact_key']] = subjects.get(kind['kind'], [])
    fact['checks'] = checks
    fact['violations'] = [violation_line(check) for check in checks if not check['passed']]
    fact['errors'] = errors
    return fact


def error_fact(errors, policy=None, now_ms=None):
    """A fact that says ERROR and why, when there is nothing to evaluate (invalid inputs, a run not finished).

    ``policy`` is a normalised policy when one is known (its window and
    thresholds are shown), else the defaults stand in.
    """
    now = _current_ms() if now_ms is None else int(now_ms)
    if not isinstance(policy, dict) or 'thresholds' not in policy:
        defaults = normalise_policy(dict(DEFAULT_POLICY, sync_tasks='all'))
        policy = dict(defaults, all_sync_tasks=False)
    window_bounds = _window_bounds({}, policy, now)
    return _fact(policy, now, window_bounds, {}, [], [dict(error) for error in errors] or [gate_error('gate', 'the gate could not be evaluated')])


def _downsample_entry(entry, window, columns):
    """Keep the buckets the report can draw: ``columns`` columns of at most two points each.

    Per column the lowest and highest bucket stay, so a burst is never averaged
    away; ``series_downsampled`` tells a reader (and the chart) that the empty
    buckets are then written out as zeros.
    """
    bucket = BUCKET_MS.get(entry.get('statistic_time_type'), 0)
    series, downsampled = downsample_series(entry.get('series') or {}, window['start_time'], window['end_time'], bucket, columns)
    entry['series'] = series
    entry['series_downsampled'] = downsampled


def _is_time(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _window_bounds(statistics_by_id, policy, now):
    """The window the statistics covered (from the module's summary), else now minus the window."""
    for entry in statistics_by_id.values():
        summary = entry.get('summary') if isinstance(entry, dict) else None
        window = summary.get('window') if isinstance(summary, dict) else None
        if isinstance(window, dict) and _is_time(window.get('start_time')) and _is_time(window.get('end_time')) and window['start_time'] < window['end_time']:
            start, end = window['start_time'], window['end_time']
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
    """The text the role fails with: a headline, each failed read, then one violation per line."""
    counts = fact['counts']
    # Only the kinds the gate looked at: "0 of 0 task groups" says nothing.
    gated = [kind for kind in SUBJECT_KINDS if counts.get(kind['count_key'])] or SUBJECT_KINDS[:2]
    unhealthy = ', '.join('%d of %d %s' % (counts.get(kind['count_key'] + '_unhealthy', 0), counts.get(kind['count_key'], 0), kind['plural']) for kind in gated)
    headline = 'Migration health gate FAILED: %d of %d checks failed (%s unhealthy)' % (counts['checks_failed'], counts['checks'], unhealthy)
    if fact.get('verdict') == VERDICT_ERROR:
        headline = (
            'Migration health gate FAILED: ERROR, the gate could not be evaluated (%d error(s), '
            '%d check(s) not evaluated); %d of %d checks failed (%s unhealthy)'
            % (len(fact.get('errors') or []), counts.get('checks_not_evaluated', 0), counts['checks_failed'], counts['checks'], unhealthy)
        )
    lines = [headline]
    lines.extend('- error: ' + error_line(error) for error in fact.get('errors') or [])
    lines.extend('- ' + line for line in fact['violations'])
    return '\n'.join(lines)
