# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The one retry policy of every Huawei Cloud call: :class:`RetryPolicy` and its loop, :meth:`RetryPolicy.run`.

Why one object and one loop.  The policy used to live in two places:
urllib3's ``Retry`` on the adapter (statuses, connection errors) and a loop
in the client (a body cut short).  The two counted attempts apart, each had
its own idea of the deadline, and neither could tell a POST that never left
the host from one the server may have processed.  Now the session sends each
request exactly once, an attempt is the whole exchange (status, headers and
body, see :func:`.transport.exchange`), and this module alone decides, for
every attempt, whether another one is made and when.

What is worth another attempt (:func:`failure_of`):

* no answer: the connection could not be made (refused, name resolution,
  connect timeout: :data:`NOT_SENT`, the request never left), or it broke off
  or timed out after the request was sent (:data:`NO_ANSWER`);
* 429 (:data:`THROTTLED`) and 500, 502, 503, 504 (:data:`SERVER_ERROR`);
* a body cut short or too slow (:data:`CUT_SHORT`).

Anything else is final: other statuses, a body too large or undecodable, TLS
errors, invalid URLs, an IAM token request that failed, a rate-limiter wait
past the deadline.

Which calls are safe to repeat (:meth:`RetryPolicy.may_repeat`):

* GET and HEAD read and change nothing: repeated on every failure above;
* PUT and DELETE are idempotent by HTTP semantics (RFC 9110, 9.2.2): doing
  one twice leaves the same state as doing it once, so they are repeated on
  every failure above too;
* POST is not idempotent (a second one may create a second resource), so it
  is repeated only when the server surely did not process it: the request
  never left (:data:`NOT_SENT`) or API Gateway throttled it (429).  After a
  timeout, a connection broken with the request sent, a 5xx or a body cut
  short it is not: the server may have acted on it.  A caller that knows its
  POST is harmless to repeat passes ``repeatable=True`` (the IAM token
  request: a second token simply replaces the first, which nothing used).

How long to wait before attempt n + 1: the server's ``Retry-After`` (seconds
or an HTTP date) on a 429 or 503 when it is positive, else an exponential
backoff of 0.5 s, 1 s, 2 s, ... capped at 20 s, the first retry included (a
throttled client that comes back at once is throttled again); either way up
to 0.5 s of random jitter is added, so clients told to come back at the same
moment do not all come back at once.

How many attempts: at most ``retries + 1``.

