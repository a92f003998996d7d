# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""``oms_migration_task``: one OMS migration task brought to ``state`` (:func:`run_migration_task`), a :class:`.resource.Kind`.

What each state does with each task status (the run itself is :mod:`.resource`):

========  ==================================================================
state     what is done
========  ==================================================================
present   created when missing (OMS starts a new task by itself); otherwise
          only a changed ``bandwidth_policy`` is applied
started   as present, then a stopped (3) task is started, a failed (4) one
          retried (only its failed objects with ``failed_objects_only``), a
          pausing (7) one started once it has stopped; waiting, running,
          retrying and succeeded tasks are left alone
stopped   a waiting, executing or retrying task is stopped; anything else is
          left alone; a missing task is an error (nothing to stop)
absent    stopped first when active, then deleted; a missing task is fine
========  ==================================================================

Changed in place: ``bandwidth_policy`` (UpdateBandwidthPolicy, a PUT, repeated
by the client: it sets a value) and ``task_priority`` (BatchUpdateTasks for
this one task, which the API allows only on a waiting, stopped or failed
task; a POST, so the client does not repeat it once it may have arrived,
though setting the same priority twice would do no harm).  ``source_cdn`` is
sent at create; its key is sent again on every start (StartTaskReq's
``source_cdn_authentication_key``).
"""

from typing import Any, Callable, Dict, List, Optional

from ansible_collections.hwcloud.migration.plugins.module_utils._reads.migration import TASK_LIST_PATH, TASK_SHOW_PATH
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.migration_summary import (
    TASK_ACTIVE_STATUSES,
    TASK_STATUS_NAMES,
    parse_task_id,
    task_summary,
)
from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import now_ms
from ansible_collections.hwcloud.migration.plugins.module_utils._writes import task_settings
from ansible_collections.hwcloud.migration.plugins.module_utils._writes.lifecycle import NOT_FOUND, NOT_RUNNING, WAIT_ARGUMENT_SPEC, WriteError
from ansible_collections.hwcloud.migration.plugins.module_utils._writes.nodes import NODE_ARGUMENT_SPEC, NodeError, check_nodes, create_nodes, start_credentials
from ansible_collections.hwcloud.migration.plugins.module_utils._writes.resource import Kind, Step, ended_failed, run_lifecycle

START_PATH = '/v2/{project_id}/tasks/{task_id}/start'
STOP_PATH = '/v2/{project_id}/tasks/{task_id}/stop'
BANDWIDTH_PATH = '/v2/{project_id}/tasks/{task_id}/bandwidth-policy'
BATCH_UPDATE_PATH = '/v2/{project_id}/tasks/batch-update'
STATES = ('present', 'started', 'stopped', 'absent')
WAITING, STOPPED, FAILED, SUCCEEDED, PAUSING = 1, 3, 4, 5, 7
# BatchUpdateTasks changes task_priority only on these (BatchUpdateTasksReq).
PRIORITY_STATUSES = frozenset([WAITING, STOPPED, FAILED])
CDN_AUTHENTICATION_TYPES = (
    'NONE', 'QINIU_PRIVATE_AUTHENTICATION', 'ALIYUN_OSS_A', 'ALIYUN_OSS_B', 'ALIYUN_OSS_C', 'KSYUN_PRIVATE_AUTHENTICATION',
    'AZURE_SAS_TOKEN', 'TENCENT_COS_A', 'TENCENT_COS_B', 'TENCENT_COS_C', 'TENCENT_COS_D',
)  # fmt: skip
# SourceCdnReq; ShowTask answers domain, protocol and authentication_type (SourceCdnResp), compared with an existing task.
SOURCE_CDN_SPEC = dict(
    domain=dict(type='str', required=True),
    protocol=dict(type='str', required=True, choices=['http', 'https']),
    authentication_type=dict(type='str', choices=list(CDN_AUTHENTICATION_TYPES)),
    authentication_key=dict(type='str', no_log=True),
    crypto_type=dict(type='str', choices=['DEFAULT', 'KMS']),
    kms_key_id=dict(type='str', no_log=False),
)
CDN_ANSWERED = ('domain', 'protocol', 'authentication_type')

ARGUMENT_SPEC = dict(state=dict(type='str', choices=list(STATES), default='present'), id=dict(type='raw'), failed_objects_only=dict(type='bool', default=True))
ARGUMENT_SPEC.update(NODE_ARGUMENT_SPEC)
ARGUMENT_SPEC.update(task_settings.SETTINGS_ARGUMENT_SPEC)
ARGUMENT_SPEC['source_cdn'] = dict(type='dict', options=SOURCE_CDN_SPEC)
ARGUMENT_SPEC.update(WAIT_ARGUMENT_SPEC)


def check(params: Dict[str, Any], task_id: Optional[int]) -> None:
    """The task's own options: settings, and the nodes of a create when the task is named by them."""
    try:
        task_settings.check_settings(params)
        if task_id is None:
            check_nodes(params, task_type=params.get('task_type') or task_settings.DEFAULT_TASK_TYPE)
    except (task_settings.SettingsError, NodeError) as err:
        raise WriteError(str(err))


