"""The gate playbook over a fleet of targets (project x region) against one emulator."""

import json
import subprocess
import xml.etree.ElementTree as ET

import pytest
from conftest import BIN, REPO, ansible_env
from fleet_harness import FLEET_KEY, FLEET_SCENARIO, LIMITED_KEY, REPORTS, TARGETS, credential_env, fleet_inventory, write_inventory

PLAYBOOK = str(REPO / 'playbooks' / 'migration_health.yml')
FLEET_TASK = 'Build the fleet verdict and write the fleet reports'


@pytest.fixture
def fleet_emulator(emulator_factory):
    """One emulator serving every project and region of the fleet scenario."""
    return emulator_factory(FLEET_SCENARIO)


def _run_fleet(run_playbook, tmp_path, inventory, env=None):
    path = write_inventory(tmp_path / 'fleet.yml', inventory)
    return run_playbook(PLAYBOOK, env=env or credential_env(), args=('-i', str(path), '--forks', '4'))


def _fleet_report(report_dir):
    return json.loads((report_dir / 'migration-health.json').read_text())


def _entries(fleet):
    return dict((entry['name'], entry) for entry in fleet['targets'])


def test_fleet_with_one_unhealthy_target_fails_after_writing_every_report(fleet_emulator, run_playbook, tmp_path):
    report_dir = tmp_path / 'reports'
    run = _run_fleet(run_playbook, tmp_path, fleet_inventory(fleet_emulator, ['north', 'east', 'southeast'], report_dir))
    assert run.rc != 0, run.output
    failed = run.task('Fail the fleet gate')
    assert failed['outcome'] == 'failed', run.output
    assert failed['result']['msg'].splitlines()[0] == ('Migration health fleet gate FAILED: UNHEALTHY: 1 of 3 targets are not healthy (1 unhealthy, 0 error)')

    fleet = _fleet_report(report_dir)
    assert fleet['verdict'] == 'UNHEALTHY' and fleet['healthy'] is False
    assert fleet['counts'] == {'targets': 3, 'healthy': 2, 'unhealthy': 1, 'error': 0}
    assert fleet == run.task(FLEET_TASK)['result']['ansible_facts']['migration_health_fleet']
    entries = _entries(fleet)
    assert sorted(entries) == ['east', 'north', 'southeast']
    for name, entry in entries.items():
        region, project_id = TARGETS[name][:2]
        assert (entry['region'], entry['project'], entry['project_id']) == (region, project_id, project_id)
        own = report_dir / name
        assert entry['reports']['dir'] == str(own)
        for report in REPORTS:
            assert (own / report).stat().st_size > 0, (name, report)
        target_fact = json.loads((own / 'migration-health.json').read_text())
        assert target_fact['verdict'] == entry['verdict']
        assert target_fact['counts']['checks_failed'] == entry['counts']['checks_failed']
    assert entries['north']['verdict'] == 'HEALTHY' and entries['east']['verdict'] == 'HEALTHY'
    southeast = entries['southeast']
    assert southeast['verdict'] == 'UNHEALTHY' and southeast['counts']['sync_tasks_unhealthy'] == 1
    assert any('southeast-task-2: task-status observed STOPPED' in line for line in southeast['violations'])
    # Each target gated its own project: north's datasets were read, east's sync tasks are its own.
    assert entries['north']['counts']['datasets'] == 1
    assert entries['east']['counts']['sync_tasks'] == 1

    suite = ET.parse(str(report_dir / 'migration-health.xml')).getroot().find('testsuite')
    cases = dict((case.get('name'), case) for case in suite.findall('testcase'))
    assert sorted(cases) == ['east', 'north', 'southeast']
    assert cases['southeast'].find('failure') is not None
    assert cases['north'].find('failure') is None and cases['north'].find('error') is None
    html = (report_dir / 'migration-health.html').read_text()
    assert 'id="verdict">UNHEALTHY<' in html
    assert 'href="southeast/migration-health.html"' in html


