"""Every fault kind, on routes chosen by name or path pattern."""

import json
import time

import pytest
import requests
from conftest import PROJECT, load_test_scenario, task_path

LIST = '/v2/%s/sync-tasks' % PROJECT


def add_fault(emu, **spec):
    response = emu.control('POST', 'faults', spec)
    assert response.status_code == 201, response.text
    return response.json()


def test_latency(emu):
    add_fault(emu, route='list_sync_tasks', kind='latency', ms=300)
    started = time.monotonic()
    assert emu.get(LIST).status_code == 200
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    emu.get(task_path('task-healthy'), {'query_time': '0'})
    assert time.monotonic() - started < 0.3


def test_throttle_every_third_call_with_retry_after(emu):
    add_fault(emu, route='list_sync_tasks', kind='throttle', every=3, retry_after=2)
    statuses = [emu.get(LIST) for _call in range(6)]
    assert [r.status_code for r in statuses] == [200, 200, 429, 200, 200, 429]
    throttled = statuses[2]
    assert throttled.headers['Retry-After'] == '2'
    assert throttled.json()['error_code'] == 'APIGW.0308'


def test_throttle_with_probability(emu):
    add_fault(emu, route='*', kind='throttle', probability=1.0)
    assert emu.get(LIST).status_code == 429
    emu.control('DELETE', 'faults')
    add_fault(emu, route='*', kind='throttle', probability=0.0)
    assert emu.get(LIST).status_code == 200


def test_error_every_call_and_limited_times(emu):
    add_fault(emu, route='/v2/*/sync-tasks/*', kind='error', status=503, times=2)
    first = emu.get(task_path('task-healthy'), {'query_time': '0'})
    assert first.status_code == 503 and first.json()['error_code'] == 'OMS.2004'
    assert emu.get(task_path('task-healthy'), {'query_time': '0'}).status_code == 503
    assert emu.get(task_path('task-healthy'), {'query_time': '0'}).status_code == 200
    assert emu.get(LIST).status_code == 200  # the pattern does not match the list route


def test_error_on_modelarts_uses_its_codes(emu):
    add_fault(emu, route='show_dataset_sync_status', kind='error', status=500)
    response = emu.get('/v2/%s/datasets/ds-done/sync-data/status' % PROJECT)
    assert response.status_code == 500 and response.json()['error_code'] == 'ModelArts.4360'


def test_connection_reset(emu):
    add_fault(emu, route='list_sync_tasks', kind='connection_reset', times=1)
    with pytest.raises(requests.ConnectionError):
        emu.get(LIST)
    assert emu.get(LIST).status_code == 200


def test_truncated_body(emu):
    add_fault(emu, route='list_sync_tasks', kind='truncated_body', times=1)
    with pytest.raises((requests.exceptions.ChunkedEncodingError, requests.ConnectionError)):
        emu.get(LIST)
    assert emu.get(LIST).status_code == 200


def test_non_json_body(emu):
    add_fault(emu, route='list_sync_tasks', kind='non_json')
    response = emu.get(LIST)
    assert response.status_code == 502
    assert response.headers['Content-Type'].startswith('text/html')
    with pytest.raises(ValueError):
        json.loads(response.text)


def test_contract_break_passes_the_guard_on_purpose(emu, validators):
    add_fault(emu, route='show_sync_task', kind='contract_break')
    response = emu.get(task_path('task-healthy'), {'query_time': '0'})
    assert response.status_code == 200
    assert response.json()['monthly_size'] == 'many'
    assert list(validators['ShowSyncTaskResponse'].iter_errors(response.json()))
    add_fault(emu, route='list_sync_tasks', kind='contract_break', field='count', value=-1)
    assert emu.get(LIST).json()['count'] == -1


def test_rate_limit_above_n_per_second(emu):
    add_fault(emu, route='*', kind='rate_limit', limit=3)
    statuses = [emu.get(LIST).status_code for _call in range(5)]
    assert statuses[:3] == [200, 200, 200] and statuses[3:] == [429, 429]
    throttled = emu.get(LIST)
    assert throttled.json()['error_code'] == 'APIGW.0308'
    assert 'ratelimit' in throttled.json()['error_msg'] and throttled.headers['Retry-After'] == '1'
    time.sleep(1.05)
    assert emu.get(LIST).status_code == 200


