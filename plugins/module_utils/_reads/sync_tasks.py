# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The reads of OMS synchronization tasks: their details (``oms_sync_task_info``) and statistics.

Each is a :class:`.base.Read`, run as a module of its own or as a part of
``migration_state_info``.
"""

from ansible_collections.hwcloud.migration.plugins.module_utils._api.fanout import unique
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.answers import ContractReport, Shown, check_fields, shown
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.base import (
    Read,
    ReadError,
    check_answered_id,
    fetch_each,
    listed_id,
    report_problem,
    requested_ids,
)
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.listing import list_all
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.statistics import read_window
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.statistics_summary import DATA_TYPES, MIN_WINDOW_MS, summarize_statistics
from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import TimeExpressionError, now_ms, parse_time, resolve_window

SHOW_PATH = '/v2/{project_id}/sync-tasks/{sync_task_id}'
LIST_PATH = '/v2/{project_id}/sync-tasks'
STATISTICS_PATH = '/v2/{project_id}/sync-tasks/{sync_task_id}/statistics'
# The fields the health checks read: a task without them cannot be judged.
LISTED_FIELDS = {'sync_task_id': 'str', 'status': 'str'}
SHOWN_FIELDS = {'status': 'str', 'monthly_acceptance_request': 'count', 'monthly_failure_object': 'count'}
SHOWN = Shown(path=SHOW_PATH, param='sync_task_id', schema='ShowSyncTaskResponse', noun='sync task', id_field='sync_task_id', fields=SHOWN_FIELDS)


def task_ids(tasks):
    """The ids of ``tasks`` (sync tasks as the API lists them) that are strings, in order."""
    return [task['sync_task_id'] for task in tasks or [] if isinstance(task, dict) and isinstance(task.get('sync_task_id'), str)]


def read_sync_tasks(context):
    """``oms_sync_task_info``: the named tasks (ShowSyncTask), or the listing, with details when asked."""
    # Everything the user typed is checked before the first request.
    try:
        query_time = parse_time(context.params['query_time'], now=now_ms(), name='query_time')
    except TimeExpressionError as err:
        raise ReadError(str(err))
    ids = requested_ids(context, 'sync_task_id', 'sync_task_ids')
    if ids is not None and context.params['status'] is not None:
        raise ReadError('status filters the listing of all tasks; it cannot be combined with sync_task_id or sync_task_ids.')

    def read():
        report = ContractReport(context.params['strict_contract'])

        def show(task_id):
            return shown(context, report, SHOWN, task_id, query={'query_time': query_time})

        listed = None
        read_ids = ids
        if read_ids is None:
            listed = list_all(
                context, LIST_PATH, {'status': context.params['status']}, 'tasks', 'ListSyncTasksResponse', 'sync tasks', report, id_key='sync_task_id'
            ).items
            for position, entry in enumerate(listed):
                check_fields(context, listed_id(entry, position, 'tasks', 'sync_task_id', lambda value: isinstance(value, str)), entry, LISTED_FIELDS)
            report.apply(context)
            if not context.params['details']:
                return dict(sync_tasks=listed, missing=[])
            read_ids = task_ids(listed)

        found, missing = fetch_each(context, read_ids, show, 'sync task', 'sync_task_id', listed=listed is not None)
        report.apply(context)
        if listed is None:
            return dict(sync_tasks=[body for _task_id, body, _meta in found], missing=missing)
        # The listing's fields (source_cdn) plus the details' counters, in listing order.
        details = {task_id: body for task_id, body, _meta in found}
        sync_tasks = []
        for task in listed:
            task_id = task.get('sync_task_id') if isinstance(task, dict) else None
            if task_id not in missing:
                sync_tasks.append(dict(task, **details[task_id]) if isinstance(task, dict) and isinstance(details.get(task_id), dict) else task)
        return dict(sync_tasks=sync_tasks, missing=missing)

    return read


SYNC_TASKS = Read(
    'sync_task_info',
    'oms',
    dict(
        sync_task_id=dict(type='str'),
        sync_task_ids=dict(type='list', elements='str'),
        query_time=dict(type='raw', default='now'),
        status=dict(type='str', choices=['SYNCHRONIZING', 'STOPPED']),
        details=dict(type='bool', default=False),
    ),
    read_sync_tasks,
    mutually_exclusive=[('sync_task_id', 'sync_task_ids')],
)


def read_sync_task_statistics(context):
    """``oms_sync_task_statistics_info``: the statistics of the named tasks over a window, summarised."""
    # Everything the user typed is checked before the first request.
    now = now_ms()
    try:
        start_ms, end_ms = resolve_window(context.params['start_time'], context.params['end_time'], now=now)
    except TimeExpressionError as err:
        raise ReadError(str(err))
    if end_ms - start_ms < MIN_WINDOW_MS:
        raise ReadError(
            'the window from start_time (%s) to end_time (%s) is %.3f s long, shorter than one statistics bucket: '
            'the smallest window is 5 minutes (%d ms), for example start_time: -5m and end_time: now.'
            % (context.params['start_time'], context.params['end_time'], (end_ms - start_ms) / 1000.0, MIN_WINDOW_MS)
        )
    data_types = unique(context.params['data_type'])
    if not data_types:
        raise ReadError('data_type must name at least one of %s.' % ', '.join(DATA_TYPES))
    return_types = context.params['return_data_types']
    if return_types is not None:
        unqueried = [data_type for data_type in return_types if data_type not in data_types]
        if unqueried:
            raise ReadError('return_data_types names %s, which data_type does not query (%s).' % (', '.join(unqueried), ', '.join(data_types)))
    ids = requested_ids(context, 'sync_task_id', 'sync_task_ids')

    def read():
        report = ContractReport(context.params['strict_contract'])

        def read_statistics(task_id, start, end):
            query = {'data_type': ','.join(data_types), 'start_time': start, 'end_time': end}
            body, meta = context.client.get_json(STATISTICS_PATH, path_params={'sync_task_id': task_id}, query=query)
            # An answer naming another task (or none, with a null) says nothing about this one.
            check_answered_id(body, task_id, 'sync_task_id', 'sync task', meta, secrets=context.client.secrets, null_allowed=False)
            report.check('ListSyncTaskStatisticResponse', body, 'sync task %s' % task_id, meta)
            return body, meta

        reads, missing = read_window(context, ids, read_statistics, start_ms, end_ms, 'statistics of sync task', 'sync_task_id')
        results = []
        for window in reads:
            body = window.response(data_types)
            document = body if isinstance(body, dict) else {}
            statistic_datas = document.get('statistic_datas')
            if return_types is not None and isinstance(statistic_datas, list):
                statistic_datas = [entry for entry in statistic_datas if not isinstance(entry, dict) or entry.get('data_type') in return_types]
            time_type = document.get('statistic_time_type')
            summary = summarize_statistics(body, data_types, start_ms, end_ms, problems=window.part_problems(data_types), now_ms=now)
            for problem in summary['problems']:
                report_problem(context, window.task_id, 'statistic_datas', problem)
            results.append(
                {
                    'sync_task_id': window.task_id,
                    'statistic_time_type': time_type if isinstance(time_type, str) else None,
                    'statistic_datas': statistic_datas if isinstance(statistic_datas, list) else [],
                    'summary': summary,
                }
            )
        report.apply(context)
        return dict(sync_task_statistics=results, missing=missing)

    return read


SYNC_TASK_STATISTICS = Read(
    'sync_task_statistics_info',
    'oms',
    dict(
        sync_task_id=dict(type='str'),
        sync_task_ids=dict(type='list', elements='str'),
        data_type=dict(type='list', elements='str', choices=list(DATA_TYPES), default=list(DATA_TYPES)),
        return_data_types=dict(type='list', elements='str', choices=list(DATA_TYPES)),
        start_time=dict(type='raw', default='-1h'),
        end_time=dict(type='raw', default='now'),
    ),
    read_sync_task_statistics,
    mutually_exclusive=[('sync_task_id', 'sync_task_ids')],
    required_one_of=[('sync_task_id', 'sync_task_ids')],
)
