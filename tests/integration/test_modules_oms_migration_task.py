"""hwcloud.migration.oms_migration_task: real ansible-playbook runs against the emulator's OMS writes."""

import json

import pytest
import yaml
from conftest import SCENARIOS
from migration_harness import modules_identities, start_emulator
from modules_harness import SECRET_VARS, SECRETS, assert_clean_output, connection, playbook, requests_log, result, task

MODULE = 'oms_migration_task'
RUNNING, FAILED, STOPPED, SUCCEEDED, TWIN_A, TWIN_B = 1001, 1002, 1003, 1004, 1005, 1006
SRC_SK, SRC_TOKEN, DST_SK = 'lifecycle-src-secret-key-0001', 'lifecycle-src-security-token-0001', 'lifecycle-dst-secret-key-0001'
NODE_SECRETS = {'lc_src_sk': SRC_SK, 'lc_src_token': SRC_TOKEN, 'lc_dst_sk': DST_SK}
WRITE_ROUTES = ('create_task', 'start_task', 'stop_task', 'delete_task', 'update_bandwidth_policy')


@pytest.fixture(scope='module', name='lifecycle_emulator')
def lifecycle_emulator_fixture(tmp_path_factory):
    """One emulator for the file: modules.yml's identities and lifecycle.yml's tasks and sources."""
    data = modules_identities()
    with open(str(SCENARIOS / 'lifecycle.yml'), encoding='utf-8') as handle:
        data.update(yaml.safe_load(handle))
    emulator = start_emulator(tmp_path_factory, data, 'lifecycle-scenario')
    yield emulator
    emulator.stop()


@pytest.fixture(name='emulator')
def emulator_fixture(lifecycle_emulator):
    lifecycle_emulator.control('POST', 'reset')
    return lifecycle_emulator


def src(bucket='photos-src', **extra):
    node = {'cloud_type': 'AWS', 'region': 'us-east-1', 'bucket': bucket, 'object_key': ['2024/'], 'ak': 'LCSRCAK0001'}
    node.update(sk='{{ lc_src_sk }}', security_token='{{ lc_src_token }}')
    node.update(extra)
    return node


def dst(**extra):
    node = {'region': 'cn-north-4', 'bucket': 'photos-dst', 'save_prefix': 'aws/', 'ak': 'LCDSTAK0001', 'sk': '{{ lc_dst_sk }}'}
    node.update(extra)
    return node


def credentials_only():
    return {'src_node': {'ak': 'LCSRCAK0001', 'sk': '{{ lc_src_sk }}'}, 'dst_node': {'ak': 'LCDSTAK0001', 'sk': '{{ lc_dst_sk }}'}}


def manage(name, check_mode=False, diff=False, **args):
    entry = task(name, MODULE, **args)
    if check_mode:
        entry['check_mode'] = True
    if diff:
        entry['diff'] = True
    return entry


def run(emulator, run_playbook, tasks, verbosity=0):
    variables = dict(SECRET_VARS, **NODE_SECRETS)
    return run_playbook(playbook(tasks, module_defaults=connection(emulator)), extra_vars=variables, verbosity=verbosity)


def writes(emulator, routes=WRITE_ROUTES):
    return [entry for entry in requests_log(emulator) if entry['route'] in routes]


def clean(run_result):
    assert_clean_output(run_result)
    for secret in NODE_SECRETS.values():
        assert secret not in run_result.output


