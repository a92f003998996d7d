"""Every emulator fault x the migration_health role: the right answer, or ERROR with a clear message.

Each run starts from a report directory that holds a stale HEALTHY report (as a
CI workspace keeps the previous run's), and ends with reports that say what
this run saw: HEALTHY only when every read succeeded and every check passed,
otherwise ERROR naming each read that failed (step, HTTP status, error code,
request id) or each field that could not be used. One emulator per test file
(per xdist worker), reset before each test; faults are set on the routes the
role reads, as in test_modules_fault_matrix.py.
"""

import json
import os
import signal
import subprocess
import time
import xml.etree.ElementTree as ET

import pytest
import yaml
from conftest import BIN, DEMO_SCENARIO, Emulator, ansible_env

HEALTHY_TASK = '0d146099-8cf4-437d-b6ef-88e043771c8b'
DEMO_TASKS = {HEALTHY_TASK, '7a4b2c1d-5e6f-4a8b-9c0d-1e2f3a4b5c6d', '3e9f8a7b-6c5d-4e3f-8a2b-1c0d9e8f7a6b'}
COMPLETED_DATASET = 'gfghHSokody6AJigS5A'
REPORTS = ('migration-health.json', 'migration-health.xml', 'migration-health.html')

_DEMO = yaml.safe_load(DEMO_SCENARIO.read_text())
_KEY = next(key for key in _DEMO['credentials']['access_keys'] if 'security_token' not in key)
_USER = _DEMO['credentials']['users'][0]
_TOKEN = _DEMO['credentials']['tokens'][0]
SECRETS = (_KEY['secret_key'], _USER['password'], _TOKEN['token'])

# step in the fact: the emulator route it reads
READS = {'sync task read': 'show_sync_task', 'statistics read': 'list_sync_task_statistic', 'dataset sync read': 'show_dataset_sync_status'}
WINDOW_CHECKS = {'window-statistics', 'window-failure-ratio', 'window-failed-objects', 'stall'}
FED_BY = {'sync task read': {'task-found'}, 'statistics read': WINDOW_CHECKS, 'dataset sync read': {'dataset-found'}}

# name: (fault spec, expectation, what each failed read's message says)
FAULTS = {
    '429 once': ({'kind': 'throttle', 'retry_after': 0, 'times': 1}, 'ok', None),
    '429 storm': ({'kind': 'throttle', 'retry_after': 0}, 'error', 'HTTP 429 APIGW.0308'),
    '500 once': ({'kind': 'error', 'status': 500, 'times': 1}, 'ok', None),
    '503 always': ({'kind': 'error', 'status': 503}, 'error', 'HTTP 503'),
    'reset once': ({'kind': 'connection_reset', 'times': 1}, 'ok', None),
    'reset always': ({'kind': 'connection_reset'}, 'error', 'no HTTP response'),
    'truncated once': ({'kind': 'truncated_body', 'times': 1}, 'ok', None),
    'truncated always': ({'kind': 'truncated_body'}, 'error', 'the response body was cut off'),
    'non-JSON 502': ({'kind': 'non_json'}, 'error', 'HTTP 502'),
    'non-JSON 200': ({'kind': 'non_json', 'status': 200}, 'error', 'the response body is not JSON'),
    'slow but in time': ({'kind': 'latency', 'ms': 300}, 'ok', None),
    'slower than timeout': ({'kind': 'latency', 'ms': 3000}, 'error', 'Read timed out'),
    'trickle': ({'kind': 'trickle', 'ms': 400, 'chunk_bytes': 1}, 'error', 'did not arrive within'),
}
# Faults that still give an HTTP answer: its status and request id are named.
ANSWERED = ('429 storm', '503 always', 'truncated always', 'non-JSON 502', 'non-JSON 200', 'trickle')


@pytest.fixture(scope='module', name='role_emulator')
def role_emulator_fixture():
    emulator = Emulator(DEMO_SCENARIO)
    yield emulator
    emulator.stop()


