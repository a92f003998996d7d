# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The migration_retry role's variables: refused by name with a hint, credentials by key (never by value), the plan."""

from pathlib import Path

import pytest
import yaml

from ansible_collections.hwcloud.migration.plugins.plugin_utils._retry.inputs import (
    RetryInputError,
    credential_problems,
    retry_plan,
    selection_plan,
    unknown_variable_problems,
)

ROLE = Path(__file__).resolve().parents[5] / 'roles' / 'migration_retry'
OPTIONS = yaml.safe_load((ROLE / 'meta' / 'argument_specs.yml').read_text())['argument_specs']['main']['options']
SELECTION = {'migration_health_migration_tasks': [1002], 'migration_health_task_groups': 'all', 'migration_health_deadline': '+6h'}


def test_the_role_defaults_are_the_documented_ones():
    defaults = yaml.safe_load((ROLE / 'defaults' / 'main.yml').read_text())
    assert sorted(defaults) == sorted(OPTIONS)
    for name, value in defaults.items():
        assert OPTIONS[name]['default'] == value, name
    for name in ('migration_retry_src_credentials', 'migration_retry_dst_credentials', 'migration_retry_credentials_by_id'):
        assert OPTIONS[name]['no_log'] is True, name


def test_an_unknown_variable_is_named_with_the_closest_one_and_internal_names_pass():
    names = ['migration_retry_atempts', 'migration_retry__run', 'migration_retry_timeout', 'migration_health_deadline', 'migration_retry_zzz']
    problems = unknown_variable_problems(names, OPTIONS)
    assert problems[0] == 'migration_retry_atempts is not a variable of the migration_retry role; did you mean migration_retry_attempts?'
    assert problems[1].startswith('migration_retry_zzz is not a variable of the migration_retry role; the role knows migration_retry_attempts, ')
    assert len(problems) == 2


def test_credentials_are_checked_by_key_and_no_value_is_ever_shown():
    secret = 'never-shown-secret-0001'
    values = {
        'migration_retry_src_credentials': {'ak': 'A', 'sk': secret, 'token': secret},
        'migration_retry_dst_credentials': secret,
        'migration_retry_credentials_by_id': {'1002': {'src': {'sk': 7}, 'other': {}}, 'g': secret},
    }
    problems = credential_problems(values)
    assert problems == [
        'migration_retry_src_credentials: unknown key(s) token; the keys are ak, sk, security_token, connection_string, json_auth_file',
        'migration_retry_dst_credentials must be a dict with some of the keys ak, sk, security_token',
        'migration_retry_credentials_by_id[1002]: unknown key(s) other; the keys are src and dst',
        'migration_retry_credentials_by_id[1002].src.sk must be a string',
        'migration_retry_credentials_by_id[g] must be a dict with the keys src and/or dst',
    ]
    assert not any(secret in problem for problem in problems)


def test_the_plan_takes_the_gate_selection_and_the_role_settings():
    plan = retry_plan({'migration_retry_attempts': '2', 'migration_retry_failed_objects_only': 'no'}, OPTIONS, SELECTION)
    assert plan['migration_tasks'] == {'all': False, 'ids': ['1002'], 'deadlines': {}}
    assert plan['task_groups'] == {'all': True, 'ids': [], 'deadlines': {}}
    assert plan['deadline']['deadline_offset_ms'] == 6 * 3600 * 1000
    assert (plan['attempts'], plan['timeout'], plan['poll_interval'], plan['failed_objects_only']) == (2, 3600, 30.0, False)


def test_an_id_keeps_its_own_deadline():
    plan = selection_plan({'migration_health_migration_tasks': [{'id': 7, 'deadline': '2026-12-01T06:00:00Z'}, 8]})
    assert plan['migration_tasks']['ids'] == ['7', '8']
    assert plan['migration_tasks']['deadlines']['7']['deadline_ms'] == 1796104800000
    assert plan['deadline']['deadline_ms'] is None and plan['deadline']['deadline_offset_ms'] is None


@pytest.mark.parametrize(
    'values, selection, message',
    [
        ({}, {}, 'nothing to retry: give migration_health_migration_tasks and/or migration_health_task_groups'),
        ({}, {'migration_health_migration_tasks': 'some'}, 'migration_health_migration_tasks: '),
        ({}, dict(SELECTION, migration_health_deadline='soon'), 'migration_health_deadline'),
        ({'migration_retry_attempts': 0}, SELECTION, 'migration_retry_attempts must be 1 or more, got 0'),
        ({'migration_retry_timeout': 604801}, SELECTION, 'migration_retry_timeout must be 1 to 604800 seconds (7 days), got 604801'),
        ({'migration_retry_poll_interval': 0.1}, SELECTION, 'migration_retry_poll_interval must be 0.2 seconds to migration_retry_timeout (3600)'),
        ({'migration_retry_attempts': 'three'}, SELECTION, 'migration_retry_attempts must be a whole number'),
    ],
)
def test_refused_inputs_say_which_variable(values, selection, message):
    with pytest.raises(RetryInputError) as raised:
        retry_plan(values, OPTIONS, selection)
    assert message in str(raised.value)


def test_credentials_written_as_a_string_are_refused_without_their_value():
    with pytest.raises(RetryInputError) as raised:
        retry_plan({'migration_retry_src_credentials': 'ak=A, sk=never-shown-secret-0002'}, OPTIONS, SELECTION)
    assert str(raised.value) == 'migration_retry_src_credentials must be a dict with some of the keys ak, sk, security_token, connection_string, json_auth_file'
