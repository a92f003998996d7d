"""The gate's checks of OMS migration tasks and task groups (plugin_utils/_gate/checks/migration.py)."""

import xml.etree.ElementTree as ET

import pytest

from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import MigrationHealthError
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.deadline import parse_deadline
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.evaluate import evaluate, failure_message
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.policy import normalise_policy
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.schema import fact_errors
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports.html import render_html
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports.junit import render_junit

NOW = 1800000000000
HOUR = 3600000
REASON = {'error_code': 'TRF.0155', 'error_msg': 'The source bucket does not exist.'}
LIST_KEY = 'oms/failed_object_lists/videos/2.txt'


def task(task_id, status, **fields):
    body = {'id': task_id, 'name': 'task-%d' % task_id, 'status': status, 'failed_num': 0, 'successful_num': 90, 'skipped_num': 0}
    body.update(fields)
    # Counts that add up (counts-add-up) unless a test says otherwise.
    body.setdefault('total_num', sum(body[key] for key in ('successful_num', 'failed_num', 'skipped_num') if isinstance(body.get(key), int)))
    return body


def group(group_id, status, **fields):
    body = {'group_id': group_id, 'status': status, 'failed_task_num': 0, 'total_task_num': 4, 'fail_num': 0, 'success_num': 90, 'skip_num': 0}
    body.update(fields)
    body.setdefault('total_num', sum(body[key] for key in ('success_num', 'fail_num', 'skip_num') if isinstance(body.get(key), int)))
    return body


def run(tasks=(), groups=(), task_result=None, group_result=None, **settings):
    """Evaluate ``tasks``/``groups`` (bodies) gated by id unless the settings say otherwise."""
    settings.setdefault('migration_tasks', [body['id'] for body in tasks] or None)
    settings.setdefault('task_groups', [body['group_id'] for body in groups] or None)
    results = {
        'migration_task_info': dict({'migration_tasks': list(tasks), 'missing': [], 'complete': True, 'problems': []}, **(task_result or {})),
        'task_group_info': dict({'task_groups': list(groups), 'missing': [], 'complete': True, 'problems': []}, **(group_result or {})),
    }
    fact = evaluate(results, settings, now_ms=NOW)
    assert fact_errors(fact) == []
    return fact


def check(fact, subject, check_id):
    found = [entry for entry in fact['checks'] if entry['subject'] == str(subject) and entry['id'] == check_id]
    assert len(found) == 1, (subject, check_id, fact['checks'])
    return found[0]


def entry(fact, key, subject):
    return next(item for item in fact[key] if item['id'] == str(subject))


# -- inputs ----------------------------------------------------------------------


@pytest.mark.parametrize(
    'value, expected',
    [
        ('+6h', {'deadline': '+6h', 'deadline_ms': None, 'deadline_offset_ms': 6 * HOUR}),
        ('+1d12h', {'deadline': '+1d12h', 'deadline_ms': None, 'deadline_offset_ms': 36 * HOUR}),
        ('-30m', {'deadline': '-30m', 'deadline_ms': None, 'deadline_offset_ms': -1800000}),
        ('now', {'deadline': 'now', 'deadline_ms': None, 'deadline_offset_ms': 0}),
        ('2027-01-15T08:00:00Z', {'deadline': '2027-01-15T08:00:00Z', 'deadline_ms': 1800000000000, 'deadline_offset_ms': None}),
        ('2027-01-15T10:00:00+02:00', {'deadline': '2027-01-15T10:00:00+02:00', 'deadline_ms': 1800000000000, 'deadline_offset_ms': None}),
        (1800000000000, {'deadline': '1800000000000', 'deadline_ms': 1800000000000, 'deadline_offset_ms': None}),
        (None, {'deadline': None, 'deadline_ms': None, 'deadline_offset_ms': None}),
        ('', {'deadline': None, 'deadline_ms': None, 'deadline_offset_ms': None}),
    ],
)
def test_deadline_expressions(value, expected):
    assert parse_deadline(value) == expected


