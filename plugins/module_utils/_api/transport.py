# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""HTTP transport for Huawei Cloud calls: the session factory, the retry policy, the rate limiter.

The whole retry policy lives here, in :func:`build_retry`:

* ``GET`` and ``POST`` are retried (every call the collection makes is a read;
  its only ``POST`` is the IAM token request, which creates nothing lasting, so
  it is retried like any other call);
* statuses 429, 500, 502, 503 and 504 are retried, nothing else: other 4xx
  answers are final;
* connect errors and read errors/timeouts are retried;
* ``retries`` bounds the number of retries (so ``retries + 1`` attempts);
* the wait is the server's ``Retry-After`` (seconds or an HTTP date) when
  the response has a usable one, else an exponential backoff before every
  retry, the first included (0.5 s, 1 s, 2 s, ... capped at 20 s); either way
  up to 0.5 s of random jitter is added, so clients told to come back at the
  same moment do not all come back at once;
* one deadline per call (:func:`call_deadline`) of ``timeout * (retries + 1)``
  seconds, at most 10 minutes (a retry resends the same signed request, and
  API Gateway refuses an ``X-Sdk-Date`` more than 15 minutes old): the rate
  limiter's wait, urllib3's retries, the client's re-reads of a body cut off
  and the IAM token request made on the way all count against it, and no
  wait is started that would end after it (a long ``Retry-After`` therefore
  ends the call with the 429/503 it came with; a rate-limiter wait raises
  :class:`DeadlineError`);
* the last response is returned, not raised (``raise_on_status=False``), so the
  caller parses its body into a :class:`HuaweiCloudError`.

Bodies are read by :func:`read_body` (:mod:`._body`), within ``timeout``
seconds of their headers and ``max_response_bytes`` after decompression; a
body cut off or too slow is retried by the client (:mod:`._client`) within
the same deadline.

Everything but the deadline is plain urllib3 ``Retry``; the subclass adds the
deadline, a jitter that works with urllib3 1.26 and 2.x, and records the wait
it plans so tests can check it without sleeping.
"""

import logging
import random
import threading
import time
import traceback
from contextlib import contextmanager

from ansible_collections.hwcloud.migration.plugins.module_utils._api import body as _body
from ansible_collections.hwcloud.migration.plugins.module_utils._api.options import DEFAULTS

try:
    from requests import Session as _Session
    from requests.adapters import HTTPAdapter
    from urllib3.exceptions import InvalidHeader, MaxRetryError, ResponseError
    from urllib3.util.retry import Retry

    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError:  # pragma: no cover - exercised by the sanity import test
    _Session = object
    HTTPAdapter = object
    Retry = object
    MaxRetryError = ResponseError = None
    InvalidHeader = ValueError
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

LOG = logging.getLogger(__name__)

RETRY_STATUSES = frozenset([429, 500, 502, 503, 504])
RETRY_METHODS = frozenset(['GET', 'POST'])
BACKOFF_FACTOR = 0.5
BACKOFF_CAP = 20.0
BACKOFF_JITTER = 0.5
CONNECT_TIMEOUT_CAP = 10.0
MAX_RETRY_WINDOW = 600.0
POOL_CONNECTIONS = 4

# Indirections so tests can drive time without sleeping.
_clock = time.monotonic
_wait = time.sleep


def _sleep(seconds):
    _wait(seconds)


def retry_deadline(timeout, retries):
    """Seconds after the start of a call past which no retry is started: ``timeout * (retries + 1)``, at most 600."""
    return min(float(timeout) * (int(retries) + 1), MAX_RETRY_WINDOW)


# The deadline of the call the current thread is making (None outside a call).
_CALL = threading.local()


@contextmanager
def call_deadline(seconds):
    """One deadline for everything a call does, ``seconds`` from now; yields it (a :func:`clock` value).

    Rate-limiter waits, urllib3's retries, re-reads of a body that came cut
    off and the IAM token request made on the way all count against it.  A
    call inside a call (the token request of the first read) keeps the outer
    deadline.
    """
    outer = getattr(_CALL, 'deadline', None)
    if outer is not None:
        yield outer
        return
    _CALL.deadline = _clock() + float(seconds)
    try:
        yield _CALL.deadline
    finally:
        _CALL.deadline = None


def current_deadline():
    """The deadline of the call this thread is making, or None."""
    return getattr(_CALL, 'deadline', None)


class DeadlineError(ConnectionError):
    """A wait (rate limiter) that would end after the call's deadline: the call ends now instead."""


