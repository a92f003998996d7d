# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the migration_health filter plugin: policy, evaluation, JUnit and HTML rendering."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

from ansible_collections.hwcloud.migration.plugins.filter import migration_health as migration_health_filter
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate import constants as _health_constants
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate import evaluate as _health_evaluate
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate import policy as _health_policy
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks import common as _health_checks
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports import html as _health_html
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports import junit as _health_junit

SCHEMA_PATH = Path(__file__).resolve().parents[4] / 'docs' / 'migration_health_fact.schema.json'
SCHEMA = json.loads(SCHEMA_PATH.read_text())


def evaluate(health_data, results=None, settings=None, **kwargs):
    fact = _health_evaluate.evaluate(
        health_data.healthy_results() if results is None else results,
        health_data.settings() if settings is None else settings,
        now_ms=kwargs.pop('now_ms', health_data.NOW),
    )
    jsonschema.validate(fact, SCHEMA)
    return fact


def check(fact, subject, check_id):
    matches = [entry for entry in fact['checks'] if entry['subject'] == subject and entry['id'] == check_id]
    assert len(matches) == 1, (subject, check_id, fact['checks'])
    return matches[0]


def task_entry(fact, task_id):
    return next(entry for entry in fact['sync_tasks'] if entry['id'] == task_id)


# ---------------------------------------------------------------------------
# Policy
# ---------------------------------------------------------------------------


def test_policy_normalises_ids_dicts_and_duplicates():
    policy = _health_policy.normalise_policy(
        {'sync_tasks': ['a', {'id': 'b', 'max_window_failure_ratio': 0.5}, 'a', {'id': 'b', 'max_stall_age': '2h'}], 'datasets': ['d1', 'd1']}
    )
    assert policy['sync_task_ids'] == ['a', 'b']
    assert policy['dataset_ids'] == ['d1']
    assert policy['sync_tasks'][1]['overrides'] == {'max_window_failure_ratio': 0.5, 'max_stall_age': '2h', 'max_stall_age_ms': 7200000}
    assert policy['all_sync_tasks'] is False
    assert policy['window_ms'] == 3600000
    assert policy['thresholds']['max_stall_age_ms'] == 1800000


@pytest.mark.parametrize('value', ['all', 'ALL', ' all '])
def test_policy_all(value):
    policy = _health_policy.normalise_policy({'sync_tasks': value})
    assert policy['all_sync_tasks'] is True
    assert policy['sync_task_ids'] == []


def test_policy_accepts_numbers_given_as_strings():
    # Extra vars given on the command line (-e key=value) arrive as strings.
    policy = _health_policy.normalise_policy({'sync_tasks': ['a'], 'max_window_failure_ratio': '0.1', 'max_window_failed_objects': '7'})
    assert policy['thresholds']['max_window_failure_ratio'] == 0.1
    assert policy['thresholds']['max_window_failed_objects'] == 7


@pytest.mark.parametrize(
    'settings, message',
    [
        ({'sync_tasks': 'some-task'}, 'neither "all" nor a list'),
        ({'sync_tasks': [], 'datasets': []}, 'nothing to gate'),
        ({'sync_tasks': [{'name': 'x'}]}, 'has no "id"'),
        ({'sync_tasks': [{'id': 'x', 'max_failures': 3}]}, 'unknown key(s) max_failures'),
        ({'sync_tasks': [{'id': 'x', 'max_window_failure_ratio': 5}]}, 'between 0 and 1'),
        ({'sync_tasks': ['x'], 'max_monthly_failure_ratio': 'lots'}, 'max_monthly_failure_ratio'),
        ({'sync_tasks': ['x'], 'max_window_failed_objects': -1}, 'whole number'),
        ({'sync_tasks': ['x'], 'max_stall_age': '30'}, 'has no unit'),
        ({'sync_tasks': ['x'], 'window': 'an hour'}, 'window'),
        ({'sync_tasks': ['x'], 'allowed_task_statuses': []}, 'non-empty list'),
        ({'sync_tasks': [None]}, 'is not an id'),
        ({'sync_tasks': {'id': 'x'}}, 'not a list'),
        ({'sync_tasks': ['x'], 'skip_checks': ['task-found']}, 'unknown check id(s) task-found'),
        ({'sync_tasks': ['x'], 'skip_checks': {'stall': True}}, 'not a list of check ids'),
    ],
)
def test_policy_rejects_bad_input(settings, message):
    with pytest.raises(_health_constants.MigrationHealthError) as excinfo:
        _health_policy.normalise_policy(settings)
    assert message in str(excinfo.value)


