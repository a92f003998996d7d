#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r"""
---
module: oms_sync_task_info
short_description: Read Huawei Cloud OMS synchronization tasks
version_added: 0.1.0
author:
  - hwcloud.migration maintainers (@hwcloud)
description:
  - Reads Object Storage Migration Service (OMS) v2 synchronization tasks, either the tasks
    named by O(sync_task_id) or O(sync_task_ids) (API C(ShowSyncTask)), or every task of the
    project (API C(ListSyncTasks)), following every page of the listing.
  - Each task is returned with the API's fields unchanged; a field the API leaves out stays absent.
extends_documentation_fragment:
  - hwcloud.migration.huaweicloud
  - hwcloud.migration.info_module.contract
  - hwcloud.migration.info_module
options:
  sync_task_id:
    description:
      - ID of one synchronization task to read.
      - Mutually exclusive with O(sync_task_ids).
      - When neither O(sync_task_id) nor O(sync_task_ids) is set, every task of the project is listed.
    type: str
  sync_task_ids:
    description:
      - IDs of synchronization tasks to read.
      - Results come back in this order; an ID given twice is read and returned once.
      - An empty list reads nothing (it does not list the project's tasks).
      - Mutually exclusive with O(sync_task_id).
    type: list
    elements: str
  query_time:
    description:
      - The moment whose calendar month the C(monthly_*) counters cover.
      - Milliseconds since the epoch, V(now), a past offset such as V(-15m), V(-2h) or V(-7d),
        or an ISO 8601 time with a zone such as V(2024-05-01T12:00:00Z).
      - A 10-digit number is refused because it looks like seconds.
      - Used when reading tasks by ID, and when listing with O(details=true).
    type: raw
    default: now
  status:
    description:
      - When listing the project's tasks, only return tasks in this state.
      - Cannot be combined with O(sync_task_id) or O(sync_task_ids).
    type: str
    choices: [SYNCHRONIZING, STOPPED]
  details:
    description:
      - When listing the project's tasks, also read each task with C(ShowSyncTask) to add
        its C(monthly_*) counters (one more request per task).
      - Tasks read by ID always carry the counters.
    type: bool
    default: false
notes:
  - The listing pages through C(GET /v2/{project_id}/sync-tasks) 100 tasks at a time until
    C(count) tasks were read or a page is empty; when C(count) is not a number, until a page
    holds fewer than 100 tasks. A page without a C(tasks) list fails the task naming the field.
    The API refuses offsets above 10000, so at most 10100 tasks can be listed; when the project
    holds more, the module warns and sets RV(complete=false).
  - A task without a C(status), or read by ID with C(monthly_acceptance_request) or
    C(monthly_failure_object) that is not a count, is named in RV(problems).
  - A task created or deleted while the listing pages through may be missed or seen twice;
    a task seen twice is returned once.
  - With O(details=true), a listed task that is deleted before its details are read is
    reported in RV(missing) and left out of RV(sync_tasks).
seealso:
  - module: hwcloud.migration.oms_sync_task_statistics_info
  - module: hwcloud.migration.modelarts_dataset_sync_info
"""

EXAMPLES = r"""
- name: Check OMS sync tasks with credentials set once for the whole block
  module_defaults:
    group/hwcloud.migration.huaweicloud:
      region: cn-north-4
      access_key: "{{ lookup('ansible.builtin.env', 'HUAWEICLOUD_SDK_AK') }}"
      secret_key: "{{ lookup('ansible.builtin.env', 'HUAWEICLOUD_SDK_SK') }}"
  block:
    - name: Read two sync tasks, with this month's counters
      hwcloud.migration.oms_sync_task_info:
        sync_task_ids:
          - 0d146099-8cf4-437d-b6ef-88e043771c8b
          - d18befdd-eb82-41f3-8019-bbb593d74a3e
      register: oms_tasks

    - name: Fail when a task is gone or stopped
      ansible.builtin.assert:
        that:
          - oms_tasks.missing | length == 0
          - oms_tasks.sync_tasks | selectattr('status', 'ne', 'SYNCHRONIZING') | list | length == 0

- name: List every task of the project that is still synchronizing
  hwcloud.migration.oms_sync_task_info:
    region: cn-north-4
    status: SYNCHRONIZING
  register: running_tasks

- name: List every task with the counters of last month
  hwcloud.migration.oms_sync_task_info:
    region: cn-north-4
    details: true
    query_time: "2024-04-15T00:00:00Z"
  register: april_tasks
"""

RETURN = r"""
sync_tasks:
  description:
    - The synchronization tasks, in the order of O(sync_task_ids) (duplicates once), or in the
      listing's order.
    - Each task holds the API's fields as returned; only the main ones are listed here, and any
      of them may be absent or null.
  returned: always
  type: list
  elements: dict
  contains:
    sync_task_id:
      description: The synchronization task ID.
      type: str
      sample: d18befdd-eb82-41f3-8019-bbb593d74a3e
    status:
      description: The task state, V(SYNCHRONIZING) or V(STOPPED).
      type: str
      sample: SYNCHRONIZING
    src_cloud_type:
      description: The source cloud provider.
      type: str
      sample: HuaweiCloud
    src_region:
      description: The region of the source bucket.
      type: str
      sample: cn-north-7
    src_bucket:
      description: The source bucket.
      type: str
      sample: oms-sdk-test-src
    dst_region:
      description: The region of the destination bucket.
      type: str
      sample: cn-north-7
    dst_bucket:
      description: The destination bucket.
      type: str
      sample: oms-sdk-test-dst
    description:
      description: The task description.
      type: str
      sample: sync task test
    create_time:
      description: When the task was created, in milliseconds since the epoch.
      type: int
      sample: 1700639560751
    last_start_time:
      description: When the task was last started, in milliseconds since the epoch.
      type: int
      sample: 1700639560751
    enable_kms:
      description: Whether KMS encryption is enabled. Only the older edition of the API returns it.
      type: bool
      sample: false
    enable_metadata_migration:
      description: Whether metadata migration is enabled.
      type: bool
      sample: false
    enable_restore:
      description: Whether archived objects are restored automatically.
      type: bool
      sample: false
    app_id:
      description: The Tencent Cloud app ID, for Tencent sources.
      type: str
      sample: null
    object_overwrite_mode:
      description: How a destination object with the same name is handled.
      type: str
      sample: SIZE_LAST_MODIFIED_COMPARISON_OVERWRITE
    dst_storage_policy:
      description: The destination storage class.
      type: str
      sample: null
    consistency_check:
      description: How objects are compared after migration.
      type: str
      sample: size_last_modified
    source_cdn:
      description: The CDN the source is read through. Only in listings.
      type: dict
      sample: null
    monthly_acceptance_request:
      description:
        - Objects requested for synchronization in the month of O(query_time).
        - Only when reading by ID, or listing with O(details=true).
      type: int
      sample: 11
    monthly_success_object:
      description: Objects synchronized in the month of O(query_time) (same condition).
      type: int
      sample: 0
    monthly_failure_object:
      description: Objects that failed in the month of O(query_time) (same condition).
      type: int
      sample: 11
    monthly_skip_object:
      description: Objects skipped in the month of O(query_time) (same condition).
      type: int
      sample: 0
    monthly_size:
      description: Bytes synchronized in the month of O(query_time) (same condition).
      type: int
      sample: 0
missing:
  description:
    - The requested task IDs the service does not know (error code C(OMS.1009); a 404 without it is an error).
    - Never a task the listing returned; with O(details=true) its "not found" is an error.
  returned: always
  type: list
  elements: str
  sample: [0d146099-8cf4-437d-b6ef-88e043771c8b]
complete:
  description:
    - Whether every answer could be used by the health checks.
    - False when RV(problems) is not empty, and on a failure because some reads failed.
  returned: always
  type: bool
  sample: true
problems:
  description:
    - The answers the health checks cannot use, one entry per resource and field.
    - C(id) is the resource ID (null for a listing), C(field) the field, C(message) what is wrong with it.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 0d146099-8cf4-437d-b6ef-88e043771c8b
      field: status
      message: status is None, not a string
errors:
  description:
    - One entry per ID that could not be read, when the task failed because of them.
    - C(id), C(status) (HTTP status, null without an answer), C(error_code), C(request_id), C(message),
      and C(attempted) (false for IDs not read because of fail fast, refused credentials or a failed IAM request).
  returned: failure
  type: list
  elements: dict
  sample:
    - id: d18befdd-eb82-41f3-8019-bbb593d74a3e
      status: 503
      error_code: OMS.2004
      request_id: 6c7a4e1f0b5d4b5e9c3f2a1d0e9f8a7b
      message: "GET https://oms.cn-north-4.myhuaweicloud.com/v2/.../sync-tasks/d18b... failed: HTTP 503 OMS.2004"
      attempted: true
"""

from ansible_collections.hwcloud.migration.plugins.module_utils._module import run_info_module
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.sync_tasks import SYNC_TASKS


def main():
    run_info_module(SYNC_TASKS)


if __name__ == '__main__':
    main()
