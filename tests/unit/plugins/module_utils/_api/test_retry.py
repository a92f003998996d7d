# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The retry policy on its own: what is retryable, what is safe to repeat, how long to wait, when to stop."""

import email.utils
import time
from types import SimpleNamespace

import pytest
import requests
from urllib3.exceptions import MaxRetryError, NewConnectionError, ProtocolError, ReadTimeoutError

from ansible_collections.hwcloud.migration.plugins.module_utils._api import retry as _retry
from ansible_collections.hwcloud.migration.plugins.module_utils._api import transport as _transport
from ansible_collections.hwcloud.migration.plugins.module_utils._api.body import BodyReadError

ALL_FAILURES = [_retry.NOT_SENT, _retry.NO_ANSWER, _retry.THROTTLED, _retry.SERVER_ERROR, _retry.CUT_SHORT]


def _answer(status, headers=None, body_error=None):
    response = SimpleNamespace(status_code=status, headers=dict(headers or {}), close=lambda: None)
    return _transport.Answer(response, None if body_error else b'{}', body_error)


def _refused():
    reason = NewConnectionError(None, 'Failed to establish a new connection: [Errno 111] Connection refused')
    return requests.exceptions.ConnectionError(MaxRetryError(None, '/x', reason))


@pytest.mark.parametrize('method', ['GET', 'HEAD', 'PUT', 'DELETE', 'get'])
@pytest.mark.parametrize('failure', ALL_FAILURES)
def test_reads_put_and_delete_are_repeated_after_every_retryable_failure(method, failure):
    assert _retry.RetryPolicy(2, 5).may_repeat(method, failure) is True


@pytest.mark.parametrize(
    'failure, repeated', [(_retry.NOT_SENT, True), (_retry.THROTTLED, True), (_retry.NO_ANSWER, False), (_retry.SERVER_ERROR, False), (_retry.CUT_SHORT, False)]
)
def test_a_post_is_repeated_only_when_the_server_did_not_process_it(failure, repeated):
    policy = _retry.RetryPolicy(2, 5)
    assert policy.may_repeat('POST', failure) is repeated
    assert policy.may_repeat('POST', failure, repeatable=True) is True  # a POST known to be harmless twice
    assert policy.may_repeat('POST', None, repeatable=True) is False  # a final answer is never repeated


@pytest.mark.parametrize(
    'error, failure',
    [
        (_refused(), _retry.NOT_SENT),
        (requests.exceptions.ConnectTimeout('connect timed out'), _retry.NOT_SENT),
        (requests.exceptions.ReadTimeout(ReadTimeoutError(None, '/x', 'Read timed out.')), _retry.NO_ANSWER),
        (requests.exceptions.ConnectionError(ProtocolError('Connection aborted.', ConnectionResetError(104, 'reset'))), _retry.NO_ANSWER),
        (requests.exceptions.SSLError('certificate verify failed'), None),
        (requests.exceptions.InvalidURL('bad'), None),
        (_transport.DeadlineError('rate_limit would hold this request'), None),
        (KeyError('x'), None),
    ],
)
def test_what_an_exception_means(error, failure):
    assert _retry.failure_of(error=error) == failure


@pytest.mark.parametrize(
    'answer, failure',
    [
        (_answer(200), None),
        (_answer(404), None),
        (_answer(413, {'Retry-After': '1'}), None),
        (_answer(429), _retry.THROTTLED),
        (_answer(500), _retry.SERVER_ERROR),
        (_answer(503), _retry.SERVER_ERROR),
        (_answer(501), None),
        (_answer(200, body_error=BodyReadError('truncated', 10, 60)), _retry.CUT_SHORT),
        (_answer(200, body_error=BodyReadError('too slow', 10)), _retry.CUT_SHORT),
        (_answer(200, body_error=BodyReadError('too large', 0, 99, max_bytes=9)), None),
        (_answer(200, body_error=BodyReadError('undecodable', 0, encoding='br')), None),
    ],
)
def test_what_an_answer_means(answer, failure):
    assert _retry.failure_of(answer) == failure


@pytest.mark.parametrize('value, expected', [('7', 7.0), (' 12 ', 12.0), ('0', None), ('-5', None), ('2.5', None), ('soon', None), ('', None), (None, None)])
def test_retry_after_values(value, expected):
    assert _retry.retry_after_seconds(value) == expected


def test_retry_after_dates():
    assert 28 <= _retry.retry_after_seconds(email.utils.formatdate(time.time() + 30, usegmt=True)) <= 30
    assert _retry.retry_after_seconds(email.utils.formatdate(time.time() - 30, usegmt=True)) is None
    assert _retry.retry_after_seconds('Sun, 99 Foo 99999 99:99:99 GMT') is None


def test_retry_after_is_followed_on_429_and_503_only():
    policy = _retry.RetryPolicy(4, 30)
    assert 9.0 <= policy.wait(1, _answer(429, {'Retry-After': '9'})) <= 9.5
    assert 9.0 <= policy.wait(3, _answer(503, {'Retry-After': '9'})) <= 9.5
    assert 0.5 <= policy.wait(1, _answer(500, {'Retry-After': '9'})) <= 1.0  # the backoff instead
    assert 2.0 <= policy.wait(3, _answer(502, {'Retry-After': '9'})) <= 2.5


def test_run_counts_the_attempts_and_returns_the_last_answer(fake_time):
    answers = [_answer(503), _answer(503), _answer(200)]
    answer = _retry.RetryPolicy(4, 30).run('GET', lambda: answers.pop(0))
    assert answer.status == 200 and answer.attempts == 3 and len(fake_time.sleeps) == 2


def test_run_gives_up_after_retries_plus_one_attempts(fake_time):
    calls = []

    def attempt():
        calls.append(1)
        raise _refused()

    with pytest.raises(requests.exceptions.ConnectionError):
        _retry.RetryPolicy(3, 30).run('POST', attempt)
    assert len(calls) == 4 and len(fake_time.sleeps) == 3


def test_run_starts_no_wait_past_the_deadline(fake_time):
    # Deadline 1 * (5 + 1) = 6 s: waits of 0.5, 1, 2 fit (3.5 s), the next 4 s does not.
    calls = []

    def attempt():
        calls.append(fake_time.now)
        return _answer(503)

    answer = _retry.RetryPolicy(5, 1).run('GET', attempt)
    assert answer.status == 503 and len(calls) == 4 and fake_time.now - calls[0] <= 6.0


def test_run_does_not_catch_what_it_does_not_know(fake_time):
    with pytest.raises(ZeroDivisionError):
        _retry.RetryPolicy(3, 30).run('GET', lambda: 1 // 0)
    assert fake_time.sleeps == []
