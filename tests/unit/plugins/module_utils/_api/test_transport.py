# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The retry policy, the deadline and the rate limiter, against a loopback server and a fake clock."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import email.utils
import socket
import threading
import time

import pytest
import requests
from urllib3.util.retry import RequestHistory

from ansible_collections.hwcloud.migration.plugins.module_utils._api import transport as _transport

UA = 'hwcloud.migration/test'


def _session(**kwargs):
    kwargs.setdefault('retries', 4)
    kwargs.setdefault('timeout', 30.0)
    return _transport.build_session(UA, **kwargs)


def _get(session, url):
    return session.get(url, timeout=(5, 5))


def _always(status, headers=None, body=None):
    return lambda request: (status, dict(headers or {}), body if body is not None else {'error_code': 'X.%d' % status})


def _sequence(*answers):
    answers = list(answers)

    def handler(request):
        return answers.pop(0) if len(answers) > 1 else answers[0]

    return handler


def _free_port():
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def test_session_settings():
    session = _session(max_concurrency=12, validate_certs=False)
    adapter = session.get_adapter('https://oms.cn-north-4.myhuaweicloud.com')
    assert isinstance(adapter, _transport.HuaweiCloudAdapter)
    assert adapter._pool_maxsize == 12
    assert adapter._pool_connections == _transport.POOL_CONNECTIONS
    assert session.get_adapter('http://127.0.0.1:1') is adapter
    assert session.headers['User-Agent'] == UA
    assert session.trust_env is True
    assert session.verify is False
    assert adapter.rate_limiter is None
    assert _session(ca_path='/tmp/ca.pem').verify == '/tmp/ca.pem'
    assert _session(rate_limit=3).get_adapter('http://x').rate_limiter.rate == 3.0


def test_timeouts_and_verify_helpers():
    assert _transport.request_timeout(30) == (10.0, 30.0)
    assert _transport.request_timeout(2.5) == (2.5, 2.5)
    assert _transport.verify_setting(True, None) is True
    assert _transport.verify_setting(False, None) is False
    assert _transport.verify_setting(False, '/ca.pem') == '/ca.pem'
    assert _transport.retry_deadline(30, 4) == 150.0
    assert _transport.retry_deadline(300, 10) == 600.0  # a signature is only valid for 15 minutes


def test_policy_shape():
    retry = _transport.build_retry(4, 30)
    assert retry.total == 4
    assert set(retry.status_forcelist) == {429, 500, 502, 503, 504}
    assert set(retry.allowed_methods) == {'GET', 'POST'}
    assert retry.raise_on_status is False
    assert retry.respect_retry_after_header is True
    assert 413 not in retry.RETRY_AFTER_STATUS_CODES


def test_backoff_is_exponential_jittered_and_capped():
    retry = _transport.build_retry(20, 30)
    waits = []
    for attempts in range(1, 12):
        entry = RequestHistory('GET', '/', None, 503, None)
        waits.append(retry.new(history=(entry,) * attempts).get_backoff_time())
    # The first retry waits too (urllib3's own backoff starts at 0): 0.5 s, 1 s, 2 s, ... plus jitter.
    assert 0.5 <= waits[0] <= 1.0
    assert 1.0 <= waits[1] <= 1.5
    assert 2.0 <= waits[2] <= 2.5
    assert 4.0 <= waits[3] <= 4.5
    assert max(waits) == _transport.BACKOFF_CAP


def test_persistent_503_gives_the_last_response_after_retries(fake_server, fake_time):
    fake_server.handler = _always(503, body={'error_code': 'OMS.2004', 'error_msg': 'busy'})
    response = _get(_session(retries=3), fake_server.url + '/v2/p/sync-tasks')
    assert response.status_code == 503
    assert response.json()['error_code'] == 'OMS.2004'
    assert len(fake_server.requests) == 4
    assert len(fake_time.sleeps) == 3  # a wait before each retry, the first one included
    assert 0.5 <= fake_time.sleeps[0] <= 1.0 and 1.0 <= fake_time.sleeps[1] <= 1.5 and 2.0 <= fake_time.sleeps[2] <= 2.5


@pytest.mark.parametrize('status', [500, 502, 504, 429])
def test_retried_statuses_then_success(fake_server, status):
    fake_server.handler = _sequence((status, {}, {}), (200, {}, {'ok': True}))
    response = _get(_session(), fake_server.url + '/x')
    assert response.status_code == 200
    assert len(fake_server.requests) == 2


@pytest.mark.parametrize('status', [400, 401, 403, 404, 405, 409, 413])
def test_other_4xx_never_retry(fake_server, fake_time, status):
    fake_server.handler = _always(status, headers={'Retry-After': '1'})
    response = _get(_session(), fake_server.url + '/x')
    assert response.status_code == status
    assert len(fake_server.requests) == 1
    assert fake_time.sleeps == []