def test_filter_wrapper_raises_ansible_filter_error():
    from ansible.errors import AnsibleFilterError

    filters = migration_health_filter.FilterModule().filters()
    with pytest.raises(AnsibleFilterError, match='nothing to gate'):
        filters['migration_health_policy']({'sync_tasks': []})


def test_filters_are_registered():
    assert sorted(migration_health_filter.FilterModule().filters()) == [
        'migration_health_evaluate',
        'migration_health_failure_message',
        'migration_health_html',
        'migration_health_junit',
        'migration_health_policy',
        'migration_health_summary',
    ]


# ---------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------


def test_healthy(health_data):
    fact = evaluate(health_data)
    assert fact['healthy'] is True
    assert fact['verdict'] == 'HEALTHY'
    assert fact['violations'] == []
    assert fact['counts'] == {
        'sync_tasks': 2,
        'sync_tasks_unhealthy': 0,
        'datasets': 1,
        'datasets_unhealthy': 0,
        'migration_tasks': 0,
        'migration_tasks_unhealthy': 0,
        'task_groups': 0,
        'task_groups_unhealthy': 0,
        'checks': 16,
        'checks_passed': 16,
        'checks_failed': 0,
        'checks_skipped': 0,
        'checks_not_evaluated': 0,
    }
    assert fact['error'] is None and fact['errors'] == []
    assert check(fact, 'task-a', 'window-statistics')['message'] == ('the statistics of the last 1h were read completely (120 requested, 0 failed)')
    task = task_entry(fact, 'task-a')
    assert task['window_request_total'] == 120
    assert task['window_failure_ratio'] == 0
    assert task['monthly_failure_ratio'] == 0
    assert task['series']['REQUEST'][0] == [health_data.WINDOW_START, 10]
    assert fact['window']['start_time'] == health_data.WINDOW_START
    assert fact['window']['end_time'] == health_data.NOW
    assert _health_evaluate.failure_message(fact).startswith('Migration health gate FAILED: 0 of 16')


def test_check_ids_unique_per_subject_and_messages_one_line(health_data):
    fact = evaluate(health_data, health_data.unhealthy_results(), health_data.unhealthy_settings())
    keys = [(entry['subject'], entry['id']) for entry in fact['checks']]
    assert len(keys) == len(set(keys))
    assert all('\n' not in entry['message'] for entry in fact['checks'])
    assert all('\n' not in line for line in fact['violations'])


def test_task_status_not_allowed(health_data):
    results = health_data.healthy_results()
    results['sync_task_info']['sync_tasks'][0]['status'] = 'STOPPED'
    fact = evaluate(health_data, results)
    entry = check(fact, 'task-a', 'task-status')
    assert entry['passed'] is False
    assert entry['observed'] == 'STOPPED'
    assert entry['threshold'] == ['SYNCHRONIZING']
    assert fact['healthy'] is False
    assert task_entry(fact, 'task-a')['failed_checks'] == ['task-status']
    assert task_entry(fact, 'task-b')['healthy'] is True


def test_allowed_statuses_include_stopped(health_data):
    results = health_data.healthy_results()
    results['sync_task_info']['sync_tasks'][0]['status'] = 'STOPPED'
    fact = evaluate(health_data, results, health_data.settings(allowed_task_statuses=['synchronizing', 'stopped']))
    assert check(fact, 'task-a', 'task-status')['passed'] is True


