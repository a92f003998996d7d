# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleet row of `make bench`: N targets gated in parallel against one target alone.

One emulator serves every target (one project per region, each with its own
sync tasks, a ``latency`` fault on every route). The gate playbook runs twice
over a static inventory: with one target, then with all of them and
``--forks`` as many; the figure is the ratio of the wall times (median of
``runs`` runs each). Targets run in parallel, so the ratio stays close to 1
until the controller's cores are the limit.

    .venv/bin/python tests/benchmark/bench_fleet.py [--targets 10] [--tasks 50] [--latency-ms 50] [--profile]

``--profile`` also writes the controller CPU of every task of every run,
summed over the targets, next to the run's log (build/bench/*.cpu.txt), and
prints the table of the last fleet run: which steps a target pays for.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hwc_emulator import generate
from hwc_emulator.launcher import EmulatorProcess

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
BIN = Path(sys.executable).parent
COLLECTIONS = REPO / '.venv' / 'collections'
OUT_DIR = REPO / 'build' / 'bench'
PLAYBOOK_TIMEOUT = 600
TARGET_RATIO = 1.5
# Regions of the official SDK's table; one project each.
REGIONS = (
    'cn-north-4',
    'cn-north-1',
    'cn-east-2',
    'cn-east-3',
    'cn-south-1',
    'ap-southeast-1',
    'ap-southeast-3',
    'la-south-2',
    'cn-south-4',
    'cn-southwest-2',
    'ap-southeast-4',
    'cn-north-9',
    'ap-southeast-2',
    'la-north-2',
    'tr-west-1',
    'sa-brazil-1',
    'me-east-1',
    'af-south-1',
)
CREDENTIAL_ENV_PREFIXES = ('HW_', 'HUAWEICLOUD_SDK_', 'CLOUD_SDK_')


def project_id(index):
    return 'f1ee7be0%024d' % index


def write_scenario(path, targets, tasks, latency_ms):
    """One project per target, ``tasks`` sync tasks in each, a latency fault on every route."""
    if targets > len(REGIONS):
        raise ValueError('at most %d targets (one per region)' % len(REGIONS))
    scenario = generate.make_scenario(0, 0, seed=1)
    scenario['regions'] = dict((REGIONS[index], [project_id(index)]) for index in range(targets))
    scenario['default_project'] = project_id(0)
    scenario['sync_tasks'] = []
    for index in range(targets):
        scenario['sync_tasks'] += generate.make_sync_tasks(tasks, seed=index, project_id=project_id(index), prefix='fleet-%02d-task-' % index)
    scenario.pop('generate', None)
    if latency_ms:
        scenario['faults'] = [{'route': '*', 'kind': 'latency', 'ms': latency_ms}]
    with open(str(path), 'w') as handle:
        generate.dump_scenario(scenario, handle)


def write_inventory(path, emulator, count, report_dir):
    hosts = {}
    for index in range(count):
        hosts['target-%02d' % index] = {
            'migration_health_connection': {'region': REGIONS[index], 'project_id': project_id(index), 'endpoint': emulator.url, 'iam_endpoint': emulator.url}
        }
    inventory = {
        'all': {
            'vars': {'migration_health_sync_tasks': 'all', 'migration_health_fail': False, 'migration_health_report_dir': str(report_dir)},
            'children': {'migration_health_targets': {'hosts': hosts}},
        }
    }
    path.write_text(json.dumps(inventory))
    return path


def _env(profile_file=None):
    env = {key: value for key, value in os.environ.items() if not key.startswith(CREDENTIAL_ENV_PREFIXES)}
    env.update(
        {
            'ANSIBLE_COLLECTIONS_PATH': str(COLLECTIONS),
            'ANSIBLE_LOCALHOST_WARNING': 'False',
            'ANSIBLE_NOCOLOR': '1',
            'ANSIBLE_RETRY_FILES_ENABLED': 'False',
            'HUAWEICLOUD_SDK_AK': generate.BENCH_ACCESS_KEY,
            'HUAWEICLOUD_SDK_SK': generate.BENCH_SECRET_KEY,
            'PATH': str(BIN) + os.pathsep + os.environ.get('PATH', ''),
        }
    )
    if profile_file:
        env.update({'ANSIBLE_CALLBACK_PLUGINS': str(HERE / 'callback_plugins'), 'ANSIBLE_CALLBACKS_ENABLED': 'task_cpu', 'TASK_CPU_FILE': str(profile_file)})
    return env


def _children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_gate(inventory, forks, workdir, name, profile=False):
    """(wall seconds, CPU seconds of ansible-playbook and its modules) of one run; raises when it fails.

    With ``profile`` the CPU of each task goes to build/bench/<name>.cpu.txt.
    """
    log_file = OUT_DIR / ('%s.log' % name)
    profile_file = OUT_DIR / ('%s.cpu.txt' % name) if profile else None
    command = [str(BIN / 'ansible-playbook'), 'hwcloud.migration.migration_health', '-i', str(inventory), '--forks', str(forks)]
    started = time.perf_counter()
    cpu = _children_cpu()
    with open(str(log_file), 'w') as log:
        process = subprocess.run(command, env=_env(profile_file), cwd=str(workdir), stdout=log, stderr=subprocess.STDOUT, timeout=PLAYBOOK_TIMEOUT, check=False)
    wall = time.perf_counter() - started
    cpu = _children_cpu() - cpu
    if process.returncode != 0:
        raise RuntimeError('%s: ansible-playbook exited with %d; see %s' % (name, process.returncode, log_file))
    return wall, cpu


