# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The session, the retry policy, the deadline and the rate limiter, against a loopback server and a fake clock."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import email.utils
import socket
import threading
import time

import pytest

from ansible_collections.hwcloud.migration.plugins.module_utils._api import auth as _auth
from ansible_collections.hwcloud.migration.plugins.module_utils._api import retry as _retry
from ansible_collections.hwcloud.migration.plugins.module_utils._api import transport as _transport
from ansible_collections.hwcloud.migration.plugins.module_utils._api.client import HuaweiCloudClient
from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError

UA = 'hwcloud.migration/test'
PROJECT = '0a1b2c3d4e5f0a1b2c3d4e5f0a1b2c3d'


def _session(**kwargs):
    kwargs.setdefault('retries', 4)
    kwargs.setdefault('timeout', 30.0)
    return _transport.build_session(UA, **kwargs)


def _get(session, url):
    return session.get(url, timeout=(5, 5))


def _client(url, **params):
    base = {'endpoint': url, 'project_id': PROJECT, 'auth_token': 'token-value', 'retries': 4, 'timeout': 30}
    base.update(params)
    return HuaweiCloudClient(base, 'oms')


def _read(url, **params):
    return _client(url, **params).get_json('/x')


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
    assert adapter.poolmanager.connection_pool_kw['maxsize'] == 12
    assert session.get_adapter('http://127.0.0.1:1') is adapter
    assert session.headers['User-Agent'] == UA
    assert session.trust_env is True
    assert session.verify is False
    assert adapter.rate_limiter is None
    assert _session(ca_path='/tmp/ca.pem').verify == '/tmp/ca.pem'
    assert _session(rate_limit=3).get_adapter('http://x').rate_limiter.rate == 3.0


def test_the_session_sends_once_the_policy_decides_the_rest(fake_server, fake_time):
    # No urllib3 retries on the adapter: a bare session answers with the first 503; the client retries it.
    fake_server.handler = _sequence((503, {}, {}), (200, {}, {'ok': True}))
    assert _get(_session(retries=3), fake_server.url + '/x').status_code == 503
    assert len(fake_server.requests) == 1 and fake_time.sleeps == []
    assert _read(fake_server.url)[0] == {'ok': True}
    assert len(fake_server.requests) == 2


def test_timeouts_and_verify_helpers():
    assert _transport.request_timeout(30) == (10.0, 30.0)
    assert _transport.request_timeout(2.5) == (2.5, 2.5)
    assert _transport.verify_setting(True, None) is True
    assert _transport.verify_setting(False, None) is False
    assert _transport.verify_setting(False, '/ca.pem') == '/ca.pem'
    assert _transport.retry_deadline(30, 4) == 150.0
    assert _transport.retry_deadline(300, 10) == 600.0  # a signature date is only accepted for 15 minutes


def test_policy_shape():
    policy = _retry.RetryPolicy(4, 30)
    assert policy.retries == 4 and policy.attempts == 5 and policy.deadline == 150.0
    assert _retry.RETRY_STATUSES == {429, 500, 502, 503, 504}
    assert _retry.RETRY_AFTER_STATUSES == {429, 503}  # 413's Retry-After is not followed
    assert _retry.RetryPolicy(10, 300).deadline == _transport.MAX_RETRY_WINDOW


def test_backoff_is_exponential_jittered_and_capped():
    waits = [_retry.backoff_wait(attempt) for attempt in range(1, 12)]
    # The first retry waits too (urllib3's own backoff starts at 0): 0.5 s, 1 s, 2 s, ... plus jitter.
    assert 0.5 <= waits[0] <= 1.0
    assert 1.0 <= waits[1] <= 1.5
    assert 2.0 <= waits[2] <= 2.5
    assert 4.0 <= waits[3] <= 4.5
    assert max(waits) == _retry.BACKOFF_CAP


def test_persistent_503_gives_the_last_answer_after_retries(fake_server, fake_time):
    fake_server.handler = _always(503, body={'error_code': 'OMS.2004', 'error_msg': 'busy'})
    with pytest.raises(HuaweiCloudError) as caught:
        _read(fake_server.url, retries=3)
    assert caught.value.status == 503 and caught.value.code == 'OMS.2004'
    assert len(fake_server.requests) == 4
    assert len(fake_time.sleeps) == 3  # a wait before each retry, the first one included
    assert 0.5 <= fake_time.sleeps[0] <= 1.0 and 1.0 <= fake_time.sleeps[1] <= 1.5 and 2.0 <= fake_time.sleeps[2] <= 2.5


