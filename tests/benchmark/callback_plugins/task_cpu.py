# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark-only callback: the controller CPU each task took, summed over its hosts.

``bench_fleet.py --profile`` enables it. Each task's row is the CPU of the
ansible-playbook process (strategy, variables, callbacks) and of the worker
processes it reaped (templating, action plugins, modules) from the task's start
to the next task's start. Finished workers are reaped before a row is closed,
so their CPU lands on their own task and not on the next one.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: task_cpu
type: aggregate
short_description: Write the controller CPU of each task to a file, for the fleet benchmark
description:
  - Writes one line per task (main process CPU, workers CPU, total, task name) to the file named by C(TASK_CPU_FILE).
options: {}
"""

import multiprocessing
import os
import resource
import time

from ansible.plugins.callback import CallbackBase

# Workers send their result before they exit: give the last ones that long to end.
REAP_TIMEOUT_S = 1.0


def _cpu():
    main = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return main.ru_utime + main.ru_stime, workers.ru_utime + workers.ru_stime


def _reap_workers():
    # active_children() joins every child that has ended; RUSAGE_CHILDREN counts only those.
    deadline = time.monotonic() + REAP_TIMEOUT_S
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.005)


class CallbackModule(CallbackBase):
    """One row per task, written when the run ends."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'task_cpu'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super(CallbackModule, self).__init__()
        self._rows = []
        self._task = 'start-up (imports, inventory, playbook)'
        self._mark = (0.0, 0.0)

    def _close_row(self):
        _reap_workers()
        now = _cpu()
        self._rows.append((self._task, now[0] - self._mark[0], now[1] - self._mark[1]))
        self._mark = now

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._close_row()
        self._task = '%s (%s)' % (task.get_name(), task.action)

    def v2_playbook_on_handler_task_start(self, task):
        self.v2_playbook_on_task_start(task, False)

    def v2_playbook_on_stats(self, stats):
        self._close_row()
        path = os.environ.get('TASK_CPU_FILE')
        if not path:
            return
        lines = ['%6s %7s %6s  %s' % ('main', 'workers', 'total', 'task')]
        for task, main, workers in self._rows:
            lines.append('%6.2f %7.2f %6.2f  %s' % (main, workers, main + workers, task))
        main = sum(row[1] for row in self._rows)
        workers = sum(row[2] for row in self._rows)
        lines.append('%6.2f %7.2f %6.2f  all tasks' % (main, workers, main + workers))
        with open(path, 'w') as handle:
            handle.write('\n'.join(lines) + '\n')
