"""Integration harness: a real emulator process and real ansible-playbook runs."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from hwc_emulator.launcher import EmulatorProcess

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
HERE = Path(__file__).resolve().parent
SCENARIOS = HERE / 'scenarios'
DEMO_SCENARIO = REPO / 'emulator' / 'scenarios' / 'demo.yml'

# Variables a developer may have exported that would change what the modules see.
_CREDENTIAL_ENV_PREFIXES = ('HW_', 'HUAWEICLOUD_SDK_', 'CLOUD_SDK_')


def pytest_configure(config):
    # Tests about secrets and untrusted data; `make security-matrix` runs them on ansible-core 2.16 too.
    config.addinivalue_line('markers', 'security: a security test (templating of untrusted data, secrets in output, credentials)')


# A running hwc-emulator on a free loopback port: Emulator(scenario, extra_args=()).
Emulator = EmulatorProcess


@pytest.fixture
def emulator_factory():
    """Start emulators for a test; each is stopped when the test ends."""
    started = []

    def start(scenario=DEMO_SCENARIO, extra_args=()):
        emulator = Emulator(scenario, extra_args=extra_args)
        started.append(emulator)
        return emulator

    yield start
    for emulator in started:
        emulator.stop()


@pytest.fixture
def demo_emulator(emulator_factory):
    return emulator_factory(DEMO_SCENARIO)


class PlaybookRun:
    """The outcome of one ansible-playbook run: exit code, output and task results."""

    def __init__(self, process, results):
        self.rc = process.returncode
        self.stdout = process.stdout
        self.stderr = process.stderr
        self.results = results

    @property
    def output(self):
        return self.stdout + self.stderr

    def task(self, name):
        """The last recorded result of the task with this name."""
        matches = [entry for entry in self.results if entry['task'] == name]
        if not matches:
            raise AssertionError('no result for task %r; tasks: %s\n%s' % (name, [entry['task'] for entry in self.results], self.output))
        return matches[-1]


def ansible_env(extra=None):
    """Environment for ansible commands: our collection, no stray credentials, plain output."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(_CREDENTIAL_ENV_PREFIXES)}
    env.update(
        {
            'ANSIBLE_COLLECTIONS_PATH': str(REPO / '.venv' / 'collections'),
            'ANSIBLE_LOCALHOST_WARNING': 'False',
            'ANSIBLE_INVENTORY_UNPARSED_WARNING': 'False',
            'ANSIBLE_NOCOLOR': '1',
            'ANSIBLE_RETRY_FILES_ENABLED': 'False',
            'ANSIBLE_CALLBACK_PLUGINS': str(HERE / 'callback_plugins'),
            'ANSIBLE_CALLBACKS_ENABLED': 'record_results',
            'PATH': str(BIN) + os.pathsep + os.environ.get('PATH', ''),
        }
    )
    env.update(extra or {})
    return env


@pytest.fixture
def run_playbook(tmp_path):
    """Run a playbook (YAML text, a list of plays, or a path) with real ansible-playbook."""
    counter = [0]

    def run(playbook, extra_vars=None, env=None, verbosity=0, args=(), timeout=300):
        counter[0] += 1
        if isinstance(playbook, (str, Path)) and Path(str(playbook)).suffix in ('.yml', '.yaml') and '\n' not in str(playbook):
            path = str(playbook)
        else:
            path = tmp_path / ('playbook-%d.yml' % counter[0])
            text = playbook if isinstance(playbook, str) else yaml.safe_dump(playbook, sort_keys=False)
            path.write_text(textwrap.dedent(text))
        results_file = tmp_path / ('results-%d.json' % counter[0])
        command = [str(BIN / 'ansible-playbook'), str(path)]
        if extra_vars:
            vars_file = tmp_path / ('vars-%d.json' % counter[0])
            vars_file.write_text(json.dumps(extra_vars))
            command += ['-e', '@%s' % vars_file]
        if verbosity:
            command.append('-' + 'v' * verbosity)
        command += list(args)
        run_env = ansible_env(env)
        run_env['RECORD_RESULTS_FILE'] = str(results_file)
        process = subprocess.run(command, capture_output=True, text=True, env=run_env, timeout=timeout, check=False, cwd=str(tmp_path))
        results = json.loads(results_file.read_text()) if results_file.exists() else []
        return PlaybookRun(process, results)

    return run
