# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from module_runner import run_module  # noqa: F401  pylint: disable=unused-import

from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError
from ansible_collections.hwcloud.migration.plugins.module_utils._reads import migration as reads
from ansible_collections.hwcloud.migration.plugins.modules import oms_task_group_info as module

NOW = 1700150400000  # 2023-11-16T16:00:00Z
GROUP = '7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b4a'


def group(group_id, status=2, **fields):
    body = {
        'group_id': group_id,
        'status': status,
        'total_size': 1000,
        'complete_size': 400,
        'migrate_speed': 100,
        'failed_task_num': 0,
        'fail_num': 0,
        'error_reason': None,
    }
    body.update(fields)
    return body


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    monkeypatch.setattr(reads, 'now_ms', lambda: NOW)


def show_handler(groups):
    def handler(path, params, query):
        assert path == reads.GROUP_SHOW_PATH
        return groups[params['group_id']]

    return handler


def test_groups_by_id_with_summary_and_missing(run_module):
    groups = {
        GROUP: group(GROUP, failed_task_num=2, fail_num=9, failed_object_record={'list_file_key': 'oms/taskgroup/x.txt'}),
        'gone': HuaweiCloudError('no', status=404, code='OMS.1009', request_id='r'),
    }
    result, client = run_module(module, {'group_ids': [GROUP, 'gone', GROUP]}, show_handler(groups))
    assert not result.failed, result
    assert result['missing'] == ['gone'] and len(client.calls) == 2
    [found] = result['task_groups']
    assert found['summary']['percent'] == 40.0 and found['summary']['eta_ms'] == NOW + 6000
    assert found['summary']['failed_tasks'] == 2 and found['summary']['failed_objects'] == 9
    assert found['summary']['failed_object_list'] == 'oms/taskgroup/x.txt'
    assert dict((k, v) for k, v in found.items() if k != 'summary') == groups[GROUP]


@pytest.mark.parametrize('args', [{'group_id': '..'}, {'group_ids': ['ok', 'x' * 300]}, {'group_id': ''}])
def test_bad_group_ids_are_refused_before_any_request(run_module, args):
    result, client = run_module(module, args)
    assert result.failed and 'group_id' in result['msg'], result
    assert client.calls == []


def test_listing_with_a_status_name_sends_the_integer(run_module):
    def handler(path, params, query):
        assert path == reads.GROUP_LIST_PATH and query['status'] == 5
        selected = [group('g-%d' % index, status=5) for index in range(130)]
        return {'count': 130, 'taskgroups': selected[query['offset'] : query['offset'] + query['limit']]}

    result, client = run_module(module, {'status': 'migration_failed'}, handler)
    assert not result.failed, result
    assert len(result['task_groups']) == 130 and [call[2]['offset'] for call in client.calls] == [0, 100]
    assert result['task_groups'][0]['summary']['status_name'] == 'migration_failed'


@pytest.mark.parametrize(
    'args, message', [({'status': 'failed'}, '5 (migration_failed)'), ({'status': 10}, '9 (deleted)'), ({'status': 5, 'group_id': GROUP}, 'cannot be combined')]
)
def test_bad_or_misplaced_status_is_refused_before_any_request(run_module, args, message):
    result, client = run_module(module, args)
    assert result.failed and message in result['msg'], result
    assert client.calls == []


def test_errors_fail_naming_the_group(run_module):
    groups = {GROUP: HuaweiCloudError('busy', status=503, code='OMS.2004', request_id='req-9')}
    result, _client = run_module(module, {'group_id': GROUP}, show_handler(groups))
    assert result.failed and 'Could not read task group %s' % GROUP in result['msg']
    assert result['group_id'] == GROUP and result['status'] == 503 and result['request_id'] == 'req-9'


def test_contract_violation_of_a_listing_warns(run_module):
    result, _client = run_module(module, {}, lambda path, params, query: {'count': 1, 'taskgroups': [{'status': 2}]})
    assert not result.failed
    assert any(
        'task groups listing at offset 0: ListTaskGroupResponse outside the API contract: taskgroups[0].group_id: is required but absent' in w
        for w in result['warnings']
    ), result['warnings']


ABSENT = object()