def _median(runs):
    """The (wall, cpu) run with the median wall time."""
    ordered = sorted(runs)
    return ordered[len(ordered) // 2]


def run(workdir, targets=10, tasks=50, latency_ms=50, runs=3, profile=False):
    """Measure one target alone and ``targets`` targets with as many forks; returns the figures."""
    workdir = Path(workdir)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    scenario = workdir / 'fleet-bench.yml'
    write_scenario(scenario, targets, tasks, latency_ms)
    emulator = EmulatorProcess(scenario, log_path=OUT_DIR / 'emulator-fleet.log', start_timeout=60)
    try:
        single_inventory = write_inventory(workdir / 'fleet-1.json', emulator, 1, workdir / 'reports-1')
        fleet_inventory = write_inventory(workdir / 'fleet-n.json', emulator, targets, workdir / 'reports-n')
        single, fleet = [], []
        for number in range(max(1, runs)):
            # Alternate, so a slow spell of a shared machine hits both sides alike.
            single.append(run_gate(single_inventory, 1, workdir, 'fleet-1-run%d' % number, profile=profile))
            fleet.append(run_gate(fleet_inventory, targets, workdir, 'fleet-%d-run%d' % (targets, number), profile=profile))
        report = json.loads((workdir / 'reports-n' / 'migration-health.json').read_text())
    finally:
        emulator.stop()
    checked = [entry for entry in report['targets'] if entry['counts'] and entry['counts']['sync_tasks'] == tasks]
    if len(checked) != targets:
        raise RuntimeError('the fleet run did not gate %d tasks on each of %d targets' % (tasks, targets))
    single_s, single_cpu = _median(single)
    fleet_s, fleet_cpu = _median(fleet)
    cores = os.cpu_count() or 1
    return {
        'targets': targets,
        'tasks_per_target': tasks,
        'latency_ms': latency_ms,
        'forks': targets,
        'single_s': single_s,
        'fleet_s': fleet_s,
        'ratio': fleet_s / single_s,
        'single_cpu_s': single_cpu,
        'fleet_cpu_s': fleet_cpu,
        'cores': cores,
        # The extra targets' CPU work, spread over every core, adds to one target's time at least.
        'cpu_floor_ratio': 1.0 + max(0.0, fleet_cpu - single_cpu) / cores / single_s,
        'cores_for_target': max(0.0, fleet_cpu - single_cpu) / ((TARGET_RATIO - 1.0) * single_s),
        'load_average': os.getloadavg()[0],
        'single_runs': single,
        'fleet_runs': fleet,
        'verdict': report['verdict'],
        # Text, not a Path: bench.py writes these figures as JSON.
        'profile': str(OUT_DIR / ('fleet-%d-run%d.cpu.txt' % (targets, max(1, runs) - 1))) if profile else None,
    }


def render(result):
    """The fleet row of the bench table, with the runs it comes from and the CPU it took."""
    return '\n'.join(
        [
            'Fleet: %d targets x %d sync tasks, %d ms latency, forks %d: %.2fs vs one target alone %.2fs -> %.2fx'
            % (result['targets'], result['tasks_per_target'], result['latency_ms'], result['forks'], result['fleet_s'], result['single_s'], result['ratio']),
            '  median of %d runs each; fleet verdict %s' % (len(result['fleet_runs']), result['verdict']),
            '  CPU: %.1fs for the fleet, %.1fs for one target, on %d cores (load average %.1f at the end): '
            'the CPU alone bounds the ratio at %.2fx here; %gx needs about %.0f idle cores'
            % (
                result['fleet_cpu_s'],
                result['single_cpu_s'],
                result['cores'],
                result['load_average'],
                result['cpu_floor_ratio'],
                TARGET_RATIO,
                result['cores_for_target'],
            ),
        ]
    )


def targets(result):
    """The fleet target, in the shape of bench.py's targets."""
    return [
        {
            'name': 'fleet of %d <= %gx one target' % (result['targets'], TARGET_RATIO),
            'value': result['ratio'],
            'met': result['ratio'] <= TARGET_RATIO,
            'figure': '%.2fx' % result['ratio'],
        }
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--targets', type=int, default=10)
    parser.add_argument('--tasks', type=int, default=50)
    parser.add_argument('--latency-ms', type=int, default=50)
    parser.add_argument('--runs', type=int, default=3)
    parser.add_argument('--profile', action='store_true', help='write the CPU of each task of each run (build/bench/*.cpu.txt)')
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix='hwcloud-bench-fleet-') as workdir:
        result = run(workdir, args.targets, args.tasks, args.latency_ms, args.runs, profile=args.profile)
    print(render(result))
    if result['profile']:
        print('  CPU per task of the last fleet run, summed over its targets (%s):' % result['profile'])
        print('\n'.join('    ' + line for line in Path(result['profile']).read_text().splitlines()))
    for target in targets(result):
        print('  [%s] %-44s %s' % ('met' if target['met'] else 'NOT MET', target['name'], target['figure']))
    return 0


if __name__ == '__main__':
    sys.exit(main())
