# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fact schema shipped with the plugins: every fact the gate builds matches it, and the report action refuses a user's fact that does not."""

import ast
import copy
import json
import random
from pathlib import Path
from unittest import mock

import jsonschema
import pytest
from ansible.errors import AnsibleActionFail
from ansible.playbook.play_context import PlayContext
from ansible.playbook.task import Task
from health_scale import NOW, scale_gate

from ansible_collections.hwcloud.migration.plugins.action.migration_health_report import ActionModule
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.statistics_summary import summarize_statistics
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate import constants as _health_constants
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate import kinds as _health_kinds
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.evaluate import error_fact, evaluate, evaluate_failing_gate
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.results import gate_error
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.schema import FACT_SCHEMA, SCHEMA_PATH, fact_errors

REPO = Path(__file__).resolve().parents[4]


@pytest.fixture(scope='module')
def small():
    return scale_gate(tasks=12)


def test_docs_schema_is_the_shipped_schema():
    docs = (REPO / 'docs' / 'migration_health_fact.schema.json').read_text()
    assert docs == Path(SCHEMA_PATH).read_text()
    assert json.loads(docs) == FACT_SCHEMA


def test_a_fact_passes_and_a_wrong_field_is_named(small):
    _results, _policy, fact = small
    assert fact_errors(fact) == []
    broken = copy.deepcopy(fact)
    broken['sync_tasks'][3]['window_failure_ratio'] = 'high'
    del broken['counts']['checks']
    errors = fact_errors(broken)
    assert any(error.startswith('health.sync_tasks[3].window_failure_ratio: ') for error in errors), errors
    assert any(error.startswith('health.counts: ') and "'checks'" in error for error in errors), errors


def test_verdicts_and_kinds_match_the_schema():
    assert sorted(FACT_SCHEMA['properties']['verdict']['enum']) == sorted(_health_constants.VERDICTS)
    check_ids = set(FACT_SCHEMA['$defs']['check_id']['enum'])
    assert set(_health_kinds.ALL_CHECKS) == check_ids
    for kind in _health_kinds.KINDS:
        assert kind.fact_key in FACT_SCHEMA['required']
        assert kind.fact_key + '_unhealthy' in FACT_SCHEMA['properties']['counts']['required']


def test_action_evaluates_the_named_results_from_task_vars(small):
    results, policy, fact = small
    task_vars = {'registered_tasks': results['sync_task_info'], 'registered_statistics': results['sync_task_statistics_info']}
    evaluated = ActionModule._evaluate(policy, {'sync_task_info': 'registered_tasks', 'sync_task_statistics_info': 'registered_statistics'}, task_vars)
    # The action evaluates at the current time: only the stall check's age depends on it.
    assert [check for check in evaluated['checks'] if check['id'] != 'stall'] == [check for check in fact['checks'] if check['id'] != 'stall']
    assert evaluated['counts']['sync_tasks'] == fact['counts']['sync_tasks'] == 12


def test_an_evaluation_that_crashes_gives_an_error_fact_not_a_crash(small, monkeypatch):
    from ansible_collections.hwcloud.migration.plugins.action import migration_health_report

    def crash(results, policy):
        raise OverflowError('date value out of range')

    monkeypatch.setattr(migration_health_report, 'evaluate', crash)
    results, policy, _fact = small
    task_vars = {'registered_tasks': results['sync_task_info']}
    fact = ActionModule._evaluate(policy, {'sync_task_info': 'registered_tasks'}, task_vars)
    assert fact['verdict'] == 'ERROR' and not fact_errors(fact)
    assert [(entry['step'], entry['message']) for entry in fact['errors']] == [('evaluation', 'the evaluation failed: OverflowError: date value out of range')]


def test_action_names_a_missing_variable_and_an_unknown_key(small):
    _results, policy, _fact = small
    with pytest.raises(AnsibleActionFail, match=r"results_from\.sync_task_info: 'nope' is not a variable"):
        ActionModule._evaluate(policy, {'sync_task_info': 'nope'}, {})
    with pytest.raises(AnsibleActionFail, match=r'results_from: unknown key\(s\) tasks'):
        ActionModule._evaluate(policy, {'tasks': 'x'}, {})
    with pytest.raises(AnsibleActionFail, match='migration_health: window'):
        ActionModule._evaluate(dict(policy, window='soon'), {}, {})


