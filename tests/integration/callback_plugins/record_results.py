# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only callback that writes every task result to a JSON file.

Integration tests read the file named by RECORD_RESULTS_FILE to assert on the
real results of real ansible-playbook runs, failed tasks included.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: record_results
type: aggregate
short_description: Write task results to a JSON file for integration tests
description:
  - Writes one entry per task result to the file named by C(RECORD_RESULTS_FILE).
options: {}
"""

import json
import os

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    """Collect task results, keyed by task name, and dump them when the run ends."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'record_results'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super(CallbackModule, self).__init__()
        self._results = []

    def _record(self, result, outcome):
        self._results.append({'task': result._task.get_name(), 'outcome': outcome, 'result': self._convert(result._result)})

    def _convert(self, value):
        # Round-trip through Ansible's own JSON dumping to drop native types.
        return json.loads(self._dump_results(value, indent=None))

    def v2_runner_on_ok(self, result):
        self._record(result, 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, 'failed')

    def v2_runner_on_skipped(self, result):
        self._record(result, 'skipped')

    def v2_playbook_on_stats(self, stats):
        path = os.environ.get('RECORD_RESULTS_FILE')
        if path:
            with open(path, 'w') as handle:
                json.dump(self._results, handle)
