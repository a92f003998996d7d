# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Huawei Cloud API errors: one exception type and the parser for every error body shape.

An error carries what a user needs to act on it (HTTP status, service error
code, message, request id, method and URL, and a ``hint`` saying what to check)
and never a request header, so no credential, token or signature can leak into
a message, a log line or a module result through it.

A server may still echo a secret back (a gateway that quotes the token it was
sent).  Every text taken from an answer is therefore masked with the secrets
the client holds (:func:`mask_secrets`) *before* it is shortened: Ansible's
``no_log`` masking replaces whole values only, so a secret cut in two by an
excerpt would no longer be recognised.
"""

import json
import re
from http import HTTPStatus
from typing import Any, Dict, Iterable, Optional

# Field names services use for the error code and the message, in the order they are tried
# (error_code/error_msg, error_code/error_message, errorCode/errorMsg, code/message).
_CODE_FIELDS = ('error_code', 'errorCode', 'code')
_MESSAGE_FIELDS = ('error_msg', 'error_message', 'errorMsg', 'message')
_EXCERPT_LENGTH = 200
MASK = '********'
_TAG_RE = re.compile(r'<[^>]*>')
_SPACE_RE = re.compile(r'\s+')


class HuaweiCloudError(Exception):
    """A failed Huawei Cloud API call.

    ``status`` is the HTTP status (``None`` for transport failures: DNS,
    connection refused, TLS, timeouts), ``code`` the service error code
    (``OMS.1009``, ``APIGW.0301``, ...) when the body gave one, ``message`` the
    human message, ``request_id`` the ``X-Request-Id`` of the response, and
    ``method``/``url`` the request that failed.
    """

    def __init__(
        self,
        message: str,
        *,
        status: Optional[int] = None,
        code: Optional[str] = None,
        request_id: Optional[str] = None,
        method: Optional[str] = None,
        url: Optional[str] = None,
        hint: Optional[str] = None,
    ) -> None:
        self.message = message
        self.status = status
        self.code = code
        self.request_id = request_id
        self.method = method
        self.url = url
        # What the user should check (credentials, clock, options); shown after the request id.
        self.hint = hint
        super().__init__(message)

    def to_dict(self) -> Dict[str, Any]:
        """The error as plain data (keys as in a module's failure result)."""
        return {
            'status': self.status,
            'error_code': self.code,
            'error_msg': self.message,
            'request_id': self.request_id,
            'method': self.method,
            'url': self.url,
        }

    def __str__(self):
        where = ' '.join(part for part in (self.method, self.url) if part) or 'Huawei Cloud API request'
        text = '%s failed: %s' % (where, 'HTTP %s' % self.status if self.status is not None else 'no HTTP response')
        if self.code:
            text += ' %s' % self.code
        if self.message:
            text += ': %s' % one_line(self.message)
        if self.request_id:
            text += ' (request id %s)' % self.request_id
        if self.hint:
            text += '. %s' % self.hint.rstrip('.')
        return text

    def short(self) -> str:
        """The call and its answer without the message or hint (``GET URL: HTTP 401 APIGW.0301, request id r-1``)."""
        where = ' '.join(part for part in (self.method, self.url) if part)
        return '%s: %s' % (where, self.answer()) if where else self.answer()

    def answer(self) -> str:
        """The status, error code and request id in a few words (``HTTP 401 APIGW.0301, request id r-1``)."""
        parts = ['HTTP %s' % self.status if self.status is not None else 'no HTTP response']
        if self.code:
            parts[0] += ' %s' % self.code
        if self.request_id:
            parts.append('request id %s' % self.request_id)
        return ', '.join(parts)


class ParameterError(HuaweiCloudError, ValueError):
    """A request parameter was refused before anything was sent (bad path parameter, query value)."""

    def __init__(self, message, name=None):
        self.name = name
        super().__init__(message, code='InvalidParameter')

    def __str__(self):
        return one_line(self.message)


class NotAttemptedError(HuaweiCloudError):
    """A resource not read because an earlier failure of the same call made the read pointless.

    ``reason`` says why (fail fast, refused credentials, a failed project
    lookup), ``cause`` is the error that stopped the reads, ``summary`` the
    phrase a module's message uses for all the reads it stopped.  Nothing was
    sent for this resource, so the error has no status and no request id of
    its own; its message names the cause's (:meth:`HuaweiCloudError.answer`).
    """

    def __init__(self, reason: str, cause: Optional[HuaweiCloudError] = None, summary: Optional[str] = None) -> None:
        text = 'not attempted: %s' % reason
        if cause is not None:
            text += ' (the cause: %s)' % cause.short()
        super().__init__(text, code='NotAttempted')
        self.reason = reason
        self.cause = cause
        self.summary = summary or 'not attempted: %s' % reason

    @classmethod
    def after_server_failures(cls, streak: int, last: Optional[HuaweiCloudError] = None) -> 'NotAttemptedError':
        """The read not started after ``streak`` server failures in a row (fail fast); ``last`` is the latest."""
        return cls(
            'the service failed %d times in a row before this read' % streak,
            last,
            summary='not attempted after %d server failures in a row (fail fast)' % streak,
        )

    def short(self) -> str:
        """Why the read was not attempted (it made no call of its own)."""
        return self.reason

    def __str__(self):
        return one_line(self.message)


def one_line(text: str) -> str:
    """``text`` with every run of white space (line breaks included) folded to one space."""
    return _SPACE_RE.sub(' ', str(text)).strip()


def mask_secrets(text: Optional[str], secrets: Iterable[str] = ()) -> Optional[str]:
    """``text`` with every occurrence of each of ``secrets`` replaced by ``********`` (longest first).

    Call it before cutting or folding a text taken from an answer, so no
    excerpt ever holds part of a secret (see the module docstring).
    """
    if text is None or not secrets:
        return text
    text = str(text)
    for secret in sorted((value for value in list(secrets) if isinstance(value, str) and value), key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def shorten(text: Optional[str], limit: int, secrets: Iterable[str] = ()) -> Optional[str]:
    """``text`` masked (:func:`mask_secrets`), then cut to ``limit`` characters plus ``...`` when longer."""
    text = mask_secrets(text, secrets)
    if len(text) > limit:
        text = text[:limit] + '...'
    return text


# Exceptions of requests/urllib3 whose text names only the host, the path and the
# socket-level cause: they are quoted (minus any user:password@).  Every other
# exception raised while sending is named by its type only, because its text may
# quote a header value (requests' InvalidHeader does).
_TRANSPORT_EXCEPTIONS = frozenset(
    [
        'ConnectionError',
        'ConnectTimeout',
        'ReadTimeout',
        'Timeout',
        'SSLError',
        'ProxyError',
        'ChunkedEncodingError',
        'ContentDecodingError',
        'TooManyRedirects',
        'RetryError',
        'MaxRetryError',
        'NewConnectionError',
        'ProtocolError',
    ]
)


def describe_send_failure(exc: BaseException, secrets: Iterable[str] = ()) -> str:
    """A one-line description of an exception raised while sending a request, safe to show.

    Transport failures keep their text (scrubbed of ``user:password@`` and
    masked with ``secrets`` before it is shortened); any other exception is
    named by its type with a generic reason.
    """
    names = [cls.__name__ for cls in type(exc).__mro__]
    name = names[0]
    if any(known in _TRANSPORT_EXCEPTIONS for known in names):
        text = shorten(one_line(scrub_userinfo(mask_secrets(str(exc), secrets))), 400, secrets)
        return '%s: %s' % (name, text)
    if 'InvalidHeader' in names or 'UnicodeError' in names:
        return '%s: a request header could not be sent (a credential or option holds characters HTTP headers cannot carry; the value is not shown)' % name
    return '%s: the request could not be sent (details are not shown because they may include credentials)' % name


def _header(headers, name):
    """The value of header ``name`` in ``headers`` (any mapping), whatever the case of its key."""
    return next((value for key, value in (headers or {}).items() if key.lower() == name.lower()), None)


def _text(value):
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True)
    return str(value)


def _first(document, fields):
    for field in fields:
        value = document.get(field)
        if value is not None and value != '':
            return _text(value)
    return None


def _code_and_message(document):
    """Find (code, message) in a dict, whichever of the known field names it uses.

    A numeric code (IAM's ``{"error": {"code": 401}}``) only echoes the HTTP
    status; it is not a service error code such as ``OMS.1009``, so it is dropped.
    """
    code_fields = dict((field, value) for field, value in document.items() if field in _CODE_FIELDS and not isinstance(value, (int, float)))
    return _first(code_fields, _CODE_FIELDS), _first(document, _MESSAGE_FIELDS)


def _places(document):
    """Where an error body may say what went wrong: its top level, then each object one level down (``{"error": {...}}``)."""
    return [document] + [value for value in document.values() if isinstance(value, dict)]


def _find_error(document):
    """(code, message, title) at the top level, else one level down."""
    for place in _places(document):
        code, message = _code_and_message(place)
        title = place.get('title') if place is not document else None
        if code is not None or message is not None or title:
            return code, message, title
    return None, None, None


def body_excerpt(body_bytes: Optional[bytes], secrets: Iterable[str] = ()) -> str:
    """The start of a response body as one line of text (markup removed), for an error message.

    ``secrets`` are masked in the whole body before markup is removed and the
    text is folded and cut, so the excerpt never ends inside a secret.
    """
    text = body_bytes.decode('utf-8', 'replace') if isinstance(body_bytes, bytes) else str(body_bytes)
    text = one_line(_TAG_RE.sub(' ', mask_secrets(text, secrets)))
    return shorten(text, _EXCERPT_LENGTH, secrets)


def _status_line(status, reason):
    """``HTTP 503 Service Unavailable``: the answer's reason phrase, else the standard one, for a body that says nothing."""
    if not reason:
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = ''
    return ('HTTP %s %s' % (status, reason)).strip()


def parse_error_response(
    status: int,
    headers: Any,
    body_bytes: Optional[bytes],
    *,
    reason: Optional[str] = None,
    method: Optional[str] = None,
    url: Optional[str] = None,
    secrets: Iterable[str] = (),
) -> HuaweiCloudError:
    """Turn an error response into a :class:`HuaweiCloudError`.

    Understands ``error_code``/``error_msg``, ``error_code``/``error_message``,
    ``errorCode``/``errorMsg`` and ``code``/``message``, at the top level or
    nested one level down (IAM's ``{"error": {"code": 401, "message": ...,
    "title": ...}}`` among them), plus API-gateway bodies that carry
    ``request_id``.  A body that is not JSON gives a short excerpt of its text,
    or ``HTTP <status> <reason>`` when empty.  The request id comes from the
    ``X-Request-Id`` header, else from the body.  Every text taken from the
    answer (code, message, request id, excerpt) is masked with ``secrets``.
    """
    request_id = _header(headers, 'X-Request-Id')
    code = message = None
    document = None
    if body_bytes:
        try:
            raw = body_bytes.decode('utf-8') if isinstance(body_bytes, bytes) else body_bytes
            document = json.loads(raw)
        except ValueError:
            document = None
    if isinstance(document, dict):
        code, message, title = _find_error(document)
        if message is None and title:
            message = _text(title)
        if not request_id:
            request_id = next((_text(place['request_id']) for place in _places(document) if place.get('request_id')), None)
        if code is None and message is None:
            message = body_excerpt(body_bytes, secrets)
    elif body_bytes:
        message = body_excerpt(body_bytes, secrets)
    if not message:
        message = _status_line(status, reason)
    code, message, request_id = (mask_secrets(value, secrets) for value in (code, message, request_id))
    return HuaweiCloudError(message, status=status, code=code, request_id=request_id or None, method=method, url=url)


def scrub_userinfo(text: str) -> str:
    """Remove ``user:password@`` from URLs inside ``text`` (proxy URLs in transport errors)."""
    return re.sub(r'(\w+://)[^/@\s:]+(:[^/@\s]*)?@', r'\1***@', str(text))
