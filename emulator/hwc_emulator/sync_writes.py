"""OMS v2 sync-task writes: CreateSyncTask, StartSyncTask, StopSyncTask, DeleteSyncTask.

Paths, methods and bodies are the official SDK's (``CreateSyncTaskReq``,
``StartSyncTaskReq``). A write builds the task again from its fields
(:meth:`.state.State.build_task`) and swaps in a new task table under the
state's lock, so a created or started task shows in ShowSyncTask,
ListSyncTasks and ListSyncTaskStatistic like a scenario task: a stop ends
its activity at that instant, a start resumes it.

The state machine (the SDK documents two statuses, SYNCHRONIZING and STOPPED;
where the documents name no code, the code is the emulator's choice, listed
in docs/emulator.md):

- CreateSyncTask answers ``{"sync_task_id"}``; the task synchronizes at once.
  At most 5 sync tasks per project (the documented tenant limit): a sixth
  400 **OMS.1003**.
- StartSyncTask: only a STOPPED task; a SYNCHRONIZING one 400 **OMS.0001**
  (waiting would not make it startable). The body needs both buckets' AK/SK.
- StopSyncTask: only a SYNCHRONIZING task; a STOPPED one 400 **OMS.0066**.
- DeleteSyncTask: a SYNCHRONIZING task 400 **OMS.0063** (stop it first).
- An unknown task 404 **OMS.1009**, as ShowSyncTask answers it.

Bodies are checked as :mod:`.writes` checks them; the request log keeps each
body with every credential field replaced by ``"***"``.
"""

import re
import uuid
from collections import OrderedDict

from .oms import FORBIDDEN_CODE, ParameterError, _find_task, _task_id
from .replies import Reply, service_error
from .writes import _BOOL, _OBJECT, _TEXT, CLOUD_TYPES, CRYPTO_TYPES, STORAGE_POLICIES, _check_fields, _document, _empty, _require

MAX_SYNC_TASKS = 5
SYNC_CLOUD_TYPES = tuple(cloud for cloud in CLOUD_TYPES if cloud not in ('Google', 'URLSource'))
CONSISTENCY_CHECKS = ('size_last_modified', 'crc64', 'transmission')
# ShowSyncTask documents the check CreateSyncTask calls "transmission" as "no_check".
_ANSWERED_CHECK = {'transmission': 'no_check'}
_DESCRIPTION_FORBIDDEN = re.compile('[<>()"\'&]')
_KEYS = dict(
    (name, (_TEXT, CRYPTO_TYPES if name.endswith('crypto_type') else None, 36 if name.endswith('kms_key_id') else 100))
    for name in ('src_ak', 'src_sk', 'src_crypto_type', 'src_kms_key_id', 'dst_ak', 'dst_sk', 'dst_crypto_type', 'dst_kms_key_id')
)
_CREATE = dict(
    _KEYS,
    src_cloud_type=(_TEXT, SYNC_CLOUD_TYPES, None),
    src_region=(_TEXT, None, 100),
    src_bucket=(_TEXT, None, 1024),
    dst_region=(_TEXT, None, 100),
    dst_bucket=(_TEXT, None, 1024),
    description=(_TEXT, None, 255),
    enable_metadata_migration=(_BOOL, None, None),
    enable_restore=(_BOOL, None, None),
    dst_storage_policy=(_TEXT, STORAGE_POLICIES, None),
    app_id=(_TEXT, None, 255),
    source_cdn=(_OBJECT, None, None),
    consistency_check=(_TEXT, CONSISTENCY_CHECKS, None),
)
_START = dict(
    _KEYS, source_cdn_authentication_key=(_TEXT, None, 16384), source_cdn_crypto_type=(_TEXT, CRYPTO_TYPES, None), source_cdn_kms_key_id=(_TEXT, None, 36)
)
_CREDENTIALS = ('src_ak', 'src_sk', 'dst_ak', 'dst_sk')
# What a created task answers, besides its id, status and times.
_COPIED = ('src_region', 'src_bucket', 'dst_bucket', 'dst_region', 'enable_metadata_migration', 'enable_restore', 'app_id', 'dst_storage_policy')


