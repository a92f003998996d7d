"""Transport attacks through ansible-playbook against the emulator: huge bodies, throttling, absurd options, regions.

A body padded past ``max_response_bytes`` or a gzip bomb is refused for the one
read it answers (the gate is ERROR, the other reads are kept); a raised limit
lets the same answer through. A 429 without ``Retry-After`` is retried only
after the backoff. Options with absurd numbers, and regions outside the SDK's
table, fail before any request; the emulator's own region names keep working
when the endpoints are given. A rate limit that would hold a read past its
call's deadline fails that read at once.
"""

import json

import pytest

# role_emulator_fixture is the role_emulator fixture the tests use by name.
# pylint: disable=unused-import
from test_role_faults import _DEMO, COMPLETED_DATASET, HEALTHY_TASK, add_fault, checks_of, connection, role_emulator_fixture, run_gate  # noqa: F401

MIB = 1024 * 1024
READ = 'Read the sync tasks'
PROJECT = next(iter(_DEMO['regions'].values()))[0]
OTHER_TASK = '7a4b2c1d-5e6f-4a8b-9c0d-1e2f3a4b5c6d'


@pytest.fixture(name='emulator')
def emulator_fixture(role_emulator):
    role_emulator.control('POST', 'reset')
    role_emulator.clear_requests_log()
    return role_emulator


def _task_read_errors(fact):
    return [entry for entry in fact['errors'] if entry['step'] == 'sync task read']


def _show_requests(emulator):
    return [entry for entry in emulator.requests_log() if entry['route'] == 'show_sync_task']


# name: (rewrite of the sync task answer, what the error says)
HUGE_ANSWERS = {
    'padded past the limit': ({'pad_bytes': 40 * MIB}, '(Content-Length), more than max_response_bytes (33554432); it was not read'),
    'a gzip bomb': ({'pad_bytes': 100 * MIB, 'gzip': True}, 'larger than max_response_bytes (33554432 bytes after decompression)'),
}


@pytest.mark.parametrize('answer', sorted(HUGE_ANSWERS))
def test_a_body_over_the_limit_is_refused_for_that_read_only(emulator, run_playbook, tmp_path, answer):
    spec, says = HUGE_ANSWERS[answer]
    add_fault(emulator, 'show_sync_task', dict(spec, kind='rewrite'))
    run, fact = run_gate(run_playbook, emulator, tmp_path, migration_health_fail=False)
    assert run.rc == 0, run.output
    assert fact['verdict'] == 'ERROR', (fact['verdict'], fact['errors'])
    [error] = _task_read_errors(fact)
    assert error['id'] == HEALTHY_TASK and error['error_code'] == 'ResponseTooLarge' and says in error['message'], error
    assert error['status'] == 200 and error['request_id'], error
    assert len(_show_requests(emulator)) == 1  # the same answer again would be as large: not retried
    checks = checks_of(fact)
    assert not checks[(HEALTHY_TASK, 'task-found')]['evaluated']
    assert checks[(COMPLETED_DATASET, 'dataset-status')]['evaluated'] and checks[(COMPLETED_DATASET, 'dataset-status')]['passed']


def test_a_raised_max_response_bytes_lets_a_large_answer_through(emulator, run_playbook, tmp_path):
    add_fault(emulator, 'show_sync_task', {'kind': 'rewrite', 'pad_bytes': 40 * MIB})
    run, fact = run_gate(run_playbook, emulator, tmp_path, migration_health_connection=connection(emulator, max_response_bytes=64 * MIB, timeout=20))
    assert run.rc == 0, run.output
    assert fact['verdict'] == 'HEALTHY', fact['errors']


def test_a_429_without_retry_after_waits_the_backoff_before_its_first_retry(emulator, run_playbook, tmp_path):
    throttled = {'error_code': 'APIGW.0308', 'error_msg': 'The throttling threshold has been reached', 'request_id': 'r'}
    add_fault(emulator, 'show_sync_task', {'kind': 'rewrite', 'status': 429, 'raw': json.dumps(throttled), 'times': 1})
    run, fact = run_gate(run_playbook, emulator, tmp_path)
    assert run.rc == 0 and fact['verdict'] == 'HEALTHY', (run.output, fact['errors'])
    throttled, retried = _show_requests(emulator)
    assert throttled['status'] == 429 and retried['status'] == 200
    # The documented first backoff is 0.5 s plus up to 0.5 s of jitter; never at once.
    assert retried['time'] - throttled['time'] >= 450, (throttled, retried)