@pytest.fixture(name='emulator')
def emulator_fixture(role_emulator):
    role_emulator.control('POST', 'reset')
    return role_emulator


def connection(emulator, kind='aksk', **extra):
    options = {'region': next(iter(_DEMO['regions'])), 'endpoint': emulator.url, 'iam_endpoint': emulator.url, 'retries': 1, 'timeout': 2}
    if kind == 'aksk':
        options.update(access_key=_KEY['access_key'], secret_key=_KEY['secret_key'])
    elif kind == 'password':
        options.update(username=_USER['name'], password=_USER['password'], domain_name=_USER['domain'])
    else:
        options.update(auth_token=_TOKEN['token'], project_id=_TOKEN['project_id'])
    options.update(extra)
    return options


def seed_stale_healthy(report_dir):
    """The previous run's reports, all HEALTHY, as a CI workspace keeps them."""
    report_dir.mkdir(parents=True, exist_ok=True)
    (report_dir / 'migration-health.json').write_text(json.dumps({'verdict': 'HEALTHY', 'healthy': True, 'evaluated_at_ms': 1}))
    (report_dir / 'migration-health.xml').write_text(
        '<testsuites name="migration-health" tests="1" failures="0" errors="0"><testsuite name="stale" tests="1">'
        '<testcase name="task-found"/></testsuite></testsuites>'
    )
    (report_dir / 'migration-health.html').write_text('<div class="verdict healthy" id="verdict">HEALTHY</div>')


def gate_vars(emulator, report_dir, kind='aksk', **extra):
    variables = {
        'migration_health_sync_tasks': [HEALTHY_TASK],
        'migration_health_datasets': [COMPLETED_DATASET],
        'migration_health_report_dir': str(report_dir),
        'migration_health_connection': connection(emulator, kind),
    }
    variables.update(extra)
    return variables


PLAYBOOK = [
    {'name': 'Gate under faults', 'hosts': 'localhost', 'connection': 'local', 'gather_facts': False, 'roles': [{'role': 'hwcloud.migration.migration_health'}]}
]


def run_gate(run_playbook, emulator, tmp_path, name='reports', **variables):
    report_dir = tmp_path / name
    seed_stale_healthy(report_dir)
    started_ms = int(time.time() * 1000)
    run = run_playbook(PLAYBOOK, extra_vars=gate_vars(emulator, report_dir, **variables))
    fact = assert_truthful_reports(run, report_dir, started_ms)
    return run, fact


def assert_truthful_reports(run, report_dir, started_ms):
    """The three reports are this run's, agree on the verdict, and show an ERROR as errors; no secret, no traceback."""
    output = run.output
    assert 'Traceback' not in output, output
    for secret in SECRETS:
        assert secret not in output, 'a secret was printed:\n' + output
    fact = json.loads((report_dir / 'migration-health.json').read_text())
    assert fact['evaluated_at_ms'] >= started_ms, ('a report of an earlier run survived', fact)
    assert fact['healthy'] is (fact['verdict'] == 'HEALTHY')
    html = (report_dir / 'migration-health.html').read_text()
    assert 'id="verdict">%s<' % fact['verdict'] in html
    junit = ET.parse(str(report_dir / 'migration-health.xml')).getroot()
    errors = list(junit.iter('error'))
    assert int(junit.get('errors')) == len(errors)
    if fact['verdict'] == 'ERROR':
        assert errors and fact['error'], fact
        for entry in fact['errors']:
            assert any(entry['message'] in (element.text or '') for element in errors), entry
    else:
        assert not errors and fact['errors'] == [] and fact['error'] is None, fact
    return fact


def checks_of(fact):
    return dict(((check['subject'], check['id']), check) for check in fact['checks'])


