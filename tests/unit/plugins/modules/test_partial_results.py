# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Partial results, fail fast and complete windows, through the modules' main() with a fake client."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from module_runner import run_module  # noqa: F401  pylint: disable=unused-import

from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError
from ansible_collections.hwcloud.migration.plugins.module_utils._reads import sync_tasks as sync_reads
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.base import FAIL_FAST_AFTER
from ansible_collections.hwcloud.migration.plugins.modules import modelarts_dataset_sync_info as dataset_module
from ansible_collections.hwcloud.migration.plugins.modules import oms_sync_task_info as task_module
from ansible_collections.hwcloud.migration.plugins.modules import oms_sync_task_statistics_info as stats_module

NOW = 1700188500000
FIVE = 300000
DAY = 86400000


def unavailable(request_id):
    return HuaweiCloudError(
        'The service is temporarily unavailable.', status=503, code='OMS.2004', request_id=request_id, method='GET', url='https://oms.example/x'
    )


def task_body(task_id):
    return {
        'sync_task_id': task_id,
        'status': 'SYNCHRONIZING',
        'monthly_acceptance_request': 10,
        'monthly_failure_object': 0,
        'monthly_success_object': 10,
        'monthly_skip_object': 0,
        'monthly_size': 1,
    }


def test_failed_ids_fail_the_task_but_the_result_keeps_every_outcome(run_module):
    def handler(path, params, query):
        task_id = params['sync_task_id']
        if task_id == 'bad':
            return unavailable('rid-bad')
        if task_id == 'gone':
            return HuaweiCloudError('no such task', status=404, code='OMS.1009')
        return task_body(task_id)

    result, dummy = run_module(task_module, {'sync_task_ids': ['a', 'bad', 'gone', 'b']}, handler)
    assert result.failed
    assert [task['sync_task_id'] for task in result['sync_tasks']] == ['a', 'b']
    assert result['missing'] == ['gone'] and result['complete'] is False
    assert result['errors'] == [
        {'id': 'bad', 'status': 503, 'error_code': 'OMS.2004', 'request_id': 'rid-bad', 'message': str(unavailable('rid-bad')), 'attempted': True}
    ]
    # The first failure's details stay at the top, as before partial results.
    assert result['status'] == 503 and result['error_code'] == 'OMS.2004' and result['sync_task_id'] == 'bad'
    assert result['msg'].startswith('Could not read sync task bad: ') and 'request id rid-bad' in result['msg']


def test_a_dead_service_stops_the_reads_early(run_module):
    ids = ['task-%02d' % index for index in range(40)]
    result, client = run_module(task_module, {'sync_task_ids': ids}, lambda path, params, query: unavailable('rid'), max_concurrency=1)
    assert result.failed
    assert len(client.calls) == FAIL_FAST_AFTER
    assert [entry['id'] for entry in result['errors']] == ids
    assert [entry['attempted'] for entry in result['errors']] == [True] * FAIL_FAST_AFTER + [False] * 35
    assert '35 not attempted after %d server failures in a row (fail fast)' % FAIL_FAST_AFTER in result['msg']


def test_dataset_wait_stops_at_a_failed_read(run_module):
    calls = []

    def handler(path, params, query):
        calls.append(params['dataset_id'])
        if params['dataset_id'] == 'broken':
            return unavailable('rid-ds')
        return {'dataset_id': params['dataset_id'], 'status': 'RUNNING'}

    result, dummy = run_module(dataset_module, {'dataset_ids': ['running', 'broken'], 'wait': True, 'wait_timeout': 3600, 'wait_sleep': 1}, handler)
    assert result.failed and sorted(calls) == ['broken', 'running']
    assert [sync['dataset_id'] for sync in result['dataset_syncs']] == ['running']
    assert result['errors'][0]['id'] == 'broken'


def test_dataset_status_the_checks_cannot_use_is_a_problem(run_module):
    answers = {'ok': {'status': 'COMPLETED'}, 'odd': {'status': 'DONE'}, 'none': {'status': None}}
    result, dummy = run_module(dataset_module, {'dataset_ids': ['ok', 'odd', 'none']}, lambda path, params, query: answers[params['dataset_id']])
    assert not result.failed and result['complete'] is False
    found = [(problem['id'], problem['field']) for problem in result['problems']]
    assert found == [('none', 'status'), ('odd', 'status')]


