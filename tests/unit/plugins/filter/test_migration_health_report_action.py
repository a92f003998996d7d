# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The controller-side writer behind hwcloud.migration.migration_health_report."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import xml.etree.ElementTree as ET

from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate import evaluate as _health_evaluate
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports import files as action


def _fact(health_data):
    return _health_evaluate.evaluate(health_data.unhealthy_results(), health_data.unhealthy_settings(), now_ms=health_data.NOW)


def test_writes_the_three_reports_into_a_new_directory(health_data, tmp_path):
    fact = _fact(health_data)
    dest = tmp_path / 'nested' / 'reports'
    changed, paths = action.write_reports(fact, str(dest))
    assert changed is True
    assert sorted(os.listdir(str(dest))) == ['migration-health.html', 'migration-health.json', 'migration-health.xml']
    assert json.loads((dest / 'migration-health.json').read_text()) == fact
    cases = list(ET.parse(paths['junit']).getroot().iter('testcase'))
    assert len(cases) == len(fact['checks'])
    assert 'UNHEALTHY' in (dest / 'migration-health.html').read_text()
    assert oct(os.stat(paths['html']).st_mode & 0o777) == oct(0o644)


def test_unchanged_reports_are_not_rewritten(health_data, tmp_path):
    fact = _fact(health_data)
    action.write_reports(fact, str(tmp_path))
    before = dict((name, os.stat(str(tmp_path / name)).st_mtime_ns) for name in os.listdir(str(tmp_path)))
    changed, _paths = action.write_reports(fact, str(tmp_path))
    assert changed is False
    assert before == dict((name, os.stat(str(tmp_path / name)).st_mtime_ns) for name in os.listdir(str(tmp_path)))


def test_check_mode_writes_nothing_but_says_what_would_change(health_data, tmp_path):
    dest = tmp_path / 'reports'
    changed, paths = action.write_reports(_fact(health_data), str(dest), check_mode=True)
    assert changed is True
    assert not dest.exists()
    assert paths['json'] == str(dest / 'migration-health.json')


def test_no_temporary_file_is_left_behind(health_data, tmp_path):
    action.write_reports(_fact(health_data), str(tmp_path))
    assert not [name for name in os.listdir(str(tmp_path)) if name.startswith('.migration-health-')]
