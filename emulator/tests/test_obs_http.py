"""The emulator's OBS endpoint: its V2 signature check against the official OBS SDK, the lists it serves, its error XML."""

import time
from email.utils import formatdate
from urllib.parse import quote

import pytest
import requests
from conftest import AK, SK, TEMP_AK, TEMP_SK, TEMP_TOKEN

from hwc_emulator import obs as emulator_obs

obs_sdk = pytest.importorskip('obs', reason='needs the OBS SDK (esdk-obs-python): pip install -r requirements-test.txt')

DEST_AK, DEST_SK = 'DESTAK000000000001', 'dest-sk+/~ é'
BUCKET = 'dst-photos'
SYNC_BUCKET = 'dst-sync'


def scenario(layout=None, **task_extra):
    task = {'id': 7001, 'name': 'photos-2024', 'status': 'failed', 'failed_objects': 12, 'total_num': 100, 'dst_node': {'bucket': BUCKET}}
    task.update(task_extra)
    return {
        'credentials': {
            'access_keys': [
                {'access_key': AK, 'secret_key': SK},
                {'access_key': TEMP_AK, 'secret_key': TEMP_SK, 'security_token': TEMP_TOKEN},
                {'access_key': DEST_AK, 'secret_key': DEST_SK},
            ]
        },
        'obs': {'layout': layout or {'delimiter': 'tab'}, 'buckets': [{'name': 'dst-private', 'access_keys': [DEST_AK]}]},
        'migration_tasks': [
            task,
            {'id': 7002, 'status': 'failed', 'failed_objects': 3, 'total_num': 10, 'dst_node': {'bucket': 'dst-private'}},
            {'id': 7003, 'status': 'failed', 'failed_objects': 3, 'total_num': 10, 'dst_node': {'bucket': BUCKET}, 'failed_object_list': {'missing': True}},
            {'id': 7004, 'status': 'failed', 'group_id': 'g-1', 'failed_objects': 2, 'total_num': 10},
            {'id': 7005, 'status': 'failed', 'group_id': 'g-1', 'failed_objects': 3, 'total_num': 10},
        ],
        'task_groups': [{'group_id': 'g-1', 'dst_node': {'bucket': BUCKET}}],
        'sync_tasks': [{'sync_task_id': 'sync-1', 'dst_bucket': SYNC_BUCKET, 'failed_object_list': {'count': 5, 'files': 3}}],
    }


def sdk(url, ak=AK, sk=SK, token=None):
    return obs_sdk.ObsClient(
        access_key_id=ak,
        secret_access_key=sk,
        security_token=token,
        server=url,
        signature='obs',
        path_style=True,
        is_signature_negotiation=False,
        max_retry_count=0,
    )


def list_key(task_id, name):
    return 'oms/failed_object_lists/%s/%d.txt' % (name, task_id)


def read(client, bucket, key):
    answer = client.getObject(bucket, key, loadStreamInMemory=True)
    return answer.status, (answer.body.buffer if answer.status < 300 else answer.errorCode)


def test_the_sdk_reads_a_failed_object_list(start_emulator):
    emu = start_emulator(scenario())
    status, body = read(sdk(emu.url), BUCKET, list_key(7001, 'photos-2024'))
    assert status == 200
    lines = body.decode('utf-8').splitlines()
    assert len(lines) == 12
    code, when, encoded, key, message = lines[0].split('\t')
    assert code == 'UPLOAD_DST_OBJ_FAILURE' and message == '-1-OBSClientUploadError' and key.endswith('.jpg') and when.startswith('2024-')
    assert all(line.split('\t')[3] == requests.utils.unquote(line.split('\t')[2]) for line in lines)


def test_temporary_keys_need_their_token(start_emulator):
    emu = start_emulator(scenario())
    key = list_key(7001, 'photos-2024')
    assert read(sdk(emu.url, TEMP_AK, TEMP_SK, TEMP_TOKEN), BUCKET, key)[0] == 200
    assert read(sdk(emu.url, TEMP_AK, TEMP_SK), BUCKET, key) == (403, 'AccessDenied')


