"""The migration_health role and gate playbook against the emulator's demo scenario."""

import json
import subprocess
import xml.etree.ElementTree as ET

import pytest
import yaml
from conftest import BIN, DEMO_SCENARIO, REPO, ansible_env

HEALTHY_TASK = '0d146099-8cf4-437d-b6ef-88e043771c8b'
BURST_TASK = '7a4b2c1d-5e6f-4a8b-9c0d-1e2f3a4b5c6d'
STOPPED_TASK = '3e9f8a7b-6c5d-4e3f-8a2b-1c0d9e8f7a6b'
COMPLETED_DATASET = 'gfghHSokody6AJigS5A'
FAILED_DATASET = 'demoFailedDataset01'
REPORTS = ('migration-health.json', 'migration-health.xml', 'migration-health.html')


def demo_connection(emulator):
    scenario = yaml.safe_load(DEMO_SCENARIO.read_text())
    key = next(k for k in scenario['credentials']['access_keys'] if 'security_token' not in k)
    return {
        'region': next(iter(scenario['regions'])),
        'access_key': key['access_key'],
        'secret_key': key['secret_key'],
        'endpoint': emulator.url,
        'iam_endpoint': emulator.url,
    }


def gate_vars(emulator, tmp_path, **extra):
    variables = {
        'migration_health_sync_tasks': [HEALTHY_TASK, BURST_TASK, STOPPED_TASK],
        'migration_health_datasets': [COMPLETED_DATASET, FAILED_DATASET],
        'migration_health_report_dir': str(tmp_path / 'reports'),
        'migration_health_connection': demo_connection(emulator),
    }
    variables.update(extra)
    return variables


def role_task(run, suffix):
    """Results of the role task whose name ends with ``suffix`` (names carry the role prefix)."""
    return [entry for entry in run.results if entry['task'].endswith(suffix)]


def fact_of(run):
    entries = role_task(run, 'Evaluate the migration health')
    assert entries, run.output
    return entries[-1]['result']['ansible_facts']['migration_health']


def test_gate_fails_with_one_line_per_violation_after_writing_reports(demo_emulator, run_playbook, tmp_path):
    run = run_playbook(_playbook_path(), extra_vars=gate_vars(demo_emulator, tmp_path))
    assert run.rc != 0, run.output
    failed = role_task(run, 'Fail the gate')
    assert failed and failed[-1]['outcome'] == 'failed', run.output
    message = failed[-1]['result']['msg']
    lines = message.splitlines()
    assert lines[0].startswith('Migration health gate FAILED: ')
    assert any(line.startswith('- sync task %s: window-failure-ratio observed ' % BURST_TASK) for line in lines)
    assert any(line.startswith('- sync task %s: task-status observed STOPPED' % STOPPED_TASK) for line in lines)
    assert any('dataset %s: dataset-status observed FAILED' % FAILED_DATASET in line and 'ModelArts.4360' in line for line in lines)
    assert not any(HEALTHY_TASK in line for line in lines)
    # The violations are readable in the plain log, one per line.
    assert '- sync task %s: task-status observed STOPPED' % STOPPED_TASK in run.output

    report_dir = tmp_path / 'reports'
    for name in REPORTS:
        assert (report_dir / name).stat().st_size > 0, name
    fact = json.loads((report_dir / 'migration-health.json').read_text())
    assert fact['healthy'] is False
    assert fact == fact_of(run)
    root = ET.parse(str(report_dir / 'migration-health.xml')).getroot()
    assert len(list(root.iter('testcase'))) == len(fact['checks'])
    # One suite per sync task and dataset: CI shows a tree of subjects.
    suites = {suite.get('name'): suite for suite in root.findall('testsuite')}
    assert len(suites) == fact['counts']['sync_tasks'] + fact['counts']['datasets']
    assert int(suites['sync task %s' % STOPPED_TASK].get('failures')) >= 1
    html = (report_dir / 'migration-health.html').read_text()
    assert 'id="verdict">UNHEALTHY</div>' in html
    # The failing subjects are listed with their failed checks; the stopped task's block names its check.
    assert html.index(STOPPED_TASK) < html.index(HEALTHY_TASK)
    assert '<td>task-status' in html


def _playbook_path():
    return str(REPO / 'playbooks' / 'migration_health.yml')


def test_report_mode_does_not_fail(demo_emulator, run_playbook, tmp_path):
    run = run_playbook(_playbook_path(), extra_vars=gate_vars(demo_emulator, tmp_path, migration_health_fail=False))
    assert run.rc == 0, run.output
    fact = fact_of(run)
    assert fact['healthy'] is False
    assert fact['verdict'] == 'UNHEALTHY'
    failed = {(check['subject'], check['id']) for check in fact['checks'] if not check['passed']}
    assert (BURST_TASK, 'window-failure-ratio') in failed
    assert (STOPPED_TASK, 'task-status') in failed
    assert (FAILED_DATASET, 'dataset-status') in failed
    assert not any(subject in (HEALTHY_TASK, COMPLETED_DATASET) for subject, _check in failed)
    assert role_task(run, 'Fail the gate')[-1]['outcome'] == 'skipped'


