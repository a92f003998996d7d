# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Galaxy tarball holds the collection and nothing from the development tree."""

import json
import tarfile

import pytest

# Top-level directories and files that must never be in the tarball.
FORBIDDEN_TOP = {
    '.venv',
    '.git',
    '.ci',
    '.ansible',
    '.pytest_cache',
    'build',
    'reports',
    'emulator',
    'tools',
    'mk',
    'Makefile',
    'execution-environment.yml',
    'importer_result.json',
}
# Directory names that must not appear anywhere.
FORBIDDEN_ANYWHERE = {'__pycache__', '.pytest_cache', '.mypy_cache', '.tox'}
REQUIRED = {
    'MANIFEST.json',
    'FILES.json',
    'README.md',
    'COPYING',
    'meta/runtime.yml',
    'meta/execution-environment.yml',
    'requirements.txt',
    'bindep.txt',
    'plugins/modules/oms_sync_task_info.py',
    'plugins/modules/oms_sync_task_statistics_info.py',
    'plugins/modules/modelarts_dataset_sync_info.py',
    'plugins/doc_fragments/huaweicloud.py',
    'roles/migration_health/meta/argument_specs.yml',
    'playbooks/migration_health.yml',
    # Event-Driven Ansible: ansible-rulebook finds the source and the rulebook under extensions/eda/,
    # and the playbooks the rulebook runs by their names in playbooks/.
    'extensions/eda/plugins/event_source/migration_events.py',
    'extensions/eda/rulebooks/migration_events.yml',
    'playbooks/migration_events_notify.yml',
    'docs/docsite/extra-docs.yml',
    'docs/docsite/links.yml',
}


@pytest.fixture(scope='module')
def members(collection_tarball):
    with tarfile.open(str(collection_tarball)) as tar:
        return {member.name.rstrip('/'): member for member in tar.getmembers()}


def test_nothing_from_the_development_tree(members):
    bad = sorted(
        name
        for name in members
        if name.split('/')[0] in FORBIDDEN_TOP
        or FORBIDDEN_ANYWHERE & set(name.split('/'))
        or name.startswith(('tests/output', 'tests/benchmark'))
        or name.endswith(('.pyc', '.tar.gz', '.log'))
    )
    assert not bad, 'unwanted files in the collection tarball (fix build_ignore in galaxy.yml): %s' % bad


def test_collection_content_is_there(members):
    missing = sorted(REQUIRED - set(members))
    assert not missing, 'missing from the collection tarball: %s' % missing


def test_manifest(collection_tarball):
    with tarfile.open(str(collection_tarball)) as tar:
        manifest = json.load(tar.extractfile('MANIFEST.json'))
        files = json.load(tar.extractfile('FILES.json'))
    info = manifest['collection_info']
    assert (info['namespace'], info['name']) == ('hwcloud', 'migration')
    assert info['license'] == ['GPL-3.0-or-later']
    listed = {entry['name'] for entry in files['files']}
    assert 'plugins/modules/oms_sync_task_info.py' in listed
