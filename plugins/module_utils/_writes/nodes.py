# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The ``src_node`` and ``dst_node`` options of the lifecycle modules, and what each API call makes of them.

One option spec for every lifecycle module, so a playbook reads the same for a
migration task, a task group and a sync task; each call maps the dicts to its
own field names: CreateTask and CreateTaskGroup take ``src_node``/``dst_node``
objects (:func:`create_nodes`), StartTask and the group's start and retry the
credentials again as flat ``src_ak``, ``dst_sk``, ... (:func:`start_credentials`).
Every credential sub-option is ``no_log``.

What a task migrates (:func:`identity`) is how a task is found without its id:
source cloud, region, bucket, object keys and list file; destination region,
bucket and save prefix; and the task type.  Defaults the API applies are
applied on both sides, so an option left out matches the API's default.
"""

from typing import Any, Dict, Mapping, Optional, Tuple

DEFAULT_CLOUD_TYPE = 'Aliyun'
CLOUD_TYPES = ('AWS', 'Azure', 'Aliyun', 'Tencent', 'HuaweiCloud', 'QingCloud', 'KingsoftCloud', 'Baidu', 'Qiniu', 'Google', 'URLSource', 'UCloud')
CRYPTO_TYPES = ('DEFAULT', 'KMS')
# Longest credential the API accepts (SrcNodeReq/DstNodeReq): AK and SK 100, a token 16384.
_KEY, _TOKEN = 100, 16384

SRC_NODE_SPEC = dict(
    cloud_type=dict(type='str', choices=list(CLOUD_TYPES)),
    region=dict(type='str'),
    bucket=dict(type='str'),
    object_key=dict(type='list', elements='str', no_log=False),
    list_file=dict(type='dict', options=dict(list_file_key=dict(type='str', required=True, no_log=False), obs_bucket=dict(type='str', required=True))),
    ak=dict(type='str', no_log=True),
    sk=dict(type='str', no_log=True),
    security_token=dict(type='str', no_log=True),
    connection_string=dict(type='str', no_log=True),
    json_auth_file=dict(type='str', no_log=True),
    app_id=dict(type='str'),
    crypto_type=dict(type='str', choices=list(CRYPTO_TYPES)),
    kms_key_id=dict(type='str', no_log=False),
)
DST_NODE_SPEC = dict(
    region=dict(type='str'),
    bucket=dict(type='str'),
    save_prefix=dict(type='str'),
    ak=dict(type='str', no_log=True),
    sk=dict(type='str', no_log=True),
    security_token=dict(type='str', no_log=True),
    crypto_type=dict(type='str', choices=list(CRYPTO_TYPES)),
    kms_key_id=dict(type='str', no_log=False),
)
NODE_ARGUMENT_SPEC = dict(src_node=dict(type='dict', options=SRC_NODE_SPEC), dst_node=dict(type='dict', options=DST_NODE_SPEC))

SRC_CREDENTIALS = ('ak', 'sk', 'security_token', 'connection_string', 'json_auth_file')
DST_CREDENTIALS = ('ak', 'sk', 'security_token')
_SRC_FIELDS = ('cloud_type', 'region', 'bucket', 'object_key', 'list_file', 'app_id', 'crypto_type', 'kms_key_id')
_DST_FIELDS = ('region', 'bucket', 'save_prefix', 'crypto_type', 'kms_key_id')
_LIMITS = dict(ak=_KEY, sk=_KEY, security_token=_TOKEN, region=100, bucket=1024, save_prefix=1024, app_id=255, kms_key_id=36)


class NodeError(ValueError):
    """A ``src_node``/``dst_node`` value that cannot be sent; the message names the option and what to write."""


def _node(params: Mapping[str, Any], name: str) -> Dict[str, Any]:
    return dict(params.get(name) or {})


def check_nodes(params: Mapping[str, Any], *, task_type: str) -> None:
    """Lengths and required keys of ``src_node``/``dst_node`` for a create, before any request; :class:`NodeError`."""
    src, dst = _node(params, 'src_node'), _node(params, 'dst_node')
    for option, node in (('src_node', src), ('dst_node', dst)):
        for key, value in node.items():
            if isinstance(value, str) and key in _LIMITS and len(value) > _LIMITS[key]:
                raise NodeError('%s.%s must be at most %d characters long, got %d.' % (option, key, _LIMITS[key], len(value)))
    if task_type != 'url_list':
        missing = [key for key in ('region', 'bucket') if not src.get(key)]
        if missing:
            raise NodeError('src_node needs %s to create a %s task.' % (' and '.join(missing), task_type))
    if task_type in ('list', 'url_list') and not src.get('list_file'):
        raise NodeError('src_node.list_file (list_file_key, obs_bucket) is required for task_type %s.' % task_type)
    missing = [key for key in ('region', 'bucket') if not dst.get(key)]
    if missing:
        raise NodeError('dst_node needs %s to create a task.' % ' and '.join(missing))
    for key in src.get('object_key') or []:
        if len(key) > 1024:
            raise NodeError('src_node.object_key entries must be at most 1024 characters long.')


def create_nodes(params: Mapping[str, Any]) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """The CreateTask/CreateTaskGroup ``src_node`` and ``dst_node`` objects (credentials included, unset keys left out)."""
    src, dst = _node(params, 'src_node'), _node(params, 'dst_node')
    src_body = dict((key, src[key]) for key in _SRC_FIELDS + SRC_CREDENTIALS if src.get(key) is not None)
    dst_body = dict((key, dst[key]) for key in _DST_FIELDS + DST_CREDENTIALS if dst.get(key) is not None)
    return src_body, dst_body


def start_credentials(params: Mapping[str, Any], *, task_type: Optional[str], what: str) -> Dict[str, Any]:
    """The StartTaskReq credential fields (``src_ak``, ``src_sk``, ..., ``dst_sk``); :class:`NodeError` when some are missing.

    The API asks for the credentials again on every start and retry: the
    destination's AK/SK always, the source's unless the task reads a URL list
    or the source cloud authenticates with a connection string or a JSON key file.
    """
    src, dst = _node(params, 'src_node'), _node(params, 'dst_node')
    needed = []
    if not (dst.get('ak') and dst.get('sk')):
        needed.append('dst_node.ak and dst_node.sk')
    source_key = src.get('ak') and src.get('sk')
    if task_type != 'url_list' and not (source_key or src.get('connection_string') or src.get('json_auth_file')):
        needed.append('src_node.ak and src_node.sk (or src_node.connection_string / json_auth_file)')
    if needed:
        raise NodeError('%s needs the credentials again (the API asks for them on every start): set %s.' % (what, '; '.join(needed)))
    fields = {}
    for key, field in (('ak', 'src_ak'), ('sk', 'src_sk'), ('security_token', 'src_security_token'), ('crypto_type', 'src_crypto_type')):
        if src.get(key):
            fields[field] = src[key]
    for key in ('connection_string', 'json_auth_file'):
        if src.get(key):
            fields[key] = src[key]
    if src.get('kms_key_id'):
        fields['src_kms_key_id'] = src['kms_key_id']
    for key, field in (('ak', 'dst_ak'), ('sk', 'dst_sk'), ('security_token', 'dst_security_token'), ('crypto_type', 'dst_crypto_type')):
        if dst.get(key):
            fields[field] = dst[key]
    if dst.get('kms_key_id'):
        fields['dst_kms_key_id'] = dst['kms_key_id']
    return fields


def _list_file(value: Any) -> Optional[Tuple[Any, Any]]:
    if not isinstance(value, dict):
        return None
    return (value.get('obs_bucket'), value.get('list_file_key'))


def _keys(value: Any) -> Tuple[str, ...]:
    # The API's "whole bucket" is [""]; an absent or empty list means the same.
    keys = tuple(sorted(value)) if isinstance(value, list) and all(isinstance(key, str) for key in value) else value
    return keys or ('',)


def identity(task_type: Optional[str], src: Mapping[str, Any], dst: Mapping[str, Any]) -> Dict[str, Any]:
    """What a task migrates, with the API's defaults applied: the same shape from options and from an answer."""
    src, dst = dict(src or {}), dict(dst or {})
    return {
        # Tasks answer "prefix", groups "PREFIX": the same type.
        'task_type': task_type.lower() if isinstance(task_type, str) else task_type,
        'src_cloud_type': src.get('cloud_type') or DEFAULT_CLOUD_TYPE,
        'src_region': src.get('region'),
        'src_bucket': src.get('bucket'),
        'src_object_key': _keys(src.get('object_key')),
        'src_list_file': _list_file(src.get('list_file')),
        'dst_region': dst.get('region'),
        'dst_bucket': dst.get('bucket'),
        'dst_save_prefix': dst.get('save_prefix') or '',
    }


def identity_of_task(task: Mapping[str, Any]) -> Dict[str, Any]:
    """:func:`identity` of a task as ShowTask or ListTasks answers it."""
    return identity(task.get('task_type'), task.get('src_node') or {}, task.get('dst_node') or {})


def same_identity(wanted: Mapping[str, Any], found: Mapping[str, Any]) -> bool:
    """Whether a listed task migrates what the options describe (cloud types compared without case)."""
    for key, value in wanted.items():
        other = found.get(key)
        if key == 'src_cloud_type' and isinstance(value, str) and isinstance(other, str):
            if value.lower() != other.lower():
                return False
        elif value != other:
            return False
    return True
