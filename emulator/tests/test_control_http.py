"""The control API: health, reset, task and dataset changes, the request log."""

import json
import time

from conftest import PROJECT, task_path

LIST = '/v2/%s/sync-tasks' % PROJECT


def test_health(emu):
    body = emu.control('GET', 'health').json()
    assert body['status'] == 'ok' and body['sync_tasks'] == 4 and body['datasets'] == 8
    assert body['projects'][0] == PROJECT


def test_change_task_status_and_fields(emu):
    response = emu.control('POST', 'sync-tasks/task-healthy', {'status': 'STOPPED', 'description': 'paused'})
    assert response.status_code == 200
    stopped = emu.get(LIST, {'status': 'STOPPED'}).json()
    assert {t['sync_task_id'] for t in stopped['tasks']} == {'task-healthy', 'task-stopped'}
    show = emu.get(task_path('task-healthy'), {'query_time': '1'}).json()
    assert show['description'] == 'paused' and show['status'] == 'STOPPED'


def test_create_task_with_series(emu):
    emu.control('POST', 'sync-tasks/new-task', {'series': {'start': '-1h', 'rates': {'request': 10}}})
    assert emu.get(LIST).json()['count'] == 4
    now = int(time.time() * 1000)
    body = emu.get(task_path('new-task', suffix='/statistics'), {'data_type': 'REQUEST', 'start_time': now - 7200000, 'end_time': now}).json()
    assert 11 <= len(body['statistic_datas'][0]['data']) <= 13


def test_invalid_task_change_is_refused(emu):
    response = emu.control('POST', 'sync-tasks/task-healthy', {'bogus_field': 1})
    assert response.status_code == 400
    assert emu.session.post(emu.url + '/_emulator/sync-tasks/x', data='not json').status_code == 400


def test_change_dataset(emu):
    emu.control('POST', 'datasets/ds-done', {'status': 'FAILED', 'error_code': 'ModelArts.4360', 'error_msg': 'changed'})
    body = emu.get('/v2/%s/datasets/ds-done/sync-data/status' % PROJECT).json()
    assert body['status'] == 'FAILED' and body['error_msg'] == 'changed'
    emu.control('POST', 'datasets/ds-new', {'progress': ['RUNNING', 'COMPLETED'], 'advance_every_polls': 1})
    seen = [emu.get('/v2/%s/datasets/ds-new/sync-data/status' % PROJECT).json()['status'] for _poll in range(3)]
    assert seen == ['RUNNING', 'COMPLETED', 'COMPLETED']


def test_reset_restores_the_scenario(emu):
    emu.control('POST', 'sync-tasks/task-healthy', {'status': 'STOPPED'})
    emu.control('POST', 'faults', {'route': '*', 'kind': 'error'})
    assert emu.get(LIST).status_code == 500
    assert emu.control('POST', 'reset').status_code == 200
    assert emu.get(LIST, {'status': 'STOPPED'}).json()['count'] == 1
    assert emu.control('GET', 'faults').json()['faults'] == []


def test_request_log_without_secrets(emu):
    emu.control('POST', 'reset')
    emu.get(LIST, {'limit': '2'})
    emu.get(LIST, sk='wrong-secret')
    emu.get_token(LIST, 'test-static-token')
    user = {'name': 'alice', 'password': 'alice-pw', 'domain': {'name': 'test-domain'}}
    identity = {'methods': ['password'], 'password': {'user': user}}
    emu.session.post(emu.url + '/v3/auth/tokens', data=json.dumps({'auth': {'identity': identity}}))
    log = emu.control('GET', 'requests').json()['requests']
    assert [e['status'] for e in log] == [200, 401, 200, 201]
    assert [e['auth'] for e in log] == ['aksk', 'refused', 'token', 'none']
    first = log[0]
    assert first['method'] == 'GET' and first['path'] == LIST and first['query'] == {'limit': '2'}
    assert first['route'] == 'list_sync_tasks' and isinstance(first['time'], int)
    text = json.dumps(log)
    for secret in ('test-sk-0001', 'wrong-secret', 'test-static-token', 'alice-pw', 'MIIemu'):
        assert secret not in text
    assert len(emu.control('GET', 'requests?limit=1').json()['requests']) == 1


def test_unknown_control_route(emu):
    assert emu.control('GET', 'nothing').status_code == 404
