"""The gate's inputs through the real role (ansible-playbook) against the emulator.

A variable the role does not know, or a value of the wrong type, stops the gate
before any request with a short message that says what to write, and the three
reports say ERROR with that reason, never an earlier run's verdict. A run prints
no warning at all (a warning about the collection's own files is a bug of ours).
"""

import json

import pytest

# role_emulator_fixture is the role_emulator fixture the tests use by name.
# pylint: disable=unused-import
from fleet_harness import FLEET_SCENARIO, credential_env, fleet_inventory, write_inventory
from test_role_faults import PLAYBOOK, assert_truthful_reports, gate_vars, role_emulator_fixture, run_gate  # noqa: F401
from test_role_migration_health import _playbook_path

RATIO_MESSAGE = 'migration_health_max_window_failure_ratio must be a fraction, e.g. 0.05'
TYPO_MESSAGE = 'migration_health_sync_task is not a variable of the migration_health role; did you mean migration_health_sync_tasks?'


@pytest.fixture(name='emulator')
def emulator_fixture(role_emulator):
    role_emulator.control('POST', 'reset')
    role_emulator.clear_requests_log()
    return role_emulator


def api_requests(emulator):
    return [entry for entry in emulator.requests_log() if not entry['path'].startswith('/_emulator/')]


def refusal(run):
    """The message of the task that refused the inputs (the last failed task)."""
    failed = [entry for entry in run.results if entry['outcome'] == 'failed']
    assert failed, run.output
    return failed[-1]['result']['msg']


def assert_refused(run, fact, message):
    assert run.rc != 0, run.output
    assert fact['verdict'] == 'ERROR' and fact['checks'] == [], fact
    assert [(entry['step'], message in entry['message']) for entry in fact['errors']] == [('inputs', True)], fact['errors']
    assert message in refusal(run)
    # The short message, not a conversion error followed by the argument spec.
    for noise in ('argument_spec_data', 'unable to convert', 'Validation of arguments failed', 'Traceback'):
        assert noise not in run.output, run.output


def test_a_misspelt_variable_fails_before_any_request_naming_the_closest_name(emulator, run_playbook, tmp_path):
    run, fact = run_gate(run_playbook, emulator, tmp_path, migration_health_sync_task=['0d146099-8cf4-437d-b6ef-88e043771c8b'])
    assert_refused(run, fact, TYPO_MESSAGE)
    assert api_requests(emulator) == []


def test_internal_names_and_the_fact_are_not_user_variables(emulator, run_playbook, tmp_path):
    run, fact = run_gate(run_playbook, emulator, tmp_path, migration_health_fleet__note='internal', migration_health={'verdict': 'HEALTHY'})
    assert run.rc == 0 and fact['verdict'] == 'HEALTHY', run.output


def test_a_value_of_the_wrong_type_replaces_a_green_report_with_an_error_saying_what_to_write(emulator, run_playbook, tmp_path):
    run, fact = run_gate(run_playbook, emulator, tmp_path)
    assert run.rc == 0 and fact['verdict'] == 'HEALTHY', run.output
    # The same directory, now with a ratio written as a percentage.
    run = run_playbook(PLAYBOOK, extra_vars=gate_vars(emulator, tmp_path / 'reports', migration_health_max_window_failure_ratio='5%'))
    fact = assert_truthful_reports(run, tmp_path / 'reports', 0)
    assert_refused(run, fact, RATIO_MESSAGE)
    assert "(got '5%')" in refusal(run)
    junit = (tmp_path / 'reports' / 'migration-health.xml').read_text()
    html = (tmp_path / 'reports' / 'migration-health.html').read_text()
    assert RATIO_MESSAGE in junit and RATIO_MESSAGE in html
    assert 'id="verdict">ERROR<' in html


def test_a_value_the_policy_refuses_is_refused_like_a_wrong_type_even_in_report_mode(emulator, run_playbook, tmp_path):
    # The spec takes any string as a window; what it means is the policy's to check, in the same step.
    run, fact = run_gate(run_playbook, emulator, tmp_path, migration_health_window='2m', migration_health_fail=False)
    assert_refused(run, fact, "migration_health_window: '2m' is shorter than one statistics bucket")
    assert api_requests(emulator) == []


@pytest.mark.security
def test_a_secret_of_a_refused_connection_is_not_shown(emulator, run_playbook, tmp_path):
    run, fact = run_gate(run_playbook, emulator, tmp_path, migration_health_connection='not-a-dict-secret-value')
    assert_refused(run, fact, 'migration_health_connection must be a dict')
    assert 'not-a-dict-secret-value' not in run.output


def test_a_green_run_prints_no_warning(emulator, run_playbook, tmp_path):
    run = run_playbook(_playbook_path(), extra_vars=gate_vars(emulator, tmp_path / 'reports'))
    assert run.rc == 0, run.output
    assert '[WARNING]' not in run.output, run.output


@pytest.mark.parametrize('where', ['host', 'group', 'extra'])
def test_a_misspelt_variable_of_a_fleet_target_is_an_error_for_that_target(emulator_factory, run_playbook, tmp_path, where):
    emulator = emulator_factory(FLEET_SCENARIO)
    report_dir = tmp_path / 'reports'
    inventory = fleet_inventory(emulator, ['north', 'east'], report_dir)
    typo = {'migration_health_sync_task': 'all'}
    extra_vars = None
    if where == 'host':
        inventory['all']['children']['migration_health_targets']['hosts']['north'].update(typo)
    elif where == 'group':
        inventory['all']['children']['migration_health_targets']['vars'] = typo
    else:
        extra_vars = typo
    path = write_inventory(tmp_path / 'fleet.yml', inventory)
    emulator.clear_requests_log()
    run = run_playbook(_playbook_path(), env=credential_env(), extra_vars=extra_vars, args=('-i', str(path)))
    assert run.rc != 0, run.output
    fleet = json.loads((report_dir / 'migration-health.json').read_text())
    targets = {entry['name']: entry for entry in fleet['targets']}
    refused = {'north'} if where == 'host' else {'north', 'east'}
    for name in refused:
        assert targets[name]['verdict'] == 'ERROR' and TYPO_MESSAGE in targets[name]['error'], targets[name]
        target_fact = json.loads((report_dir / name / 'migration-health.json').read_text())
        assert target_fact['verdict'] == 'ERROR' and TYPO_MESSAGE in target_fact['error'], target_fact
    for name in {'north', 'east'} - refused:
        assert targets[name]['verdict'] == 'HEALTHY', targets[name]
    if where == 'host':
        # North's gate sent nothing: no request names its project.
        north_project = inventory['all']['children']['migration_health_targets']['hosts']['north']['migration_health_connection']['project_id']
        assert not any(north_project in entry['path'] for entry in api_requests(emulator)), api_requests(emulator)


def test_role_parameters_and_role_vars_are_checked_too(emulator, run_playbook, tmp_path):
    variables = gate_vars(emulator, tmp_path / 'reports')
    for role_entry in (
        dict(variables, migration_health_max_window_failure_ratio='5%'),
        {'vars': dict(variables, migration_health_max_window_failure_ratio='5%')},
    ):
        playbook = [dict(PLAYBOOK[0], roles=[dict(role_entry, role='hwcloud.migration.migration_health')])]
        run = run_playbook(playbook)
        fact = assert_truthful_reports(run, tmp_path / 'reports', 0)
        assert_refused(run, fact, RATIO_MESSAGE)
