# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""API responses checked against the contract with jsonschema: violation lines, draft, integer rule, validators built once."""

import copy
import json
import os
import random
import threading
import time
from pathlib import Path

import pytest

from ansible_collections.hwcloud.migration.plugins.module_utils._api import contract as _contract
from ansible_collections.hwcloud.migration.plugins.module_utils._api.contract import (
    ContractChecker,
    ContractUnavailableError,
    check_contract,
    format_path,
    limit_violations,
)
from ansible_collections.hwcloud.migration.plugins.module_utils._api.schemas import SCHEMAS as SHARED_SCHEMAS

pytestmark = pytest.mark.skipif(not _contract.HAS_JSONSCHEMA, reason='jsonschema is not installed')

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(__file__)), 'fixtures')
# Example answers of every documented kind, from the seed documents (shared with the emulator's tests).
SEED_EXAMPLES = sorted((Path(__file__).resolve().parents[5] / 'emulator' / 'tests' / 'data' / 'seed_examples').glob('*.json'))

# A small stand-in for the statistics schema of _api_schemas, so these tests do not
# depend on how the real contract is written.
POINT = {
    'type': 'object',
    'required': ['time_stamp', 'statistic_num'],
    'properties': {'time_stamp': {'type': 'integer', 'minimum': 0}, 'statistic_num': {'type': 'integer', 'minimum': 0}},
}
STATISTICS = {
    '$schema': 'http://json-schema.org/draft-07/schema#',
    'type': 'object',
    'required': ['statistic_time_type', 'statistic_datas'],
    'properties': {
        'sync_task_id': {'type': 'string'},
        'statistic_time_type': {'enum': ['FIVE_MINUTES', 'ONE_HOUR']},
        'statistic_datas': {
            'type': 'array',
            'maxItems': 1000,
            'items': {
                'type': 'object',
                'required': ['data_type', 'data'],
                'properties': {
                    'data_type': {'enum': ['REQUEST', 'SUCCESS', 'FAILURE', 'SKIP', 'SIZE']},
                    'data': {'type': 'array', 'maxItems': 1000, 'items': POINT},
                },
            },
        },
    },
}
SCHEMAS = {'ListSyncTaskStatisticResponse': STATISTICS, 'Odd': {'type': 'object', 'properties': {'a b': {'type': 'integer'}, 'x.y': {'type': 'integer'}}}}


@pytest.fixture
def checker():
    return ContractChecker(schemas=SCHEMAS)


def seed_example():
    with open(os.path.join(FIXTURES, 'list_sync_task_statistic_000.json')) as handle:
        return json.load(handle)


def test_seed_example_honours_the_contract(checker):
    assert check_contract('ListSyncTaskStatisticResponse', seed_example(), checker=checker) == []


def test_wrong_type_names_the_json_path(checker):
    body = seed_example()
    body['statistic_datas'][0]['data'][3]['statistic_num'] = 'x'
    assert check_contract('ListSyncTaskStatisticResponse', body, checker=checker) == ["statistic_datas[0].data[3].statistic_num: 'x' is not of type 'integer'"]


def test_missing_fields_are_named_in_the_path(checker):
    body = {'statistic_datas': [{'data_type': 'REQUEST', 'data': [{'time_stamp': 1700150400000}]}]}
    assert checker.check('ListSyncTaskStatisticResponse', body) == [
        'statistic_time_type: is required but absent',
        'statistic_datas[0].data[0].statistic_num: is required but absent',
    ]


def test_several_violations_are_sorted_by_path(checker):
    body = seed_example()
    body['statistic_time_type'] = 'ONE_DAY'
    body['statistic_datas'][0]['data'][10]['time_stamp'] = -1
    body['statistic_datas'][0]['data'][2]['statistic_num'] = None
    violations = checker.check('ListSyncTaskStatisticResponse', body)
    assert violations == [
        "statistic_datas[0].data[2].statistic_num: None is not of type 'integer'",
        'statistic_datas[0].data[10].time_stamp: -1 is less than the minimum of 0',
        "statistic_time_type: 'ONE_DAY' is not one of ['FIVE_MINUTES', 'ONE_HOUR']",
    ]


@pytest.mark.parametrize('body', [None, [], 'oops', 42])
def test_non_object_body_is_reported_at_the_root(checker, body):
    violations = checker.check('ListSyncTaskStatisticResponse', body)
    assert len(violations) == 1
    assert violations[0].startswith('(response): ')
    assert "is not of type 'object'" in violations[0]


