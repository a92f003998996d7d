"""The migration_health role gating OMS migration tasks and task groups, with real ansible-playbook runs.

The emulator holds tests/integration/scenarios/migration.yml (running, failed,
stalled and succeeded tasks, a failed group, a group still creating its tasks,
250 generated tasks) plus one group still running with an ETA a few hours away.
"""

import json
import xml.etree.ElementTree as ET

import migration_harness
import pytest
import yaml
from conftest import Emulator
from modules_harness import SCENARIO as MODULES_SCENARIO
from modules_harness import assert_clean_output, connection, requests_log, run_plays

RUNNING_TASK = 1001  # 10 TiB at 100 MiB/s from 1 h ago: about 28 h left
FAILED_TASK = 1002  # TRF.0155, 30 failed objects, a failed-object list
STALLED_TASK = 1003  # executing at speed 0: ETA unknown
SUCCEEDED_TASK = 1004
UNKNOWN_TASK = 999999
FAILED_GROUP = '5b1e7a3c-9d2f-4c6b-8e0a-1f2d3c4b5a69'  # one failed task (TRF.0062)
CREATING_GROUP = '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d'  # no speed yet: ETA unknown
RUNNING_GROUP = '2c4e6a8b-1d3f-4a5b-8c7d-9e0f1a2b3c4d'  # added here: about 3 h left
UNKNOWN_GROUP = '00000000-0000-4000-8000-000000000000'
FAILED_LIST_KEY = 'oms/failed_object_lists/cutover-videos/1002.txt'
REPORTS = ('migration-health.json', 'migration-health.xml', 'migration-health.html')


@pytest.fixture(scope='module', name='gate_emulator')
def gate_emulator_fixture(tmp_path_factory):
    """modules.yml's identities, migration.yml's tasks and groups, and one running group."""
    with open(str(MODULES_SCENARIO), encoding='utf-8') as handle:
        data = yaml.safe_load(handle)
    for key in ('sync_tasks', 'datasets', 'generate', 'faults'):
        data.pop(key, None)
    data.update(migration_harness.migration_data())
    data['migration_tasks'].append(
        {
            'id': 3001,
            'name': 'archive-part-1',
            'group_id': RUNNING_GROUP,
            'start': '-10m',
            'total_size': 1099511627776,
            'total_num': 100000,
            'migrate_speed': 104857600,
        }
    )
    data['task_groups'].append({'group_id': RUNNING_GROUP, 'description': 'archive, running'})
    path = tmp_path_factory.mktemp('gate-scenario') / 'scenario.yml'
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    emulator = Emulator(path)
    yield emulator
    emulator.stop()


@pytest.fixture(name='emulator')
def emulator_fixture(gate_emulator):
    gate_emulator.control('POST', 'reset')
    return gate_emulator


def gate(emulator, tmp_path, **variables):
    play = {
        'name': 'Cutover gate',
        'hosts': 'localhost',
        'connection': 'local',
        'gather_facts': False,
        'roles': [
            {
                'role': 'hwcloud.migration.migration_health',
                'vars': dict({'migration_health_report_dir': str(tmp_path / 'reports'), 'migration_health_connection': connection(emulator)}, **variables),
            }
        ],
    }
    return [play]


def fact_of(run):
    entries = [entry for entry in run.results if entry['task'].endswith('Evaluate the migration health')]
    assert entries, run.output
    return entries[-1]['result']['ansible_facts']['migration_health']


def checks_by_subject(fact):
    checks = {}
    for check in fact['checks']:
        checks[(check['subject'], check['id'])] = check
    return checks