def test_monthly_counters_that_are_not_numbers_are_problems(run_module):
    body = task_body('a')
    body['monthly_failure_object'] = 'many'
    result, dummy = run_module(task_module, {'sync_task_id': 'a'}, lambda path, params, query: dict(body))
    assert not result.failed and result['complete'] is False
    assert result['problems'] == [{'id': 'a', 'field': 'monthly_failure_object', 'message': "monthly_failure_object is 'many', not an integer of 0 or more"}]
    assert result['sync_tasks'] == [body]  # the API's fields unchanged


# -- statistics over a long window ---------------------------------------------------------


class CappedStatistics:
    """A statistics API holding one REQUEST bucket of value 2 every five minutes, answering at most ``cap`` points."""

    def __init__(self, cap=1000):
        self.cap = cap  # the API's documented maximum

    def __call__(self, path, params, query):
        start, end = query['start_time'], query['end_time']
        stamps = list(range(start - start % FIVE, end + 1, FIVE))[-self.cap :]
        return {
            'sync_task_id': params['sync_task_id'],
            'statistic_time_type': 'FIVE_MINUTES',
            'statistic_datas': [{'data_type': 'REQUEST', 'data': [{'time_stamp': stamp, 'statistic_num': 2} for stamp in stamps]}],
        }


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    monkeypatch.setattr(sync_reads, 'now_ms', lambda: NOW)


def test_a_long_window_is_read_in_parts_and_complete(run_module):
    result, client = run_module(stats_module, {'sync_task_ids': ['a', 'b'], 'data_type': ['REQUEST'], 'start_time': '-7d'}, CappedStatistics())
    assert not result.failed, result
    buckets = (NOW - (NOW - 7 * DAY) // FIVE * FIVE) // FIVE + 1
    for entry in result['sync_task_statistics']:
        summary = entry['summary']
        assert summary['complete'] is True, summary
        assert summary['series']['REQUEST'] == {
            'total': 2 * buckets,
            'points': buckets,
            'max': 2,
            'first_time_stamp': (NOW - 7 * DAY) // FIVE * FIVE,
            'last_time_stamp': NOW // FIVE * FIVE,
        }
        assert len(entry['statistic_datas'][0]['data']) == buckets
    assert len(client.calls) == 2 * (1 + 3)
    assert result['complete'] is True


def test_a_window_that_cannot_be_completed_says_so(run_module):
    # An API that always answers with the maximum of points, however short the window:
    # splitting never helps, and stops after a bounded number of rounds.
    def always_full(path, params, query):
        return {
            'statistic_time_type': 'FIVE_MINUTES',
            'statistic_datas': [{'data_type': 'REQUEST', 'data': [{'time_stamp': index, 'statistic_num': 1} for index in range(1000)]}],
        }

    result, client = run_module(stats_module, {'sync_task_id': 'a', 'data_type': ['REQUEST'], 'start_time': '-1d'}, always_full)
    assert len(client.calls) == 1 + 2 + 4 + 8 + 16
    assert not result.failed
    summary = result['sync_task_statistics'][0]['summary']
    assert summary['complete'] is False and result['complete'] is False
    assert any('could not be read completely' in line for line in summary['problems'])


def test_a_failed_part_fails_the_task_with_its_error(run_module):
    capped = CappedStatistics()

    def handler(path, params, query):
        if query['start_time'] != NOW - 7 * DAY:  # a part, not the first read
            return unavailable('rid-part')
        return capped(path, params, query)

    result, dummy = run_module(stats_module, {'sync_task_id': 'a', 'data_type': ['REQUEST'], 'start_time': '-7d'}, handler)
    assert result.failed and result['sync_task_statistics'] == []
    assert result['errors'][0]['id'] == 'a' and result['errors'][0]['request_id'] == 'rid-part'


def test_validate_certs_false_adds_a_warning(run_module):
    result, dummy = run_module(task_module, {'sync_task_id': 'a', 'validate_certs': False}, lambda path, params, query: task_body('a'))
    assert not result.failed
    assert any('validate_certs is false' in warning and 'ca_path' in warning for warning in result['warnings'])


def test_region_that_is_not_a_host_label_fails_before_any_request(run_module):
    result, client = run_module(task_module, {'sync_task_id': 'a', 'region': 'evil.example.com/'}, lambda path, params, query: task_body('a'))
    assert result.failed and 'region must be a region id' in result['msg'] and client.calls == []
