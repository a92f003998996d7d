# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""HTTP transport for Huawei Cloud calls: the session, the clock, the call deadline, the rate limiter.

The session sends each request exactly once: the adapter keeps requests'
default of no urllib3 retries.  Whether and when a request is sent again is
decided by the one retry policy of :mod:`.retry`, which needs to see every
attempt whole (status, headers and body) to decide.

What lives here is what every attempt shares:

* the monotonic clock and the sleep (module indirections, so tests drive time
  without sleeping);
* the deadline of the call the current thread is making
  (:func:`call_deadline`, its length :func:`retry_deadline`): the rate
  limiter's waits, the retry policy's waits and the IAM token request made on
  the way all count against it;
* the :class:`RateLimiter`, applied by the adapter to every request it sends,
  a retry included;
* :func:`exchange`, one attempt: send, then read the body whole within
  ``timeout`` seconds and ``max_response_bytes`` (:mod:`.body`).
"""

import threading
import time
import traceback
from contextlib import contextmanager
from typing import Any, Iterator, Optional, Tuple, Union

from ansible_collections.hwcloud.migration.plugins.module_utils._api import body as _body
from ansible_collections.hwcloud.migration.plugins.module_utils._api.options import DEFAULTS

try:
    from requests import Session as _Session
    from requests.adapters import HTTPAdapter

    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError:  # pragma: no cover - exercised by the sanity import test
    _Session = object
    HTTPAdapter = object
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

CONNECT_TIMEOUT_CAP = 10.0
# A call never takes longer than this: API Gateway refuses an X-Sdk-Date more than 15 minutes old.
MAX_RETRY_WINDOW = 600.0
POOL_CONNECTIONS = 4

# Indirections so tests can drive time without sleeping.
_clock = time.monotonic
_wait = time.sleep


def _sleep(seconds: float) -> None:
    _wait(seconds)


def sleep(seconds: float) -> None:
    """Sleep through the module's indirection (tests replace ``_wait``)."""
    if seconds > 0:
        _sleep(seconds)


def clock() -> float:
    """The monotonic clock the deadlines use (tests replace ``_clock``)."""
    return _clock()


def retry_deadline(timeout: float, retries: int) -> float:
    """Seconds after the start of a call past which no attempt or wait starts: ``timeout * (retries + 1)``, at most 600."""
    return min(float(timeout) * (int(retries) + 1), MAX_RETRY_WINDOW)


# The deadline of the call the current thread is making (None outside a call).
_CALL = threading.local()


@contextmanager
def call_deadline(seconds: float) -> Iterator[float]:
    """One deadline for everything a call does, ``seconds`` from now; yields it (a :func:`clock` value).

    A call inside a call (the token request of the first read) keeps the
    outer deadline.
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


def current_deadline() -> Optional[float]:
    """The deadline of the call this thread is making, or None."""
    return getattr(_CALL, 'deadline', None)


class DeadlineError(ConnectionError):
    """A wait (rate limiter) that would end after the call's deadline: the call ends now instead."""


# The body reader is a job of its own (.body); the client and the auth methods use it from here.
BodyReadError = _body.BodyReadError
ACCEPT_ENCODING = _body.ACCEPT_ENCODING
Watchdog = _body.Watchdog
WATCHDOG = _body.WATCHDOG
read_body = _body.read_body


class RateLimiter:
    """Thread-safe token bucket: at most ``rate`` requests per second, bursts up to ``burst``.

    A caller reserves a token under the lock and sleeps outside it, so waiting
    threads are served in order without holding the lock.
    """

    def __init__(self, rate: float, burst: float = 1.0, clock=None, sleep=None) -> None:
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

    def acquire(self, deadline: Optional[float] = None) -> float:
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
    """``HTTPAdapter`` that sends each request once, after its turn at the rate limiter, within the call's deadline.

    ``max_response_bytes`` is read by :func:`read_body` for the answers this
    adapter brings (``response.connection`` is the adapter); ``call_seconds``
    is the deadline of a request sent outside :func:`call_deadline`.
    """

    def __init__(
        self,
        rate_limiter: Optional[RateLimiter] = None,
        max_response_bytes: int = DEFAULTS['max_response_bytes'],
        call_seconds: float = MAX_RETRY_WINDOW,
        **kwargs: Any,
    ) -> None:
        self.rate_limiter = rate_limiter
        self.max_response_bytes = int(max_response_bytes)
        self.call_seconds = float(call_seconds)
        super().__init__(**kwargs)

    def send(self, request, *args, **kwargs):
        """Wait for the rate limiter, then send once (requests' default: no urllib3 retries)."""
        with call_deadline(self.call_seconds) as deadline:
            if self.rate_limiter is not None:
                self.rate_limiter.acquire(deadline)
            return super().send(request, *args, **kwargs)


