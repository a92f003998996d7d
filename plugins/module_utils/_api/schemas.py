# -*- coding: utf-8 -*-
# Copyright: (c) 2025, hwcloud.migration contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# The API contract of the three Huawei Cloud APIs this collection reads, as JSON
# Schemas (draft 7) in plain data. The collection checks the answers it receives
# against them and the bundled emulator checks every answer it sends, so both sides
# agree on one contract. Keep this file data only: the emulator loads it by path.
#
# Sources: the OMS v2 ShowSyncTask and ListSyncTaskStatistic reference pages (both
# editions), the ModelArts dataset sync status page, and the facts in the project's
# API notes. Any field the documents do not show as always present may be absent or
# null (the documented examples carry "app_id": null and "dst_storage_policy": null).

_LONG_MAX = 9223372036854775807

_COUNTER = {'type': ['integer', 'null'], 'minimum': 0, 'maximum': _LONG_MAX}
_TIMESTAMP = {'type': ['integer', 'null'], 'minimum': 0, 'maximum': _LONG_MAX}
_BOOLEAN = {'type': ['boolean', 'null']}


def _text(max_length, min_length=0):
    return {'type': ['string', 'null'], 'minLength': min_length, 'maxLength': max_length}


def _choice(values, max_length=None):
    schema = {'type': ['string', 'null'], 'enum': list(values) + [None]}
    if max_length is not None:
        schema['maxLength'] = max_length
    return schema


SYNC_TASK_STATUSES = ('SYNCHRONIZING', 'STOPPED')
SRC_CLOUD_TYPES = ('AWS', 'Azure', 'Aliyun', 'Tencent', 'HuaweiCloud', 'QingCloud', 'KingsoftCloud', 'Baidu', 'Qiniu', 'UCloud')
OBJECT_OVERWRITE_MODES = ('NO_OVERWRITE', 'SIZE_LAST_MODIFIED_COMPARISON_OVERWRITE', 'CRC64_COMPARISON_OVERWRITE', 'FULL_OVERWRITE')
DST_STORAGE_POLICIES = ('STANDARD', 'IA', 'ARCHIVE', 'DEEP_ARCHIVE', 'SRC_STORAGE_MAPPING')
CONSISTENCY_CHECKS = ('size_last_modified', 'crc64', 'no_check')
STATISTIC_DATA_TYPES = ('REQUEST', 'SUCCESS', 'FAILURE', 'SKIP', 'SIZE')
STATISTIC_TIME_TYPES = ('FIVE_MINUTES', 'ONE_HOUR')
DATASET_SYNC_STATUSES = ('QUEUING', 'STARTING', 'RUNNING', 'COMPLETED', 'FAILED', 'NOT_EXIST')

# Fields shared by ShowSyncTask and the items of ListSyncTasks.
_SYNC_TASK_COMMON = {
    'sync_task_id': {'type': 'string', 'minLength': 0, 'maxLength': 255},
    'src_cloud_type': _choice(SRC_CLOUD_TYPES),
    'src_region': _text(100),
    'src_bucket': _text(1024),
    'create_time': _TIMESTAMP,
    'last_start_time': _TIMESTAMP,
    'dst_bucket': _text(1024),
    'dst_region': _text(100),
    'description': _text(255),
    'status': {'type': 'string', 'enum': list(SYNC_TASK_STATUSES)},
    # Only the older edition of ShowSyncTask documents enable_kms.
    'enable_kms': _BOOLEAN,
    'enable_metadata_migration': _BOOLEAN,
    'enable_restore': _BOOLEAN,
    'app_id': _text(255),
    'object_overwrite_mode': _choice(OBJECT_OVERWRITE_MODES),
    'dst_storage_policy': _choice(DST_STORAGE_POLICIES, max_length=128),
    'consistency_check': _choice(CONSISTENCY_CHECKS),
}

_MONTHLY_COUNTERS = {
    'monthly_acceptance_request': _COUNTER,
    'monthly_success_object': _COUNTER,
    'monthly_failure_object': _COUNTER,
    'monthly_skip_object': _COUNTER,
    'monthly_size': _COUNTER,
}