@pytest.mark.parametrize('value', ['tomorrow', '+6 parsecs', '6h', '2027-01-15 08:00', True, [1]])
def test_bad_deadline_says_what_to_write(value):
    with pytest.raises(MigrationHealthError) as raised:
        normalise_policy({'migration_tasks': [1], 'deadline': value})
    assert 'deadline' in str(raised.value) and '+6h' in str(raised.value)


def test_policy_of_migration_inputs():
    policy = normalise_policy(
        {
            'migration_tasks': [7, '8', {'id': '9', 'deadline': '+2h', 'max_migration_failed_objects': 5}, 7],
            'task_groups': 'all',
            'deadline': '+6h',
            'max_migration_failed_objects': '3',
        }
    )
    assert policy['migration_task_ids'] == ['7', '8', '9']
    assert policy['migration_tasks'][2]['overrides'] == {
        'deadline': '+2h',
        'deadline_ms': None,
        'deadline_offset_ms': 2 * HOUR,
        'max_migration_failed_objects': 5,
    }
    assert policy['all_task_groups'] is True and policy['task_groups'] == []
    assert policy['thresholds']['max_migration_failed_objects'] == 3
    assert policy['thresholds']['deadline_offset_ms'] == 6 * HOUR
    # Migration subjects alone are something to gate.
    assert normalise_policy({'task_groups': ['g']})['task_group_ids'] == ['g']


@pytest.mark.parametrize(
    'settings, text',
    [
        ({'migration_tasks': ['12a']}, 'migration task id'),
        ({'migration_tasks': [-1]}, 'migration task id'),
        ({'migration_tasks': [True]}, 'migration task id'),
        ({'migration_tasks': 'some'}, 'neither "all"'),
        ({'migration_tasks': [{'id': 1, 'max_window_failed_objects': 1}]}, 'unknown key(s) max_window_failed_objects'),
        ({'migration_tasks': [{'deadline': '+1h'}]}, 'has no "id"'),
        ({'task_groups': [{'id': ' '}]}, 'not a task group id'),
        ({'task_groups': ['g'], 'max_migration_failed_objects': -1}, 'not a whole number'),
        ({}, 'migration_tasks'),
    ],
)
def test_bad_migration_inputs(settings, text):
    with pytest.raises(MigrationHealthError) as raised:
        normalise_policy(settings)
    assert text in str(raised.value)


# -- task status -------------------------------------------------------------------


@pytest.mark.parametrize('status, passed', [(5, True), (1, True), (2, True), (6, True), (3, False), (4, False), (7, False), (99, False), (None, False)])
def test_task_status_without_deadline(status, passed):
    fact = run([task(1, status, left_time=HOUR, progress=0.5)])
    assert check(fact, 1, 'migration-task-status')['passed'] is passed
    # Without a deadline a running task is not judged on its ETA.
    deadline = check(fact, 1, 'migration-task-deadline')
    assert deadline['passed'] is True and deadline['skipped'] is True
    assert fact['healthy'] is passed


def test_every_failure_message_carries_the_error_reason():
    fact = run(
        [task(2, 4, failed_num=30, error_reason=REASON, failed_object_record={'list_file_key': LIST_KEY})],
        [group('g', 5, failed_task_num=1, fail_num=4, error_reason=REASON)],
    )
    failed = [item for item in fact['checks'] if not item['passed']]
    assert {item['id'] for item in failed} == {
        'migration-task-status',
        'migration-task-failed-objects',
        'task-group-status',
        'task-group-failed-tasks',
        'task-group-failed-objects',
    }
    for failure in failed:
        assert 'TRF.0155: The source bucket does not exist.' in failure['message'], failure
    objects = check(fact, 2, 'migration-task-failed-objects')
    assert LIST_KEY in objects['message'] and objects['observed'] == 30
    task_entry = entry(fact, 'migration_tasks', 2)
    assert task_entry['error_code'] == 'TRF.0155' and task_entry['failed_object_list'] == LIST_KEY
    assert task_entry['failed_checks'] == ['migration-task-status', 'migration-task-failed-objects']


