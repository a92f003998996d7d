# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Evaluate the migration health and write its reports (JSON, JUnit, HTML) on the controller in one step.

The registered module results are read straight from the task's variables
(``results_from`` names them) instead of being templated through a filter:
templating a large result was most of a big gate's evaluation time.  The work
itself is in ``plugins/plugin_utils``.
"""

import os

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.hwcloud.migration.plugins.module_utils._reads.names import READ_NAMES
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import DEFAULT_TITLE, MigrationHealthError
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.evaluate import error_fact, evaluate, evaluate_failing_gate, failure_message
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.plain import plain
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.results import error_from_entry, gate_error, state_results
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.schema import fact_errors
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.summary import summary_lines
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports.files import write_reports

# A result of each read, under the read's name (plugins/module_utils/_reads/names.py).
RESULT_KEYS = READ_NAMES


class ActionModule(ActionBase):
    """Action of hwcloud.migration.migration_health_report."""

    TRANSFERS_FILES = False
    _requires_connection = False
    _VALID_ARGS = frozenset(('health', 'policy', 'results_from', 'results_in', 'errors', 'dest', 'title', 'fact_name'))

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        validation, args = self.validate_argument_spec(
            argument_spec=dict(
                health=dict(type='dict'),
                policy=dict(type='dict'),
                results_from=dict(type='dict', default={}),
                results_in=dict(type='str'),
                errors=dict(type='list', elements='dict'),
                dest=dict(type='path'),
                title=dict(type='str', default=DEFAULT_TITLE),
                fact_name=dict(type='str'),
            ),
            mutually_exclusive=[('health', 'policy'), ('health', 'errors'), ('results_from', 'results_in')],
            required_one_of=[('health', 'policy', 'errors')],
        )
        del validation
        try:
            errors = [error_from_entry(plain(entry)) for entry in args['errors'] or []]
        except MigrationHealthError as exc:
            raise AnsibleActionFail('errors: %s' % exc)
        if args['health'] is not None:
            fact = plain(args['health'])  # (the facts built below are held to the schema by the unit tests)
            if problems := fact_errors(fact):
                raise AnsibleActionFail('health is not a migration_health fact (docs/migration_health_fact.schema.json): ' + '; '.join(problems))
        elif args['policy'] is not None:
            fact = self._evaluate(args['policy'], args['results_from'], task_vars or {}, errors, args['results_in'])
        else:
            fact = error_fact(errors)
        if args['fact_name']:
            # Returned once, as a host fact: a second copy (or a set_fact templating it) costs as much as a large evaluation.
            if not args['fact_name'].isidentifier():
                raise AnsibleActionFail('fact_name: %r is not a variable name' % (args['fact_name'],))
            result.update(changed=False, ansible_facts={args['fact_name']: fact})
        else:
            result.update(changed=False, health=fact)
        # What the role prints, from the plain fact: from the host fact it would walk every check through lazy containers.
        result.update(summary=summary_lines(fact), message=None if fact['healthy'] else failure_message(fact))
        if args['dest']:
            try:
                changed, paths = write_reports(fact, args['dest'], title=args['title'], check_mode=self._task.check_mode)
            except (IOError, OSError) as exc:
                raise AnsibleActionFail('could not write the reports to %s: %s' % (args['dest'], exc))
            result.update(changed=changed, reports=paths, dest=os.path.dirname(paths['json']))
        return result

    @staticmethod
    def _evaluate(policy, results_from, task_vars, errors=(), results_in=None):
        unknown = sorted(set(results_from) - set(RESULT_KEYS))
        if unknown:
            raise AnsibleActionFail('results_from: unknown key(s) %s; use %s' % (', '.join(unknown), ', '.join(RESULT_KEYS)))
        results = {}
        for key, name in results_from.items():
            if name is None:
                continue
            if not isinstance(name, str) or name not in task_vars:
                raise AnsibleActionFail('results_from.%s: %r is not a variable of this host; give the name a module result was registered as' % (key, name))
            results[key] = plain(task_vars[name])
        if results_in is not None and not (errors and results_in not in task_vars):
            # (A gate that failed before its read has nothing to read: its errors say why.)
            if results_in not in task_vars:
                raise AnsibleActionFail('results_in: %r is not a variable of this host; give the name the migration_state_info result has' % results_in)
            results = state_results(plain(task_vars[results_in]), RESULT_KEYS)
        if errors:
            # The gate is already failing: whatever else goes wrong, its reports say ERROR and why.
            return evaluate_failing_gate(results, plain(policy), errors)
        try:
            return evaluate(results, plain(policy))
        except MigrationHealthError as exc:
            raise AnsibleActionFail('migration_health: %s' % exc)
        except Exception as exc:  # pylint: disable=broad-except
            # An answer the evaluation cannot hold: the reports say ERROR and why, never "not evaluated yet".
            return error_fact([gate_error('evaluation', 'the evaluation failed: %s: %s' % (type(exc).__name__, exc))])