_SOURCE_CDN = {
    'type': ['object', 'null'],
    'properties': {'domain': _text(1024), 'protocol': _choice(('http', 'https')), 'authentication_type': _text(255)},
    'additionalProperties': True,
}

_SYNC_TASK_INFO = {
    'type': 'object',
    'required': ['sync_task_id', 'status'],
    'properties': dict(_SYNC_TASK_COMMON, source_cdn=_SOURCE_CDN),
    'additionalProperties': True,
}

_STATISTIC_DATA = {
    'type': 'object',
    'required': ['time_stamp', 'statistic_num'],
    'properties': {
        'time_stamp': {'type': 'integer', 'minimum': 0, 'maximum': _LONG_MAX},
        'statistic_num': {'type': 'integer', 'minimum': 0, 'maximum': _LONG_MAX},
    },
    'additionalProperties': True,
}

_STATISTIC_TYPE_DATA = {
    'type': 'object',
    'required': ['data_type', 'data'],
    'properties': {
        'data_type': {'type': 'string', 'minLength': 1, 'maxLength': 255, 'enum': list(STATISTIC_DATA_TYPES)},
        'data': {'type': 'array', 'minItems': 0, 'maxItems': 1000, 'items': _STATISTIC_DATA},
    },
    'additionalProperties': True,
}

SCHEMAS = {
    'ShowSyncTaskResponse': {
        '$schema': 'http://json-schema.org/draft-07/schema#',
        'title': 'OMS v2 ShowSyncTask response (200)',
        'type': 'object',
        'required': ['sync_task_id', 'status'],
        'properties': dict(_SYNC_TASK_COMMON, **_MONTHLY_COUNTERS),
        'additionalProperties': True,
    },
    'ListSyncTasksResponse': {
        '$schema': 'http://json-schema.org/draft-07/schema#',
        'title': 'OMS v2 ListSyncTasks response (200)',
        'type': 'object',
        'required': ['count', 'tasks'],
        'properties': {
            'count': {'type': 'integer', 'minimum': 0, 'maximum': _LONG_MAX},
            'tasks': {'type': 'array', 'minItems': 0, 'maxItems': 1000, 'items': _SYNC_TASK_INFO},
        },
        'additionalProperties': True,
    },
    'ListSyncTaskStatisticResponse': {
        '$schema': 'http://json-schema.org/draft-07/schema#',
        'title': 'OMS v2 ListSyncTaskStatistic response (200)',
        'type': 'object',
        'required': ['sync_task_id', 'statistic_time_type', 'statistic_datas'],
        'properties': {
            'sync_task_id': {'type': 'string', 'minLength': 1, 'maxLength': 255},
            'statistic_time_type': {'type': 'string', 'minLength': 1, 'maxLength': 255, 'enum': list(STATISTIC_TIME_TYPES)},
            'statistic_datas': {'type': 'array', 'minItems': 0, 'maxItems': 1000, 'items': _STATISTIC_TYPE_DATA},
        },
        'additionalProperties': True,
    },
    'ShowDatasetSyncStatusResponse': {
        '$schema': 'http://json-schema.org/draft-07/schema#',
        'title': 'ModelArts dataset sync status response (200)',
        'type': 'object',
        'required': ['status'],
        'properties': {
            'add_sample_count': _COUNTER,
            'create_time': _TIMESTAMP,
            'dataset_id': _text(1024),
            'deleted_sample_count': _COUNTER,
            'duration_time': _COUNTER,
            'error_code': _text(1024),
            'error_msg': _text(65536),
            'status': {'type': 'string', 'enum': list(DATASET_SYNC_STATUSES)},
            'task_id': _text(1024),
            'total_sample_count': _COUNTER,
        },
        'additionalProperties': True,
    },
    # The error body of OMS, ModelArts and the API gateway (which adds request_id).
    'OmsErrorResponse': {
        '$schema': 'http://json-schema.org/draft-07/schema#',
        'title': 'error body: error_code and error_msg',
        'type': 'object',
        'required': ['error_code', 'error_msg'],
        'properties': {'error_code': {'type': 'string', 'minLength': 1, 'maxLength': 255}, 'error_msg': {'type': 'string'}, 'request_id': {'type': 'string'}},
        'additionalProperties': True,
    },
    # IAM (Keystone) answers the collection and the emulator also rely on.
    'KeystoneCreateTokenResponse': {
        '$schema': 'http://json-schema.org/draft-07/schema#',
        'title': 'IAM POST /v3/auth/tokens response body (201)',
        'type': 'object',
        'required': ['token'],
        'properties': {
            'token': {
                'type': 'object',
                'required': ['expires_at'],
                'properties': {
                    'expires_at': {'type': 'string', 'minLength': 1},
                    'issued_at': {'type': 'string'},
                    'methods': {'type': 'array', 'items': {'type': 'string'}},
                    'project': {'type': 'object', 'required': ['id'], 'properties': {'id': {'type': 'string', 'minLength': 1}, 'name': {'type': 'string'}}},
                },
            }
        },
        'additionalProperties': True,
    },
    'KeystoneListProjectsResponse': {
        '$schema': 'http://json-schema.org/draft-07/schema#',
        'title': 'IAM GET /v3/projects response body (200)',
        'type': 'object',
        'required': ['projects'],
        'properties': {
            'projects': {
                'type': 'array',
                'items': {
                    'type': 'object',
                    'required': ['id', 'name'],
                    'properties': {
                        'id': {'type': 'string', 'minLength': 1},
                        'name': {'type': 'string'},
                        'domain_id': {'type': ['string', 'null']},
                        'enabled': {'type': ['boolean', 'null']},
                    },
                },
            }
        },
        'additionalProperties': True,
    },
    'IamErrorResponse': {
        '$schema': 'http://json-schema.org/draft-07/schema#',
        'title': 'IAM error body',
        'type': 'object',
        'required': ['error'],
        'properties': {
            'error': {
                'type': 'object',
                'required': ['code', 'message'],
                'properties': {'code': {'type': 'integer'}, 'message': {'type': 'string'}, 'title': {'type': 'string'}},
            }
        },
        'additionalProperties': True,
    },
}

