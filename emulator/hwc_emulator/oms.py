"""OMS v2 sync-task routes: ListSyncTasks, ShowSyncTask, ListSyncTaskStatistic.

Which error code each check answers is the emulator's choice (the API documents list
the codes, not the checks); docs/emulator.md ("OMS") lists them.
"""

import re

from .replies import Reply, service_error
from .series import BUCKET_MS, DATA_TYPES, HOUR_MS
from .timeexpr import month_bounds_ms

SYNC_TASK_STATUSES = ('SYNCHRONIZING', 'STOPPED')
FORBIDDEN_CODE = 'OMS.0072'
_INTEGER = re.compile(r'^-?[0-9]+$')
_LONG_MAX = 9223372036854775807
_MONTHLY = (
    ('monthly_acceptance_request', 'REQUEST'),
    ('monthly_success_object', 'SUCCESS'),
    ('monthly_failure_object', 'FAILURE'),
    ('monthly_skip_object', 'SKIP'),
    ('monthly_size', 'SIZE'),
)


class ParameterError(Exception):
    """A request the service refuses (400 unless ``status`` says otherwise), carried as its error reply."""

    def __init__(self, code, message, status=400):
        Exception.__init__(self, message)
        self.reply = service_error(status, code, message)


def _required(query, name):
    value = query.get(name)
    if value is None or value == '':
        raise ParameterError('OMS.1004', 'Required parameter is missing: %s.' % name)
    return value


def _integer(name, text, minimum=0, maximum=_LONG_MAX):
    if not _INTEGER.match(text):
        raise ParameterError('OMS.1010', 'Parameter %s must be an integer: %r.' % (name, text))
    value = int(text)
    if value < minimum or value > maximum:
        raise ParameterError('OMS.1003', 'Parameter %s must be between %d and %d.' % (name, minimum, maximum))
    return value


def _paging(query):
    limit = _integer('limit', query['limit'], 1, 100) if 'limit' in query else 10
    offset = _integer('offset', query['offset'], 0, 10000) if 'offset' in query else 0
    return limit, offset


def _task_id(task_id):
    if not task_id or len(task_id) > 255:
        raise ParameterError('OMS.0054', 'Invalid task ID: it must be 1 to 255 characters long.')


def _find_task(ctx, project_id, task_id):
    task = ctx.state.tasks.get(task_id)
    if task is None or task.project_id != project_id:
        raise ParameterError('OMS.1009', 'The sync task %s does not exist.' % task_id, status=404)
    return task


def list_sync_tasks(ctx, project_id):
    """GET /v2/{project_id}/sync-tasks"""
    query = ctx.query
    try:
        limit, offset = _paging(query)
        status = query.get('status')
        if status is not None and status not in SYNC_TASK_STATUSES:
            raise ParameterError('OMS.0002', 'Invalid parameter format: status must be one of %s.' % ', '.join(SYNC_TASK_STATUSES))
    except ParameterError as exc:
        return exc.reply
    items = ctx.state.listing.get((project_id, status), ())
    body = {'count': len(items), 'tasks': list(items[offset : offset + limit])}
    return Reply(200, body, schema='ListSyncTasksResponse')


def show_sync_task(ctx, project_id, task_id):
    """GET /v2/{project_id}/sync-tasks/{sync_task_id}?query_time=MS"""
    try:
        _task_id(task_id)
        query_time = _integer('query_time', _required(ctx.query, 'query_time'))
        task = _find_task(ctx, project_id, task_id)
    except ParameterError as exc:
        return exc.reply
    try:
        month_start, month_end = month_bounds_ms(query_time)
    except (OverflowError, ValueError, OSError):
        month_start = month_end = None
    series = ctx.state.series_of(task, ctx.now) if month_start is not None else None
    monthly = {field: series.window_total(data_type, month_start, month_end, ctx.now) if series else 0 for field, data_type in _MONTHLY}
    body = {}
    for name, value in task.fields.items():
        if name == 'object_overwrite_mode':
            body.update(monthly)
        body[name] = value
    if 'monthly_size' not in body:
        body.update(monthly)
    return Reply(200, body, schema='ShowSyncTaskResponse')


def _data_types(text):
    if len(text) > 255:
        raise ParameterError('OMS.1003', 'Parameter data_type is longer than 255 characters.')
    types = []
    for part in text.split(','):
        name = part.strip()
        if name not in DATA_TYPES:
            raise ParameterError('OMS.0002', 'Invalid parameter format: data_type %r is not one of %s.' % (name, ', '.join(DATA_TYPES)))
        if name not in types:
            types.append(name)
    return types


def list_sync_task_statistic(ctx, project_id, task_id):
    """GET /v2/{project_id}/sync-tasks/{sync_task_id}/statistics"""
    settings = ctx.state.settings
    try:
        _task_id(task_id)
        types = _data_types(_required(ctx.query, 'data_type'))
        start = _integer('start_time', _required(ctx.query, 'start_time'))
        end = _integer('end_time', _required(ctx.query, 'end_time'))
        if start > end:
            raise ParameterError('OMS.1003', 'Parameter start_time must not be later than end_time.')
        if settings.max_window_ms is not None and end - start > settings.max_window_ms:
            raise ParameterError('OMS.1003', 'The query window is longer than %d ms.' % settings.max_window_ms)
        task = _find_task(ctx, project_id, task_id)
    except ParameterError as exc:
        return exc.reply
    hourly = end - start > settings.hourly_above_ms
    step = HOUR_MS if hourly else BUCKET_MS
    series = ctx.state.series_of(task, ctx.now)
    points = series.points(types, start, end, ctx.now, step, settings.omit_empty, settings.max_points, settings.keep)
    datas = [{'data_type': name, 'data': [{'time_stamp': ts, 'statistic_num': num} for ts, num in points[name]]} for name in types]
    body = {'sync_task_id': task_id, 'statistic_time_type': 'ONE_HOUR' if hourly else 'FIVE_MINUTES', 'statistic_datas': datas}
    return Reply(200, body, schema='ListSyncTaskStatisticResponse')
