"""OMS v2 migration-task writes: CreateTask, StartTask, StopTask, DeleteTask, UpdateBandwidthPolicy.

Paths, methods and bodies are the official SDK's (``huaweicloudsdkoms.v2``:
``CreateTaskReq``, ``StartTaskReq``, ``UpdateBandwidthPolicyReq``). A write
replaces the task's scenario entry with a new one and the task with a new
:class:`.migration.MigrationTask` built from it (under the state's lock; the
readers, which take no lock, see either the old task or the new one), so a
created, started or stopped task goes on progressing with the clock exactly
like a scenario task.

The state machine (the SDK's documented rules; where the documents name no
code, the code is the emulator's choice, listed in docs/emulator.md):

- CreateTask: the new task waits ``wait`` (default 0) and then executes by
  itself; what it migrates comes from the scenario's ``migration.sources``
  entry of its source bucket, else ``migration.new_task``, else 1 GiB in
  1000 objects at 100 MiB/s with no failure. Answers ``{"id", "task_name"}``.
- StartTask: only from stopped (3) or failed (4). A stopped task resumes where
  it stopped; a failed one migrates everything again, or with
  ``migrate_failed_object`` only its failed objects (status 6, retrying). The
  new run fails ``retry_failed_objects`` objects (default 0). While pausing
  (7) or active (1, 2, 6): 400 **OMS.0063** (an operation is in progress);
  succeeded (5): 400 **OMS.0001**.
- StopTask: only while waiting, executing or retrying; the task pauses (7) for
  ``migration.pause_duration`` (default 1 s), then is stopped (3). Otherwise
  400 **OMS.0066** (the task is not running).
- DeleteTask: refused while active or pausing with 400 **OMS.0063** (stop it
  first); a missing task answers OMS.1009 like ShowTask.
- UpdateBandwidthPolicy: at most 5 windows ``hh:mm``-``hh:mm``,
  ``max_bandwidth`` 1048576..209715200 bytes/s; refused on a succeeded task
  (400 OMS.0001).

Bodies are checked field by field: an unknown field 400 OMS.0001, a wrong type
or a value outside a documented list 400 OMS.0002, a required one missing 400
OMS.1004, a length or range 400 OMS.1003. The request log keeps each write's
body with every credential field replaced by ``"***"`` (:func:`logged_body`).
"""

import json
import re
from collections import OrderedDict

from .migration import ACTIVE, MigrationTask
from .oms import FORBIDDEN_CODE, ParameterError
from .oms_tasks import _DIGITS, _missing
from .replies import Reply, service_error
from .timeexpr import parse_duration_ms

TASK_TYPES = ('list', 'url_list', 'object', 'prefix')
CLOUD_TYPES = ('AWS', 'Azure', 'Aliyun', 'Tencent', 'HuaweiCloud', 'QingCloud', 'KingsoftCloud', 'Baidu', 'Qiniu', 'Google', 'URLSource', 'UCloud')
OVERWRITE_MODES = ('NO_OVERWRITE', 'SIZE_LAST_MODIFIED_COMPARISON_OVERWRITE', 'CRC64_COMPARISON_OVERWRITE', 'FULL_OVERWRITE')
STORAGE_POLICIES = ('STANDARD', 'IA', 'ARCHIVE', 'DEEP_ARCHIVE', 'SRC_STORAGE_MAPPING')
CONSISTENCY_CHECKS = ('size_last_modified', 'crc64', 'no_check')
PRIORITIES = ('HIGH', 'MEDIUM', 'LOW')
CRYPTO_TYPES = ('DEFAULT', 'KMS')
MIN_BANDWIDTH, MAX_BANDWIDTH, MAX_WINDOWS = 1048576, 209715200, 5

# Every field that carries a credential, in any write body: never logged.
SECRET_FIELDS = frozenset(
    [
        'ak',
        'sk',
        'security_token',
        'connection_string',
        'json_auth_file',
        'authentication_key',
        'src_ak',
        'src_sk',
        'src_security_token',
        'dst_ak',
        'dst_sk',
        'dst_security_token',
        'source_cdn_authentication_key',
        'password',
    ]
)
REDACTED = '***'

