# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Huawei Cloud API errors: one exception type and the parser for every error body shape.

An error carries what a user needs to act on it (HTTP status, service error
code, message, request id, method and URL) and never a request header, so no
credential, token or signature can leak into a message, a log line or a module
result through it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

# Field names services use for the error code and the message, in the order they are tried
# (error_code/error_msg, error_code/error_message, errorCode/errorMsg, code/message).
_CODE_FIELDS = ('error_code', 'errorCode', 'code')
_MESSAGE_FIELDS = ('error_msg', 'error_message', 'errorMsg', 'message')
_EXCERPT_LENGTH = 200
_TAG_RE = re.compile(r'<[^>]*>')
_SPACE_RE = re.compile(r'\s+')

# Reason phrases for the statuses these APIs document, used when a body says nothing.
_REASONS = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    406: 'Not Acceptable',
    409: 'Conflict',
    413: 'Payload Too Large',
    415: 'Unsupported Media Type',
    429: 'Too Many Requests',
    500: 'Internal Server Error',
    501: 'Not Implemented',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
    504: 'Gateway Timeout',
}


class HuaweiCloudError(Exception):
    """A failed Huawei Cloud API call.

    ``status`` is the HTTP status (``None`` for transport failures: DNS,
    connection refused, TLS, timeouts), ``code`` the service error code
    (``OMS.1009``, ``APIGW.0301``, ...) when the body gave one, ``message`` the
    human message, ``request_id`` the ``X-Request-Id`` of the response, and
    ``method``/``url`` the request that failed.
    """

    def __init__(self, message, status=None, code=None, request_id=None, method=None, url=None):
        self.message = message
        self.status = status
        self.code = code
        self.request_id = request_id
        self.method = method
        self.url = url
        super(HuaweiCloudError, self).__init__(message)

    def with_request(self, method, url):
        """Fill in the request method and URL when not known yet; return self."""
        if self.method is None:
            self.method = method
        if self.url is None:
            self.url = url
        return self

    def to_dict(self):
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
        return text


class ParameterError(HuaweiCloudError, ValueError):
    """A request parameter was refused before anything was sent (bad path parameter, query value)."""

    def __init__(self, message, name=None):
        self.name = name
        super(ParameterError, self).__init__(message, code='InvalidParameter')

    def __str__(self):
        return one_line(self.message)


class NotAttemptedError(HuaweiCloudError):
    """A resource not read because the service had just failed ``streak`` times in a row (fail fast)."""

    def __init__(self, streak, last=None):
        cause = ' (the last: %s)' % last if last is not None else ''
        super(NotAttemptedError, self).__init__('not attempted: the service failed %d times in a row before this read%s' % (streak, cause), code='NotAttempted')
        self.streak = streak


def one_line(text):
    """``text`` with every run of white space (line breaks included) folded to one space."""
    return _SPACE_RE.sub(' ', str(text)).strip()


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


def describe_send_failure(exc):
    """A one-line description of an exception raised while sending a request, safe to show.

    Transport failures keep their text (scrubbed of ``user:password@``); any
    other exception is named by its type with a generic reason.
    """
    names = [cls.__name__ for cls in type(exc).__mro__]
    name = names[0]
    if any(known in _TRANSPORT_EXCEPTIONS for known in names):
        text = scrub_userinfo(one_line(exc))
        if len(text) > 400:
            text = text[:400] + '...'
        return '%s: %s' % (name, text)
    if 'InvalidHeader' in names or 'UnicodeError' in names:
        return '%s: a request header could not be sent (a credential or option holds characters HTTP headers cannot carry; the value is not shown)' % name
    return '%s: the request could not be sent (details are not shown because they may include credentials)' % name


def _header(headers, name):
    if not headers:
        return None
    getter = getattr(headers, 'get', None)
    value = getter(name) if getter else None
    if value is None:
        wanted = name.lower()
        for key in headers:
            if key.lower() == wanted:
                return headers[key]
    return value


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


def _find_error(document):
    """(code, message, title) at the top level, else one level down (``{"error": {...}}``)."""
    code, message = _code_and_message(document)
    if code is not None or message is not None:
        return code, message, None
    for value in document.values():
        if isinstance(value, dict):
            code, message = _code_and_message(value)
            if code is not None or message is not None or value.get('title'):
                return code, message, value.get('title')
    return None, None, None


def body_excerpt(body_bytes):
    """The start of a response body as one line of text (markup removed), for an error message."""
    text = body_bytes.decode('utf-8', 'replace') if isinstance(body_bytes, bytes) else str(body_bytes)
    text = one_line(_TAG_RE.sub(' ', text))
    if len(text) > _EXCERPT_LENGTH:
        text = text[:_EXCERPT_LENGTH] + '...'
    return text


def _status_line(status, reason):
    reason = reason or _REASONS.get(status, '')
    return ('HTTP %s %s' % (status, reason)).strip()


def parse_error_response(status, headers, body_bytes, reason=None, method=None, url=None):
    """Turn an error response into a :class:`HuaweiCloudError`.

    Understands ``error_code``/``error_msg``, ``error_code``/``error_message``,
    ``errorCode``/``errorMsg`` and ``code``/``message``, at the top level or
    nested one level down (IAM's ``{"error": {"code": 401, "message": ...,
    "title": ...}}`` among them), plus API-gateway bodies that carry
    ``request_id``.  A body that is not JSON gives a short excerpt of its text,
    or ``HTTP <status> <reason>`` when empty.  The request id comes from the
    ``X-Request-Id`` header, else from the body.
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
            request_id = _text(document.get('request_id'))
            if not request_id:
                for value in document.values():
                    if isinstance(value, dict) and value.get('request_id'):
                        request_id = _text(value.get('request_id'))
                        break
        if code is None and message is None:
            message = body_excerpt(body_bytes)
    elif body_bytes:
        message = body_excerpt(body_bytes)
    if not message:
        message = _status_line(status, reason)
    return HuaweiCloudError(message, status=status, code=code, request_id=request_id or None, method=method, url=url)


def scrub_userinfo(text):
    """Remove ``user:password@`` from URLs inside ``text`` (proxy URLs in transport errors)."""
    return re.sub(r'(\w+://)[^/@\s:]+(:[^/@\s]*)?@', r'\1***@', str(text))
