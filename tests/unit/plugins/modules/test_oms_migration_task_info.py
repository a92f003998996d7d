# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from module_runner import run_module  # noqa: F401  pylint: disable=unused-import

from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError
from ansible_collections.hwcloud.migration.plugins.module_utils._reads import migration as reads
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.base import FAIL_FAST_AFTER
from ansible_collections.hwcloud.migration.plugins.modules import oms_migration_task_info as module

NOW = 1700150400000  # 2023-11-16T16:00:00Z


def api_error(status, code, message='error', request_id='req-err-1'):
    return HuaweiCloudError(message, status=status, code=code, request_id=request_id, method='GET', url='https://oms.cn-north-4.myhuaweicloud.com/v2/p/tasks/1')


def task(task_id, status=2, **fields):
    body = {
        'id': task_id,
        'name': 'task-%d' % task_id,
        'status': status,
        'progress': 0.5,
        'left_time': 60000,
        'failed_num': 0,
        'total_num': 1000,
        'error_reason': None,
        'failed_object_record': None,
    }
    body.update(fields)
    return body


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    monkeypatch.setattr(reads, 'now_ms', lambda: NOW)


def show_handler(tasks):
    def handler(path, params, query):
        assert path == reads.TASK_SHOW_PATH and query == {}
        return tasks[params['task_id']]

    return handler


def test_ids_as_numbers_or_digit_strings_read_once_each_in_order(run_module):
    tasks = {'7': task(7), '3': task(3, status=5, progress=1, left_time=0)}
    result, client = run_module(module, {'task_ids': [7, '3', '7', ' 7']}, show_handler(tasks))
    assert not result.failed, result
    assert [entry['id'] for entry in result['migration_tasks']] == [7, 3]
    assert sorted(call[1]['task_id'] for call in client.calls) == ['3', '7']
    running, done = result['migration_tasks']
    assert running['summary']['eta'] == '2023-11-16T16:01:00.000Z' and running['summary']['percent'] == 50.0
    assert done['summary']['status_name'] == 'succeeded' and done['summary']['eta'] is None
    # The API's fields are returned as they came, the summary apart.
    assert dict((k, v) for k, v in running.items() if k != 'summary') == tasks['7']
    assert result['missing'] == [] and result['truncated'] is False and result['changed'] is False


@pytest.mark.parametrize(
    'args',
    [
        {'task_id': 'abc'},
        {'task_id': -4},
        {'task_id': 1.5},
        {'task_id': True},
        {'task_ids': [1, '2', '../3']},
        {'task_ids': [1, None]},
        {'task_id': '9223372036854775808'},
    ],
)
def test_bad_ids_are_refused_before_any_request(run_module, args):
    result, client = run_module(module, args)
    assert result.failed, result
    assert 'must be a migration task id: a whole number such as 1001' in result['msg'], result
    assert client.calls == []


def test_missing_ids_are_reported_whatever_the_status(run_module):
    tasks = {'1': task(1), '2': api_error(400, 'OMS.1009'), '3': api_error(404, 'OMS.1009')}
    result, _client = run_module(module, {'task_ids': [1, 2, 3]}, show_handler(tasks))
    assert not result.failed, result
    assert result['missing'] == [2, 3]
    assert [entry['id'] for entry in result['migration_tasks']] == [1]


def test_other_errors_fail_naming_the_task(run_module):
    tasks = {'1': task(1), '2': api_error(403, 'OMS.0206', 'no permission', 'req-77')}
    result, _client = run_module(module, {'task_ids': [1, 2]}, show_handler(tasks))
    assert result.failed
    assert 'Could not read migration task 2' in result['msg']
    assert result['task_id'] == 2 and result['error_code'] == 'OMS.0206' and result['request_id'] == 'req-77'


@pytest.mark.parametrize(
    'args, named',
    [
        ({'task_id': 1, 'status': 'failed'}, 'status'),
        ({'task_ids': [1], 'group_id': 'g'}, 'group_id'),
        ({'task_id': 1, 'task_name': 'x', 'status': 4}, 'status, task_name'),
    ],
)
def test_filters_cannot_be_combined_with_ids(run_module, args, named):
    result, client = run_module(module, args)
    assert result.failed and result['msg'].startswith(named) and 'cannot be combined' in result['msg']
    assert client.calls == []


