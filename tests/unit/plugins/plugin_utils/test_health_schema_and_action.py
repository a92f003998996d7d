# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fact schema shipped with the plugins, and the report action's door."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ast
import copy
import json
from pathlib import Path

import pytest
from ansible.errors import AnsibleActionFail
from health_scale import scale_gate

from ansible_collections.hwcloud.migration.plugins.action.migration_health_report import ActionModule
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate import constants as _health_constants
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate import kinds as _health_kinds
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