# --- OMS v2 migration tasks and task groups -----------------------------------
# Taken field by field from the official SDK's models (huaweicloudsdkoms v2:
# ShowTaskResponse / TaskResp, ListTasksResponse, ShowTaskGroupResponse /
# TaskGroupResp, ListTaskGroupResponse and the nested ErrorReasonResp,
# FailedObjectRecordDto, BandwidthPolicyDto, SrcNodeResp, DstNodeResp,
# TaskGroupSrcNodeResp, TaskGroupDstNodeResp, ListFile, SmnInfo, SourceCdnResp).
# The SDK declares no field required; only the identifier and the status are
# required here, as without them an answer says nothing about a task.

MIGRATION_TASK_STATUSES = (1, 2, 3, 4, 5, 6, 7)
TASK_GROUP_STATUSES = (0, 1, 2, 3, 4, 5, 6, 7, 8, 9)
MIGRATION_TASK_TYPES = ('list', 'object', 'prefix', 'url_list')
TASK_GROUP_TYPES = ('LIST', 'URL_LIST', 'PREFIX')
MIGRATION_GROUP_TYPES = ('NORMAL_TASK', 'SYNC_TASK', 'GROUP_TASK')
MIGRATION_SRC_CLOUD_TYPES = (
    'AWS',
    'Azure',
    'Aliyun',
    'Tencent',
    'HuaweiCloud',
    'QingCloud',
    'KingsoftCloud',
    'Baidu',
    'Google',
    'Qiniu',
    'URLSource',
    'UCloud',
)
TASK_GROUP_SRC_CLOUD_TYPES = (
    'AWS',
    'AZURE',
    'ALIYUN',
    'TENCENT',
    'HUAWEICLOUD',
    'QINGCLOUD',
    'KINGSOFTCLOUD',
    'BAIDU',
    'QINIU',
    'GOOGLE',
    'URLSOURCE',
    'UCLOUD',
)
OBS_SYSTEMS = ('BUCKET', 'PFS')
TASK_PRIORITIES = ('HIGH', 'MEDIUM', 'LOW')