_HHMM = re.compile(r'^([01][0-9]|2[0-3]):[0-5][0-9]$')
_DESCRIPTION_FORBIDDEN = re.compile('[\\^<>&"\']')
_TEXT, _BOOL, _INT, _LIST, _OBJECT = 'string', 'boolean', 'integer', 'array', 'object'
_PY_TYPES = {_TEXT: (str,), _BOOL: (bool,), _INT: (int,), _LIST: (list,), _OBJECT: (dict,)}

# field: (JSON type, allowed values or None, maximum length or None)
_SRC_NODE = {
    'cloud_type': (_TEXT, CLOUD_TYPES, None),
    'region': (_TEXT, None, 100),
    'ak': (_TEXT, None, 100),
    'sk': (_TEXT, None, 100),
    'connection_string': (_TEXT, None, 16384),
    'json_auth_file': (_TEXT, None, 65535),
    'security_token': (_TEXT, None, 16384),
    'app_id': (_TEXT, None, 255),
    'bucket': (_TEXT, None, 1024),
    'object_key': (_LIST, None, None),
    'list_file': (_OBJECT, None, None),
    'crypto_type': (_TEXT, CRYPTO_TYPES, None),
    'kms_key_id': (_TEXT, None, 36),
}
_DST_NODE = {
    'ak': (_TEXT, None, 100),
    'sk': (_TEXT, None, 100),
    'security_token': (_TEXT, None, 16384),
    'bucket': (_TEXT, None, 1024),
    'save_prefix': (_TEXT, None, 1024),
    'region': (_TEXT, None, 100),
    'crypto_type': (_TEXT, CRYPTO_TYPES, None),
    'kms_key_id': (_TEXT, None, 36),
}
_CREATE = {
    'task_type': (_TEXT, TASK_TYPES, None),
    'src_node': (_OBJECT, None, None),
    'dst_node': (_OBJECT, None, None),
    'description': (_TEXT, None, 255),
    'migrate_since': (_INT, None, None),
    'bandwidth_policy': (_LIST, None, None),
    'source_cdn': (_OBJECT, None, None),
    'smn_config': (_OBJECT, None, None),
    'enable_metadata_migration': (_BOOL, None, None),
    'enable_restore': (_BOOL, None, None),
    'enable_failed_object_recording': (_BOOL, None, None),
    'object_overwrite_mode': (_TEXT, OVERWRITE_MODES, None),
    'dst_storage_policy': (_TEXT, STORAGE_POLICIES, None),
    'consistency_check': (_TEXT, CONSISTENCY_CHECKS, None),
    'enable_requester_pays': (_BOOL, None, None),
    'task_priority': (_TEXT, PRIORITIES, None),
}
_START = dict(
    (name, (_TEXT, CRYPTO_TYPES if name.endswith('crypto_type') else None, 16384))
    for name in (
        'src_ak',
        'src_sk',
        'connection_string',
        'src_crypto_type',
        'src_kms_key_id',
        'json_auth_file',
        'src_security_token',
        'dst_ak',
        'dst_sk',
        'dst_crypto_type',
        'dst_kms_key_id',
        'dst_security_token',
        'source_cdn_authentication_key',
        'source_cdn_crypto_type',
        'source_cdn_kms_key_id',
    )
)
_START['migrate_failed_object'] = (_BOOL, None, None)
CDN_AUTHENTICATION_TYPES = (
    'NONE',
    'QINIU_PRIVATE_AUTHENTICATION',
    'ALIYUN_OSS_A',
    'ALIYUN_OSS_B',
    'ALIYUN_OSS_C',
    'KSYUN_PRIVATE_AUTHENTICATION',
    'AZURE_SAS_TOKEN',
    'TENCENT_COS_A',
    'TENCENT_COS_B',
    'TENCENT_COS_C',
    'TENCENT_COS_D',
)
# SourceCdnReq; a task answers domain, protocol and authentication_type (SourceCdnResp), never the key.
_SOURCE_CDN = {
    'domain': (_TEXT, None, 255),
    'protocol': (_TEXT, ('http', 'https'), None),
    'authentication_type': (_TEXT, CDN_AUTHENTICATION_TYPES, None),
    'authentication_key': (_TEXT, None, 16384),
    'crypto_type': (_TEXT, CRYPTO_TYPES, None),
    'kms_key_id': (_TEXT, None, 36),
}
_BANDWIDTH_WINDOW = {'start': (_TEXT, None, 5), 'end': (_TEXT, None, 5), 'max_bandwidth': (_INT, None, None)}

