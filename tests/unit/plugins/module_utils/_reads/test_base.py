# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A read returns its result or raises ReadError; what it could not read is kept, never lost."""

import pytest

from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.answers import ContractReport
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.base import ReadContext, ReadError, finished_result, requested_ids
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.listing import list_all
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.sync_tasks import SYNC_TASKS

TASK = {'sync_task_id': 'task-1', 'status': 'SYNCHRONIZING', 'monthly_acceptance_request': 3, 'monthly_failure_object': 0}


class Client:
    """Answers ``get_json`` from ``answers[(path, id)]``: a body, or an exception to raise."""

    secrets = ()

    def __init__(self, answers):
        self.answers = answers
        self.calls = []

    def get_json(self, path_template, path_params=None, query=None, limits=None):
        key = (path_template, (path_params or {}).get('sync_task_id'))
        self.calls.append(key)
        answer = self.answers[key]
        if isinstance(answer, Exception):
            raise answer
        return answer, {'status': 200, 'request_id': 'req-%d' % len(self.calls), 'url': path_template}

    def fetch_many(self, fn, items, fail_fast_after=None, is_server_failure=None):
        for item in items:
            try:
                yield item, fn(item)
            except HuaweiCloudError as err:
                yield item, err


def context(params, client=None):
    warnings = []
    base = dict(sync_task_id=None, sync_task_ids=None, query_time='now', status=None, details=False, strict_contract=False)
    base.update(params)
    ctx = ReadContext(base, 'oms', warnings.append, client)
    return ctx, warnings


SHOW = '/v2/{project_id}/sync-tasks/{sync_task_id}'


def test_a_read_returns_its_result_and_the_edge_adds_complete():
    client = Client({(SHOW, 'task-1'): dict(TASK)})
    ctx, warnings = context({'sync_task_ids': ['task-1']}, client)
    result = SYNC_TASKS.prepare(ctx)()
    assert result['sync_tasks'] == [TASK] and result['missing'] == []
    failed, finished = finished_result(ctx, result)
    assert not failed and finished['complete'] is True and finished['problems'] == []
    assert warnings == []


def test_ids_that_failed_are_named_with_status_code_and_request_id_beside_what_was_read():
    refused = HuaweiCloudError('denied', status=403, code='OMS.0001', request_id='req-x', method='GET', url='https://oms/x')
    client = Client({(SHOW, 'task-1'): dict(TASK), (SHOW, 'task-2'): refused})
    ctx, _warnings = context({'sync_task_ids': ['task-1', 'task-2']}, client)
    failed, finished = finished_result(ctx, SYNC_TASKS.prepare(ctx)())
    assert failed
    assert [task['sync_task_id'] for task in finished['sync_tasks']] == ['task-1']
    [error] = finished['errors']
    assert (error['id'], error['status'], error['error_code'], error['request_id']) == ('task-2', 403, 'OMS.0001', 'req-x')
    assert finished['complete'] is False and 'task-2' in finished['msg']


def test_a_wrong_option_raises_before_any_request():
    client = Client({})
    ctx, _warnings = context({'sync_task_ids': ['task-1'], 'status': 'STOPPED'}, client)
    with pytest.raises(ReadError) as raised:
        SYNC_TASKS.prepare(ctx)
    assert 'status filters the listing' in raised.value.result['msg']
    assert client.calls == []


def test_a_listing_page_that_is_not_a_list_raises_with_its_offset_and_request_id():
    client = Client({('/list', None): {'count': 3, 'tasks': None}})
    ctx, _warnings = context({}, client)
    with pytest.raises(ReadError) as raised:
        list_all(ctx, '/list', {}, 'tasks', 'ListSyncTasksResponse', 'sync tasks', ContractReport(False), id_key='sync_task_id')
    assert raised.value.result['offset'] == 0 and raised.value.result['request_id'] == 'req-1'
    assert 'field tasks' in raised.value.result['msg'] and 'null' in raised.value.result['msg']


def test_an_api_failure_becomes_a_read_error_with_the_api_details():
    err = HuaweiCloudError('server broke', status=503, code='OMS.0500', request_id='req-9', method='GET', url='https://oms/y')
    result = ReadError.from_api(err, 'Could not list sync tasks', offset=100).result
    assert result['msg'].startswith('Could not list sync tasks: ') and 'server broke' in result['msg']
    assert (result['status'], result['error_code'], result['request_id'], result['offset']) == (503, 'OMS.0500', 'req-9', 100)
    assert 'changed' not in result and 'failed' not in result


def test_requested_ids_are_parsed_by_the_read_or_refused_naming_the_option():
    ctx, _warnings = context({'task_ids': ['7', 8], 'task_id': None})

    def parse(value, option):
        if not str(value).isdigit():
            raise ValueError('%s must be a whole number, got %r' % (option, value))
        return int(value)

    assert requested_ids(ctx, 'task_id', 'task_ids', parse=parse) == [7, 8]
    ctx.params['task_ids'] = ['7', 'seven']
    with pytest.raises(ReadError) as raised:
        requested_ids(ctx, 'task_id', 'task_ids', parse=parse)
    assert raised.value.result['msg'] == "task_ids must be a whole number, got 'seven'"
    ctx.params['task_ids'] = None
    assert requested_ids(ctx, 'task_id', 'task_ids', parse=parse) is None


def test_a_listed_id_that_answers_not_found_is_an_error_saying_the_answers_disagree():
    gone = HuaweiCloudError('No resources found.', status=404, code='OMS.1009', request_id='req-g', method='GET', url='https://oms/z')
    client = Client({('/v2/{project_id}/sync-tasks', None): {'count': 1, 'tasks': [dict(TASK)]}, (SHOW, 'task-1'): gone})
    ctx, _warnings = context({'details': True}, client)
    failed, finished = finished_result(ctx, SYNC_TASKS.prepare(ctx)())
    # Its listed fields stay in the result; the details it could not give are its error.
    assert failed and finished['missing'] == [] and finished['sync_tasks'] == [TASK]
    [error] = finished['errors']
    assert (error['id'], error['error_code'], error['request_id']) == ('task-1', 'OMS.1009', 'req-g')
    assert 'the listing just returned this sync task' in error['message'] and 'the answers disagree' in error['message']
