# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared helpers for the ecosystem tests: a collection tarball built once per session.

Run with ``make ecosystem`` (or ``make release-check``), which also creates
build/release-venv with ansible-builder for test_ee.py.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
RELEASE_VENV = REPO / 'build' / 'release-venv'


def tool(name, *venvs):
    """A console script from the given virtual environments, this one, or PATH."""
    for venv_bin in [Path(venv) / 'bin' for venv in venvs] + [BIN]:
        if (venv_bin / name).exists():
            return str(venv_bin / name)
    return shutil.which(name)


@pytest.fixture(scope='session')
def ansible_galaxy():
    return tool('ansible-galaxy')


@pytest.fixture(scope='session')
def collection_tarball(tmp_path_factory, ansible_galaxy):
    """``ansible-galaxy collection build`` of the checkout into a temporary directory."""
    out = tmp_path_factory.mktemp('dist')
    process = subprocess.run(
        [ansible_galaxy, 'collection', 'build', '--output-path', str(out), str(REPO)], capture_output=True, text=True, cwd=str(REPO), check=False
    )
    assert process.returncode == 0, process.stdout + process.stderr
    tarballs = list(out.glob('hwcloud-migration-*.tar.gz'))
    assert len(tarballs) == 1, tarballs
    return tarballs[0]


@pytest.fixture(scope='session')
def ansible_builder():
    found = tool('ansible-builder', os.environ.get('RELEASE_VENV') or RELEASE_VENV)
    if not found:
        pytest.skip('ansible-builder not installed: run `make ecosystem`, which creates build/release-venv')
    return found
