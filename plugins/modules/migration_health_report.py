# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# The work is done by the action plugin of the same name, on the controller.

DOCUMENTATION = r"""
module: migration_health_report
short_description: Evaluate the migration health and write its reports (JSON, JUnit, HTML)
version_added: 0.1.0
author:
  - hwcloud.migration maintainers (@hwcloud)
description:
  - Evaluates registered module results against a gate policy (with O(policy) and O(results_from)),
    or takes a C(migration_health) fact evaluated earlier (with O(health)), checks the fact against
    its JSON Schema and returns it as RV(health).
  - With O(dest), writes its three reports into one directory on the controller, in one step -
    C(migration-health.json) (the fact), C(migration-health.xml) (JUnit, one test suite per sync
    task, dataset, migration task or task group, one test case per check) and
    C(migration-health.html) (one self-contained page with the verdict, how many subjects failed
    each check, the failing subjects first with their checks and a chart, the healthy ones as one
    row with a sparkline).
  - Used by the C(hwcloud.migration.migration_health) role; usable on its own.
  - Reading the results by variable name, instead of templating them into a filter, is what keeps
    a gate over hundreds of sync tasks fast.
  - Each file is replaced atomically and only when its content changes.
options:
  health:
    description:
      - A C(migration_health) fact, for example from the P(hwcloud.migration.migration_health_evaluate#filter)
        filter.
      - Mutually exclusive with O(policy) and O(errors); one of O(health), O(policy) and O(errors) is required.
    type: dict
  policy:
    description:
      - The gate policy, as returned by the P(hwcloud.migration.migration_health_policy#filter) filter
        (or the settings it accepts). The action evaluates the results named by O(results_from) or O(results_in).
    type: dict
  results_from:
    description:
      - Names of the variables the module results were registered as, with the keys
        C(sync_task_info) (M(hwcloud.migration.oms_sync_task_info)),
        C(sync_task_statistics_info) (M(hwcloud.migration.oms_sync_task_statistics_info)),
        C(dataset_sync_info) (M(hwcloud.migration.modelarts_dataset_sync_info)),
        C(migration_task_info) (M(hwcloud.migration.oms_migration_task_info)) and
        C(task_group_info) (M(hwcloud.migration.oms_task_group_info)).
      - A result that failed is read as far as it goes (the ids it read, and each id under its C(errors));
        a key left out, a null or skipped result means that read was not made, and the subjects it should
        have returned fail as not evaluated. A name that is not a variable of the host fails the task.
      - Used with O(policy). Mutually exclusive with O(results_in).
    type: dict
    default: {}
  results_in:
    description:
      - Name of the variable one M(hwcloud.migration.migration_state_info) result was registered as; its
        keys C(sync_task_info), C(sync_task_statistics_info), C(dataset_sync_info), C(migration_task_info)
        and C(task_group_info) are read as O(results_from) reads its variables.
      - A call that failed without any read's result (options refused, the module killed, no credentials)
        counts as a failure of every read, so every subject asked for fails as not evaluated.
      - Used with O(policy). Mutually exclusive with O(results_from).
    type: str
    version_added: 0.2.0
  errors:
    description:
      - Errors of the gate found before the evaluation, for example the failure that stopped a role run;
        each makes the verdict C(ERROR) and is listed in the fact's C(errors).
      - Each item needs C(step) (what failed) and C(message); C(id), C(field), C(status), C(error_code)
        and C(request_id) are optional.
      - With O(policy), what the results hold is still evaluated; without it, the fact has no subjects.
        Either way the task returns (and writes) an C(ERROR) fact, whatever else goes wrong, so a failing
        gate's reports always say why.
    type: list
    elements: dict
  dest:
    description:
      - Directory to write the reports into, on the controller. Created when missing.
      - When not given, nothing is written; the fact is still returned.
    type: path
  fact_name:
    description:
      - Return the fact as the host fact of this name (persistent and cacheable, like
        C(ansible.builtin.set_fact) with C(cacheable=true)) instead of as RV(health).
      - Returning it once this way, rather than registering it and templating it into a
        C(set_fact), is what keeps a large gate fast.
    type: str
  title:
    description:
      - Title of the HTML page.
    type: str
    default: Migration health
attributes:
  check_mode:
    support: full
    description:
      - In check mode the fact is evaluated and returned, but nothing is written (no directory is created either);
        C(changed) says whether a report would change, and reports already in O(dest) stay as an earlier run left them.
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
  - module: hwcloud.migration.oms_sync_task_statistics_info
"""

EXAMPLES = r"""
- name: Evaluate registered results and write the reports
  hwcloud.migration.migration_health_report:
    policy: "{{ gate_policy }}"
    results_from:
      sync_task_info: task_info
      sync_task_statistics_info: statistics_info
    dest: "{{ playbook_dir }}/reports"
  register: gate

- name: Replace the reports with ERROR ones before a gate reads anything
  hwcloud.migration.migration_health_report:
    errors:
      - step: run
        message: this run stopped before it evaluated anything
    dest: "{{ playbook_dir }}/reports"

- name: Write the reports of a gate evaluated earlier in the play
  hwcloud.migration.migration_health_report:
    health: "{{ migration_health }}"
    dest: "{{ playbook_dir }}/reports"
"""

RETURN = r"""
health:
  description:
    - The C(migration_health) fact (shape in C(docs/migration_health_fact.schema.json)).
  returned: when O(fact_name) is not given
  type: dict
reports:
  description: The path of each report.
  returned: when O(dest) is given
  type: dict
  contains:
    json:
      description: Path of the JSON report (the fact).
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
dest:
  description: The absolute path of the report directory.
  returned: when O(dest) is given
  type: str
  sample: /builds/migration/reports
summary:
  description:
    - The lines that sum up the verdict, as the filter P(hwcloud.migration.migration_health_summary#filter)
      gives them for the fact (verdict and counts, window, cutover, error, then a table of at most 50
      failed checks); the C(hwcloud.migration.migration_health) role prints them.
  returned: always
  type: list
  elements: str
  sample:
    - "UNHEALTHY: 1 of 9 checks failed (1 of 3 sync tasks unhealthy)"
    - "Window: 1h (2026-11-30T14:00:00Z to 2026-11-30T15:00:00Z)"
message:
  description:
    - The text a failing gate stops with, as the filter P(hwcloud.migration.migration_health_failure_message#filter)
      gives it for the fact (a headline, each error, then one violation per line).
  returned: always (null when the verdict is HEALTHY)
  type: str
  sample: "Migration health gate FAILED: 1 of 9 checks failed (1 of 3 sync tasks unhealthy)"
"""
