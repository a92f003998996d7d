#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r"""
---
module: modelarts_dataset_sync_info
short_description: Read the synchronization status of Huawei Cloud ModelArts datasets
version_added: 0.1.0
author:
  - hwcloud.migration maintainers (@hwcloud)
description:
  - Reads the status of the data synchronization task of ModelArts datasets
    (C(GET /v2/{project_id}/datasets/{dataset_id}/sync-data/status)), and can wait until
    every one has finished.
  - Each result holds the API's fields plus RV(dataset_syncs[].finished) and
    RV(dataset_syncs[].succeeded), so a playbook does not need to know the status names.
extends_documentation_fragment:
  - hwcloud.migration.huaweicloud
  - hwcloud.migration.info_module.contract
  - hwcloud.migration.info_module
options:
  dataset_id:
    description:
      - ID of one dataset.
      - Exactly one of O(dataset_id) and O(dataset_ids) is required.
    type: str
  dataset_ids:
    description:
      - IDs of datasets.
      - Results come back in this order; an ID given twice is read and returned once.
      - Exactly one of O(dataset_id) and O(dataset_ids) is required.
    type: list
    elements: str
  wait:
    description:
      - Read the unfinished datasets again every O(wait_sleep) seconds until every dataset has
        finished (status V(COMPLETED), V(FAILED) or V(NOT_EXIST)) or is missing.
      - A dataset that finished with V(FAILED) does not fail the task; check
        RV(dataset_syncs[].succeeded).
    type: bool
    default: false
  wait_timeout:
    description:
      - How many seconds to wait at most with O(wait=true). When they run out, the task fails
        with the last status of every unfinished dataset.
    type: int
    default: 600
  wait_sleep:
    description:
      - Seconds between two reads of the unfinished datasets with O(wait=true).
    type: int
    default: 10
notes:
  - A dataset is "not found" when the service answers C(ModelArts.4352), C(ModelArts.4338) or
    C(ModelArts.6623); a 404 without one of these codes is an error for that dataset.
  - In the region ap-southeast-1 the default ModelArts endpoint is on C(myhuaweicloud.cn), as in
    the official SDK.
seealso:
  - module: hwcloud.migration.oms_sync_task_info
  - module: hwcloud.migration.oms_sync_task_statistics_info
"""

EXAMPLES = r"""
# The connection options come from module_defaults or the environment (see the notes).
- name: Wait for ModelArts dataset syncs after a migration
  block:
    - name: Wait up to 30 minutes for every dataset to finish synchronizing
      hwcloud.migration.modelarts_dataset_sync_info:
        dataset_ids:
          - gfghHSokody6AJigS5A
          - WxCREuCkBSAlQr9xrde
        wait: true
        wait_timeout: 1800
        wait_sleep: 30
      register: dataset_syncs

    - name: Fail when a dataset is unknown or its sync failed
      ansible.builtin.assert:
        that:
          - dataset_syncs.missing | length == 0
          - dataset_syncs.dataset_syncs | rejectattr('succeeded') | list | length == 0

- name: Read the status of one dataset once
  hwcloud.migration.modelarts_dataset_sync_info:
    region: cn-north-4
    dataset_id: gfghHSokody6AJigS5A
  register: one_dataset
"""

RETURN = r"""
dataset_syncs:
  description:
    - The sync status of each dataset found, in the order of the requested IDs (duplicates once).
    - Each holds the API's fields as returned (any of them except C(status) may be absent or
      null), with C(dataset_id) filled in from the request when the API leaves it out, plus
      C(finished) and C(succeeded).
  returned: always
  type: list
  elements: dict
  contains:
    dataset_id:
      description: The dataset ID.
      type: str
      sample: gfghHSokody6AJigS5A
    status:
      description:
        - The state of the sync task, V(QUEUING), V(STARTING), V(RUNNING), V(COMPLETED),
          V(FAILED) or V(NOT_EXIST) (the dataset has no sync task).
      type: str
      sample: COMPLETED
    finished:
      description: Whether the status is final, V(COMPLETED), V(FAILED) or V(NOT_EXIST).
      type: bool
      sample: true
    succeeded:
      description: Whether the status is V(COMPLETED).
      type: bool
      sample: true
    task_id:
      description: The ID of the sync task.
      type: str
      sample: mGzVBVQJT0Yb6aVz1m9
    create_time:
      description: When the sync task was created, in milliseconds since the epoch.
      type: int
      sample: 1700639560751
    duration_time:
      description: How long the sync task ran.
      type: int
      sample: 3021
    add_sample_count:
      description: Samples added by the sync.
      type: int
      sample: 120
    deleted_sample_count:
      description: Samples deleted by the sync.
      type: int
      sample: 0
    total_sample_count:
      description: Samples in the dataset.
      type: int
      sample: 1520
    error_code:
      description: Why the sync failed, when it did.
      type: str
      sample: ModelArts.4360
    error_msg:
      description: The message that goes with C(error_code).
      type: str
      sample: Failed to synchronize the dataset.
missing:
  description: The requested dataset IDs the service does not know.
  returned: always
  type: list
  elements: str
  sample: [WxCREuCkBSAlQr9xrde]
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
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.datasets import DATASET_SYNCS


def main():
    run_info_module(DATASET_SYNCS)


if __name__ == '__main__':
    main()
