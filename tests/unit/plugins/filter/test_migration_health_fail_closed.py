# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The evaluation fails closed: what it did not see, or could not use, is never a pass (verdict ERROR)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from ansible_collections.hwcloud.migration.plugins.action.migration_health_report import ActionModule
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate import evaluate as _health_evaluate
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate import results as _health_reads
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports import html as _health_html
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports import junit as _health_junit

SCHEMA = json.loads((Path(__file__).resolve().parents[4] / 'docs' / 'migration_health_fact.schema.json').read_text())
WINDOW_CHECKS = ('window-statistics', 'window-failure-ratio', 'window-failed-objects', 'stall')


def evaluate(health_data, results, settings=None, **kwargs):
    fact = _health_evaluate.evaluate(results, health_data.settings() if settings is None else settings, now_ms=health_data.NOW, **kwargs)
    jsonschema.validate(fact, SCHEMA)
    return fact


def check(fact, subject, check_id):
    return next(entry for entry in fact['checks'] if entry['subject'] == subject and entry['id'] == check_id)


def assert_not_evaluated(fact, subject, check_id, *words):
    entry = check(fact, subject, check_id)
    assert entry['passed'] is False and entry['evaluated'] is False and entry['skipped'] is False, entry
    assert entry['message'].startswith('could not be evaluated: '), entry
    for word in words:
        assert word in entry['message'], (word, entry)
    assert fact['verdict'] == 'ERROR' and fact['healthy'] is False
    return entry


@pytest.mark.parametrize(
    'field, value',
    [
        ('monthly_failure_object', 'many'),
        ('monthly_failure_object', None),
        ('monthly_acceptance_request', -1),
        ('monthly_acceptance_request', True),
        ('monthly_acceptance_request', 1.5),
    ],
)
def test_a_counter_that_is_not_a_count_fails_its_check_naming_the_field(health_data, field, value):
    results = health_data.healthy_results()
    results['sync_task_info']['sync_tasks'][0][field] = value
    fact = evaluate(health_data, results)
    assert_not_evaluated(fact, 'task-a', 'monthly-failure-ratio', field, 'not a count')
    assert fact['counts']['checks_not_evaluated'] == 1
    assert check(fact, 'task-b', 'monthly-failure-ratio')['passed'] is True


@pytest.mark.parametrize('value', [None, 5, ''])
def test_a_status_that_is_not_a_name_fails_as_not_evaluated(health_data, value):
    results = health_data.healthy_results()
    results['sync_task_info']['sync_tasks'][0]['status'] = value if value != '' else ['SYNCHRONIZING']
    results['dataset_sync_info']['dataset_syncs'][0]['status'] = value if value != '' else {'x': 1}
    fact = evaluate(health_data, results)
    assert_not_evaluated(fact, 'task-a', 'task-status', 'status is ')
    assert_not_evaluated(fact, 'ds-1', 'dataset-status', 'status is ')


def _summary_broken(health_data, change):
    results = health_data.healthy_results()
    change(results['sync_task_statistics_info']['sync_task_statistics'][0])
    return evaluate(health_data, results)


@pytest.mark.parametrize(
    'change, words',
    [
        (
            lambda entry: entry['summary'].update(complete=False, problems=['statistic_datas: null, not a list']),
            ('incomplete', 'statistic_datas: null, not a list'),
        ),
        (lambda entry: entry['summary'].update(complete=False), ('summary.complete is false',)),
        (lambda entry: entry['summary']['series']['REQUEST'].update(total='120'), ('summary.series.REQUEST.total',)),
        (lambda entry: entry['summary']['series'].pop('FAILURE'), ('summary.series.FAILURE',)),
        (lambda entry: entry['summary'].update(series=None), ('summary.series is null',)),
        (lambda entry: entry.update(summary=None), ('summary is null',)),
        (lambda entry: entry['summary'].update(last_success_time='yesterday'), ('summary.last_success_time',)),
    ],
)
def test_statistics_the_checks_cannot_use_fail_every_window_check(health_data, change, words):
    fact = _summary_broken(health_data, change)
    assert_not_evaluated(fact, 'task-a', 'window-statistics', *words)
    for check_id in WINDOW_CHECKS[1:]:
        assert_not_evaluated(fact, 'task-a', check_id, 'see window-statistics')
    # What the other reads said is still evaluated.
    assert check(fact, 'task-a', 'task-status')['passed'] is True
    assert check(fact, 'task-a', 'monthly-failure-ratio')['passed'] is True
    assert check(fact, 'task-b', 'window-statistics')['passed'] is True


