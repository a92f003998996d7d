# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The run every lifecycle module shares (:func:`run_lifecycle`), for one kind of resource (:class:`Kind`).

The run: check every option (no request before), find the resource (by its
id, or by what it migrates over every page of its listing: two matches is an
error naming both), plan the calls (the kind's ``plan``; a start's
credentials are checked there, before the first write), send them (none in
check mode), read the resource again, and wait when asked.  A kind says what
differs: its paths, its id, its statuses, its summary, its plan and how a
failed one is worded.  Shared code returns or raises
(:class:`.lifecycle.WriteError`); only the module ends the run.
"""

from collections import namedtuple
from typing import Any, Callable, Dict, Optional

from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.answers import ContractReport
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.base import ReadContext, ReadError, check_answered_id, is_not_found
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.listing import list_all
from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import now_ms
from ansible_collections.hwcloud.migration.plugins.module_utils._writes.lifecycle import WriteError, Writer, check_wait_options
from ansible_collections.hwcloud.migration.plugins.module_utils._writes.nodes import NodeError, identity, same_identity

# One planned call: its SDK name, method, path template and parameters, JSON body,
# the error codes that end it as done (with what to record), and what it does in words.
# repeatable: False for a PUT that acts each time it arrives (see _writes.lifecycle).
Step = namedtuple('Step', 'call method path path_params body done_codes what repeatable', defaults=(True,))

# What one kind of resource is to the run (see the module docstring):
# noun, result_key, id_key: "migration task", "migration_task", "id";
# parse_id(value, option) -> id (ValueError); show_path, path_key: ShowX and its id placeholder;
# list_path, items_key, list_schema: the listing; summary(body, now_ms); status_names;
# created_id_key: the id field of the create's answer; default_task_type;
# plan(run, resource) -> [Step]; settled: {state: statuses}; finished, failed: statuses;
# stopped: the status a stopped one has (it will not finish); failure(resource) -> WriteError;
# check(params): the kind's own option checks (raises WriteError).
# Optional: status_type, the type of its statuses (sync tasks answer words, not numbers);
# show_query() -> the query ShowX needs (ShowSyncTask's query_time), or None;
# identity_of(listed) -> nodes.identity of a listed one whose fields are not src_node/dst_node objects.
Kind = namedtuple(
    'Kind',
    'noun result_key id_key parse_id show_path path_key list_path items_key list_schema summary status_names created_id_key '
    'default_task_type plan settled finished failed stopped failure check status_type show_query identity_of',
    defaults=(int, None, None),
)


def describe(kind: Kind, resource: Optional[Dict[str, Any]]) -> str:
    """A resource's status in words, for messages."""
    if resource is None:
        return 'missing'
    status = resource.get('status')
    return '%s (status %s)' % (kind.status_names.get(status, 'unknown'), status)


def check_options(kind: Kind, params: Dict[str, Any]) -> Any:
    """The options every kind shares, checked before the first request; the resource id (or None)."""
    check_wait_options(params)
    resource_id = None
    try:
        if params['id'] is not None:
            resource_id = kind.parse_id(params['id'], 'id')
        if resource_id is None and not (params.get('src_node') and params.get('dst_node')):
            raise WriteError('Give id, or src_node and dst_node (what the %s migrates), to say which %s this is.' % (kind.noun, kind.noun))
        kind.check(params, resource_id)
    except (ValueError, NodeError) as err:
        raise WriteError(str(err))
    if params['wait'] and params['wait_for'] == 'finished' and params['state'] in ('stopped', 'absent'):
        raise WriteError('wait_for: finished waits for a migration to end; use it with state present or started, or wait_for: settled.')
    return resource_id


