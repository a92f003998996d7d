# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One deadline per call (rate limiter, retries, body re-reads), and a wait before every retry, the first included."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket
import socketserver
import threading

import pytest

from ansible_collections.hwcloud.migration.plugins.module_utils._api import retry as _retry
from ansible_collections.hwcloud.migration.plugins.module_utils._api import transport as _transport
from ansible_collections.hwcloud.migration.plugins.module_utils._api.client import HuaweiCloudClient
from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError

PROJECT = '0a1b2c3d4e5f0a1b2c3d4e5f0a1b2c3d'
TASK = {'sync_task_id': 't', 'status': 'SYNCHRONIZING'}
THROTTLED = {'error_code': 'APIGW.0308', 'error_msg': 'policy user over ratelimit,limit:10,time:1 second'}


def _client(url, **params):
    base = {'endpoint': url, 'project_id': PROJECT, 'auth_token': 'token-value', 'retries': 2, 'timeout': 5}
    base.update(params)
    return HuaweiCloudClient(base, 'oms')


def _sequence(*answers):
    answers = list(answers)
    return lambda request: answers.pop(0) if len(answers) > 1 else answers[0]


class RawAnswers:
    """Answers connection n with ``answers[n - 1]`` (the last one from then on), raw bytes, then closes."""

    def __init__(self, answers):
        self.connections = 0
        server = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                self.request.recv(65536)
                server.connections += 1
                try:
                    self.request.sendall(answers[min(server.connections, len(answers)) - 1])
                    self.request.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

        self.httpd = socketserver.ThreadingTCPServer(('127.0.0.1', 0), Handler)
        self.httpd.daemon_threads = True
        self.url = 'http://127.0.0.1:%d' % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, kwargs={'poll_interval': 0.01}, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(name='raw_answers')
def raw_answers_fixture():
    servers = []

    def start(answers):
        servers.append(RawAnswers(answers))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


@pytest.fixture(name='no_jitter')
def no_jitter_fixture(monkeypatch):
    monkeypatch.setattr(_retry.random, 'uniform', lambda low, high: low)


def test_a_429_without_retry_after_waits_before_its_first_retry(fake_server, fake_time):
    fake_server.handler = _sequence((429, {}, THROTTLED), (200, {}, TASK))
    body, _meta = _client(fake_server.url).get_json('/v2/{project_id}/sync-tasks/t')
    assert body == TASK and len(fake_server.requests) == 2
    [wait] = fake_time.sleeps
    assert _retry.BACKOFF_FACTOR <= wait <= _retry.BACKOFF_FACTOR + _retry.BACKOFF_JITTER


@pytest.mark.parametrize('value', ['0', 'soon', '-5', '2.5', 'Sun, 99 Foo 99999 99:99:99 GMT'])
def test_a_zero_or_garbled_retry_after_means_the_backoff(fake_server, fake_time, value):
    fake_server.handler = _sequence((429, {'Retry-After': value}, THROTTLED), (200, {}, TASK))
    body, _meta = _client(fake_server.url, retries=1).get_json('/v2/{project_id}/sync-tasks/t')
    assert body == TASK
    [wait] = fake_time.sleeps
    assert _retry.BACKOFF_FACTOR <= wait <= _retry.BACKOFF_FACTOR + _retry.BACKOFF_JITTER


def test_a_retry_after_past_the_deadline_ends_the_call_with_the_429(fake_server, fake_time):
    fake_server.handler = _sequence((429, {'Retry-After': '1' * 40}, THROTTLED), (200, {}, TASK))
    with pytest.raises(HuaweiCloudError) as caught:
        _client(fake_server.url, retries=1).get_json('/v2/{project_id}/sync-tasks/t')
    assert caught.value.status == 429 and fake_time.sleeps == []


def test_a_rate_limiter_wait_past_the_deadline_fails_at_once(fake_server, fake_time):
    # One request every 20 s; the deadline of a call is 1 * (1 + 1) = 2 s.
    fake_server.handler = lambda request: (200, {}, TASK)
    client = _client(fake_server.url, rate_limit=0.05, timeout=1, retries=1)
    client.get_json('/v2/{project_id}/sync-tasks/t')
    with pytest.raises(HuaweiCloudError) as caught:
        client.get_json('/v2/{project_id}/sync-tasks/t')
    message = caught.value.message
    assert 'rate_limit (0.05 requests per second) would hold this request 20.0 s' in message and 'deadline' in message, message
    assert fake_time.sleeps == [] and len(fake_server.requests) == 1
    # The token was given back: after the wait the limiter asked for, the next call goes through.
    fake_time.now += 20
    assert client.get_json('/v2/{project_id}/sync-tasks/t')[0] == TASK


