"""The failed-object details of the gate: the failure-code checks (_gate/checks/failed_objects.py), the plan, the reports."""

import xml.etree.ElementTree as ET

import pytest

from ansible_collections.hwcloud.migration.plugins.module_utils._reads.bundle import failing_subjects
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks.common import Checks, SubjectChecks
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks.failed_objects import failure_codes_check
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import MigrationHealthError
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.evaluate import evaluate
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.policy import normalise_policy
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.schema import fact_errors
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports.html import render_html
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports.junit import render_junit

NOW = 1800000000000
GROUP = 'a1b2c3d4-0000-4000-8000-00000000f001'
KEY = 'oms/task/logs/failed_object_lists/20240309150503.failed_list.txt'


def listed(kind, ident, counts, *, complete=True, unparsable=0, objects=None):
    objects = (
        objects
        if objects is not None
        else [
            {'code': code, 'time': '2024-03-09 15:05:03', 'key': 'logs/%s <b>%d</b>.gz' % (code.lower(), number), 'message': 'm'}
            for code, count in sorted(counts.items())
            for number in range(count)
        ]
    )
    return {
        'kind': kind,
        'id': ident,
        'failed_num': sum(counts.values()),
        'bucket': 'dst-logs',
        'region': 'cn-north-4',
        'list_file_key': KEY,
        'files': [{'key': KEY, 'size': 10, 'bytes_read': 10, 'complete': complete, 'request_id': 'r1'}],
        'counts': counts,
        'total': sum(counts.values()),
        'objects': objects,
        'unparsable': [],
        'unparsable_count': unparsable,
        'complete': complete,
    }


def run(tasks=(), groups=(), failed=None, **settings):
    settings.setdefault('migration_tasks', [body['id'] for body in tasks] or None)
    settings.setdefault('task_groups', [body['group_id'] for body in groups] or None)
    settings.setdefault('failed_object_details', True)
    settings.setdefault('max_migration_failed_objects', None)
    results = {
        'migration_task_info': {'migration_tasks': list(tasks), 'missing': [], 'complete': True, 'problems': []},
        'task_group_info': {'task_groups': list(groups), 'missing': [], 'complete': True, 'problems': []},
    }
    if failed is not None:
        results['failed_objects_info'] = failed
    fact = evaluate(results, settings, now_ms=NOW)
    assert fact_errors(fact) == []
    return fact


def task(task_id, failed_num, status=4):
    # Counts that add up (counts-add-up passes), so only the failure codes decide.
    counts = {'total_num': 10, 'successful_num': 10 - failed_num, 'skipped_num': 0, 'total_size': 100, 'complete_size': 100}
    return dict(counts, id=task_id, name='task-%d' % task_id, status=status, failed_num=failed_num)


def check(fact, subject, check_id):
    [found] = [entry for entry in fact['checks'] if entry['subject'] == str(subject) and entry['id'] == check_id]
    return found


def result(*entries, **extra):
    return dict({'failed_objects': list(entries), 'missing': [], 'complete': True, 'problems': []}, **extra)


# -- the check function ------------------------------------------------------------------


def _one(count, entry, allowed):
    checks = Checks()
    failure_codes_check(SubjectChecks(checks, '7', 'migration_task'), 'migration-task-failure-codes', 'migration task', count, entry, allowed)
    [added] = checks.entries
    return added


def test_a_code_not_allowed_fails_on_data():
    added = _one(3, listed('migration_task', 7, {'GET_SRC_OBJ_FAILURE': 2, 'UPLOAD_DST_OBJ_FAILURE': 1}), ['GET_SRC_OBJ_FAILURE'])
    assert (added['passed'], added['evaluated']) == (False, True)
    assert added['observed'] == 'UPLOAD_DST_OBJ_FAILURE' and 'UPLOAD_DST_OBJ_FAILURE' in added['message']
    assert added['observed_display'] == '3 in 2 codes'


def test_a_message_names_a_few_codes_and_counts_the_rest():
    counts = dict.fromkeys(['A_FAILURE', 'B_FAILURE', 'C_FAILURE', 'D_FAILURE', 'E_FAILURE'], 1)
    added = _one(5, listed('migration_task', 7, counts), [])
    assert added['message'] == '5 failed object(s) with code(s) not allowed: A_FAILURE, B_FAILURE, C_FAILURE and 2 more'


def test_failures_reported_with_an_empty_list_are_not_evaluated():
    added = _one(4, listed('sync_task', 's', {}), [])
    assert (added['passed'], added['evaluated']) == (False, False) and 'hold none' in added['message']


