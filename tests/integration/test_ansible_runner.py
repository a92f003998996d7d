"""The gate playbook run through ansible-runner, as AWX, AAP and pipeline tools run it.

ansible-runner writes everything about a job under its private data directory:
the status and return code, the event stream (where the ``migration_health``
fact shows up in the result of the role's set_fact task) and its fact cache
(the fact is cacheable). The reports land in the report directory as usual.
"""

import json
import os
import xml.etree.ElementTree as ET

import ansible_runner
import pytest
import yaml
from conftest import _CREDENTIAL_ENV_PREFIXES, BIN, DEMO_SCENARIO, REPO, ansible_env

REPORTS = ('migration-health.json', 'migration-health.xml', 'migration-health.html')
EVALUATE_TASK = 'Evaluate the migration health'
HEALTHY_TASK = '0d146099-8cf4-437d-b6ef-88e043771c8b'
COMPLETED_DATASET = 'gfghHSokody6AJigS5A'


def _gate_vars(emulator, report_dir, **extra):
    scenario = yaml.safe_load(DEMO_SCENARIO.read_text())
    key = next(k for k in scenario['credentials']['access_keys'] if 'security_token' not in k)
    variables = {
        'migration_health_sync_tasks': 'all',
        'migration_health_datasets': [entry['dataset_id'] for entry in scenario.get('datasets') or [] if entry.get('dataset_id')],
        'migration_health_report_dir': str(report_dir),
        'migration_health_connection': {
            'region': next(iter(scenario['regions'])),
            'access_key': key['access_key'],
            'secret_key': key['secret_key'],
            'endpoint': emulator.url,
            'iam_endpoint': emulator.url,
        },
    }
    variables.update(extra)
    return variables


@pytest.fixture
def runner_env(monkeypatch):
    """ansible-runner starts ansible-playbook with this process's environment plus ``envvars``."""
    for name in list(os.environ):
        if name.startswith(_CREDENTIAL_ENV_PREFIXES):
            monkeypatch.delenv(name)
    env = ansible_env()
    # Only what a real job would have: no results-recording callback of the other tests.
    env.pop('ANSIBLE_CALLBACK_PLUGINS', None)
    env.pop('ANSIBLE_CALLBACKS_ENABLED', None)
    monkeypatch.setenv('PATH', env['PATH'])
    return {key: env[key] for key in env if key.startswith('ANSIBLE_')}


def _run(tmp_path, envvars, extravars):
    private = tmp_path / 'runner'
    private.mkdir()
    result = ansible_runner.run(
        private_data_dir=str(private),
        project_dir=str(REPO / 'playbooks'),
        playbook='migration_health.yml',
        inventory='localhost ansible_connection=local ansible_python_interpreter=%s' % (BIN / 'python'),
        extravars=extravars,
        envvars=envvars,
        ident='gate',
        quiet=True,
        timeout=300,
    )
    return private, result


def _set_fact_results(result):
    """The ``res`` of each ok event of the role's evaluate (set_fact) task."""
    return [
        event['event_data']['res']
        for event in result.events
        if event.get('event') == 'runner_on_ok' and event['event_data'].get('task', '').endswith(EVALUATE_TASK)
    ]


def _cached_fact(private, result):
    """The fact from runner's jsonfile fact cache (the fact is cacheable).

    ansible-core up to 2.18 writes plain JSON to ``fact_cache/localhost``, which
    ``Runner.get_fact_cache`` reads. 2.19 writes ``fact_cache/s1_localhost`` with
    a serialized payload that ansible-runner 2.4 does not read: there, check the
    entry is there and holds the fact, and return None.
    """
    data = result.get_fact_cache('localhost')
    if 'migration_health' in data:
        return data['migration_health']
    entries = sorted((private / 'artifacts' / 'gate' / 'fact_cache').glob('*localhost'))
    assert entries, 'no fact cache entry for localhost'
    payload = json.loads(entries[0].read_text())
    payload = json.loads(payload['__payload__']) if '__payload__' in payload else payload
    assert 'migration_health' in payload, sorted(payload)
    return None


