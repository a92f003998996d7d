# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
import os

import pytest
from module_runner import run_module  # noqa: F401  pylint: disable=unused-import

from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError
from ansible_collections.hwcloud.migration.plugins.module_utils._reads import sync_tasks as reads
from ansible_collections.hwcloud.migration.plugins.modules import oms_sync_task_info as module

FIXTURES = os.path.join(os.path.dirname(__file__), '..', 'module_utils', 'fixtures')
NOW = 1700150400000  # 2023-11-16T16:00:00Z


def api_error(status, code, message='error', request_id='req-err-1'):
    """The exception the real client raises for an error answer."""
    return HuaweiCloudError(
        message, status=status, code=code, request_id=request_id, method='GET', url='https://oms.cn-north-4.myhuaweicloud.com/v2/p/sync-tasks/x'
    )


def seed_task(task_id, edition='004'):
    with open(os.path.join(FIXTURES, 'show_sync_task_%s.json' % edition)) as handle:
        body = json.load(handle)
    body['sync_task_id'] = task_id
    return body


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    monkeypatch.setattr(reads, 'now_ms', lambda: NOW)


def show_handler(tasks):
    """Answer ShowSyncTask from a dict of id -> body or exception."""

    def handler(path, params, query):
        assert path == reads.SHOW_PATH
        return tasks[params['sync_task_id']]

    return handler


def test_ids_in_input_order_and_duplicates_fetched_once(run_module):
    tasks = {name: seed_task(name) for name in ('task-a', 'task-b', 'task-c')}
    result, client = run_module(module, {'sync_task_ids': ['task-c', 'task-a', 'task-c', 'task-b']}, show_handler(tasks))
    assert not result.failed, result
    assert result['changed'] is False
    assert [task['sync_task_id'] for task in result['sync_tasks']] == ['task-c', 'task-a', 'task-b']
    assert sorted(call[1]['sync_task_id'] for call in client.calls) == ['task-a', 'task-b', 'task-c']
    assert result['missing'] == []
    assert result['warnings'] == []


def test_query_time_is_sent_as_milliseconds(run_module):
    result, client = run_module(module, {'sync_task_id': 'task-a', 'query_time': '-1d'}, show_handler({'task-a': seed_task('task-a')}))
    assert client.calls == [(reads.SHOW_PATH, {'sync_task_id': 'task-a'}, {'query_time': NOW - 86400000})]


def test_query_time_defaults_to_now(run_module):
    result, client = run_module(module, {'sync_task_id': 'task-a'}, show_handler({'task-a': seed_task('task-a')}))
    assert client.calls[0][2] == {'query_time': NOW}


def test_fields_are_returned_unchanged_and_absent_ones_stay_absent(run_module):
    newer = seed_task('task-new', '004')  # no enable_kms
    older = seed_task('task-old', '002')  # with enable_kms
    result, dummy = run_module(module, {'sync_task_ids': ['task-new', 'task-old']}, show_handler({'task-new': newer, 'task-old': older}))
    assert result['sync_tasks'] == [newer, older]
    assert 'enable_kms' not in result['sync_tasks'][0]
    assert result['sync_tasks'][1]['enable_kms'] is False
    assert result['sync_tasks'][0]['app_id'] is None


@pytest.mark.parametrize('error', [api_error(404, 'OMS.1009', 'no resources found'), api_error(400, 'OMS.1009', 'no resources found')])
def test_not_found_goes_to_missing(run_module, error):
    tasks = {'task-a': seed_task('task-a'), 'gone': error}
    result, dummy = run_module(module, {'sync_task_ids': ['gone', 'task-a']}, show_handler(tasks))
    assert not result.failed, result
    assert [task['sync_task_id'] for task in result['sync_tasks']] == ['task-a']
    assert result['missing'] == ['gone']


@pytest.mark.parametrize(
    'error',
    [
        api_error(403, 'OMS.0206', 'insufficient permissions', 'req-403'),
        # The gateway's 404 means the API path does not exist: a wrong endpoint, not a missing task.
        api_error(404, 'APIGW.0101', 'The API does not exist', 'req-403'),
        api_error(None, None, 'ConnectionError: refused', 'req-403'),
        # A bare 404 (no OMS code) may come from any proxy: it says nothing about the task.
        api_error(404, None, 'Not Found', 'req-403'),
    ],
)
def test_other_errors_fail_naming_the_task(run_module, error):
    tasks = {'task-a': seed_task('task-a'), 'task-bad': error}
    result, dummy = run_module(module, {'sync_task_ids': ['task-a', 'task-bad']}, show_handler(tasks))
    assert result.failed
    assert 'task-bad' in result['msg']
    assert result['sync_task_id'] == 'task-bad'
    assert result['status'] == error.status
    assert result['error_code'] == error.code
    assert result['request_id'] == 'req-403'
    assert error.message in result['msg']