class DeadlineRetry(Retry):
    """urllib3 ``Retry`` plus a total deadline and its own jittered, capped backoff.

    ``max_elapsed`` is the budget (seconds) of one call; :meth:`started` returns
    a copy whose ``deadline`` is that many seconds from now.  ``planned_wait``
    is the wait chosen by the last :meth:`increment` (``Retry-After`` or backoff).
    """

    # Only these statuses may be retried because of a Retry-After header
    # (urllib3 also lists 413, which is a final answer for these APIs).
    RETRY_AFTER_STATUS_CODES = frozenset([429, 503])

    def __init__(self, *args, **kwargs):
        self.max_elapsed = kwargs.pop('max_elapsed', None)
        self.deadline = kwargs.pop('deadline', None)
        self.jitter = kwargs.pop('jitter', 0.0)
        self.backoff_cap = kwargs.pop('backoff_cap', BACKOFF_CAP)
        self.rate_limiter = kwargs.pop('rate_limiter', None)
        self.planned_wait = None
        super().__init__(*args, **kwargs)

    def new(self, **kw):
        """Copy with updated counters, keeping the deadline settings."""
        kw.setdefault('max_elapsed', self.max_elapsed)
        kw.setdefault('deadline', self.deadline)
        kw.setdefault('jitter', self.jitter)
        kw.setdefault('backoff_cap', self.backoff_cap)
        kw.setdefault('rate_limiter', self.rate_limiter)
        return super().new(**kw)

    def started(self):
        """A copy for one call: its deadline is the call's (:func:`call_deadline`), else ``max_elapsed`` seconds from now."""
        deadline = current_deadline()
        if deadline is None and self.max_elapsed is not None:
            deadline = _clock() + self.max_elapsed
        return self.new(deadline=deadline) if deadline is not None else self

    def get_backoff_time(self):
        """Exponential backoff before retry number n (``backoff_factor * 2 ** (n - 1)``: 0.5 s, 1 s, ...) plus jitter, capped.

        Unlike urllib3's, the first retry waits too: a throttled client that
        comes back at once is throttled again.
        """
        attempts = len(self.history)
        if attempts == 0 or self.backoff_factor <= 0:
            return 0.0
        backoff = self.backoff_factor * (2 ** (attempts - 1))
        if self.jitter:
            backoff += random.uniform(0, self.jitter)
        return float(min(self.backoff_cap, backoff))

    def get_retry_after(self, response):
        """``Retry-After`` in seconds, or None when absent or unreadable (a garbled header means the backoff applies)."""
        try:
            return super().get_retry_after(response)
        except (InvalidHeader, ValueError, OverflowError):
            return None

    def wait_for(self, response=None):
        """Seconds to wait before the next attempt: ``Retry-After`` when present and positive, else backoff."""
        if response is not None and self.respect_retry_after_header:
            retry_after = self.get_retry_after(response)
            if retry_after:
                return float(retry_after) + (random.uniform(0, self.jitter) if self.jitter else 0.0)
        return self.get_backoff_time()

    def increment(self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None):
        """Count the attempt, plan the wait, and give up when the wait would pass the deadline."""
        new_retry = super().increment(method=method, url=url, response=response, error=error, _pool=_pool, _stacktrace=_stacktrace)
        wait = new_retry.wait_for(response)
        if new_retry.deadline is not None and _clock() + wait > new_retry.deadline:
            LOG.debug('not retrying %s %s: a wait of %.1fs would pass the retry deadline', method, url, wait)
            reason = error or ResponseError('retry deadline reached after %d attempt(s)' % len(new_retry.history))
            raise MaxRetryError(_pool, url, reason)
        new_retry.planned_wait = wait
        LOG.debug('retrying %s %s in %.2fs (attempt %d)', method, url, wait, len(new_retry.history) + 1)
        return new_retry

    def sleep(self, response=None):
        """Wait the planned time (computed by :meth:`increment`), then the rate limiter's turn, before the next attempt.

        A retry is a request like any other: it takes a token of the rate
        limiter too, within the call's deadline (:class:`DeadlineError`).
        """
        wait = self.planned_wait if self.planned_wait is not None else self.wait_for(response)
        if wait > 0:
            _sleep(wait)
        if self.rate_limiter is not None:
            self.rate_limiter.acquire(self.deadline)