def test_window_failure_ratio_and_failed_objects(health_data):
    results = health_data.replace_statistics(health_data.healthy_results(), 'task-a', health_data.statistics('task-a', [100] * 12, [90] * 12, [10] * 12))
    fact = evaluate(health_data, results)
    ratio = check(fact, 'task-a', 'window-failure-ratio')
    assert ratio['passed'] is False
    assert ratio['observed'] == 0.1
    assert ratio['threshold'] == 0.05
    assert ratio['observed_display'] == '10.00%'
    failed = check(fact, 'task-a', 'window-failed-objects')
    assert failed['passed'] is False
    assert failed['observed'] == 120
    assert failed['threshold'] == 100


def test_ratio_equal_to_threshold_passes(health_data):
    results = health_data.replace_statistics(health_data.healthy_results(), 'task-a', health_data.statistics('task-a', [20] * 12, [19] * 12, [1] * 12))
    fact = evaluate(health_data, results, health_data.settings(max_window_failed_objects=12))
    assert check(fact, 'task-a', 'window-failure-ratio')['passed'] is True
    assert check(fact, 'task-a', 'window-failed-objects')['passed'] is True


def test_no_requests_in_window_skips_ratio_and_stall(health_data):
    results = health_data.replace_statistics(health_data.healthy_results(), 'task-a', health_data.statistics('task-a', [], [], []))
    fact = evaluate(health_data, results)
    for check_id in ('window-failure-ratio', 'stall'):
        entry = check(fact, 'task-a', check_id)
        assert entry['passed'] is True and entry['skipped'] is True, entry
    assert check(fact, 'task-a', 'window-failed-objects')['observed'] == 0
    assert fact['healthy'] is True
    assert fact['counts']['checks_skipped'] == 2


def test_monthly_failure_ratio(health_data):
    results = health_data.healthy_results()
    results['sync_task_info']['sync_tasks'][0].update(monthly_acceptance_request=200, monthly_failure_object=20)
    fact = evaluate(health_data, results)
    entry = check(fact, 'task-a', 'monthly-failure-ratio')
    assert entry['passed'] is False
    assert entry['observed'] == 0.1
    assert task_entry(fact, 'task-a')['monthly_failure_ratio'] == 0.1
    assert '20 failed of 200 requested' in entry['message']


def test_monthly_failure_ratio_skipped_without_requests(health_data):
    results = health_data.healthy_results()
    results['sync_task_info']['sync_tasks'][0].update(monthly_acceptance_request=0, monthly_failure_object=0)
    fact = evaluate(health_data, results)
    entry = check(fact, 'task-a', 'monthly-failure-ratio')
    assert entry['passed'] is True and entry['skipped'] is True
    assert entry['observed'] is None


def test_stall_when_last_success_too_old(health_data):
    # Successes stop after the third bucket (17:10-17:15); requests keep arriving.
    results = health_data.replace_statistics(
        health_data.healthy_results(), 'task-a', health_data.statistics('task-a', [10] * 12, [10, 10, 10] + [0] * 9, [0] * 12)
    )
    fact = evaluate(health_data, results)
    entry = check(fact, 'task-a', 'stall')
    assert entry['passed'] is False
    # Measured from the end of the newest success bucket: 18:00 - 17:15.
    assert entry['observed'] == 45 * health_data.MINUTE
    assert entry['threshold'] == 30 * health_data.MINUTE
    assert entry['observed_display'] == '45m'
    assert task_entry(fact, 'task-a')['last_success_age'] == '45m'
    assert entry['message'].startswith('stalled:')


def test_stall_within_limit(health_data):
    results = health_data.replace_statistics(health_data.healthy_results(), 'task-a', health_data.statistics('task-a', [10] * 12, [10] * 8 + [0] * 4, [0] * 12))
    fact = evaluate(health_data, results)
    entry = check(fact, 'task-a', 'stall')
    assert entry['passed'] is True
    assert entry['observed'] == 20 * health_data.MINUTE


def test_stall_without_any_success(health_data):
    results = health_data.replace_statistics(health_data.healthy_results(), 'task-a', health_data.statistics('task-a', [10] * 12, [0] * 12, [0] * 12))
    fact = evaluate(health_data, results)
    entry = check(fact, 'task-a', 'stall')
    assert entry['passed'] is False
    assert entry['observed'] is None
    assert 'none succeeded' in entry['message']


