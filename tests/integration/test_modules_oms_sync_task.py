"""hwcloud.migration.oms_sync_task: real ansible-playbook runs against the emulator's sync-task writes."""

import json

import pytest
from migration_harness import modules_identities, start_emulator
from modules_harness import PROJECT_ID, SECRETS, requests_log, result
from test_modules_oms_migration_task import NODE_SECRETS, clean, manage, run

RUNNING, STOPPED = 'a1a1a1a1-0000-4000-8000-000000000001', 'a1a1a1a1-0000-4000-8000-000000000002'
TWIN_A, TWIN_B = 'a1a1a1a1-0000-4000-8000-000000000003', 'a1a1a1a1-0000-4000-8000-000000000004'
SYNC_ROUTES = ('create_sync_task', 'start_sync_task', 'stop_sync_task', 'delete_sync_task')
CREDENTIALS = {'src_node': {'ak': 'LCSRCAK0001', 'sk': '{{ lc_src_sk }}'}, 'dst_node': {'ak': 'LCDSTAK0001', 'sk': '{{ lc_dst_sk }}'}}


def scenario_task(task_id, status, src_bucket, dst_bucket):
    return {
        'sync_task_id': task_id, 'project_id': PROJECT_ID, 'status': status, 'src_cloud_type': 'AWS', 'src_region': 'us-east-1',
        'src_bucket': src_bucket, 'dst_region': 'cn-north-4', 'dst_bucket': dst_bucket,
    }  # fmt: skip


@pytest.fixture(scope='module', name='sync_emulator')
def sync_emulator_fixture(tmp_path_factory):
    """modules.yml's identities and four sync tasks of the project: one slot left of the tenant's five."""
    data = modules_identities()
    data['sync_tasks'] = [
        scenario_task(RUNNING, 'SYNCHRONIZING', 'live-src', 'live-dst'),
        scenario_task(STOPPED, 'STOPPED', 'paused-src', 'paused-dst'),
        scenario_task(TWIN_A, 'STOPPED', 'twin-src', 'twin-dst'),
        scenario_task(TWIN_B, 'SYNCHRONIZING', 'twin-src', 'twin-dst'),
    ]
    emulator = start_emulator(tmp_path_factory, data, 'sync-scenario')
    yield emulator
    emulator.stop()


@pytest.fixture(name='emulator')
def emulator_fixture(sync_emulator):
    sync_emulator.control('POST', 'reset')
    return sync_emulator


def sync(name, check_mode=False, diff=False, **args):
    # The migration-task test's task builder, for this module.
    entry = manage(name, check_mode=check_mode, diff=diff, **args)
    entry['hwcloud.migration.oms_sync_task'] = entry.pop('hwcloud.migration.oms_migration_task')
    return entry


def src(bucket='media-src', **extra):
    return dict({'cloud_type': 'AWS', 'region': 'us-east-1', 'bucket': bucket, 'ak': 'LCSRCAK0001', 'sk': '{{ lc_src_sk }}'}, **extra)


def dst(**extra):
    return dict({'region': 'cn-north-4', 'bucket': 'media-dst', 'ak': 'LCDSTAK0001', 'sk': '{{ lc_dst_sk }}'}, **extra)


def writes(emulator):
    return [entry for entry in requests_log(emulator) if entry['route'] in SYNC_ROUTES]


