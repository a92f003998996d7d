# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""``oms_task_group``: one OMS task group brought to ``state`` (:func:`run_task_group`), a :class:`.resource.Kind`.

The same interface as ``oms_migration_task``; what each state does with each
group status (0 waiting, 1 creating, 2 monitoring, 3 paused, 4 task creation
failed, 5 migration failed, 6 completed, 7 pausing, 8 waiting for deletion,
9 deleted):

========  ==================================================================
state     what is done
========  ==================================================================
present   created when missing (it starts by itself); otherwise only a
          changed ``bandwidth_policy`` is applied (UpdateTaskGroup)
started   as present, then a paused (3) group is started, a pausing (7) one
          once it has paused, a failed migration (5) retried (only the
          failed objects with ``failed_objects_only``); others left alone
stopped   a creating or monitoring group is stopped; others left alone
absent    stopped first when creating or monitoring, then deleted; a missing
          group (or one deleted or waiting for deletion) is fine
========  ==================================================================

Groups take no security token (CreateTaskGroup, StartTaskGroup and
RetryTaskGroup have no field for one) and no ``task_priority``.
"""

from typing import Any, Callable, Dict, List, Optional

from ansible_collections.hwcloud.migration.plugins.module_utils._reads.migration import GROUP_LIST_PATH, GROUP_SHOW_PATH
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.migration_summary import GROUP_STATUS_NAMES, group_summary
from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import now_ms
from ansible_collections.hwcloud.migration.plugins.module_utils._writes import task_settings
from ansible_collections.hwcloud.migration.plugins.module_utils._writes.lifecycle import NOT_FOUND, NOT_RUNNING, WAIT_ARGUMENT_SPEC, WriteError
from ansible_collections.hwcloud.migration.plugins.module_utils._writes.nodes import NODE_ARGUMENT_SPEC, NodeError, check_nodes, create_nodes, start_credentials
from ansible_collections.hwcloud.migration.plugins.module_utils._writes.resource import Kind, Step, ended_failed, run_lifecycle

START_PATH = '/v2/{project_id}/taskgroups/{group_id}/start'
STOP_PATH = '/v2/{project_id}/taskgroups/{group_id}/stop'
RETRY_PATH = '/v2/{project_id}/taskgroups/{group_id}/retry'
UPDATE_PATH = '/v2/{project_id}/taskgroups/{group_id}/update'
GROUP_TASK_TYPES = ('prefix', 'list', 'url_list')
DEFAULT_GROUP_TASK_TYPE = 'PREFIX'
CREATING, MONITORING, PAUSED, CREATION_FAILED, MIGRATION_FAILED, COMPLETED, PAUSING = 1, 2, 3, 4, 5, 6, 7
GONE = frozenset([8, 9])

ARGUMENT_SPEC = dict(
    state=dict(type='str', choices=['present', 'started', 'stopped', 'absent'], default='present'),
    id=dict(type='str'),
    failed_objects_only=dict(type='bool', default=True),
)
ARGUMENT_SPEC.update(NODE_ARGUMENT_SPEC)
ARGUMENT_SPEC.update((name, spec) for name, spec in task_settings.SETTINGS_ARGUMENT_SPEC.items() if name != 'task_priority')
ARGUMENT_SPEC['task_type'] = dict(type='str', choices=list(GROUP_TASK_TYPES))
ARGUMENT_SPEC.update(WAIT_ARGUMENT_SPEC)


def parse_group_id(value: Any, option: str = 'id') -> str:
    """A task group id: 1 to 255 characters; ValueError otherwise."""
    if not isinstance(value, str) or not 1 <= len(value.strip()) <= 255:
        raise ValueError('%s must be a task group id of 1 to 255 characters, got %r.' % (option, value))
    return value.strip()


def _api_params(params: Dict[str, Any]) -> Dict[str, Any]:
    # The API spells group task types in capitals; compared and sent that way.
    return dict(params, task_type=params['task_type'].upper()) if params.get('task_type') else dict(params)


def check(params: Dict[str, Any], group_id: Optional[str]) -> None:
    """The group's own options: no security token, the settings, and the nodes of a create."""
    for node in ('src_node', 'dst_node'):
        if (params.get(node) or {}).get('security_token'):
            raise WriteError('%s.security_token: task groups take no security token (the API has no field for one); use a permanent AK/SK.' % node)
    try:
        task_settings.check_settings(params)
        if group_id is None:
            check_nodes(params, task_type=params.get('task_type') or 'prefix')
    except (task_settings.SettingsError, NodeError) as err:
        raise WriteError(str(err))


def _credentials(params: Dict[str, Any], group: Dict[str, Any]) -> Dict[str, Any]:
    try:
        return start_credentials(params, task_type=(group.get('task_type') or '').lower(), what='Starting task group %s' % group.get('group_id'))
    except NodeError as err:
        raise WriteError(str(err))


