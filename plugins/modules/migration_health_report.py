# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# The work is done by the action plugin of the same name, on the controller.

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r"""
module: migration_health_report
short_description: Write the migration health reports (JSON, JUnit, HTML)
version_added: 0.1.0
author:
  - hwcloud.migration maintainers (@hwcloud)
description:
  - Writes the three reports of a C(migration_health) fact into one directory on the
    controller, in one step - C(migration-health.json) (the fact), C(migration-health.xml)
    (JUnit, one test case per check) and C(migration-health.html) (one self-contained page
    with the verdict, the tasks, datasets and checks, and an inline SVG chart per sync task).
  - Used by the C(hwcloud.migration.migration_health) role; usable on its own with a fact
    produced by the P(hwcloud.migration.migration_health_evaluate#filter) filter.
  - Each file is replaced atomically and only when its content changes.
options:
  health:
    description:
      - The C(migration_health) fact.
    type: dict
    required: true
  dest:
    description:
      - Directory to write the reports into, on the controller. Created when missing.
    type: path
    required: true
  title:
    description:
      - Title of the HTML page.
    type: str
    default: Migration health
attributes:
  check_mode:
    support: full
    description: In check mode nothing is written; C(changed) says whether a report would change.
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
- name: Write the reports of a gate evaluated earlier in the play
  hwcloud.migration.migration_health_report:
    health: "{{ migration_health }}"
    dest: "{{ playbook_dir }}/reports"
"""

RETURN = r"""
reports:
  description: The path of each report.
  returned: always
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
  returned: always
  type: str
  sample: /builds/migration/reports
"""
