"""Lying answers through the real role (ansible-playbook) against the emulator: never HEALTHY.

Each attack makes one answer lie with the emulator's ``rewrite`` fault: a
listing whose pages do not add up to its count, an answer about another id, a
404 without the service's not-found code, a value Python cannot hold. The
verdict is ERROR (or the check fails), the other ids' results are kept, and the
three reports say so (see ``assert_truthful_reports``: the JSON, JUnit and HTML
reports are this run's and agree).
"""

import pytest

# role_emulator_fixture is the role_emulator fixture the tests use by name.
# pylint: disable=unused-import
from test_role_faults import COMPLETED_DATASET, DEMO_TASKS, HEALTHY_TASK, add_fault, checks_of, role_emulator_fixture, run_gate  # noqa: F401

FOREIGN = '11111111-2222-4333-8444-555555555555'


@pytest.fixture(name='emulator')
def emulator_fixture(role_emulator):
    role_emulator.control('POST', 'reset')
    return role_emulator


# name: (rewrite of the sync task listing, what the error says)
LISTING_LIES = {
    'a page short of its count': ({'set': {'count': 5}}, 'held 3 items'),
    'a duplicate id': ({'set': {'tasks.1.sync_task_id': HEALTHY_TASK, 'tasks.0.sync_task_id': HEALTHY_TASK}}, 'repeat an id'),
    'more items than its count': ({'set': {'count': 2}}, 'more than its count'),
}


@pytest.mark.parametrize('lie', sorted(LISTING_LIES))
def test_a_listing_that_does_not_add_up_is_an_error(emulator, run_playbook, tmp_path, lie):
    spec, reason = LISTING_LIES[lie]
    add_fault(emulator, 'list_sync_tasks', dict(spec, kind='rewrite'))
    run, fact = run_gate(run_playbook, emulator, tmp_path, migration_health_sync_tasks='all', migration_health_fail=False)
    assert run.rc == 0, run.output
    assert fact['verdict'] == 'ERROR', (fact['verdict'], fact['errors'])
    assert any(entry['step'] == 'sync task read' and 'incomplete' in entry['message'] and reason in entry['message'] for entry in fact['errors']), fact[
        'errors'
    ]
    # The dataset read is kept and evaluated.
    checks = checks_of(fact)
    assert checks[(COMPLETED_DATASET, 'dataset-found')]['evaluated'] and checks[(COMPLETED_DATASET, 'dataset-status')]['passed']


def test_a_repeated_page_is_an_error(emulator, run_playbook, tmp_path):
    # 150 tasks: the second page (offset 100) answers the first one again.
    for index in range(147):
        emulator.control('POST', 'sync-tasks/00000000-0000-4000-8000-%012d' % index, {'status': 'SYNCHRONIZING'})
    add_fault(emulator, 'list_sync_tasks', {'kind': 'rewrite', 'query': {'offset': 0}, 'after': 1})
    run, fact = run_gate(run_playbook, emulator, tmp_path, migration_health_sync_tasks='all', migration_health_fail=False)
    assert fact['verdict'] == 'ERROR'
    assert any('incomplete' in entry['message'] for entry in fact['errors']), fact['errors']


SHOW_LIES = {
    'an answer about another task': ({'set': {'sync_task_id': FOREIGN}}, 'not the sync task asked'),
    'a bare 404': ({'raw': '{}', 'status': 404}, 'HTTP 404'),
    'a count of 10**400': ({'set_raw': {'monthly_failure_object': '1' + '0' * 400}}, 'outside a 64-bit integer'),
    'a number of 1e400': ({'set_raw': {'monthly_acceptance_request': '1e400'}}, 'too large for a floating-point number'),
    'a lone surrogate': ({'set_raw': {'src_bucket': '"\\ud800"'}}, 'not valid Unicode'),
    'JSON nested 100000 deep': ({'set_raw': {'src_bucket': '[' * 100000 + ']' * 100000}}, 'nests deeper than'),
}


@pytest.mark.parametrize('lie', sorted(SHOW_LIES))
def test_an_unusable_answer_for_one_task_is_an_error_for_that_task_only(emulator, run_playbook, tmp_path, lie):
    spec, reason = SHOW_LIES[lie]
    add_fault(emulator, 'show_sync_task', dict(spec, kind='rewrite'))
    run, fact = run_gate(run_playbook, emulator, tmp_path, migration_health_fail=False)
    assert run.rc == 0, run.output
    assert fact['verdict'] == 'ERROR', (fact['verdict'], fact['errors'])
    errors = [entry for entry in fact['errors'] if entry['step'] == 'sync task read']
    assert [entry['id'] for entry in errors] == [HEALTHY_TASK] and reason in errors[0]['message'], fact['errors']
    checks = checks_of(fact)
    # Never "not found": the task-found check is not evaluated, it does not fail as a deletion.
    assert not checks[(HEALTHY_TASK, 'task-found')]['evaluated'], checks[(HEALTHY_TASK, 'task-found')]
    assert checks[(COMPLETED_DATASET, 'dataset-status')]['evaluated'] and checks[(COMPLETED_DATASET, 'dataset-status')]['passed']


def test_a_status_with_a_line_break_is_not_evaluated(emulator, run_playbook, tmp_path):
    add_fault(emulator, 'show_sync_task', {'kind': 'rewrite', 'set': {'status': 'SYNCHRONIZING\nHEALTHY'}})
    run, fact = run_gate(run_playbook, emulator, tmp_path, migration_health_fail=False)
    assert fact['verdict'] == 'ERROR'
    check = checks_of(fact)[(HEALTHY_TASK, 'task-status')]
    assert not check['evaluated'] and not check['passed'], check


assert DEMO_TASKS
