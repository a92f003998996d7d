# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the lifecycle modules share in their docs: src_node/dst_node (NODES), the task settings (SETTINGS), the waits and attributes (WAIT)."""


class ModuleDocFragment(object):
    NODES = r"""
options:
  src_node:
    description:
      - The source (API C(SrcNodeReq) for a task, C(TaskGroupSrcNode) for a group, the C(src_*) fields of
        C(CreateSyncTaskReq) for a sync task); required without O(id), and for a create.
      - The same keys in every lifecycle module of the collection.
      - The credentials are needed to create the task and again to start or retry it (the API asks for
        them on every start); O(state=stopped) and O(state=absent) do not need them.
    type: dict
    suboptions:
      cloud_type:
        description: The source cloud; the API's default is V(Aliyun).
        type: str
        choices: [AWS, Azure, Aliyun, Tencent, HuaweiCloud, QingCloud, KingsoftCloud, Baidu, Qiniu, Google, URLSource, UCloud]
      region:
        description: The source bucket's region (required unless the task type is V(url_list)).
        type: str
      bucket:
        description: The source bucket (required unless the task type is V(url_list)).
        type: str
      object_key:
        description:
          - The object keys or folders (task type V(object)) or the prefixes (V(prefix)) to migrate.
            Unset, or V([""]), is the whole bucket.
        type: list
        elements: str
      list_file:
        description: Where the object or URL list file is (required for the task types V(list) and V(url_list)).
        type: dict
        suboptions:
          list_file_key:
            description: The key of the list file.
            type: str
            required: true
          obs_bucket:
            description: The OBS bucket that holds it.
            type: str
            required: true
      ak:
        description: The source access key.
        type: str
      sk:
        description: The source secret key. Never logged or returned.
        type: str
      security_token:
        description: The source's temporary security token (task groups and sync tasks take none). Never logged or returned.
        type: str
      connection_string:
        description: The connection string of an Azure Blob source. Never logged or returned.
        type: str
      json_auth_file:
        description: The JSON key file contents of a Google Cloud Storage source. Never logged or returned.
        type: str
      app_id:
        description: The Tencent Cloud APPID of a Tencent source.
        type: str
      crypto_type:
        description: Source encryption, V(DEFAULT) or V(KMS).
        type: str
        choices: [DEFAULT, KMS]
      kms_key_id:
        description: The KMS key ID (36 characters) when O(src_node.crypto_type) is V(KMS).
        type: str
  dst_node:
    description:
      - The destination OBS bucket (API C(DstNodeReq) for a task, C(TaskGroupDstNode) for a group, the C(dst_*)
        fields of C(CreateSyncTaskReq) for a sync task); required without O(id), and for a create.
    type: dict
    suboptions:
      region:
        description: The destination bucket's region.
        type: str
      bucket:
        description: The destination bucket.
        type: str
      save_prefix:
        description: A prefix put in front of every destination key (default none).
        type: str
      ak:
        description: The destination access key.
        type: str
      sk:
        description: The destination secret key. Never logged or returned.
        type: str
      security_token:
        description: The destination's temporary security token (task groups and sync tasks take none). Never logged or returned.
        type: str
      crypto_type:
        description: Destination encryption, V(DEFAULT) or V(KMS).
        type: str
        choices: [DEFAULT, KMS]
      kms_key_id:
        description: The KMS key ID when O(dst_node.crypto_type) is V(KMS).
        type: str
"""

    SETTINGS = r"""
options:
  description:
    description: The task's description, at most 255 characters, none of C(^<>&"').
    type: str
  migrate_since:
    description: Only objects changed after this time (seconds since the epoch) are migrated.
    type: int
  bandwidth_policy:
    description:
      - Bandwidth limits by time of day, at most 5 windows that do not overlap.
      - Applied in place (C(UpdateBandwidthPolicy), C(UpdateTaskGroup)) when it differs.
    type: list
    elements: dict
    suboptions:
      start:
        description: Start of the window, C(hh:mm).
        type: str
        required: true
      end:
        description: End of the window, C(hh:mm).
        type: str
        required: true
      max_bandwidth:
        description: The limit in bytes/s, 1048576 (1 MiB/s) to 209715200 (200 MiB/s).
        type: int
        required: true
  smn_config:
    description:
      - SMN notification of the outcome. Sent at create only; it is not compared with an existing task or
        group, whose answer holds the notification's result, not its configuration.
    type: dict
    suboptions:
      topic_urn:
        description: The SMN topic URN.
        type: str
        required: true
      language:
        description: The language of the message.
        type: str
        choices: [zh-cn, en-us]
      trigger_conditions:
        description: When to notify.
        type: list
        elements: str
        choices: [SUCCESS, FAILURE]
      message_template_name:
        description: The SMN message template to use.
        type: str
  consistency_check:
    description: How objects are compared before and after copying (API default V(size_last_modified)).
    type: str
    choices: [size_last_modified, crc64, no_check]
  object_overwrite_mode:
    description: What to do with a destination object of the same name (API default V(SIZE_LAST_MODIFIED_COMPARISON_OVERWRITE)).
    type: str
    choices: [NO_OVERWRITE, SIZE_LAST_MODIFIED_COMPARISON_OVERWRITE, CRC64_COMPARISON_OVERWRITE, FULL_OVERWRITE]
  dst_storage_policy:
    description: The destination storage class (API default V(STANDARD)).
    type: str
    choices: [STANDARD, IA, ARCHIVE, DEEP_ARCHIVE, SRC_STORAGE_MAPPING]
  enable_failed_object_recording:
    description: Record the failed objects in a list in the destination bucket (API default true).
    type: bool
  enable_metadata_migration:
    description: Migrate object metadata (API default false).
    type: bool
  enable_restore:
    description: Restore archived source objects before copying them (API default false).
    type: bool
  enable_requester_pays:
    description: The requester pays for the source requests and traffic.
    type: bool
"""

    WAIT = r"""
options:
  wait:
    description: Poll after the change until O(wait_for) is reached or O(wait_timeout) passes.
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds to wait, 1 to 604800. Also the deadline for sending a call again that the service refused
        as in progress (C(OMS.0063)), with or without O(wait).
    type: int
    default: 1800
  poll_interval:
    description: Seconds between two reads while waiting, 0.2 to O(wait_timeout).
    type: float
    default: 10
attributes:
  check_mode:
    support: full
    description: The task or group is read, nothing is written; C(changed) and RV(actions) say what would be done.
  diff_mode:
    support: full
    description: The settings before and after (never a credential).
"""