def _integer(minimum=None, maximum=_LONG_MAX):
    schema = {'type': ['integer', 'null'], 'maximum': maximum}
    if minimum is not None:
        schema['minimum'] = minimum
    return schema


def _nested(properties):
    return {'type': ['object', 'null'], 'properties': properties, 'additionalProperties': True}


_ERROR_REASON = _nested({'error_code': _text(255), 'error_msg': _text(65536)})
_FAILED_OBJECT_RECORD = _nested({'result': _BOOLEAN, 'list_file_key': _text(1024), 'error_code': _text(255)})
_BANDWIDTH_POLICY = {
    'type': ['array', 'null'],
    'maxItems': 5,
    'items': {'type': 'object', 'properties': {'start': _text(5), 'end': _text(5), 'max_bandwidth': _integer(0)}, 'additionalProperties': True},
}
_LIST_FILE = _nested(
    {
        'list_file_key': _text(1024),
        'obs_bucket': _text(1024),
        # A string in the SDK's ListFile model.
        'list_file_num': _text(255),
    }
)
_OBJECT_KEYS = {'type': ['array', 'null'], 'items': {'type': 'string'}}
_SMN_INFO = _nested({'notify_result': _BOOLEAN, 'notify_error_message': _text(65536), 'topic_name': _text(255)})
_DST_NODE = _nested({'bucket': _text(1024), 'region': _text(100), 'save_prefix': _text(1024)})


def _src_node(cloud_types):
    return _nested(
        {
            'bucket': _text(1024),
            'cloud_type': _choice(cloud_types),
            'region': _text(100),
            'app_id': _text(255),
            'object_key': _OBJECT_KEYS,
            'list_file': _LIST_FILE,
        }
    )


# ShowTaskResponse and the items of ListTasksResponse (TaskResp) have the same fields.
_MIGRATION_TASK_PROPERTIES = {
    'bandwidth_policy': _BANDWIDTH_POLICY,
    'complete_size': _COUNTER,
    'description': _text(255),
    'dst_node': _DST_NODE,
    'enable_failed_object_recording': _BOOLEAN,
    'enable_metadata_migration': _BOOLEAN,
    'enable_restore': _BOOLEAN,
    'error_reason': _ERROR_REASON,
    'failed_num': _COUNTER,
    'failed_object_record': _FAILED_OBJECT_RECORD,
    'group_id': _text(255),
    'id': {'type': 'integer', 'minimum': 0, 'maximum': _LONG_MAX},
    'is_query_over': _BOOLEAN,
    # Milliseconds left; the SDK documents no range, so a negative value ("unknown")
    # is not refused here; the summaries treat it as an unknown time left.
    'left_time': _integer(),
    'migrate_since': _TIMESTAMP,
    'migrate_speed': _COUNTER,
    'name': _text(255),
    # A fraction: 0.522 is 52.2 %.
    'progress': {'type': ['number', 'null'], 'minimum': 0, 'maximum': 1},
    'real_size': _COUNTER,
    'skipped_num': _COUNTER,
    'src_node': _src_node(MIGRATION_SRC_CLOUD_TYPES),
    'start_time': _TIMESTAMP,
    'status': {'type': 'integer', 'minimum': 1, 'maximum': 7},
    'successful_num': _COUNTER,
    'task_type': _choice(MIGRATION_TASK_TYPES),
    'group_type': _choice(MIGRATION_GROUP_TYPES),
    'total_num': _COUNTER,
    'total_size': _COUNTER,
    'total_time': _COUNTER,
    'smn_info': _SMN_INFO,
    'source_cdn': _SOURCE_CDN,
    'success_record_error_reason': _text(255),
    'skip_record_error_reason': _text(255),
    'object_overwrite_mode': _choice(OBJECT_OVERWRITE_MODES),
    'dst_storage_policy': _choice(DST_STORAGE_POLICIES, max_length=128),
    'consistency_check': _choice(CONSISTENCY_CHECKS),
    'enable_requester_pays': _BOOLEAN,
    'obs_system': _choice(OBS_SYSTEMS),
    'task_priority': _choice(TASK_PRIORITIES),
}