@pytest.mark.parametrize('path', ['plugins/filter/migration_health.py', 'plugins/action/migration_health_report.py'])
def test_doors_are_thin_and_nothing_imports_a_filter(path):
    source = (REPO / path).read_text()
    assert len(source.splitlines()) <= 110
    for module in (REPO / 'plugins').rglob('*.py'):
        tree = ast.parse(module.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert 'hwcloud.migration.plugins.filter' not in node.module, module
                assert 'hwcloud.migration.plugins.action' not in node.module, module


def test_policy_full_series_is_a_boolean():
    from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.policy import normalise_policy

    assert normalise_policy({'sync_tasks': ['a']})['full_series'] is False
    assert normalise_policy({'sync_tasks': ['a'], 'full_series': True})['full_series'] is True
    with pytest.raises(_health_constants.MigrationHealthError, match=r"full_series: 'yes please' is not a boolean"):
        normalise_policy({'sync_tasks': ['a'], 'full_series': 'yes please'})


# -- every fact the gate builds matches the schema --------------------------------
#
# The collection does not validate its own fact at run time: these generated
# gates hold evaluate(), evaluate_failing_gate() and error_fact() to the schema.

VALIDATOR = jsonschema.Draft202012Validator(FACT_SCHEMA)
BUCKET = 5 * 60 * 1000
HOUR = 3600 * 1000
SYNC_STATUSES = ['SYNCHRONIZING', 'STOPPED', 'ABNORMAL', 'CREATING', 'PAUSED', 'odd-status']
DATASET_STATUSES = ['COMPLETED', 'RUNNING', 'FAILED', 'INIT']


def _series(rng, buckets, start):
    points = []
    for index in range(buckets):
        if rng.random() < 0.8:
            points.append({'time_stamp': start + index * BUCKET, 'statistic_num': rng.choice((0, 1, 7, 250, 10**9))})
    return points


def _statistics(rng, task_id):
    start = NOW - HOUR
    first = start - start % BUCKET + BUCKET
    response = {
        'statistic_time_type': 'FIVE_MINUTES',
        'statistic_datas': [{'data_type': name, 'data': _series(rng, rng.choice((0, 3, 12)), first)} for name in ('REQUEST', 'SUCCESS', 'FAILURE')],
    }
    return dict(response, sync_task_id=task_id, summary=summarize_statistics(response, ['REQUEST', 'SUCCESS', 'FAILURE'], start, NOW))


def _sync_reads(rng, task_ids):
    tasks, statistics, missing, errors, problems = [], [], [], [], []
    for task_id in task_ids:
        fate = rng.random()
        if fate < 0.1:
            missing.append(task_id)
            continue
        if fate < 0.2:
            errors.append({'id': task_id, 'message': 'HTTP 503 from OMS', 'status': 503, 'error_code': 'OMS.0000', 'request_id': 'r-%s' % task_id})
            continue
        requested = rng.choice((0, 10, 1000, None))
        tasks.append(
            {
                'sync_task_id': task_id,
                'status': rng.choice(SYNC_STATUSES),
                'src_bucket': 'src-' + task_id,
                'dst_bucket': 'dst-' + task_id,
                'description': rng.choice(('', 'nightly <copy> & "more"', 'line\nbreak')),
                'monthly_acceptance_request': requested,
                'monthly_success_object': None if requested is None else rng.randint(0, requested),
                'monthly_failure_object': rng.choice((0, 5, 900, None)),
            }
        )
        if rng.random() < 0.15:
            problems.append({'id': task_id, 'field': 'monthly_failure_object', 'message': "'x' is not of type 'integer'"})
        if rng.random() < 0.9:
            statistics.append(_statistics(rng, task_id))
    sync_task_info = {'sync_tasks': tasks, 'missing': missing, 'problems': problems}
    if errors:
        sync_task_info.update(failed=True, msg='some sync tasks could not be read', errors=errors)
    return sync_task_info, {'sync_task_statistics': statistics, 'missing': []}


def _random_gate(rng):
    """``(results, policy)`` of a gate with every kind of subject, odd answers, failed and missing reads."""
    task_ids = ['task-%d' % index for index in range(rng.randint(0, 5))]
    dataset_ids = ['ds-%d' % index for index in range(rng.randint(0, 3))]
    migration_ids = [1000 + index for index in range(rng.randint(0, 3))]
    group_ids = ['g-%d' % index for index in range(rng.randint(0, 2))]
    if not (task_ids or dataset_ids or migration_ids or group_ids):
        task_ids = ['task-0']
    sync_task_info, statistics_info = _sync_reads(rng, task_ids)
    datasets = []
    for dataset_id in dataset_ids:
        status = rng.choice(DATASET_STATUSES)
        entry = {'dataset_id': dataset_id, 'status': status, 'finished': status in ('COMPLETED', 'FAILED'), 'succeeded': status == 'COMPLETED'}
        if status == 'FAILED':
            entry.update(error_code='ModelArts.4360', error_msg='sync <error>\n& "quotes"')
        datasets.append(entry)
    migration_tasks = []
    for task_id in migration_ids:
        body = {'id': task_id, 'name': 'copy-%d' % task_id, 'status': rng.randint(0, 7), 'failed_num': rng.choice((0, 3)), 'progress': rng.choice((0, 0.4, 1))}
        if rng.random() < 0.5:
            body.update(total_size=100, complete_size=40, error_reason={'error_code': 'TRF.0155', 'error_msg': 'gone'})
        # Counts that add up: counts-add-up passes, the other checks decide.
        body.update(successful_num=10, skipped_num=0, total_num=10 + body['failed_num'])
        migration_tasks.append(body)
    groups = [
        {'group_id': group_id, 'status': rng.randint(0, 9), 'failed_task_num': rng.choice((0, 1)), 'total_task_num': 4, 'fail_num': rng.choice((0, 2))}
        for group_id in group_ids
    ]
    for body in groups:
        body.update(success_num=10, skip_num=0, total_num=10 + body['fail_num'])
    results = {
        'sync_task_info': sync_task_info,
        'sync_task_statistics_info': statistics_info,
        'dataset_sync_info': {'dataset_syncs': datasets, 'missing': []},
        'migration_task_info': {'migration_tasks': migration_tasks, 'missing': [], 'complete': True, 'problems': []},
        'task_group_info': {'task_groups': groups, 'missing': []},
    }
    policy = {'sync_tasks': task_ids or None, 'datasets': dataset_ids or None, 'window': '1h', 'allowed_task_statuses': ['SYNCHRONIZING']}
    if migration_ids or group_ids:
        policy.update(migration_tasks=migration_ids or None, task_groups=group_ids or None, deadline=rng.choice(('+6h', '+1d')))
    if rng.random() < 0.3:
        policy.update(max_window_failure_ratio=0.05, max_window_failed_objects=10, full_series=rng.random() < 0.5)
    return results, policy


def _healthy_gate(rng):
    """``(results, policy)`` of sync tasks and datasets that pass every check."""
    task_ids = ['ok-%d' % index for index in range(rng.randint(1, 4))]
    start = NOW - HOUR
    first = start - start % BUCKET + BUCKET
    steady = [{'time_stamp': stamp, 'statistic_num': 10} for stamp in range(first, NOW, BUCKET)]
    response = {
        'statistic_time_type': 'FIVE_MINUTES',
        'statistic_datas': [{'data_type': 'REQUEST', 'data': steady}, {'data_type': 'SUCCESS', 'data': steady}, {'data_type': 'FAILURE', 'data': []}],
    }
    summary = summarize_statistics(response, ['REQUEST', 'SUCCESS', 'FAILURE'], start, NOW)
    tasks = [
        {'sync_task_id': task_id, 'status': 'SYNCHRONIZING', 'monthly_acceptance_request': 1000, 'monthly_success_object': 1000, 'monthly_failure_object': 0}
        for task_id in task_ids
    ]
    results = {
        'sync_task_info': {'sync_tasks': tasks, 'missing': []},
        'sync_task_statistics_info': {'sync_task_statistics': [dict(response, sync_task_id=task_id, summary=summary) for task_id in task_ids], 'missing': []},
        'dataset_sync_info': {'dataset_syncs': [{'dataset_id': 'ds-ok', 'status': 'COMPLETED', 'finished': True, 'succeeded': True}], 'missing': []},
    }
    return results, {'sync_tasks': task_ids, 'datasets': ['ds-ok'], 'window': '1h', 'full_series': rng.random() < 0.5}


def _built_facts(seed):
    rng = random.Random(seed)
    yield evaluate(*_healthy_gate(rng), now_ms=NOW)
    for _round in range(8):
        results, policy = _random_gate(rng)
        yield evaluate(copy.deepcopy(results), policy, now_ms=NOW)
        errors = [gate_error('Read the sync tasks', 'killed', subject_id=rng.choice((None, 'task-0')), status=rng.choice((None, 503)), attempted=True)]
        yield evaluate_failing_gate(copy.deepcopy(results), policy, errors)
    yield error_fact([gate_error('run', 'stopped before the evaluation')], now_ms=NOW)


def test_the_fact_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(FACT_SCHEMA)
    assert FACT_SCHEMA['$schema'] == 'https://json-schema.org/draft/2020-12/schema'


@pytest.mark.parametrize('seed', range(12))
def test_every_fact_the_gate_builds_matches_the_schema(seed):
    for fact in _built_facts(seed):
        problems = ['%s: %s' % (list(error.absolute_path), error.message) for error in VALIDATOR.iter_errors(fact)]
        assert problems == [], problems
        assert fact_errors(fact) == []


def test_the_generated_gates_cover_every_verdict_and_subject_kind():
    verdicts, kinds = set(), set()
    for seed in range(12):
        for fact in _built_facts(seed):
            verdicts.add(fact['verdict'])
            kinds.update(kind.fact_key for kind in _health_kinds.KINDS if fact.get(kind.fact_key))
    assert verdicts == set(_health_constants.VERDICTS)
    assert kinds == {kind.fact_key for kind in _health_kinds.KINDS}


# -- a fact the user hands in is checked with jsonschema --------------------------

ODD_VALUES = [
    None,
    True,
    False,
    0,
    -1,
    1.0,
    2.5,
    2**63,
    '',
    'x\ny',
    'ERROR',
    'HEALTHY',
    'task-status',
    '2023-11-16T18:02:00.000Z',
    [],
    {},
    [1, 2],
    [[0, 1]],
    {'a': 1},
]


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, prefix + (index,))