def request_timeout(timeout: float) -> Tuple[float, float]:
    """(connect, read) timeouts for one attempt: connect is capped at 10 s, read is ``timeout``."""
    timeout = float(timeout)
    return (min(timeout, CONNECT_TIMEOUT_CAP), timeout)


def verify_setting(validate_certs: bool = DEFAULTS['validate_certs'], ca_path: Optional[str] = DEFAULTS['ca_path']) -> Union[bool, str]:
    """The ``verify`` argument for requests: the CA bundle path when given, else the boolean."""
    if ca_path:
        return ca_path
    return bool(validate_certs)


class Answer:
    """One attempt's answer: ``response``, its ``content`` (bytes), or ``body_error`` (a :class:`BodyReadError`)."""

    __slots__ = ('response', 'content', 'body_error', 'attempts')

    def __init__(self, response: Any, content: Optional[bytes], body_error: Optional[BodyReadError]) -> None:
        self.response = response
        self.content = content
        self.body_error = body_error
        self.attempts = 1  # set by the retry policy to the number of attempts of the call

    @property
    def status(self) -> int:
        return self.response.status_code


def exchange(session: Any, method: str, url: str, *, read_limit: float, **kwargs: Any) -> Answer:
    """One attempt: send ``method url`` once (streamed, no redirects) and read its body within ``read_limit`` seconds.

    Exceptions raised while sending propagate (the retry policy classifies
    them); a body that cannot be read whole is in :attr:`Answer.body_error`.
    """
    response = session.request(method, url, allow_redirects=False, stream=True, **kwargs)
    try:
        return Answer(response, read_body(response, read_limit), None)
    except BodyReadError as exc:
        return Answer(response, None, exc)


def build_session(
    user_agent: str,
    max_concurrency: int = DEFAULTS['max_concurrency'],
    retries: int = DEFAULTS['retries'],
    timeout: float = DEFAULTS['timeout'],
    rate_limit: Optional[float] = DEFAULTS['rate_limit'],
    validate_certs: bool = DEFAULTS['validate_certs'],
    ca_path: Optional[str] = DEFAULTS['ca_path'],
    max_response_bytes: int = DEFAULTS['max_response_bytes'],
):
    """Build the one ``requests.Session`` of a module run.

    The connection pool holds ``max_concurrency`` connections per host and is
    shared by every thread of ``fetch_many``; a :class:`RateLimiter` is
    attached when ``rate_limit`` is set; proxies and CA settings from the
    environment are honoured (``trust_env`` stays on), and ``verify`` is
    preset from ``validate_certs``/``ca_path`` (the client also passes it per
    request, because requests lets ``REQUESTS_CA_BUNDLE`` override a session
    setting).  The adapter carries ``max_response_bytes``, the bound
    :func:`read_body` applies to every answer it brings; the session asks only
    for the encodings that bound can decode (:data:`ACCEPT_ENCODING`).
    ``retries`` and ``timeout`` give the deadline of a request sent outside a
    call; the session itself never retries (see :mod:`.retry`).
    """
    if not HAS_REQUESTS:
        raise RuntimeError('the requests library is required')
    session = _Session()
    limiter = RateLimiter(rate_limit) if rate_limit else None
    adapter = HuaweiCloudAdapter(
        rate_limiter=limiter,
        max_response_bytes=max_response_bytes,
        call_seconds=retry_deadline(timeout, retries),
        pool_connections=POOL_CONNECTIONS,
        pool_maxsize=int(max_concurrency),
    )
    session.mount('https://', adapter)
    session.mount('http://', adapter)
    session.headers['User-Agent'] = user_agent
    session.headers['Accept-Encoding'] = ACCEPT_ENCODING
    session.verify = verify_setting(validate_certs, ca_path)
    return session
