# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HuaweiCloudClient: endpoints, project discovery, get_json, fetch_many, and secret hygiene."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import logging
import threading

import pytest
from sdk_oracle import sdk_authorization  # the SDK's tests skip one by one without it

from ansible_collections.hwcloud.migration.plugins.module_utils._api import client as _client
from ansible_collections.hwcloud.migration.plugins.module_utils._api.client import HuaweiCloudClient
from ansible_collections.hwcloud.migration.plugins.module_utils._api.endpoints import quote_path_param, resolve_endpoint, resolve_iam_endpoint
from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError, ParameterError
from ansible_collections.hwcloud.migration.plugins.module_utils._api.options import OptionError

AK = 'AK-PUBLIC-ID-0001'
SK = 'SK-TOP-SECRET-do-not-leak-0123456789'
TOKEN = 'MIITOKEN-SECRET-do-not-leak-abcdef'
PASSWORD = 'Pa55w0rd-SECRET-do-not-leak'
PROJECT = '0a1b2c3d4e5f0a1b2c3d4e5f0a1b2c3d'
SECRETS = (SK, TOKEN, PASSWORD)


def _client_for(server, **params):
    base = {'region': 'cn-north-4', 'endpoint': server.url, 'iam_endpoint': server.url, 'access_key': AK, 'secret_key': SK, 'project_id': PROJECT, 'retries': 1}
    base.update(params)
    return HuaweiCloudClient(dict((k, v) for k, v in base.items() if v is not None), 'oms')


def _verify_with_sdk(recorded):
    """Recompute the signature from what the server received, with the official SDK."""
    return sdk_authorization(recorded, AK, SK) == recorded.header('Authorization')


# -- endpoints -------------------------------------------------------------------


def test_default_endpoints():
    assert resolve_endpoint('oms', 'cn-north-4') == 'https://oms.cn-north-4.myhuaweicloud.com'
    assert resolve_endpoint('oms', 'eu-west-101', 'myhuaweicloud.eu') == 'https://oms.eu-west-101.myhuaweicloud.eu'
    assert resolve_endpoint('modelarts', 'cn-north-4') == 'https://modelarts.cn-north-4.myhuaweicloud.com'
    assert resolve_endpoint('modelarts', 'ap-southeast-1') == 'https://modelarts.ap-southeast-1.myhuaweicloud.cn'
    assert resolve_endpoint('modelarts', 'ap-southeast-1', 'example.cloud') == 'https://modelarts.ap-southeast-1.example.cloud'
    assert resolve_iam_endpoint('cn-north-4') == 'https://iam.cn-north-4.myhuaweicloud.com'
    assert resolve_iam_endpoint(None) == 'https://iam.myhuaweicloud.com'
    assert resolve_iam_endpoint('r', iam_endpoint='http://127.0.0.1:9/') == 'http://127.0.0.1:9'


def test_endpoint_option_then_environment_then_default():
    environ = {'HUAWEICLOUD_SDK_REGION_OMS_CN_NORTH_4': 'http://127.0.0.1:8080/'}
    assert resolve_endpoint('oms', 'cn-north-4', environ=environ) == 'http://127.0.0.1:8080'
    assert resolve_endpoint('oms', 'cn-north-4', endpoint='https://override.example', environ=environ) == 'https://override.example'
    assert resolve_endpoint('oms', 'cn-east-3', environ=environ) == 'https://oms.cn-east-3.myhuaweicloud.com'
    assert resolve_endpoint('modelarts', 'cn-north-4', environ=environ) == 'https://modelarts.cn-north-4.myhuaweicloud.com'


def test_environment_override_through_the_client(monkeypatch):
    monkeypatch.setenv('HUAWEICLOUD_SDK_REGION_MODELARTS_AP_SOUTHEAST_1', 'http://127.0.0.1:9999')
    client = HuaweiCloudClient({'region': 'ap-southeast-1', 'auth_token': 't', 'project_id': 'p'}, 'modelarts')
    assert client.endpoint == 'http://127.0.0.1:9999'