DEFAULT_NEW_TASK = {'total_size': 1024**3, 'total_num': 1000, 'migrate_speed': 100 * 1024**2, 'failed_objects': 0}


def redacted(value):
    """``value`` with every credential field (:data:`SECRET_FIELDS`), at any depth, replaced by ``"***"``."""
    if isinstance(value, dict):
        return OrderedDict((key, REDACTED if key in SECRET_FIELDS and item is not None else redacted(item)) for key, item in value.items())
    if isinstance(value, list):
        return [redacted(item) for item in value]
    return value


def logged_body(raw):
    """What the request log keeps of a write's body: the JSON redacted, or a note of what it was."""
    if not raw:
        return None
    try:
        return redacted(json.loads(raw.decode('utf-8')))
    except (UnicodeDecodeError, ValueError):
        return {'not_json_bytes': len(raw)}


def _document(ctx, *, required):
    if not ctx.body or not ctx.body.strip():
        if required:
            raise ParameterError('OMS.1004', 'Required parameter is missing: the request body.')
        return {}
    try:
        document = json.loads(ctx.body.decode('utf-8'))
    except (UnicodeDecodeError, ValueError):
        raise ParameterError('OMS.0004', 'Invalid HTTP request: the body is not JSON.')
    if not isinstance(document, dict):
        raise ParameterError('OMS.0002', 'Invalid parameter format: the body must be a JSON object.')
    return document


def _check_fields(document, fields, where):
    """Type, list and length checks of one JSON object against ``fields``; unknown fields are refused."""
    for name, value in document.items():
        if name not in fields:
            raise ParameterError('OMS.0001', 'Invalid parameter settings: %s%s is not a field of this request.' % (where, name))
        if value is None:
            continue
        kind, allowed, longest = fields[name]
        if not isinstance(value, _PY_TYPES[kind]) or (kind == _INT and isinstance(value, bool)):
            raise ParameterError('OMS.0002', 'Invalid parameter format: %s%s must be of type %s.' % (where, name, kind))
        if allowed is not None and value not in allowed:
            raise ParameterError('OMS.0002', 'Invalid parameter format: %s%s must be one of %s.' % (where, name, ', '.join(allowed)))
        if longest is not None and kind == _TEXT and len(value) > longest:
            raise ParameterError('OMS.1003', 'Parameter %s%s must be at most %d characters long.' % (where, name, longest))


def _require(document, names, where):
    for name in names:
        if document.get(name) in (None, ''):
            raise ParameterError('OMS.1004', 'Required parameter is missing: %s%s.' % (where, name))