def test_create_check_mode_diff_idempotent_rerun_and_settings(emulator, run_playbook):
    new = dict(task_type='prefix', src_node=src(), dst_node=dst(), description='photos to OBS')
    policy = [{'start': '00:00', 'end': '06:00', 'max_bandwidth': 104857600}]
    outcome = run(
        emulator,
        run_playbook,
        [
            manage('would create', check_mode=True, diff=True, task_priority='HIGH', **new),
            manage('create', diff=True, bandwidth_policy=policy, task_priority='HIGH', **new),
            manage('again', diff=True, bandwidth_policy=policy, task_priority='HIGH', **new),
            manage('again in check mode', check_mode=True, task_priority='HIGH', **new),
            manage('new bandwidth', bandwidth_policy=[{'start': '01:00', 'end': '05:00', 'max_bandwidth': 52428800}], task_priority='HIGH', **new),
            manage('new priority', task_priority='LOW', **new),
        ],
        verbosity=4,
    )
    would = result(outcome, 'would create')
    assert would['changed'] is True and would['migration_task'] is None
    assert [(a['call'], a['sent'], a['result']) for a in would['actions']] == [('CreateTask', False, 'would be sent (check mode)')]
    assert would['diff']['before'] == {} and would['diff']['after']['src_node']['bucket'] == 'photos-src'

    created = result(outcome, 'create')
    task_id = created['migration_task']['id']
    assert created['changed'] is True and created['migration_task']['status'] == 2
    assert created['migration_task']['summary']['status_name'] == 'executing'
    assert created['actions'][0]['call'] == 'CreateTask' and created['actions'][0]['id'] == task_id and created['actions'][0]['status'] == 200
    assert created['diff']['after']['description'] == 'photos to OBS' and created['diff']['after']['task_priority'] == 'HIGH'
    assert created['diff']['after']['bandwidth_policy'] == policy and created['diff']['after']['dst_node']['save_prefix'] == 'aws/'

    again = result(outcome, 'again')
    assert again['changed'] is False and again['actions'] == [] and again['migration_task']['id'] == task_id
    assert again['diff']['before'] == again['diff']['after']
    assert result(outcome, 'again in check mode')['changed'] is False

    bandwidth = result(outcome, 'new bandwidth')
    assert bandwidth['changed'] is True and [a['call'] for a in bandwidth['actions']] == ['UpdateBandwidthPolicy']
    assert bandwidth['migration_task']['bandwidth_policy'] == [{'start': '01:00', 'end': '05:00', 'max_bandwidth': 52428800}]

    priority = result(outcome, 'new priority', 'failed')
    assert 'task_priority' in priority['msg'] and 'recreate it (state: absent, then state: present)' in priority['msg'], priority['msg']
    assert priority['changed'] is False and priority['actions'] == []

    # One create and one update were sent: check mode and the re-runs wrote nothing.
    sent = writes(emulator)
    assert [entry['route'] for entry in sent] == ['create_task', 'update_bandwidth_policy']
    body = sent[0]['body']
    assert body['src_node']['sk'] == body['src_node']['security_token'] == body['dst_node']['sk'] == '***'
    assert body['src_node']['object_key'] == ['2024/'] and body['task_type'] == 'prefix' and body['bandwidth_policy'] == policy
    assert 'smn_config' not in body and 'migrate_since' not in body  # unset settings are not sent
    clean(outcome)
    for secret in list(NODE_SECRETS.values()) + list(SECRETS):
        assert secret not in json.dumps(requests_log(emulator))


def test_start_stop_retry_and_delete(emulator, run_playbook):
    outcome = run(
        emulator,
        run_playbook,
        [
            manage('stop running', id=RUNNING, state='stopped', wait=True, poll_interval=0.3, wait_timeout=30),
            manage('stop again', id=RUNNING, state='stopped'),
            manage('start without credentials', id=RUNNING, state='started'),
            manage('start stopped', id=RUNNING, state='started', wait=True, poll_interval=0.3, wait_timeout=30, **credentials_only()),
            manage('retry failed objects', id=FAILED, state='started', **credentials_only()),
            manage('leave succeeded', id=SUCCEEDED, state='started', **credentials_only()),
            manage('stop succeeded', id=SUCCEEDED, state='stopped'),
            manage('delete running', id=RUNNING, state='absent', poll_interval=0.3, wait_timeout=30),
            manage('delete it again', id=RUNNING, state='absent'),
            manage('delete stopped', id=STOPPED, state='absent', wait=True, poll_interval=0.3),
            manage('stop missing', id=RUNNING, state='stopped'),
        ],
    )
    stopped = result(outcome, 'stop running')
    assert stopped['changed'] is True and stopped['migration_task']['status'] == 3 and [a['call'] for a in stopped['actions']] == ['StopTask']
    assert result(outcome, 'stop again')['changed'] is False and result(outcome, 'stop again')['actions'] == []

    refused = result(outcome, 'start without credentials', 'failed')
    assert 'dst_node.ak and dst_node.sk' in refused['msg'] and refused['actions'] == [] and refused['changed'] is False

    started = result(outcome, 'start stopped')
    assert started['changed'] is True and started['migration_task']['status'] == 2

    retried = result(outcome, 'retry failed objects')
    assert retried['changed'] is True and retried['migration_task']['status'] == 6 and retried['migration_task']['error_reason'] is None

    for name in ('leave succeeded', 'stop succeeded', 'delete it again'):
        assert result(outcome, name)['changed'] is False and result(outcome, name)['actions'] == [], name

    deleted = result(outcome, 'delete running')
    assert deleted['changed'] is True and deleted['migration_task'] is None
    assert [a['call'] for a in deleted['actions']] == ['StopTask', 'DeleteTask'] and deleted['actions'][1]['resends'] >= 1  # refused while pausing
    assert result(outcome, 'delete stopped')['changed'] is True

    missing = result(outcome, 'stop missing', 'failed')
    assert 'state stopped does not create one' in missing['msg']

    starts = [entry for entry in writes(emulator) if entry['route'] == 'start_task']
    assert [entry['path'].rsplit('/', 2)[1] for entry in starts] == [str(RUNNING), str(FAILED)]
    assert starts[0]['body']['migrate_failed_object'] is False and starts[1]['body']['migrate_failed_object'] is True
    assert starts[1]['body']['src_sk'] == starts[1]['body']['dst_sk'] == '***'
    delete_statuses = [entry['status'] for entry in writes(emulator) if entry['route'] == 'delete_task']
    assert delete_statuses[0] == 400 and delete_statuses[-2:] == [200, 200]  # OMS.0063 while pausing, then deleted; then the stopped one
    clean(outcome)


