# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark-only callback: wall time of every task, written to a JSON file.

``tests/benchmark/bench.py`` enables it (``ANSIBLE_CALLBACKS_ENABLED=bench_timer``)
and reads the file named by ``BENCH_TIMER_FILE``: one entry per task with its
name, action, start and end (``time.time()``), and outcome.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: bench_timer
type: aggregate
short_description: Record the wall time of every task for the benchmark
description:
  - Writes one entry per task (name, action, start, end, outcome) to the file named by C(BENCH_TIMER_FILE).
options: {}
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    """Time each task from its start to its (last) result."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'bench_timer'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super(CallbackModule, self).__init__()
        self._tasks = []
        self._by_uuid = {}
        self._started = time.time()

    def _start(self, task):
        entry = {'name': task.get_name(), 'action': task.action, 'start': time.time(), 'end': None, 'outcome': None}
        self._tasks.append(entry)
        self._by_uuid[task._uuid] = entry

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._start(task)

    def v2_playbook_on_handler_task_start(self, task):
        self._start(task)

    def _end(self, result, outcome):
        entry = self._by_uuid.get(result._task._uuid)
        if entry is not None:
            entry['end'] = time.time()
            entry['outcome'] = outcome

    def v2_runner_on_ok(self, result):
        self._end(result, 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._end(result, 'ignored' if ignore_errors else 'failed')

    def v2_runner_on_skipped(self, result):
        self._end(result, 'skipped')

    def v2_playbook_on_stats(self, stats):
        path = os.environ.get('BENCH_TIMER_FILE')
        if path:
            with open(path, 'w') as handle:
                json.dump({'started': self._started, 'finished': time.time(), 'tasks': self._tasks}, handle)
