"""The official SDK's create_task, start_task, stop_task, delete_task and update_bandwidth_policy against the emulator.

The SDK builds the paths, methods and bodies, so these tests hold the emulator's
write routes to the SDK's idea of the API; the lifecycle after a write is read
through the SDK's show_task and, for later instants, from the emulator's state
at a chosen clock (no test waits for wall time).
"""

import json

import pytest
from conftest import PROJECT, signed_request
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkoms.v2 import (
    BandwidthPolicyDto,
    CreateTaskReq,
    CreateTaskRequest,
    DeleteTaskRequest,
    DstNodeReq,
    ShowTaskRequest,
    SrcNodeReq,
    StartTaskReq,
    StartTaskRequest,
    StopTaskRequest,
    UpdateBandwidthPolicyReq,
    UpdateBandwidthPolicyRequest,
)
from test_migration import migration_scenario
from test_sdk import client

from hwc_emulator import writes

DAY = 86400000
SRC_AK, SRC_SK, SRC_TOKEN = 'SRCAKWRITES0001', 'src-secret-key-writes-0001', 'src-token-writes-0001'
DST_AK, DST_SK = 'DSTAKWRITES0001', 'dst-secret-key-writes-0001'
SECRETS = (SRC_SK, SRC_TOKEN, DST_SK, SRC_AK, DST_AK)
FAILED, SUCCEEDED, RUNNING = 1003, 1002, 1001


@pytest.fixture
def wemu(start_emulator):
    settings = {
        'pause_duration': '1h',
        'new_task': {'total_size': 10 * 1024**3, 'total_num': 2000, 'migrate_speed': 1024**2},
        'sources': {'flaky-src': {'total_size': 4096, 'total_num': 4, 'migrate_speed': 1024, 'failed_objects': 2}},
    }
    return start_emulator(migration_scenario(migration=settings))


def create_request(bucket='photos-src', **settings):
    src = SrcNodeReq(cloud_type='AWS', region='us-east-1', ak=SRC_AK, sk=SRC_SK, security_token=SRC_TOKEN, bucket=bucket, object_key=['2024/'])
    dst = DstNodeReq(ak=DST_AK, sk=DST_SK, bucket='photos-dst', region='cn-north-4', save_prefix='aws/')
    body = CreateTaskReq(task_type='prefix', src_node=src, dst_node=dst, **settings)
    return CreateTaskRequest(body=body)


def refused(call, status=400):
    with pytest.raises(ClientRequestException) as info:
        call()
    assert info.value.status_code == status
    return info.value.error_code, info.value.error_msg


def logged(wemu, route):
    return [entry for entry in wemu.emulator.request_log if entry['route'] == route]


def test_create_task_starts_by_itself_and_shows_its_settings(wemu):
    oms = client(wemu.url)
    created = oms.create_task(
        create_request(
            description='photos to OBS',
            bandwidth_policy=[BandwidthPolicyDto(start='00:00', end='06:00', max_bandwidth=104857600)],
            enable_metadata_migration=True,
            object_overwrite_mode='NO_OVERWRITE',
            consistency_check='crc64',
            dst_storage_policy='IA',
            task_priority='HIGH',
            migrate_since=1700000000,
        )
    )
    assert isinstance(created.id, int) and created.task_name
    shown = oms.show_task(ShowTaskRequest(task_id=created.id))
    assert shown.name == created.task_name and shown.status == 2 and shown.task_type == 'prefix'
    assert shown.src_node.bucket == 'photos-src' and shown.src_node.cloud_type == 'AWS' and shown.src_node.object_key == ['2024/']
    assert shown.dst_node.bucket == 'photos-dst' and shown.dst_node.save_prefix == 'aws/'
    assert [(w.start, w.end, w.max_bandwidth) for w in shown.bandwidth_policy] == [('00:00', '06:00', 104857600)]
    assert shown.enable_metadata_migration is True and shown.object_overwrite_mode == 'NO_OVERWRITE'
    assert shown.consistency_check == 'crc64' and shown.dst_storage_policy == 'IA' and shown.task_priority == 'HIGH'
    assert shown.migrate_since == 1700000000 and shown.description == 'photos to OBS'
    assert not any(secret in shown.raw_content.decode() for secret in SECRETS)
    # It progresses with the clock like a scenario task: 10 GiB at 1 MiB/s.
    task = wemu.state.migration.task(PROJECT, created.id)
    assert task.body(task.start_ms + 1000)['complete_size'] == 1024**2
    assert task.body(task.start_ms + 20000 * 1000)['status'] == 5
    # The request log keeps the body with every credential redacted.
    [entry] = logged(wemu, 'create_task')
    assert entry['method'] == 'POST' and entry['path'] == '/v2/%s/tasks' % PROJECT and entry['status'] == 200
    assert entry['body']['src_node']['sk'] == entry['body']['src_node']['ak'] == writes.REDACTED
    assert entry['body']['src_node']['security_token'] == entry['body']['dst_node']['sk'] == writes.REDACTED
    assert entry['body']['src_node']['bucket'] == 'photos-src'
    assert not any(secret in json.dumps(list(wemu.emulator.request_log)) for secret in SECRETS)