def start_body(params: Dict[str, Any], task: Dict[str, Any], *, failed_only: bool) -> Dict[str, Any]:
    """The StartTaskReq body; :class:`WriteError` before any write when a credential is missing."""
    try:
        body = start_credentials(params, task_type=task.get('task_type'), what='Starting migration task %s' % task.get('id'))
    except NodeError as err:
        raise WriteError(str(err))
    cdn = params.get('source_cdn') or {}
    for key in ('authentication_key', 'crypto_type', 'kms_key_id'):
        if cdn.get(key) is not None:
            body['source_cdn_' + key] = cdn[key]
    body['migrate_failed_object'] = failed_only
    return body


def create_body(params: Dict[str, Any]) -> Dict[str, Any]:
    """The CreateTaskReq body: the nodes, the settings and ``source_cdn`` (its unset keys left out)."""
    src, dst = create_nodes(params)
    body = task_settings.create_body(params, src, dst)
    if params.get('source_cdn') is not None:
        body['source_cdn'] = dict((key, value) for key, value in params['source_cdn'].items() if value is not None)
    return body


def _cdn_differences(params: Dict[str, Any], task: Dict[str, Any]) -> List[str]:
    wanted = params.get('source_cdn') or {}
    answered = task.get('source_cdn') if isinstance(task.get('source_cdn'), dict) else {}
    return [
        'source_cdn.%s: the task has %r, the options ask for %r' % (key, answered.get(key), wanted[key])
        for key in CDN_ANSWERED
        if wanted.get(key) is not None and answered.get(key) != wanted[key]
    ]


