# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The gate's window checks on statistics that lie: failures without requests, a success in the future, a window under one bucket."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
from pathlib import Path

import jsonschema
import pytest

from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate import constants as _health_constants
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate import evaluate as _health_evaluate
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate import policy as _health_policy

SCHEMA = json.loads((Path(__file__).resolve().parents[4] / 'docs' / 'migration_health_fact.schema.json').read_text())


def evaluate(health_data, results, settings=None):
    fact = _health_evaluate.evaluate(results, health_data.settings() if settings is None else settings, now_ms=health_data.NOW)
    jsonschema.validate(fact, SCHEMA)
    return fact


def check(fact, subject, check_id):
    matches = [entry for entry in fact['checks'] if entry['subject'] == subject and entry['id'] == check_id]
    assert len(matches) == 1, (subject, check_id, fact['checks'])
    return matches[0]


def test_failures_without_requests_fail_the_window_ratio(health_data):
    # On main: "skipped: no objects requested", and the gate said HEALTHY over 7 failures.
    results = health_data.replace_statistics(health_data.healthy_results(), 'task-a', health_data.statistics('task-a', [], [], [0] * 11 + [7]))
    fact = evaluate(health_data, results)
    entry = check(fact, 'task-a', 'window-failure-ratio')
    assert entry['passed'] is False and entry['skipped'] is False and entry['evaluated'] is True, entry
    assert '7 object(s) failed in the last 1h while none were requested' in entry['message']
    assert entry['observed_display'] == '7 failed of 0 requested'
    assert fact['verdict'] == 'UNHEALTHY'


def test_no_requests_and_no_failures_still_skip_the_window_ratio(health_data):
    results = health_data.replace_statistics(health_data.healthy_results(), 'task-a', health_data.statistics('task-a', [], [], []))
    entry = check(evaluate(health_data, results), 'task-a', 'window-failure-ratio')
    assert entry['passed'] is True and entry['skipped'] is True


def test_monthly_failures_without_requests_fail_the_monthly_ratio(health_data):
    results = health_data.healthy_results()
    results['sync_task_info']['sync_tasks'][0].update(monthly_acceptance_request=0, monthly_failure_object=3)
    fact = evaluate(health_data, results)
    entry = check(fact, 'task-a', 'monthly-failure-ratio')
    assert entry['passed'] is False and entry['skipped'] is False, entry
    assert '3 object(s) failed this month while none were requested' in entry['message']
    assert fact['verdict'] == 'UNHEALTHY'


def test_a_success_in_the_future_does_not_make_the_stall_age_zero(health_data):
    # Requests all hour, the only "success" a day after now. On main: age max(0, negative) = 0, stall passed.
    stats = health_data.statistics('task-a', [10] * 12, [], [])
    stats['summary']['last_success_time'] = health_data.NOW + 24 * 60 * health_data.MINUTE
    results = health_data.replace_statistics(health_data.healthy_results(), 'task-a', stats)
    fact = evaluate(health_data, results)
    entry = check(fact, 'task-a', 'stall')
    assert entry['passed'] is False and entry['evaluated'] is False, entry
    assert entry['observed'] is None and entry['observed_display'] == 'in the future'
    assert 'after now' in entry['message']
    assert fact['verdict'] == 'ERROR'


def test_a_success_in_the_current_bucket_is_age_zero(health_data):
    stats = health_data.statistics('task-a', [10] * 12, [10] * 12, [])
    stats['summary']['last_success_time'] = health_data.NOW - 2 * health_data.MINUTE
    results = health_data.replace_statistics(health_data.healthy_results(), 'task-a', stats)
    entry = check(evaluate(health_data, results), 'task-a', 'stall')
    assert entry['passed'] is True and entry['observed'] == 0


@pytest.mark.parametrize('window', ['4m', '299s', '1s'])
def test_a_window_shorter_than_one_bucket_is_refused(health_data, window):
    with pytest.raises(_health_constants.MigrationHealthError) as excinfo:
        _health_policy.normalise_policy(health_data.settings(window=window))
    assert str(excinfo.value) == 'window: %r is shorter than one statistics bucket; the smallest window is 5m (5 minutes)' % window


@pytest.mark.parametrize('window', ['5m', '300s', '1h'])
def test_one_bucket_is_the_smallest_window(health_data, window):
    assert _health_policy.normalise_policy(health_data.settings(window=window))['window'] == window
