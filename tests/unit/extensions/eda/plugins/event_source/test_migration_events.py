# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The event source ``migration_events``: ``main()`` driven with an asyncio queue against the emulator.

Between two polls the test changes the emulator through its control API (the
source's wait between polls is where the test steps in), and asserts the exact
events of every poll, a failed poll in the middle included.
"""

import asyncio
import json
import logging
import os

import pytest

from ansible_collections.hwcloud.migration.extensions.eda.plugins.event_source import migration_events
from ansible_collections.hwcloud.migration.plugins.plugin_utils._events.settings import WatchSettingsError

AK = 'AKEVENTSOURCE0000001'
SK = 'SKevent-source-secret-never-shown'
SPEED = 104857600  # 100 MiB/s
HOURS = 3600 * SPEED  # the bytes one hour of work moves
TEN_HOURS = 10 * HOURS


def _task(task_id, name):
    # Executing since an hour ago, ten hours of work in all: it stays executing for the test.
    return {'id': task_id, 'name': name, 'start': '-1h', 'total_size': TEN_HOURS, 'total_num': 10**12, 'migrate_speed': SPEED}


SCENARIO = {'credentials': {'access_keys': [{'access_key': AK, 'secret_key': SK}]}, 'migration_tasks': [_task(1001, 'photos-2024'), _task(1002, 'logs-2024')]}


def _args(emulator, **extra):
    args = dict(emulator.connection, retries=0, interval=0, max_backoff=0)
    args.update(extra)
    return args


def run_source(args, between_polls=None, monkeypatch=None):
    """Run ``main()`` to its ``max_polls``; returns the events of each poll (a list per poll)."""
    polls = [[]]
    real_sleep = asyncio.sleep

    class ListQueue:
        async def put(self, event):
            polls[-1].append(event)

    async def pause(seconds):
        # The source's wait between two polls: the test's step runs here, off the event loop.
        if between_polls is not None:
            await asyncio.to_thread(between_polls, len(polls))
        polls.append([])
        await real_sleep(0)

    monkeypatch.setattr(asyncio, 'sleep', pause)
    asyncio.run(migration_events.main(ListQueue(), args))
    return polls


def names(events):
    return [(event['kind'], event['id'], event['event']) for event in events]


@pytest.mark.hwc_scenario(SCENARIO)
def test_the_exact_events_of_each_poll_with_a_failed_poll_in_the_middle(hwc_emulator, monkeypatch, caplog):
    def step(finished_poll):
        if finished_poll == 1:
            hwc_emulator.control('POST', 'migration-tasks/1001', {'status': 'failed', 'complete_size': TEN_HOURS // 2, 'failed_objects': 40})
            hwc_emulator.add_fault(route='/v2/*/tasks/1002', kind='error', status=503)
        elif finished_poll == 2:
            hwc_emulator.control('DELETE', 'faults')
            # No speed from here on, and more done than any poll saw before: progress, then none.
            hwc_emulator.control('POST', 'migration-tasks/1002', {'migrate_speed': 0, 'complete_size': 2 * HOURS})
        elif finished_poll == 3:
            hwc_emulator.control('DELETE', 'migration-tasks/1001')
        elif finished_poll == 4:
            hwc_emulator.control('POST', 'migration-tasks/1002', {'migrate_speed': SPEED, 'complete_size': 3 * HOURS})

    caplog.set_level(logging.DEBUG)
    args = _args(hwc_emulator, migration_tasks=[1001, 1002], deadline='+30d', max_stall_age='1ms', max_polls=6)
    polls = run_source(args, step, monkeypatch)

    assert [names(events) for events in polls] == [
        [('migration_task', '1001', 'observed'), ('migration_task', '1002', 'observed'), ('gate', 'migration_health', 'observed')],
        [
            ('migration_task', '1002', 'read_failed'),
            ('migration_task', '1001', 'status_changed'),
            ('migration_task', '1001', 'failed_objects_increased'),
            ('gate', 'migration_health', 'verdict_changed'),
        ],
        [('migration_task', '1002', 'read_recovered'), ('migration_task', '1002', 'deadline_at_risk'), ('gate', 'migration_health', 'verdict_changed')],
        [('migration_task', '1001', 'deleted'), ('migration_task', '1002', 'stalled')],
        [('migration_task', '1002', 'recovered'), ('migration_task', '1002', 'deadline_ok')],
        [],
    ]
    first, failed, recovered, deleted = polls[0], polls[1], polls[2], polls[3]
    assert first[0]['current'] == {
        'found': True,
        'status': 2,
        'status_name': 'executing',
        'failed_objects': 0,
        'failed_object_list': None,
        'stalled': False,
        'deadline_at_risk': False,
        'healthy': True,
    }
    assert first[0]['summary']['name'] == 'photos-2024' and first[2]['current']['verdict'] == 'HEALTHY'
    read_failed, status_changed, increased, verdict = failed
    assert (read_failed['current']['status'], read_failed['current']['read']) == (503, 'migration_task_info')
    assert (status_changed['previous'], status_changed['current']) == ({'status': 2, 'status_name': 'executing'}, {'status': 4, 'status_name': 'failed'})
    assert increased['previous'] == {'failed_objects': 0}
    assert increased['current'] == {'failed_objects': 20, 'by': 20, 'failed_object_list': 'oms/failed_object_lists/photos-2024/1001.txt'}
    # The gate could not read everything: ERROR, fail closed; then the failed task makes it UNHEALTHY.
    assert (verdict['previous'], verdict['current']['verdict']) == ({'verdict': 'HEALTHY'}, 'ERROR')
    assert recovered[2]['current']['verdict'] == 'UNHEALTHY' and recovered[2]['current']['violations']
    assert deleted[0]['previous']['found'] is True and deleted[0]['current']['found'] is False
    for event in (event for events in polls for event in events):
        assert set(event) == {'kind', 'id', 'event', 'previous', 'current', 'summary', 'time', 'time_ms'}
        assert event['time'].endswith('Z') and isinstance(event['time_ms'], int)
    shown = json.dumps(polls) + caplog.text
    assert SK not in shown


@pytest.mark.hwc_scenario(SCENARIO)
def test_without_initial_events_the_first_poll_is_silent(hwc_emulator, monkeypatch):
    polls = run_source(_args(hwc_emulator, migration_tasks='all', initial_events=False, max_polls=2), monkeypatch=monkeypatch)
    assert polls == [[], []]


@pytest.mark.hwc_scenario(SCENARIO)
def test_a_task_that_appears_in_a_listing_is_observed_and_one_that_goes_is_deleted(hwc_emulator, monkeypatch):
    def step(finished_poll):
        if finished_poll == 1:
            hwc_emulator.control('POST', 'migration-tasks/3003', {'name': 'late', 'status': 'waiting'})
            hwc_emulator.control('DELETE', 'migration-tasks/1002')

    polls = run_source(_args(hwc_emulator, migration_tasks='all', initial_events=False, max_polls=2), step, monkeypatch)
    assert names(polls[1]) == [('migration_task', '3003', 'observed'), ('migration_task', '1002', 'deleted')]


@pytest.mark.hwc_scenario(SCENARIO)
def test_a_listing_that_fails_deletes_nothing_and_loses_nothing(hwc_emulator, monkeypatch):
    def step(finished_poll):
        if finished_poll == 1:
            hwc_emulator.add_fault(route='list_tasks', kind='error', status=500)
            hwc_emulator.control('POST', 'migration-tasks/1001', {'status': 'stopped'})
        elif finished_poll == 2:
            hwc_emulator.control('DELETE', 'faults')

    polls = run_source(_args(hwc_emulator, migration_tasks='all', initial_events=False, max_polls=3), step, monkeypatch)
    assert names(polls[1]) == [('migration_task', None, 'read_failed'), ('gate', 'migration_health', 'verdict_changed')]
    assert names(polls[2]) == [
        ('migration_task', None, 'read_recovered'),
        ('migration_task', '1001', 'status_changed'),
        ('gate', 'migration_health', 'verdict_changed'),
    ]
    assert polls[2][1]['current'] == {'status': 3, 'status_name': 'stopped'}


def test_an_unreachable_endpoint_is_one_read_failed_event_per_failure_not_a_crash(monkeypatch):
    args = dict(region='cn-north-4', endpoint='http://127.0.0.1:9', iam_endpoint='http://127.0.0.1:9', access_key=AK, secret_key=SK)
    args.update(project_id='0123456789abcdef0123456789abcdef', retries=0, timeout=1, interval=0, max_backoff=0, migration_tasks=[1001], max_polls=3)
    polls = run_source(args, monkeypatch=monkeypatch)
    assert names(polls[0]) == [('migration_task', '1001', 'read_failed'), ('gate', 'migration_health', 'observed')]
    assert polls[0][1]['current']['verdict'] == 'ERROR'
    assert polls[1:] == [[], []]
    assert SK not in json.dumps(polls)


@pytest.mark.parametrize(
    'args, message',
    [
        ({'migration_tasks': 'all', 'intervall': 5}, "unknown argument 'intervall' (did you mean interval?)"),
        ({'migration_tasks': 'all', 'interval': -1}, 'interval must be from 0.0 to 86400.0'),
        ({'migration_tasks': 'all', 'interval': 'soon'}, 'interval'),
        ({'datasets': 'all'}, 'datasets must be a list of dataset ids'),
        ({'migration_tasks': 'some'}, 'migration_tasks'),
        ({'migration_tasks': 'all', 'deadline': 'tomorrow'}, 'a deadline is an ISO 8601 time'),
        ({}, 'nothing to gate'),
        ({'migration_tasks': 'all', 'region': 'cn-north-4', 'access_key': AK}, 'Incomplete AK/SK credentials'),
    ],
)
def test_a_wrong_argument_ends_the_source_before_any_request(args, message, monkeypatch):
    full = dict({'region': 'cn-north-4', 'access_key': AK, 'secret_key': SK}, **args)
    if 'access_key' in args:
        full.pop('secret_key')
    with pytest.raises(WatchSettingsError) as raised:
        run_source(full, monkeypatch=monkeypatch)
    assert message in str(raised.value)
    assert SK not in str(raised.value)


def test_the_connection_options_fall_back_to_the_environment_as_in_the_modules(hwc_emulator, monkeypatch):
    monkeypatch.setenv('HUAWEICLOUD_SDK_AK', hwc_emulator.access_key)
    monkeypatch.setenv('HUAWEICLOUD_SDK_SK', hwc_emulator.secret_key)
    monkeypatch.setenv('HW_REGION_NAME', hwc_emulator.region)
    args = dict(endpoint=hwc_emulator.url, iam_endpoint=hwc_emulator.url, migration_tasks='all', interval=0, max_polls=1)
    polls = run_source(args, monkeypatch=monkeypatch)
    assert polls[0][-1]['kind'] == 'gate' and polls[0][-1]['current']['verdict'] != 'ERROR'
    assert hwc_emulator.secret_key not in json.dumps(polls)


def _resident_bytes():
    with open('/proc/self/statm') as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf('SC_PAGE_SIZE')


@pytest.mark.hwc_scenario(
    {'credentials': {'access_keys': [{'access_key': AK, 'secret_key': SK}]}, 'generate': {'migration_tasks': 200, 'seed': 24}, 'migration_tasks': []}
)
def test_memory_stays_flat_over_2000_polls_of_200_migration_tasks(hwc_emulator, monkeypatch):
    polls_done = []
    resident = {}

    def measure(finished_poll):
        polls_done.append(finished_poll)
        if finished_poll in (200, 1999):
            resident[finished_poll] = _resident_bytes()

    args = _args(hwc_emulator, migration_tasks='all', initial_events=False, max_polls=2000)
    polls = run_source(args, measure, monkeypatch)
    assert len(polls) == 2000 and len(polls_done) == 1999
    # Nothing changes in the emulator between polls that an event would report twice.
    assert not any(event['event'] == 'observed' for events in polls for event in events)
    growth = resident[1999] - resident[200]
    assert growth < 8 * 1024 * 1024, 'resident memory grew by %d bytes between poll 200 and poll 1999' % growth


def test_every_argument_is_documented_with_its_type_and_default():
    import yaml

    from ansible_collections.hwcloud.migration.plugins.module_utils._api.options import common_argument_spec
    from ansible_collections.hwcloud.migration.plugins.plugin_utils._events.settings import SOURCE_ARGUMENT_SPEC

    documented = yaml.safe_load(migration_events.DOCUMENTATION)['options']
    spec = dict(common_argument_spec(), **SOURCE_ARGUMENT_SPEC)
    assert sorted(documented) == sorted(spec)
    for name, option in spec.items():
        assert documented[name]['type'] == option['type'], name
        assert documented[name].get('default') == option.get('default'), name
    assert yaml.safe_load(migration_events.EXAMPLES)[0]['sources'][0]['hwcloud.migration.migration_events']


def test_the_guide_s_rulebook_and_event_are_what_the_source_takes_and_gives(hwc_emulator, monkeypatch):
    import re
    from pathlib import Path

    import yaml

    guide = (Path(__file__).resolve().parents[6] / 'docs' / 'events.md').read_text(encoding='utf-8')
    rulebook = yaml.safe_load(re.search(r'```yaml\n(.*?)```', guide, re.S).group(1))
    args = dict(rulebook[0]['sources'][0]['hwcloud.migration.migration_events'])
    # The guide's ids and region, against the emulator: the arguments pass their checks and the source runs.
    args.update(hwc_emulator.connection, max_polls=1, interval=0)
    polls = run_source(args, monkeypatch=monkeypatch)
    shown = json.loads(re.search(r'```json\n(.*?)```', guide, re.S).group(1))
    assert polls[0] and all(set(event) == set(shown) for event in polls[0])
