#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r"""
---
module: oms_task_group
short_description: Create, start, stop, retry and delete a Huawei Cloud OMS task group, and wait for it
version_added: 0.2.0
author:
  - hwcloud.migration maintainers (@hwcloud)
description:
  - Manages one Object Storage Migration Service (OMS) v2 task group (a large migration that OMS splits into
    many migration tasks) with the API calls C(CreateTaskGroup), C(ShowTaskGroup), C(ListTaskGroup),
    C(StartTaskGroup), C(StopTaskGroup), C(RetryTaskGroup), C(UpdateTaskGroup) and C(DeleteTaskGroup).
  - The same interface as M(hwcloud.migration.oms_migration_task), so a playbook reads the same for both.
  - The group is the one named by O(id); without it, the group that migrates what O(src_node) and
    O(dst_node) describe, found by listing every page of the project's groups (see the notes for the rule).
  - O(state=present) creates the group when it is missing (it starts by itself); O(state=started) also
    starts a paused group and retries a group whose migration failed; O(state=stopped) stops a creating
    or monitoring group; O(state=absent) stops it first when it runs, then deletes it.
  - A change of O(bandwidth_policy) is applied in place (C(UpdateTaskGroup)); a change of any other setting
    fails with a message saying so (recreate the group).
  - With O(wait=true) the module polls until the group is settled in the state asked, or until its
    migration has ended (O(wait_for=finished)); a group that ends failed (task creation failed or migration
    failed) fails the module with its C(error_reason), failed tasks and failed objects, and returns the group.
extends_documentation_fragment:
  - hwcloud.migration.huaweicloud
options:
  state:
    description:
      - V(present), the group exists (created when missing).
      - V(started), as V(present), and a paused group (status 3) is started, a pausing one (7) once it has
        paused, a group whose migration failed (5) retried (only the failed objects with
        O(failed_objects_only=true)); a waiting, creating, monitoring, completed or creation-failed group is
        left alone.
      - V(stopped), a creating (1) or monitoring (2) group is stopped; anything else is left alone. A missing
        group is an error (this state does not create one).
      - V(absent), the group is stopped when it is creating or monitoring, then deleted. A missing group, or
        one deleted or waiting for deletion, is fine.
    type: str
    choices: [present, started, stopped, absent]
    default: present
  id:
    description:
      - The group's ID (C(group_id)), 1 to 255 characters.
      - Without it, O(src_node) and O(dst_node) say which group this is.
    type: str
  task_type:
    description:
      - What the source lists, V(prefix) (key prefixes, the API's default), V(list) (an object list file) or
        V(url_list) (a URL list file); sent as the API's C(PREFIX), C(LIST), C(URL_LIST).
      - Part of what the group migrates; cannot change on an existing group.
    type: str
    choices: [prefix, list, url_list]
  src_node:
    description:
      - The source (API C(TaskGroupSrcNode)); required without O(id), and for a create.
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
        description: The source bucket's region (required unless O(task_type=url_list)).
        type: str
      bucket:
        description: The source bucket (required unless O(task_type=url_list)).
        type: str
      object_key:
        description:
          - The prefixes to migrate. Unset, or V([""]), is the whole bucket.
        type: list
        elements: str
      list_file:
        description: Where the object or URL list file is (required for O(task_type=list) and V(url_list)).
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
        description: Not taken by task groups (the API has no field for it); setting it fails the task. Never logged or returned.
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
        description: The KMS key ID (36 characters) when O(src_node.crypto_type=KMS).
        type: str
  dst_node:
    description:
      - The destination OBS bucket (API C(TaskGroupDstNode)); required without O(id), and for a create.
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
        description: Not taken by task groups (the API has no field for it); setting it fails the task. Never logged or returned.
        type: str
      crypto_type:
        description: Destination encryption, V(DEFAULT) or V(KMS).
        type: str
        choices: [DEFAULT, KMS]
      kms_key_id:
        description: The KMS key ID when O(dst_node.crypto_type=KMS).
        type: str
  description:
    description: The task's description, at most 255 characters, none of C(^<>&"').
    type: str
  migrate_since:
    description: Only objects changed after this time (seconds since the epoch) are migrated.
    type: int
  bandwidth_policy:
    description:
      - Bandwidth limits by time of day, at most 5 windows that do not overlap.
      - Applied in place to an existing task (C(UpdateBandwidthPolicy)) when it differs.
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
      - SMN notification of the task's outcome. Sent when the task is created; it is not compared with an
        existing task, whose answer holds the notification's result, not its configuration.
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
  failed_objects_only:
    description:
      - When O(state=started) retries a group whose migration failed, send only the failed objects again
        (C(migrate_failed_object)); false migrates the failed tasks again in full.
    type: bool
    default: true
  wait:
    description: Poll the task after the change until O(wait_for) is reached or O(wait_timeout) passes.
    type: bool
    default: false
  wait_for:
    description:
      - V(settled), the state asked is reached. V(present) a group no longer waiting, creating or pausing;
        V(started) monitoring or completed (a failed group fails the module); V(stopped) paused, failed or
        completed; V(absent) the group is gone.
      - V(finished), the group has ended, completed or failed (failed fails the module); only with
        O(state=present) or V(started). A group paused meanwhile fails the module at once.
    type: str
    choices: [settled, finished]
    default: settled
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
    description: The group is read, nothing is written; C(changed) and RV(actions) say what would be done.
  diff_mode:
    support: full
    description: The group's settings before and after (never a credential).