def test_a_wrong_secret_does_not_match(start_emulator):
    emu = start_emulator(scenario())
    assert read(sdk(emu.url, AK, 'not-the-secret'), BUCKET, list_key(7001, 'photos-2024')) == (403, 'SignatureDoesNotMatch')
    assert read(sdk(emu.url, 'NOSUCHAK', SK), BUCKET, list_key(7001, 'photos-2024')) == (403, 'InvalidAccessKeyId')


def test_a_private_bucket_refuses_other_keys(start_emulator):
    emu = start_emulator(scenario())
    key = list_key(7002, 'migration-task-7002')
    assert read(sdk(emu.url), 'dst-private', key) == (403, 'AccessDenied')
    assert read(sdk(emu.url, DEST_AK, DEST_SK), 'dst-private', key)[0] == 200


def test_a_missing_list_answers_no_such_key(start_emulator):
    emu = start_emulator(scenario())
    assert read(sdk(emu.url), BUCKET, list_key(7003, 'migration-task-7003')) == (404, 'NoSuchKey')
    assert read(sdk(emu.url), 'no-such-bucket', 'k') == (404, 'NoSuchBucket')


def test_a_group_list_holds_its_members_failed_objects(start_emulator):
    emu = start_emulator(scenario())
    status, body = read(sdk(emu.url), BUCKET, 'oms/taskgroup/g-1/failed_object_lists.txt')
    assert status == 200 and len(body.splitlines()) == 5


def test_sync_task_lists_are_listed_under_their_prefix_page_by_page(start_emulator):
    emu = start_emulator(scenario())
    client = sdk(emu.url)
    prefix = 'oms/sync_task/sync-1/failed_object_lists/'
    first = client.listObjects(SYNC_BUCKET, prefix=prefix, max_keys=2)
    assert first.status == 200 and first.body.is_truncated and len(first.body.contents) == 2
    rest = client.listObjects(SYNC_BUCKET, prefix=prefix, marker=first.body.next_marker, max_keys=2)
    assert not rest.body.is_truncated and len(rest.body.contents) == 1
    keys = [item.key for item in first.body.contents + rest.body.contents]
    assert all(key.startswith(prefix) and key.endswith('.failed_list.txt') for key in keys)
    assert sum(len(read(client, SYNC_BUCKET, key)[1].splitlines()) for key in keys) == 5


def test_head_and_range(start_emulator):
    emu = start_emulator(scenario())
    client = sdk(emu.url)
    key = list_key(7001, 'photos-2024')
    whole = read(client, BUCKET, key)[1]
    head = client.getObjectMetadata(BUCKET, key)
    assert head.status == 200 and int(head.body.contentLength) == len(whole)
    part = client.getObject(BUCKET, key, headers=obs_sdk.GetObjectHeader(range='0-9'), loadStreamInMemory=True)
    assert part.status == 206 and part.body.buffer == whole[:10]


@pytest.mark.parametrize(
    'layout, separator',
    [({'delimiter': 'comma'}, ','), ({'delimiter': 'space', 'header': True}, ' '), ({'delimiter': 'tab', 'header': True, 'crlf': True}, '\t')],
)
def test_the_line_layout_is_switchable(start_emulator, layout, separator):
    emu = start_emulator(scenario(layout=layout))
    text = read(sdk(emu.url), BUCKET, list_key(7001, 'photos-2024'))[1].decode('utf-8')
    lines = text.split('\r\n' if layout.get('crlf') else '\n')[:-1]
    assert len(lines) == 12 + (1 if layout.get('header') else 0)
    if layout.get('header'):
        assert lines[0].startswith('ErrorCode' + separator)
    assert lines[-1].startswith(emulator_obs.CODES[11 % len(emulator_obs.CODES)] + separator)


def test_explicit_objects_and_raw_lines(start_emulator):
    listed = {'objects': [{'code': 'GET_SRC_OBJ_FAILURE', 'key': 'a,b c.txt', 'message': 'm'}], 'raw_lines': ['garbage line']}
    emu = start_emulator(scenario(failed_object_list=listed))
    text = read(sdk(emu.url), BUCKET, list_key(7001, 'photos-2024'))[1].decode('utf-8')
    assert text.splitlines() == ['GET_SRC_OBJ_FAILURE\t2024-03-09 15:05:00\ta%2Cb%20c.txt\ta,b c.txt\tm', 'garbage line']


