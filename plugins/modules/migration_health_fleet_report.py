# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# The work is done by the action plugin of the same name, on the controller.

DOCUMENTATION = r"""
module: migration_health_fleet_report
short_description: Fold the gate results of many targets into one fleet verdict and write the fleet reports
version_added: 0.2.0
author:
  - hwcloud.migration maintainers (@hwcloud)
description:
  - Builds the C(migration_health_fleet) fact from what each target (one project in one region) of a fleet
    run recorded, and writes the fleet reports C(migration-health.json), C(migration-health.xml) (JUnit, one
    test case per target) and C(migration-health.html) into O(dest), beside the targets' own report
    directories.
  - A target is HEALTHY only when its C(migration_health) fact is present, well formed and HEALTHY, and its
    run did not fail. A target without a usable fact (its API reads failed, it recorded nothing) is ERROR.
  - The fleet verdict is the worst target verdict, in the order HEALTHY, UNHEALTHY, ERROR. A fleet without
    targets is ERROR.
  - Used by the C(hwcloud.migration.migration_health) playbook when the inventory has the group
    C(migration_health_targets); run it once per play (C(run_once)).
options:
  targets:
    description:
      - Target name (the inventory host name) to what the target recorded, or V(null) when it recorded nothing.
      - Each record may hold C(region), C(project), C(project_id), C(health) (the target's C(migration_health)
        fact or V(null)), C(error) (the message of the failure that ended the target's gate, or V(null)) and
        C(report_dir) (the directory of the target's own reports).
      - Exactly one of O(targets) and O(target_hosts) is required.
    type: dict
  target_hosts:
    description:
      - The inventory hosts of the targets; each target's record is read from its host's variables, as the
        C(hwcloud.migration.migration_health) playbook leaves them, instead of being passed in O(targets).
      - C(migration_health_fleet__started_ms) is when the target's gate started in this run; a host without it
        recorded nothing (ERROR). Its C(migration_health) fact is the target's health only when the fact's
        C(evaluated_at_ms) is not earlier, so a fact of an earlier play or from a fact cache never counts.
      - C(migration_health_fleet__error) is the failure that ended the target's gate,
        C(migration_health_fleet__report_dir) the directory of its own reports; C(region), C(project) and
        C(project_id) come from C(migration_health_connection) and C(migration_health_project).
      - A host that is no longer in the play (it failed outside its gate) recorded nothing (ERROR).
    type: list
    elements: str
  dest:
    description:
      - Directory to write the fleet reports into, on the controller. Created when missing.
      - When not set, only the fact is built.
    type: path
  title:
    description:
      - Title of the HTML page.
    type: str
    default: Migration health fleet
attributes:
  check_mode:
    support: full
    description:
      - In check mode nothing is written (no directory is created either); C(changed) says whether a report would change.
      - With O(target_hosts), a target's C(reports) is V(null) in check mode (its gate wrote nothing, and what its
        directory holds is an earlier run's).
  diff_mode:
    support: none
    description: No diff is shown.
  platform:
    support: full
    platforms: all
    description: Runs on the controller.
notes:
  - The reports are written on the controller, whatever host the task runs for.
seealso:
  - module: hwcloud.migration.migration_health_report
"""

EXAMPLES = r"""
- name: Build the fleet verdict once the targets are evaluated
  hwcloud.migration.migration_health_fleet_report:
    target_hosts: "{{ ansible_play_hosts_all }}"
    dest: "{{ playbook_dir }}/reports"
  run_once: true
  delegate_to: localhost

- name: Build a fleet verdict from records gathered some other way
  hwcloud.migration.migration_health_fleet_report:
    targets:
      beijing:
        region: cn-north-4
        health: "{{ hostvars['beijing']['ansible_facts']['migration_health'] | default(none) }}"
      shanghai:
        region: cn-east-3
        error: the gate of shanghai did not run
  run_once: true
"""

RETURN = r"""
fleet:
  description: The fleet verdict (also set as the fact C(migration_health_fleet)).
  returned: always
  type: dict
  contains:
    verdict:
      description: V(HEALTHY), V(UNHEALTHY) or V(ERROR).
      type: str
      sample: UNHEALTHY
    healthy:
      description: Whether every target is HEALTHY.
      type: bool
      sample: false
    evaluated_at:
      description: When the fleet verdict was built (UTC, ISO 8601).
      type: str
      sample: "2026-11-30T15:00:00Z"
    counts:
      description: How many targets there are, and how many are healthy, unhealthy and in error.
      type: dict
      sample: {"targets": 3, "healthy": 2, "unhealthy": 1, "error": 0}
    targets:
      description:
        - One entry per target, sorted by name, with C(name), C(region), C(project), C(project_id),
          C(verdict), C(healthy), C(counts) (the target's counts, null for ERROR without a fact),
          C(violations) (at most 20), C(error) and C(reports) (the paths of the target's own reports,
          with C(dir), or null when it has none).
      type: list
      elements: dict
message:
  description: One line for the fleet, then one per target that is not healthy.
  returned: always
  type: str
  sample: "Migration health fleet gate FAILED: UNHEALTHY: 1 of 3 targets are not healthy (1 unhealthy, 0 error)"
reports:
  description: The path of each fleet report.
  returned: when O(dest) is set
  type: dict
  contains:
    json:
      description: Path of the JSON report (the fleet fact).
      type: str
      sample: /builds/migration/reports/migration-health.json
    junit:
      description: Path of the JUnit XML report.
      type: str
      sample: /builds/migration/reports/migration-health.xml
    html:
      description: Path of the HTML report.
      type: str
      sample: /builds/migration/reports/migration-health.html
"""
