"""oms_sync_task_statistics_info over windows longer than the API's 1000 points per series.

The emulator is configured as the API documents it: at most 1000 points per series,
and five-minute buckets up to 30 days, so a 7-day window (2016 buckets) comes back cut
unless the module reads it in parts.
"""

import requests
import yaml
from modules_harness import playbook, requests_log, result, task

PROJECT = '4f1e9d2c3b6a47d8a1e0c2b3d4f5a6b7'
TOKEN = 'window-test-static-token-0001'
TASK = '5b6c7d8e-0000-4000-8000-000000000001'
DAY_MS = 86400000
BUCKET_MS = 300000

SCENARIO = {
    'version': 1,
    'seed': 11,
    'regions': {'cn-north-4': [PROJECT]},
    'credentials': {'tokens': [{'token': TOKEN, 'project_id': PROJECT, 'expires_at': '+24h'}]},
    'statistics': {'max_points': 1000, 'hourly_above': '30d', 'keep': 'latest'},
    'sync_tasks': [
        {
            'sync_task_id': TASK,
            'status': 'SYNCHRONIZING',
            'series': {
                'start': '-9d',
                'rates': {'request': 50, 'skip': 1},
                'failure_rate': 0.02,
                'bursts': [{'start': '-6d', 'end': '-5d', 'failure_rate': 0.5}],
            },
        }
    ],
}


def _truth(emulator, start_ms, end_ms):
    """REQUEST and FAILURE totals over the window, read directly in disjoint day-long windows.

    The cuts are on bucket boundaries and each window ends 1 ms before the next
    one starts, so no bucket is in two answers.
    """
    totals = {'REQUEST': 0, 'FAILURE': 0}
    low = start_ms
    while low <= end_ms:
        high = min(low - low % BUCKET_MS + DAY_MS - 1, end_ms)
        answer = requests.get(
            '%s/v2/%s/sync-tasks/%s/statistics' % (emulator.url, PROJECT, TASK),
            params={'data_type': 'REQUEST,FAILURE', 'start_time': low, 'end_time': high},
            headers={'X-Auth-Token': TOKEN},
            timeout=30,
        )
        answer.raise_for_status()
        for series in answer.json()['statistic_datas']:
            assert len(series['data']) < 1000
            totals[series['data_type']] += sum(point['statistic_num'] for point in series['data'])
        low = high + 1
    return totals


def test_a_week_is_read_in_parts_and_summed_completely(emulator_factory, run_playbook, tmp_path):
    scenario = tmp_path / 'window.yml'
    scenario.write_text(yaml.safe_dump(SCENARIO))
    emulator = emulator_factory(scenario)
    options = {'endpoint': emulator.url, 'project_id': PROJECT, 'auth_token': TOKEN, 'region': 'cn-north-4'}
    run = run_playbook(
        playbook(
            [
                task(
                    'week', 'oms_sync_task_statistics_info', sync_task_id=TASK, start_time='-7d', data_type=['REQUEST', 'FAILURE'], max_concurrency=2, **options
                ),
                task('hour', 'oms_sync_task_statistics_info', sync_task_id=TASK, start_time='-1h', data_type=['REQUEST', 'FAILURE'], **options),
            ]
        )
    )
    assert 'Traceback' not in run.output
    [week] = result(run, 'week')['sync_task_statistics']
    summary = week['summary']
    assert summary['complete'] is True and summary['problems'] == [], summary
    request = summary['series']['REQUEST']
    assert request['points'] > 2000  # more than twice what one answer may hold

    # Every bucket once, five minutes apart, from the window's first bucket on.
    series = dict((entry['data_type'], entry['data']) for entry in week['statistic_datas'])
    stamps = [point['time_stamp'] for point in series['REQUEST']]
    assert stamps == sorted(set(stamps))
    assert all(later - earlier == BUCKET_MS for earlier, later in zip(stamps, stamps[1:]))
    window = summary['window']
    assert stamps[0] == window['start_time'] - window['start_time'] % BUCKET_MS

    # Read by the module, before the direct reads below.
    reads = [
        entry
        for entry in requests_log(emulator, 'list_sync_task_statistic')
        if entry['principal'] == 'static-token' and entry['query']['data_type'] == 'REQUEST,FAILURE'
    ]
    # The whole week once (cut at 1000 points), then three parts; and the hour once.
    assert len(reads) == 1 + 3 + 1, [entry['query'] for entry in reads]

    truth = _truth(emulator, window['start_time'], window['end_time'])
    assert request['total'] == truth['REQUEST']
    assert summary['series']['FAILURE']['total'] == truth['FAILURE']
    assert summary['failure_ratio'] == round(truth['FAILURE'] / truth['REQUEST'], 6)

    [hour] = result(run, 'hour')['sync_task_statistics']
    assert hour['summary']['complete'] is True and hour['summary']['series']['REQUEST']['points'] <= 13
