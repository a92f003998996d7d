# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""oms_failed_objects_info as a module: its options refused by name before any request, its secrets no_log."""

import pytest
from module_runner import run_module  # noqa: F401  pylint: disable=unused-import

from ansible_collections.hwcloud.migration.plugins.module_utils._reads.failed_objects import FAILED_OBJECTS
from ansible_collections.hwcloud.migration.plugins.modules import oms_failed_objects_info as module


@pytest.mark.parametrize(
    'args, wanted',
    [
        ({}, 'name what to read'),
        ({'task_ids': [1], 'access_key': None, 'secret_key': None, 'auth_token': 'module-test-token'}, 'needs an access key'),
        ({'task_ids': [1], 'obs_access_key': 'DESTAK'}, 'obs_secret_key (or OBS_SECRET_ACCESS_KEY) is needed'),
        ({'task_ids': [1], 'list_failed': ['sync_tasks']}, 'list_failed'),
        ({'task_ids': [1], 'max_objects': -1}, 'max_objects must be 0 to 10000'),
    ],
)
def test_options_fail_by_name_before_any_request(run_module, args, wanted):
    result, client = run_module(module, args)
    assert result.failed and wanted in result['msg'] and client.calls == []
    assert 'module-test-token' not in str(result)


def test_the_obs_secrets_are_no_log_and_the_access_key_is_not():
    spec = FAILED_OBJECTS.argument_spec
    assert spec['obs_secret_key']['no_log'] is True and spec['obs_security_token']['no_log'] is True
    assert spec['obs_access_key']['no_log'] is False