def _mutate(fact, rng):
    """``fact`` with one field removed, one added, or one value replaced by an odd one."""
    fact = copy.deepcopy(fact)
    path = rng.choice(list(_paths(fact))[1:])
    parent = fact
    for key in path[:-1]:
        parent = parent[key]
    action = rng.random()
    if action < 0.2 and isinstance(parent, dict):
        del parent[path[-1]]
    elif action < 0.3 and isinstance(parent, dict):
        parent['unexpected'] = 1
    elif action < 0.4 and isinstance(parent, list):
        parent.append(rng.choice(ODD_VALUES))
    else:
        parent[path[-1]] = rng.choice(ODD_VALUES)
    return fact


@pytest.mark.parametrize('seed', range(6))
def test_a_broken_fact_is_always_refused_and_a_field_named(seed):
    rng = random.Random(seed)
    facts = list(_built_facts(seed))
    refused = 0
    for _round in range(40):
        mutated = _mutate(rng.choice(facts), rng)
        problems = fact_errors(mutated)
        assert (problems == []) is VALIDATOR.is_valid(mutated), mutated
        if problems:
            refused += 1
            assert len(problems) <= 5
            assert all(problem.startswith('health') and ': ' in problem and len(problem) < 400 for problem in problems), problems
    assert refused > 12  # the mutations do break facts


