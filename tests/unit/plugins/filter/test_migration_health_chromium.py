# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render the HTML report in headless Chromium: it must paint and show the verdict.

This test fails (it does not skip) when Chromium is missing, so a CI machine
without it cannot pass silently; select or deselect it with ``-m chromium``.
"""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os
import struct
import subprocess

import pytest

from ansible_collections.hwcloud.migration.plugins.plugin_utils import (
    _health_evaluate)

CHROMIUM = '/usr/bin/chromium'

pytestmark = pytest.mark.chromium


def chromium(tmp_path, *args):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail('%s is missing: install it (Debian: apt-get install -y chromium) to run the '
                    'HTML report rendering tests' % CHROMIUM)
    command = [
        CHROMIUM, '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
        '--user-data-dir=%s' % (tmp_path / 'profile'),
    ] + list(args)
    # HOME in tmp_path: Chromium writes caches there; keep them out of the user's home.
    env = dict(os.environ, HOME=str(tmp_path))
    return subprocess.run(command, capture_output=True, timeout=120, env=env, check=False)


def png_size(path):
    with open(str(path), 'rb') as handle:
        header = handle.read(24)
    assert header[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
    return struct.unpack('>II', header[16:24])


@pytest.fixture
def report(tmp_path, health_data):
    fact = _health_evaluate.evaluate(health_data.unhealthy_results(), health_data.unhealthy_settings(),
                                     now_ms=health_data.NOW)
    path = tmp_path / 'migration-health.html'
    path.write_text(_health_html.render_html(fact), encoding='utf-8')
    return path, fact


def test_report_renders_to_a_screenshot(tmp_path, report):
    path, _fact = report
    shot = tmp_path / 'shot.png'
    process = chromium(tmp_path, '--screenshot=%s' % shot, '--window-size=1280,2000', path.as_uri())
    assert shot.exists(), process.stderr.decode('utf-8', 'replace')[-2000:]
    # A blank page compresses to a few kilobytes; tables, text and charts do not.
    assert shot.stat().st_size > 30000
    assert png_size(shot) == (1280, 2000)


def test_report_dom_shows_the_verdict(tmp_path, report):
    path, fact = report
    process = chromium(tmp_path, '--dump-dom', path.as_uri())
    dom = process.stdout.decode('utf-8', 'replace')
    assert process.returncode == 0, process.stderr.decode('utf-8', 'replace')[-2000:]
    assert fact['verdict'] == 'UNHEALTHY'
    assert 'id="verdict">UNHEALTHY</div>' in dom
    assert dom.count('<svg') == 4
    assert 'task-stalled' in dom
