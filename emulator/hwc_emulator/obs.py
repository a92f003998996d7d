"""OBS, path style: the failed-object lists of the scenario's failing tasks, in their destination buckets.

What is served: ``GET``/``HEAD /BUCKET/KEY`` (with ``Range``) and ListObjects
``GET /BUCKET?prefix=&marker=&max-keys=``.  Every request must carry an OBS
V2 signature (``Authorization: OBS AK:Signature``) by one of the scenario's
access keys, checked here with this module's own code (its tests hold it
against the official OBS SDK), with ``x-obs-security-token`` for temporary
keys and a date within the scenario's ``auth.max_clock_skew``.  Refusals and
misses answer OBS error XML: ``AccessDenied``, ``InvalidAccessKeyId``,
``SignatureDoesNotMatch``, ``RequestTimeTooSkewed``, ``NoSuchBucket``,
``NoSuchKey``, ``InvalidRange``.

Which objects exist: for each migration task with failed objects, task
group with failed members and sync task with a ``failed_object_list``, a
list file at the key the task names (``failed_object_record.list_file_key``;
for a sync task, ``oms/sync_task/ID/failed_object_lists/SUBTASK/TIME.failed_list.txt``
files under that prefix) in its destination bucket.  Its lines follow the
layout of ``obs.layout`` (or the list's own ``layout``): the fields error
code, time, key URL-encoded, key decoded and the source's error message,
separated by a tab, a comma or a space, with a header line or not.  The real
layout is not published, so no test may depend on one.

A path's first segment tells OBS from the other services: OMS and IAM paths
start with ``v2``/``v3`` and the control API with ``_emulator``, none of which
can be a bucket name (3 to 63 characters of ``a-z0-9.-``).
"""

import base64
import hashlib
import hmac
import re
import threading
from collections import OrderedDict
from email.utils import formatdate, parsedate_to_datetime
from urllib.parse import quote, unquote
from xml.sax.saxutils import escape

from .replies import Reply

_BUCKET_RE = re.compile(r'^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$')
XMLNS = 'http://obs.myhwclouds.com/doc/2015-06-30/'
CODES = (
    'UPLOAD_DST_OBJ_FAILURE',
    'GET_SRC_OBJ_FAILURE',
    'GET_SRC_OBJ_META_FAILURE',
    'GET_DST_OBJ_META_FAILURE',
    'INIT_DST_OBJ_MULTIPART_FAILURE',
    'COMPLETE_DST_OBJ_MULTIPART_FAILURE',
)
MESSAGES = {'UPLOAD_DST_OBJ_FAILURE': '-1-OBSClientUploadError', 'GET_SRC_OBJ_FAILURE': '404-NoSuchKey-The specified key does not exist.'}
DELIMITERS = {'tab': '\t', 'comma': ',', 'space': ' '}
HEADER_FIELDS = ('ErrorCode', 'Time', 'EncodedKey', 'Key', 'ErrorMessage')
# Query parameters OBS signs as sub-resources (the ones a read of these objects can carry).
_SUBRESOURCES = ('acl', 'partnumber', 'response-cache-control', 'response-content-type', 'uploadid', 'uploads', 'versionid', 'versions')

_LAYOUT = {
    'type': 'object',
    'additionalProperties': False,
    'properties': {'delimiter': {'enum': sorted(DELIMITERS)}, 'header': {'type': 'boolean'}, 'crlf': {'type': 'boolean'}},
}
FAILED_LIST_SCHEMA = {
    'type': 'object',
    'additionalProperties': False,
    'properties': {
        # explicit lines; without them, ``count`` generated ones (default: the task's failed objects)
        'objects': {
            'type': 'array',
            'items': {
                'type': 'object',
                'required': ['key'],
                'additionalProperties': False,
                'properties': {'code': {'type': 'string'}, 'key': {'type': 'string'}, 'message': {'type': 'string'}, 'time': {'type': 'string'}},
            },
        },
        'count': {'type': 'integer', 'minimum': 0},
        'raw_lines': {'type': 'array', 'items': {'type': 'string'}},  # appended verbatim (unparsable lines)
        'files': {'type': 'integer', 'minimum': 1},  # sync tasks: how many list files the lines are split into
        'missing': {'type': 'boolean'},  # the task names the list, but the bucket does not hold it
        'layout': _LAYOUT,
    },
}
SETTINGS_SCHEMA = {
    'type': 'object',
    'additionalProperties': False,
    'properties': {
        'layout': _LAYOUT,
        # buckets readable only by some access keys (any scenario key reads any other bucket)
        'buckets': {
            'type': 'array',
            'items': {
                'type': 'object',
                'required': ['name'],
                'additionalProperties': False,
                'properties': {'name': {'type': 'string'}, 'access_keys': {'type': 'array', 'items': {'type': 'string'}}},
            },
        },
    },
}


