# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Writes: post_json, put_json and delete are signed like reads, fail like reads, and are retried only where safe."""

import json
import socket
import socketserver
import threading

import pytest
from sdk_oracle import sdk_authorization  # the SDK's tests skip one by one without it

from ansible_collections.hwcloud.migration.plugins.module_utils._api.client import HuaweiCloudClient
from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError

AK = 'AK-PUBLIC-ID-0001'
SK = 'SK-TOP-SECRET-do-not-leak-0123456789'
PROJECT = '0a1b2c3d4e5f0a1b2c3d4e5f0a1b2c3d'
TASK_PATH = '/v2/{project_id}/sync-tasks/{sync_task_id}'
BODY = {'name': 'task-é', 'options': {'enabled': True, 'limit': 10}, 'ids': ['a', 'b']}


def _client(url, **params):
    base = {'endpoint': url, 'access_key': AK, 'secret_key': SK, 'project_id': PROJECT, 'retries': 2, 'timeout': 5}
    base.update(params)
    return HuaweiCloudClient(dict((key, value) for key, value in base.items() if value is not None), 'oms')


def _sdk_signature(recorded, body):
    """The official SDK's Authorization header for what the server received, with ``body`` as the payload."""
    return sdk_authorization(recorded, AK, SK, body)


def _sequence(*answers):
    answers = list(answers)
    return lambda request: answers.pop(0) if len(answers) > 1 else answers[0]


def _free_port():
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


class Hangup:
    """Reads each request whole, then closes the connection without answering: the request was sent, no answer came."""

    def __init__(self):
        self.connections = 0
        server = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                self.request.recv(65536)
                server.connections += 1
                self.request.shutdown(socket.SHUT_RDWR)

        self.httpd = socketserver.ThreadingTCPServer(('127.0.0.1', 0), Handler)
        self.httpd.daemon_threads = True
        self.url = 'http://127.0.0.1:%d' % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, kwargs={'poll_interval': 0.01}, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(name='hangup')
def hangup_fixture():
    server = Hangup()
    yield server
    server.close()


def test_a_signed_post_is_verified_by_the_official_sdk_and_covers_the_body(fake_server):
    fake_server.handler = lambda request: (201, {'X-Request-Id': 'rid-post'}, {'id': 'new'})
    body, meta = _client(fake_server.url).post_json('/v2/{project_id}/sync-tasks', query={'dry_run': 'true'}, body=BODY)
    assert body == {'id': 'new'} and meta['status'] == 201 and meta['request_id'] == 'rid-post'
    [recorded] = fake_server.requests
    assert recorded.method == 'POST' and recorded.path == '/v2/%s/sync-tasks?dry_run=true' % PROJECT
    assert json.loads(recorded.body.decode('utf-8')) == BODY
    assert recorded.header('Content-Type') == 'application/json;charset=UTF-8'
    assert recorded.header('X-Sdk-Content-Sha256') is None  # the payload is hashed into the signature, not declared unsigned
    assert _sdk_signature(recorded, recorded.body) == recorded.header('Authorization')
    # The body is part of the signature: another body would need another one.
    assert _sdk_signature(recorded, recorded.body.replace(b'10', b'11')) != recorded.header('Authorization')


def test_a_signed_put_and_delete_are_verified_by_the_official_sdk(fake_server):
    fake_server.handler = lambda request: (200, {}, {'ok': True})
    client = _client(fake_server.url)
    client.put_json(TASK_PATH, {'sync_task_id': 't/1'}, body={'description': 'x'})
    client.delete(TASK_PATH, {'sync_task_id': 't/1'})
    put, delete = fake_server.requests
    assert put.method == 'PUT' and put.path == '/v2/%s/sync-tasks/t%%2F1' % PROJECT and json.loads(put.body) == {'description': 'x'}
    assert delete.method == 'DELETE' and delete.body == b'' and delete.header('Content-Type') is None
    for recorded in (put, delete):
        assert _sdk_signature(recorded, recorded.body) == recorded.header('Authorization')