def test_healthy_selection_passes_and_calls_each_api_once_per_id(demo_emulator, run_playbook, tmp_path):
    demo_emulator.clear_requests_log()
    run = run_playbook(
        _playbook_path(),
        extra_vars=gate_vars(demo_emulator, tmp_path, migration_health_sync_tasks=[HEALTHY_TASK], migration_health_datasets=[COMPLETED_DATASET]),
    )
    assert run.rc == 0, run.output
    fact = fact_of(run)
    assert fact['healthy'] is True, fact['violations']
    assert fact['counts']['sync_tasks'] == 1 and fact['counts']['datasets'] == 1
    task = fact['sync_tasks'][0]
    assert task['window_request_total'] > 0
    assert task['series']['REQUEST']
    # One module task reads every API, no loop; each read's result is under its name.
    [entry] = role_task(run, 'Read the migration state')
    assert 'results' not in entry['result']
    assert sorted(key for key in entry['result'] if key.endswith('_info')) == ['dataset_sync_info', 'sync_task_info', 'sync_task_statistics_info']
    routes = [entry['path'] for entry in demo_emulator.requests_log()]
    assert sum(1 for path in routes if path.endswith('/statistics')) == 1
    assert sum(1 for path in routes if path.endswith('/sync-data/status')) == 1


def test_all_tasks_and_caller_module_defaults(demo_emulator, run_playbook, tmp_path):
    connection = demo_connection(demo_emulator)
    playbook = [
        {
            'name': 'Gate with module_defaults from the caller',
            'hosts': 'localhost',
            'connection': 'local',
            'gather_facts': False,
            'module_defaults': {'group/hwcloud.migration.huaweicloud': connection},
            'roles': [
                {
                    'role': 'hwcloud.migration.migration_health',
                    'vars': {
                        'migration_health_sync_tasks': 'all',
                        'migration_health_fail': False,
                        'migration_health_max_concurrency': 2,
                        'migration_health_report_dir': str(tmp_path / 'reports'),
                    },
                }
            ],
        }
    ]
    run = run_playbook(playbook)
    assert run.rc == 0, run.output
    fact = fact_of(run)
    assert fact['selection'] == 'all'
    assert {task['id'] for task in fact['sync_tasks']} == {HEALTHY_TASK, BURST_TASK, STOPPED_TASK}
    assert all(task['monthly_acceptance_request'] is not None for task in fact['sync_tasks'])


def test_connection_var_overrides_caller_module_defaults(demo_emulator, run_playbook, tmp_path):
    connection = demo_connection(demo_emulator)
    wrong = dict(connection, secret_key='not-the-demo-secret')
    playbook = [
        {
            'name': "The role's connection settings win over the caller's defaults",
            'hosts': 'localhost',
            'gather_facts': False,
            'module_defaults': {'group/hwcloud.migration.huaweicloud': wrong},
            'roles': [
                {
                    'role': 'hwcloud.migration.migration_health',
                    'vars': {
                        'migration_health_sync_tasks': [HEALTHY_TASK],
                        'migration_health_connection': {'secret_key': connection['secret_key']},
                        'migration_health_report_dir': '',
                    },
                }
            ],
        }
    ]
    run = run_playbook(playbook)
    assert run.rc == 0, run.output
    assert fact_of(run)['healthy'] is True
    # No report directory: the evaluation step writes nothing.
    assert 'reports' not in role_task(run, 'Evaluate the migration health')[-1]['result']


def test_per_task_override_and_missing_task(demo_emulator, run_playbook, tmp_path):
    run = run_playbook(
        _playbook_path(),
        extra_vars=gate_vars(
            demo_emulator,
            tmp_path,
            migration_health_sync_tasks=[{'id': BURST_TASK, 'max_window_failure_ratio': 0.99, 'max_window_failed_objects': None}, 'no-such-task-0000'],
            migration_health_datasets=['noSuchDataset0000'],
            migration_health_fail=False,
        ),
    )
    assert run.rc == 0, run.output
    fact = fact_of(run)
    checks = {(check['subject'], check['id']): check for check in fact['checks']}
    assert checks[(BURST_TASK, 'window-failure-ratio')]['passed'] is True
    assert checks[(BURST_TASK, 'window-failed-objects')]['skipped'] is True
    assert checks[('no-such-task-0000', 'task-found')]['passed'] is False
    assert checks[('noSuchDataset0000', 'dataset-found')]['passed'] is False


