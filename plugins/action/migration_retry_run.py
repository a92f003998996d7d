# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Retry the failed migration tasks and task groups of a plan, and wait until they finish, round after round.

The rounds are plain Python (``plugins/plugin_utils/_retry/rounds.py``); this
action gives them the collection's modules to call (the info modules to read,
``oms_migration_task`` and ``oms_task_group`` to retry and wait), each run as
a module on the task's host with the connection options of this task (the
``hwcloud.migration.huaweicloud`` group's defaults and this task's own).
"""

import time

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase
from ansible.utils.unsafe_proxy import wrap_var

from ansible_collections.hwcloud.migration.plugins.module_utils._api.options import common_argument_spec
from ansible_collections.hwcloud.migration.plugins.plugin_utils._retry.rounds import run_rounds, summary_lines

_OWN = ('plan', 'src_credentials', 'dst_credentials', 'credentials_by_id')
CONNECTION_OPTIONS = tuple(common_argument_spec())


def _message(outcome):
    errors = outcome['errors']
    lines = ['%d of the retries could not be done:' % len(errors)] if errors else []
    for error in errors:
        codes = ', '.join('%s %s' % (key, error[key]) for key in ('http_status', 'error_code', 'request_id') if error.get(key) is not None)
        lines.append(
            '- %s %s (%s): %s%s' % (error.get('kind', '').replace('_', ' '), error.get('id', ''), error['step'], error['msg'], ' [%s]' % codes if codes else '')
        )
    return '\n'.join(lines)


class ActionModule(ActionBase):
    """Action of hwcloud.migration.migration_retry_run."""

    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(_OWN + CONNECTION_OPTIONS)

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        task_vars = task_vars or {}
        args = self._task.args
        plan = args.get('plan')
        if not isinstance(plan, dict) or 'attempts' not in plan:
            raise AnsibleActionFail('plan: the plan of hwcloud.migration.migration_retry_inputs is required')
        credentials = {'src': args.get('src_credentials') or {}, 'dst': args.get('dst_credentials') or {}, 'by_id': args.get('credentials_by_id') or {}}
        connection = {name: args[name] for name in CONNECTION_OPTIONS if args.get(name) is not None}

        def call(module, module_args):
            answer = self._execute_module(module_name=module, module_args=dict(connection, **module_args), task_vars=task_vars)
            # The module's own record of its arguments (masked) is not this action's output.
            answer.pop('invocation', None)
            return answer

        outcome = run_rounds(plan, call=call, clock=lambda: time.time() * 1000, check_mode=bool(self._task.check_mode), credentials=credentials)
        # Ids, statuses and the service's messages come from the API: never templated again.
        result.update(changed=outcome['changed'], retried=wrap_var(outcome['retried']), left=wrap_var(outcome['left']), errors=wrap_var(outcome['errors']))
        result['summary'] = wrap_var(summary_lines(outcome))
        if outcome['errors']:
            result['failed'] = True
            result['msg'] = wrap_var(_message(outcome))
        return result
