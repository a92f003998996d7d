# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HuaweiCloudModule: spec merging, credential checks, missing libraries, the client, the failure of an API error."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import json
import logging

import pytest
from module_args import patch_module_args

from ansible_collections.hwcloud.migration.plugins.module_utils import _module
from ansible_collections.hwcloud.migration.plugins.module_utils._api.client import HuaweiCloudClient
from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError
from ansible_collections.hwcloud.migration.plugins.module_utils._module import HuaweiCloudModule
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.base import error_result

SK = 'SK-MODULE-SECRET-value-0000'
PASSWORD = 'PW-MODULE-SECRET-value-0000'
TOKEN = 'TOKEN-MODULE-SECRET-value-0000'


_OPEN = contextlib.ExitStack()


@pytest.fixture(autouse=True)
def _module_args_stay_patched():
    """fail_json/exit_json need the patched args profile after __init__, so keep it until the test ends."""
    yield
    _OPEN.close()


def _module_with(args, **kwargs):
    kwargs.setdefault('service', 'oms')
    _OPEN.enter_context(patch_module_args(args))
    return HuaweiCloudModule(**kwargs)


def _failure(capsys, args, **kwargs):
    """Build a module that must fail; return its JSON result."""
    with pytest.raises(SystemExit) as info:
        _module_with(args, **kwargs)
    assert info.value.code == 1
    return json.loads(capsys.readouterr().out)


def test_spec_is_merged_and_module_options_win():
    module = _module_with(
        {'auth_token': TOKEN, 'region': 'cn-north-4', 'sync_task_ids': ['a']},
        argument_spec={'sync_task_ids': {'type': 'list', 'elements': 'str', 'required': True}, 'timeout': {'type': 'float', 'default': 5.0}},
        supports_check_mode=True,
    )
    assert module.params['sync_task_ids'] == ['a']
    assert module.params['timeout'] == 5.0
    assert module.params['retries'] == 4
    assert module.auth_mode == 'token'
    assert module.check_mode is False


def test_credential_conflict_fails_naming_options(capsys, monkeypatch):
    monkeypatch.setenv('HUAWEICLOUD_SDK_AK', 'ak')
    monkeypatch.setenv('HUAWEICLOUD_SDK_SK', SK)
    result = _failure(capsys, {'auth_token': TOKEN, 'region': 'cn-north-4'})
    assert result['failed'] is True
    for name in ('access_key', 'secret_key', 'auth_token'):
        assert name in result['msg']
    output = json.dumps(result)
    assert SK not in output and TOKEN not in output


def test_missing_credentials_fail(capsys):
    result = _failure(capsys, {'region': 'cn-north-4'})
    assert 'access_key' in result['msg'] and 'auth_token' in result['msg'] and 'username' in result['msg']


def test_half_pair_fails(capsys):
    result = _failure(capsys, {'region': 'cn-north-4', 'username': 'u', 'password': PASSWORD})
    assert 'domain_name' in result['msg']
    assert PASSWORD not in json.dumps(result)


def test_range_fails(capsys):
    result = _failure(capsys, {'region': 'cn-north-4', 'auth_token': TOKEN, 'max_concurrency': 0})
    assert 'max_concurrency' in result['msg']


@pytest.mark.parametrize('flag, library', [('HAS_REQUESTS', 'requests'), ('HAS_JSONSCHEMA', 'jsonschema')])
def test_missing_library(capsys, monkeypatch, flag, library):
    monkeypatch.setattr(_module, flag, False)
    result = _failure(capsys, {'region': 'cn-north-4', 'auth_token': TOKEN})
    assert library in result['msg']
    assert 'Failed to import the required Python library' in result['msg']


def test_client_is_built_once_for_the_service():
    module = _module_with({'region': 'cn-north-4', 'auth_token': TOKEN, 'project_id': 'p'}, service='modelarts')
    client = module.client
    assert isinstance(client, HuaweiCloudClient)
    assert client is module.client
    assert client.endpoint == 'https://modelarts.cn-north-4.myhuaweicloud.com'
    assert client.session.headers['User-Agent'].startswith('hwcloud.migration/')


def test_client_configuration_error_fails(capsys):
    module = _module_with({'auth_token': TOKEN})  # no region and no endpoint
    with pytest.raises(SystemExit):
        _client = module.client
    result = json.loads(capsys.readouterr().out)
    assert 'region' in result['msg'] and 'endpoint' in result['msg']


def test_failure_of_an_api_error_carries_its_details(capsys):
    module = _module_with({'region': 'cn-north-4', 'auth_token': TOKEN})
    err = HuaweiCloudError(
        'No resources found.', status=404, code='OMS.1009', request_id='rid-1', method='GET', url='https://oms.r.myhuaweicloud.com/v2/p/sync-tasks/t'
    )
    with pytest.raises(SystemExit):
        module.fail_json(**error_result(err, msg='Could not read sync task t', sync_task_id='t'))
    result = json.loads(capsys.readouterr().out)
    assert result['msg'].startswith('Could not read sync task t: GET https://oms.r.myhuaweicloud.com/')
    assert 'OMS.1009' in result['msg'] and 'rid-1' in result['msg']
    for key, value in (
        ('status', 404),
        ('error_code', 'OMS.1009'),
        ('error_msg', 'No resources found.'),
        ('request_id', 'rid-1'),
        ('method', 'GET'),
        ('sync_task_id', 't'),
        ('url', 'https://oms.r.myhuaweicloud.com/v2/p/sync-tasks/t'),
    ):
        assert result[key] == value


def test_failure_without_msg_and_of_a_foreign_exception(capsys):
    module = _module_with({'region': 'cn-north-4', 'auth_token': TOKEN})
    with pytest.raises(SystemExit):
        module.fail_json(**error_result(HuaweiCloudError('boom', status=500)))
    assert json.loads(capsys.readouterr().out)['msg'] == 'Huawei Cloud API request failed: HTTP 500: boom'
    with pytest.raises(SystemExit):
        module.fail_json(**error_result(RuntimeError('odd')))
    result = json.loads(capsys.readouterr().out)
    assert result['msg'] == 'odd' and result['status'] is None


def test_failing_call_end_to_end_keeps_secrets_out(capsys, caplog, fake_server):
    caplog.set_level(logging.DEBUG)
    fake_server.handler = lambda request: (404, {'X-Request-Id': 'rid-e2e'}, {'error_code': 'OMS.1009', 'error_msg': 'No resources found.'})
    module = _module_with({'endpoint': fake_server.url, 'project_id': 'p1', 'access_key': 'AKID', 'secret_key': SK, 'security_token': TOKEN})
    try:
        module.client.get_json('/v2/{project_id}/sync-tasks/{sync_task_id}', path_params={'sync_task_id': 't'})
    except HuaweiCloudError as err:
        with pytest.raises(SystemExit):
            module.fail_json(**error_result(err, msg='Could not read sync task t'))
    out = capsys.readouterr().out
    result = json.loads(out)
    assert result['status'] == 404 and result['request_id'] == 'rid-e2e' and result['error_code'] == 'OMS.1009'
    assert result['url'] == '%s/v2/p1/sync-tasks/t' % fake_server.url
    for secret in (SK, TOKEN):
        assert secret not in out and secret not in caplog.text
    assert fake_server.requests[0].header('X-Security-Token') == TOKEN
