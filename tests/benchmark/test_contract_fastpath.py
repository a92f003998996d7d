# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The contract's plain-Python fast path never accepts what jsonschema refuses.

Run with ``.venv/bin/python -m pytest -q tests/benchmark``: random mutations of
valid bodies of every schema are checked by both; the fast path may say "ask
jsonschema" for a valid body, but must never pass an invalid one.
"""

import copy
import json
import random
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / '.venv' / 'collections'))

from ansible_collections.hwcloud.migration.plugins.module_utils._api import contract as _contract  # noqa: E402
from ansible_collections.hwcloud.migration.plugins.module_utils._api.schemas import SCHEMAS  # noqa: E402

EXAMPLES = sorted((REPO / 'emulator' / 'tests' / 'data' / 'seed_examples').glob('*.json'))
ODD_VALUES = [
    None,
    True,
    False,
    0,
    -1,
    1.0,
    1.5,
    2**63,
    '',
    'x' * 300,
    'SYNCHRONIZING',
    'STOPPED',
    'FIVE_MINUTES',
    'REQUEST',
    'COMPLETED',
    [],
    {},
    [1],
    {'a': 1},
    'many',
    (1, 2),
]


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, prefix + (index,))


def _mutate(body, rng):
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


def _examples():
    for path in EXAMPLES:
        schema_name = path.stem.split('_', 3)[-1]
        yield schema_name, json.loads(path.read_text())


@pytest.mark.parametrize('schema_name', sorted(SCHEMAS))
def test_every_schema_compiles_to_a_fast_check(schema_name):
    assert _contract.compile_fast_check(SCHEMAS[schema_name]) is not None


@pytest.mark.parametrize('schema_name, body', list(_examples()), ids=[path.stem for path in EXAMPLES])
def test_fast_check_agrees_with_jsonschema(schema_name, body):
    checker = _contract.ContractChecker()
    fast = checker.fast_check(schema_name)
    validator = checker.validator(schema_name)
    assert fast(body) and validator.is_valid(body)
    rng = random.Random(schema_name + str(len(json.dumps(body))))
    for _attempt in range(400):
        mutated = _mutate(body, rng)
        if fast(mutated):
            assert validator.is_valid(mutated), mutated
        else:
            # Refused by the fast path: the full check decides, and says why when invalid.
            assert (checker.check(schema_name, mutated) == []) == validator.is_valid(mutated)
