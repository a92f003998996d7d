# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check the migration_health role's variables and return the gate's policy, before the gate starts.

Every variable the task sees whose name has the role's prefix is checked: host and
group variables of the inventory, play and role variables, extra variables and facts
alike.  The values are then checked for what they mean (the policy, with its read
plan), and the reports of an earlier run are replaced by ones that say this run has
not evaluated anything yet.  One task does the three: each task of the role costs
every fleet target about a ping's controller CPU.  The work is in
``plugins/plugin_utils/_gate/inputs.py``.
"""

import os

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.evaluate import error_fact
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.inputs import policy_problem, unknown_variable_problems, value_problems
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.results import gate_error
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports.files import write_reports

NOT_EVALUATED = "this run of the gate stopped before it evaluated anything (it was interrupted or killed, or is still running); see the run's log"


def not_evaluated_fact() -> dict:
    """The fact of a run that has not evaluated anything yet: ERROR, and why.

    The collection builds it, so it is held to the fact's schema by the unit
    tests (tests/unit/plugins/action/test_migration_health_inputs.py), not
    checked again for every target at run time.
    """
    return error_fact([gate_error('run', NOT_EVALUATED)])


class ActionModule(ActionBase):
    """Action of hwcloud.migration.migration_health_inputs."""

    TRANSFERS_FILES = False
    _requires_connection = False
    _VALID_ARGS = frozenset(('argument_specs', 'entry_point', 'dest', 'fact_name'))

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        task_vars = task_vars or {}
        validation, args = self.validate_argument_spec(
            argument_spec=dict(
                argument_specs=dict(type='path', required=True),
                entry_point=dict(type='str', default='main'),
                dest=dict(type='path'),
                fact_name=dict(type='str'),
            )
        )
        del validation
        specs = self._loader.load_from_file(args['argument_specs'])
        try:
            options = specs['argument_specs'][args['entry_point']]['options']
        except (KeyError, TypeError):
            raise AnsibleActionFail('%s has no options for the entry point %s' % (args['argument_specs'], args['entry_point']))
        if args['fact_name'] and not args['fact_name'].isidentifier():
            raise AnsibleActionFail('fact_name: %r is not a variable name' % (args['fact_name'],))
        # Only the role's own options are templated: a value that cannot be
        # templated fails here, naming its error, before any request.
        values = {name: self._templar.template(task_vars[name]) for name in options if name in task_vars}
        problems = unknown_variable_problems(task_vars, options) + value_problems(values, options)
        result['changed'] = False
        if not problems:
            policy, problem = policy_problem(values, options)
            problems = [problem] if problem else []
        if problems:
            result['failed'] = True
            result['msg'] = '\n'.join(problems)
            return result
        result['policy'] = policy
        self._mark_not_evaluated(result, args)
        return result

    def _mark_not_evaluated(self, result, args):
        """Until the evaluation, the fact and the reports say ERROR: an earlier run's must not survive this one."""
        fact = not_evaluated_fact()
        if args['fact_name']:
            result['ansible_facts'] = {args['fact_name']: fact}
        if args['dest']:
            try:
                changed, paths = write_reports(fact, args['dest'], check_mode=self._task.check_mode)
            except (IOError, OSError) as exc:
                raise AnsibleActionFail('could not write the reports to %s: %s' % (args['dest'], exc))
            result.update(changed=changed, reports=paths, dest=os.path.dirname(paths['json']))