def is_obs_path(raw_path):
    """Whether a request path is an OBS one (its first segment can be a bucket name)."""
    first = raw_path.split('/')[1] if raw_path.startswith('/') else ''
    return bool(_BUCKET_RE.match(first))


def _line(fields, layout):
    return DELIMITERS[layout.get('delimiter', 'tab')].join(fields)


def _entries(spec, count, seed):
    if spec.get('objects') is not None:
        for number, item in enumerate(spec['objects']):
            code = item.get('code', CODES[number % len(CODES)])
            yield code, item.get('time', '2024-03-09 15:05:%02d' % (number % 60)), item['key'], item.get('message', MESSAGES.get(code, code + '-error'))
        return
    for number in range(spec.get('count', count)):
        code = CODES[number % len(CODES)]
        special = ('', ' é', '+1', '%25', ',x', '中')[number % 6]
        key = '%s/photos/2024/img %06d%s.jpg' % (seed, number, special)
        yield code, '2024-03-09 15:%02d:%02d' % (number // 60 % 60, number % 60), key, MESSAGES.get(code, code + '-error')


def render(spec, count, seed, default_layout):
    """The bytes of one list file: the lines of ``spec`` (generated ``count`` when it lists none) in its layout."""
    layout = dict(default_layout or {})
    layout.update(spec.get('layout') or {})
    end = '\r\n' if layout.get('crlf') else '\n'
    lines = [_line(HEADER_FIELDS, layout)] if layout.get('header') else []
    for code, time_text, key, message in _entries(spec, count, seed):
        lines.append(_line((code, time_text, quote(key, safe='/'), key, message), layout))
    lines.extend(spec.get('raw_lines') or [])
    return (end.join(lines) + end).encode('utf-8') if lines else b''


class ObsWorld(object):
    """The buckets and objects of one loaded scenario; object bodies are rendered on first read."""

    def __init__(self, data, state):
        settings = data.get('obs') or {}
        self.layout = settings.get('layout') or {}
        self.access = dict((b['name'], frozenset(b['access_keys'])) for b in settings.get('buckets') or [] if b.get('access_keys') is not None)
        self.buckets = dict((b['name'], OrderedDict()) for b in settings.get('buckets') or [])
        self._bodies = {}
        self._lock = threading.Lock()
        world = state.migration
        for task in world.tasks.values():
            spec = task.entry.get('failed_object_list') or {}
            if task.failed_objects or spec:
                bucket = task.body(state.loaded_ms)['dst_node']['bucket']
                self._add(bucket, task.list_file_key(), spec, task.failed_objects, 'task-%d' % task.task_id)
        for group in world.groups.values():
            members = world.members.get((group.project_id, group.group_id), ())
            failed = sum(task.failed_objects for task in members)
            spec = group.entry.get('failed_object_list') or {}
            if failed or spec:
                bucket = world.group_body(group, state.loaded_ms)['dst_node']['bucket']
                self._add(bucket, group.list_file_key(), spec, failed, 'group-%s' % group.group_id)
        for entry in data.get('sync_tasks') or []:
            spec = entry.get('failed_object_list')
            task = state.tasks.get(entry['sync_task_id'])
            if spec is None or task is None or not task.fields.get('dst_bucket'):
                continue
            files = spec.get('files', 1)
            for number in range(files):
                key = 'oms/sync_task/%s/failed_object_lists/sub-task-%d/20240309%06d.failed_list.txt' % (task.task_id, number, number)
                part = dict(spec, count=spec.get('count', 0) // files + (1 if number < spec.get('count', 0) % files else 0))
                self._add(task.fields['dst_bucket'], key, part, 0, 'sync-%s-%d' % (task.task_id, number))

    def _add(self, bucket, key, spec, count, seed):
        objects = self.buckets.setdefault(bucket, OrderedDict())
        if not spec.get('missing'):
            objects[key] = (spec, count, seed)

    def body(self, bucket, key):
        """The bytes of an object, or None when the bucket does not hold it."""
        found = self.buckets.get(bucket, {}).get(key)
        if found is None:
            return None
        with self._lock:
            if (bucket, key) not in self._bodies:
                self._bodies[(bucket, key)] = render(found[0], found[1], found[2], self.layout)
            return self._bodies[(bucket, key)]


def _error(status, code, message, request_id, resource=''):
    xml = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>%s</Code><Message>%s</Message><Resource>%s</Resource><RequestId>%s</RequestId></Error>' % (
        escape(code),
        escape(message),
        escape(resource),
        request_id,
    )
    return Reply(status, raw=xml.encode('utf-8'), content_type='application/xml', headers={'x-obs-request-id': request_id, 'x-obs-error-code': code})


class Refused(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.reply_args = (status, code, message)


def string_to_sign(method, headers, bucket, raw_key, query, prefix='x-obs-'):
    """The V2 string to sign as the server sees the request (the emulator's own code, see the module docstring).

    ``prefix`` is ``x-obs-`` for an ``OBS`` signature, ``x-amz-`` for the ``AWS`` one OBS also accepts
    (what the OBS SDK sends in path style).
    """
    names = dict((name.lower(), name) for name in headers.keys())
    own = sorted(name for name in names if name.startswith(prefix))
    date = '' if prefix + 'date' in names else headers.get('Date', '')
    text = '%s\n%s\n%s\n%s\n' % (method, headers.get('Content-MD5', ''), headers.get('Content-Type', ''), date)
    for name in own:
        value = headers.get(names[name], '')
        text += '%s:%s\n' % (name, value.strip() if name.startswith(prefix + 'meta-') else value)
    text += '/' + bucket
    if raw_key:
        text += '/' + quote(unquote(raw_key), safe='/~')
    signed = sorted((k, v) for k, v in query if k.lower() in _SUBRESOURCES or k.lower().startswith(prefix))
    if signed:
        text += '?' + '&'.join(k if v is None else '%s=%s' % (k, v) for k, v in signed)
    return text


def _query_pairs(raw_query):
    pairs = []
    for part in (raw_query or '').split('&'):
        if part:
            key, sep, value = part.partition('=')
            pairs.append((unquote(key), unquote(value) if sep else None))
    return pairs


def authenticate(state, method, headers, bucket, raw_key, raw_query, now_ms):
    """The access key of a correctly signed request; :class:`Refused` otherwise."""
    given = headers.get('Authorization') or ''
    scheme = given[:4]
    if scheme not in ('OBS ', 'AWS ') or ':' not in given:
        raise Refused(403, 'AccessDenied', 'Access Denied: the request is not signed with an OBS signature.')
    prefix = 'x-obs-' if scheme == 'OBS ' else 'x-amz-'
    access_key, _sep, signature = given[4:].strip().rpartition(':')
    key = state.access_keys.get(access_key)
    if key is None:
        raise Refused(403, 'InvalidAccessKeyId', 'The access key Id you provided does not exist in our records.')
    when = headers.get(prefix + 'date') or headers.get('Date')
    try:
        moment = parsedate_to_datetime(when).timestamp() * 1000 if when else None
    except (TypeError, ValueError):
        moment = None
    if moment is None or abs(now_ms - moment) > state.settings.max_clock_skew_ms:
        raise Refused(403, 'RequestTimeTooSkewed', 'The difference between the request time and the server time is too large.')
    text = string_to_sign(method, headers, bucket, raw_key, _query_pairs(raw_query), prefix)
    expected = base64.b64encode(hmac.new(key.secret_key.encode('utf-8'), text.encode('utf-8'), hashlib.sha1).digest()).decode('ascii')
    if not hmac.compare_digest(expected, signature):
        raise Refused(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.')
    if key.security_token is not None and not hmac.compare_digest((headers.get(prefix + 'security-token') or '').encode(), key.security_token.encode()):
        raise Refused(403, 'AccessDenied', 'Access Denied: a temporary access key needs its security token.')
    return access_key


def handle(ctx):
    """Answer an OBS request: ``(reply, route name, access key or None)``."""
    state = ctx.state
    world = state.obs
    parts = ctx.raw_path.split('/', 2)
    bucket, raw_key = parts[1], parts[2] if len(parts) > 2 else ''
    route = 'obs_list_objects' if not raw_key else 'obs_%s_object' % ctx.method.lower()
    resource = '/%s/%s' % (bucket, unquote(raw_key))
    if ctx.method not in ('GET', 'HEAD'):
        return _error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', ctx.request_id, resource), route, None
    try:
        access_key = authenticate(state, ctx.method, ctx.headers, bucket, raw_key, ctx.raw_query, ctx.now)
    except Refused as refused:
        return _error(*refused.reply_args, request_id=ctx.request_id, resource=resource), route, None
    if bucket not in world.buckets:
        return _error(404, 'NoSuchBucket', 'The specified bucket does not exist.', ctx.request_id, resource), route, access_key
    allowed = world.access.get(bucket)
    if allowed is not None and access_key not in allowed:
        return _error(403, 'AccessDenied', 'Access Denied', ctx.request_id, resource), route, access_key
    if not raw_key:
        return list_objects(world, bucket, ctx), route, access_key
    body = world.body(bucket, unquote(raw_key))
    if body is None:
        return _error(404, 'NoSuchKey', 'The specified key does not exist.', ctx.request_id, resource), route, access_key
    return get_object(body, ctx, resource), route, access_key


_RANGE_RE = re.compile(r'^bytes=(\d*)-(\d*)$')


def get_object(body, ctx, resource):
    """The object (or the ``Range`` of it) with the headers OBS sends."""
    headers = {'x-obs-request-id': ctx.request_id, 'ETag': '"%s"' % hashlib.md5(body).hexdigest(), 'Last-Modified': formatdate(usegmt=True)}  # nosec: an ETag
    condition = ctx.headers.get('If-Match')
    # Compared without the quotes: clients send an ETag with or without them.
    if condition is not None and condition.strip().strip('"') not in ('*', headers['ETag'].strip('"')):
        return _error(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold.', ctx.request_id, resource)
    wanted = _RANGE_RE.match((ctx.headers.get('Range') or '').strip())
    if not wanted or wanted.groups() == ('', ''):
        return Reply(200, raw=body, content_type='text/plain', headers=headers)
    first, last = wanted.groups()
    size = len(body)
    if first == '':
        start, end = max(0, size - int(last)), size - 1
    else:
        start, end = int(first), min(size - 1, int(last)) if last else size - 1
    if start >= size or start > end:
        reply = _error(416, 'InvalidRange', 'The requested range cannot be satisfied.', ctx.request_id, resource)
        reply.headers['Content-Range'] = 'bytes */%d' % size
        return reply
    headers['Content-Range'] = 'bytes %d-%d/%d' % (start, end, size)
    return Reply(206, raw=body[start : end + 1], content_type='text/plain', headers=headers)


def list_objects(world, bucket, ctx):
    """ListObjects (v1): keys under ``prefix`` after ``marker``, ``max-keys`` at a time (1 to 1000)."""
    query = dict((k, v or '') for k, v in _query_pairs(ctx.raw_query))
    prefix, marker = query.get('prefix', ''), query.get('marker', '')
    try:
        max_keys = min(1000, max(1, int(query.get('max-keys', '1000'))))
    except ValueError:
        return _error(400, 'InvalidArgument', 'max-keys must be an integer.', ctx.request_id, '/' + bucket)
    keys = sorted(key for key in world.buckets[bucket] if key.startswith(prefix) and key > marker)
    page, truncated = keys[:max_keys], len(keys) > max_keys
    contents = ''.join(
        '<Contents><Key>%s</Key><LastModified>2024-03-09T07:05:03.000Z</LastModified><ETag>"0"</ETag><Size>%d</Size>'
        '<StorageClass>STANDARD</StorageClass></Contents>' % (escape(key), len(world.body(bucket, key)))
        for key in page
    )
    xml = '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="%s"><Name>%s</Name><Prefix>%s</Prefix><Marker>%s</Marker>' % (
        XMLNS,
        escape(bucket),
        escape(prefix),
        escape(marker),
    )
    xml += '<MaxKeys>%d</MaxKeys><IsTruncated>%s</IsTruncated>' % (max_keys, 'true' if truncated else 'false')
    if truncated:
        xml += '<NextMarker>%s</NextMarker>' % escape(page[-1])
    xml += contents + '</ListBucketResult>'
    return Reply(200, raw=xml.encode('utf-8'), content_type='application/xml', headers={'x-obs-request-id': ctx.request_id})