def create_sync_task(ctx, project_id):
    """POST /v2/{project_id}/sync-tasks (CreateSyncTaskReq)"""
    try:
        document = _document(ctx, required=True)
        _check_fields(document, _CREATE, '')
        _require(document, ('src_region', 'src_bucket', 'dst_region', 'dst_bucket') + _CREDENTIALS, '')
        if _DESCRIPTION_FORBIDDEN.search(document.get('description') or ''):
            raise ParameterError('OMS.0002', 'Invalid parameter format: description must not contain <>()"\'&.')
    except ParameterError as exc:
        return exc.reply
    state, now = ctx.state, ctx.now
    with state.lock:
        if sum(1 for task in state.tasks.values() if task.project_id == project_id) >= MAX_SYNC_TASKS:
            return service_error(400, 'OMS.1003', 'A tenant can have at most %d sync tasks; delete one first.' % MAX_SYNC_TASKS)
        task_id = str(uuid.uuid4())
        entry = dict((name, document[name]) for name in _COPIED if document.get(name) is not None)
        entry.update(
            sync_task_id=task_id,
            project_id=project_id,
            src_cloud_type=document.get('src_cloud_type') or 'Aliyun',
            description=document.get('description') or '',
            status='SYNCHRONIZING',
            create_time=now,
            last_start_time=now,
            series={'start': now},
        )
        check = document.get('consistency_check')
        if check is not None:
            entry['consistency_check'] = _ANSWERED_CHECK.get(check, check)
        if document.get('source_cdn') is not None:
            entry['source_cdn'] = document['source_cdn']
        tasks = dict(state.tasks)
        tasks[task_id] = state.build_task(entry, now=now)
        state.replace_tasks(tasks)
    return Reply(200, OrderedDict((('sync_task_id', task_id),)))


def _changed(ctx, project_id, task_id, decide):
    """Look the task up, ``decide(task)`` -> (error Reply or None, changes or None), apply the changes; the Reply."""
    state, now = ctx.state, ctx.now
    with state.lock:
        try:
            _task_id(task_id)
            task = _find_task(ctx, project_id, task_id)
        except ParameterError as exc:
            return exc.reply
        error, changes = decide(task)
        if error is not None:
            return error
        tasks = dict(state.tasks)
        if changes is None:
            del tasks[task_id]
        else:
            tasks[task_id] = state.build_task(dict(changes, sync_task_id=task_id), task, now=now)
        state.replace_tasks(tasks)
    return _empty()


def start_sync_task(ctx, project_id, task_id):
    """POST /v2/{project_id}/sync-tasks/{sync_task_id}/start (StartSyncTaskReq)"""
    try:
        document = _document(ctx, required=True)
        _check_fields(document, _START, '')
        _require(document, _CREDENTIALS, '')
    except ParameterError as exc:
        return exc.reply

    def decide(task):
        if task.fields.get('status') != 'STOPPED':
            return service_error(400, 'OMS.0001', 'Invalid parameter settings: sync task %s is not stopped.' % task_id), None
        return None, {'status': 'SYNCHRONIZING', 'last_start_time': ctx.now}

    return _changed(ctx, project_id, task_id, decide)


def stop_sync_task(ctx, project_id, task_id):
    """POST /v2/{project_id}/sync-tasks/{sync_task_id}/stop"""

    def decide(task):
        if task.fields.get('status') != 'SYNCHRONIZING':
            return service_error(400, 'OMS.0066', 'Sync task %s is not running.' % task_id), None
        return None, {'status': 'STOPPED'}

    return _changed(ctx, project_id, task_id, decide)


def delete_sync_task(ctx, project_id, task_id):
    """DELETE /v2/{project_id}/sync-tasks/{sync_task_id}"""

    def decide(task):
        if task.fields.get('status') == 'SYNCHRONIZING':
            return service_error(400, 'OMS.0063', 'An operation on sync task %s is in progress (it is synchronizing); stop it first.' % task_id), None
        return None, None

    return _changed(ctx, project_id, task_id, decide)


# (name, method, pattern, handler, auth) as server.ROUTES holds them.
ROUTES = (
    ('create_sync_task', 'POST', ('v2', '*', 'sync-tasks'), create_sync_task, FORBIDDEN_CODE),
    ('start_sync_task', 'POST', ('v2', '*', 'sync-tasks', '*', 'start'), start_sync_task, FORBIDDEN_CODE),
    ('stop_sync_task', 'POST', ('v2', '*', 'sync-tasks', '*', 'stop'), stop_sync_task, FORBIDDEN_CODE),
    ('delete_sync_task', 'DELETE', ('v2', '*', 'sync-tasks', '*'), delete_sync_task, FORBIDDEN_CODE),
)