def test_retries_zero_means_one_attempt(fake_server):
    fake_server.handler = _always(503)
    assert _get(_session(retries=0), fake_server.url + '/x').status_code == 503
    assert len(fake_server.requests) == 1


def test_post_is_retried_like_get(fake_server, fake_time):
    # The only POST is the IAM token request: a 503 from IAM is retried like any read.
    fake_server.handler = _always(503)
    response = _session(retries=2).post(fake_server.url + '/v3/auth/tokens', data=b'{}', timeout=5)
    assert response.status_code == 503
    assert len(fake_server.requests) == 3


def test_retry_after_seconds_is_honoured(fake_server, fake_time):
    fake_server.handler = _sequence((429, {'Retry-After': '7'}, {'error_code': 'APIGW.0308'}), (200, {}, {}))
    assert _get(_session(), fake_server.url + '/x').status_code == 200
    [wait] = fake_time.sleeps
    assert 7.0 <= wait <= 7.0 + _transport.BACKOFF_JITTER  # the server's wait plus jitter


def test_retry_after_http_date_is_honoured(fake_server, fake_time):
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    fake_server.handler = _sequence((503, {'Retry-After': when}, {}), (200, {}, {}))
    assert _get(_session(), fake_server.url + '/x').status_code == 200
    assert len(fake_time.sleeps) == 1
    assert 28.0 <= fake_time.sleeps[0] <= 30.0 + _transport.BACKOFF_JITTER


def test_retry_after_beyond_the_deadline_ends_the_call(fake_server, fake_time):
    fake_server.handler = _always(429, headers={'Retry-After': '3600'})
    response = _get(_session(retries=4, timeout=30), fake_server.url + '/x')
    assert response.status_code == 429
    assert len(fake_server.requests) == 1
    assert fake_time.sleeps == []


def test_deadline_caps_the_number_of_attempts(fake_server, fake_time):
    # deadline = 1 * (10 + 1) = 11 s; backoffs ~0.5, ~1, ~2, ~4, ~8 reach it long before 10 retries.
    fake_server.handler = _always(503)
    start = fake_time.now
    response = _get(_session(retries=10, timeout=1), fake_server.url + '/x')
    assert response.status_code == 503
    assert 3 <= len(fake_server.requests) < 11
    assert fake_time.now - start <= 11.0


def test_each_call_gets_its_own_deadline(fake_server, fake_time):
    session = _session(retries=2, timeout=1)  # deadline 3 s per call
    fake_server.handler = _sequence((503, {'Retry-After': '2'}, {}), (200, {}, {}))
    assert _get(session, fake_server.url + '/a').status_code == 200
    fake_time.now += 1000  # long after the first call's deadline
    fake_server.handler = _sequence((503, {'Retry-After': '2'}, {}), (200, {}, {}))
    assert _get(session, fake_server.url + '/b').status_code == 200
    assert len(fake_time.sleeps) == 2
    assert all(2.0 <= wait <= 2.0 + _transport.BACKOFF_JITTER for wait in fake_time.sleeps)


def test_connection_errors_are_retried_then_raised(fake_time):
    url = 'http://127.0.0.1:%d/x' % _free_port()
    with pytest.raises(requests.exceptions.ConnectionError):
        _get(_session(retries=3), url)
    assert len(fake_time.sleeps) == 3  # 4 attempts, a backoff before each retry


def test_rate_limiter_spaces_requests_in_session(fake_server, fake_time):
    fake_server.handler = _always(200, body={})
    session = _session(rate_limit=10)
    for _dummy in range(3):
        _get(session, fake_server.url + '/x')
    assert fake_time.sleeps == pytest.approx([0.1, 0.1])


def test_rate_limiter_sequential():
    now = [0.0]
    waits = []

    def sleep(seconds):
        waits.append(seconds)
        now[0] += seconds

    limiter = _transport.RateLimiter(2, clock=lambda: now[0], sleep=sleep)
    results = [limiter.acquire() for dummy in range(4)]
    assert results == [0.0, 0.5, 0.5, 0.5]
    now[0] += 10  # idle time refills only up to the burst
    assert limiter.acquire() == 0.0
    assert limiter.acquire() == 0.5


def test_rate_limiter_is_thread_safe():
    waits = []
    lock = threading.Lock()

    def sleep(seconds):
        with lock:
            waits.append(seconds)

    limiter = _transport.RateLimiter(4, clock=lambda: 50.0, sleep=sleep)
    threads = [threading.Thread(target=limiter.acquire) for dummy in range(9)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Each thread reserved its own slot: 0.25 s apart, none shared.
    assert sorted(waits) == pytest.approx([0.25 * n for n in range(1, 9)])


def test_rate_limiter_rejects_bad_rate():
    with pytest.raises(ValueError):
        _transport.RateLimiter(0)
