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

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

_LONG_MAX = 9223372036854775807

_COUNTER = {"type": ["integer", "null"], "minimum": 0, "maximum": _LONG_MAX}
_TIMESTAMP = {"type": ["integer", "null"], "minimum": 0, "maximum": _LONG_MAX}
_BOOLEAN = {"type": ["boolean", "null"]}


def _text(max_length, min_length=0):
    return {"type": ["string", "null"], "minLength": min_length, "maxLength": max_length}


def _choice(values, max_length=None):
    schema = {"type": ["string", "null"], "enum": list(values) + [None]}
    if max_length is not None:
        schema["maxLength"] = max_length
    return schema


SYNC_TASK_STATUSES = ("SYNCHRONIZING", "STOPPED")
SRC_CLOUD_TYPES = (
    "AWS", "Azure", "Aliyun", "Tencent", "HuaweiCloud", "QingCloud",
    "KingsoftCloud", "Baidu", "Qiniu", "UCloud",
)
OBJECT_OVERWRITE_MODES = (
    "NO_OVERWRITE", "SIZE_LAST_MODIFIED_COMPARISON_OVERWRITE",
    "CRC64_COMPARISON_OVERWRITE", "FULL_OVERWRITE",
)
DST_STORAGE_POLICIES = ("STANDARD", "IA", "ARCHIVE", "DEEP_ARCHIVE", "SRC_STORAGE_MAPPING")
CONSISTENCY_CHECKS = ("size_last_modified", "crc64", "no_check")
STATISTIC_DATA_TYPES = ("REQUEST", "SUCCESS", "FAILURE", "SKIP", "SIZE")
STATISTIC_TIME_TYPES = ("FIVE_MINUTES", "ONE_HOUR")
DATASET_SYNC_STATUSES = ("QUEUING", "STARTING", "RUNNING", "COMPLETED", "FAILED", "NOT_EXIST")

# Fields shared by ShowSyncTask and the items of ListSyncTasks.
_SYNC_TASK_COMMON = {
    "sync_task_id": {"type": "string", "minLength": 0, "maxLength": 255},
    "src_cloud_type": _choice(SRC_CLOUD_TYPES),
    "src_region": _text(100),
    "src_bucket": _text(1024),
    "create_time": _TIMESTAMP,
    "last_start_time": _TIMESTAMP,
    "dst_bucket": _text(1024),
    "dst_region": _text(100),
    "description": _text(255),
    "status": {"type": "string", "enum": list(SYNC_TASK_STATUSES)},
    # Only the older edition of ShowSyncTask documents enable_kms.
    "enable_kms": _BOOLEAN,
    "enable_metadata_migration": _BOOLEAN,
    "enable_restore": _BOOLEAN,
    "app_id": _text(255),
    "object_overwrite_mode": _choice(OBJECT_OVERWRITE_MODES),
    "dst_storage_policy": _choice(DST_STORAGE_POLICIES, max_length=128),
    "consistency_check": _choice(CONSISTENCY_CHECKS),
}

_MONTHLY_COUNTERS = {
    "monthly_acceptance_request": _COUNTER,
    "monthly_success_object": _COUNTER,
    "monthly_failure_object": _COUNTER,
    "monthly_skip_object": _COUNTER,
    "monthly_size": _COUNTER,
}

_SOURCE_CDN = {
    "type": ["object", "null"],
    "properties": {
        "domain": _text(1024),
        "protocol": _choice(("http", "https")),
        "authentication_type": _text(255),
    },
    "additionalProperties": True,
}

_SYNC_TASK_INFO = {
    "type": "object",
    "required": ["sync_task_id", "status"],
    "properties": dict(_SYNC_TASK_COMMON, source_cdn=_SOURCE_CDN),
    "additionalProperties": True,
}

_STATISTIC_DATA = {
    "type": "object",
    "required": ["time_stamp", "statistic_num"],
    "properties": {
        "time_stamp": {"type": "integer", "minimum": 0, "maximum": _LONG_MAX},
        "statistic_num": {"type": "integer", "minimum": 0, "maximum": _LONG_MAX},
    },
    "additionalProperties": True,
}

