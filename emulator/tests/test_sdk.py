"""The official SDK (huaweicloudsdkoms) against the emulator: signing, parsing, refusals."""

import datetime as real_datetime
import time

import pytest
from conftest import AK, PROJECT, SK, TEMP_AK, TEMP_SK, TEMP_TOKEN
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkoms.v2 import ListSyncTasksRequest, ListSyncTaskStatisticRequest, OmsClient, ShowSyncTaskRequest
from huaweicloudsdkoms.v2.region.oms_region import OmsRegion


def client(url, ak=AK, sk=SK, project_id=PROJECT, security_token=None):
    credentials = BasicCredentials(ak, sk, project_id)
    if security_token:
        credentials = credentials.with_security_token(security_token)
    return OmsClient.new_builder().with_credentials(credentials).with_endpoints([url]).build()


def now_ms():
    return int(time.time() * 1000)


def test_show_sync_task_parses_every_field(emu):
    response = client(emu.url).show_sync_task(ShowSyncTaskRequest(sync_task_id='task-burst', query_time=now_ms()))
    assert response.sync_task_id == 'task-burst'
    assert response.status == 'SYNCHRONIZING'
    assert response.src_cloud_type == 'Tencent'
    assert response.app_id == '1250000000'
    assert response.src_region == 'cn-hangzhou' and response.dst_region == 'cn-north-4'
    assert response.src_bucket and response.dst_bucket
    assert isinstance(response.create_time, int) and isinstance(response.last_start_time, int)
    assert response.description == ''
    assert response.enable_metadata_migration is False and response.enable_restore is False
    assert response.object_overwrite_mode == 'SIZE_LAST_MODIFIED_COMPARISON_OVERWRITE'
    assert response.dst_storage_policy == 'STANDARD'
    assert response.consistency_check == 'size_last_modified'
    assert response.monthly_acceptance_request > 0
    assert response.monthly_failure_object > 0  # the burst
    assert response.monthly_acceptance_request == (response.monthly_success_object + response.monthly_failure_object + response.monthly_skip_object)
    assert response.monthly_size >= 0
    assert response.status_code == 200
    assert len(response.raw_content) > 0


def test_list_sync_tasks_parses_tasks_and_source_cdn(emu):
    response = client(emu.url).list_sync_tasks(ListSyncTasksRequest(limit=2, offset=0))
    assert response.count == 3  # task-east belongs to another project
    assert len(response.tasks) == 2
    healthy = client(emu.url).list_sync_tasks(ListSyncTasksRequest(limit=100)).tasks
    by_id = dict((t.sync_task_id, t) for t in healthy)
    assert set(by_id) == {'task-healthy', 'task-burst', 'task-stopped'}
    cdn = by_id['task-healthy'].source_cdn
    assert cdn.domain == 'cdn.example.com' and cdn.protocol == 'https' and cdn.authentication_type == 'NONE'
    assert by_id['task-stopped'].status == 'STOPPED'
    stopped = client(emu.url).list_sync_tasks(ListSyncTasksRequest(status='STOPPED'))
    assert [t.sync_task_id for t in stopped.tasks] == ['task-stopped'] and stopped.count == 1


def test_list_sync_task_statistic_parses_series(emu):
    end = now_ms()
    response = client(emu.url).list_sync_task_statistic(
        ListSyncTaskStatisticRequest(sync_task_id='task-burst', data_type='REQUEST,FAILURE', start_time=end - 3600000, end_time=end)
    )
    assert response.sync_task_id == 'task-burst'
    assert response.statistic_time_type == 'FIVE_MINUTES'
    assert [d.data_type for d in response.statistic_datas] == ['REQUEST', 'FAILURE']
    request_points = response.statistic_datas[0].data
    assert 11 <= len(request_points) <= 13
    assert all(p.time_stamp % 300000 == 0 for p in request_points)
    failures = [p.statistic_num for p in response.statistic_datas[1].data]
    assert failures[-1] == request_points[-1].statistic_num  # failure_rate 1.0 in the burst
    assert failures[0] == 0


def test_wrong_secret_key_is_refused(emu):
    with pytest.raises(ClientRequestException) as info:
        client(emu.url, sk='not-the-secret').show_sync_task(ShowSyncTaskRequest(sync_task_id='task-burst', query_time=now_ms()))
    assert info.value.status_code == 401
    assert info.value.error_code == 'APIGW.0301'
    assert 'verify aksk signature fail' in info.value.error_msg
    assert info.value.request_id


def test_stale_sdk_date_is_refused(emu, monkeypatch):
    from huaweicloudsdkcore.signer import signer as sdk_signer

    class StaleClock(real_datetime.datetime):
        @classmethod
        def utcnow(cls):
            return real_datetime.datetime.utcnow() - real_datetime.timedelta(minutes=16)

    monkeypatch.setattr(sdk_signer, 'datetime', StaleClock)
    with pytest.raises(ClientRequestException) as info:
        client(emu.url).list_sync_tasks(ListSyncTasksRequest())
    assert info.value.status_code == 401
    assert info.value.error_code == 'APIGW.0303'


def test_slightly_skewed_sdk_date_is_accepted(emu, monkeypatch):
    from huaweicloudsdkcore.signer import signer as sdk_signer

    class SkewedClock(real_datetime.datetime):
        @classmethod
        def utcnow(cls):
            return real_datetime.datetime.utcnow() + real_datetime.timedelta(minutes=14)

    monkeypatch.setattr(sdk_signer, 'datetime', SkewedClock)
    assert client(emu.url).list_sync_tasks(ListSyncTasksRequest()).count == 3


def test_temporary_key_needs_its_security_token(emu):
    with pytest.raises(ClientRequestException) as info:
        client(emu.url, ak=TEMP_AK, sk=TEMP_SK).list_sync_tasks(ListSyncTasksRequest())
    assert info.value.status_code == 401 and info.value.error_code == 'APIGW.0301'
    with pytest.raises(ClientRequestException) as info:
        client(emu.url, ak=TEMP_AK, sk=TEMP_SK, security_token='wrong').list_sync_tasks(ListSyncTasksRequest())
    assert info.value.status_code == 401
    ok = client(emu.url, ak=TEMP_AK, sk=TEMP_SK, security_token=TEMP_TOKEN).list_sync_tasks(ListSyncTasksRequest())
    assert ok.count == 3


def test_unknown_task_is_404_for_the_sdk(emu):
    with pytest.raises(ClientRequestException) as info:
        client(emu.url).show_sync_task(ShowSyncTaskRequest(sync_task_id='nope', query_time=now_ms()))
    assert info.value.status_code == 404 and info.value.error_code == 'OMS.1009'


def test_region_endpoint_override_and_iam_project_discovery(emu, monkeypatch):
    """The SDK's env override for the region, and project id discovery through IAM."""
    monkeypatch.setenv('HUAWEICLOUD_SDK_REGION_OMS_CN_NORTH_4', emu.url)
    credentials = BasicCredentials(AK, SK).with_iam_endpoint(emu.url)
    oms = OmsClient.new_builder().with_credentials(credentials).with_region(OmsRegion.value_of('cn-north-4')).build()
    assert credentials.project_id == PROJECT
    assert oms.list_sync_tasks(ListSyncTasksRequest()).count == 3
