# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reading a response body whole, or refusing it: within ``timeout`` seconds and ``max_response_bytes``.

:func:`read_body` reads under a wall-clock limit from the moment the headers
arrived (one :class:`Watchdog` thread shuts a connection down when its limit
passes, which also ends a read blocked on a silent server) and under a byte
limit after decompression: gzip and deflate are decoded here, in small pieces,
so a compressed body that inflates without end is given up at the limit,
having cost no more memory than that.  Failures are :class:`BodyReadError`.
:mod:`._transport` re-exports these names, which is where the client and the
auth methods use them.
"""

import heapq
import itertools
import threading
import time
import weakref
import zlib
from typing import Any, Callable, Optional

from ansible_collections.hwcloud.migration.plugins.module_utils._api.options import DEFAULTS


class BodyReadError(Exception):
    """A response body that could not be read whole.

    ``reason`` is ``'truncated'``, ``'too slow'`` (both worth another
    attempt: ``code`` ``IncompleteResponse``), ``'too large'`` (over
    ``max_bytes``, after decompression: ``ResponseTooLarge``) or
    ``'undecodable'`` (a Content-Encoding that is not gzip or deflate, or a
    broken compressed stream: ``InvalidResponse``).
    """

    def __init__(self, reason: str, received: int, expected: Optional[int] = None, max_bytes: Optional[int] = None, encoding: Optional[str] = None) -> None:
        self.reason = reason
        self.received = received
        self.expected = expected
        self.max_bytes = max_bytes
        self.encoding = encoding
        super().__init__(reason)

    @property
    def code(self) -> str:
        """``ResponseTooLarge``, ``InvalidResponse`` (undecodable) or ``IncompleteResponse``."""
        return {'too large': 'ResponseTooLarge', 'undecodable': 'InvalidResponse'}.get(self.reason, 'IncompleteResponse')

    def describe(self, limit: float) -> str:
        """One sentence for an error message (no header or body content)."""
        if self.reason == 'too slow':
            return 'the response body did not arrive within %.1f s (%d bytes received); the server is answering too slowly' % (limit, self.received)
        if self.reason == 'too large':
            if self.received == 0 and self.expected:
                found = 'declares a body of %d bytes (Content-Length), more than max_response_bytes (%d); it was not read' % (self.expected, self.max_bytes)
            else:
                found = 'body is larger than max_response_bytes (%d bytes after decompression); it was not read further' % self.max_bytes
            return 'the response %s; raise max_response_bytes if an answer this large is expected' % found
        if self.reason == 'undecodable':
            return 'the response body could not be decoded (Content-Encoding %s; only gzip and deflate are accepted)' % (self.encoding or 'unknown')
        if self.expected is not None:
            return 'the response body was cut off after %d of %d bytes' % (self.received, self.expected)
        return 'the response body was cut off after %d bytes' % self.received


# What the session asks for, and all that read_body decodes itself (see _Inflater).
ACCEPT_ENCODING = 'gzip, deflate'
# Bytes taken from the network, and at most given out by the decoder, at a time.
READ_SIZE = 65536
_WBITS = {'gzip': 16 + zlib.MAX_WBITS, 'x-gzip': 16 + zlib.MAX_WBITS, 'deflate': zlib.MAX_WBITS}


class _Inflater:
    """A gzip or deflate body decoded as it arrives, in small pieces, never more than ``room + 1`` bytes per :meth:`feed`.

    urllib3 before 2.6 inflates a whole network read at once (a 64 KiB read
    of a gzip bomb is 64 MiB), so the body is read raw and decoded here,
    under the cap that ``max_bytes`` leaves.
    """

    def __init__(self, encoding):
        self.encoding = encoding
        self._wbits = _WBITS[encoding]
        self._zlib = zlib.decompressobj(self._wbits)

    def feed(self, data, room):
        """Yield the decoded bytes of ``data`` in pieces of at most :data:`READ_SIZE`; stop once more than ``room`` came out."""
        total = 0
        while data and total <= room:
            piece = self._zlib.decompress(data, min(room + 1 - total, READ_SIZE))
            total += len(piece)
            yield piece
            data = self._zlib.unconsumed_tail
            if not data and self._zlib.eof and self._zlib.unused_data:
                data = self._zlib.unused_data  # the next member of a multi-member gzip body
                self._zlib = zlib.decompressobj(self._wbits)

    @property
    def complete(self):
        """Whether the compressed stream ended properly (else the body was cut off)."""
        return self._zlib.eof


def _socket_of(response):
    connection = getattr(getattr(response, 'raw', None), 'connection', None)
    return getattr(connection, 'sock', None)


class Watchdog:
    """One thread that runs every due cut-off of the process's body reads.

    A timer thread per request cost more CPU than the request's signing and
    parsing together; here each read only pushes its deadline on a heap.
    ``start(delay, action)`` returns a handle for ``cancel(handle)``; an
    action runs once, on this thread, when its deadline passes uncancelled.
    """

    def __init__(self):
        self._condition = threading.Condition()
        self._heap = []
        self._order = itertools.count()
        self._thread = None

    def start(self, delay: float, action: Callable[[], None]) -> list:
        entry = [time.monotonic() + max(0.0, float(delay)), next(self._order), action]
        with self._condition:
            heapq.heappush(self._heap, entry)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name='hwcloud-body-watchdog')
                self._thread.daemon = True
                self._thread.start()
            elif self._heap[0] is entry:
                self._condition.notify()
        return entry

    def cancel(self, entry: list) -> None:
        with self._condition:
            entry[2] = None

    def _run(self):
        with self._condition:
            while True:
                while self._heap and self._heap[0][2] is None:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._condition.wait()
                    continue
                delay = self._heap[0][0] - time.monotonic()
                if delay > 0:
                    self._condition.wait(delay)
                    continue
                action = heapq.heappop(self._heap)[2]
                self._condition.release()
                try:
                    action()
                finally:
                    self._condition.acquire()


WATCHDOG = Watchdog()

# What read_body found for each response still alive (its bytes or its error), so a second read gives the same.
_READS = weakref.WeakKeyDictionary()
_READS_LOCK = threading.Lock()


def _max_bytes_of(response):
    return getattr(getattr(response, 'connection', None), 'max_response_bytes', None) or DEFAULTS['max_response_bytes']


def _inflater(encoding):
    if encoding in ('', 'identity'):
        return None
    if encoding in _WBITS:
        return _Inflater(encoding)
    raise BodyReadError('undecodable', 0, encoding=encoding)


def read_body(response: Any, limit: float, max_bytes: Optional[int] = None) -> bytes:
    """Read a streamed ``requests`` response's body within ``limit`` seconds (wall clock) and ``max_bytes``.

    ``max_bytes`` defaults to the ``max_response_bytes`` of the session that
    sent the request (see :func:`.transport.build_session`); a larger
    ``Content-Length`` is refused before reading.  Raises
    :class:`BodyReadError` (see the module docstring); a second call on the
    same response returns the same bytes or raises the same error.
    """
    done = _recalled(response)
    if isinstance(done, BodyReadError):
        raise done
    if done is not None:
        return done  # read already
    try:
        content = _read_body(response, limit, max_bytes or _max_bytes_of(response))
    except BodyReadError as exc:
        response.close()
        _remember(response, exc)
        raise
    _remember(response, content)
    return content


def _recalled(response):
    with _READS_LOCK:
        try:
            return _READS.get(response)
        except TypeError:  # neither hashable nor weakly referable (a test double): not remembered
            return None


def _remember(response, outcome):
    with _READS_LOCK:
        try:
            _READS[response] = outcome
        except TypeError:
            pass


def _read_body(response, limit, max_bytes):
    expected = response.headers.get('Content-Length')
    try:
        expected = int(expected) if expected is not None else None
    except ValueError:
        expected = None
    encoding = (response.headers.get('Content-Encoding') or '').strip().lower()
    inflater = _inflater(encoding)
    if inflater is None and expected is not None and expected > max_bytes:
        raise BodyReadError('too large', 0, expected, max_bytes=max_bytes)
    expired = threading.Event()
    sock = _socket_of(response)

    def cut():
        expired.set()
        if sock is not None:
            try:
                sock.shutdown(2)  # socket.SHUT_RDWR
            except (OSError, ValueError):
                pass

    chunks = []
    received = 0  # bytes on the wire (what Content-Length counts)
    size = 0  # bytes of the body after decoding
    started = time.monotonic()
    watchdog = WATCHDOG.start(limit, cut)
    try:
        # Raw bytes: the decoding (and its bound) is done here, not by urllib3.
        for chunk in response.raw.stream(READ_SIZE, decode_content=False):
            received += len(chunk)
            for piece in [chunk] if inflater is None else inflater.feed(chunk, max_bytes - size):
                size += len(piece)
                if size > max_bytes:
                    raise BodyReadError('too large', received, expected, max_bytes=max_bytes)
                chunks.append(piece)
            if expired.is_set() or time.monotonic() - started > limit:
                raise BodyReadError('too slow', received, expected)
    except BodyReadError:
        raise
    except zlib.error:
        raise BodyReadError('undecodable', received, expected, encoding=encoding)
    except Exception:  # requests/urllib3 errors on a broken or shut-down connection
        raise BodyReadError('too slow' if expired.is_set() else 'truncated', received, expected)
    finally:
        WATCHDOG.cancel(watchdog)
    if expired.is_set():
        raise BodyReadError('too slow', received, expected)
    if (expected is not None and received < expected) or (inflater is not None and received and not inflater.complete):
        raise BodyReadError('truncated', received, expected)
    return b''.join(chunks)