def test_missing_statistics_are_not_evaluated_and_a_disabled_check_stays_disabled(health_data):
    results = health_data.healthy_results()
    results['sync_task_statistics_info']['sync_task_statistics'].pop()
    settings = health_data.settings(sync_tasks=['task-a', {'id': 'task-b', 'max_stall_age': None}])
    fact = evaluate(health_data, results, settings)
    assert_not_evaluated(fact, 'task-b', 'window-statistics', 'no statistics were returned')
    assert check(fact, 'task-b', 'stall')['skipped'] is True and check(fact, 'task-b', 'stall')['passed'] is True
    assert fact['counts']['checks_not_evaluated'] == 3


def test_skip_checks_switches_off_a_check_whose_input_is_unusable(health_data):
    results = health_data.healthy_results()
    results['sync_task_info']['sync_tasks'][0]['monthly_failure_object'] = 'many'
    fact = evaluate(health_data, results, health_data.settings(skip_checks=['monthly-failure-ratio']))
    entry = check(fact, 'task-a', 'monthly-failure-ratio')
    assert entry['passed'] is True and entry['skipped'] is True and entry['evaluated'] is False
    assert 'monthly_failure_object' in entry['message']
    assert fact['verdict'] == 'HEALTHY'


def _failed_read(results, key, items_key, keep, errors=None, **details):
    result = results[key]
    result[items_key] = [item for item in result[items_key] if item[_id_key(items_key)] in keep]
    result.update(failed=True, msg='Could not read every resource', complete=False, **details)
    if errors is not None:
        result['errors'] = errors
    return results


def _id_key(items_key):
    return {'sync_tasks': 'sync_task_id', 'sync_task_statistics': 'sync_task_id', 'dataset_syncs': 'dataset_id'}[items_key]


def test_a_module_that_failed_on_some_ids_is_evaluated_as_far_as_it_read(health_data):
    error = {
        'id': 'task-b',
        'status': 503,
        'error_code': 'SYS.0503',
        'request_id': 'req-0001',
        'attempted': True,
        'message': 'GET https://oms/v2/p/sync-tasks/task-b failed: HTTP 503 SYS.0503: busy (request id req-0001)',
    }
    results = _failed_read(health_data.healthy_results(), 'sync_task_info', 'sync_tasks', ['task-a'], [error])
    fact = evaluate(health_data, results)
    assert check(fact, 'task-a', 'task-status')['passed'] is True
    found = assert_not_evaluated(fact, 'task-b', 'task-found', 'the sync task read failed', 'req-0001', 'HTTP 503')
    assert found['observed_display'] == 'not evaluated'
    assert fact['errors'] == [
        {
            'step': 'sync task read',
            'id': 'task-b',
            'field': None,
            'status': 503,
            'error_code': 'SYS.0503',
            'request_id': 'req-0001',
            'message': error['message'],
            'attempted': True,
        }
    ]
    assert fact['error'].startswith('the gate could not be evaluated: sync task read task-b: GET ')
    message = _health_evaluate.failure_message(fact)
    assert message.splitlines()[0].startswith('Migration health gate FAILED: ERROR, the gate could not be evaluated')
    assert '- error: sync task read task-b: GET https://oms/v2/p/sync-tasks/task-b failed: HTTP 503' in message


def test_a_read_that_failed_as_a_whole_fails_every_subject_it_did_not_return(health_data):
    results = _failed_read(health_data.healthy_results(), 'dataset_sync_info', 'dataset_syncs', [], status=401, error_code='APIGW.0301', request_id='req-0002')
    results['dataset_sync_info']['msg'] = 'IAM token request failed: HTTP 401 APIGW.0301 (request id req-0002)'
    fact = evaluate(health_data, results)
    assert_not_evaluated(fact, 'ds-1', 'dataset-found', 'not read, the dataset sync read failed', 'APIGW.0301')
    assert [(error['step'], error['id'], error['status'], error['request_id']) for error in fact['errors']] == [('dataset sync read', None, 401, 'req-0002')]


def test_a_failed_listing_with_all_is_an_error_not_an_empty_pass(health_data):
    results = {
        'sync_task_info': {'failed': True, 'msg': 'Could not list sync tasks (offset 0): HTTP 500', 'status': 500, 'sync_tasks': [], 'missing': []},
        'sync_task_statistics_info': {'skipped': True},
    }
    fact = evaluate(health_data, results, health_data.settings(sync_tasks='all', datasets=[]))
    assert fact['verdict'] == 'ERROR' and fact['counts']['checks'] == 0
    # The failed listing is the error; no second "nothing to gate" error.
    assert [error['step'] for error in fact['errors']] == ['sync task read']


