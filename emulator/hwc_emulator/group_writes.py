"""OMS v2 task-group writes: CreateTaskGroup, StartTaskGroup, StopTaskGroup, RetryTaskGroup, UpdateTaskGroup, DeleteTaskGroup.

Paths, methods and bodies are the official SDK's (``CreateTaskGroupReq``,
``StartTaskGroupReq``, ``RetryTaskGroupReq``, ``UpdateBandwidthPolicyReq``). A
group's status follows from its member tasks (:class:`.migration.TaskGroup`),
so every group write is a write of its members, done as :mod:`.writes` does
it for one task, under the state's lock.

- CreateTaskGroup answers ``{"group_id"}``; the group has
  ``migration.sources[bucket].group_tasks`` members (default 2), each created
  like a task of CreateTask (same profile), and executes by itself.
- StartTaskGroup: only from paused (3): every stopped member resumes. While a
  member is still pausing, or the group is active (0, 1, 2): 400 **OMS.0063**;
  otherwise 400 **OMS.0001**.
- StopTaskGroup: only while creating (1) or monitoring (2): every active member
  is stopped (pausing, then stopped). Otherwise 400 **OMS.0066**.
- RetryTaskGroup: only from migration failed (5): every failed member starts
  again, with ``migrate_failed_object`` only its failed objects. While active:
  400 **OMS.0063**; otherwise 400 **OMS.0001**.
- UpdateTaskGroup: the group's bandwidth policy (the rules of UpdateBandwidthPolicy).
- DeleteTaskGroup: refused while creating, monitoring or pausing (a member
  pausing) with 400 **OMS.0063**; deletes the group and its member tasks.
"""

import uuid
from collections import OrderedDict

from .migration import ACTIVE, MigrationTask, TaskGroup
from .oms import FORBIDDEN_CODE, ParameterError
from .oms_tasks import _missing
from .replies import Reply, service_error
from .writes import (
    _BOOL,
    _CREATE,
    _DST_NODE,
    _SRC_NODE,
    _START,
    _check_fields,
    _document,
    _empty,
    _in_progress,
    _profile,
    _require,
    bandwidth_update,
    check_bandwidth_policy,
    new_task_entry,
    paused,
    restarted,
)

GROUP_TASK_TYPES = ('PREFIX', 'LIST', 'URL_LIST')
_GROUP_CREATE = dict((name, spec) for name, spec in _CREATE.items() if name not in ('task_priority',))
_GROUP_CREATE['task_type'] = ('string', GROUP_TASK_TYPES, None)
_GROUP_SRC = dict((name, spec) for name, spec in _SRC_NODE.items() if name != 'security_token')
_GROUP_DST = dict((name, spec) for name, spec in _DST_NODE.items() if name != 'security_token')
_GROUP_DST['cloud_type'] = _SRC_NODE['cloud_type']
_GROUP_START = dict((name, spec) for name, spec in _START.items() if name not in ('src_security_token', 'dst_security_token', 'migrate_failed_object'))
_GROUP_RETRY = dict(_GROUP_START, migrate_failed_object=(_BOOL, None, None))
_GROUP_SETTINGS = (
    'description',
    'enable_metadata_migration',
    'enable_failed_object_recording',
    'enable_restore',
    'migrate_since',
    'object_overwrite_mode',
    'dst_storage_policy',
    'consistency_check',
    'enable_requester_pays',
)


def _replace_all(world, tasks=None, groups=None):
    """Swap in new task and group tables (copies, never changed in place) and rebuild the indexes."""
    if tasks is not None:
        world.tasks = tasks
    if groups is not None:
        world.groups = groups
    world.reindex()


def create_task_group(ctx, project_id):
    """POST /v2/{project_id}/taskgroups (CreateTaskGroupReq)"""
    try:
        document = _document(ctx, required=True)
        _check_fields(document, _GROUP_CREATE, '')
        _require(document, ('src_node', 'dst_node'), '')
        _check_fields(document['src_node'], _GROUP_SRC, 'src_node.')
        _check_fields(document['dst_node'], _GROUP_DST, 'dst_node.')
        task_type = document.get('task_type') or 'PREFIX'
        if task_type != 'URL_LIST':
            _require(document['src_node'], ('region', 'bucket', 'ak', 'sk'), 'src_node.')
        _require(document['dst_node'], ('ak', 'sk', 'bucket', 'region'), 'dst_node.')
        windows = check_bandwidth_policy(document.get('bandwidth_policy') or [])
    except ParameterError as exc:
        return exc.reply
    state, now = ctx.state, ctx.now
    with state.lock:
        world = state.migration
        group_id = str(uuid.uuid4())
        count = _profile(world, document['src_node'].get('bucket')).get('group_tasks', 2)
        tasks = OrderedDict(world.tasks)
        first = max([0] + list(tasks)) + 1
        for task_id in range(first, first + count):
            entry = new_task_entry(world, document, task_id, project_id, now, task_type.lower(), windows)
            entry['group_id'] = group_id
            tasks[task_id] = MigrationTask(entry, project_id, world.loaded_ms)
        entry = {
            'group_id': group_id,
            'project_id': project_id,
            'task_type': task_type,
            'total_task_num': count,
            'src_node': dict((key, document['src_node'].get(key)) for key in ('bucket', 'cloud_type', 'region', 'app_id', 'object_key', 'list_file')),
            'dst_node': dict((key, document['dst_node'].get(key) or '') for key in ('bucket', 'region', 'save_prefix')),
            'bandwidth_policy': windows,
        }
        entry['src_node']['cloud_type'] = entry['src_node']['cloud_type'] or 'Aliyun'
        entry['src_node']['object_key'] = entry['src_node']['object_key'] or ['']
        for key in _GROUP_SETTINGS:
            if document.get(key) is not None:
                entry[key] = document[key]
        groups = OrderedDict(world.groups)
        groups[group_id] = TaskGroup(entry, project_id)
        _replace_all(world, tasks, groups)
    return Reply(200, OrderedDict((('group_id', group_id),)))


