# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fold every target's gate result into the fleet verdict and write the fleet reports.

A thin door onto plugin_utils/_reports/fleet.py: it checks the arguments, sets the
``migration_health_fleet`` fact and writes the reports on the controller.

With ``target_hosts`` it reads each target's record from the host's own
variables, once, here: a per-host task that copied them into a fact cost
every target another worker process, more than this whole step.
"""

from ansible.errors import AnsibleActionFail, AnsibleError
from ansible.module_utils.common.text.converters import to_native
from ansible.plugins.action import ActionBase
from ansible.utils.unsafe_proxy import wrap_var

from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.plain import plain
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports.fleet import FleetInputError, build_fleet, failure_message, host_record, write_reports

# What the gate playbook records on each target host before and after its gate.
STARTED_VAR = 'migration_health_fleet__started_ms'
REPORT_DIR_VAR = 'migration_health_fleet__report_dir'
ERROR_VAR = 'migration_health_fleet__error'


class ActionModule(ActionBase):
    """Action of hwcloud.migration.migration_health_fleet_report."""

    TRANSFERS_FILES = False
    _requires_connection = False
    _VALID_ARGS = frozenset(('targets', 'target_hosts', 'dest', 'title'))

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        validation, args = self.validate_argument_spec(
            argument_spec=dict(
                targets=dict(type='dict'),
                target_hosts=dict(type='list', elements='str'),
                dest=dict(type='path'),
                title=dict(type='str', default='Migration health fleet'),
            ),
            mutually_exclusive=[('targets', 'target_hosts')],
            required_one_of=[('targets', 'target_hosts')],
        )
        del validation
        if args['target_hosts'] is not None:
            targets = self._host_records(args['target_hosts'], task_vars or {})
        else:
            targets = plain(args['targets'])
        try:
            fleet = build_fleet(targets)
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
        # The fleet holds the targets' names, projects and errors, text that came
        # from IAM and the services: data, never a template, whatever the core
        # version does with action results.
        return wrap_var(result)

    def _host_records(self, names, task_vars):
        """Each target's record, read from its host's variables (see _fleet.host_record)."""
        hostvars = task_vars.get('hostvars')
        if hostvars is None:
            raise AnsibleActionFail('target_hosts: the host variables of the play are not available to this task')
        # A host that failed outside its gate's rescue is no longer in the play: it recorded no result.
        active = set(task_vars.get('ansible_play_hosts') or [])
        records = {}
        for name in names:
            if name not in hostvars:
                raise AnsibleActionFail('target_hosts: %s is not a host of the inventory' % name)
            # Untemplated: the facts are data, and templating a target's whole fact would walk its series.
            variables = hostvars.raw_get(name)
            facts = variables.get('ansible_facts') or {}
            fact = facts.get('migration_health') if isinstance(facts, dict) else None
            connection, project = self._settings(variables)
            record = host_record(
                variables.get(STARTED_VAR),
                fact,
                error=variables.get(ERROR_VAR),
                # In check mode no target wrote its reports: what is in its directory is an earlier run's.
                report_dir=None if self._task.check_mode else variables.get(REPORT_DIR_VAR),
                region=connection.get('region'),
                project=project.get('name') or connection.get('project_id'),
                project_id=project.get('id') or connection.get('project_id'),
                active=name in active,
            )
            records[str(name)] = plain(record)
        return records

    def _settings(self, variables):
        """The target's connection and project (inventory variables, which may be templates); {} for what cannot be read.

        Only these two variables are templated, as the target's own gate would see
        them: templates the user wrote in the inventory are resolved, while what the
        projects inventory plugin took from IAM is marked unsafe where it entered
        (plugins/inventory/projects.py) and stays text. Nothing else of the host's
        raw variables (its fact, its recorded error) is templated.
        """
        templar = self._templar.copy_with_new_env(available_variables=variables)
        settings = []
        for name in ('migration_health_connection', 'migration_health_project'):
            try:
                value = templar.template(variables.get(name))
            except AnsibleError:
                # Only names for the reports come from here; the target's gate reported the error itself.
                value = None
            settings.append(value if isinstance(value, dict) else {})
        return settings
