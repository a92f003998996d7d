# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

import pytest
from module_runner import run_module  # noqa: F401  pylint: disable=unused-import

from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError
from ansible_collections.hwcloud.migration.plugins.module_utils._reads import sync_tasks as reads
from ansible_collections.hwcloud.migration.plugins.modules import oms_sync_task_statistics_info as module

FIXTURES = os.path.join(os.path.dirname(__file__), '..', 'module_utils', 'fixtures')
NOW = 1700188500000  # 2023-11-17T02:35:00Z, just after the seed example's last bucket
HOUR = 3600000


def api_error(status, code, message='error', request_id='req-err-1'):
    """The exception the real client raises for an error answer."""
    return HuaweiCloudError(
        message, status=status, code=code, request_id=request_id, method='GET', url='https://oms.cn-north-4.myhuaweicloud.com/v2/p/sync-tasks/x/statistics'
    )


def seed_statistics():
    with open(os.path.join(FIXTURES, 'list_sync_task_statistic_001.json')) as handle:
        return json.load(handle)


# The seed example's whole window: its 113 buckets run from 16:00 to 02:30.
SEED_WINDOW = {'start_time': '2023-11-16T16:00:00Z', 'end_time': '2023-11-17T02:35:00Z'}


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    monkeypatch.setattr(reads, 'now_ms', lambda: NOW)


def handler_for(answers, own_id=True):
    """Answer each task with its body; with ``own_id`` a body names the task asked for (as the API does)."""

    def handler(path, params, query):
        assert path == reads.STATISTICS_PATH
        answer = answers[params['sync_task_id']]
        if own_id and isinstance(answer, dict) and 'sync_task_id' in answer:
            answer = dict(answer, sync_task_id=params['sync_task_id'])
        return answer

    return handler


def test_request_carries_types_and_window_in_milliseconds(run_module):
    result, client = run_module(module, {'sync_task_id': 'task-a', 'data_type': ['REQUEST', 'FAILURE', 'REQUEST']}, handler_for({'task-a': seed_statistics()}))
    assert not result.failed, result
    assert client.calls == [(reads.STATISTICS_PATH, {'sync_task_id': 'task-a'}, {'data_type': 'REQUEST,FAILURE', 'start_time': NOW - HOUR, 'end_time': NOW})]


def test_default_types_are_all_five(run_module):
    result, client = run_module(module, {'sync_task_id': 'task-a'}, handler_for({'task-a': seed_statistics()}))
    assert client.calls[0][2]['data_type'] == 'REQUEST,SUCCESS,FAILURE,SKIP,SIZE'


def test_seed_example_result_shape(run_module):
    body = seed_statistics()
    result, dummy = run_module(
        module,
        {'sync_task_id': 'task-a', 'data_type': ['REQUEST', 'FAILURE'], 'start_time': '2023-11-16T16:00:00Z', 'end_time': '2023-11-17T02:35:00Z'},
        handler_for({'task-a': body}),
    )
    assert not result.failed, result
    assert result['missing'] == []
    (entry,) = result['sync_task_statistics']
    assert entry['sync_task_id'] == 'task-a'
    assert entry['statistic_time_type'] == 'FIVE_MINUTES'
    assert entry['statistic_datas'] == body['statistic_datas']
    summary = entry['summary']
    # 113 buckets summing to 1116 (hand count in test_statistics.py); no FAILURE series -> 0 / 1116.
    assert summary['series']['REQUEST'] == {'total': 1116, 'points': 113, 'max': 20, 'first_time_stamp': 1700150400000, 'last_time_stamp': 1700188200000}
    assert summary['failure_ratio'] == 0.0
    assert summary['success_ratio'] is None
    assert summary['bytes_synchronized'] is None
    assert summary['window'] == {'start_time': 1700150400000, 'end_time': NOW, 'start': '2023-11-16T16:00:00.000Z', 'end': '2023-11-17T02:35:00.000Z'}


def test_order_duplicates_and_missing(run_module):
    answers = {'task-a': seed_statistics(), 'task-b': seed_statistics(), 'gone': api_error(404, 'OMS.1009')}
    result, client = run_module(module, {'sync_task_ids': ['task-b', 'gone', 'task-a', 'task-b']}, handler_for(answers))
    assert not result.failed, result
    assert [entry['sync_task_id'] for entry in result['sync_task_statistics']] == ['task-b', 'task-a']
    assert result['missing'] == ['gone']
    assert len(client.calls) == 3


def test_other_error_fails_naming_the_task(run_module):
    answers = {'task-a': seed_statistics(), 'task-b': api_error(400, 'OMS.0064', 'invalid request parameters', 'r-9')}
    result, dummy = run_module(module, {'sync_task_ids': ['task-a', 'task-b']}, handler_for(answers))
    assert result.failed
    assert 'task-b' in result['msg'] and 'OMS.0064' in result['msg']
    assert (result['sync_task_id'], result['status'], result['error_code'], result['request_id']) == ('task-b', 400, 'OMS.0064', 'r-9')


