"""The migration_retry role and its playbook: real ansible-playbook runs against the emulator's OMS writes.

The emulator holds tests/integration/scenarios/retry.yml: a failed task (2001)
and a failed group (one failed member, 2101) whose retries heal them, a task
that succeeded (2002), and a source bucket whose tasks fail their objects again
on every retry (stubborn-src).
"""

import json

import pytest
import yaml
from conftest import SCENARIOS
from migration_harness import modules_identities, start_emulator
from modules_harness import SECRET_VARS, assert_clean_output, connection, requests_log

FAILED_TASK, DONE_TASK, GROUP_MEMBER = 2001, 2002, 2101
FAILED_GROUP = 'cccccccc-1111-4222-8333-444444444444'
SRC_SK, DST_SK, OTHER_SK = 'retry-src-secret-key-0001', 'retry-dst-secret-key-0001', 'retry-other-secret-key-0001'
RETRY_SECRETS = {'rt_src_sk': SRC_SK, 'rt_dst_sk': DST_SK, 'rt_other_sk': OTHER_SK}
WRITE_ROUTES = ('create_task', 'start_task', 'stop_task', 'delete_task', 'retry_task_group', 'start_task_group', 'stop_task_group')


@pytest.fixture(scope='module', name='retry_emulator')
def retry_emulator_fixture(tmp_path_factory):
    """One emulator for the file: modules.yml's identities and retry.yml's tasks, group and sources."""
    data = modules_identities()
    with open(str(SCENARIOS / 'retry.yml'), encoding='utf-8') as handle:
        data.update(yaml.safe_load(handle))
    emulator = start_emulator(tmp_path_factory, data, 'retry-scenario')
    yield emulator
    emulator.stop()


@pytest.fixture(name='emulator')
def emulator_fixture(retry_emulator):
    retry_emulator.control('POST', 'reset')
    return retry_emulator


def retry_vars(emulator, tmp_path, **extra):
    """The extra variables a caller (or a rulebook) gives the playbook: the gate's selection and the retry's credentials."""
    variables = dict(SECRET_VARS, **RETRY_SECRETS)
    variables.update(
        migration_health_connection=connection(emulator),
        migration_health_report_dir=str(tmp_path / 'reports'),
        migration_retry_src_credentials={'ak': 'RTSRCAK0001', 'sk': '{{ rt_src_sk }}'},
        migration_retry_dst_credentials={'ak': 'RTDSTAK0001', 'sk': '{{ rt_dst_sk }}'},
        migration_retry_poll_interval=0.3,
        migration_retry_timeout=120,
    )
    variables.update(extra)
    return variables


def the_playbook():
    """The collection's playbook, as `ansible-playbook hwcloud.migration.migration_retry` runs it."""
    return [{'ansible.builtin.import_playbook': 'hwcloud.migration.migration_retry'}]


def result_of(run, suffix, outcome=None):
    entries = [entry for entry in run.results if entry['task'].endswith(suffix)]
    assert entries, 'no task %r\n%s' % (suffix, run.output)
    if outcome:
        assert entries[-1]['outcome'] == outcome, '%s: %s\n%s' % (suffix, entries[-1], run.output)
    return entries[-1]['result']


def gate_fact(tmp_path):
    return json.loads((tmp_path / 'reports' / 'migration-health.json').read_text())


def writes(emulator):
    return [entry for entry in requests_log(emulator) if entry['route'] in WRITE_ROUTES]


def clean(run):
    assert_clean_output(run)
    for value in RETRY_SECRETS.values():
        assert value not in run.output, 'secret %r printed:\n%s' % (value, run.output)


def by_id(retried):
    return {entry['id']: entry for entry in retried}