def test_stall_allows_for_hour_buckets(health_data):
    # With ONE_HOUR buckets the newest success bucket started up to an hour ago;
    # the task is not stalled just because of the bucket width.
    stats = health_data.statistics('task-a', [], [], [], time_type='ONE_HOUR')
    hour = 60 * health_data.MINUTE
    stats['summary']['series']['REQUEST']['total'] = 50
    stats['summary']['last_success_time'] = health_data.NOW - hour
    results = health_data.replace_statistics(health_data.healthy_results(), 'task-a', stats)
    fact = evaluate(health_data, results)
    entry = check(fact, 'task-a', 'stall')
    assert entry['passed'] is True
    assert entry['observed'] == 0


def test_now_defaults_to_current_time(health_data):
    # Data from 2023 is far older than 30 minutes today.
    fact = _health_evaluate.evaluate(health_data.healthy_results(), health_data.settings())
    assert check(fact, 'task-a', 'stall')['passed'] is False
    assert fact['evaluated_at_ms'] > health_data.NOW


def test_per_task_override_applies_to_that_task_only(health_data):
    results = health_data.healthy_results()
    for task_id in ('task-a', 'task-b'):
        results = health_data.replace_statistics(results, task_id, health_data.statistics(task_id, [100] * 12, [90] * 12, [10] * 12))
    settings = health_data.settings(sync_tasks=[{'id': 'task-a', 'max_window_failure_ratio': 0.2, 'max_window_failed_objects': None}, 'task-b'])
    fact = evaluate(health_data, results, settings)
    assert check(fact, 'task-a', 'window-failure-ratio')['passed'] is True
    assert check(fact, 'task-a', 'window-failure-ratio')['threshold'] == 0.2
    disabled = check(fact, 'task-a', 'window-failed-objects')
    assert disabled['passed'] is True and disabled['skipped'] is True and disabled['threshold'] is None
    assert check(fact, 'task-b', 'window-failure-ratio')['passed'] is False
    assert check(fact, 'task-b', 'window-failed-objects')['passed'] is False
    assert task_entry(fact, 'task-a')['overridden'] == ['max_window_failed_objects', 'max_window_failure_ratio']
    assert task_entry(fact, 'task-a')['thresholds']['max_window_failure_ratio'] == 0.2
    assert fact['thresholds']['max_window_failure_ratio'] == 0.05


def test_per_task_status_and_stall_override(health_data):
    results = health_data.replace_statistics(
        health_data.healthy_results(), 'task-a', health_data.statistics('task-a', [10] * 12, [10, 10, 10] + [0] * 9, [0] * 12)
    )
    results['sync_task_info']['sync_tasks'][0]['status'] = 'STOPPED'
    settings = health_data.settings(sync_tasks=[{'id': 'task-a', 'allowed_task_statuses': ['SYNCHRONIZING', 'STOPPED'], 'max_stall_age': '1h'}, 'task-b'])
    fact = evaluate(health_data, results, settings)
    assert fact['healthy'] is True
    assert check(fact, 'task-a', 'stall')['threshold'] == 3600000


def test_skip_checks_reports_what_the_check_would_have_said(health_data):
    results = health_data.unhealthy_results()
    settings = health_data.unhealthy_settings()
    settings['skip_checks'] = ['stall', 'task-status', 'dataset-status']
    fact = evaluate(health_data, results, settings)
    stall = check(fact, 'task-stalled', 'stall')
    assert stall['passed'] is True and stall['skipped'] is True
    assert stall['observed'] == 45 * health_data.MINUTE
    assert stall['message'].startswith('disabled by skip_checks (would have failed): stalled:')
    ok = check(fact, 'task-ok', 'task-status')
    assert ok['message'] == 'disabled by skip_checks (would have passed): status SYNCHRONIZING is allowed'
    # Missing tasks and datasets still fail; the other checks are untouched.
    assert check(fact, 'task-gone', 'task-found')['passed'] is False
    assert check(fact, 'ds-gone', 'dataset-found')['passed'] is False
    assert check(fact, 'task-failing', 'window-failure-ratio')['passed'] is False
    assert fact['skip_checks'] == ['dataset-status', 'stall', 'task-status']
    assert task_entry(fact, 'task-stalled')['healthy'] is True