@pytest.mark.parametrize('status', [500, 502, 504, 429])
def test_retried_statuses_then_success(fake_server, status):
    fake_server.handler = _sequence((status, {}, {}), (200, {}, {'ok': True}))
    assert _read(fake_server.url)[0] == {'ok': True}
    assert len(fake_server.requests) == 2


@pytest.mark.parametrize('status', [400, 401, 403, 404, 405, 409, 413])
def test_other_4xx_never_retry(fake_server, fake_time, status):
    fake_server.handler = _always(status, headers={'Retry-After': '1'})
    with pytest.raises(HuaweiCloudError) as caught:
        _read(fake_server.url)
    assert caught.value.status == status
    assert len(fake_server.requests) == 1
    assert fake_time.sleeps == []


def test_retries_zero_means_one_attempt(fake_server):
    fake_server.handler = _always(503)
    with pytest.raises(HuaweiCloudError):
        _read(fake_server.url, retries=0)
    assert len(fake_server.requests) == 1


def test_the_iam_token_post_is_retried_like_a_read(fake_server, fake_time):
    # A token request creates nothing lasting, so a 503 from IAM is retried like any read (repeatable=True).
    fake_server.handler = _always(503)
    session = _session(retries=2)
    auth = _auth.PasswordAuth(session, fake_server.url, 'u', 'p', 'd', region='r', timeout=(5, 5), policy=_retry.RetryPolicy(2, 5))
    with pytest.raises(HuaweiCloudError) as caught:
        auth.token()
    assert caught.value.status == 503 and caught.value.method == 'POST'
    assert len(fake_server.requests) == 3 and len(fake_time.sleeps) == 2


def test_retry_after_seconds_is_honoured(fake_server, fake_time):
    fake_server.handler = _sequence((429, {'Retry-After': '7'}, {'error_code': 'APIGW.0308'}), (200, {}, {}))
    _read(fake_server.url)
    [wait] = fake_time.sleeps
    assert 7.0 <= wait <= 7.0 + _retry.BACKOFF_JITTER  # the server's wait plus jitter


def test_retry_after_http_date_is_honoured(fake_server, fake_time):
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    fake_server.handler = _sequence((503, {'Retry-After': when}, {}), (200, {}, {}))
    _read(fake_server.url)
    assert len(fake_time.sleeps) == 1
    assert 28.0 <= fake_time.sleeps[0] <= 30.0 + _retry.BACKOFF_JITTER


def test_retry_after_beyond_the_deadline_ends_the_call(fake_server, fake_time):
    fake_server.handler = _always(429, headers={'Retry-After': '3600'})
    with pytest.raises(HuaweiCloudError) as caught:
        _read(fake_server.url, retries=4, timeout=30)
    assert caught.value.status == 429
    assert len(fake_server.requests) == 1
    assert fake_time.sleeps == []


def test_deadline_caps_the_number_of_attempts(fake_server, fake_time):
    # deadline = 1 * (10 + 1) = 11 s; backoffs ~0.5, ~1, ~2, ~4, ~8 reach it long before 10 retries.
    fake_server.handler = _always(503)
    start = fake_time.now
    with pytest.raises(HuaweiCloudError):
        _read(fake_server.url, retries=10, timeout=1)
    assert 3 <= len(fake_server.requests) < 11
    assert fake_time.now - start <= 11.0


def test_each_call_gets_its_own_deadline(fake_server, fake_time):
    client = _client(fake_server.url, retries=2, timeout=1)  # deadline 3 s per call
    fake_server.handler = _sequence((503, {'Retry-After': '2'}, {}), (200, {}, {}))
    client.get_json('/a')
    fake_time.now += 1000  # long after the first call's deadline
    fake_server.handler = _sequence((503, {'Retry-After': '2'}, {}), (200, {}, {}))
    client.get_json('/b')
    assert len(fake_time.sleeps) == 2
    assert all(2.0 <= wait <= 2.0 + _retry.BACKOFF_JITTER for wait in fake_time.sleeps)


def test_connection_errors_are_retried_then_raised(fake_time):
    with pytest.raises(HuaweiCloudError) as caught:
        _read('http://127.0.0.1:%d' % _free_port(), retries=3)
    assert caught.value.status is None and 'ConnectionError' in caught.value.message
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