def test_the_rate_limiter_wait_and_the_retries_share_one_deadline(fake_server, fake_time, no_jitter):
    # Deadline 2 * (1 + 1) = 4 s. The second call first waits 2.5 s for the rate limiter, then gets a 503
    # asking for 1 s: 3.5 s is in time, 2.5 + 2 = 4.5 s is not.
    fake_server.handler = lambda request: (200, {}, TASK)
    client = _client(fake_server.url, rate_limit=0.4, timeout=2, retries=1)
    client.get_json('/v2/{project_id}/sync-tasks/t')
    fake_server.handler = _sequence((503, {'Retry-After': '2'}, {'error_code': 'OMS.2004'}), (200, {}, TASK))
    with pytest.raises(HuaweiCloudError) as caught:
        client.get_json('/v2/{project_id}/sync-tasks/t')
    assert caught.value.status == 503 and fake_time.sleeps == [2.5]
    fake_time.now += 10
    fake_server.handler = _sequence((503, {'Retry-After': '1'}, {'error_code': 'OMS.2004'}), (200, {}, TASK))
    assert client.get_json('/v2/{project_id}/sync-tasks/t')[0] == TASK
    assert fake_time.sleeps == pytest.approx([2.5, 1.0, 1.5])  # the retry waits its turn at the limiter too


def test_a_retry_takes_its_turn_at_the_rate_limiter_too(fake_server, fake_time, no_jitter):
    # One request a second: a 503 at once, 0.5 s of backoff, then 0.5 s more until the limiter lets the retry go.
    fake_server.handler = _sequence((503, {}, {'error_code': 'OMS.2004'}), (200, {}, TASK))
    assert _client(fake_server.url, rate_limit=1).get_json('/v2/{project_id}/sync-tasks/t')[0] == TASK
    assert fake_time.sleeps == pytest.approx([0.5, 0.5])


def test_a_retry_whose_rate_limiter_turn_is_past_the_deadline_ends_the_call(fake_server, fake_time, no_jitter):
    # One request every 10 s; the deadline is 2 * (2 + 1) = 6 s: the retry's turn would come after 10 s.
    fake_server.handler = _sequence((503, {}, {'error_code': 'OMS.2004'}), (200, {}, TASK))
    with pytest.raises(HuaweiCloudError) as caught:
        _client(fake_server.url, rate_limit=0.1, timeout=2, retries=2).get_json('/v2/{project_id}/sync-tasks/t')
    assert 'rate_limit (0.1 requests per second) would hold this request' in caught.value.message, caught.value.message
    assert fake_time.sleeps == [0.5] and len(fake_server.requests) == 1


def test_body_re_reads_and_status_retries_share_one_deadline(raw_answers, fake_time, no_jitter):
    # Deadline 1 * (4 + 1) = 5 s: a cut-off body, 0.5 s of backoff, then a 503 asking for 5 s would end at
    # 5.5 s, past the deadline, so the call ends with that 503 (each request had its own 5 s before).
    server = raw_answers([_answer(200, b'{"sync_task_id": "t"', length=60), _answer(503, b'{"error_code": "OMS.2004"}', retry_after='5')])
    with pytest.raises(HuaweiCloudError) as caught:
        _client(server.url, timeout=1, retries=4).get_json('/v2/{project_id}/sync-tasks/t')
    assert caught.value.status == 503 and fake_time.sleeps == [0.5]


def test_a_request_outside_the_client_is_a_call_of_its_own(fake_server, fake_time):
    # One request every 10 s, a deadline of 1 * (2 + 1) = 3 s: the second bare request would wait past it.
    session = _transport.build_session('ua/1', retries=2, timeout=1, rate_limit=0.1)
    fake_server.handler = lambda request: (200, {}, {})
    assert session.get(fake_server.url + '/a', timeout=(1, 1)).status_code == 200
    assert _transport.current_deadline() is None
    with pytest.raises(_transport.DeadlineError):
        session.get(fake_server.url + '/b', timeout=(1, 1))
    assert _transport.current_deadline() is None and len(fake_server.requests) == 1


def test_nested_call_deadlines_keep_the_outer_one(fake_time):
    with _transport.call_deadline(10) as outer:
        with _transport.call_deadline(100) as inner:
            assert inner == outer == fake_time.now + 10
    assert _transport.current_deadline() is None


def _answer(status, body, length=None, retry_after=None):
    head = 'HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n' % (status, len(body) if length is None else length)
    if retry_after:
        head += 'Retry-After: %s\r\n' % retry_after
    return (head + '\r\n').encode('ascii') + body
