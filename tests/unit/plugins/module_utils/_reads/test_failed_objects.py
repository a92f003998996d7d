# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The read of oms_failed_objects_info: option checks, whose keys sign OBS requests, and failing closed per subject."""

import pytest

from ansible_collections.hwcloud.migration.plugins.module_utils._api.client import HuaweiCloudClient
from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError
from ansible_collections.hwcloud.migration.plugins.module_utils._obs.client import ObjectRead
from ansible_collections.hwcloud.migration.plugins.module_utils._obs.failed_list import FailedList
from ansible_collections.hwcloud.migration.plugins.module_utils._reads import failed_objects as _read
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.base import ReadContext, ReadError

LINE = b'UPLOAD_DST_OBJ_FAILURE\t2024-03-09 15:05:03\ta%20b\ta b\t-1-OBSClientUploadError\n'
OPTIONS = {'max_objects': 10, 'max_list_bytes': 1024}


def _params(**extra):
    params = dict(
        region='cn-north-4',
        access_key='CALLERAK',
        secret_key='caller-secret',
        security_token=None,
        task_ids=None,
        group_ids=None,
        sync_task_ids=None,
        list_failed=None,
        max_objects=100,
        max_list_bytes=_read.DEFAULT_MAX_LIST_BYTES,
        obs_access_key=None,
        obs_secret_key=None,
        obs_security_token=None,
        obs_endpoint=None,
        strict_contract=False,
    )
    params.update(extra)
    return params


def _context(**extra):
    return ReadContext(_params(**extra), 'oms', lambda message: None)


class FakeObs:
    """Objects by key, served in ranges; ``listing`` answers list_objects; every call is recorded."""

    def __init__(self, objects=None, listing=None):
        self.objects = objects or {}
        self.listing = listing or []
        self.calls = []

    def get_object(self, bucket, region, key, *, max_bytes, start=0, if_match=None):
        self.calls.append(('get', bucket, region, key, start, if_match))
        if key not in self.objects:
            raise HuaweiCloudError('The specified key does not exist.', status=404, code='NoSuchKey', request_id='rid-404', method='GET', url='u')
        content = self.objects[key]
        part = content[start : start + max_bytes]
        meta = {'status': 206, 'request_id': 'rid-%d' % start, 'url': 'u'}
        return ObjectRead(part, len(content), start + len(part) >= len(content), meta, '"etag-1"')

    def list_objects(self, bucket, region, prefix):
        self.calls.append(('list', bucket, region, prefix))
        return [{'key': key, 'size': 1} for key in self.listing]


def _task(**extra):
    body = {'id': 1, 'failed_num': 2, 'dst_node': {'bucket': 'dst-b', 'region': 'cn-east-3'}, 'failed_object_record': {'list_file_key': 'oms/l.txt'}}
    body.update(extra)
    return body


def test_the_callers_keys_by_default():
    assert _read.obs_credentials(_params(security_token='tok')) == {'access_key': 'CALLERAK', 'secret_key': 'caller-secret', 'security_token': 'tok'}


def test_the_destinations_keys_when_given():
    keys = _read.obs_credentials(_params(obs_access_key='DESTAK', obs_secret_key='dest-secret'))
    assert keys == {'access_key': 'DESTAK', 'secret_key': 'dest-secret', 'security_token': None}


@pytest.mark.parametrize(
    'extra, wanted',
    [
        ({'obs_access_key': 'DESTAK'}, 'obs_secret_key'),
        ({'obs_secret_key': 'dest-secret'}, 'obs_access_key'),
        ({'obs_security_token': 'dest-token'}, 'obs_security_token needs'),
        ({'access_key': None, 'secret_key': None, 'auth_token': 'caller-token'}, 'needs an access key'),
    ],
)
def test_incomplete_keys_are_refused_by_name_without_the_secret(extra, wanted):
    with pytest.raises(ReadError) as caught:
        _read.obs_credentials(_params(**extra))
    text = str(caught.value)
    assert wanted in text and 'dest-secret' not in text and 'dest-token' not in text and 'caller-token' not in text


