"""OMS v2 BatchUpdateTasks: the priority and bandwidth policy of several migration tasks at once.

``POST /v2/{project_id}/tasks/batch-update`` (``BatchUpdateTasksReq``): exactly one
of ``group_id`` (every task of the group) and ``ids``, and at least one of
``bandwidth_policy`` and ``task_priority``. The SDK documents that the priority
changes only on waiting, stopped or failed tasks; the emulator refuses the whole
call (nothing changes) when one task is in another status, with 400
**OMS.0001**, and a bandwidth policy on a succeeded task as UpdateBandwidthPolicy
does. Neither or both of ``group_id`` and ``ids``: OMS.1004 and OMS.0001.
"""

from collections import OrderedDict

from .oms import FORBIDDEN_CODE, ParameterError
from .oms_tasks import _missing
from .replies import service_error
from .writes import _INT, _LIST, _TEXT, PRIORITIES, _check_fields, _document, _empty, _rebuilt, check_bandwidth_policy

PRIORITY_STATUSES = (1, 3, 4)
_BATCH = {'group_id': (_TEXT, None, 255), 'ids': (_LIST, None, None), 'bandwidth_policy': (_LIST, None, None), 'task_priority': (_TEXT, PRIORITIES, None)}


def _check(document):
    _check_fields(document, _BATCH, '')
    if document.get('group_id') is None and document.get('ids') is None:
        raise ParameterError('OMS.1004', 'Required parameter is missing: group_id or ids.')
    if document.get('group_id') is not None and document.get('ids') is not None:
        raise ParameterError('OMS.0001', 'Invalid parameter settings: give group_id or ids, not both.')
    ids = document.get('ids')
    if ids is not None and (not ids or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids)):
        raise ParameterError('OMS.0002', 'Invalid parameter format: ids must be a non-empty list of %ss.' % _INT)
    if document.get('bandwidth_policy') is None and document.get('task_priority') is None:
        raise ParameterError('OMS.1004', 'Required parameter is missing: bandwidth_policy or task_priority.')
    windows = document.get('bandwidth_policy')
    return check_bandwidth_policy(windows) if windows is not None else None


def batch_update_tasks(ctx, project_id):
    """POST /v2/{project_id}/tasks/batch-update (BatchUpdateTasksReq)"""
    try:
        document = _document(ctx, required=True)
        windows = _check(document)
    except ParameterError as exc:
        return exc.reply
    state, now = ctx.state, ctx.now
    priority = document.get('task_priority')
    with state.lock:
        world = state.migration
        if document.get('group_id') is not None:
            if world.group(project_id, document['group_id']) is None:
                return _missing(ctx, 'task group', document['group_id'])
            tasks = list(world.members.get((project_id, document['group_id']), ()))
        else:
            tasks = []
            for task_id in document['ids']:
                task = world.task(project_id, task_id)
                if task is None:
                    return _missing(ctx, 'migration task', str(task_id))
                tasks.append(task)
        changed = OrderedDict(world.tasks)
        for task in tasks:
            status = task.snapshot(now).status
            if priority is not None and status not in PRIORITY_STATUSES:
                return service_error(
                    400, 'OMS.0001', 'Invalid parameter settings: task %s is in status %d; its priority changes only while waiting, stopped or failed.'
                    % (task.task_id, status)
                )  # fmt: skip
            if windows is not None and status == 5:
                return service_error(400, 'OMS.0001', 'Invalid parameter settings: task %s has succeeded; its bandwidth policy cannot change.' % task.task_id)
            changes = {}
            if priority is not None:
                changes['task_priority'] = priority
            if windows is not None:
                changes['bandwidth_policy'] = windows
            changed[task.task_id] = _rebuilt(world, task, changes)
        world.tasks = changed
        world.reindex()
    return _empty()


ROUTES = (('batch_update_tasks', 'POST', ('v2', '*', 'tasks', 'batch-update'), batch_update_tasks, FORBIDDEN_CODE),)