@pytest.mark.parametrize(
    'field, value, message',
    [
        ('status', ABSENT, 'status is absent, not one of 0, 1, 2, 3, 4, 5, 6, 7, 8, 9'),
        ('status', 'DONE', "status is 'DONE', not one of 0, 1"),
        ('status', 10, 'status is 10, not one of'),
        ('total_size', ABSENT, 'total_size is absent, not an integer of 0 or more'),
        ('total_size', 1.5, 'total_size is 1.5, not an integer'),
        ('complete_size', None, 'complete_size is None, not an integer of 0 or more'),
        ('complete_size', -1, 'complete_size is -1, not an integer'),
        ('migrate_speed', ABSENT, 'migrate_speed is absent, not an integer of 0 or more'),
        ('migrate_speed', '100', "migrate_speed is '100', not an integer"),
        ('failed_task_num', ABSENT, 'failed_task_num is absent, not an integer of 0 or more'),
        ('failed_task_num', {'n': 1}, 'failed_task_num is an object, not an integer'),
        ('fail_num', ABSENT, 'fail_num is absent, not an integer of 0 or more'),
        ('fail_num', False, 'fail_num is False, not an integer'),
    ],
)
def test_a_field_the_gate_needs_absent_or_malformed_is_a_problem(run_module, field, value, message):
    broken = group(GROUP)
    if value is ABSENT:
        del broken[field]
    else:
        broken[field] = value
    result, _client = run_module(module, {'group_ids': [GROUP, 'other']}, show_handler({GROUP: broken, 'other': group('other')}))
    assert not result.failed, result
    assert result['complete'] is False
    assert len(result['problems']) == 1, result['problems']
    problem = result['problems'][0]
    assert problem['id'] == GROUP and problem['field'] == field and message in problem['message'], problem
    assert [entry['group_id'] for entry in result['task_groups']] == [GROUP, 'other']


def test_a_group_without_speed_has_no_eta_and_that_is_not_a_problem(run_module):
    created = group(GROUP, status=1, total_size=0, complete_size=0, migrate_speed=0)
    idle = group('idle', status=2, migrate_speed=0)
    result, _client = run_module(module, {'group_ids': [GROUP, 'idle']}, show_handler({GROUP: created, 'idle': idle}))
    assert not result.failed, result
    assert result['complete'] is True and result['problems'] == []
    assert [entry['summary']['eta_unknown'] for entry in result['task_groups']] == [True, True]


def test_an_api_summary_field_is_a_problem(run_module):
    result, _client = run_module(module, {'group_id': GROUP}, show_handler({GROUP: group(GROUP, summary='x')}))
    assert result['complete'] is False
    assert [problem['field'] for problem in result['problems']] == ['summary']


def test_listed_groups_are_checked_and_named_by_id_or_place(run_module):
    nameless = group('')
    groups = [group('g-1'), nameless, group('g-3', fail_num=None)]
    result, client = run_module(module, {}, lambda path, params, query: {'count': 3, 'taskgroups': groups})
    assert not result.failed, result
    assert 'status' not in client.calls[0][2]
    assert result['complete'] is False and result['truncated'] is False
    assert [(problem['id'], problem['field']) for problem in result['problems']] == [('g-3', 'fail_num'), ('taskgroups[1]', 'group_id')]


def test_a_healthy_listing_is_complete(run_module):
    groups = [group('g-%d' % index) for index in range(3)]
    result, _client = run_module(module, {}, lambda path, params, query: {'count': 3, 'taskgroups': groups})
    assert result['complete'] is True and result['problems'] == [] and len(result['task_groups']) == 3


def test_a_truncated_listing_is_incomplete(run_module):
    def handler(path, params, query):
        return {'count': 10500, 'taskgroups': [group('g-%d' % (query['offset'] + index)) for index in range(100)]}

    result, client = run_module(module, {}, handler)
    assert client.calls[-1][2]['offset'] == 10000
    assert len(result['task_groups']) == 10100 and result['truncated'] is True and result['complete'] is False
    assert [(problem['id'], problem['field']) for problem in result['problems']] == [(None, 'count')]
    assert any('at most 10100 task groups' in warning and '400 of 10500' in warning for warning in result['warnings']), result['warnings']


def test_a_listing_whose_groups_are_not_a_list_fails_naming_the_field(run_module):
    result, _client = run_module(module, {}, lambda path, params, query: {'count': 3, 'taskgroups': None})
    assert result.failed
    assert 'Could not list task groups: field taskgroups of the answer at offset 0 is null, not a list' in result['msg'], result['msg']


def test_failed_ids_fail_the_task_but_the_result_keeps_every_outcome(run_module):
    groups = {
        GROUP: group(GROUP),
        'busy': HuaweiCloudError('busy', status=503, code='OMS.2004', request_id='r-b'),
        'gone': HuaweiCloudError('no', status=400, code='OMS.1009', request_id='r-g'),
    }
    result, _client = run_module(module, {'group_ids': [GROUP, 'busy', 'gone']}, show_handler(groups))
    assert result.failed
    assert [entry['group_id'] for entry in result['task_groups']] == [GROUP]
    assert result['missing'] == ['gone'] and result['complete'] is False
    assert [(entry['id'], entry['status'], entry['request_id']) for entry in result['errors']] == [('busy', 503, 'r-b')]
    assert result['msg'].startswith('Could not read task group busy: ')
