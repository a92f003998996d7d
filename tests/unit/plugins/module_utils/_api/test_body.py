# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The one watchdog thread that bounds every body read of a process."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading

from ansible_collections.hwcloud.migration.plugins.module_utils._api.transport import Watchdog


def test_a_due_action_runs_once_and_a_cancelled_one_never():
    watchdog = Watchdog()
    fired = []
    done = threading.Event()
    cancelled = watchdog.start(0.01, lambda: fired.append('cancelled'))
    watchdog.cancel(cancelled)
    watchdog.start(0.02, lambda: (fired.append('due'), done.set()))
    assert done.wait(5)
    watchdog.start(0.03, done.clear)  # the thread goes on serving later deadlines
    assert fired == ['due']


def test_deadlines_run_in_order_whatever_the_order_they_were_set_in():
    watchdog = Watchdog()
    fired = []
    last = threading.Event()
    watchdog.start(0.06, lambda: (fired.append(3), last.set()))
    watchdog.start(0.02, lambda: fired.append(1))
    watchdog.start(0.04, lambda: fired.append(2))
    assert last.wait(5)
    assert fired == [1, 2, 3]


def test_many_reads_share_one_thread():
    watchdog = Watchdog()
    handles = [watchdog.start(60, lambda: None) for _read in range(200)]
    for handle in handles:
        watchdog.cancel(handle)
    assert sum(1 for thread in threading.enumerate() if thread.name == 'hwcloud-body-watchdog' and thread is watchdog._thread) == 1
