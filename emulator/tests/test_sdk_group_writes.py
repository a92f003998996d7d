"""The official SDK's create_task_group, start/stop/retry/update/delete_task_group against the emulator."""

import json

import pytest
from huaweicloudsdkoms.v2 import (
    BandwidthPolicyDto,
    CreateTaskGroupReq,
    CreateTaskGroupRequest,
    DeleteTaskGroupRequest,
    ListTasksRequest,
    RetryTaskGroupReq,
    RetryTaskGroupRequest,
    ShowTaskGroupRequest,
    StartTaskGroupReq,
    StartTaskGroupRequest,
    StopTaskGroupRequest,
    TaskGroupDstNode,
    TaskGroupSrcNode,
    UpdateBandwidthPolicyReq,
    UpdateTaskGroupRequest,
)
from test_migration import migration_scenario
from test_sdk import client
from test_sdk_writes import DST_AK, DST_SK, SECRETS, SRC_AK, SRC_SK, logged, refused

FAILED_GROUP = '55555555-6666-4777-8888-999999999999'


@pytest.fixture
def gemu(start_emulator):
    data = migration_scenario(migration={'pause_duration': 0, 'sources': {'big-src': {'group_tasks': 3}}})
    data['migration_tasks'] = data['migration_tasks'] + [
        {'id': 5001, 'group_id': FAILED_GROUP, 'status': 'failed', 'start': '-2h', 'halt_at': '-1h', 'failed_objects': 4},
        {'id': 5002, 'group_id': FAILED_GROUP, 'status': 'succeeded', 'start': '-2h'},
    ]
    data['task_groups'] = data['task_groups'] + [{'group_id': FAILED_GROUP}]
    return start_emulator(data)


def credentials(**extra):
    return dict(src_ak=SRC_AK, src_sk=SRC_SK, dst_ak=DST_AK, dst_sk=DST_SK, **extra)


def test_a_created_group_runs_stops_starts_and_is_deleted(gemu):
    oms = client(gemu.url)
    src = TaskGroupSrcNode(cloud_type='AWS', region='us-east-1', ak=SRC_AK, sk=SRC_SK, bucket='big-src', object_key=['a/', 'b/'])
    dst = TaskGroupDstNode(ak=DST_AK, sk=DST_SK, bucket='big-dst', region='cn-north-4', save_prefix='aws/')
    policy = [BandwidthPolicyDto(start='00:00', end='06:00', max_bandwidth=104857600)]
    created = oms.create_task_group(CreateTaskGroupRequest(body=CreateTaskGroupReq(src_node=src, dst_node=dst, task_type='PREFIX', bandwidth_policy=policy)))
    group_id = created.group_id
    shown = oms.show_task_group(ShowTaskGroupRequest(group_id=group_id))
    assert shown.status == 2 and shown.total_task_num == 3 and shown.executing_task_num == 3 and shown.task_type == 'PREFIX'
    assert shown.src_node.bucket == 'big-src' and shown.dst_node.save_prefix == 'aws/' and shown.bandwidth_policy[0].max_bandwidth == 104857600
    members = oms.list_tasks(ListTasksRequest(group_id=group_id, limit=100)).tasks
    assert len(members) == 3 and all(task.group_type == 'GROUP_TASK' and task.status == 2 for task in members)

    assert refused(lambda: oms.start_task_group(StartTaskGroupRequest(group_id=group_id, body=StartTaskGroupReq(**credentials()))))[0] == 'OMS.0063'
    assert refused(lambda: oms.delete_task_group(DeleteTaskGroupRequest(group_id=group_id)))[0] == 'OMS.0063'
    assert refused(lambda: oms.retry_task_group(RetryTaskGroupRequest(group_id=group_id, body=RetryTaskGroupReq(**credentials()))))[0] == 'OMS.0063'
    oms.stop_task_group(StopTaskGroupRequest(group_id=group_id))
    assert oms.show_task_group(ShowTaskGroupRequest(group_id=group_id)).status == 3
    assert refused(lambda: oms.stop_task_group(StopTaskGroupRequest(group_id=group_id)))[0] == 'OMS.0066'
    oms.start_task_group(StartTaskGroupRequest(group_id=group_id, body=StartTaskGroupReq(**credentials())))
    assert oms.show_task_group(ShowTaskGroupRequest(group_id=group_id)).status == 2

    body = UpdateBandwidthPolicyReq(bandwidth_policy=[BandwidthPolicyDto(start='01:00', end='02:00', max_bandwidth=2097152)])
    oms.update_task_group(UpdateTaskGroupRequest(group_id=group_id, body=body))
    assert oms.show_task_group(ShowTaskGroupRequest(group_id=group_id)).bandwidth_policy[0].start == '01:00'

    oms.stop_task_group(StopTaskGroupRequest(group_id=group_id))
    oms.delete_task_group(DeleteTaskGroupRequest(group_id=group_id))
    assert refused(lambda: oms.show_task_group(ShowTaskGroupRequest(group_id=group_id)))[0] == 'OMS.1009'
    assert oms.list_tasks(ListTasksRequest(group_id=group_id)).count == 0

    [create] = logged(gemu, 'create_task_group')
    assert create['body']['src_node']['sk'] == create['body']['dst_node']['ak'] == '***' and create['body']['src_node']['bucket'] == 'big-src'
    assert [entry['method'] for entry in logged(gemu, 'start_task_group')] == ['PUT', 'PUT']
    assert not any(secret in json.dumps(list(gemu.emulator.request_log)) for secret in SECRETS)


def test_a_failed_group_retries_its_failed_tasks_only_with_their_failed_objects(gemu):
    oms = client(gemu.url)
    group = oms.show_task_group(ShowTaskGroupRequest(group_id=FAILED_GROUP))
    assert group.status == 5 and group.failed_task_num == 1 and group.fail_num == 4
    assert refused(lambda: oms.start_task_group(StartTaskGroupRequest(group_id=FAILED_GROUP, body=StartTaskGroupReq(**credentials()))))[0] == 'OMS.0001'
    oms.retry_task_group(RetryTaskGroupRequest(group_id=FAILED_GROUP, body=RetryTaskGroupReq(**credentials(migrate_failed_object=True))))
    retried = oms.show_task_group(ShowTaskGroupRequest(group_id=FAILED_GROUP))
    assert retried.status == 2 and retried.failed_task_num == 0 and retried.complete_task_num == 1
    statuses = dict((task.id, task.status) for task in oms.list_tasks(ListTasksRequest(group_id=FAILED_GROUP)).tasks)
    assert statuses == {5001: 6, 5002: 5}
    assert logged(gemu, 'retry_task_group')[0]['body']['migrate_failed_object'] is True
    assert refused(lambda: oms.retry_task_group(RetryTaskGroupRequest(group_id='no-such-group', body=RetryTaskGroupReq())))[0] == 'OMS.1009'


def test_create_task_group_refuses_a_task_type_groups_do_not_have(gemu):
    oms = client(gemu.url)
    src = TaskGroupSrcNode(region='r', ak='a', sk='s', bucket='b')
    dst = TaskGroupDstNode(ak='a', sk='s', bucket='d', region='cn-north-4')
    assert (
        refused(lambda: oms.create_task_group(CreateTaskGroupRequest(body=CreateTaskGroupReq(src_node=src, dst_node=dst, task_type='OBJECT'))))[0] == 'OMS.0002'
    )
    assert gemu.emulator.health()['task_groups'] == 4
