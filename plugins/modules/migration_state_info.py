#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r"""
---
module: migration_state_info
short_description: Read sync tasks, their statistics, dataset syncs, migration tasks, task groups and failed objects in one call
version_added: 0.2.0
author:
  - hwcloud.migration maintainers (@hwcloud)
description:
  - Runs the reads of M(hwcloud.migration.oms_sync_task_info), M(hwcloud.migration.oms_sync_task_statistics_info),
    M(hwcloud.migration.modelarts_dataset_sync_info), M(hwcloud.migration.oms_migration_task_info) and
    M(hwcloud.migration.oms_task_group_info) together, in one module call, and returns each one's result
    under the name of its option.
  - Each option takes the options of its module, as a dictionary, except the connection options,
    O(strict_contract) and O(max_concurrency), which are set once on this module (a connection option
    inside a read is refused as an unsupported parameter). Leave an option out to skip that read.
  - The reads run at the same time, in one process, with one session, one set of credentials and
    one IAM project lookup; all their requests together stay within O(max_concurrency). A gate
    over hundreds of resources then takes about the time its requests need on the network, instead of
    the sum of five module calls (this is what the C(hwcloud.migration.migration_health) role uses).
  - Each read ends as its module would. When one fails, the others still run to the end; the task
    then fails, and its result holds every read's result, the failed ones with their C(msg) and
    C(errors), so nothing that was read is lost.
extends_documentation_fragment:
  - hwcloud.migration.huaweicloud
  - hwcloud.migration.info_module.contract
