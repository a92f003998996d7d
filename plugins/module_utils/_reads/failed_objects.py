# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The read of ``oms_failed_objects_info``: the failed-object lists of migration tasks, task groups and sync tasks.

For each subject: its OMS answer (ShowTask, ShowTaskGroup, ShowSyncTask),
then from its destination bucket the list file its
``failed_object_record.list_file_key`` names, or every ``*.failed_list.txt``
under it when the key is a prefix (a sync task's lists are always under
``oms/sync_task/ID/failed_object_lists/``).  Each file is read in parts of
``PART_BYTES``, up to ``max_list_bytes`` (a file cut there is ``complete:
false``, its partial last line dropped), and parsed line by line
(:mod:`.._obs.failed_list`) as the parts arrive (:func:`read_list_file`).

Fails closed per subject: a subject that reports failed objects but names no
list, a list that cannot be read (``NoSuchKey``, ``AccessDenied``, a
prefix with no list under it although objects failed) is an error for its
id, with the status, code and request id of the failing answer; the rest
are still read and returned.
"""

import io
from typing import Any, Dict, Optional

from ansible.module_utils.basic import env_fallback

from ansible_collections.hwcloud.migration.plugins.module_utils._api.endpoints import quote_path_param
from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError, ParameterError
from ansible_collections.hwcloud.migration.plugins.module_utils._api.options import OptionError
from ansible_collections.hwcloud.migration.plugins.module_utils._obs.client import ObsClient, check_bucket, check_key
from ansible_collections.hwcloud.migration.plugins.module_utils._obs.failed_list import FailedList, parse_lines
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.answers import ContractReport
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.base import Read, ReadError, check_answered_id, fetch_each, report_problem
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.listing import list_all
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.migration import GROUP_LIST_PATH, GROUP_SHOW_PATH, TASK_LIST_PATH, TASK_SHOW_PATH
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.migration_summary import MigrationValueError, parse_task_id
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.sync_tasks import SHOW_PATH as SYNC_SHOW_PATH
from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import now_ms
from ansible_collections.hwcloud.migration.plugins.module_utils._values import is_number

LIST_SUFFIX = '.failed_list.txt'
SYNC_PREFIX = 'oms/sync_task/%s/failed_object_lists/'
DEFAULT_MAX_LIST_BYTES = 64 * 1024 * 1024
# A list file is read this many bytes at a time (see read_list_file).
PART_BYTES = 1024 * 1024
MAX_LIST_BYTES = (1024, 1024 * 1024 * 1024)
MAX_OBJECTS = 10000
# The listings "the failed ones" reads, with the status that means failed there.
LISTINGS = {
    'migration_tasks': (TASK_LIST_PATH, 4, 'tasks', 'ListTasksResponse', 'id'),
    'task_groups': (GROUP_LIST_PATH, 5, 'taskgroups', 'ListTaskGroupResponse', 'group_id'),
}
OBS_ENV = {'obs_access_key': 'OBS_ACCESS_KEY_ID', 'obs_secret_key': 'OBS_SECRET_ACCESS_KEY', 'obs_security_token': 'OBS_SECURITY_TOKEN'}


class Subject:
    """One kind of subject: its noun, id key, ShowX path and where its body names the bucket, region, list and count."""

    def __init__(self, kind, noun, id_key, path, schema, *, bucket, region, count):
        self.kind = kind
        self.noun = noun
        self.id_key = id_key
        self.path = path
        self.schema = schema
        self.bucket = bucket
        self.region = region
        self.count = count


def _node(field, name):
    return lambda body: (body.get(field) or {}).get(name) if isinstance(body.get(field), dict) else None


SUBJECTS = {
    'migration_task': Subject(
        'migration_task', 'migration task', 'task_id', TASK_SHOW_PATH, 'ShowTaskResponse',
        bucket=_node('dst_node', 'bucket'), region=_node('dst_node', 'region'), count=lambda body: body.get('failed_num'),
    ),
    'task_group': Subject(
        'task_group', 'task group', 'group_id', GROUP_SHOW_PATH, 'ShowTaskGroupResponse',
        bucket=_node('dst_node', 'bucket'), region=_node('dst_node', 'region'), count=lambda body: body.get('fail_num'),
    ),
    'sync_task': Subject(
        'sync_task', 'sync task', 'sync_task_id', SYNC_SHOW_PATH, 'ShowSyncTaskResponse',
        bucket=lambda body: body.get('dst_bucket'), region=lambda body: body.get('dst_region'), count=lambda body: None,
    ),
}  # fmt: skip


def obs_credentials(params: Dict[str, Any]) -> Dict[str, Optional[str]]:
    """The destination's keys: the ``obs_*`` options (or their ``OBS_*`` variables), else the caller's AK/SK; ReadError when neither."""
    access_key, secret_key, token = params.get('obs_access_key'), params.get('obs_secret_key'), params.get('obs_security_token')
    if access_key or secret_key:
        if not (access_key and secret_key):
            missing = 'obs_secret_key' if access_key else 'obs_access_key'
            raise ReadError('%s (or %s) is needed with the other OBS key; set both, or neither to use access_key/secret_key.' % (missing, OBS_ENV[missing]))
        return {'access_key': access_key, 'secret_key': secret_key, 'security_token': token}
    if token:
        raise ReadError('obs_security_token needs obs_access_key and obs_secret_key (the temporary keys it belongs to).')
    if not (params.get('access_key') and params.get('secret_key')):
        raise ReadError(
            'reading the failed-object lists from OBS needs an access key: set obs_access_key and obs_secret_key '
            '(or OBS_ACCESS_KEY_ID and OBS_SECRET_ACCESS_KEY), or authenticate with access_key and secret_key.'
        )
    return {'access_key': params['access_key'], 'secret_key': params['secret_key'], 'security_token': params.get('security_token')}


def _failure(message, code, meta=None):
    meta = meta or {}
    return HuaweiCloudError(message, status=meta.get('status'), code=code, request_id=meta.get('request_id'), method='GET', url=meta.get('url'))


def read_list_file(obs, bucket, region, key, found, *, max_bytes, part_bytes=PART_BYTES):
    """Parse one list file into ``found``, ``part_bytes`` at a time (Range reads), at most ``max_bytes`` of it.

    Only one part (and the line it cut) is in memory at a time, so a list of
    100,000 lines is never held whole, let alone twice.  Later parts are read
    ``If-Match`` the first part's ETag: a list rewritten meanwhile fails
    (``PreconditionFailed``) instead of mixing two versions.  A file cut at
    ``max_bytes`` drops its partial last line.  Returns the file's entry of
    the result.
    """
    offset, carry, etag, request_ids = 0, b'', None, []
    found.last_line = 0
    while True:
        part = obs.get_object(bucket, region, key, max_bytes=min(part_bytes, max_bytes - offset), start=offset, if_match=etag)
        etag = etag or part.etag
        request_ids.append(part.meta['request_id'])
        offset += len(part.content)
        lines, carry = carry + part.content, b''
        if not part.complete:
            split = lines.rfind(b'\n') + 1
            lines, carry = lines[:split], lines[split:]  # the line the part cut goes on in the next one
        parse_lines(io.BytesIO(lines), max_objects=found.max_objects, source=key, into=found, first_line=found.last_line + 1)
        if part.complete or offset >= max_bytes or not part.content:
            break
    complete = part.complete
    return {'key': key, 'size': part.size, 'bytes_read': offset, 'complete': complete, 'request_id': request_ids[0]}


def read_list_files(obs, bucket, region, key, *, expected, max_objects, max_bytes, prefix=False):
    """Read the list file ``key`` (or every list under prefix ``key``): ``(files, FailedList, complete)``.

    ``expected`` is the subject's failed-object count (None when unknown): a
    prefix with no list under it is an error when it is above 0.
    """
    if prefix or not key.endswith('.txt'):
        prefix_key = key if key.endswith('/') else key + '/'
        keys = [entry['key'] for entry in obs.list_objects(bucket, region, prefix_key) if entry['key'].endswith(LIST_SUFFIX)]
        if not keys and expected:
            raise _failure(
                'no failed-object list (*%s) is under %s in bucket %s, although %s objects failed' % (LIST_SUFFIX, prefix_key, bucket, expected), 'NoSuchKey'
            )
    else:
        keys = [key]
    found = FailedList(max_objects)
    files = []
    for name in keys:
        files.append(read_list_file(obs, bucket, region, name, found, max_bytes=max_bytes))
    return files, found, all(item['complete'] for item in files)


def _subject_result(subject, resource_id, body, context, obs, options):
    """The result entry of one subject whose OMS answer is ``body``; HuaweiCloudError when its list cannot be read."""
    try:
        return _read_subject(subject, resource_id, body, context, obs, options)
    except OptionError as err:  # a bucket, region or listed key from an answer that cannot be sent
        raise _failure('the answers name a destination that cannot be read: %s' % err, 'InvalidResponse')


def _read_subject(subject, resource_id, body, context, obs, options):
    count = subject.count(body)
    count = count if is_number(count) else None
    record = body.get('failed_object_record') if isinstance(body.get('failed_object_record'), dict) else {}
    key = record.get('list_file_key') or None
    entry = {'kind': subject.kind, 'id': resource_id, 'failed_num': count, 'bucket': None, 'region': None, 'list_file_key': key}
    if subject.kind == 'sync_task':
        key = entry['list_file_key'] = SYNC_PREFIX % resource_id
    empty = {'files': [], 'counts': {}, 'total': 0, 'objects': [], 'unparsable': [], 'unparsable_count': 0, 'complete': True}
    if key is None:
        if count == 0:
            return dict(entry, **empty)
        raise _failure(
            'the %s has %s failed objects but names no failed-object list (failed_object_record.list_file_key); '
            'is enable_failed_object_recording off?' % (subject.noun, 'an unknown number of' if count is None else count),
            'NoFailedObjectList',
        )
    bucket = subject.bucket(body)
    region = subject.region(body) or context.params.get('region')
    entry['bucket'], entry['region'] = check_bucket(bucket), region
    check_key(key, 'list file key')
    files, found, complete = read_list_files(
        obs, bucket, region, key, expected=count, max_objects=options['max_objects'], max_bytes=options['max_list_bytes'], prefix=subject.kind == 'sync_task'
    )
    if not complete:
        cut = [item['key'] for item in files if not item['complete']]
        report_problem(
            context, resource_id, 'files', 'the %s list was cut at max_list_bytes (%d bytes): %s' % (subject.noun, options['max_list_bytes'], ', '.join(cut))
        )
    return dict(entry, files=files, complete=complete, **found.as_dict())


def _text_ids(context, option, name):
    values = list(dict.fromkeys(context.params[option] or []))
    for value in values:
        try:
            quote_path_param(name, value)
        except ParameterError as err:
            raise ReadError('%s: %s (got %r)' % (option, err, value))
    return values


def _checked_options(context, known=None):
    params = context.params
    try:
        task_ids = list(dict.fromkeys(parse_task_id(value, 'task_ids') for value in params['task_ids'] or []))
    except MigrationValueError as err:
        raise ReadError(str(err))
    group_ids = _text_ids(context, 'group_ids', 'group_id')
    sync_ids = _text_ids(context, 'sync_task_ids', 'sync_task_id')
    if not (task_ids or group_ids or sync_ids or params['list_failed'] or known is not None):
        raise ReadError('name what to read: task_ids, group_ids, sync_task_ids, or list_failed (migration_tasks, task_groups).')
    if not 0 <= params['max_objects'] <= MAX_OBJECTS:
        raise ReadError('max_objects must be 0 to %d, got %d.' % (MAX_OBJECTS, params['max_objects']))
    low, high = MAX_LIST_BYTES
    if not low <= params['max_list_bytes'] <= high:
        raise ReadError('max_list_bytes must be %d to %d, got %d.' % (low, high, params['max_list_bytes']))
    return {'migration_task': task_ids, 'task_group': group_ids, 'sync_task': sync_ids}


def read_failed_objects(context, known=None):
    """``oms_failed_objects_info``: every option checked now; the returned read does the requests.

    ``known`` holds OMS answers already read, ``{kind: {id: body}}`` (the
    subjects ``migration_state_info``'s other parts returned): their lists are
    read with no new OMS request, as for the ones of ``list_failed``.
    """
    ids = _checked_options(context, known)
    keys = obs_credentials(context.params)
    options = {'max_objects': context.params['max_objects'], 'max_list_bytes': context.params['max_list_bytes']}

    def read():
        try:
            obs = ObsClient(context.client, endpoint=context.params['obs_endpoint'], **keys)
        except OptionError as err:
            raise ReadError(str(err))
        report = ContractReport(context.params['strict_contract'])
        listed = {kind: dict(bodies) for kind, bodies in (known or {}).items()}
        for name in context.params['list_failed'] or []:
            path, status, items_key, schema, id_key = LISTINGS[name]
            listing = list_all(context, path, {'status': status}, items_key, schema, name.replace('_', ' '), report, id_key=id_key)
            kind = 'migration_task' if name == 'migration_tasks' else 'task_group'
            for position, item in enumerate(listing.items):
                ident = item.get(id_key) if isinstance(item, dict) else None
                if not (isinstance(ident, str) and ident) and not (isinstance(ident, int) and not isinstance(ident, bool)):
                    noun = SUBJECTS[kind].noun
                    report_problem(context, '%s[%d]' % (items_key, position), id_key, 'a listed %s has no usable id; its failed objects were not read' % noun)
                elif item.get('status') == status:  # another status: the listing's filter did not hold for it, it is no failed one
                    listed.setdefault(kind, {})[ident] = item
        results, missing = [], []
        query_time = now_ms()
        for kind, subject in SUBJECTS.items():
            wanted = list(dict.fromkeys(ids[kind] + [key for key in listed.get(kind, {}) if key not in ids[kind]]))

            def fetch(resource_id, subject=subject, kind=kind):
                body = listed.get(kind, {}).get(resource_id)
                if body is None:
                    query = {'query_time': query_time} if kind == 'sync_task' else None
                    body, meta = context.client.get_json(subject.path, path_params={subject.id_key: str(resource_id)}, query=query)
                    report.check(subject.schema, body, '%s %s' % (subject.noun, resource_id), meta)
                    id_field = 'id' if kind == 'migration_task' else subject.id_key
                    check_answered_id(body, resource_id, id_field, subject.noun, meta, secrets=context.client.secrets)
                if not isinstance(body, dict):
                    raise _failure('the %s answer is not an object' % subject.noun, 'InvalidResponse')
                return _subject_result(subject, resource_id, body, context, obs, options), None

            failed_before = len(context.read_errors.entries)
            found, gone = fetch_each(context, wanted, fetch, subject.noun, subject.id_key)
            for error in context.read_errors.entries[failed_before:]:
                error['kind'] = kind  # ids of two kinds may be equal: an error names its kind, as entries and missing do
            results.extend(entry for _id, entry, _meta in found)
            missing.extend({'kind': kind, 'id': resource_id} for resource_id in gone)
        report.apply(context)
        return dict(failed_objects=results, missing=missing)

    return read


FAILED_OBJECTS = Read(
    'failed_objects_info',
    'oms',
    dict(
        task_ids=dict(type='list', elements='raw'),
        group_ids=dict(type='list', elements='str'),
        sync_task_ids=dict(type='list', elements='str'),
        list_failed=dict(type='list', elements='str', choices=sorted(LISTINGS)),
        max_objects=dict(type='int', default=100),
        max_list_bytes=dict(type='int', default=DEFAULT_MAX_LIST_BYTES),
        obs_access_key=dict(type='str', no_log=False, fallback=(env_fallback, [OBS_ENV['obs_access_key']])),
        obs_secret_key=dict(type='str', no_log=True, fallback=(env_fallback, [OBS_ENV['obs_secret_key']])),
        obs_security_token=dict(type='str', no_log=True, fallback=(env_fallback, [OBS_ENV['obs_security_token']])),
        obs_endpoint=dict(type='str'),
    ),
    read_failed_objects,
)
