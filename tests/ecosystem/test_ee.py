# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The execution environment definition produces a complete build context.

No image is built (no container engine here): ``ansible-builder create`` writes
the context, and ``ansible-builder introspect`` shows what an image build would
read from the installed collection's meta/execution-environment.yml.
"""

import shutil
import subprocess
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]


def _requirement_names(text):
    return {line.split('#')[0].strip().split('>')[0].split('=')[0].split('<')[0].strip() for line in text.splitlines() if line.split('#')[0].strip()}


def test_definition_files():
    definition = yaml.safe_load((REPO / 'execution-environment.yml').read_text())
    assert definition['version'] == 3
    assert definition['images']['base_image']['name']
    assert set(definition['dependencies']) == {'galaxy', 'python', 'system'}
    meta = yaml.safe_load((REPO / 'meta' / 'execution-environment.yml').read_text())
    assert meta['dependencies']['python'] == 'requirements.txt'
    assert (REPO / meta['dependencies']['python']).is_file()
    assert (REPO / meta['dependencies']['system']).is_file()


def test_ansible_builder_create(tmp_path, ansible_builder, collection_tarball):
    # The definition refers to files next to it, and to the tarball `make ee-context` copies.
    for name in ('execution-environment.yml', 'requirements.txt', 'bindep.txt'):
        shutil.copy(str(REPO / name), str(tmp_path / name))
    (tmp_path / 'build' / 'ee').mkdir(parents=True)
    shutil.copy(str(collection_tarball), str(tmp_path / 'build' / 'ee' / 'hwcloud.migration.tar.gz'))
    context = tmp_path / 'context'
    process = subprocess.run(
        [ansible_builder, 'create', '-f', str(tmp_path / 'execution-environment.yml'), '-c', str(context), '--output-filename', 'Containerfile'],
        capture_output=True,
        text=True,
        cwd=str(tmp_path),
        check=False,
    )
    assert process.returncode == 0, process.stdout + process.stderr

    containerfile = (context / 'Containerfile').read_text()
    assert 'ARG EE_BASE_IMAGE="%s"' % yaml.safe_load((REPO / 'execution-environment.yml').read_text())['images']['base_image']['name'] in containerfile
    assert 'ansible-galaxy collection install' in containerfile
    assert 'introspect' in containerfile

    build = context / '_build'
    galaxy = yaml.safe_load((build / 'requirements.yml').read_text())
    assert galaxy['collections'] == [{'name': '/build/collections/hwcloud.migration.tar.gz', 'type': 'file'}]
    assert (build / 'collections' / 'hwcloud.migration.tar.gz').read_bytes() == collection_tarball.read_bytes()
    assert _requirement_names((build / 'requirements.txt').read_text()) >= {'requests', 'jsonschema'}
    assert 'ca-certificates' in (build / 'bindep.txt').read_text()


def test_introspection_finds_the_collection_requirements(tmp_path, ansible_builder, ansible_galaxy, collection_tarball):
    collections = tmp_path / 'collections'
    process = subprocess.run(
        [ansible_galaxy, 'collection', 'install', '--force', '-p', str(collections), str(collection_tarball)], capture_output=True, text=True, check=False
    )
    assert process.returncode == 0, process.stdout + process.stderr
    process = subprocess.run([ansible_builder, 'introspect', '--sanitize', str(collections)], capture_output=True, text=True, check=False)
    assert process.returncode == 0, process.stdout + process.stderr
    found = yaml.safe_load(process.stdout.split('\n', 1)[1])
    python = {line.split('#')[0].strip() for line in found['python']}
    expected = set(_requirement_names((REPO / 'requirements.txt').read_text()))
    assert expected <= _requirement_names('\n'.join(python)), found
    assert all('from collection hwcloud.migration' in line for line in found['python'])
    assert any(line.startswith('ca-certificates') for line in found['system'])
