# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make demo`: run the migration health gate against the bundled emulator.

Starts ``hwc-emulator`` on loopback port 8780 (any free port when that one is
taken, or ``--port``) with the demo scenario, runs ``ansible-playbook
hwcloud.migration.migration_health`` against it in report mode
(``migration_health_fail=false``) with a vars file kept in ``build/demo/``, then
prints the two commands that run the same gate again by hand.  The verdict, the
window, the cutover and the failed checks are the gate's own output (the role's
``Show the verdict`` task): what the demo shows is what a real run shows.  The emulator is stopped on every way out,
Ctrl-C and SIGTERM included.

Exit status: 0 when the gate ran (whatever its verdict: the demo scenario is
meant to show violations), the playbook's status when it errored, 1 when the
emulator could not start.

`make demo` runs it with the small environment build/demo-venv (requirements.txt,
ansible-core and the emulator); any environment with those works:
``.venv/bin/python tools/demo.py`` after ``make venv``.  The collection is found
in that environment's ``collections`` folder, where the Makefile links this
checkout.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import yaml

from hwc_emulator.launcher import EmulatorProcess

REPO = Path(__file__).resolve().parents[1]
SCENARIO = REPO / 'emulator' / 'scenarios' / 'demo.yml'
REPORT_DIR = REPO / 'reports'
VARS_FILE = REPO / 'build' / 'demo' / 'demo-vars.json'
DEFAULT_PORT = 8780
REPORT_FILES = ('migration-health.json', 'migration-health.xml', 'migration-health.html')
# The cutover is an hour away: the demo's long-running migration task will miss it.
DEMO_DEADLINE = '+1h'
START_TIMEOUT = 30
# The failed objects shown after the gate's output, per failing subject (the reports list up to the gate's limit).
DEMO_FAILED_OBJECTS_SHOWN = 3
DEMO_FAILED_SUBJECTS_SHOWN = 2
# Credentials a developer may have exported for a real account: they must not
# leak into a run aimed at the emulator (a stray security token would change the
# auth method, a real key would simply be refused).
CREDENTIAL_ENV_PREFIXES = ('HW_', 'HUAWEICLOUD_SDK_', 'CLOUD_SDK_')


class Stop(Exception):
    """Raised by the SIGTERM handler so the finally blocks run."""


def _on_sigterm(signum, frame):
    raise Stop()


def find_tool(name):
    """A console script of this virtual environment, else from PATH."""
    local = Path(sys.executable).parent / name
    if local.exists():
        return str(local)
    found = shutil.which(name)
    if not found:
        raise SystemExit('%s not found: run `make venv` first' % name)
    return found


def collections_path():
    """The collections folder of the environment running the demo (the Makefile links the checkout there)."""
    return Path(sys.prefix) / 'collections'


def free_port(preferred):
    """``preferred`` when nothing listens on it, else 0 (the emulator picks a free port)."""
    if not preferred:
        return 0
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(('127.0.0.1', preferred))
        except OSError:
            return 0
    return preferred


def demo_settings(scenario_path):
    """Region, demo AK/SK and dataset ids from the scenario (all made up, valid only there)."""
    scenario = yaml.safe_load(scenario_path.read_text())
    region = next(iter(scenario.get('regions') or {'cn-north-4': []}))
    # The permanent pair: the temporary one would also need its security token.
    keys = [key for key in (scenario.get('credentials') or {}).get('access_keys') or [] if not key.get('security_token')]
    if not keys:
        raise SystemExit('%s defines no permanent access key for the demo' % scenario_path)
    datasets = [entry['dataset_id'] for entry in scenario.get('datasets') or [] if entry.get('dataset_id')]
    return {'region': region, 'access_key': keys[0]['access_key'], 'secret_key': keys[0]['secret_key'], 'datasets': datasets}


def obs_endpoint_env(region, url):
    """The variable that points OBS requests for ``region`` at the emulator (path style), as the SDK names it."""
    return {'HUAWEICLOUD_SDK_REGION_OBS_%s' % region.upper().replace('-', '_'): url}


def gate_command(obs_env=None):
    """The gate run, as a shell line that works from any folder (it names the collections path)."""
    stray = sorted(key for key in os.environ if key.startswith(CREDENTIAL_ENV_PREFIXES))
    words = ['env'] + [part for key in stray for part in ('-u', key)]
    words += ['%s=%s' % item for item in sorted((obs_env or {}).items())]
    words += ['ANSIBLE_COLLECTIONS_PATH=%s' % collections_path(), find_tool('ansible-playbook'), 'hwcloud.migration.migration_health', '-e', '@%s' % VARS_FILE]
    return ' '.join(shlex.quote(str(word)) for word in words)