def plan(run: Any, group: Optional[Dict[str, Any]]) -> List[Step]:
    """The calls that bring ``group`` (None: missing) to the state asked, in order."""
    params, state = _api_params(run.params), run.params['state']
    if group is None:
        if state == 'absent':
            return []
        if state == 'stopped':
            raise WriteError('There is no such task group to stop; state stopped does not create one (use state present).')
        src, dst = create_nodes(params)
        body = task_settings.create_body(params, src, dst)
        body['task_type'] = params.get('task_type') or DEFAULT_GROUP_TASK_TYPE
        return [Step('CreateTaskGroup', 'POST', GROUP_LIST_PATH, {}, body, None, 'create the task group')]
    group_id, status = group['group_id'], group['status']
    ids = {'group_id': group_id}
    steps = []
    if state in ('present', 'started'):
        windows, blocked = task_settings.compare(params, group)
        if blocked:
            raise WriteError(
                'Task group %s cannot be changed to these settings: %s. OMS cannot update them on an existing group; to change them, '
                'recreate it (state: absent, then state: present).' % (group_id, '; '.join(blocked))
            )
        if windows is not None:
            steps.append(
                Step('UpdateTaskGroup', 'PUT', UPDATE_PATH, ids, {'bandwidth_policy': windows}, None, 'update the bandwidth policy of group %s' % group_id)
            )
    if state == 'started' and status in (PAUSED, PAUSING):
        # A pausing group is started once it has paused: the service answers OMS.0063 until then (resent).
        steps.append(Step('StartTaskGroup', 'PUT', START_PATH, ids, _credentials(params, group), None, 'start task group %s' % group_id, repeatable=False))
    if state == 'started' and status == MIGRATION_FAILED:
        body = dict(_credentials(params, group), migrate_failed_object=params['failed_objects_only'])
        steps.append(Step('RetryTaskGroup', 'PUT', RETRY_PATH, ids, body, None, 'retry task group %s' % group_id, repeatable=False))
    if state in ('stopped', 'absent') and status in (CREATING, MONITORING):
        done = {NOT_RUNNING: 'already not running (%s)' % NOT_RUNNING}
        steps.append(Step('StopTaskGroup', 'PUT', STOP_PATH, ids, None, done, 'stop task group %s' % group_id))
    if state == 'absent' and status not in GONE:
        # Refused with OMS.0063 while the stop is under way: resent until the group has paused.
        done = {NOT_FOUND: 'already deleted (%s)' % NOT_FOUND}
        steps.append(Step('DeleteTaskGroup', 'DELETE', GROUP_SHOW_PATH, ids, None, done, 'delete task group %s' % group_id))
    return steps


def failure_of(group: Dict[str, Any]) -> WriteError:
    """The failure of a group that ended failed: its error reason, failed tasks and objects, and the failed-object list."""
    summary = group_summary(group, now_ms())
    head = 'Task group %s ended %s' % (group.get('group_id'), summary['status_name'] or 'failed')
    extra = ['%s of %s tasks failed' % (summary['failed_tasks'], group.get('total_task_num'))] if summary['failed_tasks'] is not None else []
    details = dict(error_reason=group.get('error_reason'), failed_task_num=group.get('failed_task_num'), fail_num=group.get('fail_num'))
    return ended_failed(head, summary, extra, **details)


TASK_GROUP = Kind(
    noun='task group',
    result_key='task_group',
    id_key='group_id',
    parse_id=parse_group_id,
    show_path=GROUP_SHOW_PATH,
    path_key='group_id',
    list_path=GROUP_LIST_PATH,
    items_key='taskgroups',
    list_schema='ListTaskGroupResponse',
    summary=group_summary,
    status_names=GROUP_STATUS_NAMES,
    created_id_key='group_id',
    default_task_type=DEFAULT_GROUP_TASK_TYPE,
    plan=plan,
    settled={'present': frozenset([2, 3, 4, 5, 6]), 'started': frozenset([2, 4, 5, 6]), 'stopped': frozenset([3, 4, 5, 6])},
    finished=frozenset([CREATION_FAILED, MIGRATION_FAILED, COMPLETED]),
    failed=frozenset([CREATION_FAILED, MIGRATION_FAILED]),
    stopped=PAUSED,
    failure=failure_of,
    check=check,
)


def run_task_group(params: Dict[str, Any], client: Any, *, check_mode: bool, diff: bool, warn: Callable[[str], None], **writer_options: Any) -> Dict[str, Any]:
    """The whole ``oms_task_group`` run (see :func:`.resource.run_lifecycle`)."""

    def desired(options, before):
        view = task_settings.desired_view(_api_params(options), before)
        if not before:
            view['task_type'] = _api_params(options).get('task_type') or DEFAULT_GROUP_TASK_TYPE
        return view

    views = (task_settings.settings_view, desired) if diff else None
    return run_lifecycle(TASK_GROUP, params, client, check_mode=check_mode, diff_views=views, warn=warn, **writer_options)