@pytest.mark.parametrize(
    'extra, wanted',
    [
        ({}, 'name what to read'),
        ({'task_ids': ['x']}, 'task_ids must be a migration task id'),
        ({'group_ids': ['..']}, "group_ids: group_id must not be '..'"),
        ({'sync_task_ids': ['a' * 300]}, 'sync_task_ids: sync_task_id must be 1 to 255'),
        ({'task_ids': [1], 'max_objects': 10001}, 'max_objects must be 0 to 10000'),
        ({'task_ids': [1], 'max_list_bytes': 10}, 'max_list_bytes must be 1024'),
    ],
)
def test_options_are_checked_before_any_request(extra, wanted):
    with pytest.raises(ReadError) as caught:
        _read.read_failed_objects(_context(**extra))
    assert wanted in str(caught.value)


def test_ids_are_deduplicated_and_task_ids_made_numbers():
    ids = _read._checked_options(_context(task_ids=['7', 7, 8], group_ids=['g', 'g']))
    assert ids == {'migration_task': [7, 8], 'task_group': ['g'], 'sync_task': []}


def test_a_task_list_is_read_from_its_destination():
    obs = FakeObs({'oms/l.txt': LINE * 2})
    entry = _read._subject_result(_read.SUBJECTS['migration_task'], 1, _task(), _context(), obs, OPTIONS)
    assert obs.calls == [('get', 'dst-b', 'cn-east-3', 'oms/l.txt', 0, None)]
    assert entry['counts'] == {'UPLOAD_DST_OBJ_FAILURE': 2} and entry['complete'] is True and entry['objects'][0]['key'] == 'a b'
    assert entry['files'] == [{'key': 'oms/l.txt', 'size': len(LINE) * 2, 'bytes_read': len(LINE) * 2, 'complete': True, 'request_id': 'rid-0'}]


def test_a_cut_file_drops_its_partial_line_and_is_a_problem():
    context = _context()
    obs = FakeObs({'oms/l.txt': LINE * 30})
    entry = _read._subject_result(_read.SUBJECTS['migration_task'], 1, _task(), context, obs, dict(OPTIONS, max_list_bytes=len(LINE) + 20))
    assert entry['total'] == 1 and entry['unparsable_count'] == 0 and entry['complete'] is False
    assert entry['files'][0]['bytes_read'] == len(LINE) + 20 and entry['files'][0]['size'] == len(LINE) * 30
    assert context.problems[0]['id'] == 1 and 'max_list_bytes' in context.problems[0]['message']


def test_a_key_that_is_a_prefix_reads_every_list_under_it():
    obs = FakeObs({'p/a.failed_list.txt': LINE, 'p/b.failed_list.txt': LINE}, listing=['p/a.failed_list.txt', 'p/readme.md', 'p/b.failed_list.txt'])
    entry = _read._subject_result(_read.SUBJECTS['task_group'], 'g', _task(fail_num=2, failed_object_record={'list_file_key': 'p'}), _context(), obs, OPTIONS)
    assert obs.calls[0] == ('list', 'dst-b', 'cn-east-3', 'p/') and entry['total'] == 2 and len(entry['files']) == 2


def test_a_sync_task_reads_its_prefix_in_its_destination_and_may_have_none():
    obs = FakeObs()
    body = {'sync_task_id': 's1', 'dst_bucket': 'dst-s', 'dst_region': None}
    entry = _read._subject_result(_read.SUBJECTS['sync_task'], 's1', body, _context(), obs, OPTIONS)
    assert obs.calls == [('list', 'dst-s', 'cn-north-4', 'oms/sync_task/s1/failed_object_lists/')]
    assert entry['files'] == [] and entry['complete'] is True and entry['failed_num'] is None


def test_no_failed_objects_and_no_list_is_an_empty_complete_entry():
    obs = FakeObs()
    entry = _read._subject_result(_read.SUBJECTS['migration_task'], 1, _task(failed_num=0, failed_object_record=None), _context(), obs, OPTIONS)
    assert obs.calls == [] and entry['total'] == 0 and entry['complete'] is True


@pytest.mark.parametrize('failed_num', [3, None])
def test_failed_objects_without_a_list_fail_closed(failed_num):
    with pytest.raises(HuaweiCloudError) as caught:
        _read._subject_result(_read.SUBJECTS['migration_task'], 1, _task(failed_num=failed_num, failed_object_record=None), _context(), FakeObs(), OPTIONS)
    assert caught.value.code == 'NoFailedObjectList'


def test_a_prefix_without_lists_fails_closed_when_objects_failed():
    body = _task(failed_object_record={'list_file_key': 'oms/dir/'})
    with pytest.raises(HuaweiCloudError) as caught:
        _read._subject_result(_read.SUBJECTS['migration_task'], 1, body, _context(), FakeObs(), OPTIONS)
    assert caught.value.code == 'NoSuchKey' and 'oms/dir/' in caught.value.message