def backoff_wait(attempt):
    """The wait before retry number ``attempt`` (1, 2, ...) when no ``Retry-After`` applies, with jitter."""
    return min(BACKOFF_CAP, BACKOFF_FACTOR * (2 ** (max(1, attempt) - 1)) + random.uniform(0, BACKOFF_JITTER))


def sleep(seconds):
    """Sleep through the module's indirection (tests replace ``_wait``)."""
    if seconds > 0:
        _sleep(seconds)


def clock():
    """The monotonic clock the retry deadlines use (tests replace ``_clock``)."""
    return _clock()


# The body reader is a job of its own (._body); the client and the auth methods use it from here.
BodyReadError = _body.BodyReadError
ACCEPT_ENCODING = _body.ACCEPT_ENCODING
Watchdog = _body.Watchdog
WATCHDOG = _body.WATCHDOG
read_body = _body.read_body


def build_retry(retries, timeout, rate_limiter=None):
    """The retry policy of the collection (see the module docstring) as a :class:`DeadlineRetry`; retries wait for ``rate_limiter`` too."""
    retries = int(retries)
    return DeadlineRetry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        other=0,
        allowed_methods=RETRY_METHODS,
        status_forcelist=RETRY_STATUSES,
        backoff_factor=BACKOFF_FACTOR,
        raise_on_status=False,
        respect_retry_after_header=True,
        max_elapsed=retry_deadline(timeout, retries),
        jitter=BACKOFF_JITTER,
        backoff_cap=BACKOFF_CAP,
        rate_limiter=rate_limiter,
    )


class RateLimiter:
    """Thread-safe token bucket: at most ``rate`` requests per second, bursts up to ``burst``.

    A caller reserves a token under the lock and sleeps outside it, so waiting
    threads are served in order without holding the lock.
    """

    def __init__(self, rate, burst=1.0, clock=None, sleep=None):
        if not rate > 0:
            raise ValueError('rate must be greater than 0')
        self.rate = float(rate)
        self.burst = max(1.0, float(burst))
        # None means the module-level clock and sleep, looked up at call time (tests patch them).
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._tokens = self.burst
        self._last = None

    def acquire(self, deadline=None):
        """Take one token, waiting as long as needed; return the seconds waited.

        With ``deadline`` (a :func:`clock` value), a wait that would end after
        it is not made: the token is given back and :class:`DeadlineError`
        is raised, so a rate limit counts against the call's one deadline.
        """
        with self._lock:
            now = self._clock() if self._clock is not None else _clock()
            if self._last is not None:
                self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
            self._last = now
            self._tokens -= 1.0
            wait = -self._tokens / self.rate if self._tokens < 0 else 0.0
            if deadline is not None and wait > 0 and now + wait > deadline:
                self._tokens += 1.0
                raise DeadlineError(
                    'rate_limit (%g requests per second) would hold this request %.1f s, past the deadline of its call '
                    '(%.1f s left of timeout * (retries + 1)); raise rate_limit, or lower max_concurrency' % (self.rate, wait, max(0.0, deadline - now))
                )
        if wait > 0:
            if self._sleep is not None:
                self._sleep(wait)
            else:
                _sleep(wait)
        return wait


