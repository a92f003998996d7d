"""Every emulator fault against every info module: the right answer, or a clear failure that keeps what was read.

One ansible-playbook run per fault, with one task per subject (a sync task read by id,
the sync task listing, the statistics of a task, a dataset's sync status, migration
tasks and task groups each by id and listed); the fault is set on each subject's route.
Transient faults (once) must give the right answer; persistent ones must fail closed,
naming the id, the status, the error code and the request id, never with a traceback.
"""

import migration_harness
import modules_harness as harness
import pytest
import yaml
from conftest import Emulator
from modules_harness import PROJECT_ID, SCENARIO_TASK_IDS, connection, playbook, requests_log, result, run_plays, task

emulator_fixture = harness.emulator_fixture


@pytest.fixture(scope='module', name='modules_emulator')
def modules_emulator_fixture(tmp_path_factory):
    """One emulator for the file: modules.yml plus migration.yml's tasks and groups (not its generated ones)."""
    with open(str(harness.SCENARIO), encoding='utf-8') as handle:
        data = yaml.safe_load(handle)
    migration = migration_harness.migration_data()
    for key in ('migration', 'migration_tasks', 'task_groups'):
        data[key] = migration[key]
    path = tmp_path_factory.mktemp('fault-matrix-scenario') / 'scenario.yml'
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    emulator = Emulator(path)
    yield emulator
    emulator.stop()


STEADY, STOPPED = SCENARIO_TASK_IDS
DATASET = 'modCompletedDataset1'
RUNNING_TASK, FAILED_TASK = 1001, 1002
GROUP, NEW_GROUP = '5b1e7a3c-9d2f-4c6b-8e0a-1f2d3c4b5a69', '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d'
GROUP_TASKS = [2001, 2002]

# subject: (route, module, arguments, result list, id key)
SUBJECTS = {
    'show': ('show_sync_task', 'oms_sync_task_info', {'sync_task_ids': [STEADY, STOPPED]}, 'sync_tasks', 'sync_task_id'),
    'list': ('list_sync_tasks', 'oms_sync_task_info', {'status': 'STOPPED'}, 'sync_tasks', 'sync_task_id'),
    'statistics': ('list_sync_task_statistic', 'oms_sync_task_statistics_info', {'sync_task_id': STEADY}, 'sync_task_statistics', 'sync_task_id'),
    'dataset': ('show_dataset_sync_status', 'modelarts_dataset_sync_info', {'dataset_id': DATASET}, 'dataset_syncs', 'dataset_id'),
    'task show': ('show_task', 'oms_migration_task_info', {'task_ids': [RUNNING_TASK, FAILED_TASK]}, 'migration_tasks', 'id'),
    'task list': ('list_tasks', 'oms_migration_task_info', {'group_id': GROUP}, 'migration_tasks', 'id'),
    'group show': ('show_task_group', 'oms_task_group_info', {'group_ids': [GROUP, NEW_GROUP]}, 'task_groups', 'group_id'),
    'group list': ('list_task_group', 'oms_task_group_info', {}, 'task_groups', 'group_id'),
}
EXPECTED_IDS = {
    'show': [STEADY, STOPPED],
    'list': [STOPPED],
    'statistics': [STEADY],
    'dataset': [DATASET],
    'task show': [RUNNING_TASK, FAILED_TASK],
    'task list': GROUP_TASKS,
    'group show': [GROUP, NEW_GROUP],
    'group list': [GROUP, NEW_GROUP],
}
# listing subject: what its failure message calls the listing
LISTINGS = {'list': 'sync tasks', 'task list': 'migration tasks', 'group list': 'task groups'}

# name: (fault spec, expectation, what the failure message says)
FAULTS = {
    '429 once': ({'kind': 'throttle', 'retry_after': 0, 'times': 1}, 'ok', None),
    '429 storm': ({'kind': 'throttle', 'retry_after': 0}, 'fail', 'HTTP 429 APIGW.0308'),
    '500 once': ({'kind': 'error', 'status': 500, 'times': 1}, 'ok', None),
    '503 always': ({'kind': 'error', 'status': 503}, 'fail', 'HTTP 503'),
    'reset once': ({'kind': 'connection_reset', 'times': 1}, 'ok', None),
    'reset always': ({'kind': 'connection_reset'}, 'fail', 'no HTTP response'),
    'truncated once': ({'kind': 'truncated_body', 'times': 1}, 'ok', None),
    'truncated always': ({'kind': 'truncated_body'}, 'fail', 'the response body was cut off'),
    'non-JSON 502': ({'kind': 'non_json'}, 'fail', 'HTTP 502'),
    'non-JSON 200': ({'kind': 'non_json', 'status': 200}, 'fail', 'the response body is not JSON'),
    'slow but in time': ({'kind': 'latency', 'ms': 300}, 'ok', None),
    'slower than timeout': ({'kind': 'latency', 'ms': 3000}, 'fail', 'Read timed out'),
    'trickle': ({'kind': 'trickle', 'ms': 400, 'chunk_bytes': 1}, 'fail', 'did not arrive within'),
}
ANSWERED = ('429 storm', '503 always', 'truncated always', 'non-JSON 502', 'non-JSON 200', 'trickle')
OPTIONS = {'retries': 1, 'timeout': 2, 'project_id': PROJECT_ID}
# Faults that only a timeout ends: a 1 s timeout halves the time they wait (two attempts per subject).
TIMED_OUT = {'slower than timeout': {'timeout': 1}, 'trickle': {'timeout': 1}}