@pytest.mark.parametrize(
    'args, message',
    [
        ({'status': 'done'}, '4 (failed)'),
        ({'status': 0}, '5 (succeeded)'),
        ({'task_name': 'x' * 256}, 'task_name must be 1 to 255 characters long'),
        ({'group_id': ''}, 'group_id must be 1 to 255 characters long'),
    ],
)
def test_bad_filters_are_refused_before_any_request(run_module, args, message):
    result, client = run_module(module, args)
    assert result.failed and message in result['msg'], result
    assert client.calls == []


def paged(all_tasks, status=None):
    """ListTasks over ``all_tasks``, honouring limit/offset/status like the API."""

    def handler(path, params, query):
        assert path == reads.TASK_LIST_PATH
        selected = [entry for entry in all_tasks if status is None or entry['status'] == query.get('status')]
        offset, limit = query['offset'], query['limit']
        assert limit == 100 and offset <= 10000
        return {'count': len(selected), 'tasks': selected[offset : offset + limit]}

    return handler


def test_listing_reads_every_page_and_sends_the_status_as_an_integer(run_module):
    all_tasks = [task(index, status=4) for index in range(250)]
    result, client = run_module(module, {'status': 'failed', 'group_id': 'g-1', 'task_name': 'nightly'}, paged(all_tasks, status=4))
    assert not result.failed, result
    assert len(result['migration_tasks']) == 250 and result['truncated'] is False
    assert [call[2]['offset'] for call in client.calls] == [0, 100, 200]
    assert all(call[2]['status'] == 4 and call[2]['group_id'] == 'g-1' and call[2]['task_name'] == 'nightly' for call in client.calls)
    assert all(entry['summary']['status_name'] == 'failed' for entry in result['migration_tasks'])


def test_retrying_is_filtered_by_the_module_since_the_api_does_not(run_module):
    all_tasks = [task(1, status=6), task(2, status=2), task(3, status=6)]
    result, client = run_module(module, {'status': 'retrying'}, paged(all_tasks))
    assert not result.failed, result
    assert 'status' not in client.calls[0][2]
    assert [entry['id'] for entry in result['migration_tasks']] == [1, 3]


def test_listing_stops_at_the_api_offset_cap_and_says_so(run_module):
    def handler(path, params, query):
        offset = query['offset']
        return {'count': 20000, 'tasks': [task(offset + index) for index in range(100)]}

    result, client = run_module(module, {}, handler)
    assert not result.failed, result
    assert client.calls[-1][2]['offset'] == 10000 and len(client.calls) == 101
    assert len(result['migration_tasks']) == 10100 and result['truncated'] is True
    assert any('at most 10100 migration tasks' in warning and '9900 of 20000' in warning for warning in result['warnings']), result['warnings']


def test_a_task_seen_twice_while_paging_is_returned_once(run_module):
    pages = {0: [task(index) for index in range(100)], 100: [task(99), task(100)]}
    result, _client = run_module(module, {}, lambda path, params, query: {'count': 102, 'tasks': pages[query['offset']]})
    assert [entry['id'] for entry in result['migration_tasks']] == list(range(101))


def test_listing_errors_fail_with_the_offset(run_module):
    def handler(path, params, query):
        return {'count': 150, 'tasks': [task(i) for i in range(100)]} if query['offset'] == 0 else api_error(500, 'OMS.1001')

    result, _client = run_module(module, {}, handler)
    assert result.failed and 'Could not list migration tasks (offset 100)' in result['msg'] and result['offset'] == 100


def test_contract_violations_warn_or_fail_when_strict(run_module):
    broken = task(1, status='RUNNING', progress=52.2)
    result, _client = run_module(module, {'task_id': 1}, show_handler({'1': broken}))
    assert not result.failed
    assert any('migration task 1: ShowTaskResponse outside the API contract: progress' in w for w in result['warnings'])
    assert result['migration_tasks'][0]['status'] == 'RUNNING'
    assert result['migration_tasks'][0]['summary']['status_name'] is None
    strict, _client = run_module(module, {'task_id': 1, 'strict_contract': True}, show_handler({'1': broken}))
    assert strict.failed and 'strict_contract' in strict['msg']


def test_an_api_summary_field_is_kept_and_named(run_module):
    body = task(1, summary='the API said so')
    result, _client = run_module(module, {'task_id': 1}, show_handler({'1': body}))
    assert result['migration_tasks'][0]['summary'] == 'the API said so'
    assert any('"summary" field of its own' in warning for warning in result['warnings'])


def test_check_mode_reads_the_same(run_module):
    result, _client = run_module(module, {'task_id': 5, '_ansible_check_mode': True}, show_handler({'5': task(5)}))
    assert not result.failed and result['migration_tasks'][0]['id'] == 5