class HuaweiCloudAdapter(HTTPAdapter):
    """``HTTPAdapter`` that keeps each call to its deadline and applies the rate limiter.

    ``max_response_bytes`` is read by :func:`read_body` for the answers this
    adapter brings (``response.connection`` is the adapter).
    """

    def __init__(self, retry, rate_limiter=None, max_response_bytes=DEFAULTS['max_response_bytes'], **kwargs):
        self.rate_limiter = rate_limiter
        self.max_response_bytes = int(max_response_bytes)
        self._retry_policy = retry
        super().__init__(max_retries=retry, **kwargs)

    @property
    def max_retries(self):
        """The retry policy with its deadline starting now (read once per call by ``send``)."""
        return self._retry_policy.started()

    @max_retries.setter
    def max_retries(self, value):
        self._retry_policy = value

    def send(self, request, *args, **kwargs):
        """Wait for the rate limiter, then send with the retry policy, both within the call's deadline.

        A request made outside :func:`call_deadline` is a call of its own.
        """
        with call_deadline(self._retry_policy.max_elapsed or MAX_RETRY_WINDOW) as deadline:
            if self.rate_limiter is not None:
                self.rate_limiter.acquire(deadline)
            return super().send(request, *args, **kwargs)


def request_timeout(timeout):
    """(connect, read) timeouts for one attempt: connect is capped at 10 s, read is ``timeout``."""
    timeout = float(timeout)
    return (min(timeout, CONNECT_TIMEOUT_CAP), timeout)


def verify_setting(validate_certs=DEFAULTS['validate_certs'], ca_path=DEFAULTS['ca_path']):
    """The ``verify`` argument for requests: the CA bundle path when given, else the boolean."""
    if ca_path:
        return ca_path
    return bool(validate_certs)


def build_session(
    user_agent,
    max_concurrency=DEFAULTS['max_concurrency'],
    retries=DEFAULTS['retries'],
    timeout=DEFAULTS['timeout'],
    rate_limit=DEFAULTS['rate_limit'],
    validate_certs=DEFAULTS['validate_certs'],
    ca_path=DEFAULTS['ca_path'],
    max_response_bytes=DEFAULTS['max_response_bytes'],
):
    """Build the one ``requests.Session`` of a module run.

    The connection pool holds ``max_concurrency`` connections per host, the
    retry policy is :func:`build_retry`, a :class:`RateLimiter` is attached
    when ``rate_limit`` is set, proxies and CA settings from the environment
    are honoured (``trust_env`` stays on), and ``verify`` is preset from
    ``validate_certs``/``ca_path`` (the client also passes it per request,
    because requests lets ``REQUESTS_CA_BUNDLE`` override a session setting).
    The one pool of ``max_concurrency`` keep-alive connections is shared by
    every thread of ``fetch_many``.  The adapter carries
    ``max_response_bytes``, the bound :func:`read_body` applies to every answer
    it brings; the session asks only for the encodings that bound can decode
    (:data:`ACCEPT_ENCODING`).
    """
    if not HAS_REQUESTS:
        raise RuntimeError('the requests library is required')
    session = _Session()
    limiter = RateLimiter(rate_limit) if rate_limit else None
    adapter = HuaweiCloudAdapter(
        build_retry(retries, timeout, rate_limiter=limiter),
        rate_limiter=limiter,
        max_response_bytes=max_response_bytes,
        pool_connections=POOL_CONNECTIONS,
        pool_maxsize=int(max_concurrency),
    )
    session.mount('https://', adapter)
    session.mount('http://', adapter)
    session.headers['User-Agent'] = user_agent
    session.headers['Accept-Encoding'] = ACCEPT_ENCODING
    session.verify = verify_setting(validate_certs, ca_path)
    return session
