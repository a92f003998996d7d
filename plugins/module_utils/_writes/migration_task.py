# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""``oms_migration_task``: one OMS migration task brought to ``state`` (:func:`run_migration_task`).

The run: check every option (no request before), find the task (by ``id``, or
by what it migrates over every page of ListTasks: two matches is an error
naming both), plan the calls, check that a start has its credentials (before
the first write), send the calls (none in check mode), read the task again,
and wait when asked.  What each state does with each task status:

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

Shared code returns or raises (:class:`.lifecycle.WriteError`); only the
module ends the run.
"""

from collections import namedtuple
from typing import Any, Callable, Dict, List, Optional

from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.answers import ContractReport
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.base import ReadContext, ReadError, check_answered_id, is_not_found
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.listing import list_all
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.migration import TASK_LIST_PATH, TASK_SHOW_PATH
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.migration_summary import (
    TASK_ACTIVE_STATUSES,
    TASK_STATUS_NAMES,
    MigrationValueError,
    parse_task_id,
    task_summary,
)
from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import now_ms
from ansible_collections.hwcloud.migration.plugins.module_utils._writes import task_settings
from ansible_collections.hwcloud.migration.plugins.module_utils._writes.lifecycle import (
    NOT_FOUND,
    NOT_RUNNING,
    WAIT_ARGUMENT_SPEC,
    WriteError,
    Writer,
    check_wait_options,
)
from ansible_collections.hwcloud.migration.plugins.module_utils._writes.nodes import (
    NODE_ARGUMENT_SPEC,
    NodeError,
    check_nodes,
    create_nodes,
    identity,
    identity_of_task,
    same_identity,
    start_credentials,
)

CREATE_PATH = '/v2/{project_id}/tasks'
START_PATH = '/v2/{project_id}/tasks/{task_id}/start'
STOP_PATH = '/v2/{project_id}/tasks/{task_id}/stop'
BANDWIDTH_PATH = '/v2/{project_id}/tasks/{task_id}/bandwidth-policy'
STATES = ('present', 'started', 'stopped', 'absent')
WAITING, STOPPED, FAILED, SUCCEEDED, PAUSING = 1, 3, 4, 5, 7

ARGUMENT_SPEC = dict(state=dict(type='str', choices=list(STATES), default='present'), id=dict(type='raw'), failed_objects_only=dict(type='bool', default=True))
ARGUMENT_SPEC.update(NODE_ARGUMENT_SPEC)
ARGUMENT_SPEC.update(task_settings.SETTINGS_ARGUMENT_SPEC)
ARGUMENT_SPEC.update(WAIT_ARGUMENT_SPEC)

# When a wait for "settled" is over, per state (absent: the task is gone).
SETTLED = {'present': frozenset([2, 3, 4, 5, 6]), 'started': frozenset([2, 4, 5, 6]), 'stopped': frozenset([3, 4, 5])}
FINISHED = frozenset([FAILED, SUCCEEDED])

# One planned call: its SDK name, method, path template and parameters, JSON body,
# the error codes that end it as done (with what to record), and what it does in words.
Step = namedtuple('Step', 'call method path path_params body done_codes what')


def _status(task: Optional[Dict[str, Any]]) -> Any:
    return task.get('status') if isinstance(task, dict) else None


def describe(task: Optional[Dict[str, Any]]) -> str:
    """A task's status in words, for messages."""
    if task is None:
        return 'missing'
    status = _status(task)
    return '%s (status %s)' % (TASK_STATUS_NAMES.get(status, 'unknown'), status)


def check_options(params: Dict[str, Any]) -> Optional[int]:
    """Every option checked before the first request; the task id (or None). Raises :class:`WriteError`."""
    check_wait_options(params)
    state = params['state']
    task_id = None
    try:
        if params['id'] is not None:
            task_id = parse_task_id(params['id'], 'id')
        task_settings.check_settings(params)
        if task_id is None:
            if not (params.get('src_node') and params.get('dst_node')):
                raise WriteError('Give id, or src_node and dst_node (what the task migrates), to say which migration task this is.')
            check_nodes(params, task_type=params.get('task_type') or task_settings.DEFAULT_TASK_TYPE)
    except (MigrationValueError, task_settings.SettingsError, NodeError) as err:
        raise WriteError(str(err))
    if params['wait'] and params['wait_for'] == 'finished' and state in ('stopped', 'absent'):
        raise WriteError('wait_for: finished waits for a migration to end; use it with state present or started, or wait_for: settled.')
    return task_id


