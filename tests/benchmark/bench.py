# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make bench`: gate hundreds of tasks against an emulator with network latency.

Starts ``hwc-emulator`` on loopback with a generated scenario (500 sync tasks, 50
datasets, 200 migration tasks, 20 task groups, an IAM user, a ``latency`` fault of
50 ms on every emulated route), then
measures in one run:

* the ``migration_health`` role gating everything (``ansible-playbook
  hwcloud.migration.migration_health``, max_concurrency 16): the whole playbook,
  and its fetching module call on its own (from a timing callback): one
  ``migration_state_info`` call makes all five reads at once;
* the baseline users write today: ``ansible.builtin.uri`` in a loop plus
  ``ansible.builtin.assert``, with an IAM token (on a subset, scaled linearly);
* the official Python SDK fetching the same data serially (on a subset, scaled);
* the floor: requests x latency / concurrency.

and, against a second emulator without latency (2,000 tasks): the peak memory of
one module call for 2,000 tasks, and the per-request overhead of
``HuaweiCloudClient.get_json`` over a bare ``requests.Session.get``.

and, against emulators without latency, the role's evaluation + report steps and
the size of its reports for 100 and 500 sync tasks over a 2-day window, next to
the 0.1.0 baseline (``BASELINE_GATE_STEPS``; ``--gate-steps-only`` runs just
that; ``BENCH_COLLECTIONS`` points the runs at another checkout's collections).

and the fleet row (bench_fleet.py): the gate's controller CPU per extra target
against a one-task ``ansible.builtin.ping`` play's per extra host.

Every measurement of the collection's code runs on two sides in the same run,
alternating: the working tree and the baseline commit (``BENCH_BASELINE``,
default 25d231b, the last before the restructure of issue 21), checked out in
build/bench-baseline with its own collections path (bench_baseline.py). The uri
and SDK rows do not depend on the collection and run once.

Prints the current side's table, the fleet row and the baseline-vs-current table,
and writes the same figures to build/bench/results.json.
Everything listens on 127.0.0.1, every run has a timeout, and the emulators are
stopped on every way out.

    .venv/bin/python tests/benchmark/bench.py [--tasks 500] [--datasets 50] [--latency-ms 50]
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bench_baseline
import bench_fleet
import bench_overhead

from hwc_emulator.launcher import EmulatorProcess

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
COLLECTIONS = Path(os.environ.get('BENCH_COLLECTIONS') or (REPO / '.venv' / 'collections'))
OUT_DIR = REPO / 'build' / 'bench'
REGION = 'cn-north-4'
BENCH_USER = 'bench-user'
BENCH_PASSWORD = 'bench-password-not-a-real-secret'
START_TIMEOUT = 60
PLAYBOOK_TIMEOUT = 300
# The role's fetching module calls: one, which makes every read of the gate at once.
STATE_MODULE = 'migration_state_info'
MODULES = ('hwcloud.migration.' + STATE_MODULE,)
READS = ('sync tasks', 'statistics', 'dataset syncs', 'migration tasks', 'task groups')
CREDENTIAL_ENV_PREFIXES = ('HW_', 'HUAWEICLOUD_SDK_', 'CLOUD_SDK_')

# Targets of issue 10 item 7 (the gate with migration tasks and task groups),
# tighter than the first benchmark issue's 20x, 2x and 4x.
TARGET_SPEEDUP_VS_URI = 40.0
TARGET_MODULES_VS_FLOOR = 1.6
TARGET_GATE_VS_FLOOR = 3.0
# The cutover deadline of the benchmark gate: every running task and group is judged on its ETA.
BENCH_DEADLINE = '+1d'
TARGET_PEAK_MB = 150.0
TARGET_OVERHEAD_PCT = 30.0
# Issue 12: the reports of a 500-task gate over a 2-day window, and the time of
# its evaluation + report steps against the baseline measured before the change.
TARGET_HTML_MB = 1.5
TARGET_JSON_MB = 5.0
TARGET_GATE_STEPS_VS_BASELINE = 0.5
GATE_STEPS_WINDOW = '2d'
# Seconds of the role's evaluation `set_fact` + `Write the reports` steps, and
# the report sizes, with the filter-based layout of release 0.1.0 (commit
# de99b14), measured on the project's shared 2-core VM (emulator without
# latency, window 2d, one run per size) with:
#   mkdir -p /tmp/base/ansible_collections/hwcloud/migration
#   git archive de99b14 | tar -x -C /tmp/base/ansible_collections/hwcloud/migration
#   BENCH_COLLECTIONS=/tmp/base .venv/bin/python tests/benchmark/bench.py --gate-steps-only
BASELINE_GATE_STEPS = {
    100: {'evaluate_s': 3.00, 'report_s': 1.53, 'html_mb': 1.84, 'json_mb': 1.29},
    500: {'evaluate_s': 10.73, 'report_s': 2.73, 'html_mb': 9.16, 'json_mb': 6.47},
}
# The module calls whose peak memory is measured, with their options beyond the ids.
MEMORY_CALLS = (
    ('oms_sync_task_info', None),
    ('oms_sync_task_statistics_info', {'data_type': ['REQUEST', 'SUCCESS', 'FAILURE', 'SKIP', 'SIZE'], 'start_time': '-1h', 'end_time': 'now'}),
    # What the role runs: both reads of the same tasks in one call, as the gate asks for them.
    (
        STATE_MODULE,
        {
            'sync_task_info': {'sync_task_ids': None, 'details': True},
            'sync_task_statistics_info': {
                'sync_task_ids': None,
                'data_type': ['REQUEST', 'SUCCESS', 'FAILURE', 'SKIP', 'SIZE'],
                'return_data_types': ['REQUEST', 'SUCCESS', 'FAILURE'],
                'start_time': '-1h',
                'end_time': 'now',
            },
        },
    ),
)
# Task names of the evaluation and report steps, before and after issue 12 (the
# copy of the fact into a variable, 'Keep the migration_health fact ...', is gone since issue 21).
EVALUATE_STEPS = ('Evaluate the migration health', 'Keep the migration_health fact')
# (after issue 12 'Evaluate the migration health' also writes the reports)
REPORT_STEPS = ('Write the reports',)


class Stop(Exception):
    """Raised by the SIGTERM handler so that the finally blocks run."""


def _on_sigterm(signum, frame):
    raise Stop()


# -- the emulator --------------------------------------------------------------


def write_scenario(path, tasks, datasets, latency_ms, migration_tasks=0, task_groups=0):
    """A generated scenario plus an IAM user (``generate`` has only an AK/SK pair) and the latency fault."""
    from hwc_emulator import generate, migration

    scenario = generate.make_scenario(tasks, datasets, seed=1)
    scenario['migration_tasks'], scenario['task_groups'] = migration.make_migration(migration_tasks, task_groups, seed=1)
    scenario.setdefault('credentials', {})['users'] = [{'name': BENCH_USER, 'password': BENCH_PASSWORD, 'domain': 'emulator-domain'}]
    if latency_ms:
        scenario['faults'] = [{'route': '*', 'kind': 'latency', 'ms': latency_ms}]
    with open(str(path), 'w') as handle:
        generate.dump_scenario(scenario, handle)
    return {
        'project_id': generate.BENCH_PROJECT_ID,
        'access_key': generate.BENCH_ACCESS_KEY,
        'secret_key': generate.BENCH_SECRET_KEY,
        'task_ids': [task['sync_task_id'] for task in scenario['sync_tasks']],
        'dataset_ids': [entry['dataset_id'] for entry in scenario['datasets']],
        'migration_task_ids': [entry['id'] for entry in scenario['migration_tasks']],
        'task_group_ids': [entry['group_id'] for entry in scenario['task_groups']],
    }


def count_requests(entries):
    statuses = {}
    for entry in entries:
        statuses[entry['status']] = statuses.get(entry['status'], 0) + 1
    return {'total': len(entries), 'statuses': statuses}


# -- ansible-playbook runs -----------------------------------------------------


def ansible_env(timer_file, collections=COLLECTIONS):
    env = {key: value for key, value in os.environ.items() if not key.startswith(CREDENTIAL_ENV_PREFIXES)}
    env.update(
        {
            'ANSIBLE_COLLECTIONS_PATH': str(collections),
            'ANSIBLE_LOCALHOST_WARNING': 'False',
            'ANSIBLE_INVENTORY_UNPARSED_WARNING': 'False',
            'ANSIBLE_NOCOLOR': '1',
            'ANSIBLE_RETRY_FILES_ENABLED': 'False',
            'ANSIBLE_CALLBACK_PLUGINS': str(HERE / 'callback_plugins'),
            'ANSIBLE_CALLBACKS_ENABLED': 'bench_timer',
            'BENCH_TIMER_FILE': str(timer_file),
            'PATH': str(BIN) + os.pathsep + os.environ.get('PATH', ''),
        }
    )
    return env


def run_playbook(playbook, extra_vars, workdir, name, collections=COLLECTIONS):
    """Run ansible-playbook; returns (wall seconds, task timings).  Raises on failure."""
    vars_file = Path(workdir) / ('%s-vars.json' % name)
    vars_file.write_text(json.dumps(extra_vars))
    timer_file = Path(workdir) / ('%s-timer.json' % name)
    log_file = OUT_DIR / ('%s.log' % name)
    command = [str(BIN / 'ansible-playbook'), str(playbook), '-e', '@%s' % vars_file]
    launched = time.time()
    started = time.perf_counter()
    with open(str(log_file), 'w') as log:
        process = subprocess.run(
            command, env=ansible_env(timer_file, collections), cwd=str(workdir), stdout=log, stderr=subprocess.STDOUT, timeout=PLAYBOOK_TIMEOUT, check=False
        )
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError('%s: ansible-playbook exited with %d; see %s' % (name, process.returncode, log_file))
    timer = json.loads(timer_file.read_text())
    timer['launched'] = launched
    return wall, timer


def module_seconds(timer):
    """Seconds spent in the fetching module tasks (start to result of each)."""
    spent = {}
    for task in timer['tasks']:
        if task['action'] in MODULES and task['end'] is not None:
            spent[task['action'].rsplit('.', 1)[1]] = task['end'] - task['start']
    return spent


def task_seconds(timer):
    """[name, seconds] of every task of a run, in order (plus the playbook's start-up and wrap-up)."""
    tasks = [task for task in timer['tasks'] if task['end'] is not None]
    rows = []
    if tasks:
        rows.append(['(ansible-playbook start-up to the first task)', tasks[0]['start'] - timer['launched']])
    rows += [[task['name'], task['end'] - task['start']] for task in tasks]
    if tasks:
        rows.append(['(after the last task)', timer['finished'] - tasks[-1]['end']])
    return rows


def connection(emulator, settings):
    return {
        'region': REGION,
        'access_key': settings['access_key'],
        'secret_key': settings['secret_key'],
        'endpoint': emulator.url,
        'iam_endpoint': emulator.url,
    }


def bench_role(emulator, settings, workdir, concurrency, side, number=0):
    """One run of the role on one side (its own collections path, reports and log)."""
    name = 'role' if side.name == 'current' else 'role-' + side.name
    report_dir = OUT_DIR / ('reports' if side.name == 'current' else 'reports-' + side.name)
    extra_vars = {
        'migration_health_sync_tasks': settings['task_ids'],
        'migration_health_datasets': settings['dataset_ids'],
        'migration_health_migration_tasks': settings['migration_task_ids'],
        'migration_health_task_groups': settings['task_group_ids'],
        'migration_health_deadline': BENCH_DEADLINE,
        'migration_health_window': '1h',
        'migration_health_max_concurrency': concurrency,
        'migration_health_fail': False,
        'migration_health_report_dir': str(report_dir),
        'migration_health_connection': connection(emulator, settings),
    }
    emulator.clear_requests_log()
    wall, timer = run_playbook('hwcloud.migration.migration_health', extra_vars, workdir, '%s-run%d' % (name, number), side.collections)
    requests = count_requests(emulator.requests_log())
    spent = module_seconds(timer)
    expected = [name.rsplit('.', 1)[1] for name in MODULES]
    if sorted(spent) != sorted(expected):
        log = OUT_DIR / ('%s-run%d.log' % (name, number))
        raise RuntimeError('the role did not run the fetching modules %s (ran %s); see %s' % (expected, sorted(spent), log))
    report = json.loads((report_dir / 'migration-health.json').read_text())
    return {
        'wall_s': wall,
        'requests': requests,
        'module_s': spent,
        'module_total_s': sum(spent.values()),
        'tasks': task_seconds(timer),
        'verdict': report.get('verdict'),
        'checks': report.get('counts', {}).get('checks'),
    }


def bench_uri(emulator, settings, workdir, tasks, datasets, scale, migration_tasks=0, task_groups=0):
    extra_vars = {
        'bench_url': emulator.url,
        'bench_region': REGION,
        'bench_user': BENCH_USER,
        'bench_password': BENCH_PASSWORD,
        'bench_domain': 'emulator-domain',
        'bench_sync_task_ids': settings['task_ids'][:tasks],
        'bench_dataset_ids': settings['dataset_ids'][:datasets],
        'bench_migration_task_ids': settings['migration_task_ids'][:migration_tasks],
        'bench_task_group_ids': settings['task_group_ids'][:task_groups],
        'bench_deadline_ms': int(time.time() * 1000) + 86400000,
    }
    emulator.clear_requests_log()
    wall, timer = run_playbook(HERE / 'playbooks' / 'uri_gate.yml', extra_vars, workdir, 'uri')
    requests = count_requests(emulator.requests_log())
    return {
        'wall_s': wall,
        'requests': requests,
        'subset': {'sync_tasks': tasks, 'datasets': datasets, 'migration_tasks': migration_tasks, 'task_groups': task_groups},
        'scale': scale,
        'scaled_wall_s': wall * scale,
        'scaled_requests': requests['total'] * scale,
    }


# -- the official SDK ------------------------------------------------------------


def bench_sdk(emulator, settings, tasks, datasets, scale, migration_tasks=0, task_groups=0):
    """OmsClient (huaweicloudsdkoms) plus, for ModelArts, requests signed by huaweicloudsdkcore's Signer."""
    import requests
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.sdk_request import SdkRequest
    from huaweicloudsdkcore.signer.signer import Signer
    from huaweicloudsdkoms.v2 import ListSyncTaskStatisticRequest, OmsClient, ShowSyncTaskRequest, ShowTaskGroupRequest, ShowTaskRequest

    try:
        import huaweicloudsdkmodelarts  # noqa: F401 pylint: disable=unused-import

        modelarts_sdk = True
    except ImportError:
        modelarts_sdk = False

    credentials = BasicCredentials(settings['access_key'], settings['secret_key'], settings['project_id'])
    client = OmsClient.new_builder().with_credentials(credentials).with_endpoints([emulator.url]).build()
    signer = Signer(BasicCredentials(settings['access_key'], settings['secret_key']))
    session = requests.Session()
    host = emulator.url.split('://', 1)[1]
    emulator.clear_requests_log()
    started = time.perf_counter()
    now = int(time.time() * 1000)
    for task_id in settings['task_ids'][:tasks]:
        client.show_sync_task(ShowSyncTaskRequest(sync_task_id=task_id, query_time=now))
        client.list_sync_task_statistic(
            ListSyncTaskStatisticRequest(sync_task_id=task_id, data_type='REQUEST,SUCCESS,FAILURE,SKIP,SIZE', start_time=now - 3600000, end_time=now)
        )
    for task_id in settings['migration_task_ids'][:migration_tasks]:
        client.show_task(ShowTaskRequest(task_id=str(task_id)))
    for group_id in settings['task_group_ids'][:task_groups]:
        client.show_task_group(ShowTaskGroupRequest(group_id=group_id))
    for dataset_id in settings['dataset_ids'][:datasets]:
        path = '/v2/%s/datasets/%s/sync-data/status' % (settings['project_id'], dataset_id)
        request = SdkRequest(
            method='GET',
            schema='http',
            host=host,
            resource_path=path,
            query_params=[],
            header_params={'Content-Type': 'application/json', 'X-Project-Id': settings['project_id']},
            body='',
        )
        signer.sign(request)
        response = session.get(emulator.url + path, headers=request.header_params, timeout=30)
        response.raise_for_status()
        response.json()
    wall = time.perf_counter() - started
    session.close()
    requests_made = count_requests(emulator.requests_log())
    return {
        'wall_s': wall,
        'requests': requests_made,
        'subset': {'sync_tasks': tasks, 'datasets': datasets, 'migration_tasks': migration_tasks, 'task_groups': task_groups},
        'scale': scale,
        'scaled_wall_s': wall * scale,
        'scaled_requests': requests_made['total'] * scale,
        'modelarts': 'huaweicloudsdkmodelarts' if modelarts_sdk else 'huaweicloudsdkcore Signer + requests (huaweicloudsdkmodelarts is not installed)',
    }


# -- memory of one module call ---------------------------------------------------


def peak_memory(emulator, settings, module, ids, workdir, extra=None, collections=COLLECTIONS):
    """Run one module as a child process (as AnsiballZ would) and read its ru_maxrss.

    ``extra`` adds options; for ``migration_state_info`` it names the reads,
    and each read with a ``sync_task_ids`` of None gets ``ids``.
    """
    args = dict(connection(emulator, settings), project_id=settings['project_id'], max_concurrency=16)
    if module == STATE_MODULE:
        for name, options in (extra or {}).items():
            args[name] = dict(options, sync_task_ids=ids) if 'sync_task_ids' in options else options
    else:
        args['sync_task_ids'] = ids
        args.update(extra or {})
    args_file = Path(workdir) / ('%s-args.json' % module)
    args_file.write_text(json.dumps({'ANSIBLE_MODULE_ARGS': args}))
    out_file = Path(workdir) / ('%s-out.json' % module)
    env = {key: value for key, value in os.environ.items() if not key.startswith(CREDENTIAL_ENV_PREFIXES)}
    env['PYTHONPATH'] = str(collections)
    started = time.perf_counter()
    with open(str(out_file), 'w') as out:
        process = subprocess.Popen(
            [sys.executable, '-m', 'ansible_collections.hwcloud.migration.plugins.modules.' + module, str(args_file)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=str(workdir),
        )
        deadline = time.monotonic() + PLAYBOOK_TIMEOUT
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                process.kill()
                os.wait4(process.pid, 0)
                raise RuntimeError('%s did not finish in %ds' % (module, PLAYBOOK_TIMEOUT))
            time.sleep(0.02)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    text = out_file.read_text()
    result = json.loads(text[text.index('{') :])
    if result.get('failed') or process.returncode != 0:
        raise RuntimeError('%s failed: %s' % (module, result.get('msg')))
    if module == STATE_MODULE:
        result = result.get('sync_task_statistics_info') or {}
    returned = len(result.get('sync_tasks') or result.get('sync_task_statistics') or [])
    return {'module': module, 'ids': len(ids), 'returned': returned, 'peak_mb': usage.ru_maxrss / 1024.0, 'wall_s': wall}


# -- per-request client overhead -------------------------------------------------


def client_overhead(emulator, settings, count, sides, workdir, passes=2):
    """``bench_overhead.client_overhead`` of every side, each in its own process with its own collections path.

    The sides alternate ``passes`` times (``count / passes`` requests per arm each
    time), so that drift of the machine hits them alike; returns side name -> figures.
    """
    args_file = Path(workdir) / 'overhead-args.json'
    per_pass = max(1, count // passes)
    args = {
        'params': dict(connection(emulator, settings), project_id=settings['project_id']),
        'task_ids': settings['task_ids'][:200],
        'count': per_pass,
        'rounds': max(1, 8 // passes),
    }
    args_file.write_text(json.dumps(args))
    env = {key: value for key, value in os.environ.items() if not key.startswith(CREDENTIAL_ENV_PREFIXES)}
    parts = dict((side.name, []) for side in sides)
    for _pass in range(passes):
        for side in sides:
            process = subprocess.run(
                [sys.executable, str(HERE / 'bench_overhead.py'), str(side.collections), str(args_file)],
                env=env,
                cwd=str(workdir),
                capture_output=True,
                text=True,
                timeout=PLAYBOOK_TIMEOUT,
                check=False,
            )
            if process.returncode != 0:
                raise RuntimeError('client overhead on the %s side failed: %s' % (side.name, process.stderr.strip()[-2000:]))
            parts[side.name].append(json.loads(process.stdout))
    return dict((name, bench_overhead.summarise(runs)) for name, runs in parts.items())


def _step_seconds(timer, names):
    spent = 0.0
    for task in timer['tasks']:
        if task['end'] is not None and any(task['name'].split(' : ')[-1].startswith(name) for name in names):
            spent += task['end'] - task['start']
    return spent


def bench_gate_steps(tasks, workdir, sides, window=GATE_STEPS_WINDOW):
    """Time the evaluation and report steps of the role for ``tasks`` sync tasks (no latency), with report sizes.

    One emulator serves every side, one run each; returns side name -> figures.
    """
    scenario = Path(workdir) / ('steps-%d.yml' % tasks)
    settings = write_scenario(scenario, tasks, 0, 0)
    emulator = EmulatorProcess(scenario, log_path=OUT_DIR / ('emulator-steps-%d.log' % tasks), start_timeout=START_TIMEOUT)
    runs = {}
    try:
        for side in sides:
            suffix = '' if side.name == 'current' else '-' + side.name
            report_dir = OUT_DIR / ('reports-%d%s' % (tasks, suffix))
            extra_vars = {
                'migration_health_sync_tasks': settings['task_ids'],
                'migration_health_window': window,
                'migration_health_max_concurrency': 16,
                'migration_health_fail': False,
                'migration_health_report_dir': str(report_dir),
                'migration_health_connection': connection(emulator, settings),
            }
            wall, timer = run_playbook('hwcloud.migration.migration_health', extra_vars, workdir, 'steps-%d%s' % (tasks, suffix), side.collections)
            runs[side.name] = {
                'tasks': tasks,
                'window': window,
                'wall_s': wall,
                'evaluate_s': _step_seconds(timer, EVALUATE_STEPS),
                'report_s': _step_seconds(timer, REPORT_STEPS),
                'html_mb': (report_dir / 'migration-health.html').stat().st_size / 1e6,
                'json_mb': (report_dir / 'migration-health.json').stat().st_size / 1e6,
                'junit_mb': (report_dir / 'migration-health.xml').stat().st_size / 1e6,
                'steps': task_seconds(timer),
            }
    finally:
        emulator.stop()
    return runs


def render_gate_steps(steps):
    lines = ['Gate evaluation + report steps (%s window, no latency; before = release 0.1.0 baseline):' % GATE_STEPS_WINDOW]
    for entry in steps:
        before = BASELINE_GATE_STEPS.get(entry['tasks']) or {}

        def was(key, unit, before=before):
            return ('%.2f%s' % (before[key], unit)) if before.get(key) is not None else 'n/a'

        lines.append(
            '  %4d tasks: evaluate %.2fs (before %s), reports %.2fs (before %s); '
            'HTML %.2f MB (before %s), JSON %.2f MB (before %s), JUnit %.2f MB'
            % (
                entry['tasks'],
                entry['evaluate_s'],
                was('evaluate_s', 's'),
                entry['report_s'],
                was('report_s', 's'),
                entry['html_mb'],
                was('html_mb', ' MB'),
                entry['json_mb'],
                was('json_mb', ' MB'),
                entry['junit_mb'],
            )
        )
    return '\n'.join(lines)


def gate_step_targets(steps):
    largest = max(steps, key=lambda entry: entry['tasks'])
    before = BASELINE_GATE_STEPS.get(largest['tasks']) or {}
    result = [
        {
            'key': 'html',
            'name': '%d-task HTML report <= %g MB' % (largest['tasks'], TARGET_HTML_MB),
            'limit': '<= %g MB' % TARGET_HTML_MB,
            'value': largest['html_mb'],
            'met': largest['html_mb'] <= TARGET_HTML_MB,
            'figure': '%.2f MB' % largest['html_mb'],
        },
        {
            'key': 'json',
            'name': '%d-task JSON report <= %g MB' % (largest['tasks'], TARGET_JSON_MB),
            'limit': '<= %g MB' % TARGET_JSON_MB,
            'value': largest['json_mb'],
            'met': largest['json_mb'] <= TARGET_JSON_MB,
            'figure': '%.2f MB' % largest['json_mb'],
        },
    ]
    if before.get('evaluate_s') is not None:
        now = largest['evaluate_s'] + largest['report_s']
        was = before['evaluate_s'] + before['report_s']
        result.append(
            {
                'key': 'steps',
                'name': 'evaluate + reports <= %g x 0.1.0' % TARGET_GATE_STEPS_VS_BASELINE,
                'limit': '<= %gx 0.1.0' % TARGET_GATE_STEPS_VS_BASELINE,
                'value': now / was,
                'met': now <= was * TARGET_GATE_STEPS_VS_BASELINE,
                'figure': '%.2fs vs %.2fs (%.2fx)' % (now, was, now / was),
            }
        )
    return result


# -- the report ------------------------------------------------------------------


def _subset(subset):
    return '%d tasks + %d datasets + %d migration tasks + %d groups' % (
        subset['sync_tasks'],
        subset['datasets'],
        subset.get('migration_tasks', 0),
        subset.get('task_groups', 0),
    )


def render(results):
    role = results['role']
    floor_s = results['floor']['wall_s']
    rows = [
        (
            'migration_health role, whole playbook',
            role['wall_s'],
            role['requests']['total'],
            'median of %d runs (%s)' % (len(role['runs']), ', '.join('%.2f' % run['wall_s'] for run in role['runs'])),
        ),
        (
            '  its fetching module call' if len(role['module_s']) == 1 else '  its %d fetching module calls' % len(role['module_s']),
            role['module_total_s'],
            role['requests']['total'],
            'migration_state_info: %s at once' % ', '.join(READS),
        ),
        (
            'ansible.builtin.uri loop + assert',
            results['uri']['scaled_wall_s'],
            results['uri']['scaled_requests'],
            'measured %.1fs on %s (%d requests), x%g'
            % (results['uri']['wall_s'], _subset(results['uri']['subset']), results['uri']['requests']['total'], results['uri']['scale']),
        ),
        (
            'official SDK, serial',
            results['sdk']['scaled_wall_s'],
            results['sdk']['scaled_requests'],
            'measured %.1fs on %s (%d requests), x%g'
            % (results['sdk']['wall_s'], _subset(results['sdk']['subset']), results['sdk']['requests']['total'], results['sdk']['scale']),
        ),
        (
            'floor: requests x latency / %d' % results['config']['concurrency'],
            floor_s,
            results['floor']['requests'],
            '%d x %d ms / %d' % (results['floor']['requests'], results['config']['latency_ms'], results['config']['concurrency']),
        ),
    ]
    header = ('row', 'wall s', 'requests', 'x role', 'note')
    table = [header] + [(name, '%.2f' % wall, '%d' % requests, '%.2f' % (wall / role['wall_s']), note) for name, wall, requests, note in rows]
    widths = [max(len(row[index]) for row in table) for index in range(4)]
    lines = []
    for position, row in enumerate(table):
        cells = [row[0].ljust(widths[0])] + [row[index].rjust(widths[index]) for index in (1, 2, 3)] + [row[4]]
        lines.append('  '.join(cells).rstrip())
        if position == 0:
            lines.append('  '.join('-' * width for width in widths) + '  ' + '-' * 4)
    config = results['config']
    heading = (
        'hwcloud.migration benchmark: %d sync tasks, %d datasets, %d migration tasks, %d task groups, '
        '%d ms latency per request, max_concurrency %d (emulator %s)'
        % (
            config['tasks'],
            config['datasets'],
            config.get('migration_tasks', 0),
            config.get('task_groups', 0),
            config['latency_ms'],
            config['concurrency'],
            config['scenario'],
        )
    )
    out = ['', heading, ''] + lines
    out += ['', 'role verdict: %s (%s checks); SDK ModelArts calls: %s' % (role['verdict'], role['checks'], results['sdk']['modelarts']), '']
    memory = results['memory']
    overhead = results['overhead']
    if results.get('gate_steps'):
        out += [render_gate_steps(results['gate_steps']), '']
    out += ['Peak memory of one module call (ru_maxrss of the module process, no latency):']
    for entry in memory:
        out.append('  %-32s %5d ids -> %6.1f MB in %.1fs' % (entry['module'], entry['ids'], entry['peak_mb'], entry['wall_s']))
    out += [
        'Per-request client overhead (serial, %d requests each, no latency):' % overhead['requests_each'],
        '  HuaweiCloudClient.get_json %.0f us per request (signs each request)' % overhead['client_us'],
        '  bare requests.Session.get  %.0f us (headers signed in advance), %.0f us with trust_env=False' % (overhead['bare_us'], overhead['bare_no_env_us']),
        '  overhead vs the faster bare call: %+.1f%% (vs a default Session: %+.1f%%)' % (overhead['overhead_pct'], overhead['overhead_vs_default_session_pct']),
    ]
    return '\n'.join(out)


def targets(results):
    role = results['role']
    floor_s = results['floor']['wall_s']
    speedup = results['uri']['scaled_wall_s'] / role['wall_s']
    modules = role['module_total_s'] / floor_s
    gate = role['wall_s'] / floor_s
    overhead = results['overhead']['overhead_pct']
    result = [
        {
            'key': 'uri',
            'name': 'role >= %gx faster than the uri baseline' % TARGET_SPEEDUP_VS_URI,
            'limit': '>= %gx' % TARGET_SPEEDUP_VS_URI,
            'value': speedup,
            'met': speedup >= TARGET_SPEEDUP_VS_URI,
            'figure': '%.1fx' % speedup,
        },
        {
            'key': 'modules',
            'name': 'fetching module calls <= %gx floor' % TARGET_MODULES_VS_FLOOR,
            'limit': '<= %gx floor' % TARGET_MODULES_VS_FLOOR,
            'value': modules,
            'met': modules <= TARGET_MODULES_VS_FLOOR,
            'figure': '%.2fx floor' % modules,
        },
        {
            'key': 'gate',
            'name': 'whole gate playbook <= %gx floor' % TARGET_GATE_VS_FLOOR,
            'limit': '<= %gx floor' % TARGET_GATE_VS_FLOOR,
            'value': gate,
            'met': gate <= TARGET_GATE_VS_FLOOR,
            'figure': '%.2fx floor' % gate,
        },
    ]
    result += [
        {
            'key': 'peak:' + entry['module'],
            'name': '%s %d ids < %g MB peak' % (entry['module'], entry['ids'], TARGET_PEAK_MB),
            'limit': '< %g MB' % TARGET_PEAK_MB,
            'value': entry['peak_mb'],
            'met': entry['peak_mb'] < TARGET_PEAK_MB,
            'figure': '%.1f MB' % entry['peak_mb'],
        }
        for entry in results['memory']
    ]
    result.append(
        {
            'key': 'overhead',
            'name': 'client overhead <= %g%%' % TARGET_OVERHEAD_PCT,
            'limit': '<= %g%% over bare' % TARGET_OVERHEAD_PCT,
            'value': overhead,
            'met': overhead <= TARGET_OVERHEAD_PCT,
            'figure': '%+.1f%%' % overhead,
        }
    )
    return result + (gate_step_targets(results['gate_steps']) if results.get('gate_steps') else [])


def comparison_rows(results):
    """The rows of the baseline-vs-current table: how to read each figure from one side's view, and its target."""
    Row = bench_baseline.Row

    def memory(module):
        return lambda view: next(entry['peak_mb'] for entry in view['memory'] if entry['module'] == module)

    def steps(tasks, key):
        def figure(view):
            entry = next(entry for entry in view['gate_steps'] if entry['tasks'] == tasks)
            return entry['evaluate_s'] + entry['report_s'] if key == 'steps' else entry[key]

        return figure

    sizes = sorted(entry['tasks'] for entry in results.get('gate_steps') or [])
    largest = sizes[-1] if sizes else None
    rows = [
        Row('whole gate playbook', ' s', lambda view: view['role']['wall_s'], target='gate'),
        Row('  its fetching module call', ' s', lambda view: view['role']['module_total_s'], target='modules'),
        Row('  speed-up over the uri loop', 'x', lambda view: view['uri']['scaled_wall_s'] / view['role']['wall_s'], higher_is_better=True, target='uri'),
    ]
    rows += [
        Row('peak memory, %s %d ids' % (entry['module'], entry['ids']), ' MB', memory(entry['module']), target='peak:' + entry['module'])
        for entry in results['memory']
    ]
    rows.append(Row('client get_json per request', ' us', lambda view: view['overhead']['client_us'], target='overhead'))
    for tasks in sizes:
        rows.append(
            Row('evaluate + reports, %d tasks, %s' % (tasks, GATE_STEPS_WINDOW), ' s', steps(tasks, 'steps'), target='steps' if tasks == largest else None)
        )
    if largest is not None:
        rows += [
            Row('HTML report, %d tasks' % largest, ' MB', steps(largest, 'html_mb'), target='html'),
            Row('JSON report, %d tasks' % largest, ' MB', steps(largest, 'json_mb'), target='json'),
        ]
    rows.append(Row('fleet: CPU per extra target', ' s', lambda view: view['fleet_side']['cpu_per_extra_s'], target='fleet'))
    return rows


def side_view(results, side_results, name):
    """One side's figures in the shape ``targets`` reads (the shared rows, uri and SDK, included)."""
    view = dict(results, **side_results[name])
    view['fleet_side'] = results['fleet']['sides'][name]
    return view


def make_sides():
    """The current side and, unless ``BENCH_BASELINE=none``, the baseline checkout beside it."""
    sides = [bench_baseline.current(REPO, COLLECTIONS)]
    ref = bench_baseline.baseline_ref()
    if ref is None:
        print('baseline: none (BENCH_BASELINE=none); the current side alone', flush=True)
        return sides
    side = bench_baseline.prepare(REPO, ref)
    print('baseline: %s (%s) in build/bench-baseline, collections %s' % (ref, side.commit[:12], side.collections), flush=True)
    return [side] + sides


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--tasks', type=int, default=500)
    parser.add_argument('--datasets', type=int, default=50)
    parser.add_argument('--migration-tasks', type=int, default=200)
    parser.add_argument('--task-groups', type=int, default=20)
    parser.add_argument('--latency-ms', type=int, default=50)
    parser.add_argument('--concurrency', type=int, default=16)
    parser.add_argument(
        '--role-runs',
        type=int,
        default=3,
        help='runs of the role on each side, alternating; the median run (by wall time) is reported (a shared 2-core VM varies by about 10%% between runs)',
    )
    parser.add_argument('--uri-tasks', type=int, default=20, help='tasks of the uri baseline subset')
    parser.add_argument('--sdk-tasks', type=int, default=50, help='tasks of the SDK baseline subset')
    parser.add_argument('--memory-tasks', type=int, default=2000)
    parser.add_argument('--overhead-requests', type=int, default=2000)
    parser.add_argument(
        '--gate-steps-tasks', type=int, nargs='*', default=[100, 500], help='gate sizes whose evaluation and report steps are timed (2-day window)'
    )
    parser.add_argument('--gate-steps-only', action='store_true', help='only time the evaluation and report steps and measure the report sizes')
    parser.add_argument('--fleet-targets', type=int, default=10, help='targets of the large fleet inventory')
    parser.add_argument('--fleet-small', type=int, default=2, help='targets of the small fleet inventory')
    parser.add_argument('--fleet-tasks', type=int, default=50, help='sync tasks per fleet target')
    parser.add_argument('--fleet-runs', type=int, default=3, help='runs of each fleet inventory on each side')
    parser.add_argument('--output', default=str(OUT_DIR / 'results.json'))
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, _on_sigterm)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    if args.gate_steps_only:
        return gate_steps_only(args.gate_steps_tasks)

    uri_scale = args.tasks / float(args.uri_tasks)
    sdk_scale = args.tasks / float(args.sdk_tasks)
    uri_datasets = max(1, int(round(args.datasets / uri_scale)))
    sdk_datasets = max(1, int(round(args.datasets / sdk_scale)))
    # The subsets keep the gate's mix: the scaled wall time stands for every kind.
    uri_migration = (int(round(args.migration_tasks / uri_scale)), int(round(args.task_groups / uri_scale)))
    sdk_migration = (int(round(args.migration_tasks / sdk_scale)), int(round(args.task_groups / sdk_scale)))
    emulators = []
    started = time.perf_counter()
    sides = make_sides()
    side_results = dict((side.name, {}) for side in sides)
    try:
        with tempfile.TemporaryDirectory(prefix='hwcloud-bench-') as workdir:
            scenario = Path(workdir) / 'bench.yml'
            settings = write_scenario(scenario, args.tasks, args.datasets, args.latency_ms, args.migration_tasks, args.task_groups)
            big_scenario = Path(workdir) / 'bench-big.yml'
            big = write_scenario(big_scenario, max(args.memory_tasks, 200), 1, 0)
            main_emulator = EmulatorProcess(scenario, log_path=OUT_DIR / 'emulator.log', start_timeout=START_TIMEOUT)
            emulators.append(main_emulator)
            print('emulator %s: %d tasks, %d datasets, %d ms latency' % (main_emulator.url, args.tasks, args.datasets, args.latency_ms), flush=True)
            results = {
                'config': {
                    'tasks': args.tasks,
                    'datasets': args.datasets,
                    'migration_tasks': args.migration_tasks,
                    'task_groups': args.task_groups,
                    'latency_ms': args.latency_ms,
                    'concurrency': args.concurrency,
                    'scenario': 'hwc-emulator generate --tasks %d --datasets %d --seed 1 '
                    '+ %d migration tasks and %d task groups (seed 1) + IAM user '
                    '+ latency fault' % (args.tasks, args.datasets, args.migration_tasks, args.task_groups),
                },
                'sides': dict((side.name, {'commit': side.commit, 'collections': str(side.collections)}) for side in sides),
            }
            print('1/7 migration_health role, %d runs on each of %s, alternating ...' % (args.role_runs, ', '.join(side.name for side in sides)), flush=True)
            runs = dict((side.name, []) for side in sides)
            for number in range(max(1, args.role_runs)):
                for side in sides:
                    runs[side.name].append(bench_role(main_emulator, settings, workdir, args.concurrency, side, number))
            for side in sides:
                ordered = sorted(runs[side.name], key=lambda run: run['wall_s'])
                role = dict(ordered[len(ordered) // 2], runs=[{'wall_s': run['wall_s'], 'module_total_s': run['module_total_s']} for run in ordered])
                requests_total = role['requests']['total']
                side_results[side.name]['role'] = role
                side_results[side.name]['floor'] = {'requests': requests_total, 'wall_s': requests_total * args.latency_ms / 1000.0 / args.concurrency}
            print(
                '2/7 uri baseline on %d tasks + %d datasets + %d migration tasks + %d groups ...' % ((args.uri_tasks, uri_datasets) + uri_migration), flush=True
            )
            results['uri'] = bench_uri(main_emulator, settings, workdir, args.uri_tasks, uri_datasets, uri_scale, *uri_migration)
            print(
                '3/7 official SDK on %d tasks + %d datasets + %d migration tasks + %d groups ...' % ((args.sdk_tasks, sdk_datasets) + sdk_migration), flush=True
            )
            results['sdk'] = bench_sdk(main_emulator, settings, args.sdk_tasks, sdk_datasets, sdk_scale, *sdk_migration)
            main_emulator.stop()
            emulators.remove(main_emulator)

            aux = EmulatorProcess(big_scenario, log_path=OUT_DIR / 'emulator-nolatency.log', start_timeout=START_TIMEOUT)
            emulators.append(aux)
            ids = big['task_ids'][: args.memory_tasks]
            print('4/7 peak memory of one module call for %d tasks, on each side ...' % len(ids), flush=True)
            for side in sides:
                side_results[side.name]['memory'] = []
            for module, extra in MEMORY_CALLS:
                for side in sides:
                    side_results[side.name]['memory'].append(peak_memory(aux, big, module, ids, workdir, extra, side.collections))
            print('5/7 client overhead over %d requests, on each side ...' % args.overhead_requests, flush=True)
            for name, overhead in client_overhead(aux, big, args.overhead_requests, sides, workdir).items():
                side_results[name]['overhead'] = overhead
            aux.stop()
            emulators.remove(aux)
            print(
                '6/7 evaluation and report steps for %s tasks over %s, on each side ...'
                % (', '.join(str(count) for count in args.gate_steps_tasks), GATE_STEPS_WINDOW),
                flush=True,
            )
            for side in sides:
                side_results[side.name]['gate_steps'] = []
            for count in args.gate_steps_tasks:
                for name, entry in bench_gate_steps(count, workdir, sides).items():
                    side_results[name]['gate_steps'].append(entry)
            print(
                '7/7 fleet: %d and %d targets x %d sync tasks on each side, and a ping play over the same hosts ...'
                % (args.fleet_small, args.fleet_targets, args.fleet_tasks),
                flush=True,
            )
            results['fleet'] = bench_fleet.run(
                workdir,
                [(side.name, side.collections) for side in sides],
                targets=args.fleet_targets,
                tasks=args.fleet_tasks,
                latency_ms=args.latency_ms,
                runs=args.fleet_runs,
                small=args.fleet_small,
            )
    except (KeyboardInterrupt, Stop):
        print('bench: interrupted', file=sys.stderr)
        return 130
    finally:
        for emulator in emulators:
            emulator.stop()
    # The current side's figures where they always were; the baseline's under its name.
    results.update(side_results['current'])
    if 'baseline' in side_results:
        results['baseline'] = side_results['baseline']
    side_targets = {}
    for name in side_results:
        view = side_view(results, side_results, name)
        side_targets[name] = dict((target['key'], target) for target in targets(view) + bench_fleet.targets(results['fleet'], name))
    results['targets'] = list(side_targets['current'].values())
    views = dict((name, side_view(results, side_results, name)) for name in side_results)
    results['comparison'] = bench_baseline.table(comparison_rows(results), views, side_targets)
    results['elapsed_s'] = time.perf_counter() - started
    text = '\n\n'.join([render(results), bench_fleet.render(results['fleet']), bench_baseline.render(results['comparison'], sides)])
    print(text)
    print('\n(bench ran in %.0fs; results in %s)' % (results['elapsed_s'], args.output))
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(results, indent=2, sort_keys=True, default=str) + '\n')
    (Path(args.output).parent / 'results.txt').write_text(text + '\n')
    return 0


def gate_steps_only(sizes):
    """``--gate-steps-only``: the evaluation and report steps and the report sizes of the current side, nothing else."""
    side = bench_baseline.current(REPO, COLLECTIONS)
    try:
        with tempfile.TemporaryDirectory(prefix='hwcloud-bench-') as workdir:
            steps = [bench_gate_steps(count, workdir, [side])[side.name] for count in sizes]
    except (KeyboardInterrupt, Stop):
        print('bench: interrupted', file=sys.stderr)
        return 130
    print(render_gate_steps(steps))
    for target in gate_step_targets(steps):
        print('  [%s] %-44s %s' % ('met' if target['met'] else 'NOT MET', target['name'], target['figure']))
    (OUT_DIR / 'gate-steps.json').write_text(json.dumps(steps, indent=2) + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
