# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check the migration_health role's variables against its argument spec before the gate starts.

Every variable the task sees whose name has the role's prefix is checked: host and
group variables of the inventory, play and role variables, extra variables and facts
alike.  The work is in ``plugins/plugin_utils/_gate/inputs.py``.
"""

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.inputs import unknown_variable_problems, value_problems


class ActionModule(ActionBase):
    """Action of hwcloud.migration.migration_health_inputs."""

    TRANSFERS_FILES = False
    _requires_connection = False
    _VALID_ARGS = frozenset(('argument_specs', 'entry_point'))

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        task_vars = task_vars or {}
        validation, args = self.validate_argument_spec(
            argument_spec=dict(argument_specs=dict(type='path', required=True), entry_point=dict(type='str', default='main'))
        )
        del validation
        specs = self._loader.load_from_file(args['argument_specs'])
        try:
            options = specs['argument_specs'][args['entry_point']]['options']
        except (KeyError, TypeError):
            raise AnsibleActionFail('%s has no options for the entry point %s' % (args['argument_specs'], args['entry_point']))
        # Only the role's own options are templated: a value that cannot be
        # templated fails here, naming its error, before any request.
        values = {name: self._templar.template(task_vars[name]) for name in options if name in task_vars}
        problems = unknown_variable_problems(task_vars, options) + value_problems(values, options)
        result['changed'] = False
        if problems:
            result['failed'] = True
            result['msg'] = '\n'.join(problems)
        return result
