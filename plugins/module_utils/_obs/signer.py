# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The OBS V2 request signature (``Authorization: OBS AK:Signature``), pure: no Ansible, no requests.

The string to sign is, joined by ``\\n``: the verb, ``Content-MD5``,
``Content-Type``, the date (``Date``, or empty when ``x-obs-date`` is sent:
then ``x-obs-date`` is signed among the OBS headers), then the
canonicalized ``x-obs-*`` headers (lower case, sorted, ``name:value\\n``
each) directly followed by the canonicalized resource: ``/bucket/key`` with
the key percent-encoded (``/`` and ``~`` kept), and the sub-resources OBS
signs (:data:`SIGNED_SUBRESOURCES`), sorted, after a ``?``.  The signature
is the Base64 of the HMAC-SHA1 of that string, keyed with the secret key.

The resource names the bucket the same way whichever endpoint style sends
the request, with one difference OBS makes for a request without a key: a
virtual-hosted request signs ``/bucket/``, a path-style one ``/bucket``.
The official OBS SDK (``esdk-obs-python``, ``obs.auth``) is the oracle the
unit tests compare with.
"""

import base64
import hashlib
import hmac
from email.utils import formatdate
from typing import Iterable, Mapping, Optional, Tuple
from urllib.parse import quote

OBS_PREFIX = 'x-obs-'
META_PREFIX = 'x-obs-meta-'
DATE_HEADER = 'x-obs-date'
TOKEN_HEADER = 'x-obs-security-token'

# The query parameters that are part of the signed resource (the others, such as
# ListObjects' prefix, marker and max-keys, are not signed).
SIGNED_SUBRESOURCES = frozenset(
    [
        'acl', 'append', 'backtosource', 'bucketstatus', 'cors', 'delete', 'deletebucket', 'directcoldaccess', 'dispolicy',
        'encryption', 'fileinterface', 'inventory', 'length', 'lifecycle', 'location', 'logging', 'metadata', 'modify',
        'name', 'notification', 'obscompresspolicy', 'object-lock', 'partnumber', 'policy', 'policystatus', 'position',
        'publicaccessblock', 'quota', 'rename', 'replication', 'requestpayment', 'response-cache-control',
        'response-content-disposition', 'response-content-encoding', 'response-content-language', 'response-content-type',
        'response-expires', 'restore', 'retention', 'storageclass', 'storageinfo', 'storagepolicy', 'tagging', 'torrent',
        'truncate', 'uploadid', 'uploads', 'versionid', 'versioning', 'versions', 'website', 'x-image-process',
        'x-image-save-bucket', 'x-image-save-object', 'x-oss-process',
    ]
)  # fmt: skip


def http_date(epoch_seconds: Optional[float] = None) -> str:
    """The RFC 1123 date OBS expects in ``Date`` (``Sat, 09 Mar 2024 07:05:03 GMT``)."""
    return formatdate(epoch_seconds, usegmt=True)


def encode_key(key: str) -> str:
    """An object key as it appears in the URL path and the signed resource: percent-encoded, ``/`` and ``~`` kept."""
    return quote(key, safe='/~')


def canonical_resource(bucket: str, key: Optional[str], query: Iterable[Tuple[str, Optional[str]]] = (), *, path_style: bool) -> str:
    """The signed resource: ``/bucket/key`` (``/bucket/`` or ``/bucket`` without a key) and the signed sub-resources."""
    resource = '/' + bucket
    if key:
        resource += '/' + encode_key(key)
    elif not path_style:
        resource += '/'
    signed = sorted((name, value) for name, value in query if name.lower() in SIGNED_SUBRESOURCES or name.lower().startswith(OBS_PREFIX))
    if signed:
        resource += '?' + '&'.join(name if value is None else '%s=%s' % (name, value) for name, value in signed)
    return resource


def string_to_sign(method: str, headers: Mapping[str, str], resource: str) -> str:
    """The V2 string to sign of a request with ``headers`` (any case) for ``resource`` (:func:`canonical_resource`)."""
    lowered = dict((name.lower(), value) for name, value in headers.items())
    date = '' if DATE_HEADER in lowered else lowered.get('date', '')
    lines = [method.upper(), lowered.get('content-md5', ''), lowered.get('content-type', ''), date]
    obs_headers = []
    for name in sorted(name for name in lowered if name.startswith(OBS_PREFIX)):
        value = lowered[name]
        obs_headers.append('%s:%s\n' % (name, value.strip() if name.startswith(META_PREFIX) else value))
    return '\n'.join(lines) + '\n' + ''.join(obs_headers) + resource


def signature(secret_key: str, text: str) -> str:
    """Base64 of the HMAC-SHA1 of ``text`` keyed with ``secret_key`` (both UTF-8)."""
    digest = hmac.new(secret_key.encode('utf-8'), text.encode('utf-8'), hashlib.sha1).digest()
    return base64.b64encode(digest).decode('ascii')


def authorization(access_key: str, secret_key: str, method: str, headers: Mapping[str, str], resource: str) -> str:
    """The ``Authorization`` header value: ``OBS AK:Signature``."""
    return 'OBS %s:%s' % (access_key, signature(secret_key, string_to_sign(method, headers, resource)))