# -- deadline -----------------------------------------------------------------------


def test_deadline_met_and_missed():
    fact = run([task(1, 2, left_time=2 * HOUR, progress=0.5), task(2, 2, left_time=8 * HOUR, progress=0.1), task(3, 5)], deadline='+6h')
    met = check(fact, 1, 'migration-task-deadline')
    assert met['passed'] and not met['skipped'] and met['observed'] == NOW + 2 * HOUR
    assert met['threshold'] == NOW + 6 * HOUR and 'before the deadline' in met['message']
    missed = check(fact, 2, 'migration-task-deadline')
    assert not missed['passed'] and '2h after' in missed['message']
    assert entry(fact, 'migration_tasks', 2)['deadline_margin_ms'] == -2 * HOUR
    assert entry(fact, 'migration_tasks', 1)['deadline_margin_ms'] == 4 * HOUR
    # A task that is done is judged by its status, not its ETA.
    assert check(fact, 3, 'migration-task-deadline')['skipped'] is True
    assert fact['thresholds']['deadline_ms'] == NOW + 6 * HOUR


@pytest.mark.parametrize('fields', [{}, {'left_time': None}, {'left_time': 0, 'progress': 0.3}, {'left_time': -5}])
def test_unknown_eta_fails_against_a_deadline(fields):
    fact = run([task(1, 2, **fields)], deadline='2099-01-01T00:00:00Z')
    deadline = check(fact, 1, 'migration-task-deadline')
    assert not deadline['passed'] and 'ETA unknown' in deadline['message']
    assert deadline['observed_display'] == 'unknown'


def test_the_modules_summary_is_used_when_present():
    body = task(1, 2, left_time=HOUR, progress=0.5)
    body['summary'] = {
        'status_name': 'executing',
        'active': True,
        'percent': 50.0,
        'eta': None,
        'eta_ms': NOW - 1000 + HOUR,
        'eta_unknown': False,
        'failed_objects': 0,
        'failed_object_list': None,
        'error_code': None,
        'error_msg': None,
    }
    fact = run([body], deadline='+1h')
    # The module read the task a second before the evaluation: its ETA is the one judged.
    assert check(fact, 1, 'migration-task-deadline')['observed'] == NOW - 1000 + HOUR


def test_group_eta_is_remaining_bytes_over_speed():
    ok = group('g1', 2, total_size=1000 * 1024**2, complete_size=400 * 1024**2, migrate_speed=1024**2)
    slow = group('g2', 1, total_size=10**12, complete_size=0, migrate_speed=1000)
    stalled = group('g3', 1, total_size=10**12, complete_size=0, migrate_speed=0)
    fact = run(groups=[ok, slow, stalled], deadline='+1h')
    assert check(fact, 'g1', 'task-group-deadline')['observed'] == NOW + 600 * 1000
    assert entry(fact, 'task_groups', 'g1')['percent'] == 40.0
    assert not check(fact, 'g2', 'task-group-deadline')['passed']
    assert 'ETA unknown' in check(fact, 'g3', 'task-group-deadline')['message']
    assert [item['healthy'] for item in fact['task_groups']] == [True, False, False]


def test_per_task_deadline_override_and_disabling():
    fact = run(
        [task(1, 2, left_time=8 * HOUR), task(2, 2, left_time=8 * HOUR), task(3, 2)],
        migration_tasks=[{'id': 1, 'deadline': '+10h'}, 2, {'id': 3, 'deadline': None}],
        deadline='+6h',
    )
    assert check(fact, 1, 'migration-task-deadline')['passed'] is True
    assert entry(fact, 'migration_tasks', 1)['overridden'] == ['deadline']
    assert check(fact, 2, 'migration-task-deadline')['passed'] is False
    assert check(fact, 3, 'migration-task-deadline')['skipped'] is True


