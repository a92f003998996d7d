# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# The work is done by the action plugin of the same name, on the controller.

DOCUMENTATION = r"""
module: migration_health_inputs
short_description: Check the migration_health role's variables and return the gate's policy
version_added: 0.2.0
author:
  - hwcloud.migration maintainers (@hwcloud)
description:
  - Checks every variable the task sees whose name starts with C(migration_health_) - host and group variables of
    the inventory, play and role variables, extra variables and facts - against the options of one entry point of
    a role argument spec (the role's C(meta/argument_specs.yml)).
  - A name the spec does not know (a typo such as C(migration_health_sync_task)) fails, naming the closest known
    name. A value the spec refuses fails with what to write instead, for example
    C(migration_health_max_window_failure_ratio must be a fraction, e.g. 0.05); the value is shown except for
    options with C(no_log).
  - Internal names are not checked - C(migration_health__*), C(migration_health_fleet__*), and the
    C(migration_health_fleet) fact, and C(migration_health_project), the host variable of the
    P(hwcloud.migration.projects#inventory) inventory. The C(migration_health) fact has no C(migration_health_) prefix.
  - When every variable passes, their values are checked for what they mean (the policy of
    P(hwcloud.migration.migration_health_policy#filter), with its read plan), and the policy is returned.
  - Then the fact O(fact_name) and the reports in O(dest), if given, are replaced by ones that say C(ERROR) because
    this run has not evaluated anything yet, so that an earlier run's verdict never survives a run that stops
    before its evaluation.
  - The role P(hwcloud.migration.migration_health#role) runs this check before anything else, before Ansible's own
    validation of the same spec, so that refused inputs leave C(ERROR) reports that give the reason.
options:
  argument_specs:
    description:
      - Path of the role argument spec file on the controller.
    type: path
    required: true
  entry_point:
    description:
      - The entry point of the spec whose options are the known variables.
    type: str
    default: main
  dest:
    description:
      - Directory of the reports to replace by C(ERROR) ones (not evaluated yet) when the inputs pass, as
        M(hwcloud.migration.migration_health_report) writes them. Left out, no report is written.
    type: path
  fact_name:
    description:
      - Set the C(ERROR) fact (not evaluated yet) as the host fact of this name when the inputs pass.
    type: str
attributes:
  check_mode:
    support: full
    description: Writes no report in check mode.
  diff_mode:
    support: none
    description: No diff is shown.
  platform:
    support: full
    platforms: all
    description: Runs on the controller.
seealso:
  - module: hwcloud.migration.migration_health_report
"""

EXAMPLES = r"""
- name: Check the gate's variables
  hwcloud.migration.migration_health_inputs:
    argument_specs: "{{ role_path }}/meta/argument_specs.yml"
"""

RETURN = r"""
policy:
  description:
    - The gate's policy, as P(hwcloud.migration.migration_health_policy#filter) returns it, with C(read_plan)
      (the options of each part of M(hwcloud.migration.migration_state_info) the gate reads).
  returned: success
  type: dict
reports:
  description: The paths of the reports written (C(json), C(junit), C(html)).
  returned: success and O(dest) is given
  type: dict
msg:
  description: On failure, one line per refused variable.
  returned: failure
  type: str
  sample: migration_health_sync_task is not a variable of the migration_health role; did you mean migration_health_sync_tasks?
"""