def test_a_post_is_not_retried_after_a_500(fake_server, fake_time):
    fake_server.handler = _sequence((500, {'X-Request-Id': 'rid-500'}, {'error_code': 'OMS.0500', 'error_msg': 'internal'}), (201, {}, {}))
    with pytest.raises(HuaweiCloudError) as caught:
        _client(fake_server.url, retries=4).post_json('/v2/{project_id}/sync-tasks', body=BODY)
    err = caught.value
    assert (err.status, err.code, err.request_id, err.method) == (500, 'OMS.0500', 'rid-500', 'POST')
    assert len(fake_server.requests) == 1 and fake_time.sleeps == []  # the server may have created it: not sent twice


@pytest.mark.parametrize('status', [502, 503, 504])
def test_a_post_is_not_retried_after_any_5xx(fake_server, fake_time, status):
    fake_server.handler = _sequence((status, {'Retry-After': '1'}, {'error_code': 'X'}), (201, {}, {}))
    with pytest.raises(HuaweiCloudError):
        _client(fake_server.url).post_json('/v2/{project_id}/sync-tasks', body=BODY)
    assert len(fake_server.requests) == 1 and fake_time.sleeps == []


def test_a_post_is_retried_after_a_429(fake_server, fake_time):
    fake_server.handler = _sequence((429, {'Retry-After': '3'}, {'error_code': 'APIGW.0308'}), (201, {}, {'id': 'new'}))
    assert _client(fake_server.url).post_json('/v2/{project_id}/sync-tasks', body=BODY)[0] == {'id': 'new'}
    assert len(fake_server.requests) == 2 and 3.0 <= fake_time.sleeps[0] <= 3.5
    assert fake_server.requests[0].body == fake_server.requests[1].body


def test_a_post_is_retried_when_the_connection_was_refused(fake_time):
    # Nothing listens: the request never left, so sending it again cannot do anything twice.
    with pytest.raises(HuaweiCloudError) as caught:
        _client('http://127.0.0.1:%d' % _free_port(), retries=2).post_json('/v2/{project_id}/sync-tasks', body=BODY)
    assert caught.value.status is None and caught.value.method == 'POST'
    assert len(fake_time.sleeps) == 2


def test_a_post_is_not_retried_when_the_connection_broke_after_sending(hangup, fake_time):
    with pytest.raises(HuaweiCloudError) as caught:
        _client(hangup.url, retries=3).post_json('/v2/{project_id}/sync-tasks', body=BODY)
    assert caught.value.status is None and 'no HTTP response' in str(caught.value)
    assert hangup.connections == 1 and fake_time.sleeps == []


def test_a_get_and_a_put_are_retried_when_the_connection_broke_after_sending(hangup, fake_time):
    for call in (lambda client: client.get_json('/v2/x'), lambda client: client.put_json('/v2/x', body={})):
        before = hangup.connections
        with pytest.raises(HuaweiCloudError):
            call(_client(hangup.url, retries=2))
        assert hangup.connections - before == 3


def test_a_post_that_is_safe_to_repeat_is_retried_like_a_read(fake_server, fake_time):
    fake_server.handler = _sequence((500, {}, {}), (200, {}, {'items': []}))
    assert _client(fake_server.url).post_json('/v2/{project_id}/search', body={'q': 'x'}, repeatable=True)[0] == {'items': []}
    assert len(fake_server.requests) == 2


def test_a_put_is_retried_after_a_503(fake_server, fake_time):
    fake_server.handler = _sequence((503, {}, {'error_code': 'OMS.2004'}), (200, {'X-Request-Id': 'rid-put'}, {'done': True}))
    body, meta = _client(fake_server.url).put_json(TASK_PATH, {'sync_task_id': 't'}, body={'status': 'STOP'})
    assert body == {'done': True} and meta['request_id'] == 'rid-put'
    assert [request.method for request in fake_server.requests] == ['PUT', 'PUT'] and len(fake_time.sleeps) == 1
    assert json.loads(fake_server.requests[1].body) == {'status': 'STOP'}


