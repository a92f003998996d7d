# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""``oms_sync_task``: one OMS synchronization task brought to ``state`` (:func:`run_sync_task`), a :class:`.resource.Kind`.

The same interface as ``oms_migration_task``.  A sync task copies what changes in
its source bucket for as long as it runs: it has two statuses, SYNCHRONIZING and
STOPPED, and never finishes (so ``wait_for: finished`` is refused, and there is
no failed task to retry).

========  ==================================================================
state     what is done
========  ==================================================================
present   created when missing (it synchronizes by itself); an existing
          task is left as it is (no setting can change in place)
started   as present, then a stopped task is started
stopped   a synchronizing task is stopped; a missing one is an error
absent    stopped first when synchronizing, then deleted; a missing one
          is fine
========  ==================================================================

CreateSyncTask and StartSyncTask take the nodes as flat fields (``src_ak``,
``dst_bucket``, ...): the same ``src_node``/``dst_node`` options as the other
modules, mapped here.  A sync task migrates a whole bucket to a whole bucket
with a permanent AK/SK: the node keys the API has no field for (object keys,
list file, save prefix, security token, connection string, JSON key file) are
refused by name before the first request.

Which calls are sent again, and why (the rest is :mod:`.lifecycle`):

* ShowSyncTask and ListSyncTasks are reads: repeated by the client.
* CreateSyncTask is a POST: never repeated once it may have arrived (a second
  one would make a second task, of the five a tenant may have); a lost answer
  is found by what it migrates on the next run.
* StartSyncTask and StopSyncTask are POSTs too: the client does not repeat
  them once they may have arrived; a refusal with OMS.0063 (in progress) is
  resent, because the service did not carry it out.
* DeleteSyncTask is a DELETE, idempotent: repeated by the client; a repeat
  that finds the task gone answers OMS.1009, which ends the call as done.
"""

import re
from typing import Any, Callable, Dict, List, Optional

from ansible_collections.hwcloud.migration.plugins.module_utils._api.endpoints import quote_path_param
from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import ParameterError
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.sync_tasks import LIST_PATH, SHOW_PATH
from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import now_ms
from ansible_collections.hwcloud.migration.plugins.module_utils._writes import task_settings
from ansible_collections.hwcloud.migration.plugins.module_utils._writes.lifecycle import NOT_FOUND, NOT_RUNNING, WAIT_ARGUMENT_SPEC, WriteError
from ansible_collections.hwcloud.migration.plugins.module_utils._writes.nodes import (
    CLOUD_TYPES,
    NODE_ARGUMENT_SPEC,
    NodeError,
    check_nodes,
    identity,
    start_credentials,
)
from ansible_collections.hwcloud.migration.plugins.module_utils._writes.resource import Kind, Step, run_lifecycle

START_PATH = '/v2/{project_id}/sync-tasks/{sync_task_id}/start'
STOP_PATH = '/v2/{project_id}/sync-tasks/{sync_task_id}/stop'
SYNCHRONIZING, STOPPED = 'SYNCHRONIZING', 'STOPPED'
STATUS_NAMES = {SYNCHRONIZING: 'synchronizing', STOPPED: 'stopped'}
# CreateSyncTaskReq's clouds: those of a task without Google and URL lists.
SYNC_CLOUD_TYPES = tuple(cloud for cloud in CLOUD_TYPES if cloud not in ('Google', 'URLSource'))
# CreateSyncTaskReq documents "transmission"; ShowSyncTask documents the same check as "no_check".
CONSISTENCY_CHECKS = ('size_last_modified', 'crc64', 'transmission')
_SAME_CHECK = {'no_check': 'transmission'}
SETTINGS = ('description', 'consistency_check', 'dst_storage_policy', 'enable_metadata_migration', 'enable_restore')
_REFUSED_KEYS = {
    'src_node': ('object_key', 'list_file', 'security_token', 'connection_string', 'json_auth_file'),
    'dst_node': ('save_prefix', 'security_token'),
}
_DESCRIPTION_FORBIDDEN = re.compile('[<>()"\'&]')

ARGUMENT_SPEC = dict(state=dict(type='str', choices=['present', 'started', 'stopped', 'absent'], default='present'), id=dict(type='str'))
ARGUMENT_SPEC.update(NODE_ARGUMENT_SPEC)
ARGUMENT_SPEC.update((name, dict(task_settings.SETTINGS_ARGUMENT_SPEC[name])) for name in SETTINGS)
ARGUMENT_SPEC['consistency_check'] = dict(type='str', choices=list(CONSISTENCY_CHECKS))
ARGUMENT_SPEC.update(WAIT_ARGUMENT_SPEC)


def parse_sync_task_id(value: Any, option: str = 'id') -> str:
    """A sync task id as it can go into the path (1 to 255 characters, not ``.`` or ``..``); ValueError otherwise."""
    try:
        quote_path_param('sync_task_id', value)
    except ParameterError as err:
        raise ValueError('%s must be a sync task id: %s (got %r).' % (option, err, value))
    return value


def check(params: Dict[str, Any], task_id: Optional[str]) -> None:
    """The sync task's own options: no node key the API lacks, its settings, no wait to finish, and the nodes of a create."""
    for node, keys in _REFUSED_KEYS.items():
        for key in keys:
            if (params.get(node) or {}).get(key):
                raise WriteError(
                    '%s.%s: a sync task has no such field (it synchronizes a whole bucket to a whole bucket with a permanent AK/SK); '
                    'leave it out, or use oms_migration_task.' % (node, key)
                )
    cloud = (params.get('src_node') or {}).get('cloud_type')
    if cloud is not None and cloud not in SYNC_CLOUD_TYPES:
        raise WriteError('src_node.cloud_type %s cannot be the source of a sync task; one of %s.' % (cloud, ', '.join(SYNC_CLOUD_TYPES)))
    description = params.get('description')
    if description is not None and (len(description) > 255 or _DESCRIPTION_FORBIDDEN.search(description)):
        raise WriteError('description must be at most 255 characters long, with none of < > ( ) " \' & (the API refuses them).')
    if params['wait'] and params['wait_for'] == 'finished':
        raise WriteError('wait_for: finished waits for a migration to end, and a sync task runs until it is stopped; use wait_for: settled.')
    if task_id is None:
        try:
            check_nodes(params, task_type='object')
        except NodeError as err:
            raise WriteError(str(err))