ABSENT = object()


@pytest.mark.parametrize(
    'field, value, message',
    [
        ('status', ABSENT, 'status is absent, not one of 1, 2, 3, 4, 5, 6, 7'),
        ('status', 'RUNNING', "status is 'RUNNING', not one of 1, 2, 3, 4, 5, 6, 7"),
        ('status', 12345, 'status is 12345, not one of'),
        ('status', True, 'status is True, not one of'),
        ('status', 2.0, 'status is 2.0, not one of'),
        ('progress', ABSENT, 'progress is absent, not a number from 0 to 1'),
        ('progress', None, 'progress is None, not a number from 0 to 1'),
        ('progress', 52.2, 'progress is 52.2, not a number from 0 to 1'),
        ('progress', '0.5', "progress is '0.5', not a number"),
        ('left_time', ABSENT, 'left_time is absent, not null or an integer of 0 or more'),
        ('left_time', -1, 'left_time is -1, not null or an integer'),
        ('left_time', 'soon', "left_time is 'soon', not null or an integer"),
        ('failed_num', ABSENT, 'failed_num is absent, not an integer of 0 or more'),
        ('failed_num', None, 'failed_num is None, not an integer of 0 or more'),
        ('failed_num', -3, 'failed_num is -3, not an integer'),
        ('total_num', ABSENT, 'total_num is absent, not an integer of 0 or more'),
        ('total_num', '1000', "total_num is '1000', not an integer"),
        ('error_reason', ABSENT, 'error_reason is absent, not null or an object'),
        ('error_reason', 'TRF.0062', "error_reason is 'TRF.0062', not null or an object"),
        ('failed_object_record', ABSENT, 'failed_object_record is absent, not null or an object'),
        ('failed_object_record', ['x'], 'failed_object_record is of type list, not null or an object'),
    ],
)
def test_a_field_the_gate_needs_absent_or_malformed_is_a_problem(run_module, field, value, message):
    broken = task(1)
    if value is ABSENT:
        del broken[field]
    else:
        broken[field] = value
    result, _client = run_module(module, {'task_ids': [1, 2]}, show_handler({'1': broken, '2': task(2)}))
    assert not result.failed, result
    assert result['complete'] is False
    assert len(result['problems']) == 1, result['problems']
    problem = result['problems'][0]
    assert problem['id'] == 1 and problem['field'] == field and message in problem['message'], problem
    # The task is still returned, as the API answered it, with a summary.
    assert [entry['id'] for entry in result['migration_tasks']] == [1, 2]
    assert 'summary' in result['migration_tasks'][0]


def test_nulls_the_api_answers_on_purpose_are_not_problems(run_module):
    waiting = task(1, status=1, progress=0, left_time=None)
    stalled = task(2, status=2, progress=0.4, left_time=0)
    failed = task(
        3,
        status=4,
        left_time=0,
        failed_num=7,
        error_reason={'error_code': 'TRF.0062', 'error_msg': 'x'},
        failed_object_record={'result': True, 'list_file_key': 'oms/f.txt', 'error_code': None},
    )
    result, _client = run_module(module, {'task_ids': [1, 2, 3]}, show_handler({'1': waiting, '2': stalled, '3': failed}))
    assert not result.failed, result
    assert result['complete'] is True and result['problems'] == []
    summaries = [entry['summary'] for entry in result['migration_tasks']]
    # No estimate is the gate's call, not a problem of the answer.
    assert [summary['eta_unknown'] for summary in summaries] == [True, True, False]
    assert summaries[2]['failed_objects'] == 7 and summaries[2]['failed_object_list'] == 'oms/f.txt'


def test_an_answer_that_is_not_an_object_is_a_problem(run_module):
    result, _client = run_module(module, {'task_id': 1}, show_handler({'1': ['not', 'a', 'task']}))
    assert not result.failed, result
    assert result['complete'] is False
    assert result['problems'] == [{'id': 1, 'field': '(response)', 'message': 'the answer is of type list, not an object'}]


def test_an_api_summary_field_is_a_problem(run_module):
    result, _client = run_module(module, {'task_id': 1}, show_handler({'1': task(1, summary={'eta': 'soon'})}))
    assert result['complete'] is False
    assert [problem['field'] for problem in result['problems']] == ['summary']


