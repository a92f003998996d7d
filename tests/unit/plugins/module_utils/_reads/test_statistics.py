# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Splitting a statistics window into parts and merging the parts (pure functions)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.hwcloud.migration.plugins.module_utils._reads.statistics import WindowRead
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.statistics_summary import (
    MAX_POINTS,
    capped_types,
    merge_parts,
    shape_problems,
    split_window,
    summarize_statistics,
)

FIVE = 300000
HOUR = 3600000


def answer(points, time_type='FIVE_MINUTES', types=('REQUEST',)):
    return {
        'sync_task_id': 'task-a',
        'statistic_time_type': time_type,
        'statistic_datas': [{'data_type': data_type, 'data': [{'time_stamp': stamp, 'statistic_num': num} for stamp, num in points]} for data_type in types],
    }


def test_split_window_cuts_on_bucket_boundaries_into_parts_below_the_maximum():
    start, end = 1700000012345, 1700000012345 + 7 * 24 * HOUR
    parts = split_window(start, end, FIVE)
    assert parts[0][0] == start and parts[-1][1] == end
    assert all(earlier[1] == later[0] for earlier, later in zip(parts, parts[1:]))  # shared boundaries
    assert all(cut % FIVE == 0 for _start, cut in parts[:-1])
    assert all((part_end - part_start) // FIVE + 1 < MAX_POINTS for part_start, part_end in parts)
    assert len(parts) == 3


def test_split_window_too_short_to_cut():
    assert split_window(0, FIVE - 1, FIVE) == [(0, FIVE - 1)]


def test_merge_counts_the_shared_boundary_bucket_once():
    first = answer([(0, 1), (FIVE, 2), (2 * FIVE, 3)])
    second = answer([(2 * FIVE, 3), (3 * FIVE, 4)])
    merged = merge_parts([first, second], ['REQUEST'])
    assert merged['statistic_time_type'] == 'FIVE_MINUTES'
    assert merged['statistic_datas'] == [
        {'data_type': 'REQUEST', 'data': [{'time_stamp': stamp, 'statistic_num': num} for stamp, num in [(0, 1), (FIVE, 2), (2 * FIVE, 3), (3 * FIVE, 4)]]}
    ]
    summary = summarize_statistics(merged, ['REQUEST'], 0, 3 * FIVE)
    assert summary['series']['REQUEST']['total'] == 10 and summary['complete'] is True


def test_merge_of_different_widths_sums_fine_buckets_into_coarse_ones():
    hourly = answer([(0, 120), (HOUR, 60)], 'ONE_HOUR')
    # The second part answered in five-minute buckets inside the second hour and after it.
    fine = answer([(HOUR, 30), (HOUR + FIVE, 30), (2 * HOUR, 5)])
    merged = merge_parts([hourly, fine], ['REQUEST'])
    assert merged['statistic_time_type'] == 'ONE_HOUR'
    assert [(point['time_stamp'], point['statistic_num']) for point in merged['statistic_datas'][0]['data']] == [(0, 120), (HOUR, 60), (2 * HOUR, 5)]


def test_capped_types_names_series_at_the_maximum():
    full = answer([(index * FIVE, 1) for index in range(MAX_POINTS)], types=('REQUEST', 'FAILURE'))
    full['statistic_datas'][1]['data'] = full['statistic_datas'][1]['data'][:10]
    assert capped_types(full) == ['REQUEST']
    assert capped_types({'statistic_datas': None}) == []


@pytest.mark.parametrize(
    'response, expected',
    [
        ({'statistic_datas': None}, ['statistic_datas: null, so no series can be read']),
        ({}, ['statistic_datas: absent, so no series can be read']),
        ({'statistic_datas': 'x'}, ['statistic_datas: of type str, not a list, so no series can be read']),
        (
            {'statistic_datas': ['x', {'data_type': 'REQUEST', 'data': None}]},
            ['statistic_datas[0]: not an object', 'statistic_datas[1].data (REQUEST): null, not a list'],
        ),
        (
            {'statistic_datas': [{'data_type': 'REQUEST', 'data': [{'time_stamp': 1, 'statistic_num': 'x'}, {'time_stamp': 2, 'statistic_num': 3}]}]},
            ['statistic_datas[0].data (REQUEST): 1 bucket(s) with a missing, null, negative or non-integer time_stamp or statistic_num, first at data[0]'],
        ),
    ],
)
def test_shape_problems_name_the_field(response, expected):
    assert shape_problems(response, ['REQUEST']) == expected
    summary = summarize_statistics(response, ['REQUEST'], 0, HOUR)
    assert summary['complete'] is False and summary['problems'] == expected


def test_problems_given_by_the_reader_make_the_summary_incomplete():
    summary = summarize_statistics(answer([(0, 1)]), ['REQUEST'], 0, HOUR, problems=['the window is cut'])
    assert summary['complete'] is False and summary['problems'] == ['the window is cut']


# ---------------------------------------------------------------------------
# Which buckets count: the window asked, not the future; repeated time stamps
# ---------------------------------------------------------------------------

T0 = 1700150400000  # 2023-11-16T16:00:00Z, on an hour boundary


def totals(summary):
    return dict((data_type, entry['total']) for data_type, entry in summary['series'].items())


def test_buckets_outside_the_window_are_not_counted():
    start, end = T0 + 2 * FIVE + 1000, T0 + 6 * FIVE
    body = answer(
        [
            (T0, 500),  # ended before the window started
            (T0 + FIVE, 400),  # ends exactly at T0 + 2 * FIVE, before the start
            (T0 + 2 * FIVE, 3),  # starts before the start but overlaps it: counts
            (T0 + 4 * FIVE, 4),
            (end, 5),  # starts at the end: counts (the API's own rule)
            (end + FIVE, 600),  # after the window
            (T0 + 400 * HOUR, 700),  # far after it
        ],
        types=('REQUEST', 'FAILURE'),
    )
    summary = summarize_statistics(body, ['REQUEST', 'FAILURE'], start, end)
    assert totals(summary) == {'REQUEST': 12, 'FAILURE': 12}
    assert summary['series']['REQUEST'] == {'total': 12, 'points': 3, 'max': 5, 'first_time_stamp': T0 + 2 * FIVE, 'last_time_stamp': end}
    assert summary['complete'] is True


def test_hour_buckets_are_placed_by_their_width():
    start, end = T0 + HOUR + 30 * 60000, T0 + 3 * HOUR
    body = answer([(T0, 100), (T0 + HOUR, 10), (T0 + 2 * HOUR, 20), (T0 + 4 * HOUR, 900)], 'ONE_HOUR')
    assert totals(summarize_statistics(body, ['REQUEST'], start, end)) == {'REQUEST': 30}


def test_a_bucket_of_unknown_width_is_taken_as_an_hour_wide_at_the_start():
    start, end = T0 + HOUR, T0 + 2 * HOUR
    body = answer([(T0 + HOUR - 30 * 60000, 1), (T0 + 2, 2), (T0, 400)], time_type=None)
    assert totals(summarize_statistics(body, ['REQUEST'], start, end)) == {'REQUEST': 3}


def test_buckets_after_now_are_not_counted_even_inside_the_window():
    now = T0 + 3 * FIVE + 1
    body = answer([(T0, 1), (T0 + 3 * FIVE, 2), (T0 + 4 * FIVE, 50), (T0 + 100 * FIVE, 60)], types=('REQUEST', 'SUCCESS'))
    summary = summarize_statistics(body, ['REQUEST', 'SUCCESS'], T0, T0 + 200 * FIVE, now_ms=now)
    assert totals(summary) == {'REQUEST': 3, 'SUCCESS': 3}
    assert summary['last_success_time'] == T0 + 3 * FIVE


def test_a_success_in_the_future_is_not_the_last_success():
    # The window ends now; the "success" a day later is outside it.
    body = answer([(T0, 5)], types=('REQUEST', 'SUCCESS'))
    body['statistic_datas'][1]['data'].append({'time_stamp': T0 + 24 * HOUR, 'statistic_num': 9})
    summary = summarize_statistics(body, ['REQUEST', 'SUCCESS'], T0, T0 + HOUR, now_ms=T0 + HOUR)
    assert summary['last_success_time'] == T0 and summary['series']['SUCCESS']['total'] == 5


def test_time_stamps_past_year_9999_are_outside_any_window():
    body = answer([(T0, 1), (10**20, 5)])
    summary = summarize_statistics(body, ['REQUEST'], T0, T0 + HOUR)
    assert totals(summary) == {'REQUEST': 1} and summary['complete'] is True


REPEATED = (
    'statistic_datas (REQUEST): 1 time stamp(s) given more than once, first 1700151000000 (2023-11-16T16:10:00.000Z); '
    'the answer disagrees with itself (each counts once, with its largest value)'
)


def test_a_repeated_time_stamp_counts_once_and_makes_the_answer_unusable():
    body = answer([(T0, 1), (T0 + 2 * FIVE, 4), (T0 + 2 * FIVE, 7), (T0 + 2 * FIVE, 7)])
    summary = summarize_statistics(body, ['REQUEST'], T0, T0 + HOUR)
    assert summary['series']['REQUEST'] == {'total': 8, 'points': 2, 'max': 7, 'first_time_stamp': T0, 'last_time_stamp': T0 + 2 * FIVE}
    assert summary['complete'] is False and summary['problems'] == [REPEATED]


def test_a_time_stamp_repeated_across_two_series_of_one_type_is_a_repeat():
    body = answer([(T0, 1), (T0 + 2 * FIVE, 4)])
    body['statistic_datas'].append({'data_type': 'REQUEST', 'data': [{'time_stamp': T0 + 2 * FIVE, 'statistic_num': 2}]})
    summary = summarize_statistics(body, ['REQUEST'], T0, T0 + HOUR)
    assert totals(summary) == {'REQUEST': 5} and summary['problems'] == [REPEATED]


def _window(parts, data_types):
    """A WindowRead holding ``parts`` ((start, end, body) each), as the reader leaves it."""
    window = WindowRead('task-a', parts[0][0], parts[-1][1], parts[0][2])
    window.parts = list(parts)
    window.split = len(parts) > 1
    return window


def _summary_of(window, data_types, start, end, now=None):
    return summarize_statistics(window.response(data_types), data_types, start, end, problems=window.part_problems(data_types), now_ms=now)


def test_repeated_time_stamps_follow_one_rule_whether_or_not_the_window_was_split():
    # The same buckets, with one time stamp given twice (4 then 7), read in one request or in two parts.
    points = [(T0, 1), (T0 + FIVE, 2), (T0 + 2 * FIVE, 4), (T0 + 2 * FIVE, 7), (T0 + 3 * FIVE, 3), (T0 + 4 * FIVE, 5)]
    start, cut, end = T0, T0 + 3 * FIVE, T0 + 5 * FIVE - 1
    whole = _summary_of(_window([(start, end, answer(points))], ['REQUEST']), ['REQUEST'], start, end)
    first = answer([point for point in points if point[0] <= cut])
    second = answer([point for point in points if point[0] >= cut])
    split = _summary_of(_window([(start, cut, first), (cut, end, second)], ['REQUEST']), ['REQUEST'], start, end)
    for summary in (whole, split):
        # 1 + 2 + 7 + 3 + 5: the repeated bucket once, with its largest value; the shared boundary bucket once.
        assert summary['series']['REQUEST']['total'] == 18, summary
        assert summary['series']['REQUEST']['points'] == 5
        assert summary['complete'] is False
    assert whole['problems'] == [REPEATED]
    assert split['problems'] == ['part %d-%d: %s' % (start, cut, REPEATED)]


def test_parts_count_only_the_buckets_of_their_own_window():
    # The second part answers with a bucket of the first part's time (a lie): it is not counted over the first's.
    start, cut, end = T0, T0 + 3 * FIVE, T0 + 6 * FIVE
    first = answer([(T0, 1), (T0 + FIVE, 2), (cut, 3)])
    second = answer([(T0 + FIVE, 900), (cut, 3), (T0 + 4 * FIVE, 4), (T0 + 40 * FIVE, 800)])
    summary = _summary_of(_window([(start, cut, first), (cut, end, second)], ['REQUEST']), ['REQUEST'], start, end)
    assert totals(summary) == {'REQUEST': 10} and summary['complete'] is True


def test_a_series_empty_in_every_part_is_still_a_series_of_the_merge():
    # No failure in a whole week: every part answers an empty FAILURE series, which is not "no FAILURE series".
    first = answer([(T0, 1)], types=('REQUEST', 'FAILURE'))
    second = answer([(T0 + FIVE, 2)], types=('REQUEST', 'FAILURE'))
    for body in (first, second):
        body['statistic_datas'][1]['data'] = []
    summary = _summary_of(
        _window([(T0, T0 + FIVE, first), (T0 + FIVE, T0 + 2 * FIVE, second)], ['REQUEST', 'FAILURE']), ['REQUEST', 'FAILURE'], T0, T0 + 2 * FIVE
    )
    assert totals(summary) == {'REQUEST': 3, 'FAILURE': 0}
    assert summary['complete'] is True, summary['problems']