def list_handler(all_tasks, page_log=None, count=None, shrink_after=None):
    def handler(path, params, query):
        assert path == reads.LIST_PATH
        if page_log is not None:
            page_log.append(dict(query))
        offset, limit = query['offset'], query['limit']
        selected = [task for task in all_tasks if query.get('status') in (None, task['status'])]
        page = selected[offset : offset + limit]
        if shrink_after is not None and offset >= shrink_after:
            page = []
        return {'count': len(selected) if count is None else count, 'tasks': page}

    return handler


def listed(n, status='SYNCHRONIZING'):
    return [{'sync_task_id': 'task-%03d' % i, 'status': status, 'src_bucket': 'src-%d' % i, 'source_cdn': None} for i in range(n)]


def test_listing_follows_every_page(run_module):
    tasks = listed(230)
    pages = []
    result, dummy = run_module(module, {}, list_handler(tasks, pages))
    assert not result.failed, result
    assert result['sync_tasks'] == tasks
    assert [(page['offset'], page['limit']) for page in pages] == [(0, 100), (100, 100), (200, 100)]
    assert result['missing'] == []


def test_listing_exact_multiple_of_page_size_stops_on_count(run_module):
    pages = []
    result, dummy = run_module(module, {}, list_handler(listed(200), pages))
    assert len(result['sync_tasks']) == 200
    assert [page['offset'] for page in pages] == [0, 100]


def test_listing_that_runs_dry_before_its_count_is_incomplete(run_module):
    pages = []
    # count claims 500 but the service runs dry after 150 tasks: a short page, so 350 were never seen
    result, dummy = run_module(module, {}, list_handler(listed(150), pages, count=500))
    assert len(result['sync_tasks']) == 150
    assert [page['offset'] for page in pages] == [0, 100]
    assert result['complete'] is False
    assert [problem['id'] for problem in result['problems']] == [None]
    assert 'held 50 items' in result['problems'][0]['message'] and '500' in result['problems'][0]['message']


def test_listing_of_an_empty_project(run_module):
    pages = []
    result, dummy = run_module(module, {}, list_handler([], pages))
    assert result['sync_tasks'] == [] and result['missing'] == []
    assert len(pages) == 1


def test_listing_passes_the_status_filter(run_module):
    tasks = listed(3) + listed(2, 'STOPPED')
    pages = []
    result, dummy = run_module(module, {'status': 'STOPPED'}, list_handler(tasks, pages))
    assert [task['status'] for task in result['sync_tasks']] == ['STOPPED', 'STOPPED']
    assert pages[0]['status'] == 'STOPPED'


def test_listing_returns_a_task_seen_on_two_pages_once(run_module):
    tasks = listed(120)

    def handler(path, params, query):
        # A task created meanwhile pushes task-099 onto the second page as well.
        if query['offset'] == 0:
            return {'count': 120, 'tasks': tasks[:100]}
        return {'count': 120, 'tasks': tasks[99:120]}

    result, dummy = run_module(module, {}, handler)
    assert [task['sync_task_id'] for task in result['sync_tasks']] == [task['sync_task_id'] for task in tasks]


def test_listing_stops_at_the_api_offset_limit(run_module):
    pages = []

    def handler(path, params, query):
        pages.append(query['offset'])
        start = query['offset']
        return {'count': 20000, 'tasks': [{'sync_task_id': 't%d' % i, 'status': 'STOPPED'} for i in range(start, start + 100)]}

    result, dummy = run_module(module, {}, handler)
    assert pages[-1] == 10000
    assert len(result['sync_tasks']) == 10100
    assert any('20000' in warning and '10100' in warning for warning in result['warnings'])


def test_listing_with_details_adds_the_monthly_counters(run_module):
    tasks = listed(3)
    details = {task['sync_task_id']: seed_task(task['sync_task_id']) for task in tasks}
    details['task-001'] = api_error(404, 'OMS.1009', 'no resources found', 'req-9')  # the listing just returned it

    def handler(path, params, query):
        if path == reads.LIST_PATH:
            return list_handler(tasks)(path, params, query)
        assert query == {'query_time': NOW}
        return details[params['sync_task_id']]

    result, dummy = run_module(module, {'details': True}, handler)
    # A task the listing just returned is no deletion when its details say "not found": the answers
    # disagree, so it is an error for that task (the gate says ERROR), never `missing`.
    assert result.failed, result
    assert result['missing'] == []
    assert [(error['id'], error['status'], error['error_code'], error['request_id']) for error in result['errors']] == [('task-001', 404, 'OMS.1009', 'req-9')]
    assert 'listing just returned' in result['errors'][0]['message']
    assert [task['sync_task_id'] for task in result['sync_tasks']] == ['task-000', 'task-001', 'task-002']
    first = result['sync_tasks'][0]
    assert first['monthly_failure_object'] == 11
    assert 'source_cdn' in first  # from the listing
    assert first['src_bucket'] == 'oms-sdk-test-src'  # the details win


