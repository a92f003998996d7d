# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fact schema compiled into Python never accepts what jsonschema refuses, and spares jsonschema for valid facts."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import os
import random
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from health_scale import NOW, scale_results

from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate import schema as _health_schema
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.evaluate import error_fact, evaluate, evaluate_failing_gate
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.results import gate_error
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.schema import FACT_SCHEMA, fact_errors
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.schema_fast import compile_check

ODD_VALUES = [
    None,
    True,
    False,
    0,
    -1,
    1.0,
    2.5,
    -0.5,
    2**63,
    '',
    'x\ny',
    'x\n',
    'ERROR',
    'HEALTHY',
    'task-status',
    'sync_task',
    '2023-11-16T18:02:00.000Z',
    [],
    {},
    [1, 2],
    [[0, 1]],
    {'a': 1},
    (1, 2),
]


def _facts():
    """Facts of every kind of subject and verdict."""
    results, policy = scale_results(3, window='1h', window_ms=3600 * 1000)
    results['migration_task_info'] = {
        'migration_tasks': [
            {'id': 1001, 'name': 'copy', 'status': 2, 'failed_num': 0, 'progress': 0.4, 'total_size': 100, 'complete_size': 40},
            {'id': 1002, 'name': 'done', 'status': 5, 'failed_num': 3, 'error_reason': {'error_code': 'TRF.0155', 'error_msg': 'gone'}},
        ],
        'missing': [],
        'complete': True,
        'problems': [],
    }
    results['task_group_info'] = {'task_groups': [{'group_id': 'g-1', 'status': 2, 'failed_task_num': 1, 'total_task_num': 4, 'fail_num': 0}], 'missing': []}
    policy = dict(policy, migration_tasks=[1001, 1002, 1003], task_groups=['g-1'], datasets=['ds-1'], deadline='+6h')
    evaluated = evaluate(results, policy, now_ms=NOW)
    failing = evaluate_failing_gate(copy.deepcopy(results), policy, [gate_error('run', 'stopped', subject_id='s', status=503, attempted=False)])
    return [evaluated, failing, error_fact([gate_error('run', 'stopped before the evaluation')], now_ms=NOW)]


FACTS = _facts()
CHECK = compile_check(FACT_SCHEMA)
VALIDATOR = jsonschema.Draft202012Validator(FACT_SCHEMA)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, prefix + (index,))


def _mutate(fact, rng):
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


def test_the_fact_schema_compiles():
    assert CHECK is not None


@pytest.mark.parametrize('index', range(len(FACTS)))
def test_valid_facts_pass_the_compiled_check(index):
    assert list(VALIDATOR.iter_errors(FACTS[index])) == []
    assert CHECK(FACTS[index]) is True


@pytest.mark.parametrize('seed', range(6))
def test_the_compiled_check_never_passes_what_jsonschema_refuses(seed):
    rng = random.Random(seed)
    refused = 0
    for _round in range(100):
        mutated = _mutate(rng.choice(FACTS), rng)
        invalid = any(True for _error in VALIDATOR.iter_errors(mutated))
        if invalid:
            refused += 1
            assert CHECK(mutated) is False, mutated
            assert fact_errors(mutated), 'jsonschema words the problem'
    assert refused > 30  # the mutations do break facts


@pytest.mark.parametrize(
    'schema, instance, valid, fast',
    [
        ({'oneOf': [{'type': 'string', 'pattern': '^a'}, {'type': 'null'}]}, 'abc', True, True),
        ({'oneOf': [{'type': 'string', 'pattern': '^a'}, {'type': 'null'}]}, None, True, True),
        ({'oneOf': [{'type': 'string', 'pattern': '^a'}, {'type': 'null'}]}, 'b', False, False),
        ({'oneOf': [{'type': 'string'}, {'type': ['string', 'null']}]}, 'b', False, False),
        ({'type': 'integer', 'minimum': 0}, 1.0, True, True),
        ({'type': 'integer', 'minimum': 0}, True, False, False),
        ({'const': 1}, 1.0, True, False),
        ({'const': 1}, True, False, False),
        ({'type': 'array', 'prefixItems': [{'type': 'integer'}], 'items': {'type': 'string'}}, [1, 'a'], True, True),
        ({'type': 'array', 'prefixItems': [{'type': 'integer'}], 'items': {'type': 'string'}}, [1, 2], False, False),
        ({'type': 'object', 'additionalProperties': False, 'properties': {'a': {}}}, {'a': 1, 'b': 2}, False, False),
        ({'type': 'string', 'pattern': '^[^\\n]*$'}, 'a\n', True, True),
    ],
)
def test_the_compiled_check_agrees_with_jsonschema_on_edges(schema, instance, valid, fast):
    assert (not list(jsonschema.Draft202012Validator(schema).iter_errors(instance))) is valid
    # True only for a valid instance; False may also mean "ask jsonschema" (1.0 for a const 1).
    assert compile_check(schema)(instance) is fast


@pytest.mark.parametrize(
    'schema', [{'type': 'string', 'format': 'date'}, {'oneOf': [{'minimum': 1}, {'type': 'null'}]}, {'$ref': 'other.json'}, {'patternProperties': {}}]
)
def test_other_keywords_are_left_to_jsonschema(schema):
    assert compile_check(schema) is None


def test_a_valid_fact_is_checked_without_importing_jsonschema():
    collections = Path(_health_schema.__file__).parents[6]
    code = (
        'import sys\n'
        'from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.evaluate import checked_fact, error_fact\n'
        'from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.results import gate_error\n'
        "fact, problems = checked_fact(error_fact([gate_error('run', 'stopped')]))\n"
        "assert problems == [] and fact['verdict'] == 'ERROR'\n"
        "print('jsonschema' in sys.modules)\n"
    )
    environment = dict(os.environ, PYTHONPATH=str(collections))
    answer = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True, env=environment, timeout=120)
    assert answer.stdout.strip() == 'False'
