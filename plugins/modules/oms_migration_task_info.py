#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r"""
---
module: oms_migration_task_info
short_description: Read Huawei Cloud OMS migration tasks, with progress, ETA and failures
version_added: 0.2.0
author:
  - hwcloud.migration maintainers (@hwcloud)
description:
  - Reads Object Storage Migration Service (OMS) v2 migration tasks (one-off copies between
    buckets), either the tasks named by O(task_id) or O(task_ids) (API C(ShowTask)), or every
    task of the project (API C(ListTasks)), following every page of the listing.
  - Many tasks are read concurrently in one module call, at most O(max_concurrency) at a time.
  - Each task is returned with the API's fields unchanged; a field the API leaves out stays absent.
    The module adds one key of its own, C(summary), derived from those fields.
extends_documentation_fragment:
  - hwcloud.migration.huaweicloud
  - hwcloud.migration.info_module.contract
  - hwcloud.migration.info_module
options:
  task_id:
    description:
      - ID of one migration task to read, a whole number such as V(1001) (or the string V("1001")).
      - Anything else (a negative or fractional number, a word) is refused before any request.
      - Mutually exclusive with O(task_ids).
      - When neither O(task_id) nor O(task_ids) is set, every task of the project is listed.
    type: raw
  task_ids:
    description:
      - IDs of migration tasks to read, each as for O(task_id).
      - Results come back in this order; an ID given twice (also as V(7) and V("7")) is read
        and returned once.
      - An empty list reads nothing (it does not list the project's tasks).
      - Mutually exclusive with O(task_id).
    type: list
    elements: raw
  group_id:
    description:
      - When listing the project's tasks, only return the tasks of this task group.
      - Cannot be combined with O(task_id) or O(task_ids).
    type: str
  status:
    description:
      - When listing the project's tasks, only return tasks in this state.
      - The API's integer or its name; V(1)/V(waiting), V(2)/V(executing), V(3)/V(stopped),
        V(4)/V(failed), V(5)/V(succeeded), V(6)/V(retrying), V(7)/V(pausing).
      - Always sent to the API as the integer. The API's listing does not filter on V(6) (retrying),
        so for that state the module lists without the status filter and keeps the retrying tasks.
      - Cannot be combined with O(task_id) or O(task_ids).
    type: raw
  task_name:
    description:
      - When listing the project's tasks, only return tasks whose name contains this text
        (the API matches it loosely). 1 to 255 characters.
      - Cannot be combined with O(task_id) or O(task_ids).
    type: str
notes:
  - The listing pages through C(GET /v2/{project_id}/tasks) 100 tasks at a time until C(count)
    tasks were read or a page is empty; when C(count) is not a number, until a page holds fewer
    than 100 tasks. A page without a C(tasks) list fails the task naming the field. The API refuses
    offsets above 10000, so at most 10100 tasks can be listed; when the project holds more, the
    module warns and sets RV(truncated) and RV(complete=false), and the filters (O(group_id),
    O(status), O(task_name)) or reading by ID reach the rest.
  - A task created, finished or deleted while the listing pages through may be missed or seen
    twice; a task seen twice is returned once.
  - A task whose C(status), C(progress), C(left_time), C(failed_num), C(total_num), C(error_reason)
    or C(failed_object_record) is absent or of the wrong type (or a listed task without an C(id)) is
    named in RV(problems) and sets RV(complete=false), since a gate cannot judge it. C(left_time),
    C(error_reason) and C(failed_object_record) may be null (no estimate yet, no failure).
  - An active task without an estimate has C(summary.eta_unknown=true); that alone is not a problem,
    the gate decides what a missing ETA means.
  - With O(status=retrying) (or V(6)) the listing is read without a status filter and the module keeps the
    retrying tasks, plus any task whose status cannot be read (named in RV(problems)).
seealso:
  - module: hwcloud.migration.oms_task_group_info
  - module: hwcloud.migration.oms_sync_task_info
"""

EXAMPLES = r"""
- name: Check migration tasks with credentials set once for the whole block
  module_defaults:
    group/hwcloud.migration.huaweicloud:
      region: cn-north-4
      access_key: "{{ lookup('ansible.builtin.env', 'HUAWEICLOUD_SDK_AK') }}"
      secret_key: "{{ lookup('ansible.builtin.env', 'HUAWEICLOUD_SDK_SK') }}"
  block:
    - name: Read two migration tasks
      hwcloud.migration.oms_migration_task_info:
        task_ids: [1001, 1002]
      register: migration

    - name: Fail when a task is gone, failed or has failed objects
      ansible.builtin.assert:
        that:
          - migration.missing | length == 0
          - migration.migration_tasks | selectattr('summary.status_name', 'eq', 'failed') | list | length == 0
          - migration.migration_tasks | map(attribute='summary.failed_objects') | map('default', 0, true) | select('gt', 0) | list | length == 0

    - name: Say when each running task should be done
      ansible.builtin.debug:
        msg: "{{ item.name }}: {{ item.summary.percent }} %, done at {{ item.summary.eta | default('unknown', true) }}"
      loop: "{{ migration.migration_tasks | selectattr('summary.active') | list }}"
      loop_control:
        label: "{{ item.id }}"

- name: List the failed tasks of one task group
  hwcloud.migration.oms_migration_task_info:
    region: cn-north-4
    group_id: 3f2c7d0e-5b8a-4e61-9c4d-2a1b0c9d8e7f
    status: failed
  register: failed_tasks
"""

RETURN = r"""
migration_tasks:
  description:
    - The migration tasks, in the order of O(task_ids) (duplicates once), or in the listing's order.
    - Each task holds the API's fields as returned (C(ShowTask) and C(ListTasks) answer the same
      fields); only the main ones are listed here, and any of them may be absent or null.
    - The C(summary) key is added by this module; it is not an API field.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The migration task ID.
      type: int
      sample: 1001
    name:
      description: The task name.
      type: str
      sample: photos-2024
    status:
      description:
        - The task state, an integer; 1 waiting, 2 executing, 3 stopped, 4 failed, 5 succeeded,
          6 retrying, 7 pausing.
      type: int
      sample: 2
    group_id:
      description: The task group the task belongs to, when a group created it.
      type: str
      sample: 3f2c7d0e-5b8a-4e61-9c4d-2a1b0c9d8e7f
    progress:
      description: Progress as a fraction; V(0.522) is 52.2 %.
      type: float
      sample: 0.522
    left_time:
      description: Milliseconds the task still needs, by the service's estimate.
      type: int
      sample: 7200000
    migrate_speed:
      description: Current speed in bytes per second.
      type: int
      sample: 52428800
    start_time:
      description: When the task started, in milliseconds since the epoch.
      type: int
      sample: 1700639560751
    total_time:
      description: Milliseconds the task has run.
      type: int
      sample: 3600000
    total_size:
      description: Bytes to migrate.
      type: int
      sample: 1099511627776
    complete_size:
      description: Bytes migrated so far.
      type: int
      sample: 573970239078
    total_num:
      description: Objects to migrate.
      type: int
      sample: 1000000
    successful_num:
      description: Objects migrated.
      type: int
      sample: 520000
    failed_num:
      description: Objects that failed.
      type: int
      sample: 12
    skipped_num:
      description: Objects skipped (modified before C(migrate_since), or already at the destination).
      type: int
      sample: 2000
    error_reason:
      description: Why the task failed, C(error_code) and C(error_msg).
      type: dict
      sample: {"error_code": "TRF.0155", "error_msg": "The source bucket does not exist."}
    failed_object_record:
      description:
        - Where the list of failed objects was written in the destination bucket (C(list_file_key)),
          whether failed objects can be retried (C(result)), and the error of writing the list (C(error_code)).
      type: dict
      sample: {"result": true, "list_file_key": "oms/failed_object_lists/photos-2024/1001.txt", "error_code": null}
    src_node:
      description: The source (C(cloud_type), C(region), C(bucket), ...).
      type: dict
      sample: {"cloud_type": "Aliyun", "region": "cn-hangzhou", "bucket": "photos"}
    dst_node:
      description: The destination (C(region), C(bucket), C(save_prefix)).
      type: dict
      sample: {"region": "cn-north-4", "bucket": "photos-obs", "save_prefix": ""}
    summary:
      description:
        - Added by this module, derived from the API's fields at the time of the module run.
      type: dict
      contains:
        status_name:
          description: The readable name of RV(migration_tasks[].status), or null for a status this collection does not know.
          type: str
          sample: executing
        active:
          description: Whether the task still has work to do (waiting, executing or retrying).
          type: bool
          sample: true
        percent:
          description: Progress in percent, one decimal; null when the API gave no valid C(progress).
          type: float
          sample: 52.2
        eta:
          description:
            - When an active task should be done (now plus C(left_time)), ISO 8601 UTC; null when
              the task is not active or no estimate exists.
          type: str
          sample: "2026-11-30T18:00:00.000Z"
        eta_ms:
          description: RV(migration_tasks[].summary.eta) in milliseconds since the epoch.
          type: int
          sample: 1796061600000
        eta_unknown:
          description:
            - True for an active task without an estimate (C(left_time) absent, null, negative, or 0
              while C(progress) is below 1), for example a waiting task.
          type: bool
          sample: false
        failed_objects:
          description: C(failed_num), or null when absent.
          type: int
          sample: 12
        failed_object_list:
          description: C(failed_object_record.list_file_key), where the failed objects are listed; null when absent.
          type: str
          sample: oms/failed_object_lists/photos-2024/1001.txt
        error_code:
          description: C(error_reason.error_code), or null.
          type: str
          sample: TRF.0155
        error_msg:
          description: C(error_reason.error_msg), or null.
          type: str
          sample: The source bucket does not exist.