The deadline: one per call, :func:`.transport.retry_deadline` (``timeout *
(retries + 1)``, at most 600 s) from its start.  The rate limiter's waits,
the waits here and the IAM token request made on the way all count against
it, and no wait is started that would end after it: a ``Retry-After`` too
long for it ends the call with the 429 or 503 it came with.  Every attempt is
signed anew (the auth hook runs on each send, with a fresh ``X-Sdk-Date``),
and the 600 s cap keeps a whole call well inside the 15 minutes API Gateway
accepts a signature date.
"""

import logging
import random
import re
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Callable, List, Optional

from ansible_collections.hwcloud.migration.plugins.module_utils._api import transport as _transport

try:
    from requests import exceptions as _requests_errors
    from urllib3 import exceptions as _urllib3_errors
except ImportError:  # pragma: no cover - exercised by the sanity import test
    _requests_errors = _urllib3_errors = None

LOG = logging.getLogger(__name__)

RETRY_STATUSES = frozenset([429, 500, 502, 503, 504])
# Only these statuses carry a Retry-After that is followed (413's is a final answer for these APIs).
RETRY_AFTER_STATUSES = frozenset([429, 503])
# Methods safe to repeat after any retryable failure (see the module docstring).
REPEATABLE_METHODS = frozenset(['GET', 'HEAD', 'PUT', 'DELETE'])
BACKOFF_FACTOR = 0.5
BACKOFF_CAP = 20.0
BACKOFF_JITTER = 0.5

# Kinds of failure worth another attempt.
NOT_SENT = 'not sent'
NO_ANSWER = 'no answer'
THROTTLED = 'throttled'
SERVER_ERROR = 'server error'
CUT_SHORT = 'cut short'

_SECONDS_RE = re.compile(r'^\s*[0-9]+\s*$')


def _chain(exc: BaseException) -> List[BaseException]:
    """``exc`` and the exceptions it wraps (requests wraps urllib3's, which wrap the socket's), through public attributes."""
    found = []
    pending = [exc]
    while pending and len(found) < 16:
        item = pending.pop(0)
        if not isinstance(item, BaseException) or any(item is seen for seen in found):
            continue
        found.append(item)
        pending.extend([getattr(item, 'reason', None), item.__cause__, item.__context__])
        pending.extend(item.args)
    return found


def failure_of(answer: Optional[_transport.Answer] = None, error: Optional[BaseException] = None) -> Optional[str]:
    """The kind of retryable failure of one attempt (its ``answer``, or the ``error`` it raised), or None when final."""
    if error is not None:
        if _requests_errors is None or isinstance(error, (_requests_errors.SSLError, _requests_errors.InvalidURL)):
            return None
        if isinstance(error, _requests_errors.ConnectTimeout):
            return NOT_SENT
        if isinstance(error, _requests_errors.ConnectionError):
            # NewConnectionError (refused, name resolution) is a ConnectTimeoutError in urllib3: nothing was sent.
            if any(isinstance(cause, _urllib3_errors.ConnectTimeoutError) for cause in _chain(error)):
                return NOT_SENT
            return NO_ANSWER
        if isinstance(error, (_requests_errors.Timeout, _requests_errors.ChunkedEncodingError)):
            return NO_ANSWER
        return None
    if answer is None:
        return None
    if answer.status == 429:
        return THROTTLED
    if answer.status in RETRY_STATUSES:
        return SERVER_ERROR
    if answer.body_error is not None and answer.body_error.code == 'IncompleteResponse':
        return CUT_SHORT
    return None


def retry_after_seconds(value: Optional[str]) -> Optional[float]:
    """A ``Retry-After`` value (seconds or an HTTP date) in seconds from now; None when absent, unreadable or not positive."""
    if not value:
        return None
    if _SECONDS_RE.match(value):
        seconds = float(int(value))
    else:
        try:
            when = parsedate_to_datetime(value.strip())
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when is None:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        seconds = (when - datetime.now(timezone.utc)).total_seconds()
    return seconds if seconds > 0 else None


def _jitter() -> float:
    return random.uniform(0, BACKOFF_JITTER)


def backoff_wait(attempt: int) -> float:
    """The wait after failed attempt number ``attempt`` (1, 2, ...) when no ``Retry-After`` applies, with jitter."""
    return min(BACKOFF_CAP, BACKOFF_FACTOR * (2 ** (max(1, attempt) - 1)) + _jitter())


class RetryPolicy:
    """The retry policy of one module run (see the module docstring): ``retries`` and the ``timeout`` of one attempt."""

    def __init__(self, retries: int, timeout: float) -> None:
        self.retries = int(retries)
        self.timeout = float(timeout)
        #: Seconds a whole call may take, its waits and the IAM token request included.
        self.deadline = _transport.retry_deadline(timeout, retries)

    def __repr__(self) -> str:
        return '<RetryPolicy retries=%d deadline=%gs>' % (self.retries, self.deadline)

    @property
    def attempts(self) -> int:
        """The most attempts one call makes: ``retries + 1``."""
        return self.retries + 1

    def may_repeat(self, method: str, failure: Optional[str], *, repeatable: Optional[bool] = None) -> bool:
        """Whether a ``method`` call that ended in ``failure`` may be sent again (``repeatable`` overrides the method's rule)."""
        if failure is None:
            return False
        if repeatable is None:
            repeatable = method.upper() in REPEATABLE_METHODS
        return bool(repeatable) or failure in (NOT_SENT, THROTTLED)

    def wait(self, attempt: int, answer: Optional[_transport.Answer] = None) -> float:
        """Seconds to wait after failed attempt number ``attempt``: ``Retry-After`` on a 429/503 when usable, else the backoff."""
        if answer is not None and answer.status in RETRY_AFTER_STATUSES:
            after = retry_after_seconds(answer.response.headers.get('Retry-After'))
            if after:
                return after + _jitter()
        return backoff_wait(attempt)

    def run(self, method: str, attempt: Callable[[], _transport.Answer], *, repeatable: Optional[bool] = None) -> _transport.Answer:
        """Call ``attempt()`` until an answer is final, within this policy; return the last answer.

        The exception of an attempt that raised propagates when no other
        attempt follows.  ``answer.attempts`` is the number of attempts made.
        """
        with _transport.call_deadline(self.deadline) as deadline:
            number = 0
            while True:
                number += 1
                answer = error = None
                try:
                    answer = attempt()
                except Exception as exc:  # classified below; re-raised when final
                    error = exc
                failure = failure_of(answer, error)
                if failure is None or number > self.retries or not self.may_repeat(method, failure, repeatable=repeatable):
                    break
                wait = self.wait(number, answer)
                if _transport.clock() + wait > deadline:
                    LOG.debug('%s: not retrying (%s): a wait of %.1fs would pass the deadline of the call', method, failure, wait)
                    break
                if answer is not None:
                    answer.response.close()
                LOG.debug('%s: %s; attempt %d in %.2fs', method, failure, number + 1, wait)
                _transport.sleep(wait)
        if error is not None:
            raise error
        answer.attempts = number
        return answer
