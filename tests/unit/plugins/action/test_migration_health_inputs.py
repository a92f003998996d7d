# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inputs action's "not evaluated yet" fact: the action does not check it at run time, so these tests do."""

import json

from ansible_collections.hwcloud.migration.plugins.action.migration_health_inputs import NOT_EVALUATED, not_evaluated_fact
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.schema import fact_errors
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports.files import render_reports


def test_the_not_evaluated_fact_matches_the_fact_schema():
    assert fact_errors(not_evaluated_fact()) == []


def test_the_not_evaluated_fact_says_error_and_why():
    fact = not_evaluated_fact()
    assert fact['verdict'] == 'ERROR' and fact['healthy'] is False
    assert [(error['step'], error['message']) for error in fact['errors']] == [('run', NOT_EVALUATED)]
    assert fact['checks'] == [] and fact['violations'] == []


def test_each_call_is_a_fresh_fact_of_its_own_moment():
    first, second = not_evaluated_fact(), not_evaluated_fact()
    assert first is not second
    first['errors'].append({'step': 'x', 'message': 'y'})
    assert len(second['errors']) == 1


def test_the_reports_of_the_not_evaluated_fact_say_why():
    rendered = render_reports(not_evaluated_fact())
    assert json.loads(rendered['json'])['verdict'] == 'ERROR'
    for text in rendered.values():
        assert 'stopped before it evaluated anything' in text