def test_report_mode_fleet_succeeds_and_still_says_unhealthy(fleet_emulator, run_playbook, tmp_path):
    report_dir = tmp_path / 'reports'
    run = _run_fleet(run_playbook, tmp_path, fleet_inventory(fleet_emulator, ['north', 'southeast'], report_dir, migration_health_fail=False))
    assert run.rc == 0, run.output
    assert run.task('Fail the fleet gate')['outcome'] == 'skipped'
    assert _fleet_report(report_dir)['verdict'] == 'UNHEALTHY'
    # Each target's variables are checked once, by the role's input check, not again by Ansible.
    assert [entry['task'] for entry in run.results if 'Validating arguments' in entry['task']] == []
    assert len([entry for entry in run.results if entry['task'].endswith('Check the variables and mark the reports as not evaluated yet')]) == 2


def test_api_failure_on_one_target_makes_it_error_and_the_others_are_evaluated(fleet_emulator, run_playbook, tmp_path):
    report_dir = tmp_path / 'reports'
    run = _run_fleet(run_playbook, tmp_path, fleet_inventory(fleet_emulator, ['north', 'east', 'south'], report_dir))
    assert run.rc != 0, run.output
    fleet = _fleet_report(report_dir)
    assert fleet['verdict'] == 'ERROR'
    assert fleet['counts'] == {'targets': 3, 'healthy': 2, 'unhealthy': 0, 'error': 1}
    entries = _entries(fleet)
    south = entries['south']
    # The target's own gate says ERROR (its fact, its reports), naming the read that failed.
    assert south['verdict'] == 'ERROR' and south['healthy'] is False, south
    assert '403' in south['error'] and 'OMS.0072' in south['error'] and 'request id' in south['error'], south
    assert 'sync task read' in south['error'], south
    own = json.loads((report_dir / 'south' / 'migration-health.json').read_text())
    assert own['verdict'] == 'ERROR' and own['errors'][0]['status'] == 403, own['errors']
    for name in ('north', 'east'):
        assert entries[name]['verdict'] == 'HEALTHY'
        assert (report_dir / name / 'migration-health.json').is_file()
    # The broken target was asked, and the healthy ones read their own projects to the end.
    paths = [entry['path'] for entry in fleet_emulator.requests_log()]
    assert any(path.startswith('/v2/%s/' % TARGETS['south'][1]) for path in paths)
    assert any(path.endswith('/statistics') and TARGETS['east'][1] in path for path in paths)
    case = [c for c in ET.parse(str(report_dir / 'migration-health.xml')).getroot().iter('testcase') if c.get('name') == 'south'][0]
    assert case.find('error') is not None
    assert FLEET_KEY[1] not in run.output


def test_extra_var_connection_is_refused_before_any_request(fleet_emulator, run_playbook, tmp_path):
    # One connection for every target would gate one project as many times as there are targets.
    path = write_inventory(tmp_path / 'fleet.yml', fleet_inventory(fleet_emulator, ['north', 'east'], tmp_path / 'r'))
    fleet_emulator.clear_requests_log()
    connection = {'region': 'cn-north-4', 'endpoint': fleet_emulator.url, 'iam_endpoint': fleet_emulator.url}
    run = run_playbook(PLAYBOOK, env=credential_env(), extra_vars={'migration_health_connection': connection}, args=('-i', str(path)))
    assert run.rc != 0
    assert 'every target would gate the same project' in run.output and 'connection in the inventory' in run.output
    assert fleet_emulator.requests_log() == []


def test_a_target_that_fails_before_its_gate_is_error_and_the_others_are_gated(fleet_emulator, run_playbook, tmp_path):
    report_dir = tmp_path / 'reports'
    inventory = fleet_inventory(fleet_emulator, ['north', 'east'], report_dir)
    # East's report directory cannot be resolved: its gate cannot write where it should, which is
    # an ERROR, never a fallback to the default directory (here the same as report_dir).
    inventory['all']['children']['migration_health_targets']['hosts']['east']['migration_health_report_dir'] = '{{ no_such_variable }}'
    run = _run_fleet(run_playbook, tmp_path, inventory)
    assert run.rc != 0, run.output
    entries = _entries(_fleet_report(report_dir))
    east = entries['east']
    # ansible-core 2.19 stops east before its gate; 2.16 resolves the setting to its template text,
    # on which east's gate fails.
    assert east['verdict'] == 'ERROR' and ('recorded no result' in east['error'] or 'no_such_variable' in east['error']), east
    assert entries['north']['verdict'] == 'HEALTHY', entries['north']
    assert not (report_dir / 'east').exists()