notes:
  - "Identity without O(id): a group matches when its task type, source cloud (case aside), region, bucket,
    object keys (as a set; unset is the whole bucket), list file, and destination region, bucket and save
    prefix equal the options, with the API's defaults (V(prefix), V(Aliyun), no prefix) for those left out.
    Every page of C(ListTaskGroup) is read; a listing that does not add up fails the module rather than risk a
    second migration, and two matching groups fail it naming both IDs."
  - "Calls sent again: PUT and DELETE are repeated by the client after a failure worth another attempt (they are
    idempotent); the create (POST) only when it never left or was throttled. A call the service refused with
    C(OMS.0063) (in progress) is sent again every O(poll_interval) until O(wait_timeout). C(OMS.0066) on a stop
    and C(OMS.1009) on a delete end the call as done."
  - Every other failure fails the module with its HTTP status, error code, message and request ID, plus
    RV(actions) so far and the group as last read.
seealso:
  - module: hwcloud.migration.oms_task_group_info
  - module: hwcloud.migration.oms_migration_task
"""

EXAMPLES = r"""
- name: Migrate a large bucket as a task group and wait until it has ended
  hwcloud.migration.oms_task_group:
    state: present
    src_node:
      cloud_type: AWS
      region: us-east-1
      bucket: datalake
      ak: "{{ aws_access_key }}"
      sk: "{{ aws_secret_key }}"
    dst_node:
      region: cn-north-4
      bucket: datalake-obs
      ak: "{{ obs_access_key }}"
      sk: "{{ obs_secret_key }}"
    wait: true
    wait_for: finished
    wait_timeout: 604800
    poll_interval: 300

- name: Retry only the failed objects of a group whose migration failed
  hwcloud.migration.oms_task_group:
    id: 5b1e7a3c-9d2f-4c6b-8e0a-1f2d3c4b5a69
    state: started
    src_node: {ak: "{{ aws_access_key }}", sk: "{{ aws_secret_key }}"}
    dst_node: {ak: "{{ obs_access_key }}", sk: "{{ obs_secret_key }}"}

- name: Delete a group (stopped first when it runs)
  hwcloud.migration.oms_task_group:
    id: 5b1e7a3c-9d2f-4c6b-8e0a-1f2d3c4b5a69
    state: absent
"""

RETURN = r"""
task_group:
  description:
    - The group as C(ShowTaskGroup) answers it after the change (the fields of the SDK's
      C(ShowTaskGroupResponse), unchanged), plus C(summary) as M(hwcloud.migration.oms_task_group_info)
      computes it.
    - In check mode the group as it is now; null when it is missing (or would be created), and after a delete.
  returned: always
  type: dict
  sample:
    group_id: 5b1e7a3c-9d2f-4c6b-8e0a-1f2d3c4b5a69
    status: 2
    summary: {status_name: monitoring, active: true, percent: 40.0, failed_tasks: 0}
actions:
  description:
    - The calls made (or, in check mode, that would be made), in order. No body, so no credential.
    - C(call) the SDK's name, C(method), C(path), C(sent) (false in check mode), C(status), C(error_code),
      C(request_id), C(result), C(resends) (times sent again after C(OMS.0063)), and C(group_id) for a create.
  returned: always
  type: list
  elements: dict
diff:
  description: The group's settings before and after (task type, nodes without credentials, policy settings).
  returned: in diff mode
  type: dict
error_reason:
  description: The failed group's C(error_reason) (C(error_code), C(error_msg)).
  returned: when a waited-for group ended failed
  type: dict
failed_task_num:
  description: The failed group's number of failed tasks.
  returned: when a waited-for group ended failed
  type: int
fail_num:
  description: The failed group's number of failed objects.
  returned: when a waited-for group ended failed
  type: int
matching_ids:
  description: The IDs of the groups that all migrate what the options describe.
  returned: when more than one group matched
  type: list
  elements: str
timed_out:
  description: True when the wait ended at O(wait_timeout).
  returned: when the wait timed out
  type: bool
"""

from ansible_collections.hwcloud.migration.plugins.module_utils._module import HuaweiCloudModule
from ansible_collections.hwcloud.migration.plugins.module_utils._writes.lifecycle import WriteError
from ansible_collections.hwcloud.migration.plugins.module_utils._writes.task_group import ARGUMENT_SPEC, run_task_group


def main():
    module = HuaweiCloudModule(argument_spec=ARGUMENT_SPEC, service='oms', supports_check_mode=True)
    try:
        result = run_task_group(dict(module.params), module.client, check_mode=module.check_mode, diff=module._diff, warn=module.warn)
    except WriteError as err:
        module.fail_json(**err.result)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
