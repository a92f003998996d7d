# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.hwcloud.migration.plugins.module_utils._api.contract import ContractChecker, check_contract
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.migration_summary import (
    MigrationValueError,
    group_status_value,
    group_summary,
    parse_task_id,
    task_status_value,
    task_summary,
)

NOW = 1700150400000  # 2023-11-16T16:00:00Z


@pytest.mark.parametrize('value, expected', [(1001, 1001), ('1001', 1001), (' 42 ', 42), (0, 0), ('9223372036854775807', 9223372036854775807)])
def test_task_ids_are_whole_numbers(value, expected):
    assert parse_task_id(value) == expected


@pytest.mark.parametrize('value', [-1, '-1', 1.5, '1.5', True, 'abc', '', None, '12a', '9223372036854775808', 9223372036854775808, '1e3', [1], '\u0661\u0662'])
def test_other_task_ids_are_refused_with_what_to_write(value):
    with pytest.raises(MigrationValueError) as info:
        parse_task_id(value, 'task_ids')
    assert 'task_ids must be' in str(info.value)


@pytest.mark.parametrize('value, expected', [(4, 4), ('4', 4), ('failed', 4), ('Succeeded', 5), ('retrying', 6), (' pausing ', 7), ('waiting', 1)])
def test_task_status_names_and_integers(value, expected):
    assert task_status_value(value) == expected


@pytest.mark.parametrize('value', [0, 8, '8', 'done', True, 2.0, None])
def test_unknown_task_statuses_list_the_choices(value):
    with pytest.raises(MigrationValueError) as info:
        task_status_value(value)
    assert '4 (failed)' in str(info.value) and '7 (pausing)' in str(info.value)


@pytest.mark.parametrize('value, expected', [(0, 0), ('0', 0), ('migration_failed', 5), ('completed', 6), ('creation_failed', 4), ('deleted', 9)])
def test_group_status_names_and_integers(value, expected):
    assert group_status_value(value) == expected


def test_unknown_group_status_is_refused():
    with pytest.raises(MigrationValueError) as info:
        group_status_value('failed')
    assert '5 (migration_failed)' in str(info.value)


def test_running_task_summary_has_percent_and_eta():
    summary = task_summary(
        {'id': 1, 'status': 2, 'progress': 0.522, 'left_time': 3600000, 'failed_num': 0, 'error_reason': None, 'failed_object_record': None}, NOW
    )
    assert summary == {
        'status_name': 'executing',
        'active': True,
        'percent': 52.2,
        'eta': '2023-11-16T17:00:00.000Z',
        'eta_ms': NOW + 3600000,
        'eta_unknown': False,
        'failed_objects': 0,
        'failed_object_list': None,
        'error_code': None,
        'error_msg': None,
    }


def test_failed_task_summary_names_the_reason_and_the_failed_object_list():
    summary = task_summary(
        {
            'id': 2,
            'status': 4,
            'progress': 0.9,
            'left_time': 0,
            'failed_num': 12,
            'error_reason': {'error_code': 'TRF.0062', 'error_msg': 'Some objects failed to upload.'},
            'failed_object_record': {'result': True, 'list_file_key': 'oms/failed/2.txt', 'error_code': None},
        },
        NOW,
    )
    assert summary['status_name'] == 'failed' and summary['active'] is False
    assert summary['eta'] is None and summary['eta_unknown'] is False  # not active: no ETA is owed
    assert summary['failed_objects'] == 12 and summary['failed_object_list'] == 'oms/failed/2.txt'
    assert (summary['error_code'], summary['error_msg']) == ('TRF.0062', 'Some objects failed to upload.')


@pytest.mark.parametrize(
    'task',
    [
        {'status': 1},  # waiting: no estimate yet
        {'status': 2, 'progress': 0.3, 'left_time': None},
        {'status': 2, 'progress': 0.3, 'left_time': -1},
        {'status': 2, 'progress': 0.3, 'left_time': 0},  # 0 before the end: not estimated
        {'status': 6, 'progress': 0.3, 'left_time': '3600000'},  # a string is not milliseconds
        {'status': 2, 'progress': 0.3, 'left_time': True},
    ],
)
def test_active_task_without_estimate_has_an_unknown_eta(task):
    summary = task_summary(task, NOW)
    assert summary['active'] is True and summary['eta'] is None and summary['eta_unknown'] is True


def test_active_task_at_the_end_is_due_now():
    summary = task_summary({'status': 2, 'progress': 1, 'left_time': 0}, NOW)
    assert summary['eta_ms'] == NOW and summary['percent'] == 100.0


@pytest.mark.parametrize('task', [{}, {'status': 'executing'}, {'status': 12, 'progress': 1.5}, None, []])
def test_task_summary_of_odd_bodies_says_unknown_instead_of_guessing(task):
    summary = task_summary(task, NOW)
    assert summary['status_name'] is None and summary['active'] is False and summary['percent'] is None
    assert summary['failed_objects'] is None and summary['error_code'] is None


