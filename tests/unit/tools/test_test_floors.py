# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""tools/test_floors.py: counts from pytest's JUnit XML, and the floor check."""

import importlib.util
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parents[3] / 'tools' / 'test_floors.py'


@pytest.fixture
def floors(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location('test_floors_tool', str(TOOL))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, 'REPO', tmp_path)
    monkeypatch.setattr(module, 'FLOORS', tmp_path / 'tests' / 'floors.json')
    monkeypatch.setattr(module, 'RESULTS', tmp_path / 'build' / 'test-results')
    module.RESULTS.mkdir(parents=True)
    module.FLOORS.parent.mkdir()
    return module


def write_results(module, suite, passed, skipped=0, failed=0):
    cases = ['<testcase classname="tests.test_a" name="test_%d"/>' % index for index in range(passed)]
    cases += ['<testcase classname="tests.test_a" name="test_skip_%d"><skipped message="no SDK"/></testcase>' % index for index in range(skipped)]
    cases += ['<testcase classname="tests.test_a" name="test_fail_%d"><failure message="x"/></testcase>' % index for index in range(failed)]
    (module.RESULTS / ('%s.xml' % suite)).write_text(
        '<testsuites><testsuite name="pytest" tests="%d" failures="%d" errors="0" skipped="%d">%s</testsuite>'
        '</testsuites>' % (passed + skipped + failed, failed, skipped, ''.join(cases))
    )


def test_counts_leave_skipped_tests_out_and_name_them(floors):
    write_results(floors, 'units', passed=5, skipped=2, failed=1)
    found = floors.counts(floors.RESULTS / 'units.xml')
    assert (found['tests'], found['ran'], found['skipped'], found['failures']) == (8, 6, 2, 1)
    assert found['skipped_names'] == ['tests.test_a::test_skip_0', 'tests.test_a::test_skip_1']


def test_a_suite_below_its_floor_fails(floors, capsys):
    floors.FLOORS.write_text('{"units": 6, "integration": 3}')
    write_results(floors, 'units', passed=5, skipped=3)
    assert floors.main(['check', 'units']) == 1
    output = capsys.readouterr()
    assert 'units:          5 tests ran (0 failed, 0 errors, 3 skipped); floor 6' in output.out
    assert 'skipped: tests.test_a::test_skip_0' in output.out
    assert 'fewer than its floor of 6' in output.err


def test_at_or_above_the_floor_passes_and_summary_needs_every_suite(floors, capsys):
    floors.FLOORS.write_text('{"units": 5, "integration": 3}')
    write_results(floors, 'units', passed=5)
    assert floors.main(['check', 'units']) == 0
    assert floors.main(['summary']) == 1
    assert 'integration: no results' in capsys.readouterr().err
    write_results(floors, 'integration', passed=4)
    assert floors.main(['summary']) == 0


def test_a_suite_without_a_floor_is_an_error(floors, capsys):
    floors.FLOORS.write_text('{}')
    write_results(floors, 'units', passed=5)
    assert floors.main(['check', 'units']) == 1
    assert 'units: no floor' in capsys.readouterr().err
