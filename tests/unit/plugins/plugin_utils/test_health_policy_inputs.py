# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role's variables against its argument spec: unknown names and refused values, in short messages."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from pathlib import Path

import pytest
import yaml

from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import MigrationHealthError
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.inputs import unknown_variable_problems, user_variable_names, value_problems
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.policy import normalise_policy

ROLE = Path(__file__).resolve().parents[4] / 'roles' / 'migration_health'


def _options(entry='main'):
    return yaml.safe_load((ROLE / 'meta' / 'argument_specs.yml').read_text())['argument_specs'][entry]['options']


def test_the_gate_entry_point_has_the_same_options_as_main():
    assert _options('gate') == _options('main')


def test_a_typo_names_the_closest_option():
    problems = unknown_variable_problems(['migration_health_sync_task', 'migration_health_window', 'unrelated'], _options())
    assert problems == ['migration_health_sync_task is not a variable of the migration_health role; did you mean migration_health_sync_tasks?']


def test_a_name_far_from_every_option_lists_them():
    [problem] = unknown_variable_problems(['migration_health_zzz'], _options())
    assert 'migration_health_zzz is not a variable' in problem and 'migration_health_window' in problem


def test_internal_names_and_the_facts_are_not_user_variables():
    names = [
        'migration_health',
        'migration_health__policy',
        'migration_health_fleet__report_dir',
        'migration_health_fleet',
        'migration_health_project',
        'migration_health_fail',
    ]
    assert user_variable_names(names) == ['migration_health_fail']


def test_a_percentage_is_refused_with_what_to_write():
    assert value_problems({'migration_health_max_window_failure_ratio': '5%'}, _options()) == [
        "migration_health_max_window_failure_ratio must be a fraction, e.g. 0.05 (got '5%')"
    ]


def test_values_ansible_accepts_are_accepted():
    values = {
        'migration_health_max_window_failure_ratio': '0.1',
        'migration_health_fail': 'yes',
        'migration_health_max_window_failed_objects': '10',
        'migration_health_skip_checks': ['stall'],
        'migration_health_deadline': None,
    }
    assert value_problems(values, _options()) == []


def test_each_kind_of_refusal_says_what_to_write():
    values = {'migration_health_fail': 'perhaps', 'migration_health_max_concurrency': 'many', 'migration_health_skip_checks': ['task-found']}
    problems = value_problems(values, _options())
    assert problems[0] == "migration_health_fail must be true or false, e.g. true (got 'perhaps')"
    assert problems[1] == "migration_health_max_concurrency must be a whole number (got 'many')"
    assert problems[2].startswith('migration_health_skip_checks must be a list of strings, one or more of task-status, ')


def test_a_no_log_value_is_not_shown():
    [problem] = value_problems({'migration_health_connection': 'secret-text'}, _options())
    assert problem == 'migration_health_connection must be a dict' and 'secret-text' not in problem


def test_a_percentage_in_a_per_task_override_says_what_to_write():
    with pytest.raises(MigrationHealthError) as raised:
        normalise_policy({'sync_tasks': [{'id': 'task', 'max_window_failure_ratio': '5%'}]})
    assert str(raised.value) == "sync_tasks[0].max_window_failure_ratio must be a fraction between 0 and 1, e.g. 0.05 for 5% (got '5%')"