@pytest.mark.parametrize(
    'args, message',
    [
        ({}, 'one of the following is required'),
        ({'sync_task_id': 'a', 'sync_task_ids': ['a']}, 'mutually exclusive'),
        ({'sync_task_id': 'a', 'start_time': 1700000000}, 'start_time: 1700000000 looks like seconds'),
        ({'sync_task_id': 'a', 'end_time': '1700000000'}, 'end_time: 1700000000 looks like seconds'),
        ({'sync_task_id': 'a', 'start_time': 'now', 'end_time': '-1h'}, 'is after end_time'),
        ({'sync_task_id': 'a', 'start_time': '2023-11-16T16:00:00'}, 'no time zone'),
        ({'sync_task_id': 'a', 'start_time': '15m'}, '"-15m"'),
        ({'sync_task_id': 'a', 'data_type': ['REQUEST', 'BYTES']}, 'data_type'),
        ({'sync_task_id': 'a', 'data_type': []}, 'data_type must name at least one'),
        ({'sync_task_ids': ['a', 'x' * 256]}, 'sync_task_ids'),
    ],
)
def test_arguments_are_checked_before_any_request(run_module, args, message):
    result, client = run_module(module, args)
    assert result.failed
    assert message in result['msg']
    assert client.calls == []


def test_malformed_response_warns_and_still_summarises(run_module):
    body = seed_statistics()
    body['statistic_datas'][0]['data'][3]['statistic_num'] = 'x'  # was 12
    del body['statistic_time_type']
    result, dummy = run_module(module, dict(SEED_WINDOW, sync_task_id='task-a'), handler_for({'task-a': body}))
    assert not result.failed, result
    (entry,) = result['sync_task_statistics']
    assert entry['statistic_time_type'] is None
    assert entry['summary']['series']['REQUEST']['total'] == 1116 - 12
    assert entry['summary']['series']['REQUEST']['points'] == 112
    warnings = '\n'.join(result['warnings'])
    assert (
        'sync task task-a: ListSyncTaskStatisticResponse outside the API contract: '
        "statistic_datas[0].data[3].statistic_num: 'x' is not of type 'integer'" in warnings
    )
    assert 'statistic_time_type: is required but absent' in warnings


def test_malformed_response_fails_when_strict(run_module):
    body = seed_statistics()
    body['statistic_datas'][0]['data'][3]['statistic_num'] = 'x'
    result, dummy = run_module(module, {'sync_task_id': 'task-a', 'strict_contract': True}, handler_for({'task-a': body}))
    assert result.failed
    assert 'statistic_datas[0].data[3].statistic_num' in result['msg']
    assert 'task-a' in result['msg']


@pytest.mark.parametrize('body', [{}, None, 'text', {'statistic_datas': None}])
def test_empty_or_wrong_bodies_never_raise(run_module, body):
    result, dummy = run_module(module, {'sync_task_id': 'task-a'}, handler_for({'task-a': body}))
    assert not result.failed, result
    (entry,) = result['sync_task_statistics']
    assert entry['statistic_datas'] == []
    assert entry['summary']['series']['REQUEST'] == {'total': 0, 'points': 0, 'max': None, 'first_time_stamp': None, 'last_time_stamp': None}
    assert result['warnings']


def test_many_violations_are_capped(run_module):
    body = seed_statistics()
    for bucket in body['statistic_datas'][0]['data']:
        bucket['statistic_num'] = str(bucket['statistic_num'])
    result, dummy = run_module(module, {'sync_task_id': 'task-a'}, handler_for({'task-a': body}))
    assert len(result['warnings']) == 11
    assert 'and 103 more violations' in result['warnings'][-1]


def two_series_body():
    return {
        'sync_task_id': 'task-a',
        'statistic_time_type': 'FIVE_MINUTES',
        'statistic_datas': [
            {'data_type': 'REQUEST', 'data': [{'time_stamp': NOW - 600000, 'statistic_num': 10}]},
            {'data_type': 'SIZE', 'data': [{'time_stamp': NOW - 600000, 'statistic_num': 4096}]},
        ],
    }


def test_return_data_types_trims_points_but_not_the_summary(run_module):
    result, client = run_module(
        module, {'sync_task_id': 'task-a', 'data_type': ['REQUEST', 'SIZE'], 'return_data_types': ['REQUEST']}, handler_for({'task-a': two_series_body()})
    )
    assert not result.failed, result
    assert client.calls[0][2]['data_type'] == 'REQUEST,SIZE'
    (entry,) = result['sync_task_statistics']
    assert [series['data_type'] for series in entry['statistic_datas']] == ['REQUEST']
    assert entry['summary']['bytes_synchronized'] == 4096
    assert entry['summary']['series']['SIZE']['total'] == 4096


