#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r"""
---
module: oms_sync_task_statistics_info
short_description: Read and summarise the statistics of Huawei Cloud OMS synchronization tasks
version_added: 0.1.0
author:
  - hwcloud.migration maintainers (@hwcloud)
description:
  - Reads the statistics of Object Storage Migration Service (OMS) v2 synchronization tasks
    over a time window (API C(ListSyncTaskStatistic)) and summarises them for health checks.
  - The API returns one series per data type, in buckets of five minutes or one hour; empty
    buckets are left out. The module returns the series as the API gave them, plus a
    RV(sync_task_statistics[].summary) with totals, the failure, success and skip ratios,
    the bytes synchronized and the last bucket with successful objects.
extends_documentation_fragment:
  - hwcloud.migration.huaweicloud
  - hwcloud.migration.info_module.contract
  - hwcloud.migration.info_module
options:
  sync_task_id:
    description:
      - ID of one synchronization task.
      - Exactly one of O(sync_task_id) and O(sync_task_ids) is required.
    type: str
  sync_task_ids:
    description:
      - IDs of synchronization tasks.
      - Results come back in this order; an ID given twice is read and returned once.
      - Exactly one of O(sync_task_id) and O(sync_task_ids) is required.
    type: list
    elements: str
  data_type:
    description:
      - The statistics to read, sent to the API joined by commas.
      - V(REQUEST) objects requested for synchronization, V(SUCCESS) objects synchronized,
        V(FAILURE) objects that failed, V(SKIP) objects skipped, V(SIZE) bytes synchronized.
      - A ratio in the summary needs both of its types, for example RV(sync_task_statistics[].summary.failure_ratio)
        needs V(FAILURE) and V(REQUEST).
    type: list
    elements: str
    choices: [REQUEST, SUCCESS, FAILURE, SKIP, SIZE]
    default: [REQUEST, SUCCESS, FAILURE, SKIP, SIZE]
  return_data_types:
    description:
      - The data types whose points are returned in RV(sync_task_statistics[].statistic_datas).
      - The summary always covers every type of O(data_type); this only trims the points returned,
        which keeps the result of a gate over hundreds of tasks small when it needs, say,
        the V(SKIP) and V(SIZE) totals but not their buckets.
      - Every type must also be in O(data_type). Unset, the API's C(statistic_datas) is returned unchanged.
    type: list
    elements: str
    choices: [REQUEST, SUCCESS, FAILURE, SKIP, SIZE]
    version_added: 0.1.0
  start_time:
    description:
      - Start of the window.
      - Milliseconds since the epoch, V(now), a past offset such as V(-90s), V(-15m), V(-2h) or V(-7d),
        or an ISO 8601 time with a zone such as V(2024-05-01T12:00:00Z).
      - A 10-digit number is refused because it looks like seconds, and a time without a zone
        is refused because its meaning would depend on where the module runs.
      - Must not be after O(end_time). Offsets of both options count from the same moment.
    type: raw
    default: -1h
  end_time:
    description:
      - End of the window, in the same forms as O(start_time).
    type: raw
    default: now
notes:
  - The times are checked before any request is sent.
  - OMS documents this API only in the regions cn-north-4, cn-east-3 and cn-southwest-2.
  - Which bucket width the API chooses (C(FIVE_MINUTES) or C(ONE_HOUR)) is not documented;
    RV(sync_task_statistics[].statistic_time_type) says which one it used. Bucket timestamps
    mark the start of a bucket, so the first bucket may start before O(start_time).
  - The API returns at most 1000 buckets per series. When a series comes back with 1000, the
    module reads the window again in parts of about 900 buckets, cut on bucket boundaries,
    concurrently within O(max_concurrency), and merges them by bucket time stamp (the bucket at
    a boundary is in two parts and counts once). The returned series and summary then cover
    the whole window. A window that cannot be read whole (more than 100 parts, or parts that
    stay full) is summarised from what was read with
    RV(sync_task_statistics[].summary.complete=false).
  - Only buckets that overlap the window count. A bucket that starts after O(end_time) or ends
    before O(start_time) (an answer that strays outside the window, or a success in the future)
    is left out of every total and of RV(sync_task_statistics[].summary.last_success_time).
  - A time stamp given more than once for one data type makes the answer disagree with itself,
    whether the window was read in one request or in parts; the bucket counts once, with its
    largest value, and the summary names it in RV(sync_task_statistics[].summary.problems)
    (RV(sync_task_statistics[].summary.complete=false)). The bucket at the shared boundary of
    two parts is in both parts by design and is not a duplicate.
  - The window must be at least one bucket long (5 minutes); a shorter one is refused before
    any request, with the smallest window in the message.
  - An answer whose C(sync_task_id) is not the task asked is an error for that task, never
    a result for it.
seealso:
  - module: hwcloud.migration.oms_sync_task_info
  - module: hwcloud.migration.modelarts_dataset_sync_info
"""

EXAMPLES = r"""
# The connection options come from module_defaults or the environment (see the notes).
- name: Gate on the last hour of OMS synchronization
  block:
    - name: Read the statistics of the last hour
      hwcloud.migration.oms_sync_task_statistics_info:
        sync_task_ids:
          - 0d146099-8cf4-437d-b6ef-88e043771c8b
          - d18befdd-eb82-41f3-8019-bbb593d74a3e
      register: oms_stats

    # Incomplete statistics cannot pass, and failures without requests (no ratio) fail.
    - name: Fail when more than 1% of the requested objects failed
      ansible.builtin.assert:
        that:
          - item.summary.complete
          - item.summary.series.FAILURE.total == 0 or
            (item.summary.failure_ratio is not none and item.summary.failure_ratio <= 0.01)
        fail_msg: "{{ item.sync_task_id }}: {{ item.summary.series.FAILURE.total }} failures"
      loop: "{{ oms_stats.sync_task_statistics }}"
      loop_control:
        label: "{{ item.sync_task_id }}"