def plan(run: Any, task: Optional[Dict[str, Any]]) -> List[Step]:
    """The calls that bring ``task`` (None: missing) to the state asked, in order."""
    params, state = run.params, run.params['state']
    if task is None:
        if state == 'absent':
            return []
        if state == 'stopped':
            raise WriteError('There is no such migration task to stop; state stopped does not create one (use state present).')
        return [Step('CreateTask', 'POST', TASK_LIST_PATH, {}, create_body(params), None, 'create the migration task')]
    task_id, status = task['id'], task['status']
    ids = {'task_id': str(task_id)}
    steps = []
    if state in ('present', 'started'):
        # task_priority is compared below: unlike the other settings, BatchUpdateTasks can change it.
        windows, blocked = task_settings.compare(dict(params, task_priority=None), task)
        blocked += _cdn_differences(params, task)
        if blocked:
            raise WriteError(
                'Migration task %s cannot be changed to these settings: %s. OMS cannot update them on an existing task; to change them, '
                'recreate it (state: absent, then state: present).' % (task_id, '; '.join(blocked))
            )
        if windows is not None:
            body = {'bandwidth_policy': windows}
            steps.append(Step('UpdateBandwidthPolicy', 'PUT', BANDWIDTH_PATH, ids, body, None, 'update the bandwidth policy of task %s' % task_id))
        priority = params.get('task_priority')
        if priority is not None and task.get('task_priority') != priority:
            if status not in PRIORITY_STATUSES:
                raise WriteError(
                    'Migration task %s is %s: OMS changes task_priority only on a waiting, stopped or failed task (BatchUpdateTasks). '
                    'Stop it first (state: stopped), or recreate it (state: absent, then state: present).'
                    % (task_id, TASK_STATUS_NAMES.get(status, 'in status %s' % status))
                )
            # Before a start: once it runs, the priority can no longer change.
            body = {'ids': [task_id], 'task_priority': priority}
            steps.append(Step('BatchUpdateTasks', 'POST', BATCH_UPDATE_PATH, {}, body, None, 'change the priority of task %s' % task_id))
    if state == 'started' and status in (STOPPED, FAILED, PAUSING):
        # A pausing task is started once it has stopped: the service answers OMS.0063 until then (resent).
        body = start_body(params, task, failed_only=status == FAILED and params['failed_objects_only'])
        steps.append(Step('StartTask', 'POST', START_PATH, ids, body, None, 'start migration task %s' % task_id))
    if state in ('stopped', 'absent') and status in TASK_ACTIVE_STATUSES:
        done = {NOT_RUNNING: 'already not running (%s)' % NOT_RUNNING}
        steps.append(Step('StopTask', 'POST', STOP_PATH, ids, None, done, 'stop migration task %s' % task_id))
    if state == 'absent':
        # Refused with OMS.0063 while the stop is under way: resent until the task has stopped.
        done = {NOT_FOUND: 'already deleted (%s)' % NOT_FOUND}
        steps.append(Step('DeleteTask', 'DELETE', TASK_SHOW_PATH, ids, None, done, 'delete migration task %s' % task_id))
    return steps


def failure_of(task: Dict[str, Any]) -> WriteError:
    """The failure of a task that ended failed: its error reason, its failed objects and the list that names them."""
    head = 'Migration task %s failed' % task.get('id')
    return ended_failed(head, task_summary(task, now_ms()), error_reason=task.get('error_reason'), failed_num=task.get('failed_num'))


MIGRATION_TASK = Kind(
    noun='migration task',
    result_key='migration_task',
    id_key='id',
    parse_id=parse_task_id,
    show_path=TASK_SHOW_PATH,
    path_key='task_id',
    list_path=TASK_LIST_PATH,
    items_key='tasks',
    list_schema='ListTasksResponse',
    summary=task_summary,
    status_names=TASK_STATUS_NAMES,
    created_id_key='id',
    default_task_type=task_settings.DEFAULT_TASK_TYPE,
    plan=plan,
    # When a wait for "settled" is over, per state (absent: the task is gone).
    settled={'present': frozenset([2, 3, 4, 5, 6]), 'started': frozenset([2, 4, 5, 6]), 'stopped': frozenset([3, 4, 5])},
    finished=frozenset([FAILED, SUCCEEDED]),
    failed=frozenset([FAILED]),
    stopped=STOPPED,
    failure=failure_of,
    check=check,
)


def run_migration_task(
    params: Dict[str, Any], client: Any, *, check_mode: bool, diff: bool, warn: Callable[[str], None], **writer_options: Any
) -> Dict[str, Any]:
    """The whole ``oms_migration_task`` run (see :func:`.resource.run_lifecycle`)."""

    def view(task):
        shown = task_settings.settings_view(task)
        if task:
            cdn = task.get('source_cdn') if isinstance(task.get('source_cdn'), dict) else None
            shown['source_cdn'] = dict((key, cdn.get(key)) for key in CDN_ANSWERED) if cdn else None
        return shown

    def desired(options, before):
        shown = task_settings.desired_view(options, before)
        shown['source_cdn'] = view(before).get('source_cdn') if before else None
        if options.get('source_cdn') is not None:
            shown['source_cdn'] = dict((key, options['source_cdn'].get(key)) for key in CDN_ANSWERED)  # never the key
        return shown

    views = (view, desired) if diff else None
    return run_lifecycle(MIGRATION_TASK, params, client, check_mode=check_mode, diff_views=views, warn=warn, **writer_options)
