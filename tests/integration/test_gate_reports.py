"""What a gate run prints and leaves on disk: its summary (the demo's too), check mode, file modes, a fleet given -e."""

import json
import os
import re
import stat
import subprocess
import sys

import pytest
from conftest import REPO, ansible_env
from fleet_harness import FLEET_SCENARIO, REPORTS, TARGETS, credential_env, fleet_inventory, write_inventory
from test_role_migration_health import HEALTHY_TASK, STOPPED_TASK, gate_vars

PLAYBOOK = str(REPO / 'playbooks' / 'migration_health.yml')
SHOW_VERDICT = 'hwcloud.migration.migration_health : Show the verdict'
# Times move between two runs; the lines around them must not.
ISO_TIME = re.compile(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z')


def _shown(run):
    """The lines the role's "Show the verdict" task printed."""
    entries = [entry for entry in run.results if entry['task'].endswith('Show the verdict')]
    assert entries, run.output
    return entries[-1]['result']['msg']


def _shown_in_output(text, task=SHOW_VERDICT):
    """The msg list the default callback printed for ``task`` (the way a terminal shows it)."""
    start = text.index('TASK [%s]' % task)
    block = text[text.index('=> {', start) + 3 :]
    return json.loads(block[: block.index('\n}\n') + 2])['msg']


def _masked(lines, report_dir):
    return [ISO_TIME.sub('<time>', line).replace(str(report_dir), '<reports>') for line in lines]


def _modes(directory):
    return dict((name, stat.S_IMODE((directory / name).stat().st_mode)) for name in REPORTS)


# -- 20.4: the demo shows what a real run shows ------------------------------


def test_a_real_run_prints_the_summary_the_demo_prints(demo_emulator, run_playbook, tmp_path):
    demo_dir = tmp_path / 'demo-reports'
    process = subprocess.run(
        [sys.executable, str(REPO / 'tools' / 'demo.py'), '--port', '0', '--report-dir', str(demo_dir)],
        capture_output=True,
        text=True,
        env=ansible_env(),
        timeout=300,
        check=False,
    )
    assert process.returncode == 0, process.stdout + process.stderr
    demo_lines = _shown_in_output(process.stdout)
    # The demo formats nothing of its own: no second summary after the gate's.
    assert 'Verdict:' not in process.stdout and 'SUBJECT' not in process.stdout.split('PLAY RECAP')[-1]

    # The same gate (the vars file the demo wrote), by hand, against another emulator of the same scenario.
    extra_vars = json.loads((REPO / 'build' / 'demo' / 'demo-vars.json').read_text())
    extra_vars['migration_health_connection'].update(endpoint=demo_emulator.url, iam_endpoint=demo_emulator.url)
    real_dir = tmp_path / 'real-reports'
    extra_vars['migration_health_report_dir'] = str(real_dir)
    # The demo reads the failed-object lists from the emulator's OBS (the command it prints names the variable).
    run = run_playbook(PLAYBOOK, extra_vars=extra_vars, env={'HUAWEICLOUD_SDK_REGION_OBS_CN_NORTH_4': demo_emulator.url})
    assert run.rc == 0, run.output
    real_lines = _shown(run)
    assert 'HUAWEICLOUD_SDK_REGION_OBS_CN_NORTH_4=' in process.stdout
    # After the gate's own output, the first failed objects of the failing subjects.
    assert 'Failed objects, the first 3 of each subject' in process.stdout and 'by code: ' in process.stdout

    assert _masked(real_lines, real_dir) == _masked(demo_lines, demo_dir)
    fact = json.loads((real_dir / 'migration-health.json').read_text())
    assert real_lines[0].startswith('UNHEALTHY: %d of %d checks failed (' % (fact['counts']['checks_failed'], fact['counts']['checks']))
    assert real_lines[1] == 'Window: 1h (%s to %s)' % (fact['window']['start'], fact['window']['end'])
    assert real_lines[2].startswith('Cutover: ') and real_lines[2].endswith('(migration_health_deadline: +1h)')
    table = real_lines[real_lines.index('Failed checks:') + 1 :]
    assert table[0].split() == ['SUBJECT', 'CHECK', 'OBSERVED', 'THRESHOLD', 'RESULT']
    failed = [check for check in fact['checks'] if not check['passed']]
    rows = table[2 : 2 + len(failed)]
    assert [row.split()[:2] for row in rows] == [[check['subject'], check['id']] for check in failed]
    assert real_lines[-1] == 'reports in %s' % real_dir


# -- 19.16: the reports honour the umask --------------------------------------


@pytest.fixture
def fleet_emulator(emulator_factory):
    return emulator_factory(FLEET_SCENARIO)


def _under_umask(umask, run, *args, **kwargs):
    """``run(...)`` with the process umask set to ``umask`` (ansible-playbook inherits it)."""
    previous = os.umask(umask)
    try:
        return run(*args, **kwargs)
    finally:
        os.umask(previous)


@pytest.mark.parametrize('umask, mode', [(0o077, 0o600), (0o022, 0o644), (0o002, 0o664)])
def test_single_target_reports_have_the_mode_the_umask_gives(demo_emulator, run_playbook, tmp_path, umask, mode):
    extra_vars = gate_vars(demo_emulator, tmp_path, migration_health_fail=False)
    run = _under_umask(umask, run_playbook, PLAYBOOK, extra_vars=extra_vars)
    assert run.rc == 0, run.output
    report_dir = tmp_path / 'reports'
    assert _modes(report_dir) == dict((name, mode) for name in REPORTS)
    # Atomic replacement: no temporary file is left beside the reports.
    assert sorted(path.name for path in report_dir.iterdir()) == sorted(REPORTS)


def test_fleet_reports_have_the_mode_the_umask_gives(fleet_emulator, run_playbook, tmp_path):
    report_dir = tmp_path / 'reports'
    inventory = write_inventory(tmp_path / 'fleet.yml', fleet_inventory(fleet_emulator, ['north', 'east'], report_dir))
    run = _under_umask(0o077, run_playbook, PLAYBOOK, env=credential_env(), args=('-i', str(inventory)))
    assert run.rc == 0, run.output
    for directory in (report_dir, report_dir / 'north', report_dir / 'east'):
        assert _modes(directory) == dict((name, 0o600) for name in REPORTS), directory
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700, directory


# -- 19.11: the fleet takes what the single-target docs tell users to pass -----


def _gate_file_vars(report_dir):
    """docs/gate.yml adapted to the fleet emulator: its ids become `all`, the connection stays in the inventory."""
    return {
        'migration_health_sync_tasks': 'all',
        'migration_health_datasets': [],
        'migration_health_window': '1h',
        'migration_health_allowed_task_statuses': ['SYNCHRONIZING'],
        'migration_health_max_window_failure_ratio': 0.05,
        'migration_health_max_window_failed_objects': 100,
        'migration_health_max_monthly_failure_ratio': 0.05,
        'migration_health_max_stall_age': '30m',
        'migration_health_allowed_dataset_statuses': ['COMPLETED'],
        'migration_health_skip_checks': [],
        'migration_health_fail': True,
        'migration_health_report_dir': str(report_dir),
        'migration_health_max_concurrency': 8,
    }


def _fleet_layout(report_dir, names):
    fleet = json.loads((report_dir / 'migration-health.json').read_text())
    entries = dict((entry['name'], entry) for entry in fleet['targets'])
    assert sorted(entries) == sorted(names)
    for name in names:
        assert entries[name]['reports']['dir'] == str(report_dir / name)
        assert sorted(path.name for path in (report_dir / name).iterdir()) == sorted(REPORTS)
    return fleet, entries


def test_fleet_takes_the_report_dir_as_an_extra_variable(fleet_emulator, run_playbook, tmp_path):
    inventory_dir = tmp_path / 'inventory-reports'
    inventory = write_inventory(tmp_path / 'fleet.yml', fleet_inventory(fleet_emulator, ['north', 'east'], inventory_dir))
    report_dir = tmp_path / 'from-e'
    run = run_playbook(PLAYBOOK, env=credential_env(), args=('-i', str(inventory), '-e', 'migration_health_report_dir=%s' % report_dir))
    assert run.rc == 0, run.output
    fleet, entries = _fleet_layout(report_dir, ['north', 'east'])
    assert fleet['verdict'] == 'HEALTHY'
    assert entries['north']['project_id'] == TARGETS['north'][1] and entries['east']['project_id'] == TARGETS['east'][1]
    assert not inventory_dir.exists()
    shown = run.task('Show the fleet verdict')['result']['msg']
    assert shown[-1] == 'reports in %s' % report_dir


def test_fleet_takes_the_variables_of_a_gate_file(fleet_emulator, run_playbook, tmp_path):
    inventory = fleet_inventory(fleet_emulator, ['north', 'east', 'southeast'], tmp_path / 'inventory-reports')
    del inventory['all']['vars']['migration_health_report_dir']
    path = write_inventory(tmp_path / 'fleet.yml', inventory)
    report_dir = tmp_path / 'reports'
    run = run_playbook(PLAYBOOK, env=credential_env(), extra_vars=_gate_file_vars(report_dir), args=('-i', str(path), '--forks', '3'))
    # southeast has a STOPPED task: the fleet fails, after writing every report where the gate file says.
    assert run.rc != 0 and run.task('Fail the fleet gate')['outcome'] == 'failed', run.output
    fleet, entries = _fleet_layout(report_dir, ['north', 'east', 'southeast'])
    assert fleet['counts'] == {'targets': 3, 'healthy': 2, 'unhealthy': 1, 'error': 0}
    # Each target gated its own project, with the gate file's thresholds.
    for name, entry in entries.items():
        assert entry['region'] == TARGETS[name][0] and entry['project_id'] == TARGETS[name][1]
        own = json.loads((report_dir / name / 'migration-health.json').read_text())
        assert own['window']['duration'] == '1h' and own['thresholds']['max_stall_age'] == '30m', own['thresholds']


# -- 19.9: check mode reads and evaluates, and changes nothing on disk ----------


def _snapshot(directory):
    """Every file under ``directory`` with its bytes and modification time."""
    return dict((str(path), (path.read_bytes(), path.stat().st_mtime_ns)) for path in sorted(directory.rglob('*')) if path.is_file())


def test_check_mode_evaluates_writes_nothing_and_says_the_reports_are_old(demo_emulator, run_playbook, tmp_path):
    report_dir = tmp_path / 'reports'
    healthy = gate_vars(demo_emulator, tmp_path, migration_health_sync_tasks=[HEALTHY_TASK], migration_health_datasets=[])
    run = run_playbook(PLAYBOOK, extra_vars=healthy)
    assert run.rc == 0, run.output
    earlier = _snapshot(report_dir)
    assert json.loads((report_dir / 'migration-health.json').read_text())['verdict'] == 'HEALTHY'

    # The same directory, now a selection that is unhealthy, in check mode.
    demo_emulator.clear_requests_log()
    unhealthy = dict(healthy, migration_health_sync_tasks=[STOPPED_TASK], migration_health_fail=False)
    run = run_playbook(PLAYBOOK, extra_vars=unhealthy, args=('--check',))
    assert run.rc == 0, run.output
    # It read and evaluated ...
    assert any(STOPPED_TASK in entry['path'] for entry in demo_emulator.requests_log())
    shown = _shown(run)
    assert shown[0].startswith('UNHEALTHY: ')
    # ... wrote nothing, and says so: the green report on disk is not this run's.
    assert _snapshot(report_dir) == earlier
    assert shown[-1] == 'check mode: no reports written; the reports in %s, if any, are from an earlier run and were not updated' % report_dir
    assert not [line for line in shown if line.startswith('reports in ')]

    # Without earlier reports, check mode creates nothing at all.
    fresh = tmp_path / 'fresh'
    run = run_playbook(PLAYBOOK, extra_vars=dict(unhealthy, migration_health_report_dir=str(fresh)), args=('--check',))
    assert run.rc == 0, run.output
    assert not fresh.exists()


def test_fleet_check_mode_writes_nothing_and_links_no_earlier_report(fleet_emulator, run_playbook, tmp_path):
    report_dir = tmp_path / 'reports'
    path = write_inventory(tmp_path / 'fleet.yml', fleet_inventory(fleet_emulator, ['north', 'east'], report_dir, migration_health_fail=False))
    run = run_playbook(PLAYBOOK, env=credential_env(), args=('-i', str(path)))
    assert run.rc == 0, run.output
    earlier = _snapshot(report_dir)

    path = write_inventory(tmp_path / 'fleet.yml', fleet_inventory(fleet_emulator, ['north', 'east', 'southeast'], report_dir, migration_health_fail=False))
    run = run_playbook(PLAYBOOK, env=credential_env(), args=('-i', str(path), '--check'))
    assert run.rc == 0, run.output
    fleet = run.task('Build the fleet verdict and write the fleet reports')['result']['ansible_facts']['migration_health_fleet']
    assert fleet['verdict'] == 'UNHEALTHY' and fleet['counts']['targets'] == 3
    # The fleet fact does not point at the earlier run's target reports as if they were this run's.
    assert [entry['reports'] for entry in fleet['targets']] == [None, None, None]
    assert _snapshot(report_dir) == earlier and not (report_dir / 'southeast').exists()
    shown = run.task('Show the fleet verdict')['result']['msg']
    assert shown[-1] == 'check mode: no reports written; the reports in %s, if any, are from an earlier run and were not updated' % report_dir