def _read_play(emulator, options_list):
    tasks = []
    for index, options in enumerate(options_list):
        args = dict(connection(emulator), sync_task_ids=[HEALTHY_TASK])
        args.update(options)
        tasks.append({'name': '%s %d' % (READ, index), 'hwcloud.migration.oms_sync_task_info': args, 'ignore_errors': True})
    return [{'name': 'transport', 'hosts': 'localhost', 'connection': 'local', 'gather_facts': False, 'tasks': tasks}]


# option, value as a play would give it, the range the message states
ABSURD_OPTIONS = [
    ('timeout', 'inf', 'from 0.1 to 600'),
    ('timeout', 'nan', 'from 0.1 to 600'),
    ('timeout', 1e-9, 'from 0.1 to 600'),
    ('retries', 1000000, 'from 0 to 20'),
    ('rate_limit', 'inf', 'from 0.01 to 1000'),
    ('rate_limit', 1e-9, 'from 0.01 to 1000'),
    ('max_concurrency', 100000, 'from 1 to 64'),
    ('max_response_bytes', 0, 'from 1024 to 1073741824'),
    ('max_response_bytes', 10**15, 'from 1024 to 1073741824'),
]


def test_absurd_numbers_are_refused_by_name_before_any_request(emulator, run_playbook):
    run = run_playbook(_read_play(emulator, [{name: value} for name, value, _range in ABSURD_OPTIONS]))
    for index, (name, value, allowed) in enumerate(ABSURD_OPTIONS):
        outcome = run.task('%s %d' % (READ, index))
        message = outcome['result'].get('msg', '')
        assert outcome['outcome'] == 'failed', (name, value, outcome)
        assert message.startswith('%s must be a number of ' % name) and allowed in message, (name, value, message)
    assert emulator.requests_log() == []


def test_an_unknown_region_gets_the_closest_one_before_any_request(emulator, run_playbook):
    run = run_playbook(_read_play(emulator, [{'region': 'cn-nort-4', 'endpoint': None, 'iam_endpoint': None}]))
    outcome = run.task('%s 0' % READ)
    assert outcome['outcome'] == 'failed'
    assert outcome['result']['msg'].startswith("unknown region 'cn-nort-4', did you mean cn-north-4? "), outcome['result']['msg']
    assert emulator.requests_log() == []


def test_the_emulators_own_region_names_work_when_the_endpoints_are_given(emulator, run_playbook):
    options = [
        # endpoint and iam_endpoint given: any region name is the user's to choose.
        {'region': 'emu-local-1', 'project_id': PROJECT},
        # the SDK's per-region variable names the endpoint instead (no endpoint option at all).
        {'region': 'emu-local-1', 'project_id': PROJECT, 'endpoint': None, 'iam_endpoint': None},
    ]
    run = run_playbook(_read_play(emulator, options), env={'HUAWEICLOUD_SDK_REGION_OMS_EMU_LOCAL_1': emulator.url})
    for index in range(len(options)):
        outcome = run.task('%s %d' % (READ, index))
        assert outcome['outcome'] == 'ok', outcome
        assert [task['sync_task_id'] for task in outcome['result']['sync_tasks']] == [HEALTHY_TASK]


def test_a_rate_limit_wait_past_the_deadline_fails_the_read_at_once(emulator, run_playbook):
    # One request every 5 s, but each read has 1 * (1 + 1) = 2 s: the second read cannot wait its turn.
    options = {'sync_task_ids': [HEALTHY_TASK, OTHER_TASK], 'rate_limit': 0.2, 'timeout': 1, 'retries': 1, 'max_concurrency': 1, 'project_id': PROJECT}
    run = run_playbook(_read_play(emulator, [options]))
    outcome = run.task('%s 0' % READ)
    assert outcome['outcome'] == 'failed', outcome
    result = outcome['result']
    assert [task['sync_task_id'] for task in result['sync_tasks']] == [HEALTHY_TASK]
    [error] = result['errors']
    assert 'rate_limit (0.2 requests per second) would hold this request' in error['message'] and 'deadline' in error['message'], error
    assert len(_show_requests(emulator)) == 1
