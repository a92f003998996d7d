"""What a migration task or task group answers about how it moves the data, and counts that do not add up on purpose."""

import pytest

from hwc_emulator import scenario as scenario_format
from hwc_emulator.scenario import ScenarioError
from hwc_emulator.state import State

LOADED = 1800000000000
GIB = 1073741824


def world_of(tasks, groups=()):
    return State(scenario_format.check({'migration_tasks': list(tasks), 'task_groups': list(groups)}), now=LOADED).migration


def task_body(world, task_id):
    task = world.tasks[task_id]
    return task.body(LOADED)


def group_body(world, group_id):
    group = world.groups[group_id]
    return world.group_body(group, LOADED)


def counts_sum(body, *fields):
    return sum(body[field] for field in fields)


def test_the_settings_of_a_scenario_task_are_in_its_answer():
    world = world_of(
        [
            {
                'id': 1,
                'status': 'succeeded',
                'consistency_check': 'crc64',
                'enable_failed_object_recording': False,
                'object_overwrite_mode': 'CRC64_COMPARISON_OVERWRITE',
                'dst_storage_policy': 'IA',
                'dst_node': {'bucket': 'dst', 'crypto_type': 'KMS', 'kms_key_id': 'key-1'},
                'smn_info': {'topic_name': 'cutover'},
            },
            {'id': 2, 'status': 'succeeded'},
        ]
    )
    body = task_body(world, 1)
    assert (body['consistency_check'], body['enable_failed_object_recording'], body['object_overwrite_mode'], body['dst_storage_policy']) == (
        'crc64',
        False,
        'CRC64_COMPARISON_OVERWRITE',
        'IA',
    )
    assert body['dst_node']['crypto_type'] == 'KMS' and body['dst_node']['kms_key_id'] == 'key-1'
    assert body['smn_info'] == {'notify_result': None, 'notify_error_message': None, 'topic_name': 'cutover'}
    # Without them: the defaults, no notification, a destination node without KMS fields.
    plain = task_body(world, 2)
    assert plain['smn_info'] is None and 'crypto_type' not in plain['dst_node'] and plain['consistency_check'] == 'size_last_modified'


def test_the_settings_of_a_scenario_group_are_in_its_answer():
    world = world_of(
        [{'id': 1, 'group_id': 'g', 'status': 'succeeded'}],
        [{'group_id': 'g', 'consistency_check': 'crc64', 'enable_failed_object_recording': False, 'dst_storage_policy': 'ARCHIVE',
          'object_overwrite_mode': 'NO_OVERWRITE', 'smn_config': {'topic_name': 'groups', 'notify_result': True}}],
    )  # fmt: skip
    body = group_body(world, 'g')
    assert (body['consistency_check'], body['enable_failed_object_recording'], body['dst_storage_policy'], body['object_overwrite_mode']) == (
        'crc64',
        False,
        'ARCHIVE',
        'NO_OVERWRITE',
    )
    assert body['smn_config'] == {'notify_result': True, 'notify_error_message': None, 'topic_name': 'groups'}


@pytest.mark.parametrize(
    'entry',
    [
        {'id': 1, 'status': 'succeeded', 'total_num': 1000, 'failed_objects': 7, 'skipped_objects': 3},
        {'id': 2, 'start': '-1h', 'total_size': GIB, 'total_num': 999, 'failed_objects': 5, 'migrate_speed': GIB},
        {'id': 3, 'start': '-1h', 'total_size': 100 * GIB, 'total_num': 1001, 'failed_objects': 9, 'skipped_objects': 4},
        {'id': 4, 'start': '-3h', 'fail_at': '-2h', 'total_size': 1000 * GIB, 'total_num': 777, 'failed_objects': 9},
        {'id': 5, 'status': 'stopped', 'start': '-1h', 'halt_at': '-30m', 'total_size': 1000 * GIB, 'total_num': 333},
    ],
)
def test_scenario_counts_add_up(entry):
    body = task_body(world_of([entry]), entry['id'])
    handled = counts_sum(body, 'successful_num', 'failed_num', 'skipped_num')
    if body['complete_size'] == body['total_size']:
        assert handled == body['total_num']
    else:
        assert handled <= body['total_num'] and body['status'] in (2, 3, 4)


def test_miscounted_objects_make_the_counts_lie():
    world = world_of(
        [
            {'id': 1, 'group_id': 'g', 'status': 'succeeded', 'total_num': 100, 'miscounted_objects': -10},
            {'id': 2, 'start': '-1h', 'total_size': 1000 * GIB, 'total_num': 100, 'miscounted_objects': 1000},
            {'id': 3, 'group_id': 'g', 'status': 'succeeded', 'total_num': 100, 'miscounted_objects': -1000},
        ],
        [{'group_id': 'g', 'miscounted_objects': 5}],
    )
    assert counts_sum(task_body(world, 1), 'successful_num', 'failed_num', 'skipped_num') == 90
    running = task_body(world, 2)
    assert running['status'] == 2 and counts_sum(running, 'successful_num', 'failed_num', 'skipped_num') > running['total_num']
    # Never below zero: the answer stays one the API could give.
    assert task_body(world, 3)['successful_num'] == 0
    group = group_body(world, 'g')
    # A group's own miscount, over its members' true counts: each lie is set where it is tested.
    assert group['success_num'] == 100 + 100 + 5 and group['total_num'] == 200


@pytest.mark.parametrize('entry', [{'id': 1, 'smn_info': {'topic': 'x'}}, {'id': 1, 'miscounted_objects': 1.5}, {'id': 1, 'smn_info': 'x'}])
def test_a_malformed_setting_is_refused_when_the_scenario_loads(entry):
    with pytest.raises(ScenarioError):
        scenario_format.check({'migration_tasks': [entry]})