def test_endpoint_errors():
    with pytest.raises(OptionError) as info:
        resolve_endpoint('oms', None)
    assert 'region' in str(info.value) and 'endpoint' in str(info.value)
    with pytest.raises(OptionError):
        resolve_endpoint('oms', 'r', endpoint='ftp://x')
    with pytest.raises(OptionError):
        resolve_endpoint('oms', 'r', endpoint='https://x/?a=1')
    assert resolve_endpoint('oms', 'r', endpoint='oms.example.com') == 'https://oms.example.com'


def test_client_validates_options():
    with pytest.raises(OptionError):
        HuaweiCloudClient({'region': 'r', 'auth_token': 't', 'max_concurrency': 100}, 'oms')
    with pytest.raises(OptionError):
        HuaweiCloudClient({'region': 'r', 'auth_token': 't', 'access_key': 'a', 'secret_key': 's'}, 'oms')


# -- path parameters ----------------------------------------------------------------


@pytest.mark.parametrize(
    'value, encoded',
    [
        ('../x', '..%2Fx'),
        ('a/b', 'a%2Fb'),
        ('a?b', 'a%3Fb'),
        ('a#b', 'a%23b'),
        ('%2F', '%252F'),
        ('任务-é', '%E4%BB%BB%E5%8A%A1-%C3%A9'),
        ('plain-ID_1.2~3', 'plain-ID_1.2~3'),
        ('x' * 255, 'x' * 255),
    ],
)
def test_path_segment_encoding(value, encoded):
    assert quote_path_param('sync_task_id', value) == encoded


@pytest.mark.parametrize('value', ['x' * 300, '', 'a\nb', 'a\x00b', 'tab\there', 'del\x7f', 'c1\x85', '.', '..', 5, None, b'bytes'])
def test_path_segment_refused(value):
    with pytest.raises(ParameterError):
        quote_path_param('sync_task_id', value)


def test_path_limits():
    assert quote_path_param('project_id', 'p' * 1024) == 'p' * 1024
    with pytest.raises(ParameterError):
        quote_path_param('project_id', 'p' * 1025)
    with pytest.raises(ParameterError):
        quote_path_param('sync_task_id', 'abcdef', limits=(1, 5))


@pytest.mark.parametrize(
    'value, wire',
    [
        ('../x', '/v2/%s/sync-tasks/..%%2Fx' % PROJECT),
        ('a/b', '/v2/%s/sync-tasks/a%%2Fb' % PROJECT),
        ('a?b', '/v2/%s/sync-tasks/a%%3Fb' % PROJECT),
        ('%2F', '/v2/%s/sync-tasks/%%252F' % PROJECT),
        ('任务', '/v2/%s/sync-tasks/%%E4%%BB%%BB%%E5%%8A%%A1' % PROJECT),
    ],
)
def test_odd_ids_reach_the_server_as_one_segment_and_signed_correctly(fake_server, value, wire):
    fake_server.handler = lambda request: (200, {'X-Request-Id': 'rid-ok'}, {'id': 'x'})
    client = _client_for(fake_server)
    body, meta = client.get_json('/v2/{project_id}/sync-tasks/{sync_task_id}', path_params={'sync_task_id': value}, query={'query_time': 1700000000000})
    recorded = fake_server.requests[-1]
    assert recorded.path == wire + '?query_time=1700000000000'
    assert meta == {'status': 200, 'request_id': 'rid-ok', 'url': fake_server.url + recorded.path}
    assert _verify_with_sdk(recorded)


def test_refused_parameter_sends_nothing(fake_server):
    client = _client_for(fake_server)
    for bad in ('x' * 300, 'a\r\nX-Injected: 1'):
        with pytest.raises(ParameterError):
            client.get_json('/v2/{project_id}/sync-tasks/{sync_task_id}', path_params={'sync_task_id': bad})
    assert fake_server.requests == []


def test_template_mistakes_are_programming_errors(fake_server):
    client = _client_for(fake_server)
    with pytest.raises(ValueError):
        client.build_path('/v2/{project_id}/x/{missing}')
    with pytest.raises(ValueError):
        client.build_path('/v2/x', {'extra': 'y'})
    with pytest.raises(ValueError):
        client.build_path('v2/x')


# -- get_json ---------------------------------------------------------------------


