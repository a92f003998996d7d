#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r"""
---
module: oms_migration_task
short_description: Create, start, stop, retry and delete a Huawei Cloud OMS migration task, and wait for it
version_added: 0.2.0
author:
  - hwcloud.migration maintainers (@hwcloud)
description:
  - Manages one Object Storage Migration Service (OMS) v2 migration task (a one-off copy from a source
    bucket to an OBS bucket) with the API calls C(CreateTask), C(ShowTask), C(ListTasks), C(StartTask),
    C(StopTask), C(DeleteTask) and C(UpdateBandwidthPolicy).
  - The task is the one named by O(id); without it, the task that migrates what O(src_node) and
    O(dst_node) describe, found by listing every page of the project's tasks, so running the same play
    twice never creates a second migration (see the notes for the rule).
  - O(state=present) creates the task when it is missing (OMS starts a new task by itself);
    O(state=started) also starts a stopped task and retries a failed one; O(state=stopped) stops a
    waiting or running one; O(state=absent) stops it first when it runs, then deletes it.
  - A change of O(bandwidth_policy) is applied to an existing task in place; a change of any other
    setting fails with a message saying so (recreate the task with O(state=absent), then
    O(state=present)), and nothing is replaced silently.
  - With O(wait=true) the module polls until the task is settled in the state asked, or until the
    migration has finished (O(wait_for=finished)); a task that ends failed fails the module with its
    C(error_reason) and failed-object count, and returns the task.
extends_documentation_fragment:
  - hwcloud.migration.huaweicloud
options:
  state:
    description:
      - V(present), the task exists (created when missing).
      - V(started), as V(present), and a stopped task (status 3) is started, a failed one (4) retried
        (only its failed objects with O(failed_objects_only=true)), a pausing one (7) started once it has
        stopped; a waiting, executing, retrying or succeeded task is left alone.
      - V(stopped), a waiting, executing or retrying task is stopped; anything else is left alone. A
        missing task is an error (this state does not create one).
      - V(absent), the task is stopped when it is active, then deleted. A missing task is fine.
    type: str
    choices: [present, started, stopped, absent]
    default: present
  id:
    description:
      - The task's ID, a whole number such as V(1001) (or the string V("1001")).
      - Without it, O(src_node) and O(dst_node) say which task this is.
    type: raw
  task_type:
    description:
      - What the source lists, V(object) (object keys or folders, the API's default), V(prefix) (key
        prefixes), V(list) (an object list file) or V(url_list) (a URL list file).
      - Part of what the task migrates; cannot change on an existing task.
    type: str
    choices: [object, prefix, list, url_list]
  src_node:
    description:
      - The source (API C(SrcNodeReq)); required without O(id), and for a create.
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
          - The object keys or folders (O(task_type=object)) or the prefixes (O(task_type=prefix)) to
            migrate. Unset, or V([""]), is the whole bucket.
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
        description: The source's temporary security token. Never logged or returned.
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
      - The destination OBS bucket (API C(DstNodeReq)); required without O(id), and for a create.
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
        description: The destination's temporary security token. Never logged or returned.
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
  task_priority:
    description: The task's priority (API default V(MEDIUM)).
    type: str
    choices: [HIGH, MEDIUM, LOW]
  failed_objects_only:
    description:
      - When O(state=started) retries a failed task, send only its failed objects again
        (C(migrate_failed_object)); false migrates everything again.
      - A stopped task always resumes where it stopped.
    type: bool
    default: true
  wait:
    description: Poll the task after the change until O(wait_for) is reached or O(wait_timeout) passes.
    type: bool
    default: false
  wait_for:
    description:
      - V(settled), the state asked is reached. V(present) a task that is no longer waiting or pausing;
        V(started) executing, retrying or succeeded (failed fails the module); V(stopped) stopped, failed
        or succeeded; V(absent) the task is gone.
      - V(finished), the migration has ended, succeeded or failed (failed fails the module); only with
        O(state=present) or V(started). A task stopped meanwhile fails the module at once.
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
    description: The task is read, nothing is written; C(changed) and RV(actions) say what would be done.
  diff_mode:
    support: full
    description: The task's settings before and after (never a credential).
