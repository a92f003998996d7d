"""Migration tasks and task groups: the lifecycle as time passes, aggregation, the routes over HTTP."""

import pytest
import yaml
from conftest import DATA, PROJECT, load_test_scenario

from hwc_emulator import scenario as scenario_format
from hwc_emulator.migration import MigrationTask, make_migration
from hwc_emulator.scenario import ScenarioError
from hwc_emulator.state import State

LOADED = 1800000000000  # a fixed clock: the lifecycle is a function of time only
HOUR = 3600000
GROUP = '7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b4a'
DONE_GROUP = '0f9e8d7c-6b5a-4938-8271-605f4e3d2c1b'
CREATION_FAILED_GROUP = '11111111-2222-4333-8444-555555555555'
TIB = 1099511627776
SPEED = 104857600


def migration_scenario(**settings):
    data = load_test_scenario()
    with open(DATA / 'migration.yml') as handle:
        data.update(yaml.safe_load(handle))
    data.update(settings)
    return data


@pytest.fixture(scope='module')
def world():
    return State(scenario_format.check(migration_scenario()), now=LOADED).migration


def body(world, task_id, now):
    return world.task(PROJECT, task_id).body(now)


def test_an_executing_task_moves_with_its_speed(world):
    first = body(world, 1001, LOADED)
    later = body(world, 1001, LOADED + HOUR)
    assert first['status'] == later['status'] == 2
    assert first['complete_size'] == SPEED * 3600 and later['complete_size'] == SPEED * 7200
    assert first['left_time'] == -(-(TIB - SPEED * 3600) * 1000 // SPEED)
    assert later['left_time'] == first['left_time'] - HOUR
    assert first['progress'] == pytest.approx(SPEED * 3600 / TIB, abs=1e-4) and first['progress'] < later['progress'] < 1
    assert first['migrate_speed'] == SPEED and first['start_time'] == LOADED - HOUR
    assert first['total_time'] == HOUR and first['error_reason'] is None and first['failed_object_record'] is None
    assert first['successful_num'] + first['skipped_num'] + first['failed_num'] <= first['total_num']
    assert first['skipped_num'] > 0


def test_an_executing_task_succeeds_when_every_byte_is_done(world):
    finish = LOADED - HOUR + -(-TIB * 1000 // SPEED)
    done = body(world, 1001, finish)
    assert done['status'] == 5 and done['progress'] == 1.0 and done['left_time'] == 0
    assert done['complete_size'] == TIB and done['migrate_speed'] == 0
    assert done['successful_num'] + done['skipped_num'] == done['total_num']
    assert body(world, 1001, finish - 1)['status'] == 2
    assert body(world, 1001, finish - 1)['progress'] < 1


def test_a_task_waits_for_its_start_without_an_estimate(world):
    waiting = body(world, 1004, LOADED)
    assert waiting['status'] == 1 and waiting['left_time'] is None and waiting['start_time'] is None
    assert waiting['progress'] == 0 and waiting['is_query_over'] is False
    assert body(world, 1004, LOADED + 2 * HOUR)['status'] == 2


def test_a_task_fails_at_fail_at_with_its_reason_and_failed_objects(world):
    failed = body(world, 1003, LOADED)
    assert failed['status'] == 4
    assert failed['error_reason'] == {'error_code': 'TRF.0155', 'error_msg': 'The source bucket does not exist.'}
    assert failed['complete_size'] == 52428800 * (110 * 60)
    assert failed['left_time'] == 0 and failed['migrate_speed'] == 0
    assert 0 < failed['failed_num'] < 40
    assert failed['failed_object_record']['list_file_key'] == 'oms/failed_object_lists/videos-raw/1003.txt'
    assert failed == body(world, 1003, LOADED + 5 * HOUR)  # frozen once failed
    before = body(world, 1003, LOADED - 11 * 60000)
    assert before['status'] == 2 and before['error_reason'] is None


def test_a_task_that_failed_objects_ends_failed(world):
    part = body(world, 2001, LOADED)
    assert part['status'] == 4 and part['failed_num'] == 7 and part['progress'] == 1.0
    assert part['error_reason']['error_code'] == 'TRF.0062'
    assert part['failed_object_record']['result'] is True
    assert part['group_type'] == 'GROUP_TASK' and part['group_id'] == GROUP


def test_a_stopped_task_is_frozen_at_halt_at(world):
    stopped = body(world, 2003, LOADED)
    assert stopped['status'] == 3 and stopped['complete_size'] == SPEED * 3600
    assert stopped['left_time'] == 0 and stopped['total_time'] == HOUR


def test_a_group_aggregates_its_tasks(world):
    group = world.group_body(world.group(PROJECT, GROUP), LOADED)
    assert group['status'] == 2  # still monitoring its executing task
    assert (
        group['total_task_num'],
        group['create_task_num'],
        group['failed_task_num'],
        group['complete_task_num'],
        group['executing_task_num'],
        group['paused_task_num'],
    ) == (3, 3, 1, 0, 1, 1)
    parts = [body(world, task_id, LOADED) for task_id in (2001, 2002, 2003)]
    assert group['total_size'] == sum(p['total_size'] for p in parts)
    assert group['complete_size'] == sum(p['complete_size'] for p in parts)
    assert group['fail_num'] == 7 and group['migrate_speed'] == SPEED
    assert group['failed_object_record']['list_file_key'].endswith('failed_object_lists.txt')
    assert group['start_time'] == LOADED - 5 * HOUR
    # Once the executing part is done, the group is a failed migration with the failed part's reason.
    later = world.group_body(world.group(PROJECT, GROUP), LOADED + 10 * HOUR)
    assert later['status'] == 3  # a stopped part keeps the group paused
    done = world.group_body(world.group(PROJECT, DONE_GROUP), LOADED)
    assert done['status'] == 6 and done['complete_task_num'] == 2 and done['error_reason'] is None
    assert done['complete_size'] == done['total_size'] > 0
    pinned = world.group_body(world.group(PROJECT, CREATION_FAILED_GROUP), LOADED)
    assert pinned['status'] == 4 and pinned['total_task_num'] == 4 and pinned['create_task_num'] == 0
    assert pinned['error_reason'] == {'error_code': 'TRF.0012', 'error_msg': 'Task parameter verification failed.'}


def test_a_group_whose_tasks_ended_with_failures_is_a_failed_migration():
    data = {
        'migration_tasks': [
            {'id': 1, 'group_id': 'g', 'status': 'succeeded'},
            {
                'id': 2,
                'group_id': 'g',
                'start': '-1h',
                'fail_at': '-1m',
                'total_size': 1099511627776,
                'error_reason': {'error_code': 'TRF.0055', 'error_msg': 'The destination bucket is full.'},
            },
        ],
        'task_groups': [{'group_id': 'g'}],
    }
    world = State(scenario_format.check(data), now=LOADED).migration
    group = world.group_body(world.group(world.tasks[1].project_id, 'g'), LOADED)
    assert group['status'] == 5 and group['failed_task_num'] == 1 and group['complete_task_num'] == 1
    assert group['error_reason'] == {'error_code': 'TRF.0055', 'error_msg': 'The destination bucket is full.'}


def test_a_stalled_task_has_no_estimate():
    task = MigrationTask({'id': 5, 'start': '-1h', 'migrate_speed': 0}, 'p', LOADED)
    stalled = task.body(LOADED)
    assert stalled['status'] == 2 and stalled['left_time'] is None and stalled['progress'] == 0


@pytest.mark.parametrize(
    'entry, message',
    [
        ({'migration_tasks': [{'id': 1, 'status': 'running'}]}, "migration task 1: status 'running'"),
        ({'migration_tasks': [{'id': 1, 'start': 'yesterday'}]}, 'not a time'),
        ({'task_groups': [{'group_id': 'g', 'status': 12}]}, 'task group g: status 12'),
        ({'migration_tasks': [{'id': '1'}]}, "is not of type 'integer'"),
        ({'migration': {'not_found_status': 500}}, 'is not one of'),
    ],
)
def test_scenario_mistakes_are_named(entry, message):
    with pytest.raises(ScenarioError) as info:
        scenario_format.check(entry)
    assert message in str(info.value)


def test_generated_fleet_is_deterministic_with_a_status_mix():
    tasks, groups = make_migration(40, 2, seed=3)
    assert (tasks, groups) == make_migration(40, 2, seed=3)
    assert len({task['id'] for task in tasks}) == 40 and len(groups) == 2
    assert sum(1 for task in tasks if task.get('status') == 'succeeded') == 18
    assert sum(1 for task in tasks if task.get('group_id')) == 10
    world = State(scenario_format.check({'generate': {'migration_tasks': 40, 'task_groups': 2, 'seed': 3}}), now=LOADED).migration
    assert len(world.tasks) == 40 and len(world.groups) == 2


# --- over HTTP ---------------------------------------------------------------------


@pytest.fixture
def memu(start_emulator):
    return start_emulator(migration_scenario(generate={'migration_tasks': 150, 'seed': 1}))


def tasks_path(suffix=''):
    return '/v2/%s/tasks%s' % (PROJECT, suffix)


def groups_path(suffix=''):
    return '/v2/%s/taskgroups%s' % (PROJECT, suffix)


def test_list_tasks_pages_newest_first(memu):
    first = memu.get(tasks_path(), {'limit': 100, 'offset': 0}).json()
    second = memu.get(tasks_path(), {'limit': 100, 'offset': 100}).json()
    assert first['count'] == second['count'] == 150 + 9
    ids = [task['id'] for task in first['tasks'] + second['tasks']]
    assert len(ids) == len(set(ids)) == 159 and ids == sorted(ids, reverse=True)
    assert len(memu.get(tasks_path()).json()['tasks']) == 10  # the default limit


def test_list_tasks_filters(memu):
    group = memu.get(tasks_path(), {'group_id': GROUP, 'limit': 100}).json()
    assert sorted(task['id'] for task in group['tasks']) == [2001, 2002, 2003] and group['count'] == 3
    named = memu.get(tasks_path(), {'task_name': 'bigdata', 'limit': 100}).json()
    assert named['count'] == 3
    failed = memu.get(tasks_path(), {'status': 4, 'limit': 100}).json()
    assert failed['count'] == len(failed['tasks']) > 3
    assert all(task['status'] == 4 for task in failed['tasks'])
    assert {1003, 2001} <= {task['id'] for task in failed['tasks']}
    succeeded = memu.get(tasks_path(), {'status': 5, 'limit': 100, 'offset': 0}).json()
    assert succeeded['count'] > 70


@pytest.mark.parametrize(
    'params, code',
    [
        ({'status': '6'}, 'OMS.0002'),
        ({'status': 'executing'}, 'OMS.1010'),
        ({'limit': '101'}, 'OMS.1003'),
        ({'limit': '0'}, 'OMS.1003'),
        ({'offset': '10001'}, 'OMS.1003'),
        ({'task_name': 'x' * 256}, 'OMS.1003'),
    ],
)
def test_list_tasks_refuses_bad_queries(memu, params, code):
    response = memu.get(tasks_path(), params)
    assert (response.status_code, response.json()['error_code']) == (400, code)


def test_show_task_and_missing_ids(memu):
    assert memu.get(tasks_path('/1003')).json()['error_reason']['error_code'] == 'TRF.0155'
    for task_id in ('999999', '3001'):  # unknown, and another project's
        response = memu.get(tasks_path('/' + task_id))
        assert (response.status_code, response.json()['error_code']) == (400, 'OMS.1009')
    response = memu.get(tasks_path('/abc'))
    assert (response.status_code, response.json()['error_code']) == (400, 'OMS.0054')


def test_missing_ids_answer_404_when_the_scenario_says_so(start_emulator):
    emu = start_emulator(migration_scenario(migration={'not_found_status': 404}))
    for path in (tasks_path('/999999'), groups_path('/nope')):
        response = emu.get(path)
        assert (response.status_code, response.json()['error_code']) == (404, 'OMS.1009')


def test_task_groups_list_filter_and_show(memu):
    listed = memu.get(groups_path(), {'limit': 100}).json()
    assert listed['count'] == 3
    assert {group['group_id'] for group in listed['taskgroups']} == {GROUP, DONE_GROUP, CREATION_FAILED_GROUP}
    completed = memu.get(groups_path(), {'status': 6}).json()
    assert [group['group_id'] for group in completed['taskgroups']] == [DONE_GROUP]
    shown = memu.get(groups_path('/' + GROUP)).json()
    assert shown['failed_task_num'] == 1 and shown['status'] == 2
    assert memu.get(groups_path(), {'status': '10'}).json()['error_code'] == 'OMS.0002'
    response = memu.get(groups_path('/nope'))
    assert (response.status_code, response.json()['error_code']) == (400, 'OMS.1009')


def test_faults_apply_to_the_migration_routes(memu):
    memu.control('POST', 'faults', {'route': 'show_task', 'kind': 'error', 'status': 503, 'times': 1})
    memu.control('POST', 'faults', {'route': 'list_task_group', 'kind': 'contract_break', 'times': 1})
    response = memu.get(tasks_path('/1001'))
    assert (response.status_code, response.json()['error_code']) == (503, 'OMS.2004')
    assert memu.get(tasks_path('/1001')).status_code == 200
    broken = memu.get(groups_path()).json()
    assert broken['taskgroups'] == 'none'
    memu.control('POST', 'faults', {'route': '/v2/*/tasks', 'kind': 'throttle', 'times': 1})
    assert memu.get(tasks_path()).status_code == 429


def test_health_counts_migration_tasks_and_groups(memu):
    health = memu.control('GET', 'health').json()
    assert (health['migration_tasks'], health['task_groups']) == (160, 3)  # 3001 of p-east included


def test_control_changes_a_migration_task_from_now_on(memu):
    before = memu.get(tasks_path('/1001')).json()
    assert before['status'] == 2 and before['complete_size'] > 0
    changed = memu.control('POST', 'migration-tasks/1001', {'migrate_speed': 0})
    assert changed.status_code == 200
    # What was done stays; with no speed nothing more is done and no end can be estimated.
    first = memu.get(tasks_path('/1001')).json()
    assert first['status'] == 2 and first['complete_size'] >= before['complete_size'] and first['left_time'] is None
    assert memu.get(tasks_path('/1001')).json()['complete_size'] == first['complete_size']
    memu.control('POST', 'migration-tasks/1001', {'status': 'failed', 'complete_size': TIB // 2, 'failed_objects': 40})
    failed = memu.get(tasks_path('/1001')).json()
    assert (failed['status'], failed['failed_num'], failed['progress']) == (4, 20, 0.5)
    assert failed['failed_object_record']['list_file_key'] == 'oms/failed_object_lists/photos-2024/1001.txt'


def test_control_creates_and_deletes_a_migration_task(memu):
    created = memu.control('POST', 'migration-tasks/4242', {'name': 'late-addition', 'status': 'waiting'})
    assert created.status_code == 200 and created.json()['id'] == 4242
    assert memu.get(tasks_path('/4242')).json()['name'] == 'late-addition'
    assert memu.control('DELETE', 'migration-tasks/4242').json() == {'removed': True}
    gone = memu.get(tasks_path('/4242'))
    assert gone.status_code == 400 and gone.json()['error_code'] == 'OMS.1009'
    assert memu.control('DELETE', 'migration-tasks/4242').status_code == 404


def test_control_refuses_a_wrong_migration_task_change(memu):
    assert memu.control('POST', 'migration-tasks/1001', {'status': 'running'}).status_code == 400
    assert memu.control('POST', 'migration-tasks/1001', {'bogus': 1}).status_code == 400
    assert memu.control('POST', 'migration-tasks/abc', {}).status_code == 400
