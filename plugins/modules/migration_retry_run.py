# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# The work is done by the action plugin of the same name, on the controller.

DOCUMENTATION = r"""
module: migration_retry_run
short_description: Retry failed OMS migration tasks and task groups and wait until they finish
version_added: 0.2.0
author:
  - hwcloud.migration maintainers (@hwcloud)
description:
  - Reads the migration tasks and task groups of O(plan) (the plan of M(hwcloud.migration.migration_retry_inputs)),
    retries each that failed (a task in status 4, a group in status 5, migration failed) with
    M(hwcloud.migration.oms_migration_task) or M(hwcloud.migration.oms_task_group) and C(state=started), then waits
    until it has finished, up to the plan's C(attempts) rounds. A task or group that ends failed again is retried in
    the next round; one that succeeded, timed out or could not be retried is not.
  - The waiting for each ends at the plan's C(timeout) from the start of this task, or at its cutover deadline when
    that is sooner; a round does not start for a task or group whose time is up.
  - A failed member task of a failed group that is retried is retried with the group, not on its own.
  - Check mode reads and lists what would be retried (RV(retried) with C(outcome=would_retry)); nothing is written.
  - The connection options are those of every module of the collection (it is in the
    C(hwcloud.migration.huaweicloud) action group), passed to each module it runs.
  - The role P(hwcloud.migration.migration_retry#role) runs it.
extends_documentation_fragment:
  - hwcloud.migration.huaweicloud
options:
  plan:
    description: The plan returned by M(hwcloud.migration.migration_retry_inputs).
    type: dict
    required: true
  src_credentials:
    description:
      - The source's credentials, sent again with each retry (the API asks for them), with the keys C(ak), C(sk),
        C(security_token), C(connection_string) and C(json_auth_file).
    type: dict
  dst_credentials:
    description: The destination's credentials, with the keys C(ak), C(sk) and C(security_token).
    type: dict
  credentials_by_id:
    description:
      - Per task or group id, C(src) and/or C(dst) credentials that replace (whole) O(src_credentials) or
        O(dst_credentials) for that id.
    type: dict
attributes:
  check_mode:
    support: full
    description: Reads, and sends no write.
  diff_mode:
    support: none
    description: No diff is shown.
  platform:
    support: full
    platforms: all
    description: Runs the collection's modules on the task's host.
notes:
  - No credential is ever part of the result; the modules it runs mask their credential options.
seealso:
  - module: hwcloud.migration.migration_retry_inputs
  - module: hwcloud.migration.oms_migration_task
  - module: hwcloud.migration.oms_task_group
"""

EXAMPLES = r"""
- name: Retry the failed migrations
  hwcloud.migration.migration_retry_run:
    plan: "{{ retry_inputs.plan }}"
    src_credentials: "{{ vault_src_credentials }}"
    dst_credentials: "{{ vault_dst_credentials }}"
"""

RETURN = r"""
retried:
  description:
    - One entry per failed task or group, C(kind) (V(migration_task) or V(task_group)), C(id), C(outcome),
      C(attempts) (rounds started), C(retries_sent), C(status) (last read), and when known C(failed_objects),
      C(error_reason) and C(error) (C(step), C(msg), C(http_status), C(error_code), C(request_id)).
    - C(outcome) is V(succeeded), V(failed) (still failed after the last round), V(timed_out), V(out_of_time)
      (no time left to start a round), V(error) (the retry or the wait failed), or V(would_retry) in check mode.
  returned: always
  type: list
  elements: dict
left:
  description: The tasks and groups left alone, with C(kind), C(id), C(status) and C(reason).
  returned: always
  type: list
  elements: dict
errors:
  description:
    - Reads and retries that failed, one entry each with C(step) (V(read), V(retry), V(wait)), C(kind), C(id)
      when known, C(msg), C(http_status), C(error_code) and C(request_id). The task fails when there is any.
  returned: always
  type: list
  elements: dict
"""
