"""OMS routes over HTTP: parameters, errors, buckets, monthly counters, path decoding."""

import http.client
import json
import time
from urllib.parse import urlparse

import pytest
from conftest import AK, PROJECT, SK, load_test_scenario, task_path
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer

from hwc_emulator.series import BUCKET_MS, HOUR_MS
from hwc_emulator.timeexpr import month_bounds_ms


def now_ms():
    return int(time.time() * 1000)


def error_of(response):
    body = response.json()
    return response.status_code, body['error_code']


@pytest.mark.parametrize(
    'params, code',
    [
        ({}, 'OMS.1004'),
        ({'query_time': ''}, 'OMS.1004'),
        ({'query_time': 'yesterday'}, 'OMS.1010'),
        ({'query_time': '1.5'}, 'OMS.1010'),
        ({'query_time': '-1'}, 'OMS.1003'),
    ],
)
def test_show_sync_task_query_time_errors(emu, params, code):
    assert error_of(emu.get(task_path('task-healthy'), params)) == (400, code)


def test_show_sync_task_monthly_counters_follow_query_time(emu):
    now = now_ms()
    body = emu.get(task_path('task-healthy'), {'query_time': now}).json()
    series = emu.state.series_of(emu.state.tasks['task-healthy'], now)
    start, end = month_bounds_ms(now)
    assert body['monthly_acceptance_request'] == series.window_total('REQUEST', start, end, now)
    assert body['monthly_size'] == body['monthly_success_object'] * 1000 or body['monthly_size'] > 0
    before = emu.get(task_path('task-healthy'), {'query_time': now - 400 * 86400000}).json()
    assert before['monthly_acceptance_request'] == 0
    assert 'enable_kms' not in body and 'source_cdn' not in body
    assert emu.get(task_path('task-burst'), {'query_time': now}).json()['enable_kms'] is False


@pytest.mark.parametrize(
    'params, code',
    [
        ({'start_time': '0', 'end_time': '1'}, 'OMS.1004'),
        ({'data_type': 'REQUEST', 'end_time': '1'}, 'OMS.1004'),
        ({'data_type': 'REQUEST', 'start_time': '1'}, 'OMS.1004'),
        ({'data_type': 'REQUEST,BOGUS', 'start_time': '0', 'end_time': '1'}, 'OMS.0002'),
        ({'data_type': 'REQUEST,', 'start_time': '0', 'end_time': '1'}, 'OMS.0002'),
        ({'data_type': 'REQUEST', 'start_time': 'abc', 'end_time': '1'}, 'OMS.1010'),
        ({'data_type': 'REQUEST', 'start_time': '-5', 'end_time': '1'}, 'OMS.1003'),
        ({'data_type': 'REQUEST', 'start_time': '10', 'end_time': '5'}, 'OMS.1003'),
        ({'data_type': 'REQUEST,' * 60 + 'SIZE', 'start_time': '0', 'end_time': '1'}, 'OMS.1003'),
    ],
)
def test_statistics_parameter_errors(emu, params, code):
    response = emu.get(task_path('task-healthy', suffix='/statistics'), params)
    assert error_of(response) == (400, code)
    assert response.headers['X-Request-Id']


def stats(emu, task, start, end, types='REQUEST,SUCCESS,FAILURE,SKIP,SIZE'):
    response = emu.get(task_path(task, suffix='/statistics'), {'data_type': types, 'start_time': start, 'end_time': end})
    assert response.status_code == 200, response.text
    return response.json()


def test_statistics_five_minutes_and_gaps_omitted(emu):
    now = now_ms()
    body = stats(emu, 'task-healthy', now - 12 * HOUR_MS, now)
    assert body['statistic_time_type'] == 'FIVE_MINUTES'
    data = dict((d['data_type'], d['data']) for d in body['statistic_datas'])
    stamps = [p['time_stamp'] for p in data['REQUEST']]
    assert all(ts % BUCKET_MS == 0 for ts in stamps)
    assert stamps == sorted(stamps)
    steps = [b - a for a, b in zip(stamps, stamps[1:])]
    assert max(steps) >= 2 * HOUR_MS  # the 2-hour gap leaves no buckets
    assert [p['time_stamp'] for p in data['FAILURE']] == stamps  # one timestamp set for all types
    for req, suc, fail, skip in zip(data['REQUEST'], data['SUCCESS'], data['FAILURE'], data['SKIP']):
        assert req['statistic_num'] == suc['statistic_num'] + fail['statistic_num'] + skip['statistic_num']


def test_statistics_one_hour_for_long_windows(emu):
    now = now_ms()
    body = stats(emu, 'task-healthy', now - 3 * 86400000, now, 'REQUEST')
    assert body['statistic_time_type'] == 'ONE_HOUR'
    stamps = [p['time_stamp'] for p in body['statistic_datas'][0]['data']]
    assert all(ts % HOUR_MS == 0 for ts in stamps)
    exactly_a_day = stats(emu, 'task-healthy', now - 86400000, now, 'REQUEST')
    assert exactly_a_day['statistic_time_type'] == 'FIVE_MINUTES'


