#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r"""
---
module: oms_task_group_info
short_description: Read Huawei Cloud OMS migration task groups, with progress, ETA and failures
version_added: 0.2.0
author:
  - hwcloud.migration maintainers (@hwcloud)
description:
  - Reads Object Storage Migration Service (OMS) v2 task groups (a large migration split into
    many migration tasks), either the groups named by O(group_id) or O(group_ids) (API
    C(ShowTaskGroup)), or every group of the project (API C(ListTaskGroup)), following every
    page of the listing.
  - Many groups are read concurrently in one module call, at most O(max_concurrency) at a time.
  - Each group is returned with the API's fields unchanged; a field the API leaves out stays absent.
    The module adds one key of its own, C(summary), derived from those fields.
  - Use M(hwcloud.migration.oms_migration_task_info) with its O(hwcloud.migration.oms_migration_task_info#module:group_id)
    option to read the tasks of a group.
extends_documentation_fragment:
  - hwcloud.migration.huaweicloud
  - hwcloud.migration.info_module.contract
  - hwcloud.migration.info_module
options:
  group_id:
    description:
      - ID of one task group to read (a string, a UUID in practice).
      - Mutually exclusive with O(group_ids).
      - When neither O(group_id) nor O(group_ids) is set, every group of the project is listed.
    type: str
  group_ids:
    description:
      - IDs of task groups to read.
      - Results come back in this order; an ID given twice is read and returned once.
      - An empty list reads nothing (it does not list the project's groups).
      - Mutually exclusive with O(group_id).
    type: list
    elements: str
  status:
    description:
      - When listing the project's groups, only return groups in this state.
      - The API's integer or its name; V(0)/V(waiting), V(1)/V(executing) (executing or creating tasks),
        V(2)/V(monitoring), V(3)/V(paused), V(4)/V(creation_failed), V(5)/V(migration_failed),
        V(6)/V(completed), V(7)/V(pausing), V(8)/V(waiting_for_deletion), V(9)/V(deleted).
      - Always sent to the API as the integer.
      - Cannot be combined with O(group_id) or O(group_ids).
    type: raw
notes:
  - The listing pages through C(GET /v2/{project_id}/taskgroups) 100 groups at a time until
    C(count) groups were read or a page is empty; when C(count) is not a number, until a page holds
    fewer than 100 groups. A page without a C(taskgroups) list fails the task naming the field. The
    API refuses offsets above 10000, so at most 10100 groups can be listed; when the project holds
    more, the module warns and sets RV(truncated) and RV(complete=false).
  - A group whose C(status), C(total_size), C(complete_size), C(migrate_speed), C(failed_task_num)
    or C(fail_num) is absent or of the wrong type (or a listed group without a C(group_id)) is named
    in RV(problems) and sets RV(complete=false), since a gate cannot judge it.
  - An active group without an estimate (no speed yet) has C(summary.eta_unknown=true); that alone is
    not a problem, the gate decides what a missing ETA means.
seealso:
  - module: hwcloud.migration.oms_migration_task_info
"""

EXAMPLES = r"""
- name: Check a task group before the cutover
  hwcloud.migration.oms_task_group_info:
    region: cn-north-4
    group_id: 3f2c7d0e-5b8a-4e61-9c4d-2a1b0c9d8e7f
  register: group

- name: Fail when the group lost tasks or objects
  ansible.builtin.assert:
    that:
      - group.missing | length == 0
      - group.task_groups[0].summary.failed_tasks == 0
      - group.task_groups[0].summary.failed_objects == 0
    fail_msg: >-
      {{ group.task_groups[0].summary.error_code }} {{ group.task_groups[0].summary.error_msg }};
      failed objects listed at {{ group.task_groups[0].summary.failed_object_list }}

- name: List the groups whose migration failed
  hwcloud.migration.oms_task_group_info:
    region: cn-north-4
    status: migration_failed
  register: failed_groups
"""

RETURN = r"""
task_groups:
  description:
    - The task groups, in the order of O(group_ids) (duplicates once), or in the listing's order.
    - Each group holds the API's fields as returned (C(ShowTaskGroup) and C(ListTaskGroup) answer
      the same fields); only the main ones are listed here, and any of them may be absent or null.
    - The C(summary) key is added by this module; it is not an API field.
  returned: always
  type: list
  elements: dict
  contains:
    group_id:
      description: The task group ID.
      type: str
      sample: 3f2c7d0e-5b8a-4e61-9c4d-2a1b0c9d8e7f
    status:
      description:
        - The group state, an integer; 0 waiting, 1 executing or creating tasks, 2 monitoring its tasks,
          3 paused, 4 task creation failed, 5 migration failed, 6 completed, 7 pausing,
          8 waiting for deletion, 9 deleted.
      type: int
      sample: 2
    total_task_num:
      description: Migration tasks in the group.
      type: int
      sample: 40
    failed_task_num:
      description: Migration tasks that failed.
      type: int
      sample: 2
    complete_task_num:
      description: Migration tasks completed.
      type: int
      sample: 30
    executing_task_num:
      description: Migration tasks running.
      type: int
      sample: 5
    waiting_task_num:
      description: Migration tasks waiting.
      type: int
      sample: 3
    paused_task_num:
      description: Migration tasks paused.
      type: int
      sample: 0
    total_size:
      description: Bytes to migrate.
      type: int
      sample: 5497558138880
    complete_size:
      description: Bytes migrated so far.
      type: int
      sample: 4398046511104
    migrate_speed:
      description: Current speed in bytes per second.
      type: int
      sample: 262144000
    total_num:
      description: Objects to migrate.
      type: int
      sample: 6000000
    success_num:
      description: Objects migrated.
      type: int
      sample: 4800000
    fail_num:
      description: Objects that failed.
      type: int
      sample: 120
    skip_num:
      description: Objects skipped.
      type: int
      sample: 0
    error_reason:
      description: Why the group failed, C(error_code) and C(error_msg).
      type: dict
      sample: {"error_code": "TRF.0062", "error_msg": "Some objects failed to upload."}
    failed_object_record:
      description: Where the list of failed objects was written (C(list_file_key)), as for migration tasks.
      type: dict
      sample: {"result": true, "list_file_key": "oms/taskgroup/3f2c7d0e/failed_object_lists.txt", "error_code": null}
    summary:
      description: Added by this module, derived from the API's fields at the time of the module run.
      type: dict
      contains:
        status_name:
          description: The readable name of RV(task_groups[].status), or null for a status this collection does not know.
          type: str
          sample: monitoring
        active:
          description: Whether the group still has work to do (waiting, executing or monitoring).
          type: bool
          sample: true
        percent:
          description: C(complete_size) / C(total_size) in percent, one decimal; null when the sizes are missing.
          type: float
          sample: 80.0
        eta:
          description:
            - When an active group should be done (the remaining bytes over C(migrate_speed) from now),
              ISO 8601 UTC; null when the group is not active or no estimate exists.
          type: str
          sample: "2026-11-30T18:00:00.000Z"
        eta_ms:
          description: RV(task_groups[].summary.eta) in milliseconds since the epoch.
          type: int
          sample: 1796061600000
        eta_unknown:
          description: True for an active group without an estimate (no speed, or sizes missing).
          type: bool
          sample: false
        failed_tasks:
          description: C(failed_task_num), or null when absent.
          type: int
          sample: 2
        failed_objects:
          description: C(fail_num), or null when absent.
          type: int
          sample: 120
        failed_object_list:
          description: C(failed_object_record.list_file_key), or null.
          type: str
          sample: oms/taskgroup/3f2c7d0e/failed_object_lists.txt
        error_code:
          description: C(error_reason.error_code), or null.
          type: str
          sample: TRF.0062
        error_msg:
          description: C(error_reason.error_msg), or null.
          type: str
          sample: Some objects failed to upload.
missing:
  description: The requested group IDs the service does not know (error code C(OMS.1009)).
  returned: always
  type: list
  elements: str
  sample: [6a0e1c2d-0000-4000-8000-000000000000]
truncated:
  description:
    - True when the listing held more groups than the API lets a client read (10100); RV(complete)
      is then false. Always false when reading by ID.
  returned: always
  type: bool
  sample: false
complete:
  description:
    - Whether every answer could be used by the health checks.
    - False when RV(problems) is not empty (RV(truncated) among them), and on a failure because some reads failed.
  returned: always
  type: bool
  sample: true
problems:
  description:
    - The answers the health checks cannot use, one entry per group and field.
    - C(id) is the group ID (C(taskgroups[N]) for a listed group without a usable ID, null for the listing
      itself), C(field) the field, C(message) what is wrong with it.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 3f2c7d0e-5b8a-4e61-9c4d-2a1b0c9d8e7f
      field: migrate_speed
      message: migrate_speed is absent, not an integer of 0 or more
errors:
  description:
    - One entry per ID that could not be read, when the task failed because of them.
    - C(id), C(status) (HTTP status, null without an answer), C(error_code), C(request_id), C(message),
      and C(attempted) (false for IDs not read because of fail fast, refused credentials or a failed IAM request).
  returned: failure
  type: list
  elements: dict
  sample:
    - id: 3f2c7d0e-5b8a-4e61-9c4d-2a1b0c9d8e7f
      status: 503
      error_code: OMS.2004
      request_id: 6c7a4e1f0b5d4b5e9c3f2a1d0e9f8a7b
      message: "GET https://oms.cn-north-4.myhuaweicloud.com/v2/.../taskgroups/3f2c... failed: HTTP 503 OMS.2004"
      attempted: true
"""

from ansible_collections.hwcloud.migration.plugins.module_utils._module import run_info_module
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.migration import TASK_GROUPS


def main():
    run_info_module(TASK_GROUPS)


if __name__ == '__main__':
    main()
