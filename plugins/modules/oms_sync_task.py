#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r"""
---
module: oms_sync_task
short_description: Create, start, stop and delete a Huawei Cloud OMS synchronization task, and wait for it
version_added: 0.2.0
author:
  - hwcloud.migration maintainers (@hwcloud)
description:
  - Manages one Object Storage Migration Service (OMS) v2 synchronization task (a task that keeps copying what
    changes in a source bucket to an OBS bucket) with the API calls C(CreateSyncTask), C(ShowSyncTask),
    C(ListSyncTasks), C(StartSyncTask), C(StopSyncTask) and C(DeleteSyncTask).
  - The same interface as M(hwcloud.migration.oms_migration_task) and M(hwcloud.migration.oms_task_group), so a
    playbook reads the same for all three; O(src_node) and O(dst_node) take the same keys and are mapped to
    C(CreateSyncTask)'s flat fields (C(src_ak), C(src_region), C(dst_bucket), ...).
  - The task is the one named by O(id); without it, the sync task that synchronizes the bucket O(src_node)
    names to the bucket O(dst_node) names, found by listing every page of the project's sync tasks (see the
    notes for the rule).
  - O(state=present) creates the task when it is missing (it synchronizes by itself); O(state=started) also
    starts a stopped task; O(state=stopped) stops a synchronizing task; O(state=absent) stops it first when it
    synchronizes, then deletes it.
  - No setting of a sync task can change in place; a setting that differs from the task's fails the module with
    a message saying so (recreate the task with O(state=absent), then O(state=present)), never a silent
    replacement.
  - A sync task has two statuses, C(SYNCHRONIZING) and C(STOPPED), and runs until it is stopped. It never
    finishes and never fails as a whole, so there is no retry and no O(wait_for=finished); with O(wait=true)
    the module polls until the task is settled in the state asked.
extends_documentation_fragment:
  - hwcloud.migration.huaweicloud
  - hwcloud.migration.lifecycle.nodes
  - hwcloud.migration.lifecycle.wait
options:
  state:
    description:
      - V(present), the task exists (created when missing; a new task synchronizes by itself).
      - V(started), as V(present), and a C(STOPPED) task is started (the API needs the credentials of both
        buckets again); a C(SYNCHRONIZING) one is left alone.
      - V(stopped), a C(SYNCHRONIZING) task is stopped; a C(STOPPED) one is left alone. A missing task is an
        error (this state does not create one).
      - V(absent), the task is stopped when it synchronizes, then deleted. A missing task is fine.
    type: str
    choices: [present, started, stopped, absent]
    default: present
  id:
    description:
      - The sync task's ID (C(sync_task_id)), 1 to 255 characters.
      - Without it, O(src_node) and O(dst_node) say which task this is.
    type: str
  description:
    description:
      - The task's description, at most 255 characters, none of C(<>()"'&).
      - Cannot change on an existing task.
    type: str
  consistency_check:
    description:
      - How objects are compared (API default V(size_last_modified)); V(crc64) only for Huawei Cloud, Alibaba
        Cloud and Tencent Cloud sources; V(transmission) only for HTTP sources (ShowSyncTask answers it as
        C(no_check), which this module treats as the same).
      - Cannot change on an existing task.
    type: str
    choices: [size_last_modified, crc64, transmission]
  dst_storage_policy:
    description:
      - The destination storage class (API default V(STANDARD)).
      - Cannot change on an existing task.
    type: str
    choices: [STANDARD, IA, ARCHIVE, DEEP_ARCHIVE, SRC_STORAGE_MAPPING]
  enable_metadata_migration:
    description:
      - Synchronize object metadata (API default false).
      - Cannot change on an existing task.
    type: bool
  enable_restore:
    description:
      - Restore archived source objects before copying them (API default false).
      - Cannot change on an existing task.
    type: bool
  wait_for:
    description:
      - V(settled), the state asked is reached. V(present) the task exists; V(started) C(SYNCHRONIZING);
        V(stopped) C(STOPPED); V(absent) the task is gone.
      - V(finished) is refused before any request; a sync task runs until it is stopped.
    type: str
    choices: [settled, finished]
    default: settled
notes:
  - "A sync task synchronizes a whole bucket to a whole bucket with a permanent AK/SK: the O(src_node) keys
    C(object_key), C(list_file), C(security_token), C(connection_string) and C(json_auth_file), and the
    O(dst_node) keys C(save_prefix) and C(security_token), are refused before any request (C(CreateSyncTask) has
    no field for them); so are the source clouds V(Google) and V(URLSource)."
  - "Identity without O(id): a sync task matches when its source cloud (case aside; V(Aliyun), the API's
    default, when left out), source region and bucket, and destination region and bucket equal the options.
    Every page of C(ListSyncTasks) is read; a listing that does not add up fails the module rather than risk a
    second task, and two matching tasks fail it naming both IDs. A tenant may have at most 5 sync tasks."
  - "Calls sent again: ShowSyncTask, ListSyncTasks and the C(DeleteSyncTask) DELETE are repeated by the client
    after a failure worth another attempt (they are idempotent). C(CreateSyncTask), C(StartSyncTask) and
    C(StopSyncTask) are POSTs, repeated only when they never left or were throttled: a second create after a lost
    answer could make a second task. A call the service refused with C(OMS.0063) (in progress) is sent again
    every O(poll_interval) until O(wait_timeout). C(OMS.0066) on a stop and C(OMS.1009) on a delete end the call
    as done."
  - Every other failure fails the module with its HTTP status, error code, message and request ID, plus
    RV(actions) so far and the task as last read.