_MIGRATION_TASK = {'type': 'object', 'required': ['id', 'status'], 'properties': _MIGRATION_TASK_PROPERTIES, 'additionalProperties': True}

# ShowTaskGroupResponse and the items of ListTaskGroupResponse (TaskGroupResp).
_TASK_GROUP_PROPERTIES = {
    'group_id': {'type': 'string', 'minLength': 1, 'maxLength': 255},
    'status': {'type': 'integer', 'minimum': 0, 'maximum': 9},
    'error_reason': _ERROR_REASON,
    'src_node': _src_node(TASK_GROUP_SRC_CLOUD_TYPES),
    'description': _text(255),
    'dst_node': _DST_NODE,
    'enable_metadata_migration': _BOOLEAN,
    'enable_failed_object_recording': _BOOLEAN,
    'enable_restore': _BOOLEAN,
    'task_type': _choice(TASK_GROUP_TYPES),
    'bandwidth_policy': _BANDWIDTH_POLICY,
    'smn_config': _SMN_INFO,
    'source_cdn': _SOURCE_CDN,
    'migrate_since': _TIMESTAMP,
    'migrate_speed': _COUNTER,
    'total_time': _COUNTER,
    'start_time': _TIMESTAMP,
    'total_task_num': _COUNTER,
    'create_task_num': _COUNTER,
    'failed_task_num': _COUNTER,
    'complete_task_num': _COUNTER,
    'paused_task_num': _COUNTER,
    'executing_task_num': _COUNTER,
    'waiting_task_num': _COUNTER,
    'total_num': _COUNTER,
    'create_complete_num': _COUNTER,
    'success_num': _COUNTER,
    'fail_num': _COUNTER,
    'skip_num': _COUNTER,
    'total_size': _COUNTER,
    'create_complete_size': _COUNTER,
    'complete_size': _COUNTER,
    'failed_object_record': _FAILED_OBJECT_RECORD,
    'object_overwrite_mode': _choice(OBJECT_OVERWRITE_MODES),
    'dst_storage_policy': _choice(DST_STORAGE_POLICIES, max_length=128),
    'consistency_check': _choice(CONSISTENCY_CHECKS),
    'obs_system': _choice(OBS_SYSTEMS),
    'enable_requester_pays': _BOOLEAN,
}

_TASK_GROUP = {'type': 'object', 'required': ['group_id', 'status'], 'properties': _TASK_GROUP_PROPERTIES, 'additionalProperties': True}

SCHEMAS.update(
    {
        'ShowTaskResponse': dict(_MIGRATION_TASK, **{'$schema': 'http://json-schema.org/draft-07/schema#', 'title': 'OMS v2 ShowTask response (200)'}),
        'ListTasksResponse': {
            '$schema': 'http://json-schema.org/draft-07/schema#',
            'title': 'OMS v2 ListTasks response (200)',
            'type': 'object',
            'required': ['count', 'tasks'],
            'properties': {
                'count': {'type': 'integer', 'minimum': 0, 'maximum': _LONG_MAX},
                'tasks': {'type': 'array', 'minItems': 0, 'maxItems': 100, 'items': _MIGRATION_TASK},
            },
            'additionalProperties': True,
        },
        'ShowTaskGroupResponse': dict(_TASK_GROUP, **{'$schema': 'http://json-schema.org/draft-07/schema#', 'title': 'OMS v2 ShowTaskGroup response (200)'}),
        'ListTaskGroupResponse': {
            '$schema': 'http://json-schema.org/draft-07/schema#',
            'title': 'OMS v2 ListTaskGroup response (200)',
            'type': 'object',
            'required': ['count', 'taskgroups'],
            'properties': {
                'count': {'type': 'integer', 'minimum': 0, 'maximum': _LONG_MAX},
                'taskgroups': {'type': 'array', 'minItems': 0, 'maxItems': 100, 'items': _TASK_GROUP},
            },
            'additionalProperties': True,
        },
    }
)