def test_create_rerun_check_mode_diff_stop_start_delete_and_waits(emulator, run_playbook):
    new = dict(src_node=src(), dst_node=dst(), description='media to OBS')
    short = dict(wait=True, poll_interval=0.3, wait_timeout=30)
    outcome = run(
        emulator,
        run_playbook,
        [
            sync('would create', check_mode=True, diff=True, **new),
            sync('create', diff=True, **new),
            sync('again', diff=True, **new),
            sync('again in check mode', check_mode=True, **new),
            sync('other storage class', dst_storage_policy='IA', **new),
            sync('stop', state='stopped', **dict(new, **short)),
            sync('stop again', state='stopped', **new),
            sync('start', state='started', **dict(new, **short)),
            sync('delete running', state='absent', **dict(new, **short)),
            sync('delete missing', state='absent', **new),
            sync('stop missing', state='stopped', **new),
            sync('start stopped without credentials', id=STOPPED, state='started'),
            sync('start stopped', id=STOPPED, state='started', **CREDENTIALS),
            sync('twins', state='absent', src_node={'cloud_type': 'AWS', 'region': 'us-east-1', 'bucket': 'twin-src'}, dst_node=dst(bucket='twin-dst')),
            sync('wait to finish', id=RUNNING, wait=True, wait_for='finished'),
            sync('object keys', src_node=src(object_key=['2024/']), dst_node=dst()),
        ],
        verbosity=4,  # the recorded results keep the diff from -vvv on; no secret may show at -vvvv
    )
    would = result(outcome, 'would create')
    assert would['changed'] is True and would['sync_task'] is None
    assert [(a['call'], a['sent']) for a in would['actions']] == [('CreateSyncTask', False)]
    assert would['diff']['before'] == {} and would['diff']['after']['src_node'] == {'cloud_type': 'AWS', 'region': 'us-east-1', 'bucket': 'media-src'}

    created = result(outcome, 'create')
    task_id = created['sync_task']['sync_task_id']
    assert created['changed'] is True and created['actions'][0]['sync_task_id'] == task_id and created['actions'][0]['status'] == 200
    assert created['sync_task']['status'] == 'SYNCHRONIZING' and created['sync_task']['summary'] == {'status_name': 'synchronizing', 'active': True}
    assert created['sync_task']['src_bucket'] == 'media-src' and 'monthly_acceptance_request' in created['sync_task']
    assert created['diff']['after']['description'] == 'media to OBS' and created['diff']['after']['dst_node']['bucket'] == 'media-dst'

    again = result(outcome, 'again')
    assert again['changed'] is False and again['actions'] == [] and again['sync_task']['sync_task_id'] == task_id
    assert again['diff']['before'] == again['diff']['after']
    assert result(outcome, 'again in check mode')['changed'] is False

    other = result(outcome, 'other storage class', 'failed')
    assert 'dst_storage_policy' in other['msg'] and 'recreate it (state: absent, then state: present)' in other['msg'] and other['actions'] == []

    stopped = result(outcome, 'stop')
    assert [a['call'] for a in stopped['actions']] == ['StopSyncTask'] and stopped['sync_task']['status'] == 'STOPPED'
    assert result(outcome, 'stop again')['changed'] is False
    started = result(outcome, 'start')
    assert [a['call'] for a in started['actions']] == ['StartSyncTask'] and started['sync_task']['status'] == 'SYNCHRONIZING'

    deleted = result(outcome, 'delete running')
    assert [a['call'] for a in deleted['actions']] == ['StopSyncTask', 'DeleteSyncTask'] and deleted['sync_task'] is None
    missing = result(outcome, 'delete missing')
    assert missing['changed'] is False and missing['actions'] == [] and missing['sync_task'] is None
    assert 'state stopped does not create one' in result(outcome, 'stop missing', 'failed')['msg']

    refused = result(outcome, 'start stopped without credentials', 'failed')
    assert 'dst_node.ak and dst_node.sk' in refused['msg'] and refused['actions'] == []
    assert result(outcome, 'start stopped')['sync_task']['status'] == 'SYNCHRONIZING'

    twins = result(outcome, 'twins', 'failed')
    assert sorted(twins['matching_ids']) == sorted([TWIN_A, TWIN_B]) and TWIN_A in twins['msg'] and twins['actions'] == []
    assert 'a sync task runs until it is stopped' in result(outcome, 'wait to finish', 'failed')['msg']
    assert 'src_node.object_key: a sync task has no such field' in result(outcome, 'object keys', 'failed')['msg']

    sent = writes(emulator)
    # One create: check mode, the re-runs and the refused options wrote nothing.
    routes = ['create_sync_task', 'stop_sync_task', 'start_sync_task', 'stop_sync_task', 'delete_sync_task', 'start_sync_task']
    assert [entry['route'] for entry in sent] == routes
    body = sent[0]['body']
    assert body['src_sk'] == body['dst_sk'] == '***' and body['src_bucket'] == 'media-src' and body['description'] == 'media to OBS'
    assert sent[2]['body']['src_sk'] == sent[2]['body']['dst_sk'] == '***'
    clean(outcome)
    for secret in list(NODE_SECRETS.values()) + list(SECRETS):
        assert secret not in json.dumps(requests_log(emulator))


def test_the_service_answers_when_the_state_moved_and_a_refusal(emulator, run_playbook):
    def fault(route, code, times, status=400):
        emulator.control('POST', 'faults', {'route': route, 'kind': 'error', 'status': status, 'error_code': code, 'error_msg': code, 'times': times})

    fault('stop_sync_task', 'OMS.0066', 1)
    fault('start_sync_task', 'OMS.0063', 2)
    fault('delete_sync_task', 'OMS.1009', 1)
    fault('create_sync_task', 'OMS.2004', 1, status=503)
    outcome = run(
        emulator,
        run_playbook,
        [
            sync('create answered 503', src_node=src(), dst_node=dst()),
            sync('stop answered not running', id=RUNNING, state='stopped'),
            sync('start answered in progress', id=STOPPED, state='started', poll_interval=0.3, **CREDENTIALS),
            sync('delete answered gone', id=TWIN_A, state='absent'),
            sync('bad id', id='..', state='absent'),
        ],
        verbosity=4,
    )
    # A create may have arrived before a 5xx: it is not sent again (a second one could make a second task).
    failed_create = result(outcome, 'create answered 503', 'failed')
    assert failed_create['status'] == 503 and failed_create['error_code'] == 'OMS.2004' and failed_create['actions'][0]['result'] == 'failed'
    assert [entry['route'] for entry in requests_log(emulator)].count('create_sync_task') == 1
    stop = result(outcome, 'stop answered not running')
    assert [(a['call'], a['error_code'], a['result']) for a in stop['actions']] == [('StopSyncTask', 'OMS.0066', 'already not running (OMS.0066)')]
    start = result(outcome, 'start answered in progress')
    assert start['actions'][0]['resends'] == 2 and start['sync_task']['status'] == 'SYNCHRONIZING'
    delete = result(outcome, 'delete answered gone')
    assert delete['actions'][0]['result'] == 'already deleted (OMS.1009)'

    # TWIN_A is still there (the delete was answered by the fault) and STOPPED: a refused start reports the service's answer.
    emulator.control('POST', 'faults', {'route': 'start_sync_task', 'kind': 'error', 'status': 400, 'error_code': 'OMS.0001', 'error_msg': 'wrong state'})
    refused = run(emulator, run_playbook, [sync('start refused', id=TWIN_A, state='started', **CREDENTIALS)])
    failure = result(refused, 'start refused', 'failed')
    assert failure['status'] == 400 and failure['error_code'] == 'OMS.0001' and failure['request_id'], failure
    assert 'Could not start sync task %s' % TWIN_A in failure['msg'] and failure['changed'] is False
    assert failure['sync_task']['status'] == 'STOPPED' and failure['actions'][0]['result'] == 'failed'
    assert "id must be a sync task id: sync_task_id must not be '..'" in result(outcome, 'bad id', 'failed')['msg']
    clean(outcome)
    clean(refused)