def test_a_source_profile_makes_the_new_task_fail_with_failed_objects(wemu):
    oms = client(wemu.url)
    created = oms.create_task(create_request(bucket='flaky-src'))
    task = wemu.state.migration.task(PROJECT, created.id)
    ended = task.body(task.start_ms + DAY)
    assert ended['status'] == 4 and ended['failed_num'] == 2 and ended['error_reason']['error_code'] == 'TRF.0062'


def test_stop_pauses_then_stops_and_wrong_states_answer_the_service_codes(wemu):
    oms = client(wemu.url)
    oms.stop_task(StopTaskRequest(task_id=RUNNING))
    assert oms.show_task(ShowTaskRequest(task_id=RUNNING)).status == 7
    task = wemu.state.migration.task(PROJECT, RUNNING)
    later = task.body(task.halt_ms + 2 * 3600000)
    assert later['status'] == 3 and later['complete_size'] == task.body(task.halt_ms)['complete_size']
    assert refused(lambda: oms.start_task(StartTaskRequest(task_id=RUNNING, body=StartTaskReq())))[0] == 'OMS.0063'
    assert refused(lambda: oms.delete_task(DeleteTaskRequest(task_id=RUNNING)))[0] == 'OMS.0063'
    assert refused(lambda: oms.stop_task(StopTaskRequest(task_id=SUCCEEDED)))[0] == 'OMS.0066'
    assert refused(lambda: oms.start_task(StartTaskRequest(task_id=SUCCEEDED, body=StartTaskReq())))[0] == 'OMS.0001'
    assert refused(lambda: oms.stop_task(StopTaskRequest(task_id=424242)))[0] == 'OMS.1009'


def test_a_stopped_task_resumes_where_it_stopped(start_emulator):
    wemu = start_emulator(migration_scenario(migration={'pause_duration': 0}))
    oms = client(wemu.url)
    oms.stop_task(StopTaskRequest(task_id=RUNNING))
    stopped = oms.show_task(ShowTaskRequest(task_id=RUNNING))
    assert stopped.status == 3 and stopped.migrate_speed == 0
    assert refused(lambda: oms.stop_task(StopTaskRequest(task_id=RUNNING)))[0] == 'OMS.0066'
    oms.start_task(StartTaskRequest(task_id=RUNNING, body=StartTaskReq(src_ak=SRC_AK, src_sk=SRC_SK, dst_ak=DST_AK, dst_sk=DST_SK)))
    resumed = oms.show_task(ShowTaskRequest(task_id=RUNNING))
    assert resumed.status == 2 and resumed.complete_size >= stopped.complete_size > 0
    [entry] = logged(wemu, 'start_task')
    assert entry['body'] == {'src_ak': '***', 'src_sk': '***', 'dst_ak': '***', 'dst_sk': '***'}


def test_a_failed_task_retries_only_its_failed_objects_and_then_succeeds(wemu):
    oms = client(wemu.url)
    failed = oms.show_task(ShowTaskRequest(task_id=FAILED))
    assert failed.status == 4 and failed.failed_num > 0
    oms.start_task(StartTaskRequest(task_id=FAILED, body=StartTaskReq(src_ak=SRC_AK, src_sk=SRC_SK, dst_ak=DST_AK, dst_sk=DST_SK, migrate_failed_object=True)))
    retrying = oms.show_task(ShowTaskRequest(task_id=FAILED))
    assert retrying.status == 6 and retrying.error_reason is None
    assert 0 < failed.complete_size - retrying.complete_size < failed.total_size // 1000
    task = wemu.state.migration.task(PROJECT, FAILED)
    done = task.body(task.start_ms + 365 * DAY)
    assert done['status'] == 5 and done['failed_num'] == 0
    assert logged(wemu, 'start_task')[0]['body']['migrate_failed_object'] is True