def test_odd_keys_are_quoted(checker):
    assert checker.check('Odd', {'a b': 'x', 'x.y': 'z'}) == ["['a b']: 'x' is not of type 'integer'", "['x.y']: 'z' is not of type 'integer'"]


def test_unknown_schema_name(checker):
    with pytest.raises(ContractUnavailableError, match='NoSuchResponse'):
        checker.check('NoSuchResponse', {})


def test_broken_schema_fails_loudly():
    # Imported here: the whole file runs only where jsonschema is installed.
    import jsonschema  # pylint: disable=import-outside-toplevel

    broken = ContractChecker(schemas={'Broken': {'type': 'no-such-type'}})
    with pytest.raises(jsonschema.exceptions.SchemaError):
        broken.check('Broken', {})


def broken_example():
    """The seed example with one bucket count of the wrong type."""
    body = seed_example()
    body['statistic_datas'][0]['data'][0]['statistic_num'] = 'x'
    return body


def test_validator_is_built_once_and_reused(checker):
    first = checker.validator('ListSyncTaskStatisticResponse')
    for _dummy in range(5):
        assert checker.check('ListSyncTaskStatisticResponse', seed_example()) == []
        assert checker.check('ListSyncTaskStatisticResponse', broken_example())
    assert checker.validator('ListSyncTaskStatisticResponse') is first
    assert first.schema is STATISTICS


def test_building_is_thread_safe(monkeypatch):
    import jsonschema  # pylint: disable=import-outside-toplevel

    checker = ContractChecker(schemas=SCHEMAS)
    calls = []
    real = jsonschema.validators.validator_for
    gate = threading.Barrier(8)

    def slow(schema, *args, **kwargs):
        if schema is STATISTICS:  # (jsonschema also calls it for its meta-schemas)
            calls.append(schema)
            time.sleep(0.05)  # widen the race window: every thread arrives before the first finishes
        return real(schema, *args, **kwargs)

    monkeypatch.setattr(jsonschema.validators, 'validator_for', slow)
    results = []
    validators = []

    def worker():
        gate.wait()
        results.append(checker.check('ListSyncTaskStatisticResponse', broken_example()))
        validators.append(checker.validator('ListSyncTaskStatisticResponse'))

    threads = [threading.Thread(target=worker) for dummy in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results[0] and results == [results[0]] * 8
    assert len(calls) == 1
    assert all(validator is validators[0] for validator in validators)


def test_default_checker_uses_the_shared_schemas():
    from ansible_collections.hwcloud.migration.plugins.module_utils._api.schemas import SCHEMAS as shared

    for name in ('ListSyncTaskStatisticResponse', 'ShowSyncTaskResponse'):
        assert ContractChecker().validator(name).schema is shared[name]


def test_a_schema_without_draft_is_checked_as_draft_7():
    import jsonschema  # pylint: disable=import-outside-toplevel

    odd = ContractChecker(schemas=SCHEMAS).validator('Odd')
    assert isinstance(odd, jsonschema.Draft7Validator)


@pytest.mark.parametrize('value', [True, False])
def test_an_integer_field_refuses_a_boolean(checker, value):
    # Python's bool is an int; JSON Schema's integer is not a boolean.
    body = seed_example()
    body['statistic_datas'][0]['data'][3]['statistic_num'] = value
    assert checker.check('ListSyncTaskStatisticResponse', body) == ["statistic_datas[0].data[3].statistic_num: %r is not of type 'integer'" % value]
    assert check_contract('ListSyncTaskStatisticResponse', body) == ["statistic_datas[0].data[3].statistic_num: %r is not of type 'integer'" % value]


def test_an_integer_field_takes_a_whole_float_and_refuses_a_fraction(checker):
    # Draft 7: 3.0 is an integer, 2.5 is not.
    body = seed_example()
    body['statistic_datas'][0]['data'][3]['statistic_num'] = 3.0
    assert checker.check('ListSyncTaskStatisticResponse', body) == []
    body['statistic_datas'][0]['data'][3]['statistic_num'] = 2.5
    assert checker.check('ListSyncTaskStatisticResponse', body) == ["statistic_datas[0].data[3].statistic_num: 2.5 is not of type 'integer'"]


def test_missing_jsonschema_is_reported(monkeypatch):
    monkeypatch.setattr(_contract, 'HAS_JSONSCHEMA', False)
    with pytest.raises(ContractUnavailableError, match='jsonschema'):
        ContractChecker(schemas=SCHEMAS).check('ListSyncTaskStatisticResponse', {})


@pytest.mark.parametrize(
    'path, expected', [([], '(response)'), (['a'], 'a'), (['a', 0, 'b'], 'a[0].b'), ([0, 1], '[0][1]'), (['with space'], "['with space']")]
)
def test_format_path(path, expected):
    assert format_path(path) == expected


def test_limit_violations():
    lines = ['v%d' % i for i in range(25)]
    assert limit_violations(lines, 10) == lines[:10] + ['... and 15 more violations']
    assert limit_violations(lines[:3], 10) == lines[:3]
    assert limit_violations(lines, None) == lines


# The real contract (_api_schemas.SCHEMAS) against the example responses of the seed
# documents: both editions of each OMS page, and the ModelArts page.
@pytest.mark.parametrize(
    'schema_name, fixture',
    [
        ('ListSyncTaskStatisticResponse', 'list_sync_task_statistic_000.json'),
        ('ListSyncTaskStatisticResponse', 'list_sync_task_statistic_001.json'),
        ('ShowSyncTaskResponse', 'show_sync_task_002.json'),
        ('ShowSyncTaskResponse', 'show_sync_task_004.json'),
        ('ShowDatasetSyncStatusResponse', 'dataset_sync_status_003.json'),
    ],
)
def test_seed_examples_honour_the_shared_contract(schema_name, fixture):
    with open(os.path.join(FIXTURES, fixture)) as handle:
        body = json.load(handle)
    assert check_contract(schema_name, body) == []


def test_shared_contract_reports_a_bad_bucket():
    body = seed_example()
    body['statistic_datas'][0]['data'][3]['statistic_num'] = 'x'
    assert check_contract('ListSyncTaskStatisticResponse', body) == ["statistic_datas[0].data[3].statistic_num: 'x' is not of type 'integer'"]


@pytest.mark.parametrize('schema_name', sorted(SHARED_SCHEMAS))
def test_every_shared_schema_is_a_valid_schema_of_its_draft(schema_name):
    import jsonschema  # pylint: disable=import-outside-toplevel

    validator = ContractChecker().validator(schema_name)
    assert isinstance(validator, jsonschema.Draft7Validator)
    type(validator).check_schema(SHARED_SCHEMAS[schema_name])


ODD_VALUES = [None, True, False, 0, -1, 1.0, 1.5, 2**63, '', 'x' * 300, 'SYNCHRONIZING', 'FIVE_MINUTES', 'REQUEST', [], {}, [1], {'a': 1}, (1, 2)]


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, prefix + (index,))


