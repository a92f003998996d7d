"""hwcloud.migration.migration_state_info: five reads in one real ansible-playbook task against the emulator."""

import pytest
import yaml
from conftest import Emulator
from migration_harness import migration_data
from modules_harness import (
    SCENARIO,
    SCENARIO_TASK_IDS,
    assert_clean_output,
    connection,
    endpoints,
    playbook,
    requests_log,
    result,
    run_plays,
    task,
    wrong_credentials,
)

MODULE = 'migration_state_info'
FAILED_GROUP = '5b1e7a3c-9d2f-4c6b-8e0a-1f2d3c4b5a69'
DATASETS = ['modCompletedDataset1', 'modFailedDataset0001']
READS = {
    'sync_task_info': {'details': True},
    'sync_task_statistics_info': {'data_type': ['REQUEST', 'FAILURE'], 'start_time': '-1h'},
    'dataset_sync_info': {'dataset_ids': DATASETS},
    'migration_task_info': {'task_ids': [1001, 1003, 999999]},
    'task_group_info': {'group_ids': [FAILED_GROUP]},
}


@pytest.fixture(scope='module', name='state_emulator')
def state_emulator_fixture(tmp_path_factory):
    """The modules scenario's identities, sync tasks and datasets plus the migration scenario's tasks and groups."""
    with open(str(SCENARIO), encoding='utf-8') as handle:
        data = yaml.safe_load(handle)
    data.pop('generate', None)
    data.update(migration_data())
    path = tmp_path_factory.mktemp('state-scenario') / 'scenario.yml'
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    emulator = Emulator(path)
    yield emulator
    emulator.stop()


@pytest.fixture(name='emulator')
def emulator_fixture(state_emulator):
    state_emulator.control('POST', 'reset')
    return state_emulator


def read(name, **args):
    return task(name, MODULE, **args)


def test_every_read_in_one_task_with_one_project_lookup(emulator, run_playbook):
    run = run_plays(run_playbook, playbook([read('state', **READS)], module_defaults=connection(emulator)))
    assert run.rc == 0, run.output
    assert_clean_output(run)
    state = result(run, 'state')
    assert state['complete'] is True and state['problems'] == []
    assert sorted(entry['sync_task_id'] for entry in state['sync_task_info']['sync_tasks']) == sorted(SCENARIO_TASK_IDS)
    # The statistics of the tasks the listing found, read once it had.
    assert sorted(entry['sync_task_id'] for entry in state['sync_task_statistics_info']['sync_task_statistics']) == sorted(SCENARIO_TASK_IDS)
    assert [entry['dataset_id'] for entry in state['dataset_sync_info']['dataset_syncs']] == DATASETS
    migration = state['migration_task_info']
    assert [entry['id'] for entry in migration['migration_tasks']] == [1001, 1003] and migration['missing'] == [999999]
    [group] = state['task_group_info']['task_groups']
    assert group['group_id'] == FAILED_GROUP and group['summary']['status_name'] == 'migration_failed'
    routes = [entry['route'] for entry in requests_log(emulator)]
    assert routes.count('iam_list_projects') == 1, routes
    assert routes.count('list_sync_task_statistic') == len(SCENARIO_TASK_IDS)


def test_a_failing_read_keeps_the_others_and_names_its_ids(emulator, run_playbook):
    emulator.control('POST', 'faults', {'route': 'show_task_group', 'kind': 'error', 'status': 500})
    run = run_plays(run_playbook, playbook([read('state', **READS)], module_defaults=connection(emulator)))
    assert_clean_output(run)
    state = result(run, 'state', outcome='failed')
    assert state['msg'].startswith('Could not read everything (task_group_info)'), state['msg']
    groups = state['task_group_info']
    assert groups['failed'] is True and groups['task_groups'] == []
    [error] = groups['errors']
    assert error['id'] == FAILED_GROUP and error['status'] == 500 and error['error_code'] and error['request_id']
    # Everything else was read, in the same call.
    assert len(state['sync_task_statistics_info']['sync_task_statistics']) == len(SCENARIO_TASK_IDS)
    assert [entry['id'] for entry in state['migration_task_info']['migration_tasks']] == [1001, 1003]
    assert all(state[name]['complete'] is True for name in READS if name != 'task_group_info')


def test_a_refused_option_of_one_read_sends_nothing(emulator, run_playbook):
    emulator.clear_requests_log()
    reads = dict(READS)
    reads['migration_task_info'] = {'task_ids': ['1001', 'not-a-number']}
    run = run_plays(run_playbook, playbook([read('state', **reads)], module_defaults=connection(emulator)))
    state = result(run, 'state', outcome='failed')
    assert state['msg'].startswith('migration_task_info: task_ids must be a migration task id'), state['msg']
    assert requests_log(emulator) == []


def test_wrong_credentials_fail_every_read_without_a_secret_at_any_verbosity(emulator, run_playbook):
    tasks = [read(name, **dict(READS, **options)) for name, options in wrong_credentials()]
    for verbosity in (0, 4):
        run = run_plays(run_playbook, playbook(tasks, module_defaults=endpoints(emulator)), verbosity)
        assert_clean_output(run)
        for name, _options in wrong_credentials():
            state = result(run, name, outcome='failed')
            assert state.get('complete') is False, (name, state.get('msg'))
            for part in READS:
                if part == 'sync_task_statistics_info':
                    assert part not in state, name  # the listing failed: no tasks to read statistics for
                    continue
                assert state[part]['failed'] is True and 'HTTP 401' in state[part]['msg'], (name, part, state[part])
