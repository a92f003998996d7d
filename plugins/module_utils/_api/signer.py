# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""SDK-HMAC-SHA256 request signing for Huawei Cloud APIs (standard library only).

The algorithm is the one the official Python SDK applies to AK/SK requests, and
the unit tests compare our ``Authorization`` header with the SDK's over hundreds
of generated requests.  Nothing here knows about Ansible or ``requests``, so the
same functions serve the client and any test double.

Two entry points:

* :func:`sign_request` takes a full URL (path percent-encoded as it goes on the
  wire, query string in the URL) and returns the headers to add;
* :func:`sign_parts` takes the pieces (host, path, list of query pairs) exactly
  as the SDK's ``SdkRequest`` holds them.

Both return a new dict with the headers the caller must add to the request
(``X-Sdk-Date`` and ``Host`` when missing, ``X-Sdk-Content-Sha256`` when the
payload is not signed, and ``Authorization``).  The caller's dict is never
modified.
"""

import hashlib
import hmac
from datetime import datetime, timezone
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union
from urllib.parse import parse_qsl, quote, unquote, urlsplit

_UTC = timezone.utc

Body = Union[bytes, str, None]

ALGORITHM = 'SDK-HMAC-SHA256'
DATE_FORMAT = '%Y%m%dT%H%M%SZ'
HEADER_DATE = 'X-Sdk-Date'
HEADER_HOST = 'Host'
HEADER_AUTHORIZATION = 'Authorization'
HEADER_CONTENT_SHA256 = 'X-Sdk-Content-Sha256'
UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD'
EMPTY_BODY_SHA256 = hashlib.sha256(b'').hexdigest()

# Content types whose payload is hashed; any other declared type is sent with
# an unsigned payload (the SDK decides on the exact "Content-Type" key only).
_HASHED_CONTENT_TYPES = ('application/json', 'application/bson')


def _to_bytes(value):
    if value is None:
        return b''
    if isinstance(value, bytes):
        return value
    return value.encode('utf-8')


def _encode(text):
    """Percent-encode everything but unreserved characters; '~' stays literal."""
    return quote(text, safe='~')


def _get_ignore_case(headers, name):
    wanted = name.lower()
    for key in headers:
        if key.lower() == wanted:
            return headers[key]
    return None


def format_sdk_date(moment: Optional[datetime] = None) -> str:
    """Return ``moment`` (a datetime, default now) as an ``X-Sdk-Date`` value in UTC.

    A naive datetime is taken to be UTC already; an aware one is converted.
    """
    if moment is None:
        moment = datetime.now(_UTC)
    if moment.tzinfo is not None:
        moment = moment.astimezone(_UTC).replace(tzinfo=None)
    return moment.strftime(DATE_FORMAT)


def canonical_uri(path: str) -> str:
    """Canonical URI: every segment unquoted then quoted (only '~' safe), with a trailing '/'.

    The path is unquoted as a whole first, exactly like the SDK does, so an
    encoded '/' (``%2F``) inside a segment becomes a separator in the canonical
    form; the server-side verifier follows the same rule.
    """
    segments = unquote(path or '').split('/')
    result = '/'.join(_encode(segment) for segment in segments)
    if not result.endswith('/'):
        result += '/'
    return result


def _query_value_text(value):
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def canonical_query_string(query_pairs: Optional[Sequence[Tuple[str, Any]]]) -> str:
    """Canonical query string from a list of ``(key, value)`` pairs.

    Pairs are sorted (by key, then value); a value may be a list, whose items
    are sorted and each emitted as ``key=item``; booleans become ``true`` /
    ``false``.  Keys and values are percent-encoded with only '~' left literal.
    The same string is a valid wire query, and the client sends exactly this.
    """
    pairs = sorted(query_pairs or [])
    parts = []
    for key, value in pairs:
        encoded_key = _encode(key)
        if isinstance(value, list):
            for item in sorted(value):
                parts.append('%s=%s' % (encoded_key, _encode(str(item))))
        else:
            parts.append('%s=%s' % (encoded_key, _encode(_query_value_text(value))))
    return '&'.join(parts)


def _prepare_headers(headers, host, body, now):
    """Return (all_headers, added_headers) after the SDK's pre-signing steps."""
    work = dict(headers or {})
    added = {}

    content_type = work.get('Content-Type')
    if content_type and not content_type.startswith(_HASHED_CONTENT_TYPES):
        work[HEADER_CONTENT_SHA256] = UNSIGNED_PAYLOAD
        added[HEADER_CONTENT_SHA256] = UNSIGNED_PAYLOAD

    sdk_date = _get_ignore_case(work, HEADER_DATE)
    if sdk_date is None:
        sdk_date = format_sdk_date(now)
        work[HEADER_DATE] = sdk_date
        added[HEADER_DATE] = sdk_date
    else:
        # Normalise through the same format so a malformed date fails here,
        # not as an opaque signature mismatch at the server.
        sdk_date = datetime.strptime(sdk_date, DATE_FORMAT).strftime(DATE_FORMAT)

    if _get_ignore_case(work, HEADER_HOST) is None:
        work[HEADER_HOST] = host
        added[HEADER_HOST] = host
    return work, added, sdk_date


