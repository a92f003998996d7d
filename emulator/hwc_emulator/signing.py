"""SDK-HMAC-SHA256 as the API gateway checks it.

Written from the algorithm (see the collection's API notes), not from any client
code: the server side rebuilds the canonical request from what arrived on the wire
and the SignedHeaders list the client sent.
"""

import hashlib
import hmac
import re
from urllib.parse import parse_qsl, quote, unquote

ALGORITHM = 'SDK-HMAC-SHA256'
DATE_FORMAT = '%Y%m%dT%H%M%SZ'
EMPTY_SHA256 = hashlib.sha256(b'').hexdigest()

_AUTHORIZATION = re.compile(
    r'^\s*SDK-HMAC-SHA256\s+Access=(?P<access>[^,\s]+)\s*,\s*'
    r'SignedHeaders=(?P<headers>[^,\s]+)\s*,\s*Signature=(?P<signature>[0-9A-Fa-f]+)\s*$'
)


def parse_authorization(value):
    """Return (access_key, [signed header names], signature) or None if malformed."""
    match = _AUTHORIZATION.match(value or '')
    if not match:
        return None
    names = match.group('headers').split(';')
    if any(not name for name in names):
        return None
    return match.group('access'), names, match.group('signature').lower()


def _encode(text):
    return quote(text, safe='~')


def canonical_uri(raw_path):
    """Every segment unquoted then quoted with only '~' safe, with a trailing '/'."""
    uri = '/'.join(_encode(segment) for segment in unquote(raw_path).split('/'))
    return uri if uri.endswith('/') else uri + '/'


def canonical_query(raw_query):
    """Keys sorted, values of one key sorted, both quoted, joined with '&'."""
    pairs = sorted(parse_qsl(raw_query or '', keep_blank_values=True))
    return '&'.join('%s=%s' % (_encode(key), _encode(value)) for key, value in pairs)


def payload_hash(body, content_sha256_header):
    """Hash of the body as the signer declares it."""
    if not body:
        return EMPTY_SHA256
    return content_sha256_header or hashlib.sha256(body).hexdigest()


def canonical_request(method, raw_path, raw_query, header_lookup, signed_headers, body_hash):
    """Build the canonical request; ``header_lookup(name)`` returns a value or None.

    Returns None when a header named in SignedHeaders is missing from the request.
    """
    lines = []
    for name in signed_headers:
        value = header_lookup(name)
        if value is None:
            return None
        lines.append('%s:%s\n' % (name, value.strip()))
    return '\n'.join((method.upper(), canonical_uri(raw_path), canonical_query(raw_query), ''.join(lines), ';'.join(signed_headers), body_hash))


def string_to_sign(sdk_date, canonical):
    """The string the HMAC covers."""
    digest = hashlib.sha256(canonical.encode('utf-8')).hexdigest()
    return '%s\n%s\n%s' % (ALGORITHM, sdk_date, digest)


def signature(secret_key, text):
    """Hex HMAC-SHA256 keyed with the secret key."""
    return hmac.new(secret_key.encode('utf-8'), text.encode('utf-8'), hashlib.sha256).hexdigest()


def sign_headers(method, host, raw_path, raw_query, headers, access_key, secret_key, sdk_date, body=b''):
    """Client-side helper for the benchmark: return headers with Authorization added.

    ``headers`` must not contain Authorization; Host and X-Sdk-Date are set here.
    """
    headers = dict(headers)
    headers['Host'] = host
    headers['X-Sdk-Date'] = sdk_date
    lowered = dict((k.lower(), v) for k, v in headers.items())
    names = sorted(name for name in lowered if '_' not in name)
    canonical = canonical_request(method, raw_path, raw_query, lowered.get, names, payload_hash(body, lowered.get('x-sdk-content-sha256')))
    sig = signature(secret_key, string_to_sign(sdk_date, canonical))
    headers['Authorization'] = '%s Access=%s, SignedHeaders=%s, Signature=%s' % (ALGORITHM, access_key, ';'.join(names), sig)
    return headers
