# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# The work is done by the action plugin of the same name, on the controller.

DOCUMENTATION = r"""
module: migration_retry_inputs
short_description: Check the migration_retry role's variables and return its retry plan
version_added: 0.2.0
author:
  - hwcloud.migration maintainers (@hwcloud)
description:
  - Checks every variable the task sees whose name starts with C(migration_retry_) against the options of one
    entry point of a role argument spec (the role's C(meta/argument_specs.yml)). A name the spec does not know
    fails, naming the closest known name; a value the spec refuses fails with what to write instead. Names
    starting with C(migration_retry__) are the role's internal ones and are not checked.
  - The credential variables are checked for their keys and types only; no message shows a credential value.
  - The gate's selection (C(migration_health_migration_tasks), C(migration_health_task_groups),
    C(migration_health_deadline)) is checked as the P(hwcloud.migration.migration_health#role) gate checks it.
  - The role P(hwcloud.migration.migration_retry#role) runs this check before anything else.
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
attributes:
  check_mode:
    support: full
    description: Reads variables only.
  diff_mode:
    support: none
    description: No diff is shown.
  platform:
    support: full
    platforms: all
    description: Runs on the controller.
seealso:
  - module: hwcloud.migration.migration_retry_run
"""

EXAMPLES = r"""
- name: Check the retry's variables
  hwcloud.migration.migration_retry_inputs:
    argument_specs: "{{ role_path }}/meta/argument_specs.yml"
  register: retry_inputs
"""

RETURN = r"""
plan:
  description:
    - What to retry and how, without any credential. C(migration_tasks) and C(task_groups) each hold C(all)
      (bool), C(ids) and C(deadlines) (an id's own cutover deadline); C(deadline) the gate's cutover deadline;
      C(attempts), C(timeout), C(poll_interval) and C(failed_objects_only) the role's settings.
  returned: success
  type: dict
"""
