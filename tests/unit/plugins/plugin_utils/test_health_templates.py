# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The reports' Jinja2 environment: autoescaping, strict, the finalize hook applied, nothing written to disk."""

import os

import jinja2
import pytest

from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.evaluate import error_fact
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.results import gate_error
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports import html as _health_html
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports.jinja_env import report_environment


def _finalize(value):
    return _health_html.xml_safe(value) if isinstance(value, str) else value


def _render():
    environment = report_environment(_health_html.TEMPLATE_DIR, finalize=_finalize)
    fact = error_fact([gate_error('run', 'stopped <b>\x01</b>')], now_ms=1700000000000)
    return environment.get_template(_health_html.TEMPLATE).render(_health_html.view_model(fact))


def test_the_report_is_escaped_and_made_xml_safe():
    page = _render()
    assert 'stopped &lt;b&gt;' in page and 'stopped <b>' not in page
    assert '\ufffd' in page and '\x01' not in page
    assert page == _render()  # the same fact, the same page


def test_printed_values_are_escaped_and_finalized(tmp_path):
    (tmp_path / 'page.j2').write_text('{{ text }}|{{ number }}\n')
    environment = report_environment(str(tmp_path), finalize=lambda value: value.upper() if isinstance(value, str) else value)
    assert environment.get_template('page.j2').render(text='<script>x</script>', number=3) == '&lt;SCRIPT&gt;X&lt;/SCRIPT&gt;|3'
    assert environment.autoescape is True


def test_an_undefined_name_fails_instead_of_printing_nothing(tmp_path):
    (tmp_path / 'page.j2').write_text('{{ missing }}')
    with pytest.raises(jinja2.exceptions.UndefinedError, match='missing'):
        report_environment(str(tmp_path)).get_template('page.j2').render()


def test_blocks_leave_no_blank_lines_and_nothing_is_cached_on_disk(tmp_path, monkeypatch):
    cache = tmp_path / 'cache'
    cache.mkdir()
    monkeypatch.setenv('XDG_CACHE_HOME', str(cache))
    templates = tmp_path / 'templates'
    templates.mkdir()
    (templates / 'list.j2').write_text('<ul>\n  {% for item in items %}\n  <li>{{ item }}</li>\n  {% endfor %}\n</ul>\n')
    environment = report_environment(str(templates))
    assert environment.bytecode_cache is None
    assert environment.get_template('list.j2').render(items=['a', 'b']) == '<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>'
    assert sorted(os.listdir(str(templates))) == ['list.j2'] and os.listdir(str(cache)) == []