def test_invalid_inputs_fail_before_any_api_call(demo_emulator, run_playbook, tmp_path):
    demo_emulator.clear_requests_log()
    run = run_playbook(_playbook_path(), extra_vars=gate_vars(demo_emulator, tmp_path, migration_health_sync_tasks=[{'id': HEALTHY_TASK, 'max_failure': 1}]))
    assert run.rc != 0
    assert 'unknown key(s) max_failure' in run.output
    run = run_playbook(_playbook_path(), extra_vars=gate_vars(demo_emulator, tmp_path, migration_health_fail='perhaps'))
    assert run.rc != 0
    assert 'migration_health_fail' in run.output
    assert [entry for entry in demo_emulator.requests_log() if not entry['path'].startswith('/_emulator/')] == []


def test_playbook_runs_by_its_fqcn(demo_emulator, tmp_path):
    vars_file = tmp_path / 'gate.json'
    vars_file.write_text(json.dumps(gate_vars(demo_emulator, tmp_path, migration_health_sync_tasks=[HEALTHY_TASK], migration_health_datasets=[])))
    process = subprocess.run(
        [str(BIN / 'ansible-playbook'), 'hwcloud.migration.migration_health', '-e', '@%s' % vars_file],
        capture_output=True,
        text=True,
        env=ansible_env(),
        cwd=str(tmp_path),
        timeout=300,
        check=False,
    )
    assert process.returncode == 0, process.stdout + process.stderr
    assert 'HEALTHY: 0 of 7 checks failed' in process.stdout
    assert json.loads((tmp_path / 'reports' / 'migration-health.json').read_text())['healthy'] is True


def test_relative_report_dir_is_relative_to_the_working_directory(demo_emulator, run_playbook, tmp_path):
    run = run_playbook(
        _playbook_path(),
        extra_vars=gate_vars(
            demo_emulator, tmp_path, migration_health_sync_tasks=[HEALTHY_TASK], migration_health_datasets=[], migration_health_report_dir='out/gate'
        ),
    )
    assert run.rc == 0, run.output
    # run_playbook runs ansible-playbook in tmp_path.
    for name in REPORTS:
        assert (tmp_path / 'out' / 'gate' / name).exists(), name


def test_skip_checks_and_null_overrides(demo_emulator, run_playbook, tmp_path):
    run = run_playbook(
        _playbook_path(),
        extra_vars=gate_vars(
            demo_emulator,
            tmp_path,
            migration_health_sync_tasks=[{'id': BURST_TASK, 'max_window_failed_objects': None}],
            migration_health_datasets=[],
            migration_health_skip_checks=['window-failure-ratio', 'stall'],
            migration_health_window='2h',
        ),
    )
    assert run.rc == 0, run.output
    fact = fact_of(run)
    assert fact['healthy'] is True, fact['violations']
    skipped = {check['id']: check for check in fact['checks'] if check['skipped']}
    assert set(skipped) == {'window-failure-ratio', 'window-failed-objects', 'stall'}
    assert skipped['window-failure-ratio']['message'].startswith('disabled by skip_checks (would have failed)')
    assert fact['skip_checks'] == ['stall', 'window-failure-ratio']
    assert fact['window']['duration'] == '2h'
    assert fact['window']['end_time'] - fact['window']['start_time'] == 2 * 3600 * 1000


def test_unknown_skip_check_is_refused_by_the_argument_spec(demo_emulator, run_playbook, tmp_path):
    run = run_playbook(_playbook_path(), extra_vars=gate_vars(demo_emulator, tmp_path, migration_health_skip_checks=['task-found']))
    assert run.rc != 0
    assert 'migration_health_skip_checks' in run.output


@pytest.mark.parametrize('inject', ['True', 'False'])
def test_the_fact_is_the_variable_migration_health_of_the_play(demo_emulator, run_playbook, tmp_path, inject):
    # As docs/migration_health.md shows: post_tasks read migration_health, injected facts or not.
    role_vars = {
        'migration_health_sync_tasks': [HEALTHY_TASK],
        'migration_health_fail': False,
        'migration_health_report_dir': '',
        'migration_health_connection': demo_connection(demo_emulator),
    }
    show = {'name': 'Show the variable', 'ansible.builtin.debug': {'msg': '{{ [migration_health.verdict, migration_health.healthy] }}'}}
    playbook = [
        {
            'name': 'Roles',
            'hosts': 'localhost',
            'connection': 'local',
            'gather_facts': False,
            'roles': [dict(role_vars, role='hwcloud.migration.migration_health')],
            'post_tasks': [show],
        },
        {
            'name': 'Include',
            'hosts': 'localhost',
            'connection': 'local',
            'gather_facts': False,
            'tasks': [{'ansible.builtin.include_role': {'name': 'hwcloud.migration.migration_health', 'public': True}, 'vars': role_vars}, show],
        },
    ]
    run = run_playbook(playbook, env={'ANSIBLE_INJECT_FACT_VARS': inject})
    assert run.rc == 0, run.output
    shown = [entry['result']['msg'] for entry in run.results if entry['task'] == 'Show the variable']
    assert shown == [['HEALTHY', True], ['HEALTHY', True]], run.output
    # The fact is not copied into a variable by a task of its own.
    assert not role_task(run, 'Keep the migration_health fact as a variable')
