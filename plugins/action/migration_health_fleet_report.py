# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fold every target's gate result into the fleet verdict and write the fleet reports.

A thin door onto plugin_utils/_fleet.py: it checks the arguments, sets the
``migration_health_fleet`` fact and writes the reports on the controller.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.text.converters import to_native
from ansible.plugins.action import ActionBase

from ansible_collections.hwcloud.migration.plugins.plugin_utils._fleet import FleetInputError, build_fleet, failure_message, write_reports


def _plain(value):
    """Ansible's wrapped strings and mappings as plain Python values."""
    if isinstance(value, dict):
        return dict((str(key), _plain(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, str):
        return str(value)
    return value


class ActionModule(ActionBase):
    """Action of hwcloud.migration.migration_health_fleet_report."""

    TRANSFERS_FILES = False
    _requires_connection = False
    _VALID_ARGS = frozenset(('targets', 'dest', 'title'))

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        validation, args = self.validate_argument_spec(
            argument_spec=dict(targets=dict(type='dict', required=True), dest=dict(type='path'), title=dict(type='str', default='Migration health fleet'))
        )
        del validation
        try:
            fleet = build_fleet(_plain(args['targets']))
        except FleetInputError as exc:
            raise AnsibleActionFail('targets: %s' % to_native(exc))
        result.update(
            changed=False,
            fleet=fleet,
            message=failure_message(fleet) if not fleet['healthy'] else 'Migration health fleet gate: HEALTHY: %d targets' % fleet['counts']['targets'],
        )
        if args['dest']:
            try:
                changed, paths = write_reports(fleet, args['dest'], title=args['title'], check_mode=self._task.check_mode)
            except (IOError, OSError) as exc:
                raise AnsibleActionFail('could not write the fleet reports to %s: %s' % (args['dest'], to_native(exc)))
            result.update(changed=changed, reports=paths)
        result['ansible_facts'] = {'migration_health_fleet': fleet}
        return result