- name: Failures and requests of one task on one day, in UTC
  hwcloud.migration.oms_sync_task_statistics_info:
    region: cn-north-4
    sync_task_id: 0d146099-8cf4-437d-b6ef-88e043771c8b
    data_type: [REQUEST, FAILURE]
    start_time: "2024-05-01T00:00:00Z"
    end_time: "2024-05-02T00:00:00Z"
  register: day_stats

- name: The last 15 minutes, refusing any answer outside the API contract
  hwcloud.migration.oms_sync_task_statistics_info:
    region: cn-north-4
    sync_task_id: 0d146099-8cf4-437d-b6ef-88e043771c8b
    start_time: -15m
    strict_contract: true
  register: recent_stats
"""

RETURN = r"""
sync_task_statistics:
  description: One entry per task found, in the order of the requested IDs (duplicates once).
  returned: always
  type: list
  elements: dict
  contains:
    sync_task_id:
      description: The task ID, as requested.
      type: str
      sample: 0d146099-8cf4-437d-b6ef-88e043771c8b
    statistic_time_type:
      description: The bucket width the API used, V(FIVE_MINUTES) or V(ONE_HOUR); null when absent.
      type: str
      sample: FIVE_MINUTES
    statistic_datas:
      description:
        - The series as the API returned them (an empty list when the response has none), only those
          of O(return_data_types) when that is set.
        - Each is C({data_type, data}), and C(data) a list of C({time_stamp, statistic_num}),
          C(time_stamp) in milliseconds since the epoch.
      type: list
      elements: dict
      sample:
        - data_type: REQUEST
          data:
            - time_stamp: 1700150400000
              statistic_num: 1
            - time_stamp: 1700151000000
              statistic_num: 20
    summary:
      description:
        - The series folded into the numbers a health check needs.
        - Malformed buckets (a missing, null, negative or non-integer value) are skipped here
          and named in RV(sync_task_statistics[].summary.problems).
      type: dict
      contains:
        window:
          description: The window actually queried.
          type: dict
          contains:
            start_time:
              description: Start, in milliseconds since the epoch.
              type: int
              sample: 1700146800000
            end_time:
              description: End, in milliseconds since the epoch.
              type: int
              sample: 1700150400000
            start:
              description: Start, ISO 8601 in UTC with milliseconds.
              type: str
              sample: "2023-11-16T15:00:00.000Z"
            end:
              description: End, ISO 8601 in UTC with milliseconds.
              type: str
              sample: "2023-11-16T16:00:00.000Z"
        statistic_time_type:
          description: The bucket width, as in RV(sync_task_statistics[].statistic_time_type).
          type: str
          sample: FIVE_MINUTES
        series:
          description:
            - One entry per requested data type (the keys of O(data_type)), whether or not
              the response carried that series.
            - Each entry has C(total) (sum of the buckets), C(points) (number of buckets),
              C(max) (largest bucket), C(first_time_stamp) and C(last_time_stamp) (the
              earliest and latest bucket, in milliseconds since the epoch, whatever the
              response's order). Without buckets, C(total) and C(points) are 0 and the
              others null.
          type: dict
          sample:
            REQUEST: {total: 1116, points: 113, max: 20, first_time_stamp: 1700150400000, last_time_stamp: 1700188200000}
            FAILURE: {total: 0, points: 0, max: null, first_time_stamp: null, last_time_stamp: null}
        failure_ratio:
          description:
            - FAILURE total divided by REQUEST total, rounded to 6 decimals.
            - Null when V(FAILURE) or V(REQUEST) was not requested, or the REQUEST total is 0.
            - Not clamped to 1; buckets at the window's edges can make it exceed 1.
          type: float
          sample: 0.033333
        success_ratio:
          description: SUCCESS total divided by REQUEST total, under the same rules as RV(sync_task_statistics[].summary.failure_ratio).
          type: float
          sample: 0.9
        skip_ratio:
          description: SKIP total divided by REQUEST total, under the same rules as RV(sync_task_statistics[].summary.failure_ratio).
          type: float
          sample: 0.066667
        bytes_synchronized:
          description: SIZE total in bytes; null when V(SIZE) was not requested.
          type: int
          sample: 3072
        last_success_time:
          description:
            - Time stamp of the latest V(SUCCESS) bucket with at least one object, in
              milliseconds since the epoch.
            - Null when there is none in the window or V(SUCCESS) was not requested.
          type: int
          sample: 1700151000000
        last_success:
          description: RV(sync_task_statistics[].summary.last_success_time) as ISO 8601 in UTC; null with it.
          type: str
          sample: "2023-11-16T16:10:00.000Z"
        complete:
          description:
            - Whether the summary covers the whole window with usable data.
            - False when C(statistic_datas) is absent, null or not a list, a requested series is missing,
              buckets are malformed, or the window could not be read whole; the totals and ratios
              then describe only what was read, and a gate must not pass on them.
          type: bool
          sample: true
        problems:
          description: What made RV(sync_task_statistics[].summary.complete) false, one line each, naming the field.
          type: list
          elements: str
          sample: ["statistic_datas: null, so no series can be read"]
missing:
  description: The requested task IDs the service does not know (HTTP 404 or C(OMS.1009)).
  returned: always
  type: list
  elements: str
  sample: [d18befdd-eb82-41f3-8019-bbb593d74a3e]
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
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.sync_tasks import SYNC_TASK_STATISTICS


def main():
    run_info_module(SYNC_TASK_STATISTICS)


if __name__ == '__main__':
    main()