def assert_right_answer(run, fact):
    assert run.rc == 0, run.output
    assert fact['verdict'] == 'HEALTHY', (fact['error'], fact['violations'])
    assert fact['counts']['sync_tasks'] == 1 and fact['counts']['datasets'] == 1
    assert all(check['evaluated'] for check in fact['checks'])


def failure_message(run):
    failed = [entry for entry in run.results if entry['task'].endswith('Fail the gate')]
    assert failed and failed[-1]['outcome'] == 'failed', run.output
    return failed[-1]['result']['msg']


def add_fault(emulator, route, spec):
    emulator.control('POST', 'faults', dict(spec, route=route))


@pytest.mark.parametrize('fault', sorted(FAULTS))
def test_fault_gives_the_right_answer_or_an_error_naming_each_failed_read(emulator, run_playbook, tmp_path, fault):
    spec, expected, says = FAULTS[fault]
    for route in READS.values():
        add_fault(emulator, route, spec)
    run, fact = run_gate(run_playbook, emulator, tmp_path)
    if expected == 'ok':
        assert_right_answer(run, fact)
        return
    assert run.rc != 0, run.output
    assert fact['verdict'] == 'ERROR', fact['violations']
    message = failure_message(run)
    assert message.startswith('Migration health gate FAILED: ERROR, the gate could not be evaluated'), message
    by_step = dict((entry['step'], entry) for entry in fact['errors'])
    assert sorted(by_step) == sorted(READS), fact['errors']
    for step, entry in by_step.items():
        assert entry['id'] in (HEALTHY_TASK, COMPLETED_DATASET), entry
        assert says in entry['message'], entry
        assert '- error: %s %s: ' % (step, entry['id']) in message, message
        if fault in ANSWERED:
            assert entry['status'] and entry['request_id'], entry
            assert entry['request_id'] in message
        else:
            assert entry['status'] is None, entry
    checks = checks_of(fact)
    for step, check_ids in FED_BY.items():
        subject = COMPLETED_DATASET if step == 'dataset sync read' else HEALTHY_TASK
        for check_id in check_ids:
            if (subject, check_id) in checks:
                check = checks[(subject, check_id)]
                assert not check['passed'] and not check['evaluated'], check
                assert 'the %s failed' % step in check['message'], check


def test_one_failed_read_leaves_the_others_evaluated(emulator, run_playbook, tmp_path):
    add_fault(emulator, READS['statistics read'], {'kind': 'error', 'status': 503})
    run, fact = run_gate(run_playbook, emulator, tmp_path)
    assert run.rc != 0 and fact['verdict'] == 'ERROR'
    assert [(entry['step'], entry['id'], entry['status']) for entry in fact['errors']] == [('statistics read', HEALTHY_TASK, 503)]
    checks = checks_of(fact)
    for key in (
        (HEALTHY_TASK, 'task-found'),
        (HEALTHY_TASK, 'task-status'),
        (HEALTHY_TASK, 'monthly-failure-ratio'),
        (COMPLETED_DATASET, 'dataset-found'),
        (COMPLETED_DATASET, 'dataset-status'),
    ):
        assert checks[key]['passed'] and checks[key]['evaluated'], checks[key]
    for check_id in WINDOW_CHECKS:
        assert not checks[(HEALTHY_TASK, check_id)]['evaluated'], checks[(HEALTHY_TASK, check_id)]


def test_report_mode_exits_zero_on_error_and_the_reports_say_error(emulator, run_playbook, tmp_path):
    for route in READS.values():
        add_fault(emulator, route, {'kind': 'error', 'status': 503})
    run, fact = run_gate(run_playbook, emulator, tmp_path, migration_health_fail=False)
    assert run.rc == 0, run.output
    assert fact['verdict'] == 'ERROR' and fact['healthy'] is False
    assert [entry for entry in run.results if entry['task'].endswith('Fail the gate')][-1]['outcome'] == 'skipped'
    assert 'the gate could not be evaluated' in run.output


