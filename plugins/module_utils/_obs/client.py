# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""``ObsClient``: signed reads of an OBS bucket (GET and HEAD of an object, ListObjects paged).

Where a request goes: ``https://BUCKET.obs.REGION.CLOUD/KEY`` (virtual-hosted,
what OBS itself serves; path style on ``https://obs.REGION.CLOUD`` for a bucket
name with dots, which the endpoint's wildcard certificate does not cover), or
path style ``ENDPOINT/BUCKET/KEY`` when an endpoint is given: the ``obs_endpoint`` option, else the SDK's
``HUAWEICLOUD_SDK_REGION_OBS_<REGION>`` for the bucket's region (the
emulator, private endpoints).  The bucket name, the region and the key are
checked before anything is sent: a value from an API answer never shapes a
host name or a path it should not.

It rides on the API client's machinery, not a copy of it: the same
``requests`` session (its pool, its rate limiter, its answer bounds), the
same :class:`.retry.RetryPolicy` and call deadline (every attempt signed
anew, with a fresh date), the same body reader, and the same error model: a
:class:`HuaweiCloudError` with the status, the code of OBS's error XML
(``NoSuchKey``, ``AccessDenied``, ``SignatureDoesNotMatch``, ...), the
request id of ``x-obs-request-id``, the method and the URL.  The secret key
and the security token join the client's ``secrets``, so they are masked
in every text taken from an answer; no header value is ever quoted.
"""

import re
import time
from typing import Any, Dict, Iterable, List, Mapping, Optional, Set, Tuple
from urllib.parse import quote
from xml.etree import ElementTree

from ansible_collections.hwcloud.migration.plugins.module_utils._api import transport as _transport
from ansible_collections.hwcloud.migration.plugins.module_utils._api.endpoints import resolve_endpoint
from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError, body_excerpt, describe_send_failure, mask_secrets
from ansible_collections.hwcloud.migration.plugins.module_utils._api.options import DEFAULT_CLOUD, OptionError, is_host_label
from ansible_collections.hwcloud.migration.plugins.module_utils._obs import signer as _signer

# Bucket names: 3 to 63 characters, lower-case letters, digits, "-" and ".", starting and ending alphanumeric.
_BUCKET_RE = re.compile(r'^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$')
_CONTROL_RE = re.compile('[\x00-\x1f\x7f-\x9f\u2028\u2029]')
MAX_KEY_BYTES = 1024
LIST_PAGE_KEYS = 1000
# A prefix holding more list files than this is not read to the end: the read fails, naming it.
MAX_LIST_PAGES = 100
_CONTENT_RANGE_RE = re.compile(r'^bytes\s+(?:(\d+)-(\d+)|\*)/(\d+)$')


class ObjectRead:
    """What :meth:`ObsClient.get_object` read: ``content`` (bytes), the object's ``size``, ``complete`` (its end reached), ``meta``, ``etag``."""

    __slots__ = ('content', 'size', 'complete', 'meta', 'etag')

    def __init__(self, content: bytes, size: int, complete: bool, meta: Dict[str, Any], etag: Optional[str] = None) -> None:
        self.content = content
        self.size = size
        self.complete = complete
        self.meta = meta
        self.etag = etag


def check_bucket(bucket: Any) -> str:
    """``bucket`` when it is a valid OBS bucket name; :class:`OptionError` otherwise."""
    if not isinstance(bucket, str) or not _BUCKET_RE.match(bucket) or '..' in bucket:
        raise OptionError('the bucket name %r is not a valid OBS bucket name (3 to 63 lower-case letters, digits, "-" and ".")' % (bucket,))
    return bucket


def check_key(key: Any, what: str = 'object key') -> str:
    """``key`` when it is a usable object key (or prefix): text of 1 to 1024 UTF-8 bytes without control characters."""
    if not isinstance(key, str) or not key or len(key.encode('utf-8')) > MAX_KEY_BYTES or _CONTROL_RE.search(key):
        raise OptionError('the %s %r is not usable: it must be 1 to %d bytes of text without control characters' % (what, key, MAX_KEY_BYTES))
    return key