def check_bandwidth_policy(windows):
    """The bandwidth windows of a create or an update, checked; ParameterError otherwise."""
    if len(windows) > MAX_WINDOWS:
        raise ParameterError('OMS.1003', 'At most %d bandwidth_policy windows are allowed, got %d.' % (MAX_WINDOWS, len(windows)))
    spans = []
    for position, window in enumerate(windows):
        where = 'bandwidth_policy[%d].' % position
        if not isinstance(window, dict):
            raise ParameterError('OMS.0002', 'Invalid parameter format: %s must be an object.' % where[:-1])
        _check_fields(window, _BANDWIDTH_WINDOW, where)
        _require(window, ('start', 'end', 'max_bandwidth'), where)
        for name in ('start', 'end'):
            if not _HHMM.match(window[name]):
                raise ParameterError('OMS.0002', 'Invalid parameter format: %s%s must be hh:mm.' % (where, name))
        if not MIN_BANDWIDTH <= window['max_bandwidth'] <= MAX_BANDWIDTH:
            raise ParameterError('OMS.1003', 'Parameter %smax_bandwidth must be between %d and %d.' % (where, MIN_BANDWIDTH, MAX_BANDWIDTH))
        spans.append((window['start'], window['end'], position))
    spans.sort()
    for (_start, end, _p), (start, _end, position) in zip(spans, spans[1:]):
        if start < end:
            raise ParameterError('OMS.1003', 'bandwidth_policy[%d] overlaps another window.' % position)
    return [OrderedDict((key, window[key]) for key in ('start', 'end', 'max_bandwidth')) for window in windows]


def _check_create(document):
    _check_fields(document, _CREATE, '')
    _require(document, ('src_node', 'dst_node'), '')
    task_type = document.get('task_type') or 'object'
    src, dst = document['src_node'], document['dst_node']
    _check_fields(src, _SRC_NODE, 'src_node.')
    _check_fields(dst, _DST_NODE, 'dst_node.')
    if task_type != 'url_list':
        _require(src, ('region', 'bucket'), 'src_node.')
        if not (src.get('ak') and src.get('sk')) and not src.get('connection_string') and not src.get('json_auth_file'):
            raise ParameterError('OMS.1004', "Required parameter is missing: src_node.ak and src_node.sk (or the source cloud's credential).")
    _require(dst, ('ak', 'sk', 'bucket', 'region'), 'dst_node.')
    if task_type in ('list', 'url_list'):
        _require(src, ('list_file',), 'src_node.')
    if document.get('source_cdn') is not None:
        _check_fields(document['source_cdn'], _SOURCE_CDN, 'source_cdn.')
        _require(document['source_cdn'], ('domain', 'protocol'), 'source_cdn.')
    keys = src.get('object_key')
    if keys is not None and not all(isinstance(key, str) and len(key) <= 1024 for key in keys):
        raise ParameterError('OMS.0002', 'Invalid parameter format: src_node.object_key must be a list of strings of at most 1024 characters.')
    if _DESCRIPTION_FORBIDDEN.search(document.get('description') or ''):
        raise ParameterError('OMS.0002', 'Invalid parameter format: description must not contain ^<>&"\'.')
    if document.get('migrate_since') is not None and document['migrate_since'] < 0:
        raise ParameterError('OMS.1003', 'Parameter migrate_since must not be negative.')
    return task_type, check_bandwidth_policy(document.get('bandwidth_policy') or [])


def _profile(world, bucket):
    profile = dict(DEFAULT_NEW_TASK)
    profile.update(world.new_task)
    profile.update(world.sources.get(bucket) or {})
    return profile


def _replace(world, task):
    tasks = OrderedDict(world.tasks)
    tasks[task.task_id] = task
    world.tasks = tasks
    world.reindex()


def _rebuilt(world, task, changes, dropped=()):
    entry = dict((key, value) for key, value in task.entry.items() if key not in dropped)
    entry.update(changes)
    return MigrationTask(entry, task.project_id, world.loaded_ms)


def create_task(ctx, project_id):
    """POST /v2/{project_id}/tasks (CreateTaskReq)"""
    try:
        document = _document(ctx, required=True)
        task_type, windows = _check_create(document)
    except ParameterError as exc:
        return exc.reply
    state, now = ctx.state, ctx.now
    with state.lock:
        world = state.migration
        task_id = max([0] + list(world.tasks)) + 1
        entry = new_task_entry(world, document, task_id, project_id, now, task_type, windows)
        _replace(world, MigrationTask(entry, project_id, world.loaded_ms))
    return Reply(200, OrderedDict((('id', task_id), ('task_name', entry['name']))))