def test_a_missing_list_keeps_the_obs_code_and_request_id():
    with pytest.raises(HuaweiCloudError) as caught:
        _read._subject_result(_read.SUBJECTS['migration_task'], 1, _task(), _context(), FakeObs(), OPTIONS)
    assert (caught.value.status, caught.value.code, caught.value.request_id) == (404, 'NoSuchKey', 'rid-404')


@pytest.mark.parametrize('body', [_task(dst_node={'bucket': 'Bad_Bucket'}), _task(dst_node=None), _task(failed_object_record={'list_file_key': 'a\nb.txt'})])
def test_a_destination_that_cannot_be_read_is_refused_before_any_request(body):
    obs = FakeObs()
    with pytest.raises(HuaweiCloudError) as caught:
        _read._subject_result(_read.SUBJECTS['migration_task'], 1, body, _context(), obs, OPTIONS)
    assert caught.value.code == 'InvalidResponse' and obs.calls == []


@pytest.mark.parametrize('part_bytes', [1, 7, len(LINE), len(LINE) + 1, 10000])
def test_a_file_read_in_parts_gives_the_same_entries_and_line_numbers(part_bytes):
    lines = [LINE.replace(b'a%20b\ta b', b'k%d\tk%d' % (number, number)) for number in range(12)]
    obs = FakeObs({'l.txt': b''.join(lines[:5]) + b'junk\n' + b''.join(lines[5:])})
    found = FailedList(100)
    entry = _read.read_list_file(obs, 'dst-b', None, 'l.txt', found, max_bytes=1 << 20, part_bytes=part_bytes)
    assert found.total == 12 and [item['key'] for item in found.objects] == ['k%d' % number for number in range(12)]
    assert [item['line'] for item in found.objects] == [1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13]
    assert found.unparsable == [{'file': 'l.txt', 'line': 6, 'text': 'junk'}]
    assert entry['complete'] is True and entry['bytes_read'] == entry['size']
    gets = [call for call in obs.calls if call[0] == 'get']
    assert gets[0][5] is None and all(call[5] == '"etag-1"' for call in gets[1:])
    assert [call[4] for call in gets] == list(range(0, entry['size'], part_bytes))


def test_a_region_from_an_answer_that_is_no_host_label_fails_that_id_only():
    from ansible_collections.hwcloud.migration.plugins.module_utils._obs.client import ObsClient

    class Api:
        session = policy = None
        timeout = (1, 1)
        verify = True
        cloud = None
        secrets = set()

    obs = ObsClient(Api(), access_key='AK', secret_key='SK', environ={})
    body = _task(dst_node={'bucket': 'dst-b', 'region': 'evil.example.com/x'})
    with pytest.raises(HuaweiCloudError) as caught:
        _read._subject_result(_read.SUBJECTS['migration_task'], 1, body, _context(), obs, OPTIONS)
    assert caught.value.code == 'InvalidResponse' and 'is not a region id' in caught.value.message


class ListingClient:
    """Answers the task listing with ``tasks``; enough of a client for the read (OBS is faked apart)."""

    max_concurrency = 2
    secrets = set()

    def __init__(self, tasks):
        self.tasks = tasks

    def get_json(self, path, path_params=None, query=None, limits=None):
        assert path == _read.TASK_LIST_PATH and query['status'] == 4
        page = self.tasks[query.get('offset', 0) :][: query.get('limit', 100)]
        return {'count': len(self.tasks), 'tasks': page}, {'status': 200, 'request_id': 'r', 'url': path}

    fetch_many = HuaweiCloudClient.fetch_many


def test_listed_failed_tasks_are_read_and_a_listed_task_without_id_is_a_problem(monkeypatch):
    obs = FakeObs({'oms/l.txt': LINE})
    monkeypatch.setattr(_read, 'ObsClient', lambda api, **kwargs: obs)
    tasks = [_task(id=5, status=4, failed_num=1), _task(id=None, status=4), _task(id=6, status=5, failed_num=0), _task(id=[1], status=4)]
    context = _context(list_failed=['migration_tasks'])
    context.client = ListingClient(tasks)
    result = _read.read_failed_objects(context)()
    assert [(entry['kind'], entry['id'], entry['total']) for entry in result['failed_objects']] == [('migration_task', 5, 1)]
    assert sorted(problem['id'] for problem in context.problems) == ['tasks[1]', 'tasks[3]']