seealso:
  - module: hwcloud.migration.oms_sync_task_info
  - module: hwcloud.migration.oms_sync_task_statistics_info
  - module: hwcloud.migration.oms_migration_task
"""

EXAMPLES = r"""
- name: Keep an OBS bucket in sync with an S3 bucket (created when missing, found again by its buckets)
  hwcloud.migration.oms_sync_task:
    state: present
    src_node:
      cloud_type: AWS
      region: us-east-1
      bucket: media
      ak: "{{ aws_access_key }}"
      sk: "{{ aws_secret_key }}"
    dst_node:
      region: cn-north-4
      bucket: media-obs
      ak: "{{ obs_access_key }}"
      sk: "{{ obs_secret_key }}"
    description: media to OBS
    dst_storage_policy: IA
    wait: true

- name: Stop it for a maintenance window and wait until it has stopped
  hwcloud.migration.oms_sync_task:
    id: 7a4b2c1d-5e6f-4a8b-9c0d-1e2f3a4b5c6d
    state: stopped
    wait: true

- name: Start it again (the API needs both buckets' credentials again)
  hwcloud.migration.oms_sync_task:
    id: 7a4b2c1d-5e6f-4a8b-9c0d-1e2f3a4b5c6d
    state: started
    src_node: {ak: "{{ aws_access_key }}", sk: "{{ aws_secret_key }}"}
    dst_node: {ak: "{{ obs_access_key }}", sk: "{{ obs_secret_key }}"}

- name: Delete it (stopped first when it synchronizes)
  hwcloud.migration.oms_sync_task:
    id: 7a4b2c1d-5e6f-4a8b-9c0d-1e2f3a4b5c6d
    state: absent
"""

RETURN = r"""
sync_task:
  description:
    - The task as C(ShowSyncTask) answers it after the change (the fields of the SDK's C(ShowSyncTaskResponse),
      unchanged, with the C(monthly_*) counters of the current month), as
      M(hwcloud.migration.oms_sync_task_info) returns it, plus C(summary).
    - C(summary.status_name) is V(synchronizing) or V(stopped) (null for a status the module does not know);
      C(summary.active) is true while it synchronizes.
    - In check mode the task as it is now; null when it is missing (or would be created), and after a delete.
  returned: always
  type: dict
  sample:
    sync_task_id: 7a4b2c1d-5e6f-4a8b-9c0d-1e2f3a4b5c6d
    status: SYNCHRONIZING
    src_cloud_type: AWS
    src_region: us-east-1
    src_bucket: media
    dst_region: cn-north-4
    dst_bucket: media-obs
    monthly_acceptance_request: 1200
    summary: {status_name: synchronizing, active: true}
actions:
  description:
    - The calls made (or, in check mode, that would be made), in order. No body, so no credential.
    - C(call) the SDK's name, C(method), C(path), C(sent) (false in check mode), C(status), C(error_code),
      C(request_id), C(result), C(resends) (times sent again after C(OMS.0063)), and C(sync_task_id) for a create.
  returned: always
  type: list
  elements: dict
  sample:
    - {call: StopSyncTask, method: POST, path: /v2/0123/sync-tasks/7a4b2c1d/stop, sent: true, status: 200,
       error_code: null, request_id: 5f3e, result: done, resends: 0}
diff:
  description: The task's settings before and after (source and destination buckets without credentials, and the settings).
  returned: in diff mode
  type: dict
matching_ids:
  description: The IDs of the sync tasks that all synchronize the buckets the options describe.
  returned: when more than one task matched
  type: list
  elements: str
timed_out:
  description: True when the wait ended at O(wait_timeout).
  returned: when the wait timed out
  type: bool
"""

from ansible_collections.hwcloud.migration.plugins.module_utils._module import HuaweiCloudModule
from ansible_collections.hwcloud.migration.plugins.module_utils._writes.lifecycle import WriteError
from ansible_collections.hwcloud.migration.plugins.module_utils._writes.sync_task import ARGUMENT_SPEC, run_sync_task


def main():
    module = HuaweiCloudModule(argument_spec=ARGUMENT_SPEC, service='oms', supports_check_mode=True)
    try:
        result = run_sync_task(dict(module.params), module.client, check_mode=module.check_mode, diff=module._diff, warn=module.warn)
    except WriteError as err:
        module.fail_json(**err.result)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