def _fleet_after(run_playbook, tmp_path, emulator, earlier_facts):
    """The gate playbook imported after a play that set ``earlier_facts`` on every target."""
    inventory = write_inventory(tmp_path / 'fleet.yml', fleet_inventory(emulator, ['north'], tmp_path / 'reports'))
    playbook = [
        {
            'name': 'An earlier play of the same run',
            'hosts': 'migration_health_targets',
            'gather_facts': False,
            'tasks': [{'name': 'Set facts', 'ansible.builtin.set_fact': earlier_facts}],
        },
        {'import_playbook': 'hwcloud.migration.migration_health'},
    ]
    return run_playbook(playbook, env=credential_env(), args=('-i', str(inventory)))


def test_a_connection_fact_of_an_earlier_play_is_refused_before_any_request(fleet_emulator, run_playbook, tmp_path):
    # A fact outranks each target's connection from the inventory, as an extra variable does.
    fleet_emulator.clear_requests_log()
    run = _fleet_after(run_playbook, tmp_path, fleet_emulator, {'migration_health_connection': {'region': 'cn-north-4', 'endpoint': fleet_emulator.url}})
    assert run.rc != 0, run.output
    assert 'connection in the inventory' in run.output
    assert fleet_emulator.requests_log() == []


def test_a_report_dir_fact_of_an_earlier_play_is_the_fleet_directory(fleet_emulator, run_playbook, tmp_path):
    run = _fleet_after(run_playbook, tmp_path, fleet_emulator, {'migration_health_report_dir': str(tmp_path / 'elsewhere')})
    assert run.rc == 0, run.output
    assert _entries(_fleet_report(tmp_path / 'elsewhere'))['north']['verdict'] == 'HEALTHY'
    assert (tmp_path / 'elsewhere' / 'north' / 'migration-health.json').is_file()
    assert not (tmp_path / 'reports').exists()


def test_a_failure_recorded_by_an_earlier_play_is_not_this_runs(fleet_emulator, run_playbook, tmp_path):
    run = _fleet_after(run_playbook, tmp_path, fleet_emulator, {'migration_health_fleet__error': 'the gate failed in an earlier play'})
    assert run.rc == 0, run.output
    entry = _entries(_fleet_report(tmp_path / 'reports'))['north']
    assert entry['verdict'] == 'HEALTHY' and entry['error'] is None, entry


def _unwrap(value):
    """ansible-inventory marks values from an inventory plugin as unsafe: {"__ansible_unsafe": text}."""
    if isinstance(value, dict):
        if list(value) == ['__ansible_unsafe']:
            return value['__ansible_unsafe']
        return dict((key, _unwrap(item)) for key, item in value.items())
    if isinstance(value, list):
        return [_unwrap(item) for item in value]
    return value


def _inventory_list(source, env):
    process = subprocess.run(
        [str(BIN / 'ansible-inventory'), '-i', str(source), '--list'], capture_output=True, text=True, env=ansible_env(env), timeout=120, check=False
    )
    return process


def _projects_source(tmp_path, emulator, **options):
    source = {
        'plugin': 'hwcloud.migration.projects',
        'iam_endpoint': emulator.url,
        'region': 'cn-north-4',
        'target_settings': {'endpoint': emulator.url, 'iam_endpoint': emulator.url},
    }
    source.update(options)
    path = tmp_path / 'hwc.projects.yml'
    path.write_text(json.dumps(source))
    return path


def test_inventory_plugin_lists_the_projects_of_the_credentials(fleet_emulator, tmp_path):
    process = _inventory_list(
        _projects_source(tmp_path, fleet_emulator, keyed_groups=[{'key': 'migration_health_project.region', 'prefix': 'region'}]), credential_env()
    )
    assert process.returncode == 0, process.stderr
    inventory = _unwrap(json.loads(process.stdout))
    targets = sorted(inventory['migration_health_targets']['hosts'])
    # MOS is not a region's project: left out.
    assert targets == ['ap-southeast-1', 'cn-east-3', 'cn-north-4', 'cn-north-4_analytics', 'cn-south-1']
    hostvars = inventory['_meta']['hostvars']['cn-east-3']
    assert hostvars['ansible_connection'] == 'local'
    assert hostvars['migration_health_connection'] == {
        'endpoint': fleet_emulator.url,
        'iam_endpoint': fleet_emulator.url,
        'region': 'cn-east-3',
        'project_id': 'f1ee7000000000000000000000000002',
    }
    assert hostvars['migration_health_project']['region'] == 'cn-east-3'
    assert sorted(inventory['region_cn_north_4']['hosts']) == ['cn-north-4', 'cn-north-4_analytics']
    assert FLEET_KEY[1] not in process.stdout + process.stderr