def new_task_entry(world, document, task_id, project_id, now, task_type, windows):
    """The scenario entry of a task created from a CreateTaskReq (or CreateTaskGroupReq) ``document``."""
    src, dst = document['src_node'], document['dst_node']
    profile = _profile(world, src.get('bucket'))
    name = 'oms-task-%d' % task_id
    start = now + parse_duration_ms(profile.get('wait', 0))
    entry = {
        'id': task_id,
        'name': name,
        'project_id': project_id,
        'description': document.get('description') or '',
        'task_type': task_type,
        'start': start,
        'total_size': profile['total_size'],
        'total_num': profile['total_num'],
        'migrate_speed': profile['migrate_speed'],
        'failed_objects': profile.get('failed_objects', 0),
        'skipped_objects': profile.get('skipped_objects', 0),
        'src_node': OrderedDict(
            (key, src.get(key)) for key in ('bucket', 'cloud_type', 'region', 'app_id', 'object_key', 'list_file') if key in src or key == 'object_key'
        ),
        'dst_node': OrderedDict((key, dst.get(key) or '') for key in ('bucket', 'region', 'save_prefix')),
        'bandwidth_policy': windows,
        'retry_failed_objects': profile.get('retry_failed_objects', 0),
    }
    entry['src_node'].setdefault('cloud_type', 'Aliyun')
    if entry['src_node'].get('object_key') is None:
        entry['src_node']['object_key'] = ['']
    if document.get('source_cdn') is not None:
        entry['source_cdn'] = OrderedDict((key, document['source_cdn'].get(key)) for key in ('domain', 'protocol', 'authentication_type'))
    if profile.get('fail_after') is not None:
        entry['fail_at'] = start + parse_duration_ms(profile['fail_after'])
    if profile.get('error_reason'):
        entry['error_reason'] = profile['error_reason']
    for key in _CREATE:
        if key not in entry and key not in ('src_node', 'dst_node', 'source_cdn', 'smn_config', 'bandwidth_policy') and document.get(key) is not None:
            entry[key] = document[key]
    return entry


def _existing(ctx, project_id, task_id):
    """The task (a MigrationTask) or the error Reply for a bad or unknown id."""
    if not _DIGITS.match(task_id):
        return None, service_error(400, 'OMS.0054', 'Invalid task ID: it must be a whole number.')
    task = ctx.state.migration.task(project_id, int(task_id))
    if task is None:
        return None, _missing(ctx, 'migration task', task_id)
    return task, None


def _empty():
    # The service answers a successful start, stop, delete or update with no body.
    return Reply(200, raw=b'')


def _in_progress(task_id, what):
    return service_error(400, 'OMS.0063', 'An operation on task %s is in progress (%s); try again later.' % (task_id, what))


def start_task(ctx, project_id, task_id):
    """POST /v2/{project_id}/tasks/{task_id}/start (StartTaskReq)"""
    try:
        document = _document(ctx, required=False)
        _check_fields(document, _START, '')
    except ParameterError as exc:
        return exc.reply
    state, now = ctx.state, ctx.now
    with state.lock:
        world = state.migration
        task, error = _existing(ctx, project_id, task_id)
        if error is not None:
            return error
        snap = task.snapshot(now)
        if snap.status in ACTIVE or snap.status == 7:
            return _in_progress(task_id, 'the task is %s' % ('pausing' if snap.status == 7 else 'running'))
        if snap.status == 5:
            return service_error(400, 'OMS.0001', 'Invalid parameter settings: task %s has succeeded and cannot be started.' % task_id)
        _replace(world, restarted(world, task, snap, now, failed_only=bool(document.get('migrate_failed_object'))))
    return _empty()