def test_missing_task(health_data):
    results = health_data.healthy_results(task_ids=('task-a',))
    results['sync_task_info']['missing'] = ['task-b']
    fact = evaluate(health_data, results)
    entry = check(fact, 'task-b', 'task-found')
    assert entry['passed'] is False
    assert [c['id'] for c in fact['checks'] if c['subject'] == 'task-b'] == ['task-found']
    assert task_entry(fact, 'task-b')['found'] is False
    assert task_entry(fact, 'task-b')['status'] is None
    assert fact['healthy'] is False
    assert fact['violations'] == ['sync task task-b: task-found observed missing, threshold found - sync task task-b was not found']


def test_task_neither_returned_nor_listed_missing_is_missing(health_data):
    results = health_data.healthy_results(task_ids=('task-a',))
    fact = evaluate(health_data, results)
    assert check(fact, 'task-b', 'task-found')['passed'] is False


def test_statistics_missing_for_found_task(health_data):
    results = health_data.healthy_results()
    results['sync_task_statistics_info']['sync_task_statistics'].pop()
    fact = evaluate(health_data, results)
    entry = check(fact, 'task-b', 'window-statistics')
    assert entry['passed'] is False
    assert check(fact, 'task-b', 'monthly-failure-ratio')['passed'] is True


def test_all_selection_uses_listed_tasks(health_data):
    results = health_data.healthy_results(task_ids=('t1', 't2', 't3'), dataset_ids=())
    fact = evaluate(health_data, results, health_data.settings(sync_tasks='all', datasets=[]))
    assert [task['id'] for task in fact['sync_tasks']] == ['t1', 't2', 't3']
    assert fact['selection'] == 'all'
    assert fact['healthy'] is True


def test_all_selection_with_no_tasks_is_an_error_unless_allowed(health_data):
    results = {'sync_task_info': {'sync_tasks': [], 'missing': []}, 'sync_task_statistics_info': {'skipped': True, 'changed': False}}
    fact = evaluate(health_data, results, health_data.settings(sync_tasks='all', datasets=[]))
    assert fact['counts']['sync_tasks'] == 0
    assert fact['verdict'] == 'ERROR' and fact['healthy'] is False
    assert [error['step'] for error in fact['errors']] == ['selection']
    assert 'migration_health_allow_empty: true' in fact['error']
    fact = evaluate(health_data, results, health_data.settings(sync_tasks='all', datasets=[], allow_empty=True))
    assert fact['verdict'] == 'HEALTHY' and fact['errors'] == []


def test_dataset_failed_shows_error(health_data):
    results = health_data.healthy_results()
    results['dataset_sync_info']['dataset_syncs'][0].update(status='FAILED', error_code='ModelArts.4360', error_msg='sync\nerror')
    fact = evaluate(health_data, results)
    entry = check(fact, 'ds-1', 'dataset-status')
    assert entry['passed'] is False
    assert entry['message'] == 'status FAILED (ModelArts.4360: sync error) is not one of COMPLETED'


def test_dataset_error_message_spelling(health_data):
    results = health_data.healthy_results()
    results['dataset_sync_info']['dataset_syncs'][0].update(status='FAILED', error_message='quota exceeded')
    fact = evaluate(health_data, results)
    assert 'quota exceeded' in check(fact, 'ds-1', 'dataset-status')['message']


def test_dataset_running_not_allowed_by_default_but_overridable(health_data):
    results = health_data.healthy_results()
    results['dataset_sync_info']['dataset_syncs'][0]['status'] = 'RUNNING'
    assert check(evaluate(health_data, results), 'ds-1', 'dataset-status')['passed'] is False
    settings = health_data.settings(datasets=[{'id': 'ds-1', 'allowed_dataset_statuses': ['RUNNING', 'COMPLETED']}])
    assert check(evaluate(health_data, results, settings), 'ds-1', 'dataset-status')['passed'] is True


