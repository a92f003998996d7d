# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.hwcloud.migration.plugins.module_utils._errors import HuaweiCloudError
from ansible_collections.hwcloud.migration.plugins.modules import oms_task_group_info as module

from module_runner import run_module  # noqa: F401  pylint: disable=unused-import

NOW = 1700150400000  # 2023-11-16T16:00:00Z
GROUP = '7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b4a'


def group(group_id, status=2, **fields):
    body = {'group_id': group_id, 'status': status, 'total_size': 1000, 'complete_size': 400,
            'migrate_speed': 100, 'failed_task_num': 0, 'fail_num': 0, 'error_reason': None}
    body.update(fields)
    return body


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    monkeypatch.setattr(module, 'now_ms', lambda: NOW)


def show_handler(groups):
    def handler(path, params, query):
        assert path == module.SHOW_PATH
        return groups[params['group_id']]
    return handler


def test_groups_by_id_with_summary_and_missing(run_module):
    groups = {GROUP: group(GROUP, failed_task_num=2, fail_num=9,
                           failed_object_record={'list_file_key': 'oms/taskgroup/x.txt'}),
              'gone': HuaweiCloudError('no', status=404, code='OMS.1009', request_id='r')}
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
        assert path == module.LIST_PATH and query['status'] == 5
        selected = [group('g-%d' % index, status=5) for index in range(130)]
        return {'count': 130, 'taskgroups': selected[query['offset']:query['offset'] + query['limit']]}
    result, client = run_module(module, {'status': 'migration_failed'}, handler)
    assert not result.failed, result
    assert len(result['task_groups']) == 130 and [call[2]['offset'] for call in client.calls] == [0, 100]
    assert result['task_groups'][0]['summary']['status_name'] == 'migration_failed'


@pytest.mark.parametrize('args, message', [
    ({'status': 'failed'}, '5 (migration_failed)'),
    ({'status': 10}, '9 (deleted)'),
    ({'status': 5, 'group_id': GROUP}, 'cannot be combined'),
])
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
    assert any('task groups listing at offset 0: ListTaskGroupResponse outside the API contract: '
               'taskgroups[0].group_id: is required but absent' in w for w in result['warnings']), result['warnings']