def signed_header_names(headers: Mapping[str, Any]) -> List[str]:
    """Names that are signed: every header without '_' in its name, lowercased and sorted."""
    return sorted(key.lower() for key in headers if '_' not in key)


def _canonical_headers(headers, signed_names):
    values = {}
    for key in headers:
        values[key.lower()] = str(headers[key]).strip()
    return '\n'.join('%s:%s' % (name, values.get(name)) for name in signed_names) + '\n'


def _payload_hash(headers, body):
    if not body:
        return EMPTY_BODY_SHA256
    declared = _get_ignore_case(headers, HEADER_CONTENT_SHA256)
    if declared:
        return declared
    return hashlib.sha256(body).hexdigest()


def canonical_request(method: str, path: str, query_pairs: Sequence[Tuple[str, Any]], headers: Mapping[str, Any], body: bytes, signed_names: List[str]) -> str:
    """Build the canonical request string (six parts joined by newlines)."""
    return '\n'.join(
        [
            method.upper(),
            canonical_uri(path),
            canonical_query_string(query_pairs),
            _canonical_headers(headers, signed_names),
            ';'.join(signed_names),
            _payload_hash(headers, body),
        ]
    )


def string_to_sign(sdk_date: str, canonical: str) -> str:
    """String to sign: algorithm, the X-Sdk-Date value and the hex SHA-256 of the canonical request."""
    digest = hashlib.sha256(canonical.encode('utf-8')).hexdigest()
    return '%s\n%s\n%s' % (ALGORITHM, sdk_date, digest)


def sign_parts(
    method: str,
    host: str,
    path: str,
    query_pairs: Sequence[Tuple[str, Any]],
    headers: Mapping[str, Any],
    body: Body,
    ak: str,
    sk: str,
    *,
    now: Optional[datetime] = None,
) -> Dict[str, str]:
    """Sign a request given as parts; return the headers to add.

    ``host`` is the ``netloc`` (with the port when there is one), ``path`` the
    resource path as sent (percent-encoded or not, it is unquoted first),
    ``query_pairs`` a list of ``(key, value)``, ``headers`` a dict of the
    headers that will be sent (every name without '_' is signed), ``body``
    bytes, str or None, and ``now`` a datetime used when ``X-Sdk-Date`` is not
    already set (tests pass a fixed one).
    """
    if not ak:
        raise ValueError('an access key is required to sign a request')
    if not sk:
        raise ValueError('a secret key is required to sign a request')
    body = _to_bytes(body)
    work, added, sdk_date = _prepare_headers(headers, host, body, now)
    names = signed_header_names(work)
    canonical = canonical_request(method, path, query_pairs, work, body, names)
    signature = hmac.new(_to_bytes(sk), string_to_sign(sdk_date, canonical).encode('utf-8'), hashlib.sha256).hexdigest()
    added[HEADER_AUTHORIZATION] = '%s Access=%s, SignedHeaders=%s, Signature=%s' % (ALGORITHM, ak, ';'.join(names), signature)
    return added


def split_url(url: str) -> Tuple[str, str, List[Tuple[str, str]]]:
    """Split a URL into (host, path, query pairs) the way the signer needs them."""
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    return parts.netloc, parts.path or '/', pairs


def sign_request(method: str, url: str, headers: Mapping[str, Any], body: Body, ak: str, sk: str, *, now: Optional[datetime] = None) -> Dict[str, str]:
    """Sign a request given by its URL; return the headers to add.

    The URL's query is decoded and re-encoded canonically, so send the query
    the way :func:`canonical_query_string` writes it (the client does) or any
    encoding that decodes to the same pairs.
    """
    host, path, pairs = split_url(url)
    return sign_parts(method, host, path, pairs, headers, body, ak, sk, now=now)
