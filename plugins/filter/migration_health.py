# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters of the ``migration_health`` role: thin doors onto ``plugins/plugin_utils``.

``migration_health_policy`` (inputs -> policy), ``migration_health_evaluate``
(module results + policy -> the fact), ``migration_health_junit``,
``migration_health_html``, ``migration_health_failure_message`` and
``migration_health_summary`` (the lines the role shows with its verdict).  The role
itself evaluates in the ``migration_health_report`` action, which reads the
module results without templating them; these filters stay for playbooks that
evaluate or render on their own.
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import DEFAULT_TITLE, MigrationHealthError
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.evaluate import evaluate, failure_message
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.plain import plain
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.policy import normalise_policy
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.summary import summary_lines
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports.html import render_html
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports.junit import render_junit


def _filter_policy(settings):
    try:
        return normalise_policy(plain(settings))
    except MigrationHealthError as exc:
        raise AnsibleFilterError('migration_health: %s' % exc)


def _filter_evaluate(results, policy, now_ms=None):
    try:
        return evaluate(plain(results), plain(policy), now_ms=now_ms)
    except MigrationHealthError as exc:
        raise AnsibleFilterError('migration_health: %s' % exc)


def _filter_junit(fact):
    return render_junit(plain(fact))


def _filter_html(fact, title=DEFAULT_TITLE):
    return render_html(plain(fact), title=title)


def _filter_failure_message(fact):
    return failure_message(plain(fact))


def _filter_summary(fact):
    # Not plain(fact): the summary reads a few keys, and a large fact's series would be copied for nothing.
    return summary_lines(fact)


class FilterModule:
    """Filters of the migration_health role."""

    def filters(self) -> dict:
        return {
            'migration_health_policy': _filter_policy,
            'migration_health_evaluate': _filter_evaluate,
            'migration_health_junit': _filter_junit,
            'migration_health_html': _filter_html,
            'migration_health_failure_message': _filter_failure_message,
            'migration_health_summary': _filter_summary,
        }