def _local(tag: str) -> str:
    return tag.rpartition('}')[2]


def _child_text(node: Any, name: str) -> Optional[str]:
    for child in node:
        if _local(child.tag) == name:
            return child.text or ''
    return None


def parse_obs_error(
    status: int, headers: Any, content: Optional[bytes], *, method: str, url: str, secrets: Iterable[str] = (), reason: Optional[str] = None
) -> HuaweiCloudError:
    """The :class:`HuaweiCloudError` of an OBS error answer: code and message of its XML, request id of ``x-obs-request-id``.

    A HEAD answer has no body: the code then comes from ``x-obs-error-code``
    when OBS sent it.  A body that is not OBS error XML gives a short excerpt.
    """
    request_id = headers.get('x-obs-request-id') if headers is not None else None
    code = headers.get('x-obs-error-code') if headers is not None else None
    message = None
    if content:
        try:
            root = ElementTree.fromstring(content)
        except ElementTree.ParseError:
            root = None
        if root is not None and _local(root.tag) == 'Error':
            code = _child_text(root, 'Code') or code
            message = _child_text(root, 'Message') or None
            request_id = request_id or _child_text(root, 'RequestId') or None
        else:
            message = body_excerpt(content, secrets)
    if not message:
        message = ('HTTP %s %s' % (status, reason or '')).strip()
    code, message, request_id = (mask_secrets(value, secrets) for value in (code, message, request_id))
    return HuaweiCloudError(message, status=status, code=code or None, request_id=request_id or None, method=method, url=url)