def _signed(emu, key, date):
    resource = '/%s/%s' % (BUCKET, quote(key, safe='/~'))
    headers = {'Date': date}
    text = 'GET\n\n\n%s\n%s' % (date, resource)
    import base64
    import hashlib
    import hmac

    headers['Authorization'] = 'OBS %s:%s' % (AK, base64.b64encode(hmac.new(SK.encode(), text.encode(), hashlib.sha1).digest()).decode())
    return requests.get(emu.url + resource, headers=headers)


def test_a_stale_date_is_refused_and_errors_are_obs_xml(start_emulator):
    emu = start_emulator(scenario())
    key = list_key(7001, 'photos-2024')
    assert _signed(emu, key, formatdate(time.time(), usegmt=True)).status_code == 200
    stale = _signed(emu, key, formatdate(time.time() - 3600, usegmt=True))
    assert stale.status_code == 403 and '<Code>RequestTimeTooSkewed</Code>' in stale.text
    assert stale.headers['x-obs-request-id'] and stale.headers['Content-Type'] == 'application/xml'
    unsigned = requests.get(emu.url + '/%s/%s' % (BUCKET, key))
    assert unsigned.status_code == 403 and '<Code>AccessDenied</Code>' in unsigned.text


def test_oms_paths_are_not_obs_paths():
    assert not emulator_obs.is_obs_path('/v2/p/tasks') and not emulator_obs.is_obs_path('/_emulator/health')
    assert emulator_obs.is_obs_path('/dst-bucket/key') and emulator_obs.is_obs_path('/dst-bucket')


def test_the_request_log_names_the_obs_route(start_emulator):
    emu = start_emulator(scenario())
    read(sdk(emu.url), BUCKET, list_key(7001, 'photos-2024'))
    logged = [entry for entry in emu.emulator.request_log if entry['route'] == 'obs_get_object']
    assert logged and logged[-1]['status'] == 200 and logged[-1]['principal'] == AK


KEYS = ['oms/a b/c~d+e%f,g.txt', 'oms/é中/\U0001f600.txt', 'oms/plain.txt', 'oms/x=y&z?.txt']


@pytest.mark.parametrize('key', KEYS)
@pytest.mark.parametrize('token', [None, TEMP_TOKEN])
@pytest.mark.parametrize('obs_date', [False, True])
def test_obs_flavoured_requests_signed_by_the_sdks_signer_are_accepted(start_emulator, key, token, obs_date):
    from obs.auth import Authentication
    from obs.convertor import Adapter

    ak, sk = (TEMP_AK, TEMP_SK) if token else (AK, SK)
    emu = start_emulator(scenario(failed_object_list={'objects': [{'key': key}]}, failed_object_list_key=key))
    headers = {'x-obs-date' if obs_date else 'Date': formatdate(time.time(), usegmt=True)}
    if token:
        headers['x-obs-security-token'] = token
    signed = Authentication(ak, sk, True, Adapter('obs'), None, False).doAuth('GET', BUCKET, key, {}, dict(headers))
    headers['Authorization'] = signed['Authorization']
    answer = requests.get('%s/%s/%s' % (emu.url, BUCKET, quote(key, safe='/~')), headers=headers)
    assert answer.status_code == 200, answer.text
    headers['Authorization'] = headers['Authorization'][:-4] + 'AAA='
    refused = requests.get('%s/%s/%s' % (emu.url, BUCKET, quote(key, safe='/~')), headers=headers)
    assert refused.status_code == 403 and '<Code>SignatureDoesNotMatch</Code>' in refused.text


def test_if_match_guards_a_read_in_parts(start_emulator):
    emu = start_emulator(scenario())
    client = sdk(emu.url)
    key = list_key(7001, 'photos-2024')
    etag = client.getObjectMetadata(BUCKET, key).body.etag.strip('"')  # the SDK percent-encodes header values (quotes too)
    same = client.getObject(BUCKET, key, headers=obs_sdk.GetObjectHeader(range='5-9', if_match=etag), loadStreamInMemory=True)
    assert same.status == 206
    other = client.getObject(BUCKET, key, headers=obs_sdk.GetObjectHeader(range='5-9', if_match='"0"'), loadStreamInMemory=True)
    assert other.status == 412 and other.errorCode == 'PreconditionFailed'