@pytest.mark.parametrize(
    'result, words',
    [
        ({'sync_tasks': None}, 'sync_tasks is null, not a list'),
        ({'sync_tasks': 'x'}, "sync_tasks is a str ('x'), not a list"),
        ({'sync_tasks': [{'status': 'SYNCHRONIZING'}]}, 'sync_tasks[0].sync_task_id is null, not an id'),
        ({'sync_tasks': ['task-a']}, 'sync_tasks[0].sync_task_id is absent'),
        ({'sync_tasks': [], 'problems': [{'id': None, 'field': 'count', 'message': 'more than 10100 tasks'}]}, 'more than 10100 tasks'),
        ({'sync_tasks': [], 'complete': False}, 'complete: false'),
        ({'sync_tasks': [], 'truncated': True}, 'truncated: true'),
        ({'sync_tasks': [], 'problems': 'x'}, 'problems is a str'),
    ],
)
def test_a_malformed_result_is_an_error_naming_the_field(health_data, result, words):
    results = health_data.healthy_results()
    results['sync_task_info'] = result
    fact = evaluate(health_data, results, health_data.settings(sync_tasks='all', allow_empty=True))
    assert fact['verdict'] == 'ERROR'
    assert any(words in _health_reads.error_line(error) for error in fact['errors']), fact['errors']


def test_a_problem_fails_the_checks_its_field_feeds(health_data):
    results = health_data.healthy_results()
    results['sync_task_info']['problems'] = [
        {'id': 'task-a', 'field': 'status', 'message': 'status is None'},
        {'id': 'task-b', 'field': 'src_cloud_type', 'message': 'odd'},
    ]
    results['sync_task_statistics_info']['problems'] = [{'id': 'task-b', 'field': 'statistic_datas', 'message': 'statistic_datas[0]: not an object'}]
    results['dataset_sync_info']['problems'] = [{'id': 'ds-1', 'field': 'status', 'message': "status is 'DONE'"}]
    fact = evaluate(health_data, results)
    assert_not_evaluated(fact, 'task-a', 'task-status', 'the sync task answer cannot be used: status is None')
    assert check(fact, 'task-a', 'monthly-failure-ratio')['evaluated'] is True
    # A field no check is known to use fails every check of that read but the found check.
    assert_not_evaluated(fact, 'task-b', 'task-status', 'src_cloud_type: odd')
    assert_not_evaluated(fact, 'task-b', 'monthly-failure-ratio', 'src_cloud_type: odd')
    assert check(fact, 'task-b', 'task-found')['passed'] is True
    for check_id in WINDOW_CHECKS:
        assert_not_evaluated(fact, 'task-b', check_id, 'statistic_datas[0]: not an object')
    assert_not_evaluated(fact, 'ds-1', 'dataset-status', "status is 'DONE'")
    assert fact['errors'] == []


def test_a_result_never_registered_is_not_read(health_data):
    results = health_data.healthy_results()
    del results['dataset_sync_info']
    fact = evaluate(health_data, results)
    assert_not_evaluated(fact, 'ds-1', 'dataset-found', 'there is no result of the dataset sync read')


def test_errors_given_by_the_caller_make_the_verdict_error(health_data):
    fact = evaluate(health_data, health_data.healthy_results(), errors=[_health_reads.gate_error('Read the sync tasks', 'killed', status=None)])
    assert fact['verdict'] == 'ERROR' and fact['counts']['checks_failed'] == 0
    assert fact['error'] == 'the gate could not be evaluated: Read the sync tasks: killed'


def test_error_fact_and_a_failing_gate_always_give_a_valid_fact(health_data):
    errors = [_health_reads.gate_error('run', 'not evaluated yet')]
    fact = _health_evaluate.error_fact(errors, now_ms=health_data.NOW)
    jsonschema.validate(fact, SCHEMA)
    assert fact['verdict'] == 'ERROR' and fact['checks'] == [] and fact['window']['duration'] == '1h'
    fact = _health_evaluate.evaluate_failing_gate({}, health_data.settings(window='forever'), errors)
    jsonschema.validate(fact, SCHEMA)
    assert [error['step'] for error in fact['errors']] == ['run', 'inputs'] and 'forever' in fact['error']
    odd_task = {'sync_task_id': 'task-a', 'status': 'SYNCHRONIZING', 'src_bucket': 5}
    fact = _health_evaluate.evaluate_failing_gate({'sync_task_info': {'sync_tasks': [odd_task]}}, health_data.settings(), errors)
    fact, problems = _health_evaluate.checked_fact(fact, errors)
    assert problems == [] and fact['verdict'] == 'ERROR'
    fact, problems = _health_evaluate.checked_fact(dict(fact, verdict='MAYBE'), errors)
    assert problems == [] and fact['errors'][-1]['step'] == 'evaluation'