class LifecycleRun:
    """One run of a lifecycle module: its kind, options, client, writer and warnings."""

    def __init__(self, kind: Kind, params: Dict[str, Any], client: Any, writer: Writer, warn: Callable[[str], None]) -> None:
        self.kind = kind
        self.params = params
        self.client = client
        self.writer = writer
        self.warn = warn

    def show(self, resource_id: Any) -> Optional[Dict[str, Any]]:
        """Show the resource; None when it does not exist (OMS.1009)."""
        kind = self.kind
        try:
            query = kind.show_query() if kind.show_query else None
            body, meta = self.client.get_json(kind.show_path, path_params={kind.path_key: str(resource_id)}, query=query)
            check_answered_id(body, resource_id, kind.id_key, kind.noun, meta, secrets=self.client.secrets)
        except HuaweiCloudError as err:
            if is_not_found(err, 'oms'):
                return None
            raise WriteError.from_api(err, 'Could not read %s %s' % (kind.noun, resource_id))
        status = body.get('status') if isinstance(body, dict) else None
        if not isinstance(status, kind.status_type) or isinstance(status, bool):
            word = 'integer' if kind.status_type is int else 'text'
            message = 'The answer for %s %s has no %s status; it cannot be managed from it.' % (kind.noun, resource_id, word)
            raise WriteError(message, request_id=meta.get('request_id'))
        return body

    def find(self, resource_id: Any) -> Optional[Dict[str, Any]]:
        """The resource by id, or the one that migrates what the options say (every page listed); None when there is none."""
        if resource_id is not None:
            return self.show(resource_id)
        kind, params = self.kind, self.params
        wanted = identity(params.get('task_type') or kind.default_task_type, params['src_node'], params['dst_node'])
        context = ReadContext(params, 'oms', self.warn, self.client)
        report = ContractReport(False)
        try:
            listing = list_all(context, kind.list_path, {}, kind.items_key, kind.list_schema, kind.noun + 's', report, id_key=kind.id_key)
        except ReadError as err:
            raise WriteError(**err.result)
        report.apply(context)
        if context.problems or listing.truncated:
            # Fail closed: an incomplete listing could hide it, and creating it again would start a second migration.
            reasons = '; '.join(problem.get('message', '') for problem in context.problems) or 'the listing was truncated'
            raise WriteError('Cannot tell whether this %s exists: %s. Give its id instead.' % (kind.noun, reasons))
        of = kind.identity_of or identity_of
        matches = [item for item in listing.items if isinstance(item, dict) and same_identity(wanted, of(item))]
        if len(matches) > 1:
            ids = [item.get(kind.id_key) for item in matches]
            raise WriteError(
                '%d %ss migrate this source to this destination (ids %s); give id to say which one is meant.'
                % (len(matches), kind.noun, ', '.join(str(i) for i in ids)),
                matching_ids=ids,
            )
        return self.show(matches[0][kind.id_key]) if matches else None

    def apply(self, resource: Optional[Dict[str, Any]], steps: list) -> Optional[Dict[str, Any]]:
        """Send the planned calls; the resource as read afterwards (None once deleted; in check mode, as it was)."""
        created_id = None
        for step in steps:
            answer = self.writer.send(
                step.call, step.method, step.path, step.path_params, step.body, done_codes=step.done_codes, what=step.what, repeatable=step.repeatable
            )
            if step.method == 'POST' and step.path == self.kind.list_path and not self.writer.check_mode:
                created_id = self._created_id(answer, self.writer.actions[-1])
        if self.writer.check_mode:
            return resource
        if created_id is not None:
            return self.show(created_id)
        return self.show(resource[self.kind.id_key]) if resource is not None else None

    def _created_id(self, answer: Any, action: Dict[str, Any]) -> Any:
        key = self.kind.created_id_key
        created = answer.get(key) if isinstance(answer, dict) else None
        if created is None or isinstance(created, (bool, dict, list)):
            raise WriteError(
                'The create answered without %s (request id %s); the %s may exist: run again to find it by what it migrates.'
                % (key, action.get('request_id'), self.kind.noun),
                request_id=action.get('request_id'),
            )
        action[key] = created
        return created

    def wait(self, resource_id: Any) -> Optional[Dict[str, Any]]:
        """Poll until the resource is settled or finished (``wait_for``)."""
        kind, state = self.kind, self.params['state']

        def show():
            return self.show(resource_id)

        def word(found):
            return describe(kind, found)

        if state == 'absent':
            return self.writer.wait(show, lambda found: found is None, what='%s %s is gone' % (kind.noun, resource_id), describe=word)
        finished = self.params['wait_for'] == 'finished'
        targets = kind.finished if finished else kind.settled[state]

        def settled(found):
            if found is None:
                raise WriteError('%s %s disappeared while waiting for it.' % (kind.noun.capitalize(), resource_id))
            if finished and found['status'] == kind.stopped:
                message = '%s %s was stopped while waiting for it to finish; it will not finish unless started.' % (kind.noun.capitalize(), resource_id)
                raise WriteError(message, resource=found)
            return found['status'] in targets

        what = '%s %s %s' % (kind.noun, resource_id, 'has finished' if finished else 'is %s' % state)
        return self.writer.wait(show, settled, what=what, describe=word)