def test_a_put_that_acts_each_time_is_not_retried_after_a_503(fake_server, fake_time):
    fake_server.handler = _sequence((503, {}, {'error_code': 'OMS.2004'}), (200, {}, {}))
    with pytest.raises(HuaweiCloudError) as caught:
        _client(fake_server.url, retries=3).put_json('/v2/{project_id}/taskgroups/g/retry', body={}, repeatable=False)
    assert caught.value.status == 503 and len(fake_server.requests) == 1 and fake_time.sleeps == []


def test_a_put_that_acts_each_time_is_retried_after_a_429(fake_server, fake_time):
    fake_server.handler = _sequence((429, {'Retry-After': '1'}, {'error_code': 'APIGW.0308'}), (200, {}, {}))
    _client(fake_server.url).put_json('/v2/{project_id}/taskgroups/g/start', body={}, repeatable=False)
    assert len(fake_server.requests) == 2


def test_a_delete_is_retried_after_a_503_and_a_204_has_no_body(fake_server, fake_time):
    fake_server.handler = _sequence((503, {}, {}), (204, {'X-Request-Id': 'rid-del'}, b''))
    body, meta = _client(fake_server.url).delete(TASK_PATH, {'sync_task_id': 't'})
    assert body is None and meta == {'status': 204, 'request_id': 'rid-del', 'url': '%s/v2/%s/sync-tasks/t' % (fake_server.url, PROJECT)}
    assert len(fake_server.requests) == 2


@pytest.mark.parametrize('call', ['post', 'put', 'delete'])
def test_a_write_error_body_is_parsed_into_code_and_request_id(fake_server, call):
    fake_server.handler = lambda request: (400, {'X-Request-Id': 'rid-400'}, {'error_code': 'OMS.0001', 'error_msg': 'bad name'})
    client = _client(fake_server.url)
    calls = {
        'post': lambda: client.post_json('/v2/{project_id}/sync-tasks', body=BODY),
        'put': lambda: client.put_json(TASK_PATH, {'sync_task_id': 't'}, body=BODY),
        'delete': lambda: client.delete(TASK_PATH, {'sync_task_id': 't'}),
    }
    with pytest.raises(HuaweiCloudError) as caught:
        calls[call]()
    err = caught.value
    assert (err.status, err.code, err.message, err.request_id, err.method) == (400, 'OMS.0001', 'bad name', 'rid-400', call.upper())
    assert SK not in str(err) and SK not in json.dumps(err.to_dict())
    assert len(fake_server.requests) == 1


def test_a_write_answer_that_is_not_json_is_an_error(fake_server):
    fake_server.handler = lambda request: (200, {'X-Request-Id': 'rid'}, b'<html>proxy login</html>')
    with pytest.raises(HuaweiCloudError) as caught:
        _client(fake_server.url).put_json('/v2/x', body={})
    assert caught.value.code == 'InvalidResponse' and caught.value.request_id == 'rid' and caught.value.method == 'PUT'


@pytest.mark.parametrize('body', [{'x': float('nan')}, {'x': object()}, {1j: 'complex key'}])
def test_a_body_that_is_not_json_is_refused_before_sending(fake_server, body):
    with pytest.raises(ValueError):
        _client(fake_server.url).post_json('/v2/x', body=body)
    assert fake_server.requests == []


def test_token_auth_writes_carry_the_token_and_no_signature(fake_server):
    fake_server.handler = lambda request: (202, {}, {'accepted': True})
    client = _client(fake_server.url, access_key=None, secret_key=None, auth_token='tok-value')
    assert client.post_json('/v2/x', body={'a': 1})[0] == {'accepted': True}
    assert fake_server.requests[0].header('X-Auth-Token') == 'tok-value' and fake_server.requests[0].header('Authorization') is None