def test_listing_without_details_sends_no_show_requests(run_module):
    result, client = run_module(module, {}, list_handler(listed(3)))
    assert {call[0] for call in client.calls} == {reads.LIST_PATH}
    assert 'monthly_size' not in result['sync_tasks'][0]


def test_empty_id_list_reads_nothing(run_module):
    result, client = run_module(module, {'sync_task_ids': []})
    assert result['sync_tasks'] == [] and result['missing'] == []
    assert client.calls == []


@pytest.mark.parametrize(
    'args, message',
    [
        ({'sync_task_id': 'a', 'sync_task_ids': ['b']}, 'mutually exclusive'),
        ({'sync_task_id': 'a', 'status': 'STOPPED'}, 'status filters the listing'),
        ({'sync_task_id': 'a', 'query_time': 1700000000}, 'looks like seconds'),
        ({'sync_task_id': 'a', 'query_time': '2023-11-16T16:00:00'}, 'no time zone'),
        ({'sync_task_id': 'a', 'query_time': '+1h'}, 'future'),
        ({'sync_task_ids': ['a', '']}, 'sync_task_ids'),
        ({'status': 'RUNNING'}, 'status'),
    ],
)
def test_arguments_are_checked_before_any_request(run_module, args, message):
    result, client = run_module(module, args)
    assert result.failed
    assert message in result['msg']
    assert client.calls == []


def test_contract_violation_warns_naming_field_and_task(run_module):
    broken = seed_task('task-a')
    broken['monthly_size'] = 'lots'
    del broken['status']
    result, dummy = run_module(module, {'sync_task_id': 'task-a'}, show_handler({'task-a': broken}))
    assert not result.failed, result
    assert result['sync_tasks'] == [broken]
    text = '\n'.join(result['warnings'])
    assert 'sync task task-a' in text
    assert "monthly_size: 'lots' is not of type" in text
    assert 'status: is required but absent' in text


def test_contract_violation_fails_when_strict(run_module):
    broken = seed_task('task-a')
    broken['monthly_size'] = -5
    result, dummy = run_module(module, {'sync_task_id': 'task-a', 'strict_contract': True}, show_handler({'task-a': broken}))
    assert result.failed
    assert 'strict_contract' in result['msg']
    assert any('task-a' in line and 'monthly_size' in line for line in result['contract_violations'])


def test_non_object_body_does_not_crash(run_module):
    result, dummy = run_module(module, {'sync_task_id': 'task-a'}, show_handler({'task-a': ['not', 'a', 'task']}))
    assert not result.failed, result
    assert result['sync_tasks'] == [['not', 'a', 'task']]
    assert any("is not of type 'object'" in warning for warning in result['warnings'])


@pytest.mark.parametrize('tasks, described', [('nope', 'of type str'), (None, 'null'), ({}, 'an object')])
def test_listing_without_a_task_list_fails_naming_the_field(run_module, tasks, described):
    result, client = run_module(module, {}, lambda path, params, query: {'count': 3, 'tasks': tasks})
    assert result.failed, result
    assert 'field tasks of the answer at offset 0 is %s, not a list' % described in result['msg']
    assert result['request_id'] == 'req-1' and len(client.calls) == 1


def test_listing_without_a_number_count_pages_until_a_short_page(run_module):
    tasks = [seed_task('task-%03d' % index) for index in range(230)]

    def handler(path, params, query):
        page = tasks[query['offset'] : query['offset'] + query['limit']]
        return {'count': 'many', 'tasks': page}

    result, client = run_module(module, {}, handler)
    assert not result.failed, result
    assert [task['sync_task_id'] for task in result['sync_tasks']] == [task['sync_task_id'] for task in tasks]
    assert [call[2]['offset'] for call in client.calls] == [0, 100, 200]
    assert result['complete'] is True


def test_listed_task_without_status_makes_the_result_incomplete(run_module):
    broken = seed_task('task-b')
    broken['status'] = None
    listing = {'count': 2, 'tasks': [seed_task('task-a'), broken]}
    result, dummy = run_module(module, {}, lambda path, params, query: listing)
    assert not result.failed, result
    assert result['complete'] is False
    assert result['problems'] == [{'id': 'task-b', 'field': 'status', 'message': 'status is None, not a string'}]


def test_check_mode_reads_the_same(run_module):
    tasks = {'task-a': seed_task('task-a')}
    result, client = run_module(module, {'sync_task_id': 'task-a', '_ansible_check_mode': True}, show_handler(copy.deepcopy(tasks)))
    assert not result.failed, result
    assert result['sync_tasks'] == [tasks['task-a']]
    assert len(client.calls) == 1
