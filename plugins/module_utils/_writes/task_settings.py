# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The settings of a migration task: options, checks, the CreateTask body, and the comparison with an existing task.

Field names and types are the SDK's ``CreateTaskReq``.  Only ``bandwidth_policy``
can change on an existing task (UpdateBandwidthPolicy); a change to any other
setting is refused with a message that says to recreate the task, never applied
by a silent replacement.  A setting left out (None) is not compared: the task
keeps what it has.  ``smn_config`` is sent at create only: ShowTask answers the
notification's outcome (``smn_info``), not its configuration, so it cannot be
compared.
"""

import re
from typing import Any, Dict, List, Mapping, Optional, Tuple

TASK_TYPES = ('object', 'prefix', 'list', 'url_list')
DEFAULT_TASK_TYPE = 'object'
OVERWRITE_MODES = ('NO_OVERWRITE', 'SIZE_LAST_MODIFIED_COMPARISON_OVERWRITE', 'CRC64_COMPARISON_OVERWRITE', 'FULL_OVERWRITE')
STORAGE_POLICIES = ('STANDARD', 'IA', 'ARCHIVE', 'DEEP_ARCHIVE', 'SRC_STORAGE_MAPPING')
CONSISTENCY_CHECKS = ('size_last_modified', 'crc64', 'no_check')
PRIORITIES = ('HIGH', 'MEDIUM', 'LOW')
MIN_BANDWIDTH, MAX_BANDWIDTH, MAX_WINDOWS = 1048576, 209715200, 5

SETTINGS_ARGUMENT_SPEC = dict(
    task_type=dict(type='str', choices=list(TASK_TYPES)),
    description=dict(type='str'),
    migrate_since=dict(type='int'),
    bandwidth_policy=dict(
        type='list',
        elements='dict',
        options=dict(start=dict(type='str', required=True), end=dict(type='str', required=True), max_bandwidth=dict(type='int', required=True)),
    ),
    smn_config=dict(
        type='dict',
        options=dict(
            topic_urn=dict(type='str', required=True),
            language=dict(type='str', choices=['zh-cn', 'en-us']),
            trigger_conditions=dict(type='list', elements='str', choices=['SUCCESS', 'FAILURE']),
            message_template_name=dict(type='str'),
        ),
    ),
    consistency_check=dict(type='str', choices=list(CONSISTENCY_CHECKS)),
    object_overwrite_mode=dict(type='str', choices=list(OVERWRITE_MODES)),
    dst_storage_policy=dict(type='str', choices=list(STORAGE_POLICIES)),
    enable_failed_object_recording=dict(type='bool'),
    enable_metadata_migration=dict(type='bool'),
    enable_restore=dict(type='bool'),
    enable_requester_pays=dict(type='bool'),
    task_priority=dict(type='str', choices=list(PRIORITIES)),
)
# Settings ShowTask answers and CreateTask takes, compared with an existing task; none can be updated.
FIXED_SETTINGS = (
    'task_type',
    'description',
    'migrate_since',
    'consistency_check',
    'object_overwrite_mode',
    'dst_storage_policy',
    'enable_failed_object_recording',
    'enable_metadata_migration',
    'enable_restore',
    'enable_requester_pays',
    'task_priority',
)
_HHMM = re.compile(r'^([01][0-9]|2[0-3]):[0-5][0-9]$')
_DESCRIPTION_FORBIDDEN = re.compile('[\\^<>&"\']')


class SettingsError(ValueError):
    """A setting that cannot be sent; the message names the option and what to write."""


def bandwidth_windows(windows: Optional[List[Mapping[str, Any]]]) -> Optional[List[Dict[str, Any]]]:
    """``bandwidth_policy`` checked (at most 5 windows, ``hh:mm``, 1048576 to 209715200 bytes/s, no overlap); None when not set."""
    if windows is None:
        return None
    if len(windows) > MAX_WINDOWS:
        raise SettingsError('bandwidth_policy holds %d windows; the API allows at most %d.' % (len(windows), MAX_WINDOWS))
    checked = []
    for position, window in enumerate(windows):
        for key in ('start', 'end'):
            if not _HHMM.match(window[key]):
                raise SettingsError('bandwidth_policy[%d].%s must be hh:mm (00:00 to 23:59), got %r.' % (position, key, window[key]))
        if not MIN_BANDWIDTH <= window['max_bandwidth'] <= MAX_BANDWIDTH:
            raise SettingsError(
                'bandwidth_policy[%d].max_bandwidth must be %d to %d bytes/s (1 to 200 MiB/s), got %d.'
                % (position, MIN_BANDWIDTH, MAX_BANDWIDTH, window['max_bandwidth'])
            )
        checked.append({'start': window['start'], 'end': window['end'], 'max_bandwidth': window['max_bandwidth']})
    spans = sorted((window['start'], window['end'], position) for position, window in enumerate(checked))
    for (_start, end, first), (start, _end, second) in zip(spans, spans[1:]):
        if start < end:
            raise SettingsError('bandwidth_policy[%d] and bandwidth_policy[%d] overlap; the API refuses overlapping windows.' % (first, second))
    return checked


def check_settings(params: Mapping[str, Any]) -> None:
    """Every setting checked before any request; :class:`SettingsError` names the first wrong one."""
    description = params.get('description')
    if description is not None:
        if len(description) > 255:
            raise SettingsError('description must be at most 255 characters long, got %d.' % len(description))
        if _DESCRIPTION_FORBIDDEN.search(description):
            raise SettingsError('description must not contain any of ^ < > & " \' (the API refuses them).')
    if params.get('migrate_since') is not None and params['migrate_since'] < 0:
        raise SettingsError('migrate_since is a time in seconds since the epoch; it cannot be negative.')
    bandwidth_windows(params.get('bandwidth_policy'))


def create_body(params: Mapping[str, Any], src_node: Dict[str, Any], dst_node: Dict[str, Any]) -> Dict[str, Any]:
    """The CreateTaskReq body: the nodes, and every setting that is set."""
    body: Dict[str, Any] = {'task_type': params.get('task_type') or DEFAULT_TASK_TYPE, 'src_node': src_node, 'dst_node': dst_node}
    for name in FIXED_SETTINGS:
        if name != 'task_type' and params.get(name) is not None:
            body[name] = params[name]
    if params.get('bandwidth_policy') is not None:
        body['bandwidth_policy'] = bandwidth_windows(params['bandwidth_policy'])
    if params.get('smn_config') is not None:
        body['smn_config'] = dict((key, value) for key, value in params['smn_config'].items() if value is not None)
    return body


def _windows_of(value: Any) -> List[Tuple[Any, Any, Any]]:
    if not isinstance(value, list):
        return []
    return sorted((w.get('start'), w.get('end'), w.get('max_bandwidth')) for w in value if isinstance(w, dict))


def compare(params: Mapping[str, Any], task: Mapping[str, Any]) -> Tuple[Optional[List[Dict[str, Any]]], List[str]]:
    """What differs between the options and an existing task: (the new bandwidth policy or None, the fixed settings that differ).

    Each fixed difference is worded ``name: the task has X, the options ask for Y``.
    """
    blocked = []
    for name in FIXED_SETTINGS:
        wanted = params.get(name)
        if wanted is not None and task.get(name) != wanted:
            blocked.append('%s: the task has %r, the options ask for %r' % (name, task.get(name), wanted))
    windows = bandwidth_windows(params.get('bandwidth_policy'))
    if windows is not None and _windows_of(windows) != _windows_of(task.get('bandwidth_policy')):
        return windows, blocked
    return None, blocked


def settings_view(task: Optional[Mapping[str, Any]]) -> Dict[str, Any]:
    """The settings of a task (as the API answers it) for a diff: no credentials, which ShowTask never answers."""
    if not task:
        return {}
    view = dict((name, task.get(name)) for name in FIXED_SETTINGS)
    view['bandwidth_policy'] = [dict(start=s, end=e, max_bandwidth=b) for s, e, b in _windows_of(task.get('bandwidth_policy'))]
    src, dst = task.get('src_node'), task.get('dst_node')
    src, dst = src if isinstance(src, dict) else {}, dst if isinstance(dst, dict) else {}
    view['src_node'] = dict((key, src.get(key)) for key in ('cloud_type', 'region', 'bucket', 'object_key', 'list_file'))
    view['dst_node'] = dict((key, dst.get(key)) for key in ('region', 'bucket', 'save_prefix'))
    return view


def desired_view(params: Mapping[str, Any], before: Optional[Mapping[str, Any]]) -> Dict[str, Any]:
    """The settings the task will have once the options are applied (for a diff in check mode)."""
    view = settings_view(before) if before else {}
    if not before:
        src, dst = params.get('src_node') or {}, params.get('dst_node') or {}
        view['src_node'] = dict((key, src.get(key)) for key in ('cloud_type', 'region', 'bucket', 'object_key', 'list_file'))
        view['dst_node'] = dict((key, dst.get(key)) for key in ('region', 'bucket', 'save_prefix'))
        view['task_type'] = params.get('task_type') or DEFAULT_TASK_TYPE
    for name in FIXED_SETTINGS:
        if params.get(name) is not None:
            view[name] = params[name]
    windows = bandwidth_windows(params.get('bandwidth_policy'))
    if windows is not None:
        view['bandwidth_policy'] = [dict(start=s, end=e, max_bandwidth=b) for s, e, b in _windows_of(windows)]
    return view
