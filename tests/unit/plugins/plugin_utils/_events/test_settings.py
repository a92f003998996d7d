# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The event source's arguments (plugin_utils/_events/settings.py): the modules' checks, and the backoff."""

import dataclasses

import pytest

from ansible_collections.hwcloud.migration.plugins.plugin_utils._events.settings import WatchSettingsError, backoff_delay, watch_settings

NOW = 1800000000000
CONNECTION = {'region': 'cn-north-4', 'access_key': 'AK0000000000000000', 'secret_key': 'sk-never-shown'}


def settings(**args):
    return watch_settings(dict(CONNECTION, **args), now=NOW)


def test_each_read_gets_the_options_its_module_would():
    watched = settings(migration_tasks=[1001, '1002'], task_groups='all')
    assert list(watched.params['migration_task_info']) and watched.params['migration_task_info']['task_ids'] == ['1001', '1002']
    assert watched.params['migration_task_info']['status'] is None and watched.params['task_group_info']['group_ids'] is None
    assert watched.params['strict_contract'] is False and watched.params['sync_task_info'] is None
    assert watched.params['timeout'] == 30.0 and watched.params['retries'] == 4


def test_a_deadline_from_now_is_fixed_when_the_watch_starts():
    watched = settings(migration_tasks='all', deadline='+6h')
    assert watched.deadline_ms == NOW + 6 * 3600000
    assert watched.policy['thresholds']['deadline_ms'] == NOW + 6 * 3600000


def test_the_secrets_are_every_no_log_value_and_only_those():
    watched = settings(migration_tasks='all')
    assert watched.secrets == frozenset(['sk-never-shown'])


def test_the_environment_fills_what_the_arguments_leave_out(monkeypatch):
    monkeypatch.setenv('HW_SECRET_KEY', 'sk-from-the-environment')
    watched = watch_settings({'region': 'cn-north-4', 'access_key': 'AK0000000000000000', 'migration_tasks': 'all'}, now=NOW)
    assert watched.params['secret_key'] == 'sk-from-the-environment' and 'sk-from-the-environment' in watched.secrets


def test_a_connection_option_given_as_null_is_one_not_given(monkeypatch):
    # What a rulebook passes for the options its variables leave out: the environment and the defaults apply.
    monkeypatch.setenv('HW_SECRET_KEY', 'sk-from-the-environment')
    args = {'region': 'cn-north-4', 'access_key': 'AK0000000000000000', 'secret_key': None, 'endpoint': None, 'validate_certs': None}
    watched = watch_settings(dict(args, migration_tasks='all', max_stall_age=None), now=NOW)
    assert watched.params['secret_key'] == 'sk-from-the-environment' and watched.params['validate_certs'] is True
    assert watched.params['endpoint'] is None
    # A null of the source's own arguments keeps its meaning: max_stall_age null switches the stalls off.
    assert watched.max_stall_age_ms is None


@pytest.mark.parametrize(
    'args, message',
    [
        ({'migration_tasks': 'all', 'max_polls': 0}, 'max_polls must be from 1'),
        ({'migration_tasks': 'all', 'max_backoff': 4000}, 'max_backoff must be from 0.0 to 3600.0'),
        ({'migration_tasks': 'all', 'max_stall_age': '30'}, 'has no unit'),
        ({'migration_tasks': 'all', 'region': 'Not A Region'}, 'region must be a region id'),
        ({'migration_tasks': 'all', 'secretkey': 'x'}, "'secretkey' (did you mean secret_key?)"),
    ],
)
def test_a_wrong_argument_is_refused_by_name(args, message):
    with pytest.raises(WatchSettingsError) as raised:
        settings(**args)
    assert message in str(raised.value) and 'sk-never-shown' not in str(raised.value)


def test_the_backoff_doubles_within_its_bounds_and_never_polls_faster_than_the_interval():
    watched = settings(migration_tasks='all', interval=10, max_backoff=60)
    assert [backoff_delay(watched, failed) for failed in range(6)] == [10, 10, 20, 40, 60, 60]
    assert backoff_delay(watched, 10**6) == 60
    slow = dataclasses.replace(watched, interval=120.0)
    assert backoff_delay(slow, 3) == 120
