# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The README's install route, end to end and outside the checkout.

`make dist` runs in a copy of the checkout (with this test's virtual environment,
so nothing is installed but the build backend of the emulator's wheel), the
collection tarball is installed with ``ansible-galaxy collection install`` into a
new collections path and the emulator's wheel with ``pip install --target``. Then,
with nothing of the checkout on the collections path or the Python path:

* the installed emulator starts with the demo scenario inside its wheel;
* ``ansible-playbook hwcloud.migration.migration_health -e @docs/gate.yml``, with
  the file's emulator lines uncommented and the keys in the environment as the
  file says, runs the installed collection's gate and writes its verdict;
* ``docs/fleet.projects.yml`` with its emulator lines uncommented is an inventory
  ``ansible-inventory --list`` reads, duplicate keys refused.

The whole route is one test, so that ``pytest -n 2`` builds it once.
"""

import json
import os
import re
import select
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
VENV = Path(sys.prefix)
FLEET_SCENARIO = REPO / 'tests' / 'integration' / 'scenarios' / 'fleet.yml'
# The port docs/gate.yml and docs/fleet.projects.yml name: hwc-emulator's default.
DOCUMENTED_URL = 'http://127.0.0.1:8080'
_CREDENTIAL_ENV_PREFIXES = ('HW_', 'HUAWEICLOUD_SDK_', 'CLOUD_SDK_')
_MAKE_ENV = ('MAKEFLAGS', 'MFLAGS', 'MAKELEVEL', 'PYTHON', 'MATRIX_PYTHON')
SECRET_OPTIONS = {'access_key', 'secret_key', 'security_token', 'auth_token', 'password'}


def run(command, timeout, **kwargs):
    process = subprocess.run([str(part) for part in command], capture_output=True, text=True, timeout=timeout, check=False, **kwargs)
    assert process.returncode == 0, '%s failed (%d):\n%s\n%s' % (command, process.returncode, process.stdout[-3000:], process.stderr[-3000:])
    return process


def copy_checkout(destination):
    """What git sees of the checkout (tracked and untracked, not ignored), with its times."""
    listed = subprocess.run(['git', 'ls-files', '-co', '--exclude-standard', '-z'], cwd=str(REPO), capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split('\0')):
        source = REPO / name
        if source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(str(source), str(destination / name))


def uncomment_emulator_lines(text, url):
    """The file as a user makes it for the emulator: the commented settings after its
    "bundled emulator" note uncommented, the documented URL replaced by ``url``."""
    lines = text.splitlines()
    start = next(index for index, line in enumerate(lines) if 'bundled emulator' in line)
    for index in range(start + 1, len(lines)):
        setting = re.match(r'^(\s*)# (\s*[a-z_]+:(?: .*)?)$', lines[index])
        if setting:
            lines[index] = setting.group(1) + setting.group(2).replace(DOCUMENTED_URL, url)
        elif not lines[index].lstrip().startswith('#'):
            break
    return '\n'.join(lines) + '\n'


def plain(value):
    """ansible-inventory's JSON without the ``__ansible_unsafe`` wrappers of 2.19."""
    if isinstance(value, dict):
        if set(value) == {'__ansible_unsafe'}:
            return value['__ansible_unsafe']
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


class InstalledEmulator:
    """The wheel's ``hwc-emulator`` script on a free loopback port."""

    def __init__(self, site, scenario=None):
        command = [str(site / 'bin' / 'hwc-emulator'), '--host', '127.0.0.1', '--port', '0']
        if scenario:
            command += ['--scenario', str(scenario)]
        env = dict(os.environ, PYTHONPATH=str(site))
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
        first = self.process.stdout.readline() if select.select([self.process.stdout], [], [], 30)[0] else ''
        if not first.startswith('Listening on '):
            self.stop()
            raise AssertionError('the installed emulator did not start: %r' % first)
        self.url = first[len('Listening on ') :].strip().rstrip('/')

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()


def installed_env(collections, extra):
    env = {key: value for key, value in os.environ.items() if not key.startswith(_CREDENTIAL_ENV_PREFIXES)}
    env.update(
        {
            'ANSIBLE_COLLECTIONS_PATH': str(collections),
            'ANSIBLE_COLLECTIONS_SCAN_SYS_PATH': 'False',
            'ANSIBLE_LOCALHOST_WARNING': 'False',
            'ANSIBLE_INVENTORY_UNPARSED_WARNING': 'False',
            'ANSIBLE_NOCOLOR': '1',
            'ANSIBLE_RETRY_FILES_ENABLED': 'False',
            'PATH': str(BIN) + os.pathsep + os.environ.get('PATH', ''),
        }
    )
    env.update(extra)
    return env


def first_access_key(scenario):
    pair = yaml.safe_load(Path(scenario).read_text())['credentials']['access_keys'][0]
    return {'HUAWEICLOUD_SDK_AK': pair['access_key'], 'HUAWEICLOUD_SDK_SK': pair['secret_key']}


def test_make_dist_then_the_installed_collection_gates_the_installed_emulator(tmp_path):
    source = tmp_path / 'checkout'
    copy_checkout(source)
    # This test's environment stands in for the checkout's: -o keeps make from
    # rebuilding it or relinking its collections path.
    make_env = {key: value for key, value in os.environ.items() if key not in _MAKE_ENV}
    venv_targets = [VENV / '.installed', VENV / 'collections' / 'ansible_collections' / 'hwcloud' / 'migration']
    command = ['make', '-s', '-C', source, 'dist', 'VENV=%s' % VENV, 'PYTHON=%s' % sys.executable, 'MATRIX_PYTHON=%s' % sys.executable]
    run(command + ['-o%s' % target for target in venv_targets], timeout=600, env=make_env)
    version = yaml.safe_load((source / 'galaxy.yml').read_text())['version']
    tarball = source / 'build' / 'dist' / ('hwcloud-migration-%s.tar.gz' % version)
    wheels = sorted((source / 'build' / 'dist').glob('hwc_emulator-*-py3-none-any.whl'))
    assert tarball.is_file() and len(wheels) == 1, sorted(os.listdir(str(source / 'build' / 'dist')))

    collections = tmp_path / 'collections'
    site = tmp_path / 'site'
    run([BIN / 'ansible-galaxy', 'collection', 'install', '--offline', '-p', collections, tarball], timeout=120, env=installed_env(collections, {}))
    installed = collections / 'ansible_collections' / 'hwcloud' / 'migration'
    assert (installed / 'playbooks' / 'migration_health.yml').is_file() and not installed.is_symlink()
    run([sys.executable, '-m', 'pip', 'install', '-q', '--no-deps', '--no-index', '--target', site, wheels[0]], timeout=120)
    imported = run([sys.executable, '-c', 'import hwc_emulator; print(hwc_emulator.__file__)'], timeout=60, env=dict(os.environ, PYTHONPATH=str(site)))
    assert Path(imported.stdout.strip()).is_relative_to(site)

    # The gate of the README: docs/gate.yml, keys in the environment.
    workdir = tmp_path / 'run'
    workdir.mkdir()
    with InstalledEmulator(site) as emulator:
        gate = workdir / 'gate.yml'
        gate.write_text(uncomment_emulator_lines((REPO / 'docs' / 'gate.yml').read_text(), emulator.url))
        assert yaml.safe_load(gate.read_text())['migration_health_connection']['endpoint'] == emulator.url
        keys = first_access_key(site / 'hwc_emulator' / 'scenarios' / 'demo.yml')
        env = installed_env(collections, keys)
        process = subprocess.run(
            [str(BIN / 'ansible-playbook'), 'hwcloud.migration.migration_health', '-e', '@gate.yml'],
            capture_output=True,
            text=True,
            env=env,
            cwd=str(workdir),
            timeout=300,
            check=False,
        )
    output = process.stdout + process.stderr
    report = workdir / 'reports' / 'migration-health.json'
    assert report.is_file(), output
    fact = json.loads(report.read_text())
    # The demo scenario is meant to fail the gate, and migration_health_fail is true.
    assert fact['verdict'] == 'UNHEALTHY' and process.returncode == 2, output
    assert {entry['id'] for entry in fact['migration_tasks']} == {'1001', '1002', '1003'}
    assert [entry['id'] for entry in fact['task_groups']] == ['4c8e2a6f-1b3d-4f5a-9e7c-0d2b4a6c8e1f']
    assert fact['thresholds']['deadline'] == yaml.safe_load(gate.read_text())['migration_health_deadline']
    evaluated = {(check['id'], check['subject']) for check in fact['checks'] if check['evaluated']}
    assert ('migration-task-deadline', '1002') in evaluated
    assert ('task-group-deadline', '4c8e2a6f-1b3d-4f5a-9e7c-0d2b4a6c8e1f') in evaluated
    assert keys['HUAWEICLOUD_SDK_SK'] not in output

    # The fleet inventory of docs/fleet.md against the installed emulator.
    with InstalledEmulator(site, FLEET_SCENARIO) as emulator:
        source_file = workdir / 'fleet.projects.yml'
        source_file.write_text(uncomment_emulator_lines((REPO / 'docs' / 'fleet.projects.yml').read_text(), emulator.url))
        listed = run(
            [BIN / 'ansible-inventory', '-i', source_file, '--list'],
            timeout=120,
            # A key twice in the source (an uncommented block beside the first) is an error, not a warning.
            env=installed_env(collections, dict(first_access_key(FLEET_SCENARIO), ANSIBLE_DUPLICATE_YAML_DICT_KEY='error')),
            cwd=str(workdir),
        )
    inventory = plain(json.loads(listed.stdout))
    assert sorted(inventory['migration_health_targets']['hosts']) == ['cn-east-3', 'cn-north-4', 'cn-north-4_analytics']
    connection = inventory['_meta']['hostvars']['cn-east-3']['migration_health_connection']
    assert connection == {
        'endpoint': emulator.url,
        'iam_endpoint': emulator.url,
        'timeout': 20,
        'retries': 3,
        'region': 'cn-east-3',
        'project_id': 'f1ee7000000000000000000000000002',
    }
    assert sorted(inventory['region_cn_north_4']['hosts']) == ['cn-north-4', 'cn-north-4_analytics']


def gate_settings():
    return yaml.safe_load(uncomment_emulator_lines((REPO / 'docs' / 'gate.yml').read_text(), DOCUMENTED_URL))


def test_the_example_gate_shows_migration_tasks_task_groups_and_the_deadline():
    settings = gate_settings()
    assert settings['migration_health_migration_tasks'] and settings['migration_health_task_groups']
    assert settings['migration_health_deadline']
    assert settings['migration_health_connection']['endpoint'] == DOCUMENTED_URL


@pytest.mark.security
def test_the_example_gate_keeps_keys_in_the_environment():
    text = (REPO / 'docs' / 'gate.yml').read_text()
    connection = gate_settings()['migration_health_connection']
    assert not SECRET_OPTIONS & set(connection), connection
    # The file says where the keys come from instead.
    assert 'HUAWEICLOUD_SDK_AK' in text and 'HUAWEICLOUD_SDK_SK' in text


# Hosts reserved for examples and tests (RFC 2606, RFC 6761): a link to one leads nowhere.
_PLACEHOLDER_TLDS = {'invalid', 'example', 'test', 'localhost'}
_PLACEHOLDER_DOMAINS = {'example.com', 'example.net', 'example.org'}


def _placeholder(host):
    host = host.lower().rstrip('.')
    return host.rsplit('.', 1)[-1] in _PLACEHOLDER_TLDS or any(host == domain or host.endswith('.' + domain) for domain in _PLACEHOLDER_DOMAINS)


def test_no_link_of_galaxy_yml_the_readme_or_the_docs_names_a_placeholder_host():
    files = [REPO / 'galaxy.yml', REPO / 'README.md'] + sorted(path for path in (REPO / 'docs').rglob('*') if path.is_file())
    found = []
    for path in files:
        text = path.read_text(errors='replace')
        hosts = [urlsplit(url).hostname or '' for url in re.findall(r'[a-z][a-z0-9+.-]*://[^\s)<>"\'`]+', text)]
        hosts += re.findall(r'\b[\w-]+(?:\.[\w-]+)*\.invalid\b', text)
        found += ['%s: %s' % (path.relative_to(REPO), host) for host in hosts if host and _placeholder(host)]
    assert found == []
    galaxy = yaml.safe_load((REPO / 'galaxy.yml').read_text())
    for key in ('repository', 'documentation', 'homepage', 'issues'):
        if key in galaxy:
            assert urlsplit(galaxy[key]).scheme == 'https' and not _placeholder(urlsplit(galaxy[key]).hostname), (key, galaxy[key])