def test_by_default_no_code_is_allowed():
    added = _one(1, listed('migration_task', 7, {'GET_SRC_OBJ_FAILURE': 1}), [])
    assert not added['passed'] and added['threshold_display'] == 'no failure code allowed'


def test_allowed_codes_pass():
    added = _one(2, listed('migration_task', 7, {'GET_SRC_OBJ_FAILURE': 2}), ['GET_SRC_OBJ_FAILURE'])
    assert added['passed'] and not added['skipped'] and added['evaluated']


def test_no_failed_objects_need_no_list():
    added = _one(0, None, [])
    assert added['passed'] and added['observed'] == 0


@pytest.mark.parametrize('count', [3, None, 'x'])
def test_a_list_not_read_is_not_evaluated_never_a_pass(count):
    added = _one(count, None, ['GET_SRC_OBJ_FAILURE'])
    assert (added['passed'], added['evaluated']) == (False, False)
    assert 'was not read' in added['message']


def test_a_list_read_in_part_is_not_evaluated():
    added = _one(3, listed('migration_task', 7, {'GET_SRC_OBJ_FAILURE': 2}, complete=False), ['GET_SRC_OBJ_FAILURE'])
    assert (added['passed'], added['evaluated']) == (False, False) and 'complete: false' in added['message']


def test_a_list_read_in_part_with_a_code_not_allowed_already_fails_on_data():
    added = _one(3, listed('migration_task', 7, {'UPLOAD_DST_OBJ_FAILURE': 2}, complete=False), ['GET_SRC_OBJ_FAILURE'])
    assert (added['passed'], added['evaluated']) == (False, True)


def test_unparsable_lines_hide_codes():
    added = _one(3, listed('migration_task', 7, {'GET_SRC_OBJ_FAILURE': 2}, unparsable=1), ['GET_SRC_OBJ_FAILURE'])
    assert (added['passed'], added['evaluated']) == (False, False) and 'no entry' in added['message']


def test_counts_that_are_no_counts_are_not_evaluated():
    added = _one(3, dict(listed('migration_task', 7, {}), counts={'X': 'many'}), [])
    assert (added['passed'], added['evaluated']) == (False, False)


# -- policy and plan -----------------------------------------------------------------------


def test_the_plan_reads_the_failed_objects_only_with_details():
    assert 'failed_objects_info' not in normalise_policy({'migration_tasks': [7]})['read_plan']
    policy = normalise_policy({'migration_tasks': 'all', 'failed_object_details': True, 'failed_object_limit': 5})
    assert policy['read_plan']['failed_objects_info'] == {'max_objects': 5}
    assert policy['thresholds']['allowed_failure_codes'] == []


def test_datasets_alone_have_no_failed_objects_to_read():
    assert 'failed_objects_info' not in normalise_policy({'datasets': ['ds'], 'failed_object_details': True})['read_plan']


@pytest.mark.parametrize(
    'settings, match',
    [
        ({'failed_object_details': 'yes'}, 'failed_object_details'),
        ({'failed_object_limit': 5000}, 'failed_object_limit'),
        ({'failed_object_limit': -1}, 'failed_object_limit'),
        ({'allowed_failure_codes': {'a': 1}}, 'allowed_failure_codes'),
        ({'allowed_failure_codes': ['two words']}, 'allowed_failure_codes'),
    ],
)
def test_wrong_settings_are_refused_by_name(settings, match):
    with pytest.raises(MigrationHealthError, match=match):
        normalise_policy(dict({'migration_tasks': [7]}, **settings))


def test_failing_subjects_are_those_with_failed_objects_or_an_unknown_count():
    results = {
        'migration_task_info': {'migration_tasks': [task(1, 0), task(2, 3), {'id': 3, 'failed_num': None}, {'no': 'id'}]},
        'task_group_info': {'task_groups': [{'group_id': 'g', 'fail_num': 0}, {'group_id': 'h', 'fail_num': 1}]},
        'sync_task_info': {'sync_tasks': [{'sync_task_id': 's', 'monthly_failure_object': 2}, {'sync_task_id': 't', 'monthly_failure_object': 0}]},
    }
    known = failing_subjects(results)
    assert {kind: sorted(map(str, bodies)) for kind, bodies in known.items()} == {'migration_task': ['2', '3'], 'task_group': ['h'], 'sync_task': ['s']}


# -- the evaluation ------------------------------------------------------------------------


