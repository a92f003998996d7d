# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""migration_state_info: five reads in one call, each ending as its own module would."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading
import time

import pytest
from module_runner import CREDENTIALS, FakeClient, run_module  # noqa: F401  pylint: disable=unused-import

from ansible_collections.hwcloud.migration.plugins.module_utils._api.client import HuaweiCloudClient
from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError
from ansible_collections.hwcloud.migration.plugins.module_utils._reads import bundle as _state
from ansible_collections.hwcloud.migration.plugins.module_utils._reads import failed_objects as _failed_objects
from ansible_collections.hwcloud.migration.plugins.module_utils._reads import migration as _reads_migration
from ansible_collections.hwcloud.migration.plugins.module_utils._reads import sync_tasks as _reads_sync
from ansible_collections.hwcloud.migration.plugins.modules import migration_state_info as module

NOW = 1700150400000
TASKS = {
    'task-a': {'sync_task_id': 'task-a', 'status': 'SYNCHRONIZING', 'monthly_acceptance_request': 10, 'monthly_failure_object': 0},
    'task-b': {'sync_task_id': 'task-b', 'status': 'STOPPED', 'monthly_acceptance_request': 5, 'monthly_failure_object': 1},
}
STATISTICS = {'statistic_time_type': 'FIVE_MINUTES', 'statistic_datas': [{'data_type': 'REQUEST', 'data': [{'time_stamp': NOW - 60000, 'statistic_num': 3}]}]}
MIGRATION_TASK = {
    'id': 1001,
    'name': 'copy',
    'status': 5,
    'progress': 1.0,
    'left_time': 0,
    'failed_num': 0,
    'total_num': 10,
    'error_reason': None,
    'failed_object_record': None,
}
GROUP = {'group_id': 'group-1', 'status': 6, 'total_size': 10, 'complete_size': 10, 'migrate_speed': 0, 'failed_task_num': 0, 'fail_num': 0}


def api_error(status, code):
    return HuaweiCloudError('HTTP %d %s' % (status, code), status=status, code=code, request_id='req-err', method='GET', url='https://example.invalid/x')


def handler(overrides=None):
    """The fake API: sync tasks, their statistics, dataset syncs, migration tasks and groups."""
    overrides = overrides or {}

    def answer(path, params, query):
        if path in overrides:
            return overrides[path](params, query)
        if path == _reads_sync.LIST_PATH:
            return {'count': len(TASKS), 'tasks': [{'sync_task_id': task_id, 'status': task['status']} for task_id, task in TASKS.items()]}
        if path == _reads_sync.SHOW_PATH:
            return TASKS.get(params['sync_task_id']) or api_error(404, 'OMS.1009')
        if path == _reads_sync.STATISTICS_PATH:
            return STATISTICS
        if path == _reads_migration.TASK_SHOW_PATH:
            return dict(MIGRATION_TASK, id=int(params['task_id']))
        if path == _reads_migration.GROUP_SHOW_PATH:
            return dict(GROUP, group_id=params['group_id'])
        if path.endswith('/sync-data/status'):
            return {'dataset_id': params['dataset_id'], 'status': 'COMPLETED'}
        return AssertionError('unexpected request %s' % path)

    return answer


@pytest.fixture
def run_state(run_module, monkeypatch):
    """``run_state(args, handler)`` -> (result, FakeClient): the module with both services on one fake client."""
    monkeypatch.setattr(_reads_sync, 'now_ms', lambda: NOW)
    monkeypatch.setattr(_reads_migration, 'now_ms', lambda: NOW)
    clients = []

    def fake_client(params, service, user_agent=None, limiter=None, secrets=None):
        client = clients[0]
        client.auth = None  # the fake signs nothing
        client.for_service = lambda other, limiter=None: client
        return client

    def run(args, answer=None):
        original = FakeClient.__init__

        def remember(self, *a, **k):
            original(self, *a, **k)
            clients[:] = [self]

        monkeypatch.setattr(FakeClient, '__init__', remember)
        monkeypatch.setattr(_state, 'HuaweiCloudClient', fake_client)
        return run_module(module, args, answer or handler())

    return run


ALL_READS = {
    'sync_task_info': {'details': True},
    'sync_task_statistics_info': {'data_type': ['REQUEST'], 'start_time': '-1h'},
    'dataset_sync_info': {'dataset_ids': ['ds-1']},
    'migration_task_info': {'task_ids': [1001, '1002']},
    'task_group_info': {'group_ids': ['group-1']},
}