def _mutate(body, rng):
    """``body`` with one value removed, repeated or replaced by an odd one."""
    body = copy.deepcopy(body)
    path = rng.choice(list(_paths(body)))
    if not path:
        return rng.choice(ODD_VALUES)
    parent = body
    for key in path[:-1]:
        parent = parent[key]
    action = rng.random()
    if action < 0.2 and isinstance(parent, dict):
        del parent[path[-1]]
    elif action < 0.3 and isinstance(parent, list):
        parent.extend([parent[path[-1]]] * rng.choice((1, 1000)))
    else:
        parent[path[-1]] = rng.choice(ODD_VALUES)
    return body


@pytest.mark.parametrize('example', SEED_EXAMPLES, ids=[path.stem for path in SEED_EXAMPLES])
def test_generated_answers_fail_closed_with_a_path_per_violation(example):
    """An answer the schema refuses always gives at least one violation line; a valid one gives none."""
    schema_name = example.stem.split('_', 3)[-1]
    body = json.loads(example.read_text())
    validator = ContractChecker().validator(schema_name)
    assert check_contract(schema_name, body) == []
    rng = random.Random(example.stem)
    refused = 0
    for _attempt in range(150):
        mutated = _mutate(body, rng)
        violations = check_contract(schema_name, mutated)
        assert (violations == []) is validator.is_valid(mutated), mutated
        if violations:
            refused += 1
            assert all(': ' in line and not line.startswith(': ') for line in violations), violations
            assert len(limit_violations(violations, 10)) <= 11
    assert refused > 20  # the mutations do break answers