# -- failed objects ------------------------------------------------------------------


def test_failed_objects_limit():
    fact = run(
        [
            task(1, 5, failed_num=3),
            task(2, 5, failed_num=4, failed_object_record={'list_file_key': LIST_KEY}),
            task(3, 5, failed_num=None),
            task(4, 5, failed_num=0),
        ],
        max_migration_failed_objects=3,
    )
    assert check(fact, 1, 'migration-task-failed-objects')['passed'] is True
    above = check(fact, 2, 'migration-task-failed-objects')
    assert not above['passed'] and LIST_KEY in above['message'] and above['threshold_display'] == '<= 3'
    unknown = check(fact, 3, 'migration-task-failed-objects')
    assert not unknown['passed'] and 'not returned' in unknown['message']
    assert check(fact, 4, 'migration-task-failed-objects')['passed'] is True


def test_failed_objects_default_is_zero_and_null_disables():
    assert not run([task(1, 5, failed_num=1)])['healthy']
    fact = run([task(1, 5, failed_num=1)], max_migration_failed_objects=None)
    assert fact['healthy'] and check(fact, 1, 'migration-task-failed-objects')['skipped'] is True


def test_failed_objects_without_a_recorded_list_say_so():
    fact = run([task(1, 5, failed_num=2)])
    assert 'no list of failed objects was recorded' in check(fact, 1, 'migration-task-failed-objects')['message']


# -- groups ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    'status, passed', [(0, True), (1, True), (2, True), (6, True), (3, False), (4, False), (5, False), (7, False), (8, False), (9, False), (None, False)]
)
def test_group_statuses(status, passed):
    fact = run(groups=[group('g', status)])
    assert check(fact, 'g', 'task-group-status')['passed'] is passed


@pytest.mark.parametrize('failed_tasks, passed', [(0, True), (1, False), (None, False)])
def test_group_failed_tasks(failed_tasks, passed):
    fact = run(groups=[group('g', 6, failed_task_num=failed_tasks)])
    assert check(fact, 'g', 'task-group-failed-tasks')['passed'] is passed
    assert fact['healthy'] is passed


def test_group_failed_objects_from_fail_num():
    fact = run(groups=[group('g', 6, fail_num=9, failed_object_record={'list_file_key': 'oms/taskgroup/g.txt'})])
    failed = check(fact, 'g', 'task-group-failed-objects')
    assert not failed['passed'] and 'oms/taskgroup/g.txt' in failed['message']


# -- what was not seen never passes ------------------------------------------------------


def test_missing_ids_fail():
    fact = run([task(1, 5)], [group('g', 6)], migration_tasks=[1, 2], task_groups=['g', 'h'], task_result={'missing': [2]}, group_result={'missing': ['h']})
    assert 'was not found' in check(fact, 2, 'migration-task-found')['message']
    assert 'was not found' in check(fact, 'h', 'task-group-found')['message']
    assert entry(fact, 'migration_tasks', 2)['found'] is False
    assert fact['counts']['migration_tasks_unhealthy'] == 1 and fact['counts']['task_groups_unhealthy'] == 1