options:
  sync_task_info:
    description:
      - Read OMS synchronization tasks, with the options of M(hwcloud.migration.oms_sync_task_info)
        (C(sync_task_id), C(sync_task_ids), C(query_time), C(status), C(details)).
      - The result is in RV(sync_task_info).
    type: dict
    suboptions:
      sync_task_id:
        description:
          - The same as O(hwcloud.migration.oms_sync_task_info#module:sync_task_id).
        type: str
      sync_task_ids:
        description:
          - The same as O(hwcloud.migration.oms_sync_task_info#module:sync_task_ids).
        type: list
        elements: str
      query_time:
        description:
          - The same as O(hwcloud.migration.oms_sync_task_info#module:query_time).
        type: raw
        default: now
      status:
        description:
          - The same as O(hwcloud.migration.oms_sync_task_info#module:status).
        type: str
        choices: [SYNCHRONIZING, STOPPED]
      details:
        description:
          - The same as O(hwcloud.migration.oms_sync_task_info#module:details).
        type: bool
        default: false
  sync_task_statistics_info:
    description:
      - Read the statistics of OMS synchronization tasks, with the options of
        M(hwcloud.migration.oms_sync_task_statistics_info) (C(sync_task_id), C(sync_task_ids), C(data_type),
        C(return_data_types), C(start_time), C(end_time)).
      - Without C(sync_task_id) and C(sync_task_ids), and with O(sync_task_info) set, the statistics are
        read for the tasks O(sync_task_info) found, once it has read them (so an empty O(sync_task_info)
        plus an empty O(sync_task_statistics_info) reads every task of the project and its statistics).
        When it found none, there is no RV(sync_task_statistics_info).
      - With IDs, the statistics are read at the same time as the other reads.
      - The result is in RV(sync_task_statistics_info).
    type: dict
    suboptions:
      sync_task_id:
        description:
          - The same as O(hwcloud.migration.oms_sync_task_statistics_info#module:sync_task_id).
        type: str
      sync_task_ids:
        description:
          - The same as O(hwcloud.migration.oms_sync_task_statistics_info#module:sync_task_ids).
        type: list
        elements: str
      data_type:
        description:
          - The same as O(hwcloud.migration.oms_sync_task_statistics_info#module:data_type).
        type: list
        elements: str
        choices: [REQUEST, SUCCESS, FAILURE, SKIP, SIZE]
        default: [REQUEST, SUCCESS, FAILURE, SKIP, SIZE]
      return_data_types:
        description:
          - The same as O(hwcloud.migration.oms_sync_task_statistics_info#module:return_data_types).
        type: list
        elements: str
        choices: [REQUEST, SUCCESS, FAILURE, SKIP, SIZE]
      start_time:
        description:
          - The same as O(hwcloud.migration.oms_sync_task_statistics_info#module:start_time).
        type: raw
        default: '-1h'
      end_time:
        description:
          - The same as O(hwcloud.migration.oms_sync_task_statistics_info#module:end_time).
        type: raw
        default: now
  dataset_sync_info:
    description:
      - Read ModelArts dataset syncs, with the options of M(hwcloud.migration.modelarts_dataset_sync_info)
        (C(dataset_id), C(dataset_ids), C(wait), C(wait_timeout), C(wait_sleep)).
      - The result is in RV(dataset_sync_info).
    type: dict
    suboptions:
      dataset_id:
        description:
          - The same as O(hwcloud.migration.modelarts_dataset_sync_info#module:dataset_id).
        type: str
      dataset_ids:
        description:
          - The same as O(hwcloud.migration.modelarts_dataset_sync_info#module:dataset_ids).
        type: list
        elements: str
      wait:
        description:
          - The same as O(hwcloud.migration.modelarts_dataset_sync_info#module:wait).
        type: bool
        default: false
      wait_timeout:
        description:
          - The same as O(hwcloud.migration.modelarts_dataset_sync_info#module:wait_timeout).
        type: int
        default: 600
      wait_sleep:
        description:
          - The same as O(hwcloud.migration.modelarts_dataset_sync_info#module:wait_sleep).
        type: int
        default: 10
  migration_task_info:
    description:
      - Read OMS migration tasks, with the options of M(hwcloud.migration.oms_migration_task_info)
        (C(task_id), C(task_ids), C(group_id), C(status), C(task_name)).
      - The result is in RV(migration_task_info).
    type: dict
    suboptions:
      task_id:
        description:
          - The same as O(hwcloud.migration.oms_migration_task_info#module:task_id).
        type: raw
      task_ids:
        description:
          - The same as O(hwcloud.migration.oms_migration_task_info#module:task_ids).
        type: list
        elements: raw
      group_id:
        description:
          - The same as O(hwcloud.migration.oms_migration_task_info#module:group_id).
        type: str
      status:
        description:
          - The same as O(hwcloud.migration.oms_migration_task_info#module:status).
        type: raw
      task_name:
        description:
          - The same as O(hwcloud.migration.oms_migration_task_info#module:task_name).
        type: str
  task_group_info:
    description:
      - Read OMS task groups, with the options of M(hwcloud.migration.oms_task_group_info)
        (C(group_id), C(group_ids), C(status)).
      - The result is in RV(task_group_info).
    type: dict
    suboptions:
      group_id:
        description:
          - The same as O(hwcloud.migration.oms_task_group_info#module:group_id).
        type: str
      group_ids:
        description:
          - The same as O(hwcloud.migration.oms_task_group_info#module:group_ids).
        type: list
        elements: str
      status:
        description:
          - The same as O(hwcloud.migration.oms_task_group_info#module:status).
        type: raw
  failed_objects_info:
    description:
      - Read the failed-object lists of OMS migration tasks, task groups and sync tasks from their destination
        buckets, with the options of M(hwcloud.migration.oms_failed_objects_info) (C(task_ids), C(group_ids),
        C(sync_task_ids), C(list_failed), C(max_objects), C(max_list_bytes), C(obs_access_key), C(obs_secret_key),
        C(obs_security_token), C(obs_endpoint)).
      - Without C(task_ids), C(group_ids), C(sync_task_ids) and C(list_failed), and with O(migration_task_info),
        O(task_group_info) or O(sync_task_info) set, the lists are read once those reads have ended, for the
        subjects they returned that have failed objects (C(failed_num), C(fail_num) or C(monthly_failure_object)
        above 0, or not a count), from the answers already read (no second OMS request). Then the result is there
        even when no subject failed (with no entry).
      - The result is in RV(failed_objects_info).
    type: dict
    suboptions:
      task_ids:
        description:
          - The same as O(hwcloud.migration.oms_failed_objects_info#module:task_ids).
        type: list
        elements: raw
      group_ids:
        description:
          - The same as O(hwcloud.migration.oms_failed_objects_info#module:group_ids).
        type: list
        elements: str
      sync_task_ids:
        description:
          - The same as O(hwcloud.migration.oms_failed_objects_info#module:sync_task_ids).
        type: list
        elements: str
      list_failed:
        description:
          - The same as O(hwcloud.migration.oms_failed_objects_info#module:list_failed).
        type: list
        elements: str
        choices: [migration_tasks, task_groups]
      max_objects:
        description:
          - The same as O(hwcloud.migration.oms_failed_objects_info#module:max_objects).
        type: int
        default: 100
      max_list_bytes:
        description:
          - The same as O(hwcloud.migration.oms_failed_objects_info#module:max_list_bytes).
        type: int
        default: 67108864
      obs_access_key:
        description:
          - The same as O(hwcloud.migration.oms_failed_objects_info#module:obs_access_key).
        type: str
      obs_secret_key:
        description:
          - The same as O(hwcloud.migration.oms_failed_objects_info#module:obs_secret_key).
        type: str
      obs_security_token:
        description:
          - The same as O(hwcloud.migration.oms_failed_objects_info#module:obs_security_token).
        type: str
      obs_endpoint:
        description:
          - The same as O(hwcloud.migration.oms_failed_objects_info#module:obs_endpoint).
        type: str
notes:
  - At least one of the six options is required.
  - Every option of every read is checked before the first request; a wrong one fails the task naming
    the read and the option.
  - Unlike the single modules, O(max_concurrency) bounds the requests of all the reads together.
  - A warning of one read starts with the read's name, for example C(task_group_info:).
  - Each read says in its result what the single module says; see the notes of
    M(hwcloud.migration.oms_sync_task_info) about IDs not found, failed reads, fail fast and
    answers the health checks cannot use.
attributes:
  check_mode:
    support: full
    description: The module only reads; it behaves the same in check mode.
  diff_mode:
    support: none
    description: Nothing is changed, so there is nothing to diff.
seealso:
  - module: hwcloud.migration.oms_sync_task_info
  - module: hwcloud.migration.oms_sync_task_statistics_info
  - module: hwcloud.migration.modelarts_dataset_sync_info
  - module: hwcloud.migration.oms_migration_task_info
  - module: hwcloud.migration.oms_task_group_info
  - module: hwcloud.migration.oms_failed_objects_info
"""

EXAMPLES = r"""
# The connection options come from module_defaults or the environment (see the notes).
- name: Read everything a cutover gate looks at, in one call
  hwcloud.migration.migration_state_info:
    region: cn-north-4
    sync_task_info:
      details: true
    sync_task_statistics_info:
      start_time: -1h
    dataset_sync_info:
      dataset_ids: [gfghHSokody6AJigS5A]
    migration_task_info:
      status: failed
    task_group_info:
      group_ids: [3f2c7d0e-5b8a-4e61-9c4d-2a1b0c9d8e7f]
  register: state

- name: Fail on a failed migration task
  ansible.builtin.assert:
    that: state.migration_task_info.migration_tasks | length == 0
    fail_msg: "{{ state.migration_task_info.migration_tasks | map(attribute='name') | join(', ') }} failed"

- name: Read what can be read, and decide afterwards
  hwcloud.migration.migration_state_info:
    region: cn-north-4
    sync_task_info:
      sync_task_ids: [0d146099-8cf4-437d-b6ef-88e043771c8b]
    migration_task_info:
      task_ids: [1708500012345]
  register: partial
  ignore_errors: true

- name: Say which reads failed
  ansible.builtin.debug:
    msg: "{{ partial | dict2items | selectattr('value.failed', 'defined') | selectattr('value.failed') | map(attribute='key') | list }}"
  when: partial is failed
"""

RETURN = r"""
sync_task_info:
  description:
    - The result of the O(sync_task_info) read, as M(hwcloud.migration.oms_sync_task_info) returns it
      (C(sync_tasks), C(missing), C(complete), C(problems); on failure also C(failed), C(msg), C(errors)
      and the details of the first failure).
  returned: when O(sync_task_info) is set
  type: dict
  sample: {sync_tasks: [{sync_task_id: 0d146099-8cf4-437d-b6ef-88e043771c8b, status: SYNCHRONIZING}], missing: [], complete: true, problems: []}
sync_task_statistics_info:
  description:
    - The result of the O(sync_task_statistics_info) read, as M(hwcloud.migration.oms_sync_task_statistics_info)
      returns it (C(sync_task_statistics), C(missing), C(complete), C(problems); on failure also C(failed),
      C(msg) and C(errors)).
  returned: when O(sync_task_statistics_info) is set and there are tasks to read
  type: dict
  sample: {sync_task_statistics: [], missing: [], complete: true, problems: []}
dataset_sync_info:
  description:
    - The result of the O(dataset_sync_info) read, as M(hwcloud.migration.modelarts_dataset_sync_info) returns it
      (C(dataset_syncs), C(missing), C(complete), C(problems); on failure also C(failed), C(msg) and C(errors)).
  returned: when O(dataset_sync_info) is set
  type: dict
  sample: {dataset_syncs: [{dataset_id: gfghHSokody6AJigS5A, status: COMPLETED, finished: true, succeeded: true}], missing: [], complete: true, problems: []}
migration_task_info:
  description:
    - The result of the O(migration_task_info) read, as M(hwcloud.migration.oms_migration_task_info) returns it
      (C(migration_tasks), C(missing), C(truncated), C(complete), C(problems); on failure also C(failed), C(msg)
      and C(errors)).
  returned: when O(migration_task_info) is set
  type: dict
  sample: {migration_tasks: [], missing: [], truncated: false, complete: true, problems: []}
task_group_info:
  description:
    - The result of the O(task_group_info) read, as M(hwcloud.migration.oms_task_group_info) returns it
      (C(task_groups), C(missing), C(truncated), C(complete), C(problems); on failure also C(failed), C(msg)
      and C(errors)).
  returned: when O(task_group_info) is set
  type: dict
  sample: {task_groups: [], missing: [], truncated: false, complete: true, problems: []}
failed_objects_info:
  description:
    - The result of the O(failed_objects_info) read, as M(hwcloud.migration.oms_failed_objects_info) returns it
      (C(failed_objects), C(missing), C(complete), C(problems); on failure also C(failed), C(msg) and C(errors),
      each error with the C(kind) of its subject).
  returned: when O(failed_objects_info) is set
  type: dict
  sample: {failed_objects: [{kind: migration_task, id: 1003, counts: {GET_SRC_OBJ_FAILURE: 25}, total: 25}], missing: [], complete: true, problems: []}
complete:
  description: Whether every read succeeded and says its result is complete.
  returned: always
  type: bool
  sample: true
problems:
  description:
    - The C(problems) of every read together, each with C(read), the name of the read it comes from.
  returned: always
  type: list
  elements: dict
  sample:
    - read: migration_task_info
      id: 1708500012345
      field: left_time
      message: left_time is absent, not null or an integer of 0 or more
"""

from ansible_collections.hwcloud.migration.plugins.module_utils._module import HuaweiCloudModule
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.base import INFO_ARGUMENT_SPEC
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.bundle import StateRead
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.bundle import argument_spec as read_options


def main():
    argument_spec = read_options()
    argument_spec.update(INFO_ARGUMENT_SPEC)
    module = HuaweiCloudModule(argument_spec=argument_spec, service='oms', supports_check_mode=True)
    failed, result = StateRead(module).run()
    if failed:
        module.fail_json(**result)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
