"""The official SDK's batch_update_tasks, and create_task/start_task with a source_cdn, against the emulator."""

import json

from huaweicloudsdkoms.v2 import BatchUpdateTasksReq, BatchUpdateTasksRequest, ShowTaskRequest, SourceCdnReq, StartTaskReq, StartTaskRequest, StopTaskRequest
from test_sdk import client
from test_sdk_writes import DST_AK, DST_SK, FAILED, RUNNING, SECRETS, SRC_AK, SRC_SK, create_request, logged, refused, wemu

CDN_KEY = 'cdn-authentication-key-0001'
GROUP = '7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b4a'
__all__ = ['wemu']


def priority(oms, task_id):
    return oms.show_task(ShowTaskRequest(task_id=task_id)).task_priority


def test_the_priority_changes_only_on_a_waiting_stopped_or_failed_task(wemu):
    oms = client(wemu.url)
    oms.batch_update_tasks(BatchUpdateTasksRequest(body=BatchUpdateTasksReq(ids=[FAILED], task_priority='HIGH')))
    assert priority(oms, FAILED) == 'HIGH'
    code, message = refused(lambda: oms.batch_update_tasks(BatchUpdateTasksRequest(body=BatchUpdateTasksReq(ids=[FAILED, RUNNING], task_priority='LOW'))))
    assert code == 'OMS.0001' and 'task %d' % RUNNING in message
    assert priority(oms, FAILED) == 'HIGH'  # all or nothing
    both = BatchUpdateTasksReq(ids=[FAILED], group_id=GROUP, task_priority='LOW')
    assert refused(lambda: oms.batch_update_tasks(BatchUpdateTasksRequest(body=both)))[0] == 'OMS.0001'
    assert refused(lambda: oms.batch_update_tasks(BatchUpdateTasksRequest(body=BatchUpdateTasksReq(task_priority='LOW'))))[0] == 'OMS.1004'
    assert refused(lambda: oms.batch_update_tasks(BatchUpdateTasksRequest(body=BatchUpdateTasksReq(ids=[987654], task_priority='LOW'))))[0] == 'OMS.1009'
    [entry, *_rest] = logged(wemu, 'batch_update_tasks')
    assert entry['method'] == 'POST' and entry['body'] == {'ids': [FAILED], 'task_priority': 'HIGH'}


def test_a_source_cdn_is_kept_without_its_key_and_the_key_goes_again_with_a_start(wemu):
    oms = client(wemu.url)
    cdn = SourceCdnReq(domain='cdn.example.com', protocol='https', authentication_type='ALIYUN_OSS_A', authentication_key=CDN_KEY)
    created = oms.create_task(create_request(source_cdn=cdn))
    shown = oms.show_task(ShowTaskRequest(task_id=created.id))
    assert (shown.source_cdn.domain, shown.source_cdn.protocol, shown.source_cdn.authentication_type) == ('cdn.example.com', 'https', 'ALIYUN_OSS_A')
    assert CDN_KEY not in shown.raw_content.decode()
    bad = SourceCdnReq(domain='cdn.example.com', protocol='ftp')
    assert refused(lambda: oms.create_task(create_request(source_cdn=bad)))[0] == 'OMS.0002'
    oms.stop_task(StopTaskRequest(task_id=created.id))
    body = StartTaskReq(src_ak=SRC_AK, src_sk=SRC_SK, dst_ak=DST_AK, dst_sk=DST_SK, source_cdn_authentication_key=CDN_KEY)
    refused(lambda: oms.start_task(StartTaskRequest(task_id=created.id, body=body)))  # pausing for an hour: in progress
    assert logged(wemu, 'create_task')[0]['body']['source_cdn']['authentication_key'] == '***'
    assert logged(wemu, 'start_task')[0]['body']['source_cdn_authentication_key'] == '***'
    assert not any(secret in json.dumps(list(wemu.emulator.request_log)) for secret in SECRETS + (CDN_KEY,))