def _run_action(args):
    task = Task()
    task.args = args
    action = ActionModule(task, mock.MagicMock(), PlayContext(), loader=None, templar=None, shared_loader_obj=None)
    return action.run(task_vars={})


def test_the_action_takes_a_valid_fact_from_the_user(small, tmp_path):
    _results, _policy, fact = small
    result = _run_action({'health': copy.deepcopy(fact), 'dest': str(tmp_path)})
    assert result['health'] == fact
    assert json.loads((tmp_path / 'migration-health.json').read_text()) == fact


def test_the_action_refuses_a_malformed_fact_naming_the_field_and_writes_nothing(small, tmp_path):
    _results, _policy, fact = small
    broken = copy.deepcopy(fact)
    broken['sync_tasks'][2]['status'] = 42
    with pytest.raises(AnsibleActionFail, match=r'health is not a migration_health fact .*health\.sync_tasks\[2\]\.status: 42 is not'):
        _run_action({'health': broken, 'dest': str(tmp_path)})
    with pytest.raises(AnsibleActionFail, match=r"health: 'verdict' is a required property"):
        _run_action({'health': {key: value for key, value in fact.items() if key != 'verdict'}, 'dest': str(tmp_path)})
    assert list(tmp_path.iterdir()) == []


def test_a_fact_cannot_pass_unchecked_without_jsonschema(small, monkeypatch):
    import builtins

    from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate import schema as _schema

    real_import = builtins.__import__

    def no_jsonschema(name, *args, **kwargs):
        if name == 'jsonschema':
            raise ImportError('No module named jsonschema')
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(_schema, '_VALIDATORS', [])
    monkeypatch.setattr(builtins, '__import__', no_jsonschema)
    problems = fact_errors(small[2])
    assert len(problems) == 1 and problems[0].startswith('health: cannot be checked') and 'jsonschema' in problems[0]