class TaskRun:
    """One run of the module: its options, client, writer and warnings."""

    def __init__(self, params: Dict[str, Any], client: Any, writer: Writer, warn: Callable[[str], None]) -> None:
        self.params = params
        self.client = client
        self.writer = writer
        self.warn = warn

    def show(self, task_id: int) -> Optional[Dict[str, Any]]:
        """ShowTask; None when the task does not exist (OMS.1009)."""
        try:
            body, meta = self.client.get_json(TASK_SHOW_PATH, path_params={'task_id': str(task_id)})
            check_answered_id(body, task_id, 'id', 'migration task', meta, secrets=self.client.secrets)
        except HuaweiCloudError as err:
            if is_not_found(err, 'oms'):
                return None
            raise WriteError.from_api(err, 'Could not read migration task %d' % task_id)
        if not isinstance(body, dict) or not isinstance(body.get('status'), int) or isinstance(body.get('status'), bool):
            raise WriteError(
                'The answer for migration task %d has no integer status; the task cannot be managed from it.' % task_id, request_id=meta.get('request_id')
            )
        return body

    def find(self, task_id: Optional[int]) -> Optional[Dict[str, Any]]:
        """The task by id, or the one task that migrates what the options say (every page listed); None when there is none."""
        if task_id is not None:
            return self.show(task_id)
        params = self.params
        wanted = identity(params.get('task_type') or task_settings.DEFAULT_TASK_TYPE, params['src_node'], params['dst_node'])
        context = ReadContext(params, 'oms', self.warn, self.client)
        report = ContractReport(False)
        try:
            listing = list_all(context, TASK_LIST_PATH, {}, 'tasks', 'ListTasksResponse', 'migration tasks', report, id_key='id')
        except ReadError as err:
            raise WriteError(**err.result)
        report.apply(context)
        if context.problems or listing.truncated:
            # Fail closed: an incomplete listing could hide the task, and creating it again would start a second migration.
            reasons = '; '.join(problem.get('message', '') for problem in context.problems) or 'the listing was truncated'
            raise WriteError('Cannot tell whether this migration task exists: %s. Give its id instead.' % reasons)
        matches = [task for task in listing.items if isinstance(task, dict) and same_identity(wanted, identity_of_task(task))]
        if len(matches) > 1:
            ids = ', '.join(str(task.get('id')) for task in matches)
            raise WriteError(
                '%d migration tasks migrate this source to this destination (ids %s); give id to say which one is meant.' % (len(matches), ids),
                matching_ids=[task.get('id') for task in matches],
            )
        if not matches:
            return None
        return self.show(matches[0]['id'])

    def start_body(self, task: Dict[str, Any], *, failed_only: bool) -> Dict[str, Any]:
        """The StartTaskReq body; :class:`WriteError` before any write when a credential is missing."""
        try:
            body = start_credentials(self.params, task_type=task.get('task_type'), what='Starting migration task %s' % task.get('id'))
        except NodeError as err:
            raise WriteError(str(err))
        body['migrate_failed_object'] = failed_only
        return body

    def plan(self, task: Optional[Dict[str, Any]]) -> List[Step]:
        """The calls that bring ``task`` (None: missing) to the state asked, in order."""
        params, state = self.params, self.params['state']
        if task is None:
            if state == 'absent':
                return []
            if state == 'stopped':
                raise WriteError('There is no such migration task to stop; state stopped does not create one (use state present).')
            src, dst = create_nodes(params)
            return [Step('CreateTask', 'POST', CREATE_PATH, {}, task_settings.create_body(params, src, dst), None, 'create the migration task')]
        task_id, status = task['id'], task['status']
        ids = {'task_id': str(task_id)}
        steps = []
        if state in ('present', 'started'):
            windows, blocked = task_settings.compare(params, task)
            if blocked:
                raise WriteError(
                    'Migration task %s cannot be changed to these settings: %s. OMS cannot update them on an existing task; to change them, '
                    'recreate it (state: absent, then state: present).' % (task_id, '; '.join(blocked))
                )
            if windows is not None:
                body = {'bandwidth_policy': windows}
                steps.append(Step('UpdateBandwidthPolicy', 'PUT', BANDWIDTH_PATH, ids, body, None, 'update the bandwidth policy of task %s' % task_id))
        if state == 'started' and status in (STOPPED, FAILED, PAUSING):
            # A pausing task is started once it has stopped: the service answers OMS.0063 until then (resent).
            body = self.start_body(task, failed_only=status == FAILED and params['failed_objects_only'])
            steps.append(Step('StartTask', 'POST', START_PATH, ids, body, None, 'start migration task %s' % task_id))
        if state in ('stopped', 'absent') and status in TASK_ACTIVE_STATUSES:
            done = {NOT_RUNNING: 'already not running (%s)' % NOT_RUNNING}
            steps.append(Step('StopTask', 'POST', STOP_PATH, ids, None, done, 'stop migration task %s' % task_id))
        if state == 'absent':
            # Refused with OMS.0063 while the stop is under way: resent until the task has stopped.
            done = {NOT_FOUND: 'already deleted (%s)' % NOT_FOUND}
            steps.append(Step('DeleteTask', 'DELETE', TASK_SHOW_PATH, ids, None, done, 'delete migration task %s' % task_id))
        return steps

    def apply(self, task: Optional[Dict[str, Any]], steps: list) -> Optional[Dict[str, Any]]:
        """Send the planned calls; the task as read afterwards (None once deleted, or in check mode for a task still to create)."""
        created_id = None
        for step in steps:
            answer = self.writer.send(step.call, step.method, step.path, step.path_params, step.body, done_codes=step.done_codes, what=step.what)
            if step.call == 'CreateTask' and not self.writer.check_mode:
                created_id = _created_id(answer, self.writer.actions[-1])
        if self.writer.check_mode:
            return task
        if created_id is not None:
            return self.show(created_id)
        return self.show(task['id']) if task is not None else None

    def wait(self, task: Optional[Dict[str, Any]], task_id: Optional[int]) -> Optional[Dict[str, Any]]:
        """Poll until the task is settled or finished (``wait_for``); a task that ends failed raises :class:`WriteError`."""
        params, state = self.params, self.params['state']
        if state == 'absent':
            if task_id is None:
                return None
            return self.writer.wait(lambda: self.show(task_id), lambda found: found is None, what='migration task %s is gone' % task_id, describe=describe)
        finished = params['wait_for'] == 'finished'
        targets = FINISHED if finished else SETTLED[state]

        def settled(found):
            if found is None:
                raise WriteError('Migration task %s disappeared while waiting for it.' % task_id)
            if finished and found['status'] == STOPPED:
                raise WriteError(
                    'Migration task %s was stopped while waiting for it to finish; it will not finish unless started.' % task_id, migration_task=found
                )
            return found['status'] in targets

        what = 'migration task %s %s' % (task_id, 'has finished' if finished else 'is %s' % state)
        return self.writer.wait(lambda: self.show(task_id), settled, what=what, describe=describe)


