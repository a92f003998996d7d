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
  - hwcloud.migration.lifecycle.nodes
  - hwcloud.migration.lifecycle.settings
  - hwcloud.migration.lifecycle.wait
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
  failed_objects_only:
    description:
      - When O(state=started) retries a group whose migration failed, send only the failed objects again
        (C(migrate_failed_object)); false migrates the failed tasks again in full.
    type: bool
    default: true
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