# A security test: no secret in the output at -vvvv (make security-matrix runs it on ansible-core 2.16 too).
@pytest.mark.security
def test_the_playbook_heals_a_failed_task_and_a_failed_group_and_the_gate_is_then_healthy(emulator, run_playbook, tmp_path):
    variables = retry_vars(emulator, tmp_path, migration_health_migration_tasks=[FAILED_TASK, DONE_TASK], migration_health_task_groups=[FAILED_GROUP])
    run = run_playbook(the_playbook(), extra_vars=variables, verbosity=4)
    assert run.rc == 0, run.output
    retry = result_of(run, 'Retry each failed migration task and task group and wait until it finishes', 'ok')
    assert retry['changed'] is True
    retried = by_id(retry['retried'])
    assert sorted(retried) == sorted([FAILED_GROUP, str(FAILED_TASK)])
    assert all(entry['outcome'] == 'succeeded' and entry['attempts'] == 1 and entry['retries_sent'] == 1 for entry in retried.values())
    assert retry['errors'] == []
    left = {(entry['id'], entry['reason']) for entry in retry['left']}
    assert left == {(str(DONE_TASK), 'not failed')}

    fact = gate_fact(tmp_path)
    assert fact['verdict'] == 'HEALTHY' and fact['healthy'] is True, fact['violations']
    assert result_of(run, 'Fail when a retry could not be done', 'skipped') is not None

    sent = writes(emulator)
    # The task was started with only its failed objects, the group retried the same way,
    # and the failed member of the group was not started on its own; nothing else was written.
    assert [(entry['route'], entry['path'].split('/')[-2]) for entry in sent] == [('retry_task_group', FAILED_GROUP), ('start_task', str(FAILED_TASK))]
    for entry in sent:
        assert entry['body']['migrate_failed_object'] is True, entry
        assert entry['body']['src_sk'] == '***' and entry['body']['dst_sk'] == '***', entry
    assert not any(str(GROUP_MEMBER) in entry['path'] for entry in sent)
    clean(run)


def test_check_mode_lists_what_it_would_retry_and_sends_no_write(emulator, run_playbook, tmp_path):
    variables = retry_vars(emulator, tmp_path, migration_health_migration_tasks='all', migration_health_task_groups='all')
    run = run_playbook(the_playbook(), extra_vars=variables, args=['--check'])
    retry = result_of(run, 'Retry each failed migration task and task group and wait until it finishes')
    retried = by_id(retry['retried'])
    assert sorted(retried) == sorted([FAILED_GROUP, str(FAILED_TASK)])
    assert {entry['outcome'] for entry in retried.values()} == {'would_retry'}
    assert all(entry['attempts'] == 0 and entry['retries_sent'] == 0 for entry in retried.values())
    # With `all`, the group's failed member is listed and left to its group.
    assert (str(GROUP_MEMBER), 'retried with its task group %s' % FAILED_GROUP) in {(entry['id'], entry['reason']) for entry in retry['left']}
    assert 'migration task 2001: would be retried (check mode)' in result_of(run, 'Show what was retried')['msg']
    assert writes(emulator) == []
    # Nothing healed: the gate (in check mode too) fails on the failed task and group.
    assert run.rc != 0
    assert result_of(run, 'Fail the gate', 'failed')['msg'].startswith('Migration health gate FAILED')
    clean(run)


def test_a_task_that_keeps_failing_over_every_round_leaves_the_gate_unhealthy(emulator, run_playbook, tmp_path):
    variables = retry_vars(emulator, tmp_path, migration_retry_attempts=2)
    create = {
        'name': 'Create a migration that fails its objects on every run',
        'hosts': 'localhost',
        'connection': 'local',
        'gather_facts': False,
        'tasks': [
            {
                'name': 'Create and wait',
                'hwcloud.migration.oms_migration_task': {
                    'src_node': {'cloud_type': 'AWS', 'region': 'us-east-1', 'bucket': 'stubborn-src', 'ak': 'RTSRCAK0001', 'sk': '{{ rt_src_sk }}'},
                    'dst_node': {'region': 'cn-north-4', 'bucket': 'stubborn-dst', 'ak': 'RTDSTAK0001', 'sk': '{{ rt_dst_sk }}'},
                    'wait': True,
                    'wait_for': 'finished',
                    'poll_interval': 0.3,
                    'wait_timeout': 60,
                },
                'module_defaults': {'hwcloud.migration.oms_migration_task': '{{ migration_health_connection }}'},
                'register': 'stubborn',
                'ignore_errors': True,
            },
            {'name': 'Select it', 'ansible.builtin.set_fact': {'stubborn_id': '{{ stubborn.migration_task.id }}'}},
        ],
    }
    retry = {
        'name': 'Retry it',
        'hosts': 'localhost',
        'connection': 'local',
        'gather_facts': False,
        'roles': [{'role': 'hwcloud.migration.migration_retry', 'vars': {'migration_health_migration_tasks': ['{{ stubborn_id }}']}}],
    }
    run = run_playbook([create, retry], extra_vars=variables)
    created = result_of(run, 'Create and wait', 'failed')
    task_id = str(created['migration_task']['id'])
    assert created['failed_num'] == 2, created

    outcome = result_of(run, 'Retry each failed migration task and task group and wait until it finishes', 'ok')
    assert outcome['changed'] is True
    (entry,) = outcome['retried']
    assert entry['id'] == task_id and entry['outcome'] == 'failed' and entry['attempts'] == 2 and entry['retries_sent'] == 2, entry
    assert entry['failed_objects'] == 2 and entry['error_reason']['error_code'].startswith('TRF.'), entry
    starts = [item for item in writes(emulator) if item['route'] == 'start_task']
    assert len(starts) == 2 and all(item['body']['migrate_failed_object'] is True for item in starts)

    assert run.rc != 0
    fact = gate_fact(tmp_path)
    assert fact['verdict'] == 'UNHEALTHY', fact
    assert any(('migration task %s' % task_id) in line and 'migration-task-status' in line for line in fact['violations']), fact['violations']
    clean(run)


