# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from module_runner import run_module  # noqa: F401  pylint: disable=unused-import

from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError
from ansible_collections.hwcloud.migration.plugins.module_utils._reads import datasets as dataset_reads
from ansible_collections.hwcloud.migration.plugins.modules import modelarts_dataset_sync_info as module


def api_error(status, code, message='error', request_id='req-err-1'):
    """The exception the real client raises for an error answer."""
    return HuaweiCloudError(
        message,
        status=status,
        code=code,
        request_id=request_id,
        method='GET',
        url='https://modelarts.cn-north-4.myhuaweicloud.com/v2/p/datasets/x/sync-data/status',
    )


class FakeTime:
    """Stands in for the module's ``time``: the clock moves only when the module sleeps."""

    def __init__(self):
        self.now = 100.0
        self.sleeps = []

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    fake = FakeTime()
    monkeypatch.setattr(dataset_reads, 'time', fake)
    return fake


def scripted(script):
    """Answer each dataset from its list of answers in turn (the last one repeats)."""
    reads = {}

    def handler(path, params, query):
        assert path == dataset_reads.STATUS_PATH
        assert query == {}
        dataset_id = params['dataset_id']
        answers = script[dataset_id]
        index = min(reads.get(dataset_id, 0), len(answers) - 1)
        reads[dataset_id] = reads.get(dataset_id, 0) + 1
        return answers[index]

    handler.reads = reads
    return handler


def test_seed_example_gets_finished_and_succeeded(run_module):
    body = {'status': 'COMPLETED', 'dataset_id': 'gfghHSokody6AJigS5A'}
    result, dummy = run_module(module, {'dataset_id': 'gfghHSokody6AJigS5A'}, scripted({'gfghHSokody6AJigS5A': [body]}))
    assert not result.failed, result
    assert result['dataset_syncs'] == [dict(body, finished=True, succeeded=True)]
    assert result['missing'] == []
    assert result['changed'] is False


def test_dataset_id_is_filled_in_only_when_absent(run_module):
    script = {
        'ds-a': [{'status': 'RUNNING'}],
        'ds-b': [{'status': 'FAILED', 'dataset_id': None, 'error_code': 'ModelArts.4360', 'error_msg': 'sync error'}],
        'ds-c': [{'status': 'NOT_EXIST', 'dataset_id': 'ds-c'}],
    }
    result, dummy = run_module(module, {'dataset_ids': ['ds-a', 'ds-b', 'ds-c']}, scripted(script))
    assert result['dataset_syncs'] == [
        {'status': 'RUNNING', 'dataset_id': 'ds-a', 'finished': False, 'succeeded': False},
        {'status': 'FAILED', 'dataset_id': 'ds-b', 'error_code': 'ModelArts.4360', 'error_msg': 'sync error', 'finished': True, 'succeeded': False},
        {'status': 'NOT_EXIST', 'dataset_id': 'ds-c', 'finished': True, 'succeeded': False},
    ]
    # absent optional fields are not invented
    assert 'task_id' not in result['dataset_syncs'][0]


@pytest.mark.parametrize(
    'error',
    [
        api_error(400, 'ModelArts.4352', 'dataset does not exist'),
        api_error(400, 'ModelArts.4338', 'resource does not exist'),
        api_error(404, 'ModelArts.6623', 'dataset must exist'),
    ],
)
def test_not_found_goes_to_missing(run_module, error):
    script = {'ds-a': [{'status': 'COMPLETED'}], 'gone': [error]}
    result, dummy = run_module(module, {'dataset_ids': ['gone', 'ds-a', 'gone']}, scripted(script))
    assert not result.failed, result
    assert result['missing'] == ['gone']
    assert [sync['dataset_id'] for sync in result['dataset_syncs']] == ['ds-a']


@pytest.mark.parametrize(
    'error',
    [
        api_error(500, 'ModelArts.4360', 'sync error', 'req-5'),
        api_error(403, 'ModelArts.4336', 'no permission', 'req-5'),
        api_error(404, 'APIGW.0101', 'The API does not exist', 'req-5'),
        # A bare 404 (no service code) may come from any proxy: it says nothing about the dataset.
        api_error(404, None, 'Not Found', 'req-5'),
    ],
)
def test_other_errors_fail_naming_the_dataset(run_module, error):
    script = {'ds-a': [{'status': 'COMPLETED'}], 'ds-bad': [error]}
    result, dummy = run_module(module, {'dataset_ids': ['ds-a', 'ds-bad']}, scripted(script))
    assert result.failed
    assert 'ds-bad' in result['msg']
    assert (result['dataset_id'], result['status'], result['error_code'], result['request_id']) == ('ds-bad', error.status, error.code, 'req-5')


def test_input_order_and_duplicates(run_module):
    script = {name: [{'status': 'COMPLETED'}] for name in ('ds-1', 'ds-2', 'ds-3')}
    handler = scripted(script)
    result, client = run_module(module, {'dataset_ids': ['ds-3', 'ds-1', 'ds-3', 'ds-2', 'ds-1']}, handler)
    assert [sync['dataset_id'] for sync in result['dataset_syncs']] == ['ds-3', 'ds-1', 'ds-2']
    assert handler.reads == {'ds-1': 1, 'ds-2': 1, 'ds-3': 1}


