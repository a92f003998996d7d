# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The reads of OMS migration tasks (``oms_migration_task_info``) and task groups (``oms_task_group_info``).

Both read the named resources (ShowTask, ShowTaskGroup) or every page of the
listing, and add a summary to each answer (:mod:`.migration_summary`); one
:class:`_Kind` per resource says where and what, and :func:`_reader` reads
either.
"""

from typing import Any, Callable, Dict, NamedTuple

from ansible_collections.hwcloud.migration.plugins.module_utils._reads.answers import ContractReport, Shown, check_fields, shown
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.base import Read, ReadError, fetch_each, listed_id, requested_ids, with_summary
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
from ansible_collections.hwcloud.migration.plugins.module_utils._values import is_integer

TASK_SHOW_PATH = '/v2/{project_id}/tasks/{task_id}'
TASK_LIST_PATH = '/v2/{project_id}/tasks'
GROUP_SHOW_PATH = '/v2/{project_id}/taskgroups/{group_id}'
GROUP_LIST_PATH = '/v2/{project_id}/taskgroups'
LISTING_FILTERS = ('group_id', 'status', 'task_name')
MAX_TEXT = 255


class _Kind(NamedTuple):
    """One kind of resource: how it is read by id (``show``), how it is listed, and its summary."""

    result_key: str
    show: Shown
    usable_id: Callable[[Any], bool]
    summary: Callable[[Any, int], Dict[str, Any]]
    list_path: str
    list_schema: str
    items_key: str
    listed_fields: Dict[str, Any]


# A listed resource must also say which one it is (listed_fields).
TASKS = _Kind(
    result_key='migration_tasks', usable_id=is_integer, summary=task_summary,
    show=Shown(path=TASK_SHOW_PATH, param='task_id', schema='ShowTaskResponse', noun='migration task', id_field='id', fields=TASK_CHECKED_FIELDS),
    list_path=TASK_LIST_PATH, list_schema='ListTasksResponse', items_key='tasks', listed_fields=dict(TASK_CHECKED_FIELDS, id='count'),
)  # fmt: skip
GROUPS = _Kind(
    result_key='task_groups', usable_id=lambda value: isinstance(value, str) and bool(value), summary=group_summary,
    show=Shown(path=GROUP_SHOW_PATH, param='group_id', schema='ShowTaskGroupResponse', noun='task group', id_field='group_id', fields=GROUP_CHECKED_FIELDS),
    list_path=GROUP_LIST_PATH, list_schema='ListTaskGroupResponse', items_key='taskgroups', listed_fields=dict(GROUP_CHECKED_FIELDS, group_id='str'),
)  # fmt: skip


def _reader(kind, context, ids, query, keep_status=None):
    """The read of ``kind``: the resources ``ids`` names, or (``ids`` None) the listing with ``query``.

    ``keep_status`` filters the listing here, for the one status the API's filter does not take.
    """

    def read():
        now = now_ms()
        report = ContractReport(context.params['strict_contract'])

        def summarized(resource_id, body):
            return with_summary(context, resource_id, body, lambda answer: kind.summary(answer, now), kind.show.noun)

        if ids is None:
            listing = list_all(context, kind.list_path, query, kind.items_key, kind.list_schema, kind.show.noun + 's', report, id_key=kind.show.id_field)
            report.apply(context)
            items = []
            for position, entry in enumerate(listing.items):
                if keep_status is None or kept_by_status(entry, keep_status):
                    resource_id = listed_id(entry, position, kind.items_key, kind.show.id_field, kind.usable_id)
                    check_fields(context, resource_id, entry, kind.listed_fields)
                    items.append(summarized(resource_id, entry))
            return {kind.result_key: items, 'missing': [], 'truncated': listing.truncated}

        found, missing = fetch_each(context, ids, lambda resource_id: shown(context, report, kind.show, resource_id), kind.show.noun, kind.show.param)
        report.apply(context)
        return {kind.result_key: [summarized(resource_id, body) for resource_id, body, _meta in found], 'missing': missing, 'truncated': False}

    return read


def _status(value, parse):
    try:
        return parse(value)
    except MigrationValueError as err:
        raise ReadError(str(err))


def kept_by_status(task, status):
    """Whether the client-side status filter keeps ``task``.

    A task whose status cannot be read is kept: leaving it out would hide a
    task the gate could not judge (its problem is reported either way).
    """
    value = task.get('status') if isinstance(task, dict) else None
    return not is_integer(value) or value == status


def read_migration_tasks(context):
    """``oms_migration_task_info``: the named migration tasks (ShowTask), or every page of the listing."""
    # Everything the user typed is checked before the first request.
    ids = requested_ids(context, 'task_id', 'task_ids', parse=parse_task_id)
    filters = [name for name in LISTING_FILTERS if context.params[name] is not None]
    if ids is not None and filters:
        raise ReadError(
            '%s filter%s the listing of all tasks; %s cannot be combined with task_id or '
            'task_ids.' % (', '.join(filters), 's' if len(filters) == 1 else '', 'it' if len(filters) == 1 else 'they')
        )
    query = {}
    for name in ('group_id', 'task_name'):
        value = context.params[name]
        if value is not None and not 1 <= len(value) <= MAX_TEXT:
            raise ReadError('%s must be 1 to %d characters long, got %d.' % (name, MAX_TEXT, len(value)))
        query[name] = value
    keep_status = None
    if context.params['status'] is not None:
        status = _status(context.params['status'], task_status_value)
        if status in TASK_LISTING_STATUSES:
            query['status'] = status
        else:
            keep_status = status
    return _reader(TASKS, context, ids, query, keep_status)


MIGRATION_TASKS = Read(
    'migration_task_info',
    'oms',
    dict(task_id=dict(type='raw'), task_ids=dict(type='list', elements='raw'), group_id=dict(type='str'), status=dict(type='raw'), task_name=dict(type='str')),
    read_migration_tasks,
    mutually_exclusive=[('task_id', 'task_ids')],
)


def read_task_groups(context):
    """``oms_task_group_info``: the named task groups (ShowTaskGroup), or every page of the listing."""
    # Everything the user typed is checked before the first request.
    ids = requested_ids(context, 'group_id', 'group_ids')
    status = None
    if context.params['status'] is not None:
        if ids is not None:
            raise ReadError('status filters the listing of all groups; it cannot be combined with group_id or group_ids.')
        status = _status(context.params['status'], group_status_value)
    return _reader(GROUPS, context, ids, {'status': status})


TASK_GROUPS = Read(
    'task_group_info',
    'oms',
    dict(group_id=dict(type='str'), group_ids=dict(type='list', elements='str'), status=dict(type='raw')),
    read_task_groups,
    mutually_exclusive=[('group_id', 'group_ids')],
)