def test_statistics_at_most_1000_points_latest_kept(start_emulator):
    scenario = load_test_scenario()
    scenario['statistics'] = {'hourly_above': '10d'}
    emu = start_emulator(scenario)
    now = now_ms()
    body = stats(emu, 'task-healthy', now - 5 * 86400000, now, 'REQUEST')
    points = body['statistic_datas'][0]['data']
    assert body['statistic_time_type'] == 'FIVE_MINUTES' and len(points) == 1000
    assert points[-1]['time_stamp'] == now - now % BUCKET_MS
    scenario['statistics']['keep'] = 'earliest'
    emu = start_emulator(scenario)
    points = stats(emu, 'task-healthy', now - 5 * 86400000, now, 'REQUEST')['statistic_datas'][0]['data']
    assert len(points) == 1000 and points[0]['time_stamp'] == (now - 5 * 86400000) // BUCKET_MS * BUCKET_MS


def test_statistics_stopped_task_has_nothing_recent(emu):
    now = now_ms()
    assert stats(emu, 'task-stopped', now - HOUR_MS, now, 'REQUEST')['statistic_datas'][0]['data'] == []
    assert stats(emu, 'task-stopped', now - 3 * 86400000, now - 2 * 86400000, 'REQUEST')['statistic_datas'][0]['data']


def test_statistics_sum_matches_monthly_counter(emu):
    now = now_ms()
    start = month_bounds_ms(now)[0]
    body = stats(emu, 'task-burst', start, now, 'FAILURE')
    total = sum(p['statistic_num'] for p in body['statistic_datas'][0]['data'])
    show = emu.get(task_path('task-burst'), {'query_time': now}).json()
    assert total == show['monthly_failure_object'] > 0


@pytest.mark.parametrize(
    'params, code',
    [
        ({'limit': '0'}, 'OMS.1003'),
        ({'limit': '101'}, 'OMS.1003'),
        ({'limit': 'ten'}, 'OMS.1010'),
        ({'offset': '-1'}, 'OMS.1003'),
        ({'offset': '10001'}, 'OMS.1003'),
        ({'status': 'RUNNING'}, 'OMS.0002'),
    ],
)
def test_list_parameter_errors(emu, params, code):
    assert error_of(emu.get('/v2/%s/sync-tasks' % PROJECT, params)) == (400, code)


def test_list_paging(emu):
    first = emu.get('/v2/%s/sync-tasks' % PROJECT, {'limit': '1', 'offset': '0'}).json()
    second = emu.get('/v2/%s/sync-tasks' % PROJECT, {'limit': '1', 'offset': '1'}).json()
    beyond = emu.get('/v2/%s/sync-tasks' % PROJECT, {'offset': '10000'}).json()
    assert first['count'] == second['count'] == beyond['count'] == 3
    assert first['tasks'][0]['sync_task_id'] != second['tasks'][0]['sync_task_id']
    assert beyond['tasks'] == []
    assert 'monthly_size' not in first['tasks'][0] and 'source_cdn' in first['tasks'][0]


@pytest.mark.parametrize(
    'task_id, status, code',
    [
        ('x' * 256, 400, 'OMS.0054'),
        ('nope', 404, 'OMS.1009'),
        ('a/b', 404, 'OMS.1009'),  # sent as a%2Fb: one segment, the id 'a/b'
        ('task-east', 404, 'OMS.1009'),  # exists, in another project
    ],
)
def test_task_id_errors(emu, task_id, status, code):
    response = emu.get(task_path(task_id), {'query_time': now_ms()})
    assert error_of(response) == (status, code)
    statistics = emu.get(task_path(task_id, suffix='/statistics'), {'data_type': 'REQUEST', 'start_time': '0', 'end_time': '1'})
    assert error_of(statistics) == (status, code)


@pytest.mark.parametrize('raw_id', ['..', '%2E%2E', '%2E%2E%2F%2E%2E'])
def test_dot_segments_are_ids_not_traversal(emu, raw_id):
    # requests would resolve '..' itself, so send the exact bytes with http.client.
    url = urlparse(emu.url)
    path = '/v2/%s/sync-tasks/%s' % (PROJECT, raw_id)
    query = 'query_time=%d' % now_ms()
    request = SdkRequest(
        method='GET',
        schema='http',
        host=url.netloc,
        resource_path=path,
        query_params=[('query_time', query.split('=')[1])],
        header_params={'Content-Type': 'application/json'},
        body='',
    )
    Signer(BasicCredentials(AK, SK)).sign(request)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=5)
    connection.request('GET', path + '?' + query, headers=request.header_params)
    response = connection.getresponse()
    body = json.loads(response.read())
    connection.close()
    assert (response.status, body['error_code']) == (404, 'OMS.1009')


def test_encoded_slash_never_traverses(emu):
    # 'task-healthy%2Fstatistics' is one id, not the statistics route of task-healthy.
    response = emu.get('/v2/%s/sync-tasks/task-healthy%%2Fstatistics' % PROJECT, {'query_time': now_ms()})
    assert error_of(response) == (404, 'OMS.1009')
    encoded = emu.get('/v2/%s/sync-tasks/task%%2Dhealthy' % PROJECT, {'query_time': now_ms()})
    assert encoded.status_code == 200 and encoded.json()['sync_task_id'] == 'task-healthy'


def test_unknown_route_is_apigw_0101(emu):
    response = emu.get('/v2/%s/nothing-here' % PROJECT)
    assert response.status_code == 404
    assert response.json()['error_code'] == 'APIGW.0101'
    assert response.json()['request_id'] == response.headers['X-Request-Id']