def test_missing_dataset(health_data):
    results = health_data.healthy_results(dataset_ids=())
    results['dataset_sync_info']['missing'] = ['ds-1']
    fact = evaluate(health_data, results)
    assert check(fact, 'ds-1', 'dataset-found')['passed'] is False
    assert fact['counts']['datasets_unhealthy'] == 1


def test_skipped_module_results_count_as_empty(health_data):
    results = {
        'sync_task_info': {'skipped': True, 'changed': False},
        'sync_task_statistics_info': {'skipped': True, 'changed': False},
        'dataset_sync_info': {'dataset_syncs': [{'dataset_id': 'ds-1', 'status': 'COMPLETED'}]},
    }
    fact = evaluate(health_data, results, health_data.settings(sync_tasks=[]))
    assert fact['healthy'] is True
    assert fact['counts']['checks'] == 2
    # Without statistics the window is derived from the policy.
    assert fact['window']['end_time'] - fact['window']['start_time'] == 3600000


def test_unhealthy_mix_and_failure_message(health_data):
    fact = evaluate(health_data, health_data.unhealthy_results(), health_data.unhealthy_settings())
    failed = sorted((entry['subject'], entry['id']) for entry in fact['checks'] if not entry['passed'])
    assert failed == sorted(
        [
            ('task-failing', 'window-failure-ratio'),
            ('task-failing', 'window-failed-objects'),
            ('task-failing', 'monthly-failure-ratio'),
            ('task-stalled', 'stall'),
            ('task-stopped', 'task-status'),
            ('task-gone', 'task-found'),
            ('ds-failed', 'dataset-status'),
            ('ds-gone', 'dataset-found'),
        ]
    )
    message = _health_evaluate.failure_message(fact)
    lines = message.splitlines()
    assert lines[0] == ('Migration health gate FAILED: 8 of 34 checks failed (4 of 5 sync tasks, 2 of 3 datasets unhealthy)')
    assert len(lines) == 9
    assert '- sync task task-stalled: stall observed 45m, threshold <= 30m - stalled:' in message


def test_evaluation_does_not_modify_its_inputs(health_data):
    results = health_data.unhealthy_results()
    settings = health_data.unhealthy_settings()
    before = copy.deepcopy((results, settings))
    evaluate(health_data, results, settings)
    assert (results, settings) == before


def test_fact_is_json_serialisable(health_data):
    fact = evaluate(health_data, health_data.unhealthy_results(), health_data.unhealthy_settings())
    assert json.loads(json.dumps(fact)) == fact


@pytest.mark.parametrize('ms, text', [(None, 'n/a'), (0, '0s'), (999, '0s'), (45000, '45s'), (3600000 + 120000, '1h 2m'), (90061000, '1d 1h')])
def test_format_duration(ms, text):
    assert _health_checks.format_duration(ms) == text


# ---------------------------------------------------------------------------
# JUnit XML
# ---------------------------------------------------------------------------


def hostile_fact(health_data):
    """Ids and messages full of characters that must be escaped."""
    results = health_data.unhealthy_results()
    settings = health_data.unhealthy_settings()
    evil = 'task-<&"\'>\x01'
    results['sync_task_info']['sync_tasks'][1]['sync_task_id'] = evil
    results['sync_task_statistics_info']['sync_task_statistics'][1]['sync_task_id'] = evil
    settings['sync_tasks'][1] = evil
    results['dataset_sync_info']['dataset_syncs'][1]['error_msg'] = '</failure><script>alert(1)</script>]]>'
    return evaluate(health_data, results, settings)


