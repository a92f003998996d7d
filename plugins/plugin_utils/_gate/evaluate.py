# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The gate's evaluation: module results + policy -> the ``migration_health`` fact.

This is where the verdict is made.  Plain Python on plain data (no Ansible
objects), unit-tested directly; one loop over the subject kinds of
``_gate/kinds.KINDS``.  The shape of the fact is
``docs/migration_health_fact.schema.json`` (shipped as ``_gate/schema``).
"""

from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import ms_to_iso
from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import now_ms as _current_ms
from ansible_collections.hwcloud.migration.plugins.module_utils._values import is_count
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks.common import Checks, SubjectChecks
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import (
    BUCKET_MS,
    DEFAULT_POLICY,
    ERRORS_IN_SUMMARY,
    FAILURE_CODE_THRESHOLDS,
    SCHEMA_VERSION,
    SERIES_POINT_BUDGET,
    SPARKLINE_COLUMNS,
    VERDICT_ERROR,
    VERDICT_HEALTHY,
    VERDICT_UNHEALTHY,
    MigrationHealthError,
)
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.deadline import resolve_deadline
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.kinds import KINDS, KINDS_BY_NAME, SubjectKind
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.policy import normalise_policy
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.results import error_line, gate_error, read_outcomes, subject_issues
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.schema import fact_errors
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports.downsample import chart_columns, chart_series, downsample_series


def violation_line(check: dict) -> str:
    """One line describing a failed check: subject, check, observed, threshold, message."""
    kind = KINDS_BY_NAME.get(check['kind'])
    label = kind.noun if kind else str(check['kind'])
    return '%s %s: %s observed %s, threshold %s - %s' % (
        label,
        check['subject'],
        check['id'],
        check['observed_display'],
        check['threshold_display'],
        check['message'],
    )


def _evaluate_kind(kind: SubjectKind, outcomes, policy, defaults, checks, now):
    """The fact entries of one kind: each subject asked for (or listed, with ``all``), its checks added to ``checks``."""
    listing = outcomes[kind.reads[0].key]
    if policy.get('all_' + kind.fact_key):
        selection = [{'id': subject_id, 'overrides': {}} for subject_id in listing.order]
    else:
        selection = policy.get(kind.fact_key) or []
    entries = []
    for item in selection:
        subject_id, overrides = item['id'], item['overrides']
        # (The failure codes only when the details are read: without them the kind has no such check.)
        keys = [key for key in kind.threshold_keys if key in defaults or key not in FAILURE_CODE_THRESHOLDS]
        thresholds = resolve_deadline({key: defaults.get(key) for key in keys}, now)
        thresholds.update(resolve_deadline(overrides, now))
        bodies = tuple(outcomes[read.key].items.get(subject_id) for read in kind.reads)
        subject = SubjectChecks(checks, subject_id, kind.name)
        # Anything asked for and not returned is missing, whether or not the module listed it under ``missing``.
        subject.found(kind.found_check, kind.noun, bodies[0] is not None)
        observed = kind.unread() if bodies[0] is None else kind.evaluate(subject, bodies, thresholds, now=now, window=policy['window'])
        entry = {'id': subject_id, 'found': bodies[0] is not None}
        entry.update(observed)
        entry['thresholds'] = thresholds
        entry['overridden'] = sorted(key for key in overrides if key in kind.thresholds)
        entries.append(entry)
    return entries


def evaluate(results: object, policy: object, now_ms: int | None = None, errors=()) -> dict:
    """Evaluate the module results against the policy and return the health fact.

    ``results`` is a dict of registered module results keyed by read name
    (``_reads/names.READS``: ``sync_task_info``, ``sync_task_statistics_info``,
    ``dataset_sync_info``, ``migration_task_info``, ``task_group_info``),
    failed ones included (they are read as far as they go: see
    ``_gate/results``); a result that is absent or skipped means "not read".
    ``policy`` is a ``normalise_policy()`` result or the raw settings it
    accepts.  ``now_ms`` is the reference time for ages (the current time when
    ``None``; tests inject it).  ``errors`` are errors of the gate found before
    the evaluation (``gate_error`` entries); any makes the verdict ERROR.

    The verdict is ERROR when the gate could not see everything it was asked
    to gate (a read failed, an answer could not be used, ``all`` found nothing
    without ``allow_empty``), else UNHEALTHY when a check failed, else HEALTHY.
    """
    if not isinstance(policy, dict) or 'thresholds' not in policy:
        policy = normalise_policy(policy)
    now = _current_ms() if now_ms is None else int(now_ms)
    defaults = resolve_deadline(policy['thresholds'], now)

    outcomes = read_outcomes(results, KINDS)
    checks = Checks(policy.get('skip_checks') or ())
    subjects = {kind.name: _evaluate_kind(kind, outcomes, policy, defaults, checks, now) for kind in KINDS}
    _apply_read_issues(checks, subjects, outcomes)

    window_bounds = _window_bounds([outcomes[kind.series_read].items for kind in KINDS if kind.charted], policy, now)
    charted = [(entry, outcomes[kind.series_read].items) for kind in KINDS if kind.charted for entry in subjects[kind.name]]
    failing = sum(1 for entry, _series in charted if entry['found'] and not entry['healthy'])
    columns = chart_columns(failing, len(charted) - failing, SERIES_POINT_BUDGET)
    for entry, series in charted:
        # One subject's full series at a time, kept only when asked for: a large gate never holds them all.
        if entry['found']:
            entry['series'] = chart_series(series.get(entry['id']))
        _downsample_entry(entry, window_bounds, None if policy.get('full_series') else SPARKLINE_COLUMNS if entry['healthy'] else columns)

    gate_errors = [dict(error) for error in errors or ()]
    for outcome in outcomes.values():
        # A read of several kinds (failed objects) fails as a whole once, not once per kind.
        gate_errors.extend(error for error in outcome.errors if error not in gate_errors)
    gate_errors.extend(_empty_selection_errors(policy, subjects, outcomes))
    return _fact(policy, now, window_bounds, subjects, checks.entries, gate_errors)


def evaluate_failing_gate(results: object, policy: object, errors) -> dict:
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


def checked_fact(fact: dict, errors=()) -> tuple:
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

    Per kind, from its ``reads`` in ``KINDS``: nothing here knows a check by name.
    """
    by_subject = {}
    for check in checks.entries:
        by_subject.setdefault((check['kind'], check['subject']), []).append(check)
    for kind in KINDS:
        for entry in subjects.get(kind.name, []):
            own = by_subject.get((kind.name, entry['id']), [])
            for read in kind.reads:
                for reason, affected in subject_issues(outcomes[read.key], entry['id'], kind.found_check, read=read):
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
    for kind in KINDS:
        if not policy.get('all_' + kind.fact_key) or subjects.get(kind.name):
            continue
        if outcomes[kind.reads[0].key].errors:
            continue  # the failed listing is the error already
        errors.append(
            gate_error(
                'selection',
                'migration_health_%s is "all" but the project has no %s: nothing was gated; check the region and project, '
                'or set migration_health_allow_empty: true if an empty project is acceptable' % (kind.fact_key, kind.plural),
                field=kind.fact_key,
            )
        )
    return errors