notes:
  - "Identity without O(id): a task matches when its task type, source cloud (case aside), region, bucket,
    object keys (as a set; unset is the whole bucket), list file, and destination region, bucket and save
    prefix equal the options, with the API's defaults (V(object), V(Aliyun), no prefix) for those left out.
    Every page of C(ListTasks) is read; a listing that does not add up fails the module rather than risk a
    second migration, and two matching tasks fail it naming both IDs."
  - "Calls sent again: the client repeats reads, PUT and DELETE after a failure worth another attempt, but a
    create (POST) only when it never left or was throttled: after a timeout the module fails, and the next run
    finds the created task by what it migrates. A call the service refused with C(OMS.0063) (in progress) is sent
    again every O(poll_interval) until O(wait_timeout): refused, it was not carried out. C(OMS.0066) on a stop
    (not running) and C(OMS.1009) on a delete (gone) end the call as done, as the Terraform provider does."
  - Every other failure fails the module with its HTTP status, error code, message and request ID, plus
    RV(actions) so far and the task as last read.
seealso:
  - module: hwcloud.migration.oms_migration_task_info
"""

EXAMPLES = r"""
- name: Migrate a bucket from AWS and wait until it has finished
  hwcloud.migration.oms_migration_task:
    state: present
    task_type: prefix
    src_node:
      cloud_type: AWS
      region: us-east-1
      bucket: photos
      object_key: ["2024/"]
      ak: "{{ aws_access_key }}"
      sk: "{{ aws_secret_key }}"
    dst_node:
      region: cn-north-4
      bucket: photos-obs
      ak: "{{ obs_access_key }}"
      sk: "{{ obs_secret_key }}"
    bandwidth_policy:
      - {start: "08:00", end: "20:00", max_bandwidth: 52428800}
    wait: true
    wait_for: finished
    wait_timeout: 86400
    poll_interval: 60
  register: migration

- name: Retry only the failed objects of a failed task
  hwcloud.migration.oms_migration_task:
    id: 1002
    state: started
    src_node: {ak: "{{ aws_access_key }}", sk: "{{ aws_secret_key }}"}
    dst_node: {ak: "{{ obs_access_key }}", sk: "{{ obs_secret_key }}"}

- name: Stop a task and wait until it has stopped
  hwcloud.migration.oms_migration_task:
    id: 1001
    state: stopped
    wait: true

- name: Delete it (stopped first when it runs)
  hwcloud.migration.oms_migration_task:
    id: 1001
    state: absent
"""

RETURN = r"""
migration_task:
  description:
    - The task as C(ShowTask) answers it after the change (the fields the SDK's C(ShowTaskResponse) lists,
      unchanged), plus C(summary) as M(hwcloud.migration.oms_migration_task_info) computes it.
    - In check mode the task as it is now; null when it is missing (or would be created), and after a delete.
  returned: always
  type: dict
  sample:
    id: 1001
    name: oms-task-1001
    status: 2
    progress: 0.125
    summary: {status_name: executing, active: true, percent: 12.5, failed_objects: 0}
actions:
  description:
    - The calls made (or, in check mode, that would be made), in order. No body, so no credential.
    - C(call) the SDK's name, C(method), C(path), C(sent) (false in check mode), C(status), C(error_code),
      C(request_id), C(result) (V(done), V(already not running (OMS.0066)), V(already deleted (OMS.1009)),
      V(failed), V(would be sent (check mode))), C(resends) (times sent again after C(OMS.0063)), and
      C(id) for a create.
  returned: always
  type: list
  elements: dict
  sample:
    - call: StartTask
      method: POST
      path: /v2/0a1b2c/tasks/1002/start
      sent: true
      status: 200
      error_code: null
      request_id: 6c7a4e1f0b5d4b5e9c3f2a1d0e9f8a7b
      result: done
      resends: 0
diff:
  description: The task's settings before and after (task type, nodes without credentials, policy settings).
  returned: in diff mode
  type: dict
error_reason:
  description: The failed task's C(error_reason) (C(error_code), C(error_msg)).
  returned: when a waited-for task ended failed
  type: dict
failed_num:
  description: The failed task's number of failed objects.
  returned: when a waited-for task ended failed
  type: int
matching_ids:
  description: The IDs of the tasks that all migrate what the options describe.
  returned: when more than one task matched
  type: list
  elements: int
timed_out:
  description: True when the wait ended at O(wait_timeout).
  returned: when the wait timed out
  type: bool
"""

from ansible_collections.hwcloud.migration.plugins.module_utils._module import HuaweiCloudModule
from ansible_collections.hwcloud.migration.plugins.module_utils._writes.lifecycle import WriteError
from ansible_collections.hwcloud.migration.plugins.module_utils._writes.migration_task import ARGUMENT_SPEC, run_migration_task


def main():
    module = HuaweiCloudModule(argument_spec=ARGUMENT_SPEC, service='oms', supports_check_mode=True)
    try:
        result = run_migration_task(dict(module.params), module.client, check_mode=module.check_mode, diff=module._diff, warn=module.warn)
    except WriteError as err:
        module.fail_json(**err.result)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