_STATISTIC_TYPE_DATA = {
    "type": "object",
    "required": ["data_type", "data"],
    "properties": {
        "data_type": {
            "type": "string", "minLength": 1, "maxLength": 255,
            "enum": list(STATISTIC_DATA_TYPES),
        },
        "data": {"type": "array", "minItems": 0, "maxItems": 1000, "items": _STATISTIC_DATA},
    },
    "additionalProperties": True,
}

SCHEMAS = {
    "ShowSyncTaskResponse": {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "OMS v2 ShowSyncTask response (200)",
        "type": "object",
        "required": ["sync_task_id", "status"],
        "properties": dict(_SYNC_TASK_COMMON, **_MONTHLY_COUNTERS),
        "additionalProperties": True,
    },
    "ListSyncTasksResponse": {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "OMS v2 ListSyncTasks response (200)",
        "type": "object",
        "required": ["count", "tasks"],
        "properties": {
            "count": {"type": "integer", "minimum": 0, "maximum": _LONG_MAX},
            "tasks": {"type": "array", "minItems": 0, "maxItems": 1000, "items": _SYNC_TASK_INFO},
        },
        "additionalProperties": True,
    },
    "ListSyncTaskStatisticResponse": {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "OMS v2 ListSyncTaskStatistic response (200)",
        "type": "object",
        "required": ["sync_task_id", "statistic_time_type", "statistic_datas"],
        "properties": {
            "sync_task_id": {"type": "string", "minLength": 1, "maxLength": 255},
            "statistic_time_type": {
                "type": "string", "minLength": 1, "maxLength": 255,
                "enum": list(STATISTIC_TIME_TYPES),
            },
            "statistic_datas": {
                "type": "array", "minItems": 0, "maxItems": 1000, "items": _STATISTIC_TYPE_DATA,
            },
        },
        "additionalProperties": True,
    },
    "ShowDatasetSyncStatusResponse": {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "ModelArts dataset sync status response (200)",
        "type": "object",
        "required": ["status"],
        "properties": {
            "add_sample_count": _COUNTER,
            "create_time": _TIMESTAMP,
            "dataset_id": _text(1024),
            "deleted_sample_count": _COUNTER,
            "duration_time": _COUNTER,
            "error_code": _text(1024),
            "error_msg": _text(65536),
            "status": {"type": "string", "enum": list(DATASET_SYNC_STATUSES)},
            "task_id": _text(1024),
            "total_sample_count": _COUNTER,
        },
        "additionalProperties": True,
    },
    # The error body of OMS, ModelArts and the API gateway (which adds request_id).
    "OmsErrorResponse": {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "error body: error_code and error_msg",
        "type": "object",
        "required": ["error_code", "error_msg"],
        "properties": {
            "error_code": {"type": "string", "minLength": 1, "maxLength": 255},
            "error_msg": {"type": "string"},
            "request_id": {"type": "string"},
        },
        "additionalProperties": True,
    },
    # IAM (Keystone) answers the collection and the emulator also rely on.
    "KeystoneCreateTokenResponse": {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "IAM POST /v3/auth/tokens response body (201)",
        "type": "object",
        "required": ["token"],
        "properties": {
            "token": {
                "type": "object",
                "required": ["expires_at"],
                "properties": {
                    "expires_at": {"type": "string", "minLength": 1},
                    "issued_at": {"type": "string"},
                    "methods": {"type": "array", "items": {"type": "string"}},
                    "project": {
                        "type": "object",
                        "required": ["id"],
                        "properties": {
                            "id": {"type": "string", "minLength": 1},
                            "name": {"type": "string"},
                        },
                    },
                },
            },
        },
        "additionalProperties": True,
    },
    "KeystoneListProjectsResponse": {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "IAM GET /v3/projects response body (200)",
        "type": "object",
        "required": ["projects"],
        "properties": {
            "projects": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "name"],
                    "properties": {
                        "id": {"type": "string", "minLength": 1},
                        "name": {"type": "string"},
                        "domain_id": {"type": ["string", "null"]},
                        "enabled": {"type": ["boolean", "null"]},
                    },
                },
            },
        },
        "additionalProperties": True,
    },
    "IamErrorResponse": {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "IAM error body",
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "integer"},
                    "message": {"type": "string"},
                    "title": {"type": "string"},
                },
            },
        },
        "additionalProperties": True,
    },
}