def test_faults_declared_in_the_scenario(start_emulator):
    scenario = load_test_scenario()
    scenario['faults'] = [{'route': 'iam_list_projects', 'kind': 'error', 'status': 500, 'after': 1}]
    emu = start_emulator(scenario)
    assert emu.get('/v3/projects', project_id=None).status_code == 200
    failed = emu.get('/v3/projects', project_id=None)
    assert failed.status_code == 500 and failed.json()['error']['code'] == 500


def test_method_filter_and_listing(emu):
    fault = add_fault(emu, route='*', method='POST', kind='error')
    assert emu.get(LIST).status_code == 200
    listed = emu.control('GET', 'faults').json()['faults']
    assert listed[0]['id'] == fault['id'] and listed[0]['calls'] == 0
    assert emu.control('DELETE', 'faults/' + fault['id']).json()['removed'] == 1
    assert emu.control('DELETE', 'faults/' + fault['id']).status_code == 404


def test_invalid_fault_is_refused(emu):
    response = emu.control('POST', 'faults', {'route': '*', 'kind': 'meteor'})
    assert response.status_code == 400 and 'kind' in response.json()['error']


def test_trickle_sends_the_real_answer_slowly(emu):
    add_fault(emu, route='list_sync_tasks', kind='trickle', ms=20, chunk_bytes=8, times=1)
    started = time.monotonic()
    slow = emu.get(LIST)
    elapsed = time.monotonic() - started
    assert slow.status_code == 200
    chunks = -(-len(slow.content) // 8)
    assert elapsed >= chunks * 0.02 * 0.9
    assert slow.json() == emu.get(LIST).json()  # the same answer, only slower


def test_token_expired_answers_like_the_gateway(emu):
    add_fault(emu, route='list_sync_tasks', kind='token_expired', times=1)
    expired = emu.get(LIST)
    assert expired.status_code == 401
    assert expired.json()['error_code'] == 'APIGW.0307' and 'token expires' in expired.json()['error_msg']
    assert emu.get(LIST).status_code == 200


def test_rewrite_repeats_a_page_by_its_query(emu):
    first = emu.get(LIST, {'limit': '1', 'offset': '0'}).json()
    add_fault(emu, route='list_sync_tasks', kind='rewrite', query={'offset': 0})
    again = emu.get(LIST, {'limit': '1', 'offset': '1'}).json()
    assert again['tasks'] == first['tasks'] and again['count'] == first['count']


def test_rewrite_sets_and_deletes_fields(emu):
    add_fault(emu, route='show_sync_task', kind='rewrite', set={'sync_task_id': 'someone-else'}, delete=['status'])
    body = emu.get(task_path('task-healthy'), {'query_time': '0'}).json()
    assert body['sync_task_id'] == 'someone-else' and 'status' not in body


def test_rewrite_writes_raw_json_a_parser_can_hardly_hold(emu):
    add_fault(emu, route='show_sync_task', kind='rewrite', set_raw={'status': '"\\ud800"', 'monthly_failure_object': '1' + '0' * 400})
    text = emu.get(task_path('task-healthy'), {'query_time': '0'}).text
    assert '"status":"\\ud800"' in text and '"monthly_failure_object":1' + '0' * 400 in text


def test_rewrite_status_raw_body_headers_and_padding(emu):
    add_fault(emu, route='show_sync_task', kind='rewrite', status=404, raw='{}', headers={'X-Echo': 'yes'}, pad_bytes=10)
    response = emu.get(task_path('task-healthy'), {'query_time': '0'})
    assert response.status_code == 404 and response.content == b'{}' + b' ' * 10 and response.headers['X-Echo'] == 'yes'


def test_rewrite_gzip_is_decoded_by_clients(emu):
    add_fault(emu, route='list_sync_tasks', kind='rewrite', gzip=True, pad_bytes=1000000)
    response = emu.get(LIST)
    assert response.headers['Content-Encoding'] == 'gzip'
    assert int(response.headers['Content-Length']) < 100000
    assert response.json()['count'] >= 1


def test_rewrite_leaves_errors_alone_unless_asked(emu):
    add_fault(emu, route='show_sync_task', kind='rewrite', set={'x': 1})
    response = emu.get(task_path('no-such-task'), {'query_time': '0'})
    assert 'x' not in response.json()