def assert_right_answer(subject, outcome):
    """The result of ``subject`` is what the scenario holds."""
    _route, _module, _args, key, id_key = SUBJECTS[subject]
    ids = [entry[id_key] for entry in outcome[key]]
    if subject == 'list':
        # Every stopped task (the generated ones among them), once each, and only those.
        assert STOPPED in ids and len(ids) == len(set(ids)) > 1, outcome
        assert all(entry['status'] == 'STOPPED' for entry in outcome[key])
    elif subject in LISTINGS:
        assert sorted(ids) == sorted(EXPECTED_IDS[subject]), outcome
    else:
        assert ids == EXPECTED_IDS[subject], outcome


def _tasks(emulator, name, extra=None):
    tasks = []
    for subject, (_route, module, args, _key, _id_key) in SUBJECTS.items():
        options = dict(connection(emulator, **OPTIONS))
        options.update(args)
        options.update(extra or {})
        tasks.append(task('%s %s' % (name, subject), module, **options))
    return tasks


def _add_fault(emulator, route, spec):
    fault = dict(spec, route=route)
    emulator.control('POST', 'faults', fault)


@pytest.mark.parametrize('fault', sorted(FAULTS))
def test_fault_gives_the_right_answer_or_fails_closed(emulator, run_playbook, fault):
    spec, expected, says = FAULTS[fault]
    for route, _module, _args, _key, _id_key in SUBJECTS.values():
        _add_fault(emulator, route, spec)
    run = run_plays(run_playbook, playbook(_tasks(emulator, fault, TIMED_OUT.get(fault))))
    harness.assert_clean_output(run)
    for subject, (_route, _module, _args, key, _id_key) in SUBJECTS.items():
        name = '%s %s' % (fault, subject)
        if expected == 'ok':
            outcome = result(run, name)
            assert_right_answer(subject, outcome)
            assert outcome['complete'] is True and outcome['problems'] == [], outcome
            continue
        failure = result(run, name, 'failed')
        assert says in failure['msg'], (name, failure['msg'])
        if subject in LISTINGS:
            assert 'Could not list %s (offset 0)' % LISTINGS[subject] in failure['msg'], failure['msg']
            continue
        # Every id's outcome is in the result, each failed one with its details.
        assert failure[key] == [] and failure['missing'] == [] and failure['complete'] is False, failure
        assert sorted(entry['id'] for entry in failure['errors']) == sorted(EXPECTED_IDS[subject]), failure
        assert any(str(entry['id']) in failure['msg'] for entry in failure['errors']), failure['msg']
        for entry in failure['errors']:
            assert says in entry['message'], entry
            if fault in ANSWERED:
                # An HTTP answer came back: its status and request id are kept, even for a cut-off body.
                assert entry['request_id'] and entry['status'], entry
            else:
                assert entry['status'] is None, entry
        if fault in ('truncated always', 'trickle'):
            assert '(2 attempts)' in failure['msg'], failure['msg']


# subject: [({field: value}, expectation)]: "fail" for the module failing naming the field,
# "incomplete" for a result with complete false and a problem naming each field.
# Several fields in one case are broken together (one contract_break fault each).
CONTRACT_BREAKS = {
    'show': [({'status': None}, 'incomplete'), ({'monthly_failure_object': 'many'}, 'incomplete'), ({'monthly_acceptance_request': None}, 'incomplete')],
    'list': [({'tasks': None}, 'fail'), ({'tasks': 'x'}, 'fail'), ({'count': 'many'}, 'ok')],
    'statistics': [
        ({'statistic_datas': None}, 'incomplete'),
        ({'statistic_datas': 'x'}, 'incomplete'),
        ({'statistic_datas': [{'data_type': 'REQUEST', 'data': [{'time_stamp': 1, 'statistic_num': 'x'}]}]}, 'incomplete'),
    ],
    'dataset': [({'status': None}, 'incomplete'), ({'status': 'DONE'}, 'incomplete')],
    'task show': [
        ({'status': 'RUNNING', 'progress': None}, 'incomplete'),
        ({'left_time': 'soon', 'failed_num': -1, 'total_num': None}, 'incomplete'),
        ({'error_reason': 'TRF.0001', 'failed_object_record': []}, 'incomplete'),
    ],
    'task list': [({'tasks': None}, 'fail'), ({'count': 'many'}, 'ok'), ({'tasks': {}}, 'fail')],
    'group show': [
        ({'status': 'DONE', 'total_size': None}, 'incomplete'),
        ({'complete_size': 'x', 'migrate_speed': -5}, 'incomplete'),
        ({'failed_task_num': None, 'fail_num': 'many'}, 'incomplete'),
    ],
    'group list': [({'taskgroups': None}, 'fail'), ({'count': None}, 'ok')],
}