def test_a_failed_task_started_in_full_migrates_everything_again(wemu):
    oms = client(wemu.url)
    oms.start_task(StartTaskRequest(task_id=FAILED, body=StartTaskReq(src_ak=SRC_AK, src_sk=SRC_SK, dst_ak=DST_AK, dst_sk=DST_SK)))
    restarted = oms.show_task(ShowTaskRequest(task_id=FAILED))
    assert restarted.status == 2 and restarted.complete_size < failed_size(wemu)


def failed_size(wemu):
    return wemu.state.migration.task(PROJECT, FAILED).total_size


def test_delete_a_failed_task_then_it_is_missing(wemu):
    oms = client(wemu.url)
    oms.delete_task(DeleteTaskRequest(task_id=FAILED))
    assert refused(lambda: oms.show_task(ShowTaskRequest(task_id=FAILED)))[0] == 'OMS.1009'
    assert refused(lambda: oms.delete_task(DeleteTaskRequest(task_id=FAILED)))[0] == 'OMS.1009'
    assert [entry['status'] for entry in logged(wemu, 'delete_task')] == [200, 400]
    assert wemu.emulator.health()['migration_tasks'] == 9  # of 10, p-east's included


def test_update_bandwidth_policy_in_place_and_its_limits(wemu):
    oms = client(wemu.url)

    def update(task_id, *windows):
        body = UpdateBandwidthPolicyReq(bandwidth_policy=[BandwidthPolicyDto(start=s, end=e, max_bandwidth=b) for s, e, b in windows])
        return oms.update_bandwidth_policy(UpdateBandwidthPolicyRequest(task_id=task_id, body=body))

    update(RUNNING, ('01:00', '02:00', 2097152), ('22:00', '23:30', 209715200))
    shown = oms.show_task(ShowTaskRequest(task_id=RUNNING))
    assert [(w.start, w.end, w.max_bandwidth) for w in shown.bandwidth_policy] == [('01:00', '02:00', 2097152), ('22:00', '23:30', 209715200)]
    assert refused(lambda: update(RUNNING, *[('%02d:00' % h, '%02d:30' % h, 2097152) for h in range(6)]))[0] == 'OMS.1003'
    assert refused(lambda: update(RUNNING, ('1:00', '02:00', 2097152)))[0] == 'OMS.0002'
    assert refused(lambda: update(RUNNING, ('01:00', '02:00', 1024)))[0] == 'OMS.1003'
    assert refused(lambda: update(RUNNING, ('01:00', '03:00', 2097152), ('02:00', '04:00', 2097152)))[0] == 'OMS.1003'
    assert refused(lambda: update(SUCCEEDED, ('01:00', '02:00', 2097152)))[0] == 'OMS.0001'
    assert [entry['method'] for entry in logged(wemu, 'update_bandwidth_policy')] == ['PUT'] * 6


def test_create_refuses_missing_wrong_and_unknown_fields(wemu):
    oms = client(wemu.url)
    no_destination = CreateTaskRequest(body=CreateTaskReq(src_node=SrcNodeReq(region='r', ak='a', sk='s', bucket='b')))
    assert refused(lambda: oms.create_task(no_destination))[0] == 'OMS.1004'
    assert refused(lambda: oms.create_task(create_request(task_priority='URGENT')))[0] == 'OMS.0002'
    assert refused(lambda: oms.create_task(create_request(description='a<b')))[0] == 'OMS.0002'
    body = json.dumps({'src_node': {}, 'dst_node': {}, 'name': 'mine'})
    answer = signed_request(wemu.session, wemu.url, 'POST', '/v2/%s/tasks' % PROJECT, body=body)
    assert answer.status_code == 400 and answer.json()['error_code'] == 'OMS.0001' and 'name' in answer.json()['error_msg']
    assert wemu.emulator.health()['migration_tasks'] == 10  # nothing was created
