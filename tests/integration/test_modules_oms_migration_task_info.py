"""hwcloud.migration.oms_migration_task_info: real ansible-playbook runs against the emulator."""

import migration_harness
from modules_harness import AUTH_KINDS, PROJECT_ID, assert_clean_output, connection, playbook, requests_log, result, run_plays, task

migration_emulator_fixture = migration_harness.migration_emulator_fixture
emulator_fixture = migration_harness.emulator_fixture

MODULE = 'oms_migration_task_info'
RUNNING, FAILED, STALLED, SUCCEEDED, GROUP_DONE, GROUP_FAILED = 1001, 1002, 1003, 1004, 2001, 2002
GROUP = '5b1e7a3c-9d2f-4c6b-8e0a-1f2d3c4b5a69'
GENERATED = migration_harness.migration_data()['generate']['migration_tasks']


def read(name, **args):
    return task(name, MODULE, **args)


def test_tasks_by_id_with_progress_eta_failures_and_missing(emulator, run_playbook):
    run = run_plays(
        run_playbook,
        playbook(
            [read('by id', task_ids=[RUNNING, str(FAILED), STALLED, SUCCEEDED, 424242, RUNNING]), read('one id as a string', task_id='1004')],
            module_defaults=connection(emulator),
        ),
    )
    assert run.rc == 0, run.output
    outcome = result(run, 'by id')
    assert outcome['changed'] is False and outcome['missing'] == [424242] and outcome['truncated'] is False
    tasks = dict((entry['id'], entry) for entry in outcome['migration_tasks'])
    assert [entry['id'] for entry in outcome['migration_tasks']] == [RUNNING, FAILED, STALLED, SUCCEEDED]

    running = tasks[RUNNING]
    assert running['status'] == 2 and running['name'] == 'cutover-photos' and running['left_time'] > 20 * 3600000
    assert running['summary']['status_name'] == 'executing' and running['summary']['active'] is True
    assert 0 < running['summary']['percent'] < 10 and running['summary']['eta'].endswith('Z')
    assert running['summary']['eta_unknown'] is False

    failed = tasks[FAILED]
    assert failed['status'] == 4 and failed['failed_num'] > 0
    assert failed['error_reason'] == {'error_code': 'TRF.0155', 'error_msg': 'The source bucket does not exist.'}
    assert failed['summary']['status_name'] == 'failed' and failed['summary']['error_code'] == 'TRF.0155'
    assert failed['summary']['failed_object_list'] == 'oms/failed_object_lists/cutover-videos/1002.txt'
    assert failed['summary']['failed_objects'] == failed['failed_num']

    stalled = tasks[STALLED]
    assert stalled['left_time'] is None
    assert stalled['summary']['eta'] is None and stalled['summary']['eta_unknown'] is True

    assert tasks[SUCCEEDED]['summary']['status_name'] == 'succeeded' and tasks[SUCCEEDED]['summary']['percent'] == 100
    assert result(run, 'one id as a string')['migration_tasks'][0]['id'] == SUCCEEDED

    shows = requests_log(emulator, 'show_task')
    assert sorted(entry['path'] for entry in shows) == sorted(
        '/v2/%s/tasks/%d' % (PROJECT_ID, task_id) for task_id in (RUNNING, FAILED, STALLED, SUCCEEDED, 424242, 1004)
    )
    missing = [entry for entry in shows if entry['path'].endswith('/424242')]
    assert [entry['status'] for entry in missing] == [400]  # OMS.1009 with HTTP 400 is "missing"
    assert_clean_output(run)


def test_bad_ids_and_filters_are_refused_before_any_request(emulator, run_playbook):
    run = run_plays(
        run_playbook,
        playbook(
            [
                read('a word', task_id='photos'),
                read('negative', task_ids=[1001, -3]),
                read('fraction', task_id=10.5),
                read('path', task_ids=['../1001']),
                read('status name', status='finished'),
                read('filter with ids', task_id=1001, status='failed'),
            ],
            module_defaults=connection(emulator, project_id=PROJECT_ID),
        ),
    )
    for name, text in (('a word', "'photos'"), ('negative', '-3'), ('fraction', '10.5'), ('path', "'../1001'")):
        message = result(run, name, 'failed')['msg']
        assert 'must be a migration task id: a whole number such as 1001' in message and text in message, message
    assert '4 (failed)' in result(run, 'status name', 'failed')['msg']
    assert 'cannot be combined' in result(run, 'filter with ids', 'failed')['msg']
    assert requests_log(emulator) == []