def test_group_summary_from_sizes_and_speed():
    summary = group_summary(
        {
            'group_id': 'g',
            'status': 2,
            'total_size': 1000000,
            'complete_size': 250000,
            'migrate_speed': 1000,
            'failed_task_num': 1,
            'fail_num': 7,
            'failed_object_record': {'list_file_key': 'oms/taskgroup/g/failed_object_lists.txt'},
            'error_reason': None,
        },
        NOW,
    )
    assert summary['status_name'] == 'monitoring' and summary['active'] is True
    assert summary['percent'] == 25.0
    assert summary['eta_ms'] == NOW + 750000 and summary['eta_unknown'] is False
    assert summary['failed_tasks'] == 1 and summary['failed_objects'] == 7
    assert summary['failed_object_list'] == 'oms/taskgroup/g/failed_object_lists.txt'


def test_group_eta_rounds_up_to_the_millisecond():
    summary = group_summary({'status': 1, 'total_size': 10, 'complete_size': 0, 'migrate_speed': 3}, NOW)
    assert summary['eta_ms'] == NOW + 3334


@pytest.mark.parametrize(
    'group',
    [
        {'status': 2, 'total_size': 100, 'complete_size': 50, 'migrate_speed': 0},
        {'status': 2, 'total_size': 100, 'complete_size': 50},
        {'status': 0, 'total_size': 0, 'complete_size': 0, 'migrate_speed': 10},
        {'status': 1, 'total_size': 100, 'complete_size': 150, 'migrate_speed': 10},
    ],
)
def test_group_without_a_usable_speed_or_sizes_has_an_unknown_eta(group):
    summary = group_summary(group, NOW)
    assert summary['active'] is True and summary['eta'] is None and summary['eta_unknown'] is True


def test_failed_group_summary():
    summary = group_summary(
        {'status': 5, 'total_size': 100, 'complete_size': 100, 'migrate_speed': 0, 'error_reason': {'error_code': 'TRF.0062', 'error_msg': 'x'}}, NOW
    )
    assert summary['status_name'] == 'migration_failed' and summary['active'] is False
    assert summary['percent'] == 100.0 and summary['eta'] is None and summary['eta_unknown'] is False
    assert summary['error_code'] == 'TRF.0062'


@pytest.mark.parametrize(
    'schema_name, body, violation',
    [
        ('ShowTaskResponse', {'id': 1, 'status': True}, "status: True is not of type 'integer'"),
        ('ListTasksResponse', {'count': 1, 'tasks': [{'id': False, 'status': 2}]}, "tasks[0].id: False is not of type 'integer'"),
        ('ShowTaskGroupResponse', {'group_id': 'g', 'status': True}, "status: True is not of type 'integer'"),
        ('ListTaskGroupResponse', {'count': True, 'taskgroups': []}, "count: True is not of type 'integer'"),
    ],
)
def test_migration_schemas_refuse_a_boolean_for_an_integer(schema_name, body, violation):
    # Python's bool is an int; the contract's integers (ids, states, counts) are not booleans.
    assert check_contract(schema_name, body) == [violation]


def test_task_contract_follows_the_sdk_types():
    checker = ContractChecker()
    good = {
        'id': 1,
        'status': 2,
        'progress': 0.522,
        'left_time': 1,
        'group_id': None,
        'error_reason': {'error_code': 'TRF.0062', 'error_msg': 'x'},
        'failed_object_record': {'result': True, 'list_file_key': 'k', 'error_code': None},
        'src_node': {'cloud_type': 'Google', 'object_key': ['a'], 'list_file': {'list_file_num': '3'}},
        'bandwidth_policy': [{'start': '00:00', 'end': '06:00', 'max_bandwidth': 1048576}],
    }
    assert check_contract('ShowTaskResponse', good, checker) == []
    assert check_contract('ShowTaskResponse', dict(good, progress=1), checker) == []
    bad = dict(good, id='1', status=8, progress=52.2, failed_num=-1)
    assert check_contract('ShowTaskResponse', bad, checker) == [
        'failed_num: -1 is less than the minimum of 0',
        "id: '1' is not of type 'integer'",
        'progress: 52.2 is greater than the maximum of 1',
        'status: 8 is greater than the maximum of 7',
    ]
    assert check_contract('ShowTaskGroupResponse', {'group_id': 'g', 'status': 9, 'fail_num': 3}, checker) == []
    assert check_contract('ListTaskGroupResponse', {'count': 1, 'taskgroups': [{'status': 10}]}, checker) == [
        'taskgroups[0].group_id: is required but absent',
        'taskgroups[0].status: 10 is greater than the maximum of 9',
    ]