def _counts(subjects, checks):
    counts = {}
    for kind in KINDS:
        entries = subjects.get(kind.name, [])
        counts[kind.fact_key] = len(entries)
        counts[kind.fact_key + '_unhealthy'] = sum(1 for entry in entries if not entry['healthy'])
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


def error_summary(errors: list, not_evaluated: int) -> str | None:
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
    for kind in KINDS:
        fact[kind.fact_key] = subjects.get(kind.name, [])
    fact['checks'] = checks
    fact['violations'] = [violation_line(check) for check in checks if not check['passed']]
    fact['errors'] = errors
    return fact


def error_fact(errors: list, policy: dict | None = None, now_ms: int | None = None) -> dict:
    """A fact that says ERROR and why, when there is nothing to evaluate (invalid inputs, a run not finished).

    ``policy`` is a normalised policy when one is known (its window and
    thresholds are shown), else the defaults stand in.
    """
    now = _current_ms() if now_ms is None else int(now_ms)
    if not isinstance(policy, dict) or 'thresholds' not in policy:
        defaults = normalise_policy(dict(DEFAULT_POLICY, sync_tasks='all'))
        policy = dict(defaults, all_sync_tasks=False)
    window_bounds = _window_bounds((), policy, now)
    return _fact(policy, now, window_bounds, {}, [], [dict(error) for error in errors] or [gate_error('gate', 'the gate could not be evaluated')])


def _downsample_entry(entry, window, columns):
    """Keep the buckets the report can draw: ``columns`` columns of at most two points each (None: every bucket).

    Per column the lowest and highest bucket stay, so a burst is never averaged
    away; ``series_downsampled`` tells a reader (and the chart) that the empty
    buckets are then written out as zeros.
    """
    bucket = BUCKET_MS.get(entry.get('statistic_time_type'), 0)
    series, downsampled = downsample_series(entry.get('series') or {}, window['start_time'], window['end_time'], bucket, columns)
    entry['series'] = series
    entry['series_downsampled'] = downsampled


def _window_bounds(series_reads, policy, now):
    """The window the statistics covered (from the module's summary), else now minus the window."""
    for entry in (entry for items in series_reads for entry in items.values()):
        summary = entry.get('summary') if isinstance(entry, dict) else None
        window = summary.get('window') if isinstance(summary, dict) else None
        if isinstance(window, dict) and is_count(window.get('start_time')) and is_count(window.get('end_time')) and window['start_time'] < window['end_time']:
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


def failure_message(fact: dict) -> str:
    """The text the role fails with: a headline, each failed read, then one violation per line."""
    counts = fact['counts']
    # Only the kinds the gate looked at: "0 of 0 task groups" says nothing.
    gated = [kind for kind in KINDS if counts.get(kind.fact_key)] or KINDS[:2]
    unhealthy = ', '.join('%d of %d %s' % (counts.get(kind.fact_key + '_unhealthy', 0), counts.get(kind.fact_key, 0), kind.plural) for kind in gated)
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
