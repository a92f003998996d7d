"""OMS v2 migration-task and task-group routes: ListTasks, ShowTask, ListTaskGroup, ShowTaskGroup.

Error codes: the emulator's choices where the API documents are silent, listed in
docs/emulator.md ("OMS migration tasks and task groups").
"""

import re

from .oms import ParameterError, _integer, _paging
from .replies import Reply, service_error

TASK_LISTING_STATUSES = (1, 2, 3, 4, 5, 7)
_DIGITS = re.compile(r'^[0-9]{1,19}$')


def _status(query, allowed):
    if 'status' not in query:
        return None
    status = _integer('status', query['status'], 0, 2147483647)
    if status not in allowed:
        raise ParameterError('OMS.0002', 'Invalid parameter format: status must be one of %s.' % ', '.join(str(s) for s in allowed))
    return status


def _text(query, name):
    value = query.get(name)
    if value is not None and len(value) > 255:
        raise ParameterError('OMS.1003', 'Parameter %s must be 0 to 255 characters long.' % name)
    return value or None


def _missing(ctx, what, ident):
    return service_error(ctx.state.migration.not_found_status, 'OMS.1009', 'The %s %s does not exist.' % (what, ident))


def list_tasks(ctx, project_id):
    """GET /v2/{project_id}/tasks?group_id=&limit=&offset=&status=&task_name="""
    query = ctx.query
    try:
        limit, offset = _paging(query)
        status = _status(query, TASK_LISTING_STATUSES)
        group_id = _text(query, 'group_id')
        task_name = _text(query, 'task_name')
    except ParameterError as exc:
        return exc.reply
    now = ctx.now
    selected = []
    for task in ctx.state.migration.by_project.get(project_id, ()):
        if group_id is not None and task.group_id != group_id:
            continue
        if task_name is not None and task_name not in task.name:
            continue
        snap = task.snapshot(now)
        if status is not None and snap.status != status:
            continue
        selected.append((task, snap))
    page = [task.body(now, snap) for task, snap in selected[offset : offset + limit]]
    return Reply(200, {'count': len(selected), 'tasks': page}, schema='ListTasksResponse')


def show_task(ctx, project_id, task_id):
    """GET /v2/{project_id}/tasks/{task_id}"""
    if not _DIGITS.match(task_id):
        return service_error(400, 'OMS.0054', 'Invalid task ID: it must be a whole number.')
    task = ctx.state.migration.task(project_id, int(task_id))
    if task is None:
        return _missing(ctx, 'migration task', task_id)
    return Reply(200, task.body(ctx.now), schema='ShowTaskResponse')


def list_task_group(ctx, project_id):
    """GET /v2/{project_id}/taskgroups?limit=&offset=&status="""
    try:
        limit, offset = _paging(ctx.query)
        status = _status(ctx.query, tuple(range(10)))
    except ParameterError as exc:
        return exc.reply
    world = ctx.state.migration
    bodies = [world.group_body(group, ctx.now) for group in world.groups_by_project.get(project_id, ())]
    if status is not None:
        bodies = [body for body in bodies if body['status'] == status]
    return Reply(200, {'count': len(bodies), 'taskgroups': bodies[offset : offset + limit]}, schema='ListTaskGroupResponse')


def show_task_group(ctx, project_id, group_id):
    """GET /v2/{project_id}/taskgroups/{group_id}"""
    if not group_id or len(group_id) > 255:
        return service_error(400, 'OMS.0054', 'Invalid task group ID: it must be 1 to 255 characters long.')
    world = ctx.state.migration
    group = world.group(project_id, group_id)
    if group is None:
        return _missing(ctx, 'task group', group_id)
    return Reply(200, world.group_body(group, ctx.now), schema='ShowTaskGroupResponse')
