# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Without the official SDK only the tests that compare against it skip, one by one."""

import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

UNIT = Path(__file__).resolve().parent
SDK_TESTS = UNIT / 'plugins' / 'module_utils'


def test_no_test_file_skips_as_a_whole():
    whole_file = re.compile(r'^(\w+\s*=\s*)?pytest\.importorskip\(', re.MULTILINE)
    offenders = [str(path.relative_to(UNIT)) for path in sorted(UNIT.rglob('test_*.py')) if whole_file.search(path.read_text(encoding='utf-8'))]
    assert offenders == [], 'a module-level importorskip skips the whole file: use sdk_oracle or skip the test itself'


def test_without_the_sdk_only_its_tests_skip(tmp_path):
    # A package of the SDK's name that fails to import stands for an environment without it.
    hidden = tmp_path / 'hidden' / 'huaweicloudsdkcore'
    hidden.mkdir(parents=True)
    (hidden / '__init__.py').write_text('raise ImportError("hidden by test_sdk_optional")\n')
    report = tmp_path / 'report.xml'
    process = subprocess.run(
        [sys.executable, '-m', 'pytest', '-q', '-p', 'no:cacheprovider', '--junitxml', str(report), str(SDK_TESTS)],
        cwd=str(UNIT.parents[1]),
        capture_output=True,
        text=True,
        check=False,
        env={'PYTHONPATH': str(hidden.parent), 'PATH': str(Path(sys.executable).parent)},
    )
    assert process.returncode == 0, process.stdout + process.stderr
    passed, skipped = {}, {}
    for case in ElementTree.parse(str(report)).getroot().iter('testcase'):
        module = case.get('classname').split('.')[-1]
        skip = case.find('skipped')
        if skip is None:
            passed[module] = passed.get(module, 0) + 1
        else:
            assert 'huaweicloudsdkcore' in skip.get('message'), (case.get('name'), skip.get('message'))
            skipped[module] = skipped.get(module, 0) + 1
    assert skipped, 'no test needed the SDK: is the oracle still used?'
    for module in skipped:
        assert passed.get(module), '%s skipped as a whole without the SDK' % module
    assert sum(skipped.values()) < sum(passed.values()) / 4