def test_report_mode_job_is_successful_with_fact_and_reports(demo_emulator, runner_env, tmp_path):
    report_dir = tmp_path / 'reports'
    private, result = _run(tmp_path, runner_env, _gate_vars(demo_emulator, report_dir, migration_health_fail=False))
    stdout = result.stdout.read()
    assert result.status == 'successful', stdout
    assert result.rc == 0, stdout

    # The job's artifacts, as a controller would read them.
    artifacts = private / 'artifacts' / 'gate'
    assert (artifacts / 'status').read_text().strip() == 'successful'
    assert (artifacts / 'rc').read_text().strip() == '0'
    assert list((artifacts / 'job_events').glob('*.json'))
    assert result.stats['failures'] == {} and result.stats['dark'] == {}

    # The fact, in the event stream and in runner's fact cache.
    facts = _set_fact_results(result)
    assert len(facts) == 1, [event.get('event') for event in result.events]
    fact = facts[0]['ansible_facts']['migration_health']
    assert fact['verdict'] == 'UNHEALTHY' and fact['healthy'] is False
    assert fact['violations'] and fact['counts']['checks_failed'] == len(fact['violations'])
    cached = _cached_fact(private, result)
    if cached is not None:
        assert cached == fact

    # The reports, and the JSON one is the fact.
    for name in REPORTS:
        assert (report_dir / name).stat().st_size > 0, name
    assert json.loads((report_dir / 'migration-health.json').read_text()) == fact
    root = ET.parse(str(report_dir / 'migration-health.xml')).getroot()
    assert len(list(root.iter('testcase'))) == len(fact['checks'])
    assert int(root.get('failures')) == fact['counts']['checks_failed']


def test_gate_mode_job_fails_after_writing_reports(demo_emulator, runner_env, tmp_path):
    report_dir = tmp_path / 'reports'
    private, result = _run(tmp_path, runner_env, _gate_vars(demo_emulator, report_dir))
    stdout = result.stdout.read()
    assert result.status == 'failed', stdout
    assert result.rc != 0
    assert (private / 'artifacts' / 'gate' / 'status').read_text().strip() == 'failed'
    failed = [event['event_data'] for event in result.events if event.get('event') == 'runner_on_failed']
    assert failed and failed[-1]['task'].endswith('Fail the gate'), stdout
    assert failed[-1]['res']['msg'].startswith('Migration health gate FAILED: ')
    for name in REPORTS:
        assert (report_dir / name).is_file(), name


def test_healthy_selection_job_is_successful_in_gate_mode(demo_emulator, runner_env, tmp_path):
    report_dir = tmp_path / 'reports'
    private, result = _run(
        tmp_path, runner_env, _gate_vars(demo_emulator, report_dir, migration_health_sync_tasks=[HEALTHY_TASK], migration_health_datasets=[COMPLETED_DATASET])
    )
    assert result.status == 'successful', result.stdout.read()
    fact = _set_fact_results(result)[0]['ansible_facts']['migration_health']
    assert fact['healthy'] is True and fact['verdict'] == 'HEALTHY'
    assert json.loads((report_dir / 'migration-health.json').read_text())['healthy'] is True


def test_fleet_job_reports_one_verdict_for_three_targets(emulator_factory, runner_env, tmp_path):
    from fleet_harness import FLEET_SCENARIO, TARGETS, credential_env, fleet_inventory

    emulator = emulator_factory(FLEET_SCENARIO)
    report_dir = tmp_path / 'reports'
    private = tmp_path / 'runner'
    private.mkdir()
    envvars = dict(runner_env, **credential_env())
    result = ansible_runner.run(
        private_data_dir=str(private),
        project_dir=str(REPO / 'playbooks'),
        playbook='migration_health.yml',
        inventory=fleet_inventory(emulator, ['north', 'east', 'southeast'], report_dir),
        envvars=envvars,
        cmdline='--forks 3',
        ident='fleet',
        quiet=True,
        timeout=300,
    )
    stdout = result.stdout.read()
    assert result.status == 'failed' and result.rc != 0, stdout

    fleet_events = [
        event['event_data']
        for event in result.events
        if event.get('event') == 'runner_on_ok' and event['event_data'].get('task') == 'Build the fleet verdict and write the fleet reports'
    ]
    assert len(fleet_events) == 1, stdout
    fleet = fleet_events[0]['res']['ansible_facts']['migration_health_fleet']
    assert fleet['verdict'] == 'UNHEALTHY'
    assert sorted(entry['name'] for entry in fleet['targets']) == ['east', 'north', 'southeast']
    assert dict((entry['name'], entry['verdict']) for entry in fleet['targets']) == {'north': 'HEALTHY', 'east': 'HEALTHY', 'southeast': 'UNHEALTHY'}
    assert json.loads((report_dir / 'migration-health.json').read_text()) == fleet
    for entry in fleet['targets']:
        assert entry['region'] == TARGETS[entry['name']][0]
        assert (report_dir / entry['name'] / 'migration-health.json').is_file()
    # The unhealthy target's own gate failed (and was rescued); the job fails on the fleet verdict.
    failed = [event['event_data'] for event in result.events if event.get('event') == 'runner_on_failed']
    assert failed[-1]['task'] == 'Fail the fleet gate', [event['task'] for event in failed]
    assert failed[-1]['res']['msg'].startswith('Migration health fleet gate FAILED: UNHEALTHY: 1 of 3 targets')
    assert (private / 'artifacts' / 'fleet' / 'status').read_text().strip() == 'failed'