def test_every_read_in_one_call_each_result_under_its_name(run_state):
    result, client = run_state(ALL_READS)
    assert not result.failed, result
    assert result['complete'] is True and result['problems'] == []
    assert [task['sync_task_id'] for task in result['sync_task_info']['sync_tasks']] == ['task-a', 'task-b']
    # Without ids the statistics are read for the tasks the listing found.
    assert [entry['sync_task_id'] for entry in result['sync_task_statistics_info']['sync_task_statistics']] == ['task-a', 'task-b']
    assert result['sync_task_statistics_info']['sync_task_statistics'][0]['summary']['series']['REQUEST']['total'] == 3
    assert [entry['dataset_id'] for entry in result['dataset_sync_info']['dataset_syncs']] == ['ds-1']
    assert [task['id'] for task in result['migration_task_info']['migration_tasks']] == [1001, 1002]
    assert result['migration_task_info']['migration_tasks'][0]['summary']['status_name'] == 'succeeded'
    assert [group['group_id'] for group in result['task_group_info']['task_groups']] == ['group-1']
    for name in ALL_READS:
        assert result[name]['complete'] is True and 'changed' not in result[name], name
    assert 'failed_objects_info' not in result  # a part left out is not read
    paths = [call[0] for call in client.calls]
    assert paths.count(_reads_sync.STATISTICS_PATH) == 2 and paths.count(_reads_sync.LIST_PATH) == 1


def test_a_read_left_out_is_not_made(run_state):
    result, client = run_state({'task_group_info': {'group_id': 'group-1'}})
    assert not result.failed
    assert [name for name in _state.MODULE_OF if name in result] == ['task_group_info']
    assert [call[0] for call in client.calls] == [_reads_migration.GROUP_SHOW_PATH]


def test_named_statistics_do_not_wait_for_the_listing(run_state):
    result, client = run_state({'sync_task_info': {'sync_task_ids': ['task-a']}, 'sync_task_statistics_info': {'sync_task_ids': ['task-b']}})
    assert not result.failed
    assert [entry['sync_task_id'] for entry in result['sync_task_statistics_info']['sync_task_statistics']] == ['task-b']
    assert _reads_sync.LIST_PATH not in [call[0] for call in client.calls]


def test_statistics_of_an_empty_listing_are_not_read(run_state):
    empty = {_reads_sync.LIST_PATH: lambda params, query: {'count': 0, 'tasks': []}}
    result, client = run_state({'sync_task_info': {'details': True}, 'sync_task_statistics_info': {}}, handler(empty))
    assert not result.failed
    assert result['sync_task_info']['sync_tasks'] == [] and 'sync_task_statistics_info' not in result
    assert [call[0] for call in client.calls] == [_reads_sync.LIST_PATH]


def test_one_read_failing_keeps_every_other_result(run_state):
    failing = {_reads_migration.GROUP_SHOW_PATH: lambda params, query: api_error(503, 'OMS.0010')}
    result, client = run_state(ALL_READS, handler(failing))
    assert result.failed
    assert result['complete'] is False
    assert result['msg'].startswith('Could not read everything (task_group_info)')
    groups = result['task_group_info']
    assert groups['failed'] is True and groups['task_groups'] == []
    assert groups['errors'][0]['id'] == 'group-1' and groups['errors'][0]['error_code'] == 'OMS.0010' and groups['errors'][0]['request_id'] == 'req-err'
    # The other reads ended as usual.
    assert [task['id'] for task in result['migration_task_info']['migration_tasks']] == [1001, 1002]
    assert len(result['sync_task_statistics_info']['sync_task_statistics']) == 2
    assert not any(result[name].get('failed') for name in ALL_READS if name != 'task_group_info')


def test_a_failed_listing_fails_its_read_and_leaves_the_statistics_unread(run_state):
    failing = {_reads_sync.LIST_PATH: lambda params, query: api_error(500, 'OMS.0001')}
    result, client = run_state(ALL_READS, handler(failing))
    assert result.failed
    assert result['sync_task_info']['failed'] is True and 'Could not list sync tasks' in result['sync_task_info']['msg']
    assert 'sync_task_statistics_info' not in result
    assert result['dataset_sync_info']['complete'] is True


def test_problems_of_every_read_name_their_read(run_state):
    broken = {_reads_migration.TASK_SHOW_PATH: lambda params, query: dict(MIGRATION_TASK, id=int(params['task_id']), left_time='soon')}
    result, client = run_state({'migration_task_info': {'task_ids': [1001]}, 'task_group_info': {'group_ids': ['group-1']}}, handler(broken))
    assert not result.failed
    assert result['complete'] is False
    assert result['problems'] == [dict(result['migration_task_info']['problems'][0], read='migration_task_info')]
    assert result['problems'][0]['field'] == 'left_time'


@pytest.mark.parametrize(
    'reads, message',
    [
        ({'migration_task_info': {'task_ids': ['abc']}}, 'migration_task_info: task_ids must be a migration task id'),
        ({'sync_task_statistics_info': {'start_time': 'yesterday'}, 'sync_task_info': {}}, 'sync_task_statistics_info: '),
        ({'task_group_info': {'group_ids': ['a/b'], 'region': 'cn-north-1'}}, 'task_group_info.region'),
        ({'sync_task_statistics_info': {'start_time': '-1h'}}, 'sync_task_statistics_info: one of the following is required: sync_task_id, sync_task_ids'),
        ({'dataset_sync_info': {'dataset_ids': ['ds-1'], 'wait': 'perhaps'}}, "found in 'dataset_sync_info'"),
        ({}, 'name at least one read'),
    ],
)
def test_every_read_is_checked_before_any_request(run_state, reads, message):
    # The other reads are valid: nothing of theirs is sent either.
    args = dict({'task_group_info': {'group_ids': ['group-1']}} if reads else {}, **reads)
    result, client = run_state(args)
    assert result.failed
    assert message in result['msg'], result['msg']
    assert client.calls == []


