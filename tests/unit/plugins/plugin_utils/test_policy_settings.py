# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role's variables as the policy's settings, and the policy's refusals naming the variable to fix."""

from pathlib import Path

import yaml

from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import DEFAULT_POLICY
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.inputs import ROLE_OPTIONS, policy_problem, policy_settings
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.policy import normalise_policy

ROLE = Path(__file__).resolve().parents[4] / 'roles' / 'migration_health'
TASK = '0d146099-8cf4-437d-b6ef-88e043771c8b'


def _options():
    return yaml.safe_load((ROLE / 'meta' / 'argument_specs.yml').read_text())['argument_specs']['main']['options']


def _defaults():
    return yaml.safe_load((ROLE / 'defaults' / 'main.yml').read_text())


def test_every_option_but_the_roles_own_is_a_setting_of_the_policy():
    settings = policy_settings(_defaults(), _options())
    assert set(settings) == {name[len('migration_health_') :] for name in _options() if name not in ROLE_OPTIONS}
    assert set(DEFAULT_POLICY) <= set(settings)
    # The connection (and its credentials) never reach the policy, nor the reports it feeds.
    assert 'connection' not in settings and 'max_concurrency' not in settings


def test_the_role_defaults_give_the_policy_defaults():
    values = dict(_defaults(), migration_health_sync_tasks=[TASK])
    policy, problem = policy_problem(values, _options())
    assert problem is None
    assert policy == normalise_policy({'sync_tasks': [TASK]})


def test_flags_are_converted_as_ansible_converts_them():
    values = dict(_defaults(), migration_health_sync_tasks='all', migration_health_full_series='yes', migration_health_allow_empty='off')
    policy, problem = policy_problem(values, _options())
    assert problem is None and policy['full_series'] is True and policy['allow_empty'] is False


def test_a_value_the_policy_refuses_is_named_by_its_variable():
    values = dict(_defaults(), migration_health_sync_tasks=[TASK], migration_health_window='forever')
    policy, problem = policy_problem(values, _options())
    assert policy is None and problem.startswith("migration_health_window: 'forever' is not a duration")


def test_an_item_the_policy_refuses_is_named_by_its_variable_and_index():
    values = dict(_defaults(), migration_health_sync_tasks=[TASK, {'id': TASK, 'max_stall_age': 'soon'}])
    _policy, problem = policy_problem(values, _options())
    assert problem.startswith('migration_health_sync_tasks[1].max_stall_age'), problem


def test_nothing_to_gate_is_refused_with_what_to_give():
    _policy, problem = policy_problem(_defaults(), _options())
    assert problem.startswith('nothing to gate: give migration_health_sync_tasks'), problem
    # Every name in the message is a variable of the role.
    named = [word.strip(',') for word in problem.split() if word.startswith('migration_health_')]
    assert named and all(name in _options() for name in named), named