def _group(ctx, project_id, group_id):
    """The group, its members with their snapshots, and its status; or the error Reply."""
    world = ctx.state.migration
    group = world.group(project_id, group_id) if group_id and len(group_id) <= 255 else None
    if group is None:
        return None, None, None, _missing(ctx, 'task group', group_id)
    members = [(task, task.snapshot(ctx.now)) for task in world.members.get((project_id, group_id), ())]
    return group, members, world.group_body(group, ctx.now)['status'], None


def _members_write(ctx, project_id, group_id, fields, decide):
    """Check the body, then ``decide(status, members)`` -> (error Reply or None, {task_id: new task})."""
    try:
        document = _document(ctx, required=False)
        _check_fields(document, fields, '')
    except ParameterError as exc:
        return exc.reply
    state = ctx.state
    with state.lock:
        world = state.migration
        group, members, status, error = _group(ctx, project_id, group_id)
        if error is not None:
            return error
        error, changed = decide(world, document, status, members)
        if error is not None:
            return error
        tasks = OrderedDict(world.tasks)
        tasks.update(changed)
        _replace_all(world, tasks)
    return _empty()


def _pausing(members):
    return any(snap.status == 7 for _task, snap in members)


def start_task_group(ctx, project_id, group_id):
    """PUT /v2/{project_id}/taskgroups/{group_id}/start (StartTaskGroupReq)"""

    def decide(world, document, status, members):
        if _pausing(members) or status in (0, 1, 2, 7):
            return _in_progress(group_id, 'the group is running or pausing'), None
        if status != 3:
            return service_error(400, 'OMS.0001', 'Invalid parameter settings: task group %s is not paused (status %d).' % (group_id, status)), None
        return None, dict((task.task_id, restarted(world, task, snap, ctx.now, failed_only=False)) for task, snap in members if snap.status == 3)

    return _members_write(ctx, project_id, group_id, _GROUP_START, decide)


def stop_task_group(ctx, project_id, group_id):
    """PUT /v2/{project_id}/taskgroups/{group_id}/stop"""

    def decide(world, document, status, members):
        if status not in (1, 2):
            return service_error(400, 'OMS.0066', 'Task group %s is not running.' % group_id), None
        return None, dict((task.task_id, paused(world, task, ctx.now)) for task, snap in members if snap.status in ACTIVE)

    return _members_write(ctx, project_id, group_id, {}, decide)


def retry_task_group(ctx, project_id, group_id):
    """PUT /v2/{project_id}/taskgroups/{group_id}/retry (RetryTaskGroupReq)"""

    def decide(world, document, status, members):
        if status in (0, 1, 2, 7) or _pausing(members):
            return _in_progress(group_id, 'the group is running'), None
        if status != 5:
            return service_error(
                400, 'OMS.0001', 'Invalid parameter settings: task group %s has no failed migration to retry (status %d).' % (group_id, status)
            ), None
        failed_only = bool(document.get('migrate_failed_object'))
        return None, dict((task.task_id, restarted(world, task, snap, ctx.now, failed_only=failed_only)) for task, snap in members if snap.status == 4)

    return _members_write(ctx, project_id, group_id, _GROUP_RETRY, decide)


def update_task_group(ctx, project_id, group_id):
    """PUT /v2/{project_id}/taskgroups/{group_id}/update (UpdateBandwidthPolicyReq)"""
    try:
        windows = bandwidth_update(ctx)
    except ParameterError as exc:
        return exc.reply
    state = ctx.state
    with state.lock:
        world = state.migration
        group, _members, _status, error = _group(ctx, project_id, group_id)
        if error is not None:
            return error
        groups = OrderedDict(world.groups)
        groups[group_id] = TaskGroup(dict(group.entry, bandwidth_policy=windows), group.project_id)
        _replace_all(world, groups=groups)
    return _empty()


def delete_task_group(ctx, project_id, group_id):
    """DELETE /v2/{project_id}/taskgroups/{group_id}"""
    state = ctx.state
    with state.lock:
        world = state.migration
        group, members, status, error = _group(ctx, project_id, group_id)
        if error is not None:
            return error
        if status in (1, 2, 7) or _pausing(members):
            return _in_progress(group_id, 'stop the group before deleting it')
        gone = set(task.task_id for task, _snap in members)
        tasks = OrderedDict((task_id, task) for task_id, task in world.tasks.items() if task_id not in gone)
        groups = OrderedDict((key, value) for key, value in world.groups.items() if key != group_id)
        _replace_all(world, tasks, groups)
    return _empty()


ROUTES = (
    ('create_task_group', 'POST', ('v2', '*', 'taskgroups'), create_task_group, FORBIDDEN_CODE),
    ('start_task_group', 'PUT', ('v2', '*', 'taskgroups', '*', 'start'), start_task_group, FORBIDDEN_CODE),
    ('stop_task_group', 'PUT', ('v2', '*', 'taskgroups', '*', 'stop'), stop_task_group, FORBIDDEN_CODE),
    ('retry_task_group', 'PUT', ('v2', '*', 'taskgroups', '*', 'retry'), retry_task_group, FORBIDDEN_CODE),
    ('update_task_group', 'PUT', ('v2', '*', 'taskgroups', '*', 'update'), update_task_group, FORBIDDEN_CODE),
    ('delete_task_group', 'DELETE', ('v2', '*', 'taskgroups', '*'), delete_task_group, FORBIDDEN_CODE),
)
