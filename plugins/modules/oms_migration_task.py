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
    C(StopTask), C(DeleteTask), C(UpdateBandwidthPolicy) and C(BatchUpdateTasks).
  - The task is the one named by O(id); without it, the task that migrates what O(src_node) and
    O(dst_node) describe, found by listing every page of the project's tasks, so running the same play
    twice never creates a second migration (see the notes for the rule).
  - O(state=present) creates the task when it is missing (OMS starts a new task by itself);
    O(state=started) also starts a stopped task and retries a failed one; O(state=stopped) stops a
    waiting or running one; O(state=absent) stops it first when it runs, then deletes it.
  - A change of O(bandwidth_policy) (C(UpdateBandwidthPolicy)) or of O(task_priority) (C(BatchUpdateTasks)
    for this task) is applied to an existing task in place; a change of any other setting fails with a
    message saying so (recreate the task with O(state=absent), then O(state=present)), and nothing is
    replaced silently.
  - With O(wait=true) the module polls until the task is settled in the state asked, or until the
    migration has finished (O(wait_for=finished)); a task that ends failed fails the module with its
    C(error_reason) and failed-object count, and returns the task.
extends_documentation_fragment:
  - hwcloud.migration.huaweicloud
  - hwcloud.migration.lifecycle.nodes
  - hwcloud.migration.lifecycle.settings
  - hwcloud.migration.lifecycle.wait
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
  task_priority:
    description:
      - The task's priority (API default V(MEDIUM)).
      - Changed in place with C(BatchUpdateTasks), which OMS allows only on a waiting, stopped or failed task;
        on another task a change fails the module before any write (stop the task first). With
        O(state=started) the priority is changed before the task is started.
    type: str
    choices: [HIGH, MEDIUM, LOW]
  source_cdn:
    description:
      - Read the source objects through a CDN domain (C(CreateTaskReq.source_cdn)); sent at create.
      - O(source_cdn.domain), O(source_cdn.protocol) and O(source_cdn.authentication_type) are compared with an
        existing task (a difference fails the module, recreate the task); the key is sent again on every start
        (C(source_cdn_authentication_key)).
    type: dict
    suboptions:
      domain:
        description: The CDN domain the objects are read from.
        type: str
        required: true
      protocol:
        description: The protocol of the CDN domain.
        type: str
        required: true
        choices: [http, https]
      authentication_type:
        description: How the CDN authenticates requests (V(NONE) for public access).
        type: str
        choices: [NONE, QINIU_PRIVATE_AUTHENTICATION, ALIYUN_OSS_A, ALIYUN_OSS_B, ALIYUN_OSS_C, KSYUN_PRIVATE_AUTHENTICATION,
                  AZURE_SAS_TOKEN, TENCENT_COS_A, TENCENT_COS_B, TENCENT_COS_C, TENCENT_COS_D]
      authentication_key:
        description: The CDN authentication key, when the CDN needs one. Never logged or returned.
        type: str
      crypto_type:
        description: Encryption of the key, V(DEFAULT) or V(KMS).
        type: str
        choices: [DEFAULT, KMS]
      kms_key_id:
        description: The KMS key ID (36 characters) when O(source_cdn.crypto_type) is V(KMS).
        type: str
  failed_objects_only:
    description:
      - When O(state=started) retries a failed task, send only its failed objects again
        (C(migrate_failed_object)); false migrates everything again.
      - A stopped task always resumes where it stopped.
    type: bool
    default: true
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
  description: The task's settings before and after (task type, nodes without credentials, policy settings, the CDN without its key).
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