def ended_failed(head: str, summary: Dict[str, Any], extra: Any = (), **details: Any) -> WriteError:
    """The failure of a resource that ended failed: ``head``, its error reason, ``extra`` parts, its failed objects and their list."""
    reason = ('%s: %s' % (summary['error_code'], summary['error_msg'])) if summary.get('error_code') else 'no error reason given'
    parts = ['%s: %s' % (head, reason)] + list(extra)
    if summary.get('failed_objects') is not None:
        parts.append('%s objects failed' % summary['failed_objects'])
    if summary.get('failed_object_list'):
        parts.append('failed-object list %s' % summary['failed_object_list'])
    return WriteError('; '.join(parts) + '.', **details)


def identity_of(resource: Dict[str, Any]) -> Dict[str, Any]:
    """:func:`.nodes.identity` of a task or group as the API answers it."""
    return identity(resource.get('task_type'), resource.get('src_node') or {}, resource.get('dst_node') or {})


def with_summary(kind: Kind, resource: Optional[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """The resource as the API answered it plus the info module's ``summary``."""
    if resource is None:
        return None
    entry = dict(resource)
    entry['summary'] = kind.summary(resource, now_ms())
    return entry


def run_lifecycle(
    kind: Kind, params: Dict[str, Any], client: Any, *, check_mode: bool, diff_views: Any, warn: Callable[[str], None], **writer_options: Any
) -> Dict[str, Any]:
    """The whole module run; the result, or :class:`WriteError` whose ``result`` carries ``actions``, ``changed`` and the resource.

    ``diff_views`` is None (no diff) or ``(view, desired_view)`` of the kind's settings.
    """
    resource_id = check_options(kind, params)
    writer = Writer(client, check_mode=check_mode, wait_timeout=params['wait_timeout'], poll_interval=params['poll_interval'], **writer_options)
    run = LifecycleRun(kind, params, client, writer, warn)
    before = after = None
    try:
        before = run.find(resource_id)
        steps = kind.plan(run, before)
        after = run.apply(before, steps)
        if after is not None:
            resource_id = after[kind.id_key]
        if params['wait'] and not check_mode:
            after = run.wait(resource_id)
            # Ended failed while waiting for it to finish, or to be started: the module fails, with the resource.
            if after is not None and after['status'] in kind.failed and (params['wait_for'] == 'finished' or params['state'] == 'started'):
                raise kind.failure(after)
    except WriteError as err:
        last = err.result.pop('resource', None) or after or before
        err.result[kind.result_key] = with_summary(kind, last)
        err.result['actions'] = writer.actions
        err.result['changed'] = any(action['sent'] and action['result'] != 'failed' for action in writer.actions)
        raise
    result = {'changed': bool(steps), 'actions': writer.actions, kind.result_key: with_summary(kind, after)}
    if diff_views is not None:
        view, desired = diff_views
        view_after = desired(params, before) if check_mode else view(after)
        result['diff'] = dict(before=view(before), after={} if params['state'] == 'absent' else view_after)
    return result