# route: [(field, value, the check that must say it could not be evaluated)]
CONTRACT_BREAKS = {
    'show_sync_task': [
        ('status', None, (HEALTHY_TASK, 'task-status')),
        ('monthly_failure_object', 'many', (HEALTHY_TASK, 'monthly-failure-ratio')),
        ('monthly_acceptance_request', None, (HEALTHY_TASK, 'monthly-failure-ratio')),
    ],
    'list_sync_task_statistic': [
        ('statistic_datas', None, (HEALTHY_TASK, 'window-statistics')),
        ('statistic_datas', 'x', (HEALTHY_TASK, 'window-statistics')),
        ('statistic_datas', [{'data_type': 'REQUEST', 'data': [{'time_stamp': 1, 'statistic_num': 'x'}]}], (HEALTHY_TASK, 'window-statistics')),
    ],
    'show_dataset_sync_status': [('status', None, (COMPLETED_DATASET, 'dataset-status')), ('status', 'DONE', (COMPLETED_DATASET, 'dataset-status'))],
}


@pytest.mark.parametrize('index', range(max(len(breaks) for breaks in CONTRACT_BREAKS.values())))
def test_contract_break_on_each_field_the_checks_use_is_an_error_naming_it(emulator, run_playbook, tmp_path, index):
    expected = {}
    for route, breaks in sorted(CONTRACT_BREAKS.items()):
        if index < len(breaks):
            field, value, key = breaks[index]
            add_fault(emulator, route, {'kind': 'contract_break', 'field': field, 'value': value})
            expected[key] = field
    run, fact = run_gate(run_playbook, emulator, tmp_path)
    assert run.rc != 0 and fact['verdict'] == 'ERROR', fact['violations']
    checks = checks_of(fact)
    for key, field in expected.items():
        check = checks[key]
        assert not check['passed'] and not check['evaluated'], check
        assert field in check['message'], check
        assert any(line.startswith('- ') and key[0] in line and field in line for line in failure_message(run).splitlines())
        if key[1] == 'window-statistics':
            # The window checks are not evaluated on statistics the gate cannot use.
            for check_id in WINDOW_CHECKS:
                assert not checks[(HEALTHY_TASK, check_id)]['evaluated']


@pytest.mark.parametrize('field, value, expected', [('tasks', None, 'error'), ('count', 'many', 'ok')])
def test_listing_contract_break_with_all(emulator, run_playbook, tmp_path, field, value, expected):
    add_fault(emulator, 'list_sync_tasks', {'kind': 'contract_break', 'field': field, 'value': value})
    run, fact = run_gate(run_playbook, emulator, tmp_path, migration_health_sync_tasks='all', migration_health_datasets=[], migration_health_fail=False)
    assert run.rc == 0, run.output
    if expected == 'ok':
        # The demo holds a stopped task and a failing one: UNHEALTHY, on every task of the listing.
        assert fact['verdict'] == 'UNHEALTHY' and fact['errors'] == [], fact['error']
        assert {entry['id'] for entry in fact['sync_tasks']} == DEMO_TASKS
        return
    assert fact['verdict'] == 'ERROR' and fact['sync_tasks'] == []
    assert [entry['step'] for entry in fact['errors']] == ['sync task read'], fact['errors']
    assert 'field %s' % field in fact['errors'][0]['message'], fact['errors']


def test_all_on_an_empty_listing_is_an_error_unless_allowed(emulator, run_playbook, tmp_path):
    add_fault(emulator, 'list_sync_tasks', {'kind': 'contract_break', 'field': 'tasks', 'value': []})
    add_fault(emulator, 'list_sync_tasks', {'kind': 'contract_break', 'field': 'count', 'value': 0})
    run, fact = run_gate(run_playbook, emulator, tmp_path, migration_health_sync_tasks='all', migration_health_datasets=[])
    assert run.rc != 0 and fact['verdict'] == 'ERROR'
    assert 'migration_health_allow_empty' in failure_message(run)
    run, fact = run_gate(
        run_playbook, emulator, tmp_path, name='allowed', migration_health_sync_tasks='all', migration_health_datasets=[], migration_health_allow_empty=True
    )
    assert run.rc == 0 and fact['verdict'] == 'HEALTHY' and fact['counts']['checks'] == 0, run.output