def test_without_details_there_is_no_failure_code_check():
    fact = run([task(7, 3)], failed_object_details=False)
    assert not [entry for entry in fact['checks'] if entry['id'].endswith('-failure-codes')]
    assert 'failed_object_details' not in fact['migration_tasks'][0]
    assert 'allowed_failure_codes' not in fact['migration_tasks'][0]['thresholds']


def test_a_disallowed_code_is_unhealthy_and_the_details_are_in_the_fact():
    fact = run([task(7, 3), task(8, 0, status=5)], failed=result(listed('migration_task', 7, {'GET_SRC_OBJ_FAILURE': 3})), failed_object_limit=2)
    assert fact['verdict'] == 'UNHEALTHY'
    assert not check(fact, 7, 'migration-task-failure-codes')['passed']
    assert check(fact, 8, 'migration-task-failure-codes')['passed']
    details = fact['migration_tasks'][0]['failed_object_details']
    assert details['counts'] == {'GET_SRC_OBJ_FAILURE': 3} and details['total'] == 3 and details['list_file_key'] == KEY
    assert fact['migration_tasks'][1]['failed_object_details'] is None


def test_an_allowed_code_passes():
    fact = run([task(7, 3)], failed=result(listed('migration_task', 7, {'GET_SRC_OBJ_FAILURE': 3})), allowed_failure_codes=['GET_SRC_OBJ_FAILURE'])
    assert check(fact, 7, 'migration-task-failure-codes')['passed']
    assert fact['verdict'] == 'UNHEALTHY'  # the status check of a failed task still fails


def test_a_list_that_could_not_be_read_is_error():
    error = {'kind': 'migration_task', 'id': 7, 'status': 404, 'error_code': 'NoSuchKey', 'request_id': 'r9', 'message': 'GET ... NoSuchKey', 'attempted': True}
    failed = dict(result(), failed=True, msg='Could not read migration task 7', errors=[error])
    fact = run([task(7, 3)], failed=failed, allowed_failure_codes=['GET_SRC_OBJ_FAILURE'])
    codes = check(fact, 7, 'migration-task-failure-codes')
    assert fact['verdict'] == 'ERROR' and not codes['evaluated'] and 'NoSuchKey' in codes['message']


def test_a_read_of_failed_objects_that_did_not_happen_is_error():
    fact = run([task(7, 3)])
    assert fact['verdict'] == 'ERROR' and not check(fact, 7, 'migration-task-failure-codes')['evaluated']


def test_a_failed_id_of_another_kind_does_not_touch_an_equal_id():
    error = {'kind': 'task_group', 'id': '7', 'status': 403, 'error_code': 'AccessDenied', 'request_id': 'r', 'message': 'denied', 'attempted': True}
    failed = dict(result(listed('migration_task', 7, {'GET_SRC_OBJ_FAILURE': 1})), failed=True, msg='x', errors=[error])
    fact = run([task(7, 1)], failed=failed, allowed_failure_codes=['GET_SRC_OBJ_FAILURE'])
    assert check(fact, 7, 'migration-task-failure-codes')['passed']


def test_groups_have_their_check_too():
    group = {'group_id': GROUP, 'status': 5, 'failed_task_num': 1, 'total_task_num': 2, 'fail_num': 2}
    fact = run(groups=[group], failed=result(listed('task_group', GROUP, {'UPLOAD_DST_OBJ_FAILURE': 2})))
    assert not check(fact, GROUP, 'task-group-failure-codes')['passed']


def test_the_reports_list_the_keys_escaped_and_a_junit_case_per_code():
    counts = {'GET_SRC_OBJ_FAILURE': 2, 'UPLOAD_DST_OBJ_FAILURE': 1}
    fact = run([task(7, 3)], failed=result(listed('migration_task', 7, counts)), allowed_failure_codes=['GET_SRC_OBJ_FAILURE'])
    page = render_html(fact)
    assert 'logs/get_src_obj_failure &lt;b&gt;0&lt;/b&gt;.gz' in page and '<b>0</b>' not in page
    assert 'Failed objects' in page and KEY in page
    root = ET.fromstring(render_junit(fact))
    cases = {case.get('name'): case for case in root.iter('testcase')}
    assert cases['migration-task-failure-codes GET_SRC_OBJ_FAILURE'].find('failure') is None
    assert cases['migration-task-failure-codes UPLOAD_DST_OBJ_FAILURE'].find('failure') is not None
    assert int(root.get('tests')) == len(cases)
    assert int(root.get('failures')) == sum(1 for case in cases.values() if case.find('failure') is not None)