def _created_id(answer: Any, action: Dict[str, Any]) -> int:
    task_id = answer.get('id') if isinstance(answer, dict) else None
    if not isinstance(task_id, int) or isinstance(task_id, bool):
        raise WriteError(
            'CreateTask answered without a task id (request id %s); the task may exist: run again to find it by what it migrates.' % action.get('request_id'),
            request_id=action.get('request_id'),
        )
    action['id'] = task_id
    return task_id


def failure_of(task: Dict[str, Any]) -> WriteError:
    """The failure of a task that ended failed: its error reason, its failed objects and the list that names them."""
    summary = task_summary(task, now_ms())
    reason = ('%s: %s' % (summary['error_code'], summary['error_msg'])) if summary['error_code'] else 'no error reason given'
    parts = ['Migration task %s failed: %s' % (task.get('id'), reason)]
    if summary['failed_objects'] is not None:
        parts.append('%s objects failed' % summary['failed_objects'])
    if summary['failed_object_list']:
        parts.append('failed-object list %s' % summary['failed_object_list'])
    return WriteError('; '.join(parts) + '.', error_reason=task.get('error_reason'), failed_num=task.get('failed_num'))


def with_task_summary(task: Optional[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """The task as the API answered it plus the info module's ``summary``."""
    if task is None:
        return None
    entry = dict(task)
    entry['summary'] = task_summary(task, now_ms())
    return entry


def run_migration_task(
    params: Dict[str, Any], client: Any, *, check_mode: bool, diff: bool, warn: Callable[[str], None], **writer_options: Any
) -> Dict[str, Any]:
    """The whole module run; the result, or :class:`WriteError` whose ``result`` carries ``actions``, ``changed`` and the task."""
    task_id = check_options(params)
    writer = Writer(client, check_mode=check_mode, wait_timeout=params['wait_timeout'], poll_interval=params['poll_interval'], **writer_options)
    run = TaskRun(params, client, writer, warn)
    before = after = None
    try:
        before = run.find(task_id)
        steps = run.plan(before)
        after = run.apply(before, steps)
        changed = bool(steps)
        if after is not None:
            task_id = after['id']
        if params['wait'] and not check_mode:
            after = run.wait(after, task_id)
            # Ended failed while waiting for it to finish, or to be started: the module fails, with the task.
            if after is not None and after['status'] == FAILED and (params['wait_for'] == 'finished' or params['state'] == 'started'):
                raise failure_of(after)
    except WriteError as err:
        last = err.result.pop('resource', None) or err.result.get('migration_task') or after or before
        err.result['migration_task'] = with_task_summary(last)
        err.result['actions'] = writer.actions
        err.result['changed'] = any(action['sent'] and action['result'] != 'failed' for action in writer.actions)
        raise
    result = dict(changed=changed, actions=writer.actions, migration_task=with_task_summary(after))
    if diff:
        view_after = task_settings.desired_view(params, before) if check_mode else task_settings.settings_view(after)
        if params['state'] == 'absent':
            view_after = {}
        result['diff'] = dict(before=task_settings.settings_view(before), after=view_after)
    return result