def test_failed_task_failed_group_missing_ids_and_a_missed_deadline(emulator, run_playbook, tmp_path):
    run = run_plays(
        run_playbook,
        gate(
            emulator,
            tmp_path,
            migration_health_migration_tasks=[RUNNING_TASK, str(FAILED_TASK), SUCCEEDED_TASK, UNKNOWN_TASK],
            migration_health_task_groups=[FAILED_GROUP, RUNNING_GROUP, UNKNOWN_GROUP],
            migration_health_deadline='+6h',
        ),
    )
    assert run.rc != 0, run.output
    failing = [entry for entry in run.results if entry['task'].endswith('Fail the gate')]
    assert failing and failing[-1]['outcome'] == 'failed', run.output
    lines = failing[-1]['result']['msg'].splitlines()
    assert lines[0].startswith('Migration health gate FAILED: ')
    assert 'migration tasks' in lines[0] and 'task groups' in lines[0]

    def line(prefix):
        found = [text for text in lines if text.startswith('- ' + prefix)]
        assert found, 'no violation %r in\n%s' % (prefix, '\n'.join(lines))
        return found[0]

    # The failed task: its status and its failed objects, each with the API's reason; the list is named.
    status = line('migration task %d: migration-task-status observed failed (4)' % FAILED_TASK)
    assert 'TRF.0155' in status and 'The source bucket does not exist.' in status
    objects = line('migration task %d: migration-task-failed-objects observed ' % FAILED_TASK)
    assert FAILED_LIST_KEY in objects and 'TRF.0155' in objects
    # The running task will not be done in 6 hours.
    assert 'will miss the deadline' in line('migration task %d: migration-task-deadline' % RUNNING_TASK)
    assert 'was not found' in line('migration task %d: migration-task-found' % UNKNOWN_TASK)
    # The failed group: its status, its failed task, its failed objects, with the reason.
    assert 'TRF.0062' in line('task group %s: task-group-status observed migration_failed (5)' % FAILED_GROUP)
    assert 'TRF.0062' in line('task group %s: task-group-failed-tasks observed 1' % FAILED_GROUP)
    assert 'was not found' in line('task group %s: task-group-found' % UNKNOWN_GROUP)
    assert not any(str(SUCCEEDED_TASK) in text or RUNNING_GROUP in text for text in lines)

    fact = json.loads((tmp_path / 'reports' / 'migration-health.json').read_text())
    assert fact == fact_of(run)
    checks = checks_by_subject(fact)
    # The running group's ETA (remaining bytes over its speed) is well before the deadline.
    group_deadline = checks[(RUNNING_GROUP, 'task-group-deadline')]
    assert group_deadline['passed'] and not group_deadline['skipped']
    group = next(entry for entry in fact['task_groups'] if entry['id'] == RUNNING_GROUP)
    assert group['healthy'] and group['active'] and group['deadline_margin_ms'] > 0 and 0 < group['percent'] < 100
    task = next(entry for entry in fact['migration_tasks'] if entry['id'] == str(RUNNING_TASK))
    assert task['deadline_margin_ms'] < 0 and task['eta'] > fact['evaluated_at']
    assert fact['counts']['migration_tasks'] == 4 and fact['counts']['migration_tasks_unhealthy'] == 3
    assert fact['counts']['task_groups'] == 3 and fact['counts']['task_groups_unhealthy'] == 2

    root = ET.parse(str(tmp_path / 'reports' / 'migration-health.xml')).getroot()
    suites = {suite.get('name'): suite for suite in root.findall('testsuite')}
    assert len(suites) == 7
    failed_suite = suites['migration task %d' % FAILED_TASK]
    properties = {prop.get('name'): prop.get('value') for prop in failed_suite.iter('property')}
    assert properties['error_code'] == 'TRF.0155' and properties['failed_object_list'] == FAILED_LIST_KEY
    assert 'deadline' in properties
    html = (tmp_path / 'reports' / 'migration-health.html').read_text()
    assert 'id="deadline">deadline ' in html and 'Against the deadline' in html
    assert 'LATE' in html and FAILED_LIST_KEY in html and 'The source bucket does not exist.' in html
    # One module call per kind for every id, no loop.
    assert len(requests_log(emulator, 'show_task')) == 4
    assert len(requests_log(emulator, 'show_task_group')) == 3
    assert_clean_output(run)


def test_deadline_met_with_a_per_task_override(emulator, run_playbook, tmp_path):
    run = run_plays(
        run_playbook,
        gate(
            emulator,
            tmp_path,
            # 6 hours are too few for task 1001, its own deadline gives it 30.
            migration_health_migration_tasks=[{'id': RUNNING_TASK, 'deadline': '+30h'}, SUCCEEDED_TASK],
            migration_health_task_groups=[RUNNING_GROUP],
            migration_health_deadline='+6h',
        ),
    )
    assert run.rc == 0, run.output
    fact = fact_of(run)
    assert fact['healthy'] is True, fact['violations']
    checks = checks_by_subject(fact)
    deadline = checks[(str(RUNNING_TASK), 'migration-task-deadline')]
    assert deadline['passed'] and not deadline['skipped'] and 'before the deadline' in deadline['message']
    task = next(entry for entry in fact['migration_tasks'] if entry['id'] == str(RUNNING_TASK))
    assert task['overridden'] == ['deadline'] and task['thresholds']['deadline'] == '+30h'
    assert task['deadline_margin_ms'] > 0
    assert checks[(str(SUCCEEDED_TASK), 'migration-task-deadline')]['skipped'] is True
    assert fact['thresholds']['deadline'] == '+6h'


