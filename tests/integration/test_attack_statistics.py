"""Statistics that lie, through the real role (ansible-playbook) against the emulator.

The statistics answer of the gated sync task is replaced whole (the emulator's
``rewrite`` fault, ``raw``) by one a buggy or compromised endpoint could give:
failures outside the asked window or in the future, a success in the future,
failures without requests, a time stamp given twice, an answer about another
task. The window checks count only what lies in the window, and an answer that
disagrees with itself or names another task is never HEALTHY. A window
shorter than one bucket is refused before any request.
"""

import json
import time

import pytest

# role_emulator_fixture is the role_emulator fixture the tests use by name.
# pylint: disable=unused-import
from test_role_faults import HEALTHY_TASK, add_fault, checks_of, role_emulator_fixture, run_gate  # noqa: F401

FOREIGN = '11111111-2222-4333-8444-555555555555'
BUCKET_MS = 300000
MINUTE_MS = 60000
# The role's default window (migration_health_window) is 1h, its stall limit 30m.
WINDOW_MS = 60 * MINUTE_MS


@pytest.fixture(name='emulator')
def emulator_fixture(role_emulator):
    role_emulator.control('POST', 'reset')
    return role_emulator


def bucket(offset_ms):
    """The start of the five-minute bucket ``offset_ms`` from now (negative: in the past)."""
    now_ms = int(time.time() * 1000)
    return (now_ms + offset_ms) // BUCKET_MS * BUCKET_MS


def healthy_buckets():
    """Ten buckets of the last hour's middle, well inside the window: 100 requests, 100 successes each."""
    stamps = [bucket(-offset * BUCKET_MS) for offset in range(2, 12)]
    return {'REQUEST': {stamp: 100 for stamp in stamps}, 'SUCCESS': {stamp: 100 for stamp in stamps}, 'FAILURE': {}}


def statistics_body(series, task_id=HEALTHY_TASK, repeat=None):
    """A ListSyncTaskStatistic answer with ``series`` ({data_type: {time_stamp: count}}); ``repeat`` adds points as given."""
    datas = []
    for data_type in ('REQUEST', 'SUCCESS', 'FAILURE', 'SKIP', 'SIZE'):
        points = [{'time_stamp': stamp, 'statistic_num': count} for stamp, count in sorted(series.get(data_type, {}).items())]
        points += [{'time_stamp': stamp, 'statistic_num': count} for stamp, count in (repeat or {}).get(data_type, [])]
        datas.append({'data_type': data_type, 'data': points})
    return json.dumps({'sync_task_id': task_id, 'statistic_time_type': 'FIVE_MINUTES', 'statistic_datas': datas})


def gate_on(emulator, run_playbook, tmp_path, body, **variables):
    add_fault(emulator, 'list_sync_task_statistic', {'kind': 'rewrite', 'raw': body})
    return run_gate(run_playbook, emulator, tmp_path, migration_health_fail=False, **variables)


def test_failures_outside_the_window_or_in_the_future_are_not_counted(emulator, run_playbook, tmp_path):
    series = healthy_buckets()
    # A storm of failures three hours ago and one an hour from now: neither is in the window asked.
    for stamp in (bucket(-3 * WINDOW_MS), bucket(WINDOW_MS)):
        series['REQUEST'][stamp] = 1000
        series['FAILURE'][stamp] = 1000
    run, fact = gate_on(emulator, run_playbook, tmp_path, statistics_body(series))
    assert run.rc == 0, run.output
    checks = checks_of(fact)
    for check in ('window-failure-ratio', 'window-failed-objects', 'stall'):
        assert checks[(HEALTHY_TASK, check)]['evaluated'] and checks[(HEALTHY_TASK, check)]['passed'], checks[(HEALTHY_TASK, check)]
    assert fact['verdict'] == 'HEALTHY', (fact['violations'], fact['errors'])


def test_a_success_in_the_future_does_not_reset_the_stall_age(emulator, run_playbook, tmp_path):
    # Requests all hour, the last success 50 minutes ago, and a "success" half an hour from now.
    stamps = [bucket(-offset * BUCKET_MS) for offset in range(1, 11)]
    series = {'REQUEST': {stamp: 100 for stamp in stamps}, 'SUCCESS': {bucket(-50 * MINUTE_MS): 100, bucket(30 * MINUTE_MS): 100}}
    run, fact = gate_on(emulator, run_playbook, tmp_path, statistics_body(series))
    assert run.rc == 0, run.output
    stall = checks_of(fact)[(HEALTHY_TASK, 'stall')]
    assert stall['evaluated'] and not stall['passed'], stall
    assert fact['verdict'] == 'UNHEALTHY', (fact['verdict'], fact['errors'])


def test_failures_without_requests_fail_the_failure_check(emulator, run_playbook, tmp_path):
    series = healthy_buckets()
    series['REQUEST'] = {}
    series['FAILURE'] = {bucket(-3 * BUCKET_MS): 50}
    run, fact = gate_on(emulator, run_playbook, tmp_path, statistics_body(series))
    assert run.rc == 0, run.output
    ratio = checks_of(fact)[(HEALTHY_TASK, 'window-failure-ratio')]
    assert ratio['evaluated'] and not ratio['passed'], ratio
    assert fact['verdict'] != 'HEALTHY'


def test_a_time_stamp_given_twice_is_never_healthy(emulator, run_playbook, tmp_path):
    series = healthy_buckets()
    stamp = bucket(-4 * BUCKET_MS)
    # The same bucket again, as a second point: with no failures, a gate that took either count would pass.
    run, fact = gate_on(emulator, run_playbook, tmp_path, statistics_body(series, repeat={'REQUEST': [(stamp, 5)]}))
    assert run.rc == 0, run.output
    assert fact['verdict'] == 'ERROR', (fact['verdict'], fact['violations'])
    statistics = checks_of(fact)[(HEALTHY_TASK, 'window-statistics')]
    assert not statistics['evaluated'] and 'given more than once' in statistics['message'], statistics


def test_statistics_about_another_task_are_an_error_for_the_task_asked(emulator, run_playbook, tmp_path):
    run, fact = gate_on(emulator, run_playbook, tmp_path, statistics_body(healthy_buckets(), task_id=FOREIGN))
    assert run.rc == 0, run.output
    assert fact['verdict'] == 'ERROR', (fact['verdict'], fact['errors'])
    errors = [entry for entry in fact['errors'] if entry['step'] == 'statistics read']
    assert [entry['id'] for entry in errors] == [HEALTHY_TASK], fact['errors']
    assert FOREIGN in errors[0]['message'] or 'another' in errors[0]['message'] or 'not the' in errors[0]['message'], errors
    assert not checks_of(fact)[(HEALTHY_TASK, 'window-failure-ratio')]['evaluated']


def test_a_window_shorter_than_one_bucket_is_refused_before_any_request(emulator, run_playbook, tmp_path):
    emulator.control('DELETE', 'requests')
    run, fact = run_gate(run_playbook, emulator, tmp_path, migration_health_fail=False, migration_health_window='4m')
    assert fact['verdict'] == 'ERROR', fact['verdict']
    assert any('smallest window is 5m' in entry['message'] for entry in fact['errors']), fact['errors']
    assert emulator.control('GET', 'requests')['requests'] == []