def test_failed_read_and_incomplete_result_fail_as_not_evaluated():
    error = {'id': 2, 'status': 503, 'error_code': 'OMS.2004', 'request_id': 'req-1', 'message': 'busy', 'attempted': True}
    fact = run([task(1, 5)], migration_tasks=[1, 2, 3], task_result={'complete': False, 'failed': True, 'errors': [error]})
    assert fact['verdict'] == 'ERROR'
    read = check(fact, 2, 'migration-task-found')
    assert not read['passed'] and not read['evaluated']
    assert read['message'] == 'could not be evaluated: the migration task read failed: busy'
    # The failed id is an error of the gate, with what the API said about it.
    [named] = [item for item in fact['errors'] if item['id'] == '2']
    assert named['step'] == 'migration task read'
    assert (named['status'], named['error_code'], named['request_id']) == (503, 'OMS.2004', 'req-1')
    # Neither returned, nor missing, nor a named failure, from an incomplete result: not read, not "missing".
    unseen = check(fact, 3, 'migration-task-found')
    assert not unseen['evaluated'] and 'neither returned it nor named it missing' in unseen['message']
    assert check(fact, 1, 'migration-task-status')['passed'] is True


@pytest.mark.parametrize(
    'key, result',
    [
        ('migration_task_info', {'failed': True, 'msg': 'HTTP 401 APIGW.0301: incorrect IAM authentication'}),
        ('task_group_info', {'failed': True, 'msg': 'connection refused'}),
    ],
)
def test_a_read_that_failed_as_a_whole_is_an_error(key, result):
    fact = evaluate({key: result}, {'migration_tasks': [1], 'task_groups': ['g']}, now_ms=NOW)
    assert fact_errors(fact) == []
    assert fact['verdict'] == 'ERROR'
    step = 'migration task read' if key == 'migration_task_info' else 'task group read'
    assert [(item['step'], item['message']) for item in fact['errors']] == [(step, result['msg'])]
    assert ('- error: %s: %s' % (step, result['msg'])) in failure_message(fact)


def test_skipped_module_result_fails_every_named_id():
    fact = evaluate({'migration_task_info': {'skipped': True}}, {'migration_tasks': [1]}, now_ms=NOW)
    found = check(fact, 1, 'migration-task-found')
    assert not found['evaluated'] and 'not read: there is no result of the migration task read' in found['message']
    assert fact['verdict'] == 'ERROR'


def test_problems_fail_the_checks_that_read_the_field():
    fact = run(
        [task(1, 5), task(2, 5), task(3, 5), task(4, 5)],
        skip_checks=['migration-task-failed-objects'],
        task_result={
            'complete': False,
            'problems': [
                {'id': 1, 'field': 'status', 'message': 'status is None, not an integer'},
                {'id': 2, 'field': '(response)', 'message': 'the answer is a list, not an object'},
                {'id': 3, 'field': 'failed_num', 'message': 'failed_num is "x", not a count'},
                {'id': 4, 'field': 'failed_object_record.list_file_key', 'message': 'not a string'},
            ],
        },
    )
    assert fact['verdict'] == 'ERROR'
    status = check(fact, 1, 'migration-task-status')
    assert not status['passed'] and not status['evaluated'] and 'status is None' in status['message']
    assert check(fact, 1, 'migration-task-found')['passed'] is True
    # A field no check reads in particular: every check but the found check.
    assert entry(fact, 'migration_tasks', 2)['failed_checks'] == ['migration-task-status', 'migration-task-deadline', 'counts-add-up']
    # A check switched off stays off, and says it could not have been evaluated.
    switched_off = check(fact, 3, 'migration-task-failed-objects')
    assert switched_off['passed'] and switched_off['skipped'] and 'could not have been evaluated' in switched_off['message']
    # failed_num also feeds counts-add-up, which is not switched off.
    assert entry(fact, 'migration_tasks', 3)['failed_checks'] == ['counts-add-up']
    # A nested field feeds what its top-level field feeds.
    assert entry(fact, 'migration_tasks', 4)['failed_checks'] == []
    assert check(fact, 4, 'migration-task-status')['passed'] is True


def test_problems_of_a_group_field_fail_only_its_checks():
    fact = run(
        groups=[group('g', 1, total_size=10, complete_size=5, migrate_speed=1)],
        deadline='+1h',
        group_result={'complete': False, 'problems': [{'id': 'g', 'field': 'failed_task_num', 'message': 'failed_task_num is absent'}]},
    )
    assert entry(fact, 'task_groups', 'g')['failed_checks'] == ['task-group-failed-tasks']
    assert not check(fact, 'g', 'task-group-failed-tasks')['evaluated']