def test_eta_unknown_fails_only_against_a_deadline(emulator, run_playbook, tmp_path):
    common = {'migration_health_migration_tasks': [STALLED_TASK], 'migration_health_task_groups': [CREATING_GROUP], 'migration_health_fail': False}
    plays = gate(emulator, tmp_path / 'with', migration_health_deadline='2099-01-01T00:00:00Z', **common)
    plays += gate(emulator, tmp_path / 'without', **common)
    run = run_plays(run_playbook, plays)
    assert run.rc == 0, run.output
    evaluated = [entry['result']['ansible_facts']['migration_health'] for entry in run.results if entry['task'].endswith('Evaluate the migration health')]
    with_deadline, without = evaluated
    failed = {(check['subject'], check['id']): check['message'] for check in with_deadline['checks'] if not check['passed']}
    assert set(failed) == {(str(STALLED_TASK), 'migration-task-deadline'), (CREATING_GROUP, 'task-group-deadline')}
    assert all('ETA unknown' in message for message in failed.values())
    # Without a deadline, running tasks and groups pass: the status check says they are still running.
    assert without['healthy'] is True, without['violations']
    assert with_deadline['thresholds']['deadline_ms'] == 4070908800000


def test_all_tasks_and_groups_across_pages(emulator, run_playbook, tmp_path):
    run = run_plays(
        run_playbook,
        gate(
            emulator,
            tmp_path,
            migration_health_migration_tasks='all',
            migration_health_task_groups='all',
            migration_health_fail=False,
            migration_health_max_concurrency=4,
        ),
    )
    assert run.rc == 0, run.output
    fact = fact_of(run)
    scenario = migration_harness.migration_data()
    expected = len(scenario['migration_tasks']) + scenario['generate']['migration_tasks'] + 1
    assert fact['counts']['migration_tasks'] == expected
    assert len({entry['id'] for entry in fact['migration_tasks']}) == expected
    assert {entry['id'] for entry in fact['task_groups']} == {FAILED_GROUP, CREATING_GROUP, RUNNING_GROUP}
    offsets = sorted(int(entry['query']['offset']) for entry in requests_log(emulator, 'list_tasks'))
    assert offsets == [0, 100, 200]
    assert not requests_log(emulator, 'show_task')
    # The generated failed tasks fail with their reason; the succeeded ones pass.
    failed_ids = {check['subject'] for check in fact['checks'] if check['id'] == 'migration-task-status' and not check['passed']}
    assert str(FAILED_TASK) in failed_ids
    assert any('TRF.0152' in line for line in fact['violations'])
    assert str(SUCCEEDED_TASK) not in failed_ids


# route the fault is on: (the role's variables, the read it fails, the id it names or None for the listing)
FAILED_READS = {
    'show_task': ({'migration_health_migration_tasks': [SUCCEEDED_TASK]}, 'migration task read', str(SUCCEEDED_TASK)),
    'show_task_group': ({'migration_health_task_groups': [RUNNING_GROUP]}, 'task group read', RUNNING_GROUP),
    'list_tasks': ({'migration_health_migration_tasks': 'all'}, 'migration task read', None),
    'list_task_group': ({'migration_health_task_groups': 'all'}, 'task group read', None),
}


@pytest.mark.parametrize('route', sorted(FAILED_READS))
def test_a_failed_read_of_tasks_or_groups_is_an_error_naming_it(emulator, run_playbook, tmp_path, route):
    variables, step, subject = FAILED_READS[route]
    emulator.control('POST', 'faults', {'route': route, 'kind': 'error', 'status': 503})
    run = run_plays(run_playbook, gate(emulator, tmp_path, migration_health_connection=connection(emulator, retries=1), **variables))
    assert run.rc != 0, run.output
    fact = json.loads((tmp_path / 'reports' / 'migration-health.json').read_text())
    assert fact == fact_of(run)
    assert fact['verdict'] == 'ERROR' and fact['healthy'] is False
    assert [(entry['step'], entry['id']) for entry in fact['errors']] == [(step, subject)], fact['errors']
    error = fact['errors'][0]
    assert error['status'] == 503 or '503' in error['message'], error
    failing = [entry for entry in run.results if entry['task'].endswith('Fail the gate')]
    message = failing[-1]['result']['msg']
    assert message.startswith('Migration health gate FAILED: ERROR, the gate could not be evaluated'), message
    assert '- error: %s%s: ' % (step, '' if subject is None else ' ' + subject) in message, message
    if subject is not None:
        found_id = 'migration-task-found' if step == 'migration task read' else 'task-group-found'
        found = checks_by_subject(fact)[(subject, found_id)]
        assert not found['passed'] and not found['evaluated'] and 'the %s failed' % step in found['message']
    else:
        # Nothing listed, nothing evaluated: the failed listing is the error, not an empty project.
        assert fact['checks'] == [] and [entry['step'] for entry in fact['errors']] == [step]
    junit = ET.parse(str(tmp_path / 'reports' / 'migration-health.xml')).getroot()
    assert any(element.get('type') == step for element in junit.iter('error'))
    html = (tmp_path / 'reports' / 'migration-health.html').read_text()
    assert 'id="verdict">ERROR<' in html
    assert_clean_output(run)