@pytest.mark.parametrize('which', ['healthy', 'unhealthy', 'hostile'])
def test_junit_one_case_per_check(health_data, which):
    if which == 'healthy':
        fact = evaluate(health_data)
    elif which == 'unhealthy':
        fact = evaluate(health_data, health_data.unhealthy_results(), health_data.unhealthy_settings())
    else:
        fact = hostile_fact(health_data)
    root = ET.fromstring(_health_junit.render_junit(fact).encode('utf-8'))
    assert root.tag == 'testsuites'
    assert int(root.get('tests')) == len(fact['checks'])
    assert int(root.get('failures')) == fact['counts']['checks_failed']
    suites = root.findall('testsuite')
    # One suite per subject, in the order the fact lists the checks: CI shows a tree of subjects.
    subjects = []
    for entry in fact['checks']:
        if (entry['kind'], entry['subject']) not in subjects:
            subjects.append((entry['kind'], entry['subject']))
    assert len(suites) == len(subjects)
    cases = []
    for suite, (kind, subject) in zip(suites, subjects):
        label = 'sync task' if kind == 'sync_task' else 'dataset'
        assert suite.get('name') == '%s %s' % (label, subject.replace('\x01', '\ufffd'))
        own = suite.findall('testcase')
        assert int(suite.get('tests')) == len(own)
        assert int(suite.get('failures')) == len([case for case in own if case.find('failure') is not None])
        assert int(suite.get('skipped')) == len([case for case in own if case.find('skipped') is not None])
        props = {prop.get('name'): prop.get('value') for prop in suite.find('properties')}
        assert props['verdict'] == fact['verdict']
        assert props['subject'] == subject.replace('\x01', '\ufffd')
        cases.extend(own)
    assert len(cases) == len(fact['checks'])
    failures = [case for case in cases if case.find('failure') is not None]
    assert len(failures) == fact['counts']['checks_failed']
    assert len([case for case in cases if case.find('skipped') is not None]) == int(root.get('skipped'))
    for case, entry in zip(cases, fact['checks']):
        assert case.get('name') == entry['id']
        assert case.get('classname') == 'migration_health.%s.%s' % (entry['kind'], entry['subject'].replace('\x01', '\ufffd'))
        failure = case.find('failure')
        assert (failure is None) == entry['passed']
        if failure is not None:
            assert failure.get('message') == entry['message'].replace('\x01', '\ufffd')
            assert 'threshold: %s' % entry['threshold_display'] in failure.text


def test_junit_escapes_hostile_text(health_data):
    fact = hostile_fact(health_data)
    text = _health_junit.render_junit(fact)
    assert '<script>' not in text
    assert '\x01' not in text
    root = ET.fromstring(text.encode('utf-8'))
    messages = [failure.get('message') for failure in root.iter('failure')]
    assert any('</failure><script>alert(1)</script>]]>' in message for message in messages)


# ---------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------

VOID_ELEMENTS = {'meta', 'br', 'hr', 'img', 'input', 'link', 'col', 'area', 'base', 'embed', 'source', 'track', 'wbr'}
SVG_SELF_CLOSING = {'rect', 'line', 'polyline', 'circle', 'path'}


class TagBalance(HTMLParser):
    """Checks that every element is closed in order and records what the page loads."""

    def __init__(self):
        HTMLParser.__init__(self, convert_charrefs=True)
        self.stack = []
        self.errors = []
        self.tags = []
        self.references = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ('src', 'href', 'xlink:href', 'action', 'srcset') or (value and 'url(' in value):
                self.references.append((tag, name, value))
        if tag not in VOID_ELEMENTS:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ('src', 'href', 'xlink:href'):
                self.references.append((tag, name, value))

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append('unexpected </%s>, open: %s' % (tag, self.stack[-3:]))
            return
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse_html(text):
    parser = TagBalance()
    parser.feed(text)
    parser.close()
    assert parser.errors == []
    assert parser.stack == []
    return parser


