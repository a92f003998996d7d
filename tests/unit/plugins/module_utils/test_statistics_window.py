# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Splitting a statistics window into parts and merging the parts (pure functions)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.hwcloud.migration.plugins.module_utils._statistics import (
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
