# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The reads of OMS migration tasks (``oms_migration_task_info``) and task groups (``oms_task_group_info``).

Each is a :class:`.base.Read`; the summaries are in :mod:`.migration_summary`.
"""

from ansible_collections.hwcloud.migration.plugins.module_utils._reads.answers import ContractReport, check_fields
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.base import (
    Read,
    ReadError,
    check_answered_id,
    fetch_each,
    listed_id,
    requested_ids,
    with_summary,
)
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.listing import list_all
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.migration_summary import (
    GROUP_CHECKED_FIELDS,
    TASK_CHECKED_FIELDS,
    TASK_LISTING_STATUSES,
    MigrationValueError,
    group_status_value,
    group_summary,
    parse_task_id,
    task_status_value,
    task_summary,
)
from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import now_ms

TASK_SHOW_PATH = '/v2/{project_id}/tasks/{task_id}'
TASK_LIST_PATH = '/v2/{project_id}/tasks'
LISTING_FILTERS = ('group_id', 'status', 'task_name')
MAX_TEXT = 255
# A listed task must also say which task it is.
TASK_LISTED_FIELDS = dict(TASK_CHECKED_FIELDS, id='count')


def requested_task_ids(context):
    """The ids of ``task_id``/``task_ids`` as ints (None when neither is set); fails on a bad one."""
    if context.params['task_id'] is not None:
        option, values = 'task_id', [context.params['task_id']]
    elif context.params['task_ids'] is not None:
        option, values = 'task_ids', context.params['task_ids']
    else:
        return None
    try:
        return [parse_task_id(value, option) for value in values]
    except MigrationValueError as err:
        raise ReadError(str(err))


def listing_query(context):
    """The ListTasks query of the filter options, checked; and the status to keep locally (or None)."""
    query = {}
    keep_status = None
    for name in ('group_id', 'task_name'):
        value = context.params[name]
        if value is None:
            continue
        if not 1 <= len(value) <= MAX_TEXT:
            raise ReadError('%s must be 1 to %d characters long, got %d.' % (name, MAX_TEXT, len(value)))
        query[name] = value
    if context.params['status'] is not None:
        try:
            status = task_status_value(context.params['status'])
        except MigrationValueError as err:
            raise ReadError(str(err))
        if status in TASK_LISTING_STATUSES:
            query['status'] = status
        else:
            keep_status = status
    return query, keep_status


def _usable_task_id(value):
    return isinstance(value, int) and not isinstance(value, bool)


def kept_by_status(task, status):
    """Whether the client-side status filter keeps ``task``.

    A task whose status cannot be read is kept: leaving it out would hide a
    task the gate could not judge (its problem is reported either way).
    """
    value = task.get('status') if isinstance(task, dict) else None
    if not isinstance(value, int) or isinstance(value, bool):
        return True
    return value == status


def read_migration_tasks(context):
    """``oms_migration_task_info``: the named migration tasks (ShowTask), or every page of the listing."""
    # Everything the user typed is checked before the first request.
    ids = requested_task_ids(context)
    filters = [name for name in LISTING_FILTERS if context.params[name] is not None]
    if ids is not None and filters:
        raise ReadError(
            '%s filter%s the listing of all tasks; %s cannot be combined with task_id or '
            'task_ids.' % (', '.join(filters), 's' if len(filters) == 1 else '', 'it' if len(filters) == 1 else 'they')
        )
    query, keep_status = listing_query(context)

    def read():
        now = now_ms()

        def summarize(task):
            return task_summary(task, now)

        report = ContractReport(context.params['strict_contract'])

        if ids is None:
            listing = list_all(context, TASK_LIST_PATH, query, 'tasks', 'ListTasksResponse', 'migration tasks', report, id_key='id')
            report.apply(context)
            tasks = []
            for position, entry in enumerate(listing.items):
                if keep_status is not None and not kept_by_status(entry, keep_status):
                    continue
                task_id = listed_id(entry, position, 'tasks', 'id', _usable_task_id)
                check_fields(context, task_id, entry, TASK_LISTED_FIELDS)
                tasks.append(with_summary(context, task_id, entry, summarize, 'migration task'))
            return dict(migration_tasks=tasks, missing=[], truncated=listing.truncated)

        def show(task_id):
            body, meta = context.client.get_json(TASK_SHOW_PATH, path_params={'task_id': str(task_id)})
            report.check('ShowTaskResponse', body, 'migration task %d' % task_id, meta)
            check_answered_id(body, task_id, 'id', 'migration task', meta, secrets=context.client.secrets)
            check_fields(context, task_id, body, TASK_CHECKED_FIELDS)
            return body, meta

        found, missing = fetch_each(context, ids, show, 'migration task', 'task_id')
        report.apply(context)
        return dict(
            migration_tasks=[with_summary(context, task_id, body, summarize, 'migration task') for task_id, body, _meta in found],
            missing=missing,
            truncated=False,
        )

    return read


MIGRATION_TASKS = Read(
    'migration_task_info',
    'oms',
    dict(task_id=dict(type='raw'), task_ids=dict(type='list', elements='raw'), group_id=dict(type='str'), status=dict(type='raw'), task_name=dict(type='str')),
    read_migration_tasks,
    mutually_exclusive=[('task_id', 'task_ids')],
)


GROUP_SHOW_PATH = '/v2/{project_id}/taskgroups/{group_id}'
GROUP_LIST_PATH = '/v2/{project_id}/taskgroups'
# A listed group must also say which group it is.
GROUP_LISTED_FIELDS = dict(GROUP_CHECKED_FIELDS, group_id='str')


def _usable_group_id(value):
    return isinstance(value, str) and bool(value)


def read_task_groups(context):
    """``oms_task_group_info``: the named task groups (ShowTaskGroup), or every page of the listing."""
    # Everything the user typed is checked before the first request.
    ids = requested_ids(context, 'group_id', 'group_ids')
    status = None
    if context.params['status'] is not None:
        if ids is not None:
            raise ReadError('status filters the listing of all groups; it cannot be combined with group_id or group_ids.')
        try:
            status = group_status_value(context.params['status'])
        except MigrationValueError as err:
            raise ReadError(str(err))

    def read():
        now = now_ms()

        def summarize(group):
            return group_summary(group, now)

        report = ContractReport(context.params['strict_contract'])

        if ids is None:
            listing = list_all(context, GROUP_LIST_PATH, {'status': status}, 'taskgroups', 'ListTaskGroupResponse', 'task groups', report, id_key='group_id')
            report.apply(context)
            groups = []
            for position, entry in enumerate(listing.items):
                group_id = listed_id(entry, position, 'taskgroups', 'group_id', _usable_group_id)
                check_fields(context, group_id, entry, GROUP_LISTED_FIELDS)
                groups.append(with_summary(context, group_id, entry, summarize, 'task group'))
            return dict(task_groups=groups, missing=[], truncated=listing.truncated)

        def show(group_id):
            body, meta = context.client.get_json(GROUP_SHOW_PATH, path_params={'group_id': group_id})
            report.check('ShowTaskGroupResponse', body, 'task group %s' % group_id, meta)
            check_answered_id(body, group_id, 'group_id', 'task group', meta, secrets=context.client.secrets)
            check_fields(context, group_id, body, GROUP_CHECKED_FIELDS)
            return body, meta

        found, missing = fetch_each(context, ids, show, 'task group', 'group_id')
        report.apply(context)
        return dict(
            task_groups=[with_summary(context, group_id, body, summarize, 'task group') for group_id, body, _meta in found], missing=missing, truncated=False
        )

    return read


TASK_GROUPS = Read(
    'task_group_info',
    'oms',
    dict(group_id=dict(type='str'), group_ids=dict(type='list', elements='str'), status=dict(type='raw')),
    read_task_groups,
    mutually_exclusive=[('group_id', 'group_ids')],
)
