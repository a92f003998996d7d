"""The official SDK's list_tasks, show_task, list_task_group and show_task_group against the emulator."""

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkoms.v2 import ListTaskGroupRequest, ListTasksRequest, ShowTaskGroupRequest, ShowTaskRequest
from test_migration import CREATION_FAILED_GROUP, DONE_GROUP, GROUP, migration_scenario
from test_sdk import client


@pytest.fixture
def memu(start_emulator):
    return start_emulator(migration_scenario())


def test_show_task_parses_progress_and_failure(memu):
    oms = client(memu.url)
    running = oms.show_task(ShowTaskRequest(task_id=1001))
    assert running.id == 1001 and running.name == 'photos-2024' and running.status == 2
    assert 0 < running.progress < 1 and isinstance(running.progress, float)
    assert running.left_time > 0 and running.migrate_speed == 104857600
    assert running.src_node.cloud_type == 'Aliyun' and running.dst_node.region == 'cn-north-4'
    assert running.error_reason is None
    failed = oms.show_task(ShowTaskRequest(task_id=1003))
    assert failed.status == 4
    assert failed.error_reason.error_code == 'TRF.0155'
    assert failed.error_reason.error_msg == 'The source bucket does not exist.'
    assert failed.failed_num > 0
    assert failed.failed_object_record.result is True
    assert failed.failed_object_record.list_file_key == 'oms/failed_object_lists/videos-raw/1003.txt'


def test_list_tasks_pages_and_filters(memu):
    oms = client(memu.url)
    page = oms.list_tasks(ListTasksRequest(limit=2, offset=0))
    assert page.count == 9 and [task.id for task in page.tasks] == [4002, 4001]
    grouped = oms.list_tasks(ListTasksRequest(group_id=GROUP, limit=100))
    assert sorted(task.id for task in grouped.tasks) == [2001, 2002, 2003]
    assert all(task.group_type == 'GROUP_TASK' for task in grouped.tasks)
    failed = oms.list_tasks(ListTasksRequest(status=4, task_name='videos'))
    assert [task.id for task in failed.tasks] == [1003] and failed.count == 1


def test_task_groups(memu):
    oms = client(memu.url)
    listed = oms.list_task_group(ListTaskGroupRequest(limit=100, offset=0))
    assert listed.count == 3
    assert {group.group_id for group in listed.taskgroups} == {GROUP, DONE_GROUP, CREATION_FAILED_GROUP}
    completed = oms.list_task_group(ListTaskGroupRequest(status=6))
    assert [group.group_id for group in completed.taskgroups] == [DONE_GROUP]
    group = oms.show_task_group(ShowTaskGroupRequest(group_id=GROUP))
    assert group.status == 2 and group.failed_task_num == 1 and group.total_task_num == 3
    assert group.fail_num == 7 and group.failed_object_record.list_file_key
    assert group.src_node.cloud_type == 'ALIYUN' and group.complete_size < group.total_size
    creation_failed = oms.show_task_group(ShowTaskGroupRequest(group_id=CREATION_FAILED_GROUP))
    assert creation_failed.status == 4 and creation_failed.error_reason.error_code == 'TRF.0012'


def test_missing_task_and_group_are_oms_1009_for_the_sdk(memu):
    oms = client(memu.url)
    with pytest.raises(ClientRequestException) as info:
        oms.show_task(ShowTaskRequest(task_id=999999))
    assert info.value.status_code == 400 and info.value.error_code == 'OMS.1009'
    with pytest.raises(ClientRequestException) as info:
        oms.show_task_group(ShowTaskGroupRequest(group_id='no-such-group'))
    assert info.value.status_code == 400 and info.value.error_code == 'OMS.1009'
