"""The official SDK's create_sync_task, start_sync_task, stop_sync_task and delete_sync_task against the emulator.

The SDK builds the paths, methods and bodies; what a write did is read back
through the SDK's show_sync_task, list_sync_tasks and list_sync_task_statistic,
as a scenario task would be.
"""

import json
import time

from huaweicloudsdkoms.v2 import (
    CreateSyncTaskReq,
    CreateSyncTaskRequest,
    DeleteSyncTaskRequest,
    ListSyncTasksRequest,
    ListSyncTaskStatisticRequest,
    ShowSyncTaskRequest,
    StartSyncTaskReq,
    StartSyncTaskRequest,
    StopSyncTaskRequest,
)
from test_sdk import client
from test_sdk_writes import DST_AK, DST_SK, SRC_AK, SRC_SK, logged, refused

SECRETS = (SRC_AK, SRC_SK, DST_AK, DST_SK)


def now_ms():
    return int(time.time() * 1000)


def create(oms, bucket='media', **settings):
    body = CreateSyncTaskReq(
        src_cloud_type='AWS', src_region='us-east-1', src_bucket=bucket, src_ak=SRC_AK, src_sk=SRC_SK,
        dst_ak=DST_AK, dst_sk=DST_SK, dst_region='cn-north-4', dst_bucket='media-obs', **settings,
    )  # fmt: skip
    return oms.create_sync_task(CreateSyncTaskRequest(body=body)).sync_task_id


def show(oms, task_id):
    return oms.show_sync_task(ShowSyncTaskRequest(sync_task_id=task_id, query_time=now_ms()))


def credentials():
    return StartSyncTaskReq(src_ak=SRC_AK, src_sk=SRC_SK, dst_ak=DST_AK, dst_sk=DST_SK)


def test_a_created_sync_task_synchronizes_stops_starts_and_is_deleted(emu):
    oms = client(emu.url)
    task_id = create(oms, description='media to OBS', dst_storage_policy='IA', enable_restore=True, consistency_check='transmission')
    shown = show(oms, task_id)
    assert shown.status == 'SYNCHRONIZING' and shown.src_cloud_type == 'AWS' and shown.src_bucket == 'media' and shown.dst_bucket == 'media-obs'
    assert shown.description == 'media to OBS' and shown.dst_storage_policy == 'IA' and shown.enable_restore is True
    assert shown.consistency_check == 'no_check'  # ShowSyncTask's name of the check CreateSyncTask calls transmission
    assert task_id in [task.sync_task_id for task in oms.list_sync_tasks(ListSyncTasksRequest(limit=100)).tasks]
    statistics = oms.list_sync_task_statistic(
        ListSyncTaskStatisticRequest(sync_task_id=task_id, data_type='REQUEST', start_time=now_ms() - 3600000, end_time=now_ms())
    )
    assert statistics.sync_task_id == task_id

    assert refused(lambda: oms.start_sync_task(StartSyncTaskRequest(sync_task_id=task_id, body=credentials())))[0] == 'OMS.0001'
    assert refused(lambda: oms.delete_sync_task(DeleteSyncTaskRequest(sync_task_id=task_id)))[0] == 'OMS.0063'
    oms.stop_sync_task(StopSyncTaskRequest(sync_task_id=task_id))
    assert show(oms, task_id).status == 'STOPPED'
    stopped = [task.sync_task_id for task in oms.list_sync_tasks(ListSyncTasksRequest(status='STOPPED', limit=100)).tasks]
    assert task_id in stopped
    assert refused(lambda: oms.stop_sync_task(StopSyncTaskRequest(sync_task_id=task_id)))[0] == 'OMS.0066'
    oms.start_sync_task(StartSyncTaskRequest(sync_task_id=task_id, body=credentials()))
    assert show(oms, task_id).status == 'SYNCHRONIZING'

    oms.stop_sync_task(StopSyncTaskRequest(sync_task_id=task_id))
    oms.delete_sync_task(DeleteSyncTaskRequest(sync_task_id=task_id))
    assert refused(lambda: show(oms, task_id), status=404)[0] == 'OMS.1009'
    assert refused(lambda: oms.delete_sync_task(DeleteSyncTaskRequest(sync_task_id=task_id)), status=404)[0] == 'OMS.1009'

    [created] = logged(emu, 'create_sync_task')
    assert created['method'] == 'POST' and created['path'] == '/v2/p-north/sync-tasks'
    assert created['body']['src_sk'] == created['body']['dst_ak'] == '***' and created['body']['src_bucket'] == 'media'
    starts = logged(emu, 'start_sync_task')
    assert [entry['status'] for entry in starts] == [400, 200] and starts[1]['body']['dst_sk'] == '***'
    assert [entry['method'] for entry in logged(emu, 'delete_sync_task')] == ['DELETE', 'DELETE', 'DELETE']
    assert not any(secret in json.dumps(list(emu.emulator.request_log)) for secret in SECRETS)


def test_bodies_are_checked_and_a_tenant_has_at_most_five_sync_tasks(emu):
    oms = client(emu.url)
    no_credentials = CreateSyncTaskReq(src_region='r', src_bucket='b', dst_region='cn-north-4', dst_bucket='d')
    assert refused(lambda: oms.create_sync_task(CreateSyncTaskRequest(body=no_credentials)))[0] == 'OMS.1004'
    assert refused(lambda: create(oms, description='a (b)'))[0] == 'OMS.0002'
    assert refused(lambda: oms.start_sync_task(StartSyncTaskRequest(sync_task_id='task-stopped', body=StartSyncTaskReq(src_ak=SRC_AK))))[0] == 'OMS.1004'
    assert refused(lambda: oms.stop_sync_task(StopSyncTaskRequest(sync_task_id='no-such-task')), status=404)[0] == 'OMS.1009'
    # p-north holds three scenario tasks: two more fit.
    create(oms, bucket='one')
    create(oms, bucket='two')
    code, message = refused(lambda: create(oms, bucket='three'))
    assert code == 'OMS.1003' and 'at most 5' in message
    assert oms.list_sync_tasks(ListSyncTasksRequest(limit=100)).count == 5