def test_listed_tasks_are_checked_and_named_by_id_or_place(run_module):
    nameless = task(0)
    del nameless['id']
    tasks = [task(5), nameless, task(7, progress=None)]
    result, _client = run_module(module, {}, lambda path, params, query: {'count': 3, 'tasks': tasks})
    assert not result.failed, result
    assert result['complete'] is False and result['truncated'] is False
    assert [(problem['id'], problem['field']) for problem in result['problems']] == [(7, 'progress'), ('tasks[1]', 'id')]
    assert len(result['migration_tasks']) == 3


def test_a_healthy_listing_is_complete(run_module):
    result, _client = run_module(module, {'status': 4}, paged([task(index, status=4) for index in range(3)], 4))
    assert result['complete'] is True and result['problems'] == [] and len(result['migration_tasks']) == 3


def test_a_truncated_listing_is_incomplete(run_module):
    def handler(path, params, query):
        return {'count': 20000, 'tasks': [task(query['offset'] + index) for index in range(100)]}

    result, _client = run_module(module, {}, handler)
    assert result['truncated'] is True and result['complete'] is False
    assert result['problems'] == [
        {'id': None, 'field': 'count', 'message': 'the listing holds 20000 migration tasks; the API lists at most 10100, so 9900 of 20000 were not read'}
    ]


@pytest.mark.parametrize('tasks, described', [(None, 'null'), ('none', 'of type str')])
def test_a_listing_without_a_task_list_fails_naming_the_field(run_module, tasks, described):
    result, client = run_module(module, {}, lambda path, params, query: {'count': 3, 'tasks': tasks})
    assert result.failed
    assert 'Could not list migration tasks: field tasks of the answer at offset 0 is %s, not a list' % described in result['msg'], result['msg']
    assert len(client.calls) == 1


def test_a_listing_without_a_number_count_reads_until_a_short_page(run_module):
    all_tasks = [task(index) for index in range(150)]

    def handler(path, params, query):
        return {'count': None, 'tasks': all_tasks[query['offset'] : query['offset'] + query['limit']]}

    result, client = run_module(module, {}, handler)
    assert [call[2]['offset'] for call in client.calls] == [0, 100]
    assert len(result['migration_tasks']) == 150 and result['complete'] is True


def test_retrying_keeps_a_task_whose_status_cannot_be_read(run_module):
    unreadable = task(4)
    del unreadable['status']
    all_tasks = [task(1, status=6), task(2, status=2), unreadable]
    result, _client = run_module(module, {'status': 6}, paged(all_tasks))
    assert [entry['id'] for entry in result['migration_tasks']] == [1, 4]
    assert result['complete'] is False
    assert [(problem['id'], problem['field']) for problem in result['problems']] == [(4, 'status')]


def test_failed_ids_fail_the_task_but_the_result_keeps_every_outcome(run_module):
    tasks = {'1': task(1), '2': api_error(503, 'OMS.2004', 'busy', 'rid-2'), '3': api_error(404, 'OMS.1009'), '4': task(4, progress=None)}
    result, _client = run_module(module, {'task_ids': [1, 2, 3, 4]}, show_handler(tasks))
    assert result.failed
    assert [entry['id'] for entry in result['migration_tasks']] == [1, 4]
    assert result['missing'] == [3] and result['complete'] is False and result['truncated'] is False
    assert result['errors'] == [{'id': 2, 'status': 503, 'error_code': 'OMS.2004', 'request_id': 'rid-2', 'message': str(tasks['2']), 'attempted': True}]
    assert [(problem['id'], problem['field']) for problem in result['problems']] == [(4, 'progress')]
    assert result['msg'].startswith('Could not read migration task 2: ') and result['task_id'] == 2


def test_a_dead_service_stops_the_reads_early(run_module):
    ids = list(range(1, 21))
    result, client = run_module(module, {'task_ids': ids}, lambda path, params, query: api_error(503, 'OMS.2004'), max_concurrency=1)
    assert result.failed and len(client.calls) == FAIL_FAST_AFTER
    assert [entry['id'] for entry in result['errors']] == ids
    assert [entry['attempted'] for entry in result['errors']] == [True] * FAIL_FAST_AFTER + [False] * 15


def test_a_listed_id_that_is_an_object_is_a_problem_not_a_crash(run_module):
    odd = task(0, id={'value': 1})
    result, _client = run_module(module, {}, lambda path, params, query: {'count': 2, 'tasks': [odd, task(2)]})
    assert not result.failed, result
    assert [(problem['id'], problem['field']) for problem in result['problems']] == [('tasks[0]', 'id')]
    assert len(result['migration_tasks']) == 2