class ObsClient:
    """Signed reads of OBS buckets with one AK/SK (and security token) over an API client's session and retry policy.

    ``api`` is the :class:`.client.HuaweiCloudClient` of the run: its session,
    policy, timeouts, cloud and ``secrets`` are used.  ``endpoint`` is the
    ``obs_endpoint`` option (None: per region, see the module docstring).
    """

    def __init__(
        self,
        api: Any,
        *,
        access_key: str,
        secret_key: str,
        security_token: Optional[str] = None,
        endpoint: Optional[str] = None,
        environ: Optional[Mapping[str, str]] = None,
    ) -> None:
        for name, value in (('access key', access_key), ('secret key', secret_key), ('security token', security_token)):
            if value is not None and (not isinstance(value, str) or not value or _CONTROL_RE.search(value)):
                raise OptionError('the OBS %s must be non-empty text without control characters or line breaks' % name)
        self.access_key = access_key
        self._secret_key = secret_key
        self._security_token = security_token or None
        self.session = api.session
        self.policy = api.policy
        self.timeout = api.timeout
        self.verify = api.verify
        self.cloud = getattr(api, 'cloud', None) or DEFAULT_CLOUD
        self.secrets: Set[str] = api.secrets
        self.secrets.update(value for value in (secret_key, security_token) if value)
        self.environ = environ
        self.endpoint = resolve_endpoint('obs', None, endpoint=endpoint) if endpoint else None

    def __repr__(self) -> str:
        return '<ObsClient endpoint=%s>' % (self.endpoint or 'virtual-hosted')

    # -- where --------------------------------------------------------------

    def base(self, bucket: str, region: Optional[str]) -> Tuple[str, bool]:
        """``(URL of the bucket, path_style)`` for ``bucket`` in ``region``; both checked."""
        check_bucket(bucket)
        if self.endpoint:
            return '%s/%s' % (self.endpoint, bucket), True
        if not is_host_label(region):
            raise OptionError('the region %r of bucket %s is not a region id; set obs_endpoint to read it' % (region, bucket))
        default = 'https://obs.%s.%s' % (region, self.cloud)
        found = resolve_endpoint('obs', region, self.cloud, environ=self.environ)
        if found != default or '.' in bucket:
            # A bucket name with dots would be a host name the endpoint's wildcard certificate does not cover.
            return '%s/%s' % (found, bucket), True
        return 'https://%s.obs.%s.%s' % (bucket, region, self.cloud), False

    def object_url(self, bucket: str, region: Optional[str], key: str) -> Tuple[str, bool]:
        """``(URL of the object, path_style)``; the key is percent-encoded as OBS signs it."""
        base, path_style = self.base(bucket, region)
        return '%s/%s' % (base, _signer.encode_key(check_key(key))), path_style

    # -- calls --------------------------------------------------------------

    def _headers(self, method: str, resource: str, extra: Mapping[str, str]) -> Dict[str, str]:
        headers = dict(extra)
        headers['Date'] = _signer.http_date(time.time())
        if self._security_token:
            headers[_signer.TOKEN_HEADER] = self._security_token
        headers['Authorization'] = _signer.authorization(self.access_key, self._secret_key, method, headers, resource)
        return headers

    def _attempt(self, method: str, url: str, resource: str, extra: Mapping[str, str], max_bytes: Optional[int]) -> _transport.Answer:
        response = self.session.request(
            method, url, headers=self._headers(method, resource, extra), allow_redirects=False, stream=True, timeout=self.timeout, verify=self.verify
        )
        if method == 'HEAD':
            response.close()
            return _transport.Answer(response, b'', None)
        # The caller's bound is for the object; an error answer keeps the session's own.
        limit = max_bytes if 200 <= response.status_code < 300 else None
        try:
            return _transport.Answer(response, _transport.read_body(response, self.timeout[1], limit), None)
        except _transport.BodyReadError as exc:
            return _transport.Answer(response, None, exc)

    def call(
        self, method: str, url: str, resource: str, *, headers: Optional[Mapping[str, str]] = None, max_bytes: Optional[int] = None, ok: Tuple[int, ...] = ()
    ) -> _transport.Answer:
        """One signed call under the retry policy; the answer when its status is 2xx (or in ``ok``), else :class:`HuaweiCloudError`."""
        extra = dict(headers or {})
        try:
            answer = self.policy.run(method, lambda: self._attempt(method, url, resource, extra, max_bytes))
        except Exception as exc:  # anything requests, urllib3 or a socket raises
            raise HuaweiCloudError(describe_send_failure(exc, self.secrets), method=method, url=url)
        response = answer.response
        request_id = mask_secrets(response.headers.get('x-obs-request-id'), self.secrets)
        if answer.body_error is not None:
            message = answer.body_error.describe(self.timeout[1])
            raise HuaweiCloudError(message, status=response.status_code, code=answer.body_error.code, request_id=request_id, method=method, url=url)
        if not (200 <= response.status_code < 300 or response.status_code in ok):
            raise parse_obs_error(response.status_code, response.headers, answer.content, method=method, url=url, secrets=self.secrets, reason=response.reason)
        return answer

    def head_object(self, bucket: str, region: Optional[str], key: str) -> Dict[str, Any]:
        """HEAD an object: ``{"status", "request_id", "url", "size"}`` (``size`` None when not answered)."""
        url, path_style = self.object_url(bucket, region, key)
        answer = self.call('HEAD', url, _signer.canonical_resource(bucket, key, path_style=path_style))
        meta = self._meta(answer, url)
        length = answer.response.headers.get('Content-Length')
        meta['size'] = int(length) if length is not None and length.isdigit() else None
        return meta

    def get_object(self, bucket: str, region: Optional[str], key: str, *, max_bytes: int, start: int = 0, if_match: Optional[str] = None) -> ObjectRead:
        """GET at most ``max_bytes`` bytes of an object from byte ``start`` (a ``Range`` request).

        ``complete`` says whether the object ends within them; ``if_match``
        (an ETag from an earlier part) makes a changed object fail
        (``PreconditionFailed``) instead of mixing two versions.  An answer
        that does not say exactly which bytes it holds is refused.
        """
        url, path_style = self.object_url(bucket, region, key)
        headers = {'Range': 'bytes=%d-%d' % (start, start + max_bytes - 1)}
        if if_match:
            headers['If-Match'] = if_match
        answer = self.call('GET', url, _signer.canonical_resource(bucket, key, path_style=path_style), headers=headers, max_bytes=max_bytes, ok=(416,))
        meta = self._meta(answer, url)
        content = answer.content or b''
        status = answer.response.status_code
        etag = answer.response.headers.get('ETag') or None
        if status == 200 and start == 0:
            return ObjectRead(content, len(content), True, meta, etag)  # the whole object (the Range was not applied)
        found = _CONTENT_RANGE_RE.match((answer.response.headers.get('Content-Range') or '').strip())
        size = int(found.group(3)) if found else None
        if status == 416 and size == start == 0:
            return ObjectRead(b'', 0, True, meta, etag)  # a range of an empty object cannot be satisfied
        if status == 206 and found and found.group(1) == str(start) and int(found.group(2)) + 1 == start + len(content) and size >= start + len(content):
            return ObjectRead(content, size, size == start + len(content), meta, etag)
        raise HuaweiCloudError(
            'the answer to a range read does not say which bytes it holds (Content-Range missing or inconsistent with the body); nothing of it is used',
            status=status,
            code='InvalidResponse',
            request_id=meta['request_id'],
            method='GET',
            url=url,
        )

    def list_objects(self, bucket: str, region: Optional[str], prefix: str) -> List[Dict[str, Any]]:
        """Every object under ``prefix`` (ListObjects, paged by marker): ``[{"key", "size"}]`` in OBS's (key) order.

        Fails closed: a page that is not ListBucketResult XML, a truncated page
        without a way on (no key, no NextMarker, or one that does not move),
        or more than :data:`MAX_LIST_PAGES` pages raises :class:`HuaweiCloudError`.
        """
        check_key(prefix, 'prefix')
        base, path_style = self.base(bucket, region)
        resource = _signer.canonical_resource(bucket, None, path_style=path_style)
        found: List[Dict[str, Any]] = []
        marker = None
        for _page in range(MAX_LIST_PAGES):
            query = [('max-keys', str(LIST_PAGE_KEYS)), ('prefix', prefix)] + ([('marker', marker)] if marker is not None else [])
            url = '%s/?%s' % (base, '&'.join('%s=%s' % (name, quote(value, safe='')) for name, value in query))
            answer = self.call('GET', url, resource)
            keys, truncated, next_marker = self._page(answer, url)
            found.extend(keys)
            if not truncated:
                return found
            following = next_marker or (keys[-1]['key'] if keys else None)
            if not following or following == marker:
                raise self._bad_listing(answer, url, 'the listing says it is truncated but gives no marker to go on from')
            marker = following
        raise HuaweiCloudError(
            'more than %d pages of objects under prefix %s; the listing was not read to its end' % (MAX_LIST_PAGES, prefix),
            code='ListingTooLong',
            method='GET',
            url=base,
        )

    def _page(self, answer: _transport.Answer, url: str) -> Tuple[List[Dict[str, Any]], bool, Optional[str]]:
        try:
            root = ElementTree.fromstring(answer.content or b'')
        except ElementTree.ParseError:
            root = None
        if root is None or _local(root.tag) != 'ListBucketResult':
            raise self._bad_listing(answer, url, 'the listing answer is not ListBucketResult XML')
        keys = []
        for node in root:
            if _local(node.tag) != 'Contents':
                continue
            key, size = _child_text(node, 'Key'), _child_text(node, 'Size')
            if not key or size is None or not size.strip().isdigit():
                raise self._bad_listing(answer, url, 'a listed object has no key or no size')
            keys.append({'key': key, 'size': int(size)})
        truncated = (_child_text(root, 'IsTruncated') or '').strip().lower()
        if truncated not in ('true', 'false'):
            raise self._bad_listing(answer, url, 'the listing does not say whether it is truncated (IsTruncated)')
        return keys, truncated == 'true', _child_text(root, 'NextMarker') or None

    def _bad_listing(self, answer: _transport.Answer, url: str, message: str) -> HuaweiCloudError:
        meta = self._meta(answer, url)
        return HuaweiCloudError(message, status=meta['status'], code='InvalidResponse', request_id=meta['request_id'], method='GET', url=url)

    def _meta(self, answer: _transport.Answer, url: str) -> Dict[str, Any]:
        return {'status': answer.response.status_code, 'request_id': mask_secrets(answer.response.headers.get('x-obs-request-id'), self.secrets), 'url': url}