def _flat(params: Dict[str, Any], what: str) -> Dict[str, Any]:
    """The credentials as flat fields (``src_ak`` ... ``dst_kms_key_id``): CreateSyncTask and StartSyncTask both ask for them."""
    try:
        return start_credentials(params, task_type=None, what=what)
    except NodeError as err:
        raise WriteError(str(err))


def create_body(params: Dict[str, Any]) -> Dict[str, Any]:
    """The CreateSyncTaskReq body: the nodes as flat fields (credentials included) and every setting that is set."""
    src, dst = params.get('src_node') or {}, params.get('dst_node') or {}
    missing = ['%s.%s' % (node, key) for node, given in (('src_node', src), ('dst_node', dst)) for key in ('ak', 'sk') if not given.get(key)]
    if missing:
        raise WriteError('Creating a sync task needs the credentials of both buckets (CreateSyncTask asks for them): set %s.' % ', '.join(missing))
    body = _flat(params, 'Creating the sync task')
    for key, field in (('cloud_type', 'src_cloud_type'), ('region', 'src_region'), ('bucket', 'src_bucket'), ('app_id', 'app_id')):
        if src.get(key) is not None:
            body[field] = src[key]
    for key in ('region', 'bucket'):
        body['dst_' + key] = dst[key]
    for name in SETTINGS:
        if params.get(name) is not None:
            body[name] = params[name]
    return body


def identity_of(task: Dict[str, Any]) -> Dict[str, Any]:
    """:func:`.nodes.identity` of a sync task as ShowSyncTask or ListSyncTasks answers it (flat fields)."""
    src = {'cloud_type': task.get('src_cloud_type'), 'region': task.get('src_region'), 'bucket': task.get('src_bucket')}
    return identity(None, src, {'region': task.get('dst_region'), 'bucket': task.get('dst_bucket')})


def _answered(name: str, value: Any) -> Any:
    return _SAME_CHECK.get(value, value) if name == 'consistency_check' else value


