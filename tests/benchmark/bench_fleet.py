# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleet row of `make bench`: what the gate costs per extra target, against what Ansible costs per host.

One emulator serves every target (one project per region, each with its own
sync tasks, a ``latency`` fault on every route). Over static inventories of
``small`` and ``large`` targets (2 and 10) with as many ``--forks``, it runs

* the gate playbook (``hwcloud.migration.migration_health``), on every side
  (the baseline checkout and the current one, each with its own collections path);
* a one-task ``ansible.builtin.ping`` play over the same hosts (playbooks/ping_fleet.yml),
  the least Ansible spends on a host;

alternating, ``runs`` times each. The figure is the controller CPU (ansible-playbook,
its workers and the module processes) per extra target,
``(cpu(large) - cpu(small)) / (large - small)`` of the median runs, and its ratio to
the ping play's CPU per extra host. A target's gate is one read module and one
controller action, so about 2x a ping is the floor Ansible allows; the target is 2x.

    .venv/bin/python tests/benchmark/bench_fleet.py [--small 2] [--targets 10] [--tasks 50] [--latency-ms 50] [--profile]

``--profile`` also writes the controller CPU of every task of every gate run,
summed over the targets, next to the run's log (build/bench/*.cpu.txt), and
prints the table of the last large run: which steps a target pays for.
"""

import argparse
import importlib.util
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from hwc_emulator import generate
from hwc_emulator.launcher import EmulatorProcess

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
BIN = Path(sys.executable).parent
COLLECTIONS = REPO / '.venv' / 'collections'
OUT_DIR = REPO / 'build' / 'bench'
PING_PLAYBOOK = HERE / 'playbooks' / 'ping_fleet.yml'
PLAYBOOK_TIMEOUT = 600
# Issue 21: the CPU per extra target of the gate at most twice a ping's per extra host.
TARGET_VS_PING = 2.0
CREDENTIAL_ENV_PREFIXES = ('HW_', 'HUAWEICLOUD_SDK_', 'CLOUD_SDK_')


def _oms_regions() -> Tuple[str, ...]:
    """The OMS regions of the collection (plugins/module_utils/_api/regions.py), one project each.

    Loaded from its file: the bench process does not put a collections path on ``sys.path``.
    """
    spec = importlib.util.spec_from_file_location('_bench_regions', str(REPO / 'plugins' / 'module_utils' / '_api' / 'regions.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return tuple(module.SERVICE_REGIONS['oms'])


REGIONS = _oms_regions()


def project_id(index: int) -> str:
    return 'f1ee7be0%024d' % index


def write_scenario(path: Path, targets: int, tasks: int, latency_ms: int) -> None:
    """One project per target, ``tasks`` sync tasks in each, a latency fault on every route."""
    if targets > len(REGIONS):
        raise ValueError('at most %d targets (one per OMS region)' % len(REGIONS))
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


def write_inventory(path: Path, emulator, count: int, report_dir: Path) -> Path:
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


def _env(collections: Path, profile_file: Optional[Path] = None) -> Dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(CREDENTIAL_ENV_PREFIXES)}
    env.update(
        {
            'ANSIBLE_COLLECTIONS_PATH': str(collections),
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


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_playbook(playbook: str, inventory: Path, forks: int, workdir: Path, name: str, collections: Path, profile: bool = False) -> Tuple[float, float]:
    """(wall seconds, CPU seconds of ansible-playbook, its workers and its modules) of one run; raises when it fails.

    With ``profile`` the CPU of each task goes to build/bench/<name>.cpu.txt.
    """
    log_file = OUT_DIR / ('%s.log' % name)
    profile_file = OUT_DIR / ('%s.cpu.txt' % name) if profile else None
    command = [str(BIN / 'ansible-playbook'), playbook, '-i', str(inventory), '--forks', str(forks)]
    started = time.perf_counter()
    cpu = _children_cpu()
    with open(str(log_file), 'w') as log:
        process = subprocess.run(
            command, env=_env(collections, profile_file), cwd=str(workdir), stdout=log, stderr=subprocess.STDOUT, timeout=PLAYBOOK_TIMEOUT, check=False
        )
    wall = time.perf_counter() - started
    cpu = _children_cpu() - cpu
    if process.returncode != 0:
        raise RuntimeError('%s: ansible-playbook exited with %d; see %s' % (name, process.returncode, log_file))
    return wall, cpu


def median_cpu(runs: Sequence[Tuple[float, float]]) -> Tuple[float, float]:
    """The (wall, cpu) run with the median CPU time."""
    ordered = sorted(runs, key=lambda run: run[1])
    return ordered[len(ordered) // 2]


def per_extra(small: Tuple[float, float], large: Tuple[float, float], extra: int) -> float:
    """CPU seconds per extra host between the (wall, cpu) of a small and of a large inventory."""
    if extra <= 0:
        raise ValueError('the large inventory must have more hosts than the small one')
    return (large[1] - small[1]) / extra


def _checked_targets(report_file: Path, tasks: int) -> Tuple[int, str]:
    report = json.loads(report_file.read_text())
    return len([entry for entry in report['targets'] if entry['counts'] and entry['counts']['sync_tasks'] == tasks]), report['verdict']


def run(workdir, sides: Optional[List] = None, targets: int = 10, tasks: int = 50, latency_ms: int = 50, runs: int = 3, small: int = 2, profile: bool = False):
    """Measure the gate of every side and the ping play over ``small`` and ``targets`` hosts; returns the figures.

    ``sides`` are ``(name, collections path)`` pairs (``bench_baseline.Side`` is one);
    without them the current checkout's .venv/collections is measured alone.
    """
    sides = [(side[0], Path(side[1])) for side in (sides or [('current', COLLECTIONS)])]
    workdir = Path(workdir)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    scenario = workdir / 'fleet-bench.yml'
    write_scenario(scenario, targets, tasks, latency_ms)
    sizes = (small, targets)
    emulator = EmulatorProcess(scenario, log_path=OUT_DIR / 'emulator-fleet.log', start_timeout=60)
    gate = dict((name, dict((size, []) for size in sizes)) for name, _path in sides)
    ping = dict((size, []) for size in sizes)
    checked = {}
    try:
        inventories = {}
        for name, _path in sides:
            for size in sizes:
                report_dir = workdir / ('reports-%s-%d' % (name, size))
                inventories[name, size] = write_inventory(workdir / ('fleet-%s-%d.json' % (name, size)), emulator, size, report_dir)
        for number in range(max(1, runs)):
            # Alternate, so a slow spell of a shared machine hits every side and the ping play alike.
            for name, path in sides:
                for size in sizes:
                    gate[name][size].append(
                        run_playbook(
                            'hwcloud.migration.migration_health',
                            inventories[name, size],
                            size,
                            workdir,
                            'fleet-%s-%d-run%d' % (name, size, number),
                            path,
                            profile=profile,
                        )
                    )
            for size in sizes:
                inventory = inventories[sides[-1][0], size]
                ping[size].append(run_playbook(str(PING_PLAYBOOK), inventory, size, workdir, 'ping-%d-run%d' % (size, number), sides[-1][1]))
        for name, _path in sides:
            checked[name] = _checked_targets(workdir / ('reports-%s-%d' % (name, targets)) / 'migration-health.json', tasks)
    finally:
        emulator.stop()
    for name, (count, _verdict) in checked.items():
        if count != targets:
            raise RuntimeError('the %s fleet run did not gate %d tasks on each of %d targets (%d did)' % (name, tasks, targets, count))
    ping_small, ping_large = median_cpu(ping[small]), median_cpu(ping[targets])
    ping_per_host = per_extra(ping_small, ping_large, targets - small)
    result = {
        'targets': targets,
        'small': small,
        'tasks_per_target': tasks,
        'latency_ms': latency_ms,
        'runs': max(1, runs),
        'cores': os.cpu_count() or 1,
        'ping': {'small': ping_small, 'large': ping_large, 'cpu_per_extra_s': ping_per_host, 'runs': ping},
        'sides': {},
        'load_average': os.getloadavg()[0],
    }
    for name, _path in sides:
        gate_small, gate_large = median_cpu(gate[name][small]), median_cpu(gate[name][targets])
        cpu_per_target = per_extra(gate_small, gate_large, targets - small)
        result['sides'][name] = {
            'small': gate_small,
            'large': gate_large,
            'cpu_per_extra_s': cpu_per_target,
            'vs_ping': cpu_per_target / ping_per_host if ping_per_host > 0 else None,
            'verdict': checked[name][1],
            'runs': gate[name],
            # Text, not a Path: bench.py writes these figures as JSON.
            'profile': str(OUT_DIR / ('fleet-%s-%d-run%d.cpu.txt' % (name, targets, max(1, runs) - 1))) if profile else None,
        }
    return result


def render(result: dict) -> str:
    """The fleet row: CPU per extra target of each side beside the ping play's per extra host, with the runs behind them."""
    ping = result['ping']
    extra = result['targets'] - result['small']
    lines = [
        'Fleet: controller CPU per extra target, %d vs %d targets x %d sync tasks (%d ms latency, forks = targets, median of %d runs by CPU):'
        % (result['targets'], result['small'], result['tasks_per_target'], result['latency_ms'], result['runs'])
    ]
    for name, side in result['sides'].items():
        lines.append(
            '  gate (%s)%s %.3fs per extra target = %.2fx ping  (CPU %.1fs for %d, %.1fs for %d; wall %.2fs and %.2fs; fleet verdict %s)'
            % (
                name,
                ' ' * (9 - len(name)),
                side['cpu_per_extra_s'],
                side['vs_ping'] if side['vs_ping'] is not None else float('nan'),
                side['large'][1],
                result['targets'],
                side['small'][1],
                result['small'],
                side['large'][0],
                side['small'][0],
                side['verdict'],
            )
        )
    lines.append(
        '  ansible.builtin.ping  %.3fs per extra host                (CPU %.1fs for %d, %.1fs for %d; wall %.2fs and %.2fs)'
        % (ping['cpu_per_extra_s'], ping['large'][1], result['targets'], ping['small'][1], result['small'], ping['large'][0], ping['small'][0])
    )
    lines.append(
        '  per extra = (cpu(%d) - cpu(%d)) / %d; target: the gate <= %gx a ping (%d cores, load average %.1f at the end)'
        % (result['targets'], result['small'], extra, TARGET_VS_PING, result['cores'], result['load_average'])
    )
    return '\n'.join(lines)


