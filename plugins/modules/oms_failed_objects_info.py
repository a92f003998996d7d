#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r"""
---
module: oms_failed_objects_info
short_description: Read the failed-object lists of OMS migration tasks, task groups and sync tasks from the destination bucket
version_added: 0.3.0
author:
  - hwcloud.migration maintainers (@hwcloud)
description:
  - For each migration task (O(task_ids)), task group (O(group_ids)) and sync task (O(sync_task_ids)), and the
    failed tasks and groups of the project (O(list_failed)), reads the subject from OMS, then from its destination
    OBS bucket the failed-object list it names in C(failed_object_record.list_file_key). When that key is a prefix
    (it does not end in C(.txt)), every C(*.failed_list.txt) under it is read; a sync task's lists are the
    C(*.failed_list.txt) under C(oms/sync_task/{sync_task_id}/failed_object_lists/).
  - Returns per subject the count per failure code (C(UPLOAD_DST_OBJ_FAILURE), C(GET_SRC_OBJ_FAILURE), ...),
    the first O(max_objects) entries (code, time, key decoded, source error message), the files read, and
    whether every file was read whole (C(complete)).
  - OBS requests are signed with the OBS V2 signature (the C(Authorization) header C(OBS AK:Signature)), with
    C(x-obs-security-token) for temporary keys, by the destination's keys O(obs_access_key) and O(obs_secret_key)
    when given, else by the caller's O(access_key) and O(secret_key).
  - Requests go to C(https://BUCKET.obs.REGION.myhuaweicloud.com) (virtual-hosted, the region of the destination),
    or path style to O(obs_endpoint), or to C(HUAWEICLOUD_SDK_REGION_OBS_<REGION>) when set for that region (a
    private endpoint, the emulator). They use the same timeouts, retries, deadline and rate limit as the API calls.
extends_documentation_fragment:
  - hwcloud.migration.huaweicloud
  - hwcloud.migration.info_module.contract
  - hwcloud.migration.info_module
options:
  task_ids:
    description:
      - IDs of migration tasks whose failed objects to read (whole numbers, or strings of digits).
    type: list
    elements: raw
  group_ids:
    description:
      - IDs of task groups whose failed objects to read.
    type: list
    elements: str
  sync_task_ids:
    description:
      - IDs of sync tasks whose failed objects to read.
    type: list
    elements: str
  list_failed:
    description:
      - Also read the failed ones of a listing, every page of it; V(migration_tasks) reads the tasks in status
        4 (failed), V(task_groups) the groups in status 5 (migration failed).
    type: list
    elements: str
    choices: [migration_tasks, task_groups]
  max_objects:
    description:
      - How many entries (and unparsable lines) to return per subject; the counts per code cover every line.
      - 0 to 10000.
    type: int
    default: 100
  max_list_bytes:
    description:
      - The most bytes read of one list file (a C(Range) request). A larger file is read up to here, its last
        partial line dropped, and its subject is C(complete=false) and named in RV(problems), never silently.
      - 1024 to 1073741824. The default is 64 MiB (a list holds at most 100,000 objects).
    type: int
    default: 67108864
  obs_access_key:
    description:
      - The access key of the destination bucket, when it is not the caller's O(access_key).
      - Falls back to the environment variable E(OBS_ACCESS_KEY_ID) (the OBS SDK's name).
    type: str
  obs_secret_key:
    description:
      - The secret key that goes with O(obs_access_key). Falls back to E(OBS_SECRET_ACCESS_KEY).
    type: str
  obs_security_token:
    description:
      - The security token of temporary O(obs_access_key) keys. Falls back to E(OBS_SECURITY_TOKEN).
    type: str
  obs_endpoint:
    description:
      - An OBS endpoint to send every request to, path style (C(ENDPOINT/BUCKET/KEY)), such as a private endpoint
        or the bundled emulator (C(http://127.0.0.1:PORT)). Without it the bucket's virtual-hosted endpoint is used.
    type: str
notes:
  - The line layout of a list is not published (OMS names its fields, error code, time in the region's time zone,
    the key URL-encoded, the key decoded, the source SDK's error message). Tab-, comma- and space-separated lines
    are read, a header line is skipped, and a line that does not fit is returned in C(unparsable) with its line
    number and counted in C(unparsable_count), never dropped.
  - A subject that failed objects but names no list (C(enable_failed_object_recording) off), a list that cannot be
    read (C(NoSuchKey), C(AccessDenied), C(SignatureDoesNotMatch)) or a prefix with no list although objects
    failed is an error for that ID, with the HTTP status, the OBS error code and the request ID
    (C(x-obs-request-id)); the other subjects are still returned.
  - A subject with no failed objects and no list is returned with no files and C(complete=true).
  - RV(failed_objects[].failed_num) (what OMS counts) and RV(failed_objects[].total) (the entries in the lists) are both
    returned and not forced to agree; a list stays in the bucket after a successful retry, and holds at most 100,000
    objects. Compare them when that matters.
  - A list file is read 1 MiB at a time (C(Range) requests) and parsed line by line, so it is never in memory
    whole; every part after the first is read C(If-Match) the first part's ETag, and a list rewritten meanwhile
    fails its ID (C(PreconditionFailed)) instead of mixing two versions.
  - Bucket names, regions and keys taken from the answers are checked before any OBS request.
seealso:
  - module: hwcloud.migration.oms_migration_task_info
  - module: hwcloud.migration.oms_task_group_info
  - module: hwcloud.migration.oms_sync_task_info
"""

EXAMPLES = r"""
- name: Read the failed objects of two tasks with the destination's own keys
  hwcloud.migration.oms_failed_objects_info:
    region: cn-north-4
    access_key: "{{ lookup('ansible.builtin.env', 'HUAWEICLOUD_SDK_AK') }}"
    secret_key: "{{ lookup('ansible.builtin.env', 'HUAWEICLOUD_SDK_SK') }}"
    obs_access_key: "{{ dest_ak }}"
    obs_secret_key: "{{ dest_sk }}"
    task_ids: [1001, 1002]
  register: failed

- name: Show the failure codes of each task
  ansible.builtin.debug:
    msg: "{{ item.id }}: {{ item.counts }}"
  loop: "{{ failed.failed_objects }}"
  loop_control:
    label: "{{ item.id }}"

- name: The failed objects of every failed task and group of the project, the first 20 each
  hwcloud.migration.oms_failed_objects_info:
    region: cn-north-4
    list_failed: [migration_tasks, task_groups]
    max_objects: 20
  register: all_failed
"""

RETURN = r"""
failed_objects:
  description: One entry per subject read, migration tasks first, then task groups, then sync tasks.
  returned: always
  type: list
  elements: dict
  contains:
    kind:
      description: V(migration_task), V(task_group) or V(sync_task).
      type: str
      sample: migration_task
    id:
      description: The subject's ID (an integer for migration tasks).
      type: raw
      sample: 1001
    failed_num:
      description: The failed-object count the subject reports (C(failed_num), C(fail_num)); null when it has none.
      type: int
      sample: 12
    bucket:
      description: The destination bucket read.
      type: str
      sample: photos-obs
    region:
      description: The destination region.
      type: str
      sample: cn-north-4
    list_file_key:
      description: The key or prefix the list was read from.
      type: str
      sample: oms/task/photos-2024/failed_object_lists/20240309150503.failed_list.txt
    files:
      description: The list files read, with C(key), C(size) (the object's size), C(bytes_read), C(complete), C(request_id).
      type: list
      elements: dict
    counts:
      description: The number of entries per failure code, over every line of every file read.
      type: dict
      sample: {"GET_SRC_OBJ_FAILURE": 3, "UPLOAD_DST_OBJ_FAILURE": 9}
    total:
      description: The number of entries parsed.
      type: int
      sample: 12
    objects:
      description:
        - The first O(max_objects) entries, each with C(code), C(time) (as written, in the region's time zone),
          C(key) (decoded), C(key_encoded), C(message) (the source's error message), C(file) and C(line).
      type: list
      elements: dict
      sample:
        - {"code": "UPLOAD_DST_OBJ_FAILURE", "time": "2024-03-09 15:05:03", "key": "photos/a b.jpg",
           "key_encoded": "photos/a%20b.jpg", "message": "-1-OBSClientUploadError", "file": "oms/...txt", "line": 1}
    unparsable:
      description: The first O(max_objects) lines that are no entry, with C(file), C(line) and C(text).
      type: list
      elements: dict
    unparsable_count:
      description: How many lines were no entry.
      type: int
      sample: 0
    complete:
      description: Whether every file was read whole (false when one was cut at O(max_list_bytes)).
      type: bool
      sample: true
missing:
  description: The subjects OMS says do not exist, each C(kind) and C(id).
  returned: always
  type: list
  elements: dict
  sample: [{"kind": "sync_task", "id": "gone"}]
complete:
  description: False when a file was cut at O(max_list_bytes) or an answer could not be used (see RV(problems)).
  returned: always
  type: bool
problems:
  description: What made RV(complete) false, each with C(id), C(field) and C(message).
  returned: always
  type: list
  elements: dict
errors:
  description:
    - One entry per ID that could not be read, when the task failed because of them, with C(kind), C(id), C(status),
      C(error_code) (an OMS code, or an OBS one such as C(NoSuchKey)), C(request_id), C(message) and C(attempted).
  returned: failure
  type: list
  elements: dict
  sample:
    - {"kind": "migration_task", "id": 1001, "status": 404, "error_code": "NoSuchKey", "request_id": "0000018E1A2B3C4D",
       "message": "GET ... failed", "attempted": true}
"""

from ansible_collections.hwcloud.migration.plugins.module_utils._module import run_info_module
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.failed_objects import FAILED_OBJECTS


def main():
    run_info_module(FAILED_OBJECTS)


if __name__ == '__main__':
    main()