def test_the_action_writes_error_reports_from_errors_alone(health_data):
    fact = ActionModule._evaluate(health_data.settings(window='forever'), {}, {}, errors=[_health_reads.gate_error('Check the inputs', 'window: forever')])
    assert fact['verdict'] == 'ERROR'
    with pytest.raises(_health_reads.MigrationHealthError, match='needs a step and a message'):
        _health_reads.error_from_entry({'step': 'x'})


def _error_fact(health_data):
    results = _failed_read(
        health_data.healthy_results(),
        'sync_task_info',
        'sync_tasks',
        ['task-a'],
        [
            {
                'id': 'task-b',
                'status': 429,
                'error_code': 'APIGW.0308',
                'request_id': 'req-<3>',
                'attempted': True,
                'message': 'HTTP 429 APIGW.0308: throttled <b>&</b> (request id req-<3>)',
            }
        ],
    )
    results['dataset_sync_info']['dataset_syncs'][0]['status'] = None
    return evaluate(health_data, results)


def test_junit_shows_an_error_verdict_as_errors(health_data):
    fact = _error_fact(health_data)
    root = ET.fromstring(_health_junit.render_junit(fact))
    errors = list(root.iter('error'))
    assert int(root.get('errors')) == len(errors) == 1 + fact['counts']['checks_not_evaluated'] == 3
    assert int(root.get('failures')) == len(list(root.iter('failure'))) == 0
    suite = root.find('testsuite')
    assert suite.get('name') == 'migration-health errors' and suite.get('errors') == '1'
    read = suite.find('testcase/error')
    assert read.get('type') == 'sync task read' and 'req-<3>' in read.get('message')
    assert 'status: 429' in read.text and 'request_id: req-<3>' in read.text
    assert sum(int(suite.get('tests')) for suite in root.findall('testsuite')) == int(root.get('tests'))


def test_html_shows_the_errors_escaped(health_data):
    fact = _error_fact(health_data)
    page = _health_html.render_html(fact)
    assert 'class="verdict error" id="verdict">ERROR</div>' in page
    assert '<table id="errors">' in page and 'throttled &lt;b&gt;&amp;&lt;/b&gt;' in page and '<b>&' not in page
    assert '<td class="error-text">ERROR</td>' in page


def test_html_shows_a_failed_read_as_not_read_never_not_found(health_data):
    # task-b's own read failed with 401; the dataset read failed as a whole with 401 (issue 20, item 3).
    results = _failed_read(
        health_data.healthy_results(),
        'sync_task_info',
        'sync_tasks',
        ['task-a'],
        [{'id': 'task-b', 'status': 401, 'error_code': 'APIGW.0301', 'request_id': 'req-1', 'attempted': True, 'message': 'HTTP 401 APIGW.0301: expired'}],
    )
    results = _failed_read(results, 'dataset_sync_info', 'dataset_syncs', [], status=503, error_code='SYS.0503', request_id='req-2')
    fact = evaluate(health_data, results)
    page = _health_html.render_html(fact)
    assert '<td>not read (HTTP 401 APIGW.0301)</td>' in page
    assert '<td>not read (HTTP 503 SYS.0503)</td>' in page
    assert 'NOT FOUND' not in page
    # The summary counts the checks that could not be evaluated apart from the failed and passed ones.
    counts = fact['counts']
    assert counts['checks_not_evaluated'] >= 2
    tally = re.search(r'<p id="check-counts">(.*?);', page, re.S).group(1)
    tally = re.sub(r'<[^>]+>', '', tally)
    assert tally == '%d checks: %d passed, %d failed, %d not evaluated (the data could not be read or used)' % (
        counts['checks'],
        counts['checks_passed'],
        counts['checks_failed'] - counts['checks_not_evaluated'],
        counts['checks_not_evaluated'],
    )
    found = re.search(r'<td class="id">task-found</td>((?:<td class="num">\d+</td>){4})', page).group(1)
    assert re.findall(r'\d+', found)[:2] == ['0', '1']  # failed on data 0, not evaluated 1 (task-b)


def test_html_still_says_not_found_for_a_subject_the_api_said_does_not_exist(health_data):
    results = health_data.healthy_results()
    results['sync_task_info']['sync_tasks'] = [task for task in results['sync_task_info']['sync_tasks'] if task['sync_task_id'] != 'task-b']
    results['sync_task_info']['missing'] = ['task-b']
    fact = evaluate(health_data, results)
    page = _health_html.render_html(fact)
    assert '<td>NOT FOUND</td>' in page and 'not read' not in page
    assert '0 not evaluated' in page