def run_playbook(extra_vars, obs_env=None):
    """Run the gate playbook; returns its exit status.  Output goes straight to the terminal."""
    VARS_FILE.parent.mkdir(parents=True, exist_ok=True)
    VARS_FILE.write_text(json.dumps(extra_vars, indent=2) + '\n')
    env = {key: value for key, value in os.environ.items() if not key.startswith(CREDENTIAL_ENV_PREFIXES)}
    env.update(obs_env or {})
    env['ANSIBLE_COLLECTIONS_PATH'] = str(collections_path())
    env.setdefault('ANSIBLE_LOCALHOST_WARNING', 'False')
    env.setdefault('ANSIBLE_INVENTORY_UNPARSED_WARNING', 'False')
    command = [find_tool('ansible-playbook'), 'hwcloud.migration.migration_health', '-e', '@%s' % VARS_FILE]
    print('$ %s' % gate_command(obs_env), flush=True)
    process = subprocess.Popen(command, env=env, cwd=str(REPO))
    try:
        return process.wait()
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def failed_objects_excerpt(report_dir, shown=DEMO_FAILED_OBJECTS_SHOWN, subjects=DEMO_FAILED_SUBJECTS_SHOWN):
    """A few lines per subject whose failed objects the gate read: its counts per code and its first keys."""
    try:
        fact = json.loads((report_dir / 'migration-health.json').read_text())
    except (OSError, ValueError):
        return []
    listed = [
        (noun, entry, entry['failed_object_details'])
        for fact_key, noun in (('migration_tasks', 'migration task'), ('task_groups', 'task group'), ('sync_tasks', 'sync task'))
        for entry in fact.get(fact_key) or []
        if entry.get('failed_object_details')
    ]
    lines = []
    for noun, entry, details in listed[:subjects]:
        name = entry.get('name') or entry.get('description')
        lines.append('%s %s%s: %s failed objects in %s' % (noun, entry['id'], ' (%s)' % name if name else '', details.get('total'), details.get('bucket')))
        lines.append('  by code: %s' % ', '.join('%s %d' % item for item in sorted((details.get('counts') or {}).items())))
        lines.extend('  %-34s %s' % (item.get('code'), item.get('key')) for item in (details.get('objects') or [])[:shown])
    if len(listed) > subjects:
        lines.append('(and %d more subjects with failed objects)' % (len(listed) - subjects))
    return ['Failed objects, the first %d of each subject (all of them in migration-health.html):' % shown] + lines if lines else []


def rerun_instructions(port, obs_env=None):
    """The two commands that run this gate again by hand: the emulator, then the playbook."""
    emulator = ' '.join(shlex.quote(str(word)) for word in (find_tool('hwc-emulator'), '--port', port, '--scenario', SCENARIO))
    return '\n'.join(
        [
            'Run the gate again yourself (from any folder; the vars file stays in %s):' % VARS_FILE.parent,
            '  %s &' % emulator,
            '  %s' % gate_command(obs_env),
            'then stop the emulator with: kill %1',
        ]
    )


def parse_args(argv):
    parser = argparse.ArgumentParser(description='Run the migration health gate against the bundled emulator.')
    parser.add_argument('--report-dir', type=Path, default=REPORT_DIR, help='where the gate writes its reports (default %s)' % REPORT_DIR)
    parser.add_argument(
        '--port', type=int, default=DEFAULT_PORT, help='loopback port of the emulator (default %d; 0 or a taken port: any free one)' % DEFAULT_PORT
    )
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    signal.signal(signal.SIGTERM, _on_sigterm)
    settings = demo_settings(SCENARIO)
    report_dir = args.report_dir.resolve()
    report_dir.mkdir(parents=True, exist_ok=True)
    for name in REPORT_FILES:
        # A stale report from an earlier run must not pass for this one.
        (report_dir / name).unlink(missing_ok=True)
    emulator = None
    try:
        try:
            emulator = EmulatorProcess(SCENARIO, log_path=report_dir / 'emulator.log', start_timeout=START_TIMEOUT, port=free_port(args.port))
        except RuntimeError as exc:
            print('demo: %s' % exc, file=sys.stderr)
            return 1
        url = emulator.url
        print('Emulator listening on %s (scenario %s)' % (url, SCENARIO.relative_to(REPO)), flush=True)
        extra_vars = {
            'migration_health_sync_tasks': 'all',
            'migration_health_datasets': settings['datasets'],
            'migration_health_migration_tasks': 'all',
            'migration_health_task_groups': 'all',
            'migration_health_deadline': DEMO_DEADLINE,
            # The failing tasks' failed-object lists, from the emulator's OBS (obs_env): codes and keys in the reports.
            'migration_health_failed_object_details': True,
            'migration_health_fail': False,
            'migration_health_report_dir': str(report_dir),
            'migration_health_connection': {
                'region': settings['region'],
                'access_key': settings['access_key'],
                'secret_key': settings['secret_key'],
                'endpoint': url,
                'iam_endpoint': url,
            },
        }
        obs_env = obs_endpoint_env(settings['region'], url)
        started = time.time()
        rc = run_playbook(extra_vars, obs_env)
        if rc != 0:
            print('demo: ansible-playbook failed with exit status %d (emulator log: %s)' % (rc, report_dir / 'emulator.log'), file=sys.stderr)
            return rc
        # The gate printed its own summary (the role's "Show the verdict" task): the demo adds nothing to it.
        print('\nGate ran in %.1fs (report mode: migration_health_fail=false; by default the play fails and lists the violations).' % (time.time() - started))
        excerpt = failed_objects_excerpt(report_dir)
        if excerpt:
            print('\n' + '\n'.join(excerpt))
        print('\n' + rerun_instructions(url.rsplit(':', 1)[1], obs_env))
        return 0
    except (KeyboardInterrupt, Stop):
        print('\ndemo: interrupted', file=sys.stderr)
        return 130
    finally:
        if emulator is not None:
            emulator.stop()


if __name__ == '__main__':
    sys.exit(main())