def test_query_encoding_and_headers(fake_server):
    fake_server.handler = lambda request: (200, {}, {'ok': 1})
    client = _client_for(fake_server)
    client.get_json(
        '/v2/{project_id}/sync-tasks/{sync_task_id}/statistics',
        path_params={'sync_task_id': 't1'},
        query={'start_time': 1700000000000, 'data_type': 'SUCCESS,FAIL', 'end_time': '1700003600000', 'skip': None, 'multi': ['b', 'a b']},
    )
    recorded = fake_server.requests[-1]
    assert recorded.path.split('?')[1] == ('data_type=SUCCESS%2CFAIL&end_time=1700003600000&multi=a%20b&multi=b&start_time=1700000000000')
    assert recorded.header('X-Project-Id') == PROJECT
    assert recorded.header('User-Agent') == 'hwcloud.migration/0.1.0'
    assert recorded.header('X-Sdk-Date')
    assert _verify_with_sdk(recorded)


@pytest.mark.parametrize('query', [{'flag': True}, {'x': 1.5}, {'x': {'a': 1}}, {'': 'v'}, {'x': 'a\nb'}])
def test_query_values_refused(fake_server, query):
    with pytest.raises(ParameterError):
        _client_for(fake_server).get_json('/v2/x', query=query)


def test_error_response_is_parsed(fake_server):
    fake_server.handler = lambda request: (404, {'X-Request-Id': 'rid-404'}, {'error_code': 'OMS.1009', 'error_msg': 'No resources found.'})
    client = _client_for(fake_server)
    with pytest.raises(HuaweiCloudError) as info:
        client.get_json('/v2/{project_id}/sync-tasks/{sync_task_id}', path_params={'sync_task_id': 'gone'})
    err = info.value
    assert (err.status, err.code, err.message, err.request_id, err.method) == (404, 'OMS.1009', 'No resources found.', 'rid-404', 'GET')
    assert err.url == '%s/v2/%s/sync-tasks/gone' % (fake_server.url, PROJECT)


def test_final_503_after_retries_is_parsed(fake_server):
    fake_server.handler = lambda request: (503, {}, {'error_code': 'OMS.2004', 'error_msg': 'busy'})
    with pytest.raises(HuaweiCloudError) as info:
        _client_for(fake_server, retries=2).get_json('/v2/x')
    assert info.value.status == 503 and info.value.code == 'OMS.2004'
    assert len(fake_server.requests) == 3


@pytest.mark.parametrize('status, body', [(200, b'<html>proxy login</html>'), (200, b''), (204, b'')])
def test_non_json_success_is_an_error(fake_server, status, body):
    fake_server.handler = lambda request: (status, {'X-Request-Id': 'rid'}, body)
    with pytest.raises(HuaweiCloudError) as info:
        _client_for(fake_server).get_json('/v2/x')
    assert info.value.code == 'InvalidResponse' and info.value.status == status
    assert info.value.request_id == 'rid'


def test_transport_error_has_no_status():
    client = HuaweiCloudClient({'endpoint': 'http://127.0.0.1:1', 'access_key': AK, 'secret_key': SK, 'project_id': PROJECT, 'retries': 0}, 'oms')
    with pytest.raises(HuaweiCloudError) as info:
        client.get_json('/v2/{project_id}/sync-tasks')
    assert info.value.status is None and info.value.method == 'GET'
    assert 'ConnectionError' in str(info.value)


def test_redirects_are_not_followed(fake_server):
    fake_server.handler = lambda request: (302, {'Location': 'http://elsewhere.invalid/'}, b'')
    with pytest.raises(HuaweiCloudError) as info:
        _client_for(fake_server).get_json('/v2/x')
    assert info.value.status == 302
    assert len(fake_server.requests) == 1


def test_token_auth_headers(fake_server):
    fake_server.handler = lambda request: (200, {}, {})
    _client_for(fake_server, access_key=None, secret_key=None, auth_token=TOKEN).get_json('/v2/x')
    recorded = fake_server.requests[-1]
    assert recorded.header('X-Auth-Token') == TOKEN
    assert recorded.header('Authorization') is None