def test_listing_by_status_across_pages(emulator, run_playbook):
    run = run_plays(
        run_playbook,
        playbook(
            [
                read('succeeded', status='succeeded'),
                read('failed by integer', status=4),
                read('retrying', status='retrying'),
                read('group', group_id=GROUP),
                read('by name', task_name='cutover'),
                read('all'),
            ],
            module_defaults=connection(emulator, project_id=PROJECT_ID),
        ),
    )
    assert run.rc == 0, run.output
    succeeded = result(run, 'succeeded')['migration_tasks']
    ids = [entry['id'] for entry in succeeded]
    assert len(ids) == len(set(ids)) > 100 and {SUCCEEDED, GROUP_DONE} <= set(ids)
    assert all(entry['status'] == 5 and entry['summary']['status_name'] == 'succeeded' for entry in succeeded)
    failed_ids = {entry['id'] for entry in result(run, 'failed by integer')['migration_tasks']}
    assert {FAILED, GROUP_FAILED} <= failed_ids
    assert result(run, 'retrying')['migration_tasks'] == []
    assert sorted(entry['id'] for entry in result(run, 'group')['migration_tasks']) == [GROUP_DONE, GROUP_FAILED]
    assert sorted(entry['id'] for entry in result(run, 'by name')['migration_tasks']) == [1001, 1002, 1003, 1004]
    assert len(result(run, 'all')['migration_tasks']) == GENERATED + 6

    lists = requests_log(emulator, 'list_tasks')
    queries = [entry['query'] for entry in lists]
    assert [q['offset'] for q in queries if q.get('status') == '5'] == ['0', '100']
    assert all(q['limit'] == '100' for q in queries)
    assert all('status' not in q for q in queries if q.get('task_name') or q.get('group_id'))
    assert sum(1 for q in queries if q.get('status') == '4') == 1
    # retrying (6) is not a filter of the API: the module lists everything and keeps status 6.
    assert not any(q.get('status') == '6' for q in queries)
    assert all(entry['status'] == 200 for entry in lists)


def test_every_auth_method_and_check_mode(emulator, run_playbook):
    tasks = [read(kind, task_id=RUNNING, **connection(emulator, kind, project_id=PROJECT_ID)) for kind in AUTH_KINDS]
    plays = playbook(tasks)
    plays[0]['check_mode'] = True
    run = run_plays(run_playbook, plays)
    assert run.rc == 0, run.output
    for kind in AUTH_KINDS:
        assert result(run, kind)['migration_tasks'][0]['id'] == RUNNING
    assert_clean_output(run)


def test_api_errors_and_contract_breaks(emulator, run_playbook):
    emulator.control(
        'POST', 'faults', {'route': 'show_task', 'kind': 'error', 'status': 403, 'error_code': 'OMS.0206', 'error_msg': 'Insufficient permissions.'}
    )
    emulator.control('POST', 'faults', {'route': 'list_tasks', 'kind': 'contract_break', 'field': 'count', 'value': 'many'})
    run = run_plays(
        run_playbook,
        playbook(
            [read('forbidden', task_id=RUNNING), read('broken listing', group_id=GROUP), read('broken listing, strict', group_id=GROUP, strict_contract=True)],
            module_defaults=connection(emulator, project_id=PROJECT_ID),
        ),
    )
    forbidden = result(run, 'forbidden', 'failed')
    assert forbidden['status'] == 403 and forbidden['error_code'] == 'OMS.0206' and forbidden['task_id'] == RUNNING
    assert 'Could not read migration task 1001' in forbidden['msg'] and forbidden['request_id']
    broken = result(run, 'broken listing')
    assert (
        any('ListTasksResponse outside the API contract: count' in w for w in broken.get('warnings', []))
        or 'ListTasksResponse outside the API contract: count' in run.output
    )
    strict = result(run, 'broken listing, strict', 'failed')
    assert 'strict_contract' in strict['msg']
    assert_clean_output(run)