def restarted(world, task, snap, now, *, failed_only):
    """The task started again at ``now`` from its snapshot ``snap`` (stopped: resumed; failed: in full or its failed objects only)."""
    changes = {'start': now, 'failed_objects': task.entry.get('retry_failed_objects', 0)}
    if snap.status == 4 and failed_only:
        # Only the failed objects are sent again: what succeeded stays done.
        failed_bytes = max(1, task.total_size * snap.failed // task.total_num) if task.total_num and snap.failed else 0
        changes.update(complete_size=max(0, snap.done - failed_bytes), status='retrying')
    elif snap.status == 4:
        changes['complete_size'] = 0
    else:
        changes['complete_size'] = snap.done  # a stopped task resumes where it stopped
    changes['runs'] = task.entry.get('runs', 1) + 1
    return _rebuilt(world, task, changes, dropped=('status', 'halt_at', 'fail_at', 'error_reason', 'pause_until'))


def paused(world, task, now):
    """The task stopped at ``now``: pausing for ``migration.pause_duration``, then stopped."""
    changes = {'status': 'pausing', 'halt_at': now, 'pause_until': now + parse_duration_ms(world.pause_duration), 'start': min(task.start_ms, now)}
    return _rebuilt(world, task, changes, dropped=('fail_at',))


def stop_task(ctx, project_id, task_id):
    """POST /v2/{project_id}/tasks/{task_id}/stop"""
    state, now = ctx.state, ctx.now
    with state.lock:
        world = state.migration
        task, error = _existing(ctx, project_id, task_id)
        if error is not None:
            return error
        snap = task.snapshot(now)
        if snap.status not in ACTIVE:
            return service_error(400, 'OMS.0066', 'Task %s is not running.' % task_id)
        _replace(world, paused(world, task, now))
    return _empty()


def delete_task(ctx, project_id, task_id):
    """DELETE /v2/{project_id}/tasks/{task_id}"""
    state = ctx.state
    with state.lock:
        world = state.migration
        task, error = _existing(ctx, project_id, task_id)
        if error is not None:
            return error
        status = task.snapshot(ctx.now).status
        if status in ACTIVE or status == 7:
            return _in_progress(task_id, 'stop the task before deleting it')
        tasks = OrderedDict(world.tasks)
        del tasks[task.task_id]
        world.tasks = tasks
        world.reindex()
    return _empty()


def bandwidth_update(ctx):
    """The windows of an UpdateBandwidthPolicyReq body (UpdateBandwidthPolicy, UpdateTaskGroup), checked; ParameterError otherwise."""
    document = _document(ctx, required=True)
    _check_fields(document, {'bandwidth_policy': (_LIST, None, None)}, '')
    _require(document, ('bandwidth_policy',), '')
    return check_bandwidth_policy(document['bandwidth_policy'])


def update_bandwidth_policy(ctx, project_id, task_id):
    """PUT /v2/{project_id}/tasks/{task_id}/bandwidth-policy (UpdateBandwidthPolicyReq)"""
    try:
        windows = bandwidth_update(ctx)
    except ParameterError as exc:
        return exc.reply
    state = ctx.state
    with state.lock:
        world = state.migration
        task, error = _existing(ctx, project_id, task_id)
        if error is not None:
            return error
        if task.snapshot(ctx.now).status == 5:
            return service_error(400, 'OMS.0001', 'Invalid parameter settings: task %s has succeeded; its bandwidth policy cannot change.' % task_id)
        _replace(world, _rebuilt(world, task, {'bandwidth_policy': windows}))
    return _empty()


# (name, method, pattern, handler, auth) as server.ROUTES holds them.
ROUTES = (
    ('create_task', 'POST', ('v2', '*', 'tasks'), create_task, FORBIDDEN_CODE),
    ('start_task', 'POST', ('v2', '*', 'tasks', '*', 'start'), start_task, FORBIDDEN_CODE),
    ('stop_task', 'POST', ('v2', '*', 'tasks', '*', 'stop'), stop_task, FORBIDDEN_CODE),
    ('delete_task', 'DELETE', ('v2', '*', 'tasks', '*'), delete_task, FORBIDDEN_CODE),
    ('update_bandwidth_policy', 'PUT', ('v2', '*', 'tasks', '*', 'bandwidth-policy'), update_bandwidth_policy, FORBIDDEN_CODE),
)