# A security test: no secret in the output at -vvvv (make security-matrix runs it on ansible-core 2.16 too).
@pytest.mark.security
def test_a_retry_the_service_refuses_is_named_after_the_gate_has_run(emulator, run_playbook, tmp_path):
    # The task's own source credentials replace the common ones whole: without an SK the
    # module refuses to retry it. The group is still healed, and the gate still runs.
    variables = retry_vars(
        emulator,
        tmp_path,
        migration_health_migration_tasks=[FAILED_TASK],
        migration_health_task_groups=[FAILED_GROUP],
        migration_health_fail=False,
        migration_retry_credentials_by_id={str(FAILED_TASK): {'src': {'ak': 'RTOTHERAK01'}}},
    )
    run = run_playbook(the_playbook(), extra_vars=variables, verbosity=4)
    assert run.rc != 0
    retry = result_of(run, 'Retry each failed migration task and task group and wait until it finishes', 'failed')
    retried = by_id(retry['retried'])
    assert retried[FAILED_GROUP]['outcome'] == 'succeeded'
    assert retried[str(FAILED_TASK)]['outcome'] == 'error' and retried[str(FAILED_TASK)]['error']['step'] == 'retry'
    assert 'needs the credentials again' in retried[str(FAILED_TASK)]['error']['msg']

    fact = gate_fact(tmp_path)
    assert fact['verdict'] == 'UNHEALTHY'
    assert not any(FAILED_GROUP in line for line in fact['violations']), fact['violations']
    message = result_of(run, 'Fail when a retry could not be done', 'failed')['msg']
    assert message.startswith('1 of the retries could not be done') and 'migration task 2001 (retry)' in message, message
    assert [entry['route'] for entry in writes(emulator)] == ['retry_task_group']
    clean(run)


# A security test: no secret in the output at -vvvv (make security-matrix runs it on ansible-core 2.16 too).
@pytest.mark.security
def test_an_unknown_variable_and_a_wrong_credential_key_are_refused_before_any_request(emulator, run_playbook, tmp_path):
    variables = retry_vars(
        emulator,
        tmp_path,
        migration_health_migration_tasks=[FAILED_TASK],
        migration_retry_atempts=2,
        migration_retry_dst_credentials={'ak': 'RTDSTAK0001', 'secret': '{{ rt_other_sk }}'},
    )
    run = run_playbook(the_playbook(), extra_vars=variables, verbosity=4)
    assert run.rc != 0
    message = result_of(run, "Check the retry's variables", 'failed')['msg']
    assert message == 'migration_retry_atempts is not a variable of the migration_retry role; did you mean migration_retry_attempts?', message

    del variables['migration_retry_atempts']
    run = run_playbook(the_playbook(), extra_vars=variables, verbosity=4)
    message = result_of(run, "Check the retry's variables", 'failed')['msg']
    assert message == 'migration_retry_dst_credentials: unknown key(s) secret; the keys are ak, sk, security_token', message
    assert requests_log(emulator) == []
    clean(run)
