# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The compiled report template is kept on disk only where nobody else can write, and never changes a report."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.evaluate import error_fact
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.results import gate_error
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports import html as _health_html
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports.jinja_env import cache_directory, report_environment

pytestmark = pytest.mark.skipif(not hasattr(os, 'getuid'), reason='the cache is for POSIX controllers')


def _render(environ):
    environment = report_environment(
        _health_html.TEMPLATE_DIR, finalize=lambda value: _health_html.xml_safe(value) if isinstance(value, str) else value, environ=environ
    )
    fact = error_fact([gate_error('run', 'stopped <b>\x01</b>')], now_ms=1700000000000)
    return environment.get_template(_health_html.TEMPLATE).render(_health_html.view_model(fact))


def _cache_files(directory):
    return sorted(name for name in os.listdir(directory) if name.endswith('.cache'))


@pytest.fixture
def private(tmp_path):
    base = tmp_path / 'cache'
    base.mkdir(mode=0o700)
    os.chmod(str(tmp_path), 0o700)
    return {'XDG_CACHE_HOME': str(base), 'HOME': str(tmp_path / 'nohome')}


def test_the_compiled_template_is_kept_and_reused(private):
    directory = cache_directory(private)
    assert directory == os.path.join(private['XDG_CACHE_HOME'], 'hwcloud.migration', 'templates')
    assert os.stat(directory).st_mode & 0o777 == 0o700
    first = _render(private)
    files = _cache_files(directory)
    assert len(files) == 1
    written = os.stat(os.path.join(directory, files[0])).st_mtime_ns
    assert _render(private) == first
    assert os.stat(os.path.join(directory, files[0])).st_mtime_ns == written  # read, not compiled and written again
    assert first == _render({'XDG_CACHE_HOME': 'relative/path', 'HOME': 'relative'})  # no cache at all: the same page
    assert '\ufffd' in first and '&lt;b&gt;' in first


def test_a_damaged_cache_file_is_compiled_again(private):
    _render(private)
    directory = cache_directory(private)
    path = os.path.join(directory, _cache_files(directory)[0])
    whole = open(path, 'rb').read()
    for damaged in (whole[: len(whole) // 2], b'', whole[:40] + b'\x00' * 40):
        with open(path, 'wb') as stream:
            stream.write(damaged)
        assert _render(private) == _render({'HOME': 'relative'})
        assert open(path, 'rb').read() == whole


def test_a_cache_others_can_write_is_not_used(private):
    directory = cache_directory(private)
    os.chmod(directory, 0o777)
    assert cache_directory(private) is None
    os.chmod(directory, 0o700)
    os.chmod(private['XDG_CACHE_HOME'], 0o777)
    assert cache_directory(private) is None  # another user could swap the directory for theirs
    os.chmod(private['XDG_CACHE_HOME'], 0o1777)
    assert cache_directory(private) == directory  # sticky, as /tmp: nobody else can rename it
    os.chmod(private['XDG_CACHE_HOME'], 0o700)
    os.rmdir(directory)
    os.symlink(private['XDG_CACHE_HOME'], directory)
    assert cache_directory(private) is None


def test_no_cache_where_a_directory_cannot_be_made(private, tmp_path):
    blocker = tmp_path / 'file'
    blocker.write_text('not a directory')
    assert cache_directory({'XDG_CACHE_HOME': str(blocker)}) is None
    assert _render({'XDG_CACHE_HOME': str(blocker)}) == _render(private)