@pytest.mark.parametrize(
    'result, text',
    [
        ({'complete': False, 'problems': [{'id': None, 'field': 'count', 'message': 'the listing is incomplete'}]}, 'the listing is incomplete'),
        ({'truncated': True}, 'truncated: true'),
        ({'truncated': True, 'complete': False}, 'truncated: true'),
        ({'complete': False}, 'complete: false'),
    ],
)
def test_incomplete_listing_of_all_is_an_error(result, text):
    fact = run([task(1, 5)], migration_tasks='all', task_result=result)
    assert fact['verdict'] == 'ERROR' and not fact['healthy']
    [error] = fact['errors']
    assert error['step'] == 'migration task read' and text in error['message']
    assert [item['id'] for item in fact['migration_tasks']] == ['1']
    assert check(fact, 1, 'migration-task-status')['passed'] is True


@pytest.mark.parametrize('allow_empty, verdict', [(False, 'ERROR'), (True, 'HEALTHY')])
def test_all_that_finds_nothing(allow_empty, verdict):
    fact = run(task_groups='all', allow_empty=allow_empty)
    assert fact['verdict'] == verdict
    if not allow_empty:
        assert fact['errors'][0]['step'] == 'selection' and 'task_groups is "all"' in fact['errors'][0]['message']


def test_all_gates_every_listed_task_and_group():
    fact = run([task(1, 5), task(2, 4)], [group('g', 6)], migration_tasks='all', task_groups='all')
    assert [item['id'] for item in fact['migration_tasks']] == ['1', '2']
    assert [item['id'] for item in fact['task_groups']] == ['g']
    assert fact['counts']['migration_tasks_unhealthy'] == 1


# -- reports --------------------------------------------------------------------------------


def test_reports_show_progress_eta_deadline_and_reasons():
    fact = run(
        [task(1, 2, left_time=8 * HOUR, progress=0.25), task(2, 4, failed_num=3, error_reason=REASON, failed_object_record={'list_file_key': LIST_KEY})],
        [group('g', 5, failed_task_num=2, error_reason=REASON)],
        deadline='+6h',
    )
    message = failure_message(fact)
    assert message.splitlines()[0].endswith('(2 of 2 migration tasks, 1 of 1 task groups unhealthy)')
    root = ET.fromstring(render_junit(fact).split('\n', 1)[1])
    suites = {suite.get('name'): suite for suite in root.findall('testsuite')}
    assert set(suites) == {'migration task 1', 'migration task 2', 'task group g'}
    properties = {prop.get('name'): prop.get('value') for prop in suites['migration task 1'].iter('property')}
    assert properties['progress_percent'] == '25.0' and properties['deadline'] == '2027-01-15T14:00:00.000Z'
    assert properties['deadline_margin_ms'] == str(-2 * HOUR)
    reasons = {prop.get('name'): prop.get('value') for prop in suites['task group g'].iter('property')}
    assert reasons['error_code'] == 'TRF.0155'
    html = render_html(fact)
    assert 'id="deadline">deadline 2027-01-15T14:00:00.000Z (+6h)' in html
    assert '<td class="num">25.0%</td>' in html and '2h LATE' in html
    assert '3 (list: %s)' % LIST_KEY in html and 'TRF.0155: The source bucket does not exist.' in html
    assert '2 of 4' in html


def test_the_headline_names_only_the_kinds_gated():
    fact = evaluate({'sync_task_info': {'sync_tasks': [], 'missing': ['t']}}, {'sync_tasks': ['t']}, now_ms=NOW)
    assert failure_message(fact).splitlines()[0].endswith('(1 of 1 sync tasks unhealthy)')