def test_inventory_plugin_filters_by_region_and_name(fleet_emulator, tmp_path):
    process = _inventory_list(
        _projects_source(tmp_path, fleet_emulator, regions=['cn-north-4', 'cn-east-3'], exclude=['*_analytics'], host_prefix='acme-'), credential_env()
    )
    assert process.returncode == 0, process.stderr
    assert sorted(json.loads(process.stdout)['migration_health_targets']['hosts']) == ['acme-cn-east-3', 'acme-cn-north-4']
    process = _inventory_list(_projects_source(tmp_path, fleet_emulator, include=['cn-north-4*']), credential_env())
    assert sorted(json.loads(process.stdout)['migration_health_targets']['hosts']) == ['cn-north-4', 'cn-north-4_analytics']


def test_inventory_plugin_sees_only_what_a_limited_key_may_use(fleet_emulator, tmp_path):
    process = _inventory_list(_projects_source(tmp_path, fleet_emulator), credential_env(LIMITED_KEY))
    assert process.returncode == 0, process.stderr
    assert sorted(json.loads(process.stdout)['migration_health_targets']['hosts']) == ['ap-southeast-1', 'cn-north-4']


def test_inventory_plugin_fails_on_iam_errors_without_the_secret(fleet_emulator, tmp_path):
    wrong = (FLEET_KEY[0], 'not-the-right-secret-value-0001')
    process = _inventory_list(_projects_source(tmp_path, fleet_emulator), credential_env(wrong))
    output = process.stdout + process.stderr
    assert 'IAM project listing failed' in output and 'APIGW.0301' in output
    assert wrong[1] not in output
    assert 'migration_health_targets' not in process.stdout
    process = _inventory_list(_projects_source(tmp_path, fleet_emulator, regions=['north 4']), credential_env())
    assert "regions: 'north 4' is not a region ID" in process.stdout + process.stderr
    process = _inventory_list(_projects_source(tmp_path, fleet_emulator, target_settings={'secret_key': 'x'}), credential_env())
    assert 'target_settings accepts' in process.stdout + process.stderr


def test_fleet_from_the_inventory_plugin(fleet_emulator, run_playbook, tmp_path):
    source = _projects_source(tmp_path, fleet_emulator, include=['cn-north-4', 'cn-east-3', 'ap-southeast-1'], compose={'migration_health_sync_tasks': "'all'"})
    report_dir = tmp_path / 'reports'
    group_vars = tmp_path / 'group_vars'
    group_vars.mkdir()
    (group_vars / 'all.yml').write_text(json.dumps({'migration_health_report_dir': str(report_dir), 'migration_health_fail': False}))
    run = run_playbook(PLAYBOOK, env=credential_env(), args=('-i', str(source), '--forks', '3'))
    assert run.rc == 0, run.output
    fleet = _fleet_report(report_dir)
    assert sorted(_entries(fleet)) == ['ap-southeast-1', 'cn-east-3', 'cn-north-4']
    assert fleet['verdict'] == 'UNHEALTHY'
    assert _entries(fleet)['ap-southeast-1']['verdict'] == 'UNHEALTHY'
    assert _entries(fleet)['cn-east-3']['project'] == 'cn-east-3'
    for name in ('ap-southeast-1', 'cn-east-3', 'cn-north-4'):
        assert (report_dir / name / 'migration-health.json').is_file()