def test_without_wait_reads_once(run_module, clock):
    handler = scripted({'ds-a': [{'status': 'RUNNING'}, {'status': 'COMPLETED'}]})
    result, dummy = run_module(module, {'dataset_id': 'ds-a'}, handler)
    assert result['dataset_syncs'][0]['finished'] is False
    assert handler.reads == {'ds-a': 1}
    assert clock.sleeps == []


def test_wait_polls_only_unfinished_datasets(run_module, clock):
    script = {
        'ds-done': [{'status': 'COMPLETED'}],
        'ds-slow': [{'status': 'QUEUING'}, {'status': 'RUNNING'}, {'status': 'COMPLETED', 'total_sample_count': 7}],
        'ds-fail': [{'status': 'STARTING'}, {'status': 'FAILED'}],
    }
    handler = scripted(script)
    result, dummy = run_module(module, {'dataset_ids': ['ds-done', 'ds-slow', 'ds-fail'], 'wait': True, 'wait_sleep': 5}, handler)
    assert not result.failed, result
    assert handler.reads == {'ds-done': 1, 'ds-slow': 3, 'ds-fail': 2}
    assert clock.sleeps == [5, 5]
    assert [(sync['dataset_id'], sync['status'], sync['succeeded']) for sync in result['dataset_syncs']] == [
        ('ds-done', 'COMPLETED', True),
        ('ds-slow', 'COMPLETED', True),
        ('ds-fail', 'FAILED', False),
    ]
    assert result['dataset_syncs'][1]['total_sample_count'] == 7


def test_wait_moves_a_dataset_deleted_meanwhile_to_missing(run_module, clock):
    script = {'ds-a': [{'status': 'RUNNING'}, api_error(400, 'ModelArts.4352')], 'ds-b': [{'status': 'COMPLETED'}]}
    result, dummy = run_module(module, {'dataset_ids': ['ds-a', 'ds-b'], 'wait': True}, scripted(script))
    assert not result.failed, result
    assert result['missing'] == ['ds-a']
    assert [sync['dataset_id'] for sync in result['dataset_syncs']] == ['ds-b']


def test_wait_timeout_fails_with_each_last_status(run_module, clock):
    script = {
        'ds-stuck': [{'status': 'RUNNING'}],
        'ds-queued': [{'status': 'QUEUING'}],
        'ds-done': [{'status': 'COMPLETED'}],
        'gone': [api_error(404, 'ModelArts.6623')],
    }
    result, dummy = run_module(
        module, {'dataset_ids': ['ds-stuck', 'ds-queued', 'ds-done', 'gone'], 'wait': True, 'wait_timeout': 25, 'wait_sleep': 10}, scripted(script)
    )
    assert result.failed
    assert 'Timed out after 25 seconds' in result['msg']
    assert 'ds-stuck RUNNING' in result['msg']
    assert 'ds-queued QUEUING' in result['msg']
    assert 'ds-done COMPLETED' in result['msg']
    assert 'gone not found' in result['msg']
    # the last sleep is cut to the time left
    assert clock.sleeps == [10, 10, 5]
    assert [sync['dataset_id'] for sync in result['dataset_syncs']] == ['ds-stuck', 'ds-queued', 'ds-done']
    assert result['missing'] == ['gone']


def test_wait_with_everything_finished_does_not_sleep(run_module, clock):
    result, dummy = run_module(module, {'dataset_id': 'ds-a', 'wait': True}, scripted({'ds-a': [{'status': 'FAILED'}]}))
    assert not result.failed, result
    assert clock.sleeps == []


@pytest.mark.parametrize(
    'args, message',
    [
        ({}, 'one of the following is required'),
        ({'dataset_id': 'a', 'dataset_ids': ['b']}, 'mutually exclusive'),
        ({'dataset_id': 'a', 'wait_sleep': 0}, 'wait_sleep'),
        ({'dataset_id': 'a', 'wait_timeout': -1}, 'wait_timeout'),
        ({'dataset_ids': ['..']}, 'dataset_ids'),
    ],
)
def test_arguments_are_checked_before_any_request(run_module, args, message):
    result, client = run_module(module, args)
    assert result.failed
    assert message in result['msg']
    assert client.calls == []


def test_contract_violation_warns_once_across_polls(run_module, clock):
    script = {
        'ds-a': [
            {'status': 'RUNNING', 'total_sample_count': 'many'},
            {'status': 'RUNNING', 'total_sample_count': 'many'},
            {'status': 'COMPLETED', 'total_sample_count': 'many'},
        ]
    }
    result, dummy = run_module(module, {'dataset_id': 'ds-a', 'wait': True}, scripted(script))
    assert not result.failed, result
    matching = [warning for warning in result['warnings'] if 'total_sample_count' in warning]
    assert len(matching) == 1
    assert matching[0].startswith('dataset ds-a: ShowDatasetSyncStatusResponse outside the API contract')


def test_unknown_status_is_a_contract_violation_and_not_finished(run_module):
    result, dummy = run_module(module, {'dataset_id': 'ds-a', 'strict_contract': True}, scripted({'ds-a': [{'status': 'PAUSED'}]}))
    assert result.failed
    assert "status: 'PAUSED' is not one of" in result['msg']


def test_body_without_status(run_module):
    result, dummy = run_module(module, {'dataset_id': 'ds-a'}, scripted({'ds-a': [{}]}))
    assert not result.failed, result
    assert result['dataset_syncs'] == [{'dataset_id': 'ds-a', 'finished': False, 'succeeded': False}]
    assert any('status: is required but absent' in warning for warning in result['warnings'])