@pytest.mark.parametrize('index', range(max(len(cases) for cases in CONTRACT_BREAKS.values())))
def test_contract_break_on_each_checked_field_fails_closed(emulator, run_playbook, index):
    tasks = []
    cases = {}
    for subject, breaks in sorted(CONTRACT_BREAKS.items()):
        if index >= len(breaks):
            continue
        fields, expectation = breaks[index]
        route, module, args, _key, _id_key = SUBJECTS[subject]
        for field, value in sorted(fields.items()):
            emulator.control('POST', 'faults', {'route': route, 'kind': 'contract_break', 'field': field, 'value': value})
        options = dict(connection(emulator, **OPTIONS))
        options.update(args)
        name = 'break %s.%s' % (subject, '+'.join(sorted(fields)))
        tasks.append(task(name, module, **options))
        cases[name] = (subject, sorted(fields), expectation)
    run = run_plays(run_playbook, playbook(tasks))
    harness.assert_clean_output(run)
    for name, (subject, fields, expectation) in cases.items():
        _route, _module, _args, key, id_key = SUBJECTS[subject]
        if expectation == 'fail':
            failure = result(run, name, 'failed')
            assert 'field %s' % fields[0] in failure['msg'] and 'cannot be trusted' in failure['msg'], failure['msg']
        elif expectation == 'ok':
            outcome = result(run, name)
            assert_right_answer(subject, outcome)
            assert outcome['complete'] is True
        else:
            outcome = result(run, name)
            assert outcome['complete'] is False, outcome
            assert outcome['problems'] and all(problem['id'] in EXPECTED_IDS[subject] for problem in outcome['problems']), outcome
            for field in fields:
                assert any(field in problem['field'] or field in problem['message'] for problem in outcome['problems']), (field, outcome)
            if subject == 'statistics':
                summary = outcome[key][0]['summary']
                assert summary['complete'] is False and any(fields[0] in line for line in summary['problems'])
            if subject in ('task show', 'group show'):
                # Every id read is still returned, each broken one named.
                assert [entry[id_key] for entry in outcome[key]] == EXPECTED_IDS[subject], outcome
                assert {problem['id'] for problem in outcome['problems']} == set(EXPECTED_IDS[subject]), outcome


def test_token_expiry_is_renewed_for_password_auth_and_fails_clearly_for_a_static_token(emulator, run_playbook):
    for route in ('show_sync_task', 'show_dataset_sync_status'):
        emulator.control('POST', 'faults', {'route': route, 'kind': 'token_expired', 'times': 1})
    base = {'retries': 1, 'timeout': 2}
    run = run_plays(
        run_playbook,
        playbook(
            [
                task('password task', 'oms_sync_task_info', sync_task_id=STEADY, **connection(emulator, 'password', **base)),
                task('password dataset', 'modelarts_dataset_sync_info', dataset_id=DATASET, **connection(emulator, 'password', **base)),
            ]
        ),
    )
    harness.assert_clean_output(run)
    assert result(run, 'password task')['sync_tasks'][0]['sync_task_id'] == STEADY
    assert result(run, 'password dataset')['dataset_syncs'][0]['dataset_id'] == DATASET
    assert len(requests_log(emulator, 'iam_create_token')) == 4  # one token per module run, renewed once each

    emulator.control('POST', 'faults', {'route': 'list_sync_task_statistic', 'kind': 'token_expired'})
    run = run_plays(
        run_playbook,
        playbook([task('static token', 'oms_sync_task_statistics_info', sync_task_id=STEADY, **connection(emulator, 'token', project_id=PROJECT_ID, **base))]),
    )
    harness.assert_clean_output(run)
    failure = result(run, 'static token', 'failed')
    assert failure['status'] == 401 and failure['error_code'] == 'APIGW.0307', failure
    assert failure['errors'][0]['id'] == STEADY and failure['errors'][0]['request_id']