def test_a_shared_connection_given_with_e_gates_each_projects_own_project(fleet_emulator, run_playbook, tmp_path):
    # -e @gate.yml carries a migration_health_connection for one region; the projects
    # inventory's targets keep their own region and project on top of it.
    source = _projects_source(tmp_path, fleet_emulator, include=['cn-north-4', 'cn-east-3'], compose={'migration_health_sync_tasks': "'all'"})
    report_dir = tmp_path / 'reports'
    shared = {'region': 'cn-north-4', 'endpoint': fleet_emulator.url, 'iam_endpoint': fleet_emulator.url, 'timeout': 20}
    fleet_emulator.clear_requests_log()
    run = run_playbook(
        PLAYBOOK,
        env=credential_env(),
        extra_vars={'migration_health_connection': shared, 'migration_health_report_dir': str(report_dir), 'migration_health_fail': False},
        args=('-i', str(source), '--forks', '2'),
    )
    assert run.rc == 0, run.output
    entries = _entries(_fleet_report(report_dir))
    assert sorted(entries) == ['cn-east-3', 'cn-north-4'], entries
    projects = _unwrap(json.loads(_inventory_list(source, credential_env()).stdout))['_meta']['hostvars']
    paths = [entry['path'] for entry in fleet_emulator.requests_log()]
    for name in entries:
        project_id = projects[name]['migration_health_project']['id']
        assert any('/%s/' % project_id in path for path in paths), (name, project_id, paths)
        assert (report_dir / name / 'migration-health.json').is_file()


def test_single_host_gate_is_unchanged_without_the_targets_group(fleet_emulator, run_playbook, tmp_path):
    region, project_id, datasets = TARGETS['north']
    report_dir = tmp_path / 'reports'
    run = run_playbook(
        PLAYBOOK,
        env=credential_env(),
        extra_vars={
            'migration_health_sync_tasks': 'all',
            'migration_health_datasets': datasets,
            'migration_health_report_dir': str(report_dir),
            'migration_health_connection': {'region': region, 'project_id': project_id, 'endpoint': fleet_emulator.url, 'iam_endpoint': fleet_emulator.url},
        },
    )
    assert run.rc == 0, run.output
    fact = json.loads((report_dir / 'migration-health.json').read_text())
    assert fact['verdict'] == 'HEALTHY' and fact['counts']['sync_tasks'] == 2
    assert 'targets' not in fact
    assert not [entry for entry in run.results if entry['task'] == FLEET_TASK]
    assert sorted(path.name for path in report_dir.iterdir()) == sorted(REPORTS)


def test_an_empty_targets_group_is_an_error_not_a_pass(fleet_emulator, run_playbook, tmp_path):
    report_dir = tmp_path / 'reports'
    inventory = {'all': {'vars': {'migration_health_report_dir': str(report_dir)}, 'children': {'migration_health_targets': {'hosts': {}}}}}
    run = _run_fleet(run_playbook, tmp_path, inventory)
    assert run.rc != 0, run.output
    assert run.task('Fail the fleet gate')['result']['msg'] == ('Migration health fleet gate FAILED: ERROR: no targets were evaluated')
    fleet = _fleet_report(report_dir)
    assert fleet['verdict'] == 'ERROR' and fleet['targets'] == [] and fleet['counts']['targets'] == 0
    assert fleet_emulator.requests_log() == []


def test_a_target_whose_role_cannot_start_is_error_even_with_a_cached_healthy_fact(fleet_emulator, run_playbook, tmp_path):
    # A fact cache keeps each target's migration_health fact between runs; a run in
    # which a target's gate never started must not reuse the HEALTHY one of the last run.
    env = dict(credential_env(), ANSIBLE_CACHE_PLUGIN='jsonfile', ANSIBLE_CACHE_PLUGIN_CONNECTION=str(tmp_path / 'facts'))
    report_dir = tmp_path / 'reports'
    inventory = fleet_inventory(fleet_emulator, ['north', 'east'], report_dir)
    run = _run_fleet(run_playbook, tmp_path, inventory, env=env)
    assert run.rc == 0 and _fleet_report(report_dir)['verdict'] == 'HEALTHY', run.output
    assert any(path.name.endswith('north') for path in (tmp_path / 'facts').iterdir())

    inventory['all']['children']['migration_health_targets']['hosts']['north']['migration_health_skip_checks'] = ['task-found']
    run = _run_fleet(run_playbook, tmp_path, inventory, env=env)
    assert run.rc != 0, run.output
    entries = _entries(_fleet_report(report_dir))
    assert entries['north']['verdict'] == 'ERROR', entries['north']
    assert 'migration_health_skip_checks' in entries['north']['error'], entries['north']
    # Nothing of the cached fact stands in: the refused inputs left this run's ERROR fact, with no check.
    assert entries['north']['counts']['checks'] == 0 and entries['north']['counts']['checks_failed'] == 0, entries['north']
    assert entries['east']['verdict'] == 'HEALTHY'