def test_token_expiry_is_renewed_for_password_auth_and_an_error_for_a_static_token(emulator, run_playbook, tmp_path):
    for route in READS.values():
        add_fault(emulator, route, {'kind': 'token_expired', 'times': 1})
    run, fact = run_gate(run_playbook, emulator, tmp_path, kind='password')
    assert_right_answer(run, fact)

    emulator.control('POST', 'reset')
    add_fault(emulator, READS['statistics read'], {'kind': 'token_expired'})
    run, fact = run_gate(run_playbook, emulator, tmp_path, name='static', kind='token')
    assert run.rc != 0 and fact['verdict'] == 'ERROR'
    assert [(entry['step'], entry['status'], entry['error_code']) for entry in fact['errors']] == [('statistics read', 401, 'APIGW.0307')]
    assert checks_of(fact)[(COMPLETED_DATASET, 'dataset-status')]['passed']


def test_invalid_inputs_replace_the_stale_reports_with_error_ones(emulator, run_playbook, tmp_path):
    run, fact = run_gate(run_playbook, emulator, tmp_path, migration_health_window='forever')
    assert run.rc != 0
    assert fact['verdict'] == 'ERROR' and fact['checks'] == []
    assert 'window' in fact['error'] and 'forever' in fact['error'], fact['error']
    # Refused by the inputs step, as every refused input is, naming the variable to fix.
    assert [entry['step'] for entry in fact['errors']] == ['inputs'], fact['errors']
    [refused] = [entry for entry in run.results if entry['task'].endswith('Refuse the inputs')]
    assert refused['outcome'] == 'failed' and "migration_health_window: 'forever' is not a duration" in refused['result']['msg']
    assert [entry for entry in emulator.requests_log() if not entry['path'].startswith('/_emulator/')] == []


def test_a_killed_run_leaves_error_reports_not_the_stale_healthy_ones(emulator, tmp_path):
    # The statistics read hangs; the run is killed while it waits, as a CI job is on timeout.
    add_fault(emulator, READS['statistics read'], {'kind': 'latency', 'ms': 30000})
    report_dir = tmp_path / 'reports'
    seed_stale_healthy(report_dir)
    playbook = tmp_path / 'gate.yml'
    playbook.write_text(yaml.safe_dump(PLAYBOOK))
    variables = tmp_path / 'vars.json'
    variables.write_text(json.dumps(gate_vars(emulator, report_dir, migration_health_connection=connection(emulator, timeout=120))))
    process = subprocess.Popen(
        [str(BIN / 'ansible-playbook'), str(playbook), '-e', '@%s' % variables],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=ansible_env(),
        cwd=str(tmp_path),
        start_new_session=True,
    )
    try:
        waited = 0
        # The log holds a request once answered: the task read is done, the statistics read is hanging.
        while not any(entry['route'] == READS['sync task read'] for entry in emulator.requests_log()):
            assert process.poll() is None, 'the run ended before the statistics read'
            assert waited < 600, 'the sync task read never happened'
            time.sleep(0.2)
            waited += 1
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    fact = json.loads((report_dir / 'migration-health.json').read_text())
    assert fact['verdict'] == 'ERROR' and [entry['step'] for entry in fact['errors']] == ['run'], fact
    assert 'id="verdict">ERROR<' in (report_dir / 'migration-health.html').read_text()
    junit = ET.parse(str(report_dir / 'migration-health.xml')).getroot()
    assert [element.get('type') for element in junit.iter('error')] == ['run']
