# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reading the statistics of many sync tasks over a whole window, however long.

The API documents at most 1000 buckets per series (``_statistics.MAX_POINTS``).
A task whose answer reaches that many is read again in parts of about 900
buckets (``_statistics.split_window``); the parts of every task are read
together, in rounds, through ``client.fetch_many`` (so at most
``max_concurrency`` requests are in flight), and a part that is still full is
split again in the next round.  The parts are merged by bucket time stamp
(``_statistics.merge_parts``), each part's buckets limited to its own
window and its repeated time stamps counted once, as a window read in one
request is (the rule is in ``_statistics``).  A window that still cannot be read whole
(a part too short to split, or more than ``MAX_PARTS`` parts) is summarised
from what was read and named in the summary's ``problems`` (``complete:
false``).
"""

from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.base import FAIL_FAST_AFTER, fetch_each, is_not_found
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.statistics_summary import (
    MAX_POINTS,
    bucket_width,
    capped_types,
    merge_parts,
    shape_problems,
    split_window,
)

# Parts of one task's window, at most: 100 parts of 900 five-minute buckets is a year.
MAX_PARTS = 100
# Rounds of splitting, at most (each round reads every part that came back full).
MAX_ROUNDS = 4


class WindowRead:
    """The answers read for one task: (start, end, body) per part, and what could not be completed."""

    def __init__(self, task_id, start_ms, end_ms, body):
        self.task_id = task_id
        self.parts = [(start_ms, end_ms, body)]
        self.problems = []
        self.split = False
        self.given_up = set()

    def full_parts(self):
        """The parts whose answer may be cut (a series of MAX_POINTS buckets) and that may still be split."""
        return [part for part in self.parts if (part[0], part[1]) not in self.given_up and capped_types(part[2])]

    def give_up(self, part, problem):
        """Keep ``part`` as read and say why the window is not complete."""
        self.given_up.add((part[0], part[1]))
        self.problems.append(problem)

    def response(self, data_types):
        """The task's answer for the whole window: the API's own when read in one part, else the merge."""
        if not self.split:
            return self.parts[0][2]
        merged = merge_parts([body for _start, _end, body in self.parts], data_types, windows=[(start, end) for start, end, _body in self.parts])
        first = self.parts[0][2]
        if isinstance(first, dict) and 'sync_task_id' in first:
            merged = dict(merged, sync_task_id=first['sync_task_id'])
        return merged

    def part_problems(self, data_types):
        """Shape problems of the parts (each part's own answer), then the window's own problems."""
        if not self.split:
            return list(self.problems)
        problems = []
        for start, end, body in self.parts:
            for line in shape_problems(body, data_types):
                if line.startswith('statistic_datas: no '):
                    continue  # judged on the merged answer
                line = 'part %d-%d: %s' % (start, end, line)
                if line not in problems:
                    problems.append(line)
        return problems + self.problems


def read_window(context, ids, read, start_ms, end_ms, noun, id_key):
    """Read every task's statistics over [start_ms, end_ms], splitting full answers.

    ``read(task_id, start, end) -> (body, meta)`` does one request.  Returns
    ``(reads, missing)``: ``reads`` the :class:`WindowRead` of each task found,
    in input order; ``missing`` the ids that answered "not found".  A failed
    read (first or part) goes to the context's ``read_errors`` like any failed id.
    """
    found, missing = fetch_each(context, ids, lambda task_id: read(task_id, start_ms, end_ms), noun, id_key)
    reads = [WindowRead(task_id, start_ms, end_ms, body) for task_id, body, _meta in found]
    errors = context.read_errors
    for _round in range(MAX_ROUNDS):
        work = []
        for window in reads:
            for part in window.full_parts():
                pieces = split_window(part[0], part[1], bucket_width(part[2]))
                if len(pieces) < 2:
                    window.give_up(
                        part,
                        'the part %d-%d holds %d buckets, the API maximum, and is too short to split: the window '
                        'could not be read completely' % (part[0], part[1], MAX_POINTS),
                    )
                    continue
                if len(window.parts) - 1 + len(pieces) > MAX_PARTS:
                    window.give_up(part, 'the window needs more than %d reads of %d buckets: it could not be read completely' % (MAX_PARTS, MAX_POINTS))
                    continue
                work.append((window, part, pieces))
        if not work:
            break
        keys = [(window.task_id, start, end) for window, _part, pieces in work for start, end in pieces]
        outcomes = dict(context.client.fetch_many(lambda key: read(*key), keys, fail_fast_after=FAIL_FAST_AFTER))
        failed = set()
        for window, part, pieces in work:
            answers = [outcomes[(window.task_id, start, end)] for start, end in pieces]
            error = next((answer for answer in answers if isinstance(answer, HuaweiCloudError)), None)
            if error is not None:
                if window.task_id not in failed:
                    failed.add(window.task_id)
                    if is_not_found(error, context.service):
                        error.message = 'the task disappeared while its window was read in parts: ' + error.message
                    errors.add(window.task_id, error, noun, id_key)
                continue
            index = window.parts.index(part)
            window.parts[index : index + 1] = [(start, end, answer[0]) for (start, end), answer in zip(pieces, answers)]
            window.split = True
        reads = [window for window in reads if window.task_id not in failed]
    else:
        for window in reads:
            for part in window.full_parts():
                window.give_up(
                    part,
                    'parts of the window still hold %d buckets after %d rounds of splitting: '
                    'the window could not be read completely' % (MAX_POINTS, MAX_ROUNDS),
                )
    return reads, missing
