"""hwcloud.migration.oms_task_group_info: real ansible-playbook runs against the emulator."""

import migration_harness
from modules_harness import PROJECT_ID, assert_clean_output, connection, playbook, requests_log, result, run_plays, task

migration_emulator_fixture = migration_harness.migration_emulator_fixture
emulator_fixture = migration_harness.emulator_fixture

MODULE = 'oms_task_group_info'
FAILED_GROUP = '5b1e7a3c-9d2f-4c6b-8e0a-1f2d3c4b5a69'
NEW_GROUP = '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d'
UNKNOWN = '00000000-0000-4000-8000-000000000000'


def read(name, **args):
    return task(name, MODULE, **args)


def test_groups_by_id_a_failed_group_and_a_missing_one(emulator, run_playbook):
    run = run_plays(
        run_playbook,
        playbook([read('by id', group_ids=[FAILED_GROUP, UNKNOWN, NEW_GROUP]), read('one id', group_id=FAILED_GROUP)], module_defaults=connection(emulator)),
    )
    assert run.rc == 0, run.output
    outcome = result(run, 'by id')
    assert outcome['missing'] == [UNKNOWN] and outcome['truncated'] is False
    failed, new = outcome['task_groups']
    assert failed['group_id'] == FAILED_GROUP and failed['status'] == 5
    assert failed['failed_task_num'] == 1 and failed['complete_task_num'] == 1 and failed['fail_num'] > 0
    assert failed['error_reason'] == {'error_code': 'TRF.0062', 'error_msg': 'Some objects failed to upload.'}
    summary = failed['summary']
    assert summary['status_name'] == 'migration_failed' and summary['active'] is False
    assert summary['failed_tasks'] == 1 and summary['failed_objects'] == failed['fail_num']
    assert summary['failed_object_list'] == 'oms/taskgroup/%s/failed_object_lists.txt' % FAILED_GROUP
    assert summary['error_code'] == 'TRF.0062' and 0 < summary['percent'] < 100

    # A group still creating its tasks has no speed: its ETA is unknown, not "now".
    assert new['status'] == 1 and new['summary']['active'] is True
    assert new['summary']['eta'] is None and new['summary']['eta_unknown'] is True
    assert result(run, 'one id')['task_groups'][0]['group_id'] == FAILED_GROUP

    shows = requests_log(emulator, 'show_task_group')
    assert sorted(entry['status'] for entry in shows) == [200, 200, 200, 400]
    assert_clean_output(run)


def test_listing_with_status_names_and_integers(emulator, run_playbook):
    run = run_plays(
        run_playbook,
        playbook(
            [read('all'), read('failed', status='migration_failed'), read('executing', status=1), read('completed', status='completed')],
            module_defaults=connection(emulator, project_id=PROJECT_ID),
        ),
    )
    assert run.rc == 0, run.output
    assert {group['group_id'] for group in result(run, 'all')['task_groups']} == {FAILED_GROUP, NEW_GROUP}
    assert [group['group_id'] for group in result(run, 'failed')['task_groups']] == [FAILED_GROUP]
    assert [group['group_id'] for group in result(run, 'executing')['task_groups']] == [NEW_GROUP]
    assert result(run, 'completed')['task_groups'] == []
    statuses = [entry['query'].get('status') for entry in requests_log(emulator, 'list_task_group')]
    assert statuses == [None, '5', '1', '6']


def test_bad_ids_and_status_are_refused_before_any_request(emulator, run_playbook):
    run = run_plays(
        run_playbook,
        playbook(
            [
                read('dot dot', group_id='..'),
                read('too long', group_ids=[FAILED_GROUP, 'g' * 300]),
                read('unknown status', status='failed'),
                read('status with ids', group_id=FAILED_GROUP, status=5),
            ],
            module_defaults=connection(emulator, project_id=PROJECT_ID),
        ),
    )
    assert "must not be '..'" in result(run, 'dot dot', 'failed')['msg']
    assert 'must be 1 to 255 characters long' in result(run, 'too long', 'failed')['msg']
    assert '5 (migration_failed)' in result(run, 'unknown status', 'failed')['msg']
    assert 'cannot be combined' in result(run, 'status with ids', 'failed')['msg']
    assert requests_log(emulator) == []


def test_missing_group_answered_with_404_and_a_throttled_read(emulator, run_playbook):
    emulator.control('POST', 'faults', {'route': 'show_task_group', 'kind': 'throttle', 'times': 1, 'retry_after': 0})
    emulator.control(
        'POST',
        'faults',
        {'route': '/v2/*/taskgroups/' + UNKNOWN, 'kind': 'error', 'status': 404, 'error_code': 'OMS.1009', 'error_msg': 'The task group does not exist.'},
    )
    run = run_plays(
        run_playbook,
        playbook(
            [read('retried and missing', group_ids=[FAILED_GROUP, UNKNOWN], max_concurrency=1)], module_defaults=connection(emulator, project_id=PROJECT_ID)
        ),
    )
    outcome = result(run, 'retried and missing')
    assert outcome['missing'] == [UNKNOWN] and [g['group_id'] for g in outcome['task_groups']] == [FAILED_GROUP]
    assert [entry['status'] for entry in requests_log(emulator, 'show_task_group')] == [429, 200, 404]