def test_waits_for_finished_and_a_task_that_ends_failed(emulator, run_playbook):
    wait = dict(wait=True, wait_for='finished', poll_interval=0.5)
    outcome = run(
        emulator,
        run_playbook,
        [
            manage('quick', src_node=src('quick-src'), dst_node=dst(), wait_timeout=60, **wait),
            manage('flaky', src_node=src('flaky-src'), dst_node=dst(), wait_timeout=60, **wait),
            manage('settled', src_node=src('slow-src'), dst_node=dst(), wait=True, poll_interval=0.5),
            manage('too short', id=RUNNING, state='started', wait_timeout=1, **wait),
        ],
    )
    quick = result(outcome, 'quick')
    assert quick['changed'] is True and quick['migration_task']['status'] == 5 and quick['migration_task']['summary']['percent'] == 100

    flaky = result(outcome, 'flaky', 'failed')
    assert flaky['migration_task']['status'] == 4 and flaky['failed_num'] == 3 and flaky['error_reason']['error_code'] == 'TRF.0062'
    assert 'TRF.0062' in flaky['msg'] and '3 objects failed' in flaky['msg'] and flaky['changed'] is True

    assert result(outcome, 'settled')['migration_task']['status'] == 2
    timed_out = result(outcome, 'too short', 'failed')
    assert timed_out['timed_out'] is True and timed_out['migration_task']['id'] == RUNNING and 'Timed out after 1 s' in timed_out['msg']
    clean(outcome)


def test_identity_and_the_service_answers_when_the_state_moved(emulator, run_playbook):
    emulator.control('POST', 'faults', {'route': 'stop_task', 'kind': 'error', 'status': 400, 'error_code': 'OMS.0066', 'error_msg': 'not running', 'times': 1})
    emulator.control('POST', 'faults', {'route': 'start_task', 'kind': 'error', 'status': 400, 'error_code': 'OMS.0063', 'error_msg': 'busy', 'times': 2})
    emulator.control('POST', 'faults', {'route': 'delete_task', 'kind': 'error', 'status': 400, 'error_code': 'OMS.1009', 'error_msg': 'gone', 'times': 1})
    twins = dict(task_type='prefix', src_node={'bucket': 'twin-src', 'region': 'cn-hangzhou'}, dst_node={'bucket': 'twin-dst', 'region': 'cn-north-4'})
    outcome = run(
        emulator,
        run_playbook,
        [
            manage('twins', state='absent', **twins),
            manage('stop answered not running', id=RUNNING, state='stopped'),
            manage('start answered in progress', id=STOPPED, state='started', poll_interval=0.3, **credentials_only()),
            manage('delete answered gone', id=SUCCEEDED, state='absent'),
            manage('bad id', id='12x', state='absent'),
            manage('bad window', id=RUNNING, bandwidth_policy=[{'start': '25:00', 'end': '06:00', 'max_bandwidth': 104857600}]),
        ],
    )
    twin = result(outcome, 'twins', 'failed')
    assert twin['matching_ids'] == [TWIN_B, TWIN_A] and '1006, 1005' in twin['msg'] and twin['actions'] == []

    stop = result(outcome, 'stop answered not running')
    assert [(a['call'], a['error_code'], a['result']) for a in stop['actions']] == [('StopTask', 'OMS.0066', 'already not running (OMS.0066)')]

    start = result(outcome, 'start answered in progress')
    assert start['actions'][0]['resends'] == 2 and start['actions'][0]['status'] == 200 and start['migration_task']['status'] == 2

    delete = result(outcome, 'delete answered gone')
    assert delete['actions'][0]['result'] == 'already deleted (OMS.1009)' and delete['changed'] is True

    assert 'id must be a migration task id' in result(outcome, 'bad id', 'failed')['msg']
    assert 'bandwidth_policy[0].start must be hh:mm' in result(outcome, 'bad window', 'failed')['msg']
    assert [entry['route'] for entry in writes(emulator)] == ['stop_task', 'start_task', 'start_task', 'start_task', 'delete_task']
    clean(outcome)