missing:
  description: The requested task IDs the service does not know (error code C(OMS.1009)), as integers.
  returned: always
  type: list
  elements: int
  sample: [1003]
truncated:
  description:
    - True when the listing held more tasks than the API lets a client read (10100); the
      tasks beyond that are not in RV(migration_tasks), and RV(complete) is false. Always false
      when reading by ID.
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
    - The answers the health checks cannot use, one entry per task and field.
    - C(id) is the task ID (C(tasks[N]) for a listed task without a usable ID, null for the listing itself),
      C(field) the field, C(message) what is wrong with it.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 1001
      field: progress
      message: progress is None, not a number from 0 to 1
errors:
  description:
    - One entry per ID that could not be read, when the task failed because of them.
    - C(id) (an integer), C(status) (HTTP status, null without an answer), C(error_code), C(request_id),
      C(message), and C(attempted) (false for IDs not read because of fail fast, refused credentials or a failed IAM request).
  returned: failure
  type: list
  elements: dict
  sample:
    - id: 1002
      status: 503
      error_code: OMS.2004
      request_id: 6c7a4e1f0b5d4b5e9c3f2a1d0e9f8a7b
      message: "GET https://oms.cn-north-4.myhuaweicloud.com/v2/.../tasks/1002 failed: HTTP 503 OMS.2004"
      attempted: true
"""

from ansible_collections.hwcloud.migration.plugins.module_utils._module import run_info_module
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.migration import MIGRATION_TASKS


def main():
    run_info_module(MIGRATION_TASKS)


if __name__ == '__main__':
    main()