def test_password_auth_renews_once_through_the_client(fake_server):
    issued = []

    def handler(request):
        if request.method == 'POST':
            issued.append('TOKEN-%d' % (len(issued) + 1))
            return 201, {'X-Subject-Token': issued[-1]}, {'token': {'project': {'id': PROJECT}}}
        if request.header('X-Auth-Token') == 'TOKEN-1':
            return 401, {}, {'error_code': 'APIGW.0307', 'error_msg': 'The token must be updated.'}
        return 200, {}, {'token': request.header('X-Auth-Token')}

    fake_server.handler = handler
    client = _client_for(fake_server, access_key=None, secret_key=None, username='u', password=PASSWORD, domain_name='d')
    assert client.get_json('/v2/x')[0] == {'token': 'TOKEN-2'}
    assert client.get_json('/v2/x')[0] == {'token': 'TOKEN-2'}
    assert issued == ['TOKEN-1', 'TOKEN-2']


# -- project discovery -------------------------------------------------------------


def _iam(projects, counter=None):
    def handler(request):
        if request.path.startswith('/v3/projects'):
            if counter is not None:
                counter.append(request)
            return 200, {'X-Request-Id': 'iam-rid'}, {'projects': projects, 'links': {}}
        return 200, {}, {'project_header': request.header('X-Project-Id'), 'path': request.path}

    return handler


def test_project_discovered_once(fake_server):
    calls = []
    fake_server.handler = _iam([{'id': 'found-id', 'name': 'cn-north-4', 'domain_id': 'd', 'enabled': True}], calls)
    client = _client_for(fake_server, project_id=None)
    results = client.fetch_many(
        lambda n: client.get_json('/v2/{project_id}/sync-tasks/{sync_task_id}', path_params={'sync_task_id': 'task-%d' % n})[0], range(12)
    )
    assert [result['path'] for dummy, result in results] == ['/v2/found-id/sync-tasks/task-%d' % n for n in range(12)]
    assert all(result['project_header'] == 'found-id' for dummy, result in results)
    assert len(calls) == 1
    assert calls[0].path == '/v3/projects?name=cn-north-4'
    assert calls[0].header('X-Project-Id') is None
    assert _verify_with_sdk(calls[0])


def test_project_zero_matches(fake_server):
    fake_server.handler = _iam([])
    client = _client_for(fake_server, project_id=None)
    with pytest.raises(HuaweiCloudError) as info:
        _project_id = client.project_id
    assert 'project_id' in str(info.value) and info.value.code == 'ProjectNotFound'
    assert info.value.request_id == 'iam-rid'


def test_project_several_matches(fake_server):
    fake_server.handler = _iam([{'id': 'one', 'name': 'cn-north-4'}, {'id': 'two', 'name': 'cn-north-4'}])
    with pytest.raises(HuaweiCloudError) as info:
        _project_id = _client_for(fake_server, project_id=None).project_id
    assert 'project_id' in str(info.value) and 'one' in str(info.value) and 'two' in str(info.value)
    assert info.value.code == 'AmbiguousProject'


def test_project_name_must_match_exactly(fake_server):
    fake_server.handler = _iam([{'id': 'sub', 'name': 'cn-north-4_sub'}, {'id': 'main', 'name': 'cn-north-4'}])
    assert _client_for(fake_server, project_id=None).project_id == 'main'


def test_project_option_means_no_iam_call(fake_server):
    fake_server.handler = _iam([])
    assert _client_for(fake_server).project_id == PROJECT
    assert fake_server.requests == []


def test_project_needs_region(fake_server):
    client = _client_for(fake_server, project_id=None, region=None)
    with pytest.raises(HuaweiCloudError) as info:
        _project_id = client.project_id
    assert 'project_id' in str(info.value) and 'region' in str(info.value)


def test_password_token_scope_gives_the_project(fake_server):
    def handler(request):
        if request.method == 'POST':
            return 201, {'X-Subject-Token': 'T'}, {'token': {'project': {'id': 'from-token', 'name': 'cn-north-4'}}}
        raise AssertionError('no other call expected')

    fake_server.handler = handler
    client = _client_for(fake_server, project_id=None, access_key=None, secret_key=None, username='u', password=PASSWORD, domain_name='d')
    assert client.project_id == 'from-token'


# -- fetch_many ---------------------------------------------------------------------