def test_clients_of_two_services_share_one_project_lookup_and_one_bound(fake_server):
    lock = threading.Lock()
    state = {'in_flight': 0, 'most': 0, 'iam': 0}

    def answer(request):
        if request.path.startswith('/v3/projects'):
            with lock:
                state['iam'] += 1
            return 200, {}, {'projects': [{'id': 'p1', 'name': 'cn-north-4'}]}
        with lock:
            state['in_flight'] += 1
            state['most'] = max(state['most'], state['in_flight'])
        time.sleep(0.02)
        with lock:
            state['in_flight'] -= 1
        return 200, {}, {'path': request.path}

    fake_server.handler = answer
    params = dict(CREDENTIALS, project_id=None, endpoint=fake_server.url, iam_endpoint=fake_server.url, max_concurrency=3)
    limiter = threading.BoundedSemaphore(3)
    oms = HuaweiCloudClient(params, 'oms', limiter=limiter)
    modelarts = oms.for_service('modelarts', limiter=limiter)
    assert modelarts.session is oms.session and modelarts.auth is oms.auth

    def read_nine(client):
        client.fetch_many(lambda n: client.get_json('/v2/{project_id}/x/{n}', path_params={'n': str(n)}), range(9))

    threads = [threading.Thread(target=read_nine, args=(client,)) for client in (oms, modelarts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    # Each client alone would have had 3 requests in flight: together they stay at 3.
    assert state['most'] == 3
    assert state['iam'] == 1
    assert modelarts.project_id == oms.project_id == 'p1'


def test_a_shared_token_may_be_renewed_once_per_read(monkeypatch):
    from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

    from ansible_collections.hwcloud.migration.plugins.module_utils._api.auth import PasswordAuth

    # The parts as the module's argument spec hands them over: typed, with their defaults.
    parts = ArgumentSpecValidator(_state.argument_spec()).validate(
        dict(sync_task_info={}, task_group_info={'group_id': 'group-1'}, dataset_sync_info={'dataset_id': 'ds-1'})
    )
    assert not parts.error_messages

    class Owner:
        check_mode = False
        user_agent = 'test'
        params = dict(
            CREDENTIALS,
            access_key=None,
            secret_key=None,
            username='user',
            password='secret',
            domain_name='domain',
            max_concurrency=4,
            **parts.validated_parameters,
        )

        def fail_json(self, **kwargs):
            raise AssertionError(kwargs)

    reads = _state.StateRead(Owner())
    reads.check_options()
    clients = reads.clients()
    assert isinstance(clients['oms'].auth, PasswordAuth)
    assert clients['modelarts'].auth is clients['oms'].auth
    assert clients['oms'].auth.max_renewals == 3
    assert PasswordAuth.MAX_RENEWALS == 1


def test_failed_objects_without_ids_read_the_failing_subjects_of_the_other_parts_only(run_state, monkeypatch):
    # Nothing failed: no subject has a list to read, and no OMS request is repeated for it.
    obs_clients = []
    monkeypatch.setattr(_failed_objects, 'ObsClient', lambda api, **keys: obs_clients.append(keys) or object())
    args = {'migration_task_info': {'task_ids': [1001]}, 'task_group_info': {'group_ids': ['group-1']}, 'failed_objects_info': {'max_objects': 5}}
    result, client = run_state(args)
    assert not result.failed, result.get('msg')
    part = result['failed_objects_info']
    assert part['failed_objects'] == [] and part['missing'] == [] and part['complete'] is True
    paths = [call[0] for call in client.calls]
    assert paths.count(_reads_migration.TASK_SHOW_PATH) == 1 and paths.count(_reads_migration.GROUP_SHOW_PATH) == 1
    assert len(obs_clients) == 1 and obs_clients[0]['access_key'] == CREDENTIALS['access_key']


def test_failing_subjects_are_chosen_from_the_parts_results():
    results = {
        'migration_task_info': {'migration_tasks': [dict(MIGRATION_TASK, failed_num=2), dict(MIGRATION_TASK, id=1002)]},
        'task_group_info': {'task_groups': [dict(GROUP, fail_num=None)]},
        'sync_task_info': {'sync_tasks': list(TASKS.values())},
    }
    known = _state.failing_subjects(results)
    assert sorted(known) == ['migration_task', 'sync_task', 'task_group']
    assert list(known['migration_task']) == [1001] and list(known['task_group']) == ['group-1'] and list(known['sync_task']) == ['task-b']