def test_return_data_types_must_be_queried(run_module):
    result, client = run_module(
        module, {'sync_task_id': 'task-a', 'data_type': ['REQUEST'], 'return_data_types': ['REQUEST', 'SIZE']}, handler_for({'task-a': two_series_body()})
    )
    assert result.failed
    assert 'return_data_types names SIZE, which data_type does not query' in result['msg']
    assert client.calls == []


@pytest.mark.parametrize(
    'window',
    [
        {'start_time': '-4m'},
        {'start_time': 'now'},
        {'start_time': '2023-11-17T02:31:00Z', 'end_time': '2023-11-17T02:35:59.999Z'},
        {'start_time': NOW - 299999, 'end_time': NOW},
    ],
)
def test_a_window_shorter_than_one_bucket_is_refused_before_any_request(run_module, window):
    result, client = run_module(module, dict(window, sync_task_id='task-a'))
    assert result.failed
    assert 'shorter than one statistics bucket: the smallest window is 5 minutes (300000 ms)' in result['msg'], result['msg']
    assert 'start_time: -5m' in result['msg']
    assert client.calls == []


def test_one_bucket_is_the_smallest_window(run_module):
    result, client = run_module(module, {'sync_task_id': 'task-a', 'start_time': '-5m'}, handler_for({'task-a': two_series_body()}))
    assert not result.failed, result
    assert client.calls[0][2]['start_time'] == NOW - 300000


def test_an_answer_naming_another_task_is_an_error_for_the_asked_id(run_module):
    # The seed example's body names 4fb05cd2-...; it is never task-a's statistics, nor "not found".
    foreign = seed_statistics()
    answers = {'task-a': foreign, 'task-b': seed_statistics()}
    result, dummy = run_module(module, dict(SEED_WINDOW, sync_task_ids=['task-a', 'task-b']), handler_for(answers, own_id=False))
    assert result.failed
    assert result['sync_task_statistics'] == [] and result['missing'] == []
    assert [entry['id'] for entry in result['errors']] == ['task-a', 'task-b']
    entry = result['errors'][0]
    assert (entry['status'], entry['error_code'], entry['attempted']) == (200, 'ForeignId', True)
    assert entry['request_id']
    assert "is about sync task '4fb05cd2-c94e-44e4-a07f-e65a2f01ebcb' (field sync_task_id), not the sync task asked" in entry['message']
    assert 'Could not read statistics of sync task task-a' in result['msg']


@pytest.mark.parametrize('named', [None, 7, 'TASK-A', 'task-a '])
def test_any_other_sync_task_id_is_another_task(run_module, named):
    body = dict(seed_statistics(), sync_task_id=named)
    answers = {'task-a': body, 'task-b': seed_statistics()}
    result, dummy = run_module(module, dict(SEED_WINDOW, sync_task_ids=['task-a', 'task-b']), handler_for(answers, own_id=False))
    assert result.failed
    assert [entry['id'] for entry in result['errors']] == ['task-a', 'task-b']


def test_only_the_lying_answer_is_refused(run_module):
    # task-a is answered with task-b's statistics: task-a is an error, task-b is read.
    def handler(path, params, query):
        body = seed_statistics()
        body['sync_task_id'] = 'task-b' if params['sync_task_id'] == 'task-a' else params['sync_task_id']
        return body

    result, dummy = run_module(module, dict(SEED_WINDOW, sync_task_ids=['task-a', 'task-b']), handler)
    assert result.failed
    assert [entry['id'] for entry in result['errors']] == ['task-a']
    assert [entry['sync_task_id'] for entry in result['sync_task_statistics']] == ['task-b']
    assert result['sync_task_statistics'][0]['summary']['series']['REQUEST']['total'] == 1116


def test_buckets_outside_the_window_are_returned_but_not_counted(run_module):
    body = two_series_body()
    body['statistic_datas'][0]['data'] += [{'time_stamp': NOW - 5 * HOUR, 'statistic_num': 1000}, {'time_stamp': NOW + 24 * HOUR, 'statistic_num': 2000}]
    result, dummy = run_module(module, {'sync_task_id': 'task-a', 'data_type': ['REQUEST', 'SIZE']}, handler_for({'task-a': body}))
    assert not result.failed, result
    (entry,) = result['sync_task_statistics']
    assert len(entry['statistic_datas'][0]['data']) == 3
    assert entry['summary']['series']['REQUEST']['total'] == 10
    assert entry['summary']['complete'] is True