def test_fetch_many_order_dedup_and_errors(fake_server):
    client = _client_for(fake_server, max_concurrency=4)
    seen = []
    lock = threading.Lock()

    def fetch(item):
        with lock:
            seen.append(item)
        if item == 'bad':
            raise HuaweiCloudError('nope', status=404, code='OMS.1009')
        return item.upper()

    results = client.fetch_many(fetch, ['b', 'a', 'bad', 'b', 'c', 'a'])
    assert [item for item, dummy in results] == ['b', 'a', 'bad', 'c']
    assert results[0][1] == 'B' and results[3][1] == 'C'
    assert isinstance(results[2][1], HuaweiCloudError)
    assert sorted(seen) == ['a', 'b', 'bad', 'c']
    assert client.fetch_many(fetch, []) == []


def test_fetch_many_is_bounded(fake_server):
    client = _client_for(fake_server, max_concurrency=3)
    barrier = threading.Barrier(3, timeout=10)
    active = [0, 0]
    lock = threading.Lock()

    def fetch(item):
        with lock:
            active[0] += 1
            active[1] = max(active[1], active[0])
        barrier.wait()  # proves 3 run at once (a lower bound would break the barrier)
        with lock:
            active[0] -= 1
        return item

    results = client.fetch_many(fetch, list(range(9)))
    assert [result for dummy, result in results] == list(range(9))
    assert active[1] == 3


def test_fetch_many_propagates_programming_errors(fake_server):
    client = _client_for(fake_server)
    with pytest.raises(ZeroDivisionError):
        client.fetch_many(lambda item: 1 // 0, [1, 2])


# -- secret hygiene -------------------------------------------------------------------


def _assert_clean(err, caplog):
    assert caplog.records  # logging was captured, so the check below means something
    texts = [str(err), repr(err), json.dumps(err.to_dict()), caplog.text]
    for secret in SECRETS:
        for text in texts:
            assert secret not in text


@pytest.mark.parametrize(
    'auth',
    [
        {},
        {'access_key': AK, 'secret_key': SK, 'security_token': TOKEN},
        {'access_key': None, 'secret_key': None, 'auth_token': TOKEN},
        {'access_key': None, 'secret_key': None, 'username': 'alice', 'password': PASSWORD, 'domain_name': 'd'},
    ],
)
def test_secrets_never_leak_from_failures(fake_server, caplog, auth):
    caplog.set_level(logging.DEBUG)

    def handler(request):
        if request.method == 'POST':
            return 201, {'X-Subject-Token': TOKEN}, {'token': {}}
        return 403, {'X-Request-Id': 'rid-403'}, {'error_code': 'APIGW.0302', 'error_msg': 'not authorized'}

    fake_server.handler = handler
    client = _client_for(fake_server, **auth)
    with pytest.raises(HuaweiCloudError) as info:
        client.get_json('/v2/{project_id}/sync-tasks')
    assert info.value.status == 403
    _assert_clean(info.value, caplog)
    assert SK not in repr(client) and TOKEN not in repr(client)


def test_secrets_never_leak_from_iam_failure(fake_server, caplog):
    caplog.set_level(logging.DEBUG)
    fake_server.handler = lambda request: (401, {}, {'error': {'code': 401, 'message': 'wrong password', 'title': 'Unauthorized'}})
    client = _client_for(fake_server, access_key=None, secret_key=None, username='alice', password=PASSWORD, domain_name='d')
    with pytest.raises(HuaweiCloudError) as info:
        client.get_json('/v2/x')
    assert info.value.status == 401 and info.value.method == 'POST'
    _assert_clean(info.value, caplog)


def test_secrets_never_leak_from_transport_failure(caplog):
    caplog.set_level(logging.DEBUG)
    client = HuaweiCloudClient(
        {'endpoint': 'http://127.0.0.1:1', 'access_key': AK, 'secret_key': SK, 'security_token': TOKEN, 'project_id': PROJECT, 'retries': 1}, 'oms'
    )
    with pytest.raises(HuaweiCloudError) as info:
        client.get_json('/v2/x')
    _assert_clean(info.value, caplog)


def test_user_agent_and_version_constant():
    from ansible_collections.hwcloud.migration.plugins.module_utils._version import COLLECTION_VERSION, USER_AGENT

    assert USER_AGENT == 'hwcloud.migration/%s' % COLLECTION_VERSION
    client = HuaweiCloudClient({'region': 'cn-north-4', 'auth_token': 't', 'project_id': 'p'}, 'oms', user_agent='custom/1')
    assert client.session.headers['User-Agent'] == 'custom/1'
    assert _client.USER_AGENT == USER_AGENT
