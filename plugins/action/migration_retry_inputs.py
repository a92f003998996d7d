# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check the migration_retry role's variables and return its retry plan, before any request.

Every variable the task sees whose name starts with ``migration_retry_`` is held to
the role's argument spec (a typo is refused by name, with the closest name), the
credential variables to their keys (never their values), and the gate's selection
(``migration_health_migration_tasks``, ``migration_health_task_groups``,
``migration_health_deadline``) to the gate's policy.  The work is in
``plugins/plugin_utils/_retry/inputs.py``.
"""

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.hwcloud.migration.plugins.plugin_utils._retry.inputs import SELECTION, RetryInputError, retry_plan, unknown_variable_problems


class ActionModule(ActionBase):
    """Action of hwcloud.migration.migration_retry_inputs."""

    TRANSFERS_FILES = False
    _requires_connection = False
    _VALID_ARGS = frozenset(('argument_specs', 'entry_point'))

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        task_vars = task_vars or {}
        _validation, args = self.validate_argument_spec(
            argument_spec=dict(argument_specs=dict(type='path', required=True), entry_point=dict(type='str', default='main'))
        )
        specs = self._loader.load_from_file(args['argument_specs'])
        try:
            options = specs['argument_specs'][args['entry_point']]['options']
        except (KeyError, TypeError):
            raise AnsibleActionFail('%s has no options for the entry point %s' % (args['argument_specs'], args['entry_point']))
        result['changed'] = False
        problems = unknown_variable_problems(task_vars, options)
        if not problems:
            # Only the role's variables and the gate's selection are templated.
            values = {name: self._templar.template(task_vars[name]) for name in options if name in task_vars}
            selection = {name: self._templar.template(task_vars[name]) for name in SELECTION if name in task_vars}
            try:
                result['plan'] = retry_plan(values, options, selection)
            except RetryInputError as exc:
                problems = [str(exc)]
        if problems:
            result['failed'] = True
            result['msg'] = '\n'.join(problems)
        return result
