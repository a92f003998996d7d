# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""CPU of the role's two report-writing steps, each in a fresh interpreter.

Ansible runs every task in a freshly forked worker: the action's module and
what it imports are loaded once, in the controller's main process (the
strategy loads the action's class before forking), but whatever the action
imports, compiles or builds while it runs is paid in every worker, twice per
gate: once in the ``migration_health_inputs`` step, whose ERROR fact and three
reports say that the run stopped before it evaluated anything until the
evaluation replaces them, and once in the ``migration_health_report`` step,
which evaluates the module results and writes the reports.  Neither checks its
fact against the schema: the unit tests hold the facts the collection builds
to it.  This script runs the same plugin_utils calls as the
actions, each in a new ``python -c`` process, and prints the CPU seconds
(user + system) of the worker's part (from the results to the last report
written) and, apart, of the imports.  Ansible's collection loader compiles a collection's Python
files from source on every import, so the imports here do too.

    .venv/bin/python tests/benchmark/bench_report_cpu.py [--runs 7] [--profile error|eval-50|eval-100|eval-500]

Paths: ``error`` (the inputs step's ERROR mark), ``eval-50`` (50 sync tasks over 1h, a fleet
target), ``eval-100`` and ``eval-500`` (100 and 500 sync tasks over 2d, the gates of
``make bench``'s "evaluate + reports" rows).
The median of ``--runs`` runs is printed per path; ``--profile`` prints the
cProfile of the worker's part of one run of a path instead.
``BENCH_COLLECTIONS`` points the runs at another checkout's collections.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
COLLECTIONS = Path(os.environ.get('BENCH_COLLECTIONS') or (REPO / '.venv' / 'collections'))
SCALE_HELPERS = REPO / 'tests' / 'unit' / 'plugins' / 'plugin_utils'
RUN_TIMEOUT = 300
# (name, sync tasks, window, window in ms); None: the ERROR mark, no results.
PATHS = (
    ('error', None, None, None),
    ('eval-50', 50, '1h', 3600 * 1000),
    ('eval-100', 100, '2d', 2 * 24 * 3600 * 1000),
    ('eval-500', 500, '2d', 2 * 24 * 3600 * 1000),
)

# Run in the child.  The worker has ansible-core and Jinja2 loaded before the action
# module is imported; the clock starts at the action's import.
CHILD = r"""
import json, sys, time
sys.dont_write_bytecode = True  # as Ansible's collection loader: every import compiles from source
sys.path.insert(0, {collections!r})
import jinja2, ansible.plugins.action, ansible.errors  # already in an Ansible worker
setup = json.load(open({setup!r}))
start = time.process_time()
from ansible_collections.hwcloud.migration.plugins.action import migration_health_report as action
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.evaluate import error_fact, evaluate
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.plain import plain
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.results import error_from_entry
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports.files import write_reports
imported = time.process_time()
profile = None
if setup['profile']:
    import cProfile
    profile = cProfile.Profile()
    profile.enable()
if setup['results'] is None:
    errors = [error_from_entry(plain(entry)) for entry in setup['errors']]
    fact = error_fact(errors)
else:
    errors = []
    results = dict((key, plain(value)) for key, value in setup['results'].items())
    # As the action's _evaluate, with the time of the data (the data is synthetic).
    fact = evaluate(results, plain(setup['policy']), now_ms=setup['now_ms'])
evaluated = time.process_time()
write_reports(fact, setup['dest'])
done = time.process_time()
if profile is not None:
    profile.disable()
    import pstats
    pstats.Stats(profile).sort_stats('cumulative').print_stats(45)
parts = dict(worker=done - imported, imports=imported - start, evaluate=evaluated - imported, reports=done - evaluated)
print(json.dumps(dict(parts, verdict=fact['verdict'])))
"""

ERROR_MARK = [
    {
        'step': 'run',
        'message': "this run of the gate stopped before it evaluated anything (it was interrupted or killed, or is still running); see the run's log",
    }
]


def write_setup(workdir, name, tasks, window, window_ms, profile):
    """The JSON file a child reads: its inputs, made once per path so every run sees the same data."""
    setup = {'profile': profile, 'dest': str(Path(workdir) / ('reports-' + name)), 'errors': ERROR_MARK, 'results': None, 'policy': None, 'now_ms': None}
    if tasks is not None:
        sys.path.insert(0, str(SCALE_HELPERS))
        sys.path.insert(0, str(COLLECTIONS))
        import health_scale  # pylint: disable=import-outside-toplevel

        results, policy = health_scale.scale_results(tasks, window=window, window_ms=window_ms)
        setup.update(results=results, policy=policy, now_ms=health_scale.NOW)
    path = Path(workdir) / ('setup-%s.json' % name)
    path.write_text(json.dumps(setup))
    return path


def run_child(setup_path, profile=False):
    code = CHILD.format(collections=str(COLLECTIONS), setup=str(setup_path))
    answer = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False)
    if answer.returncode != 0:
        raise SystemExit('the child failed:\n%s' % answer.stderr[-4000:])
    if profile:
        print(answer.stdout)
    return json.loads(answer.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--runs', type=int, default=7)
    parser.add_argument('--profile', choices=[name for name, *_rest in PATHS])
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix='bench-report-cpu-') as workdir:
        for name, tasks, window, window_ms in PATHS:
            if arguments.profile and name != arguments.profile:
                continue
            setup = write_setup(workdir, name, tasks, window, window_ms, bool(arguments.profile))
            if arguments.profile:
                run_child(setup, profile=True)
                continue
            runs = [run_child(setup) for _run in range(arguments.runs)]
            parts = dict((key, statistics.median(run[key] for run in runs)) for key in ('worker', 'imports', 'evaluate', 'reports'))
            print(
                '%-9s worker CPU %.3fs (median of %d: evaluation %.3fs, reports %.3fs); imports %.3fs; verdict %s'
                % (name, parts['worker'], len(runs), parts['evaluate'], parts['reports'], parts['imports'], runs[0]['verdict'])
            )


if __name__ == '__main__':
    main()