@pytest.mark.parametrize('which', ['healthy', 'unhealthy', 'hostile'])
def test_html_is_well_formed_and_self_contained(health_data, which):
    if which == 'healthy':
        fact = evaluate(health_data)
    elif which == 'unhealthy':
        fact = evaluate(health_data, health_data.unhealthy_results(), health_data.unhealthy_settings())
    else:
        fact = hostile_fact(health_data)
    text = _health_html.render_html(fact)
    assert text.startswith('<!DOCTYPE html>')
    parser = parse_html(text)
    # Only links within the page (from a subject's row to its checks and chart).
    assert [reference for reference in parser.references if not reference[2].startswith('#')] == []
    assert not re.search(r'(src|href)\s*=\s*["\']?\s*(https?:)?//', text, re.I)
    assert '@import' not in text and 'url(' not in text
    assert 'script' not in parser.tags
    assert 'link' not in parser.tags
    body_text = ''.join(parser.text)
    assert fact['verdict'] in body_text
    # A full chart per found failing task, a sparkline per found healthy one with data.
    # (plus one hidden svg holding the axes the full charts share, when there is a full chart)
    failing_found = any(task['found'] and not task['healthy'] for task in fact['sync_tasks'])
    assert parser.tags.count('svg') - failing_found == sum(
        1 for task in fact['sync_tasks'] if task['found'] and (not task['healthy'] or task['window_request_total'])
    )
    # Every failed check is shown under its subject, the others of that subject by id; healthy subjects are one row.
    failing = {(kind, entry['id']) for kind, key in (('sync_task', 'sync_tasks'), ('dataset', 'datasets')) for entry in fact[key] if not entry['healthy']}
    for check_entry in fact['checks']:
        if not check_entry['passed']:
            assert (check_entry['kind'], check_entry['subject']) in failing
            assert check_entry['message'].replace('\x01', '\ufffd') in body_text


def test_html_escapes_hostile_text(health_data):
    text = _health_html.render_html(hostile_fact(health_data))
    assert '<script>' not in text
    assert '&lt;script&gt;alert(1)&lt;/script&gt;' in text
    assert '\x01' not in text


def test_html_charts_series_and_handles_empty_series(health_data):
    fact = evaluate(health_data, health_data.unhealthy_results(), health_data.unhealthy_settings())
    text = _health_html.render_html(fact)
    charts = re.findall(r'<svg [^>]*aria-label="statistics of .*?</svg>', text, re.S)
    assert len(charts) == 3
    sparklines = re.findall(r'<svg [^>]*aria-label="trend of .*?</svg>', text, re.S)
    assert len(sparklines) == 1 and 'task-ok' in sparklines[0]
    # Failing subjects are ordered by their number of failed checks: task-stopped (no data) last.
    for chart in charts[:2]:
        for data_type in ('REQUEST', 'SUCCESS', 'FAILURE'):
            assert 'data-series="%s"' % data_type in chart
    # task-stopped had no data at all: axes and a note, no lines.
    assert 'no data in the window' in charts[2]
    assert '<path' not in charts[2]


def test_html_chart_fills_omitted_buckets_with_zero(health_data):
    # REQUEST in the first and last bucket only: the line must drop to zero in
    # between rather than bridge the gap.
    results = health_data.replace_statistics(
        health_data.healthy_results(), 'task-a', health_data.statistics('task-a', [5] + [0] * 10 + [5], [5] + [0] * 10 + [5], [0] * 12)
    )
    fact = evaluate(health_data, results)
    chart = re.findall(r'<svg .*?</svg>', _health_html.render_html(fact), re.S)[0]
    points = re.search(r'<polyline [^>]*points="([^"]+)" data-series="REQUEST"', chart).group(1).split()
    assert len(points) == 12
    ys = [float(point.split(',')[1]) for point in points]
    assert ys[0] == ys[-1] and all(y > ys[0] for y in ys[1:-1])


def test_html_without_tasks_or_datasets(health_data):
    results = health_data.healthy_results(task_ids=())
    fact = evaluate(health_data, results, health_data.settings(sync_tasks=[]))
    text = _health_html.render_html(fact)
    parse_html(text)
    assert 'No sync tasks were gated.' in text


def test_html_violations_come_before_the_subject_tables_and_the_charts(health_data):
    # A reader sees what failed near the top of the page, not after 500 table rows (issue 20, item 7).
    fact = evaluate(health_data, health_data.unhealthy_results(), health_data.unhealthy_settings())
    text = _health_html.render_html(fact)
    first_violation = text.index('<div class="subject" id=')
    assert text.index('id="check-counts"') < text.index('<h2>Violations by subject</h2>') < first_violation
    assert first_violation < text.index('<table class="subjects"')
    assert text.index('<table class="checks">', first_violation) < text.index('aria-label="statistics of ')