def targets(result: dict, side: str = 'current') -> List[dict]:
    """The fleet target of one side, in the shape of bench.py's targets (a side without a ratio never meets it)."""
    ratio = result['sides'][side]['vs_ping']
    return [
        {
            'key': 'fleet',
            'name': 'fleet CPU per extra target <= %gx ping' % TARGET_VS_PING,
            'limit': '<= %gx ping' % TARGET_VS_PING,
            'value': ratio,
            'met': ratio is not None and ratio <= TARGET_VS_PING,
            'figure': '%.2fx' % ratio if ratio is not None else 'n/a',
        }
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--targets', type=int, default=10, help='hosts of the large inventory')
    parser.add_argument('--small', type=int, default=2, help='hosts of the small inventory')
    parser.add_argument('--tasks', type=int, default=50)
    parser.add_argument('--latency-ms', type=int, default=50)
    parser.add_argument('--runs', type=int, default=3)
    parser.add_argument('--profile', action='store_true', help='write the CPU of each task of each gate run (build/bench/*.cpu.txt)')
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix='hwcloud-bench-fleet-') as workdir:
        result = run(workdir, targets=args.targets, tasks=args.tasks, latency_ms=args.latency_ms, runs=args.runs, small=args.small, profile=args.profile)
    print(render(result))
    profile = result['sides']['current']['profile']
    if profile:
        print('  CPU per task of the last large gate run, summed over its targets (%s):' % profile)
        print('\n'.join('    ' + line for line in Path(profile).read_text().splitlines()))
    for target in targets(result):
        print('  [%s] %-44s %s' % ('met' if target['met'] else 'NOT MET', target['name'], target['figure']))
    return 0


if __name__ == '__main__':
    sys.exit(main())
