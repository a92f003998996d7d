# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""tools/find_python.sh: the Python that `make` builds its environments with.

The candidates are fake interpreters (shell scripts) that answer the script's
probe as a real Python would, or fail as a pyenv shim of an unselected version
does, so the pick is tested without the Pythons of this machine.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
SCRIPT = REPO / 'tools' / 'find_python.sh'
BASH = shutil.which('bash') or '/bin/bash'

# name -> what the fake does when run
GOOD = '#!/bin/sh\ncase "$1" in -V|--version) echo "Python {version}.0";; *) echo "{version}";; esac\n'
FAKES = {
    # A pyenv shim whose version is not selected: found on PATH, fails when run.
    'python3.14': '#!/bin/sh\necho "pyenv: python3.14: command not found" >&2\nexit 127\n',
    # Found and runs, but without Debian's python3.N-venv (no ensurepip).
    'python3.15': '#!/bin/sh\necho "ModuleNotFoundError: No module named \'ensurepip\'" >&2\nexit 1\n',
    'python3.10': GOOD.format(version='3.10'),
    'python3.12': GOOD.format(version='3.12'),
    'python3.13': GOOD.format(version='3.13'),
    'python3': GOOD.format(version='3.12'),
}


@pytest.fixture
def fakes(tmp_path):
    folder = tmp_path / 'bin'
    folder.mkdir()
    for name, text in FAKES.items():
        (folder / name).write_text(text)
        (folder / name).chmod(0o755)
    return folder


def find(*args, path):
    """Run the script with only `path` on PATH (bash itself is named by its full path)."""
    return subprocess.run([BASH, str(SCRIPT)] + list(args), capture_output=True, text=True, env={'PATH': str(path)}, timeout=60, check=False)


def test_the_newest_python_that_runs_and_has_venv_is_picked(fakes):
    candidates = [str(fakes / name) for name in ('python3.14', 'python3.10', 'python3.12', 'python3.13', 'python3.15')]
    result = find(*candidates, path=fakes)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(fakes / 'python3.13')


def test_without_candidates_it_searches_path_newest_first(fakes):
    result = find(path=fakes)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(fakes / 'python3.13')


def test_max_keeps_to_what_the_oldest_ansible_core_supports(fakes):
    result = find('--max', '3.12', path=fakes)
    assert result.stdout.strip() == str(fakes / 'python3.12'), result.stderr


def test_prefer_is_taken_when_it_qualifies_and_searched_past_when_not(fakes):
    assert find('--prefer', str(fakes / 'python3.12'), path=fakes).stdout.strip() == str(fakes / 'python3.12')
    result = find('--prefer', str(fakes / 'python3.13'), '--max', '3.12', path=fakes)
    assert result.stdout.strip() == str(fakes / 'python3.12'), result.stderr


def test_none_qualifies_fails_and_says_why_for_each(fakes):
    result = find('--min', '3.11', *[str(fakes / name) for name in ('python3.10', 'python3.14', 'python3.15', 'missing')], path=fakes)
    assert result.returncode == 1 and result.stdout == ''
    assert 'no Python 3.11 or newer that runs and has venv' in result.stderr
    assert 'python3.10: Python 3.10, not 3.11 or newer' in result.stderr
    assert 'python3.14: does not run, or has no venv/ensurepip' in result.stderr
    assert 'python3.15: does not run, or has no venv/ensurepip' in result.stderr
    assert 'missing: not found' in result.stderr


def test_the_real_interpreter_that_runs_this_test_qualifies():
    # Not a fake: the probe really imports venv and ensurepip in a real Python.
    python = Path(sys.executable)
    result = find('--min', '3.0', str(python), path=python.parent)
    assert result.returncode == 0 and result.stdout.strip() == str(python), result.stderr


def make_which_python(fakes, **variables):
    # Newer than any real Python on this machine's PATH, which comes after the fakes.
    (fakes / 'python3.29').write_text(GOOD.format(version='3.29'))
    (fakes / 'python3.29').chmod(0o755)
    env = {key: value for key, value in os.environ.items() if key not in ('PYTHON', 'MATRIX_PYTHON', 'MAKEFLAGS', 'MFLAGS', 'MAKELEVEL')}
    env['PATH'] = str(fakes) + os.pathsep + os.environ['PATH']
    command = ['make', '-s', '-C', str(REPO), 'which-python'] + ['%s=%s' % item for item in variables.items()]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, check=False)


def test_make_picks_the_newest_python_and_a_matrix_python_that_ansible_core_2_16_runs_on(fakes):
    result = make_which_python(fakes)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == 'python: %s (Python 3.29.0)' % (fakes / 'python3.29')
    # ansible-core 2.16 supports controllers on Python 3.10 to 3.12 only.
    assert lines[1] == 'matrix python (ansible-core 2.16): %s (Python 3.12.0)' % (fakes / 'python3.12')


def test_make_python_overrides_the_pick(fakes):
    result = make_which_python(fakes, PYTHON=str(fakes / 'python3.12'))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        'python: %s (Python 3.12.0)' % (fakes / 'python3.12'),
        'matrix python (ansible-core 2.16): %s (Python 3.12.0)' % (fakes / 'python3.12'),
    ]


def test_no_python_is_hard_coded_in_the_build():
    for path in ['Makefile', '.ci/run', 'tools/sanity.sh'] + sorted(str(mk.relative_to(REPO)) for mk in (REPO / 'mk').glob('*.mk')):
        assert 'python3.11' not in (REPO / path).read_text(), path