def plan(run: Any, task: Optional[Dict[str, Any]]) -> List[Step]:
    """The calls that bring ``task`` (None: missing) to the state asked, in order."""
    params, state = run.params, run.params['state']
    if task is None:
        if state == 'absent':
            return []
        if state == 'stopped':
            raise WriteError('There is no such sync task to stop; state stopped does not create one (use state present).')
        return [Step('CreateSyncTask', 'POST', LIST_PATH, {}, create_body(params), None, 'create the sync task')]
    task_id, status = task['sync_task_id'], task['status']
    ids = {'sync_task_id': task_id}
    if state in ('present', 'started'):
        blocked = [
            '%s: the task has %r, the options ask for %r' % (name, task.get(name), params[name])
            for name in SETTINGS
            if params.get(name) is not None and _answered(name, task.get(name)) != params[name]
        ]
        if blocked:
            raise WriteError(
                'Sync task %s cannot be changed to these settings: %s. OMS cannot update a sync task; to change them, '
                'recreate it (state: absent, then state: present).' % (task_id, '; '.join(blocked))
            )
    if state != 'present' and status not in STATUS_NAMES:
        # Fail closed: a status this module does not know says nothing about what a start, stop or delete would do.
        raise WriteError('Sync task %s has the status %r, which is neither SYNCHRONIZING nor STOPPED; nothing was changed.' % (task_id, status))
    steps = []
    if state == 'started' and status == STOPPED:
        body = _flat(params, 'Starting sync task %s' % task_id)
        steps.append(Step('StartSyncTask', 'POST', START_PATH, ids, body, None, 'start sync task %s' % task_id))
    if state in ('stopped', 'absent') and status == SYNCHRONIZING:
        done = {NOT_RUNNING: 'already not running (%s)' % NOT_RUNNING}
        steps.append(Step('StopSyncTask', 'POST', STOP_PATH, ids, None, done, 'stop sync task %s' % task_id))
    if state == 'absent':
        # Refused with OMS.0063 while the stop is under way: resent until the task has stopped.
        done = {NOT_FOUND: 'already deleted (%s)' % NOT_FOUND}
        steps.append(Step('DeleteSyncTask', 'DELETE', SHOW_PATH, ids, None, done, 'delete sync task %s' % task_id))
    return steps


def sync_summary(task: Dict[str, Any], now: int) -> Dict[str, Any]:
    """The summary of a sync task: its status in words and whether it is synchronizing (it never finishes)."""
    status = task.get('status')
    return {'status_name': STATUS_NAMES.get(status), 'active': status == SYNCHRONIZING}


def failure_of(task: Dict[str, Any]) -> WriteError:
    """A sync task has no failed status; kept for the :class:`.resource.Kind` (never raised by the run)."""
    return WriteError('Sync task %s is %s.' % (task.get('sync_task_id'), task.get('status')))


SYNC_TASK = Kind(
    noun='sync task',
    result_key='sync_task',
    id_key='sync_task_id',
    parse_id=parse_sync_task_id,
    show_path=SHOW_PATH,
    path_key='sync_task_id',
    list_path=LIST_PATH,
    items_key='tasks',
    list_schema='ListSyncTasksResponse',
    summary=sync_summary,
    status_names=STATUS_NAMES,
    created_id_key='sync_task_id',
    default_task_type=None,
    plan=plan,
    settled={'present': frozenset([SYNCHRONIZING, STOPPED]), 'started': frozenset([SYNCHRONIZING]), 'stopped': frozenset([STOPPED])},
    finished=frozenset(),
    failed=frozenset(),
    stopped=STOPPED,
    failure=failure_of,
    check=check,
    status_type=str,
    # The monthly counters ShowSyncTask answers are those of the month that holds query_time (required).
    show_query=lambda: {'query_time': now_ms()},
    identity_of=identity_of,
)


def settings_view(task: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """The settings of a sync task (as the API answers it) for a diff; ShowSyncTask answers no credential."""
    if not task:
        return {}
    view = dict((name, _answered(name, task.get(name))) for name in SETTINGS)
    view['src_node'] = {'cloud_type': task.get('src_cloud_type'), 'region': task.get('src_region'), 'bucket': task.get('src_bucket')}
    view['dst_node'] = {'region': task.get('dst_region'), 'bucket': task.get('dst_bucket')}
    return view


def desired_view(params: Dict[str, Any], before: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """The settings the sync task will have once the options are applied (for a diff in check mode)."""
    if before:
        return settings_view(before)  # nothing can change in place: a different setting fails the run
    src, dst = params.get('src_node') or {}, params.get('dst_node') or {}
    view = dict((name, params.get(name)) for name in SETTINGS)
    view['src_node'] = dict((key, src.get(key)) for key in ('cloud_type', 'region', 'bucket'))
    view['dst_node'] = dict((key, dst.get(key)) for key in ('region', 'bucket'))
    return view


def run_sync_task(params: Dict[str, Any], client: Any, *, check_mode: bool, diff: bool, warn: Callable[[str], None], **writer_options: Any) -> Dict[str, Any]:
    """The whole ``oms_sync_task`` run (see :func:`.resource.run_lifecycle`)."""
    views = (settings_view, desired_view) if diff else None
    return run_lifecycle(SYNC_TASK, params, client, check_mode=check_mode, diff_views=views, warn=warn, **writer_options)
