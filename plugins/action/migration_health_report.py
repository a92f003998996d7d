# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write the migration_health reports (JSON, JUnit, HTML) on the controller in one step.

One action instead of a directory task and three ``copy`` tasks: the reports
are rendered and written here, on the controller, so no module is shipped and
no content crosses a connection (that cost most of a large gate's run time).
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import os
import tempfile

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.hwcloud.migration.plugins.filter.migration_health import (
    _plain, render_html, render_junit)

REPORT_FILES = (
    ('json', 'migration-health.json'),
    ('junit', 'migration-health.xml'),
    ('html', 'migration-health.html'),
)


def render_reports(fact, title='Migration health'):
    """The text of each report, keyed ``json``, ``junit`` and ``html``."""
    return {
        'json': json.dumps(fact, indent=2, sort_keys=False) + '\n',
        'junit': render_junit(fact),
        'html': render_html(fact, title=title),
    }


def _current(path):
    try:
        with open(path, 'rb') as handle:
            return handle.read()
    except (IOError, OSError):
        return None


def _write_atomically(path, data, mode):
    directory = os.path.dirname(path)
    handle, temp_path = tempfile.mkstemp(prefix='.migration-health-', dir=directory)
    try:
        with os.fdopen(handle, 'wb') as stream:
            stream.write(data)
        os.chmod(temp_path, mode)
        os.replace(temp_path, path)
    except BaseException:
        if os.path.exists(temp_path):
            os.unlink(temp_path)
        raise


def write_reports(fact, dest, title='Migration health', check_mode=False):
    """Write the three reports of ``fact`` into directory ``dest``.

    Returns ``(changed, paths)``: whether any file is new or different, and the
    path of each report keyed ``json``, ``junit`` and ``html``.  In check mode
    nothing is written, but ``changed`` says what would happen.
    """
    dest = os.path.abspath(os.path.expanduser(dest))
    texts = render_reports(fact, title=title)
    paths = {}
    changed = False
    if not check_mode and not os.path.isdir(dest):
        os.makedirs(dest, 0o755)
    for key, name in REPORT_FILES:
        path = os.path.join(dest, name)
        paths[key] = path
        data = texts[key].encode('utf-8')
        if _current(path) == data:
            continue
        changed = True
        if not check_mode:
            _write_atomically(path, data, 0o644)
    return changed, paths


class ActionModule(ActionBase):
    """Action of hwcloud.migration.migration_health_report."""

    TRANSFERS_FILES = False
    _requires_connection = False
    _VALID_ARGS = frozenset(('health', 'dest', 'title'))

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        validation, args = self.validate_argument_spec(argument_spec=dict(
            health=dict(type='dict', required=True),
            dest=dict(type='path', required=True),
            title=dict(type='str', default='Migration health'),
        ))
        del validation
        fact = _plain(args['health'])
        for key in ('verdict', 'checks'):
            if key not in fact:
                raise AnsibleActionFail('health must be the migration_health fact; it has no %r key' % key)
        try:
            changed, paths = write_reports(fact, args['dest'], title=args['title'],
                                           check_mode=self._task.check_mode)
        except (IOError, OSError) as exc:
            raise AnsibleActionFail('could not write the reports to %s: %s' % (args['dest'], exc))
        result.update(changed=changed, reports=paths, dest=os.path.dirname(paths['json']))
        return result
