# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
import os

import pytest

from ansible_collections.hwcloud.migration.plugins.module_utils._reads.statistics_summary import DATA_TYPES, iter_points, summarize_statistics

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(__file__)), 'fixtures')
START = 1700150400000 - 5 * 60 * 1000  # 2023-11-16T15:55:00Z
END = 1700188500000  # 2023-11-17T02:35:00Z


def load(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return json.load(handle)


def series(data_type, *buckets):
    return {'data_type': data_type, 'data': [{'time_stamp': ts, 'statistic_num': num} for ts, num in buckets]}


def response(*series_list, **extra):
    body = {'sync_task_id': 'task-1', 'statistic_time_type': 'FIVE_MINUTES', 'statistic_datas': list(series_list)}
    body.update(extra)
    return body


EMPTY_SERIES = {'total': 0, 'points': 0, 'max': None, 'first_time_stamp': None, 'last_time_stamp': None}


# The example response of the seed documents (000: older edition, 001: newer
# edition; their examples are identical).  Counted by hand from the document,
# grouping the 113 buckets by their statistic_num:
#
#   value  buckets  subtotal
#     1       2         2     (first bucket 1700150400000 and last 1700188200000)
#     7       1         7
#     8       8        64
#     9      35       315
#    10      30       300
#    11      27       297
#    12       6        72
#    13       3        39
#    20       1        20     (1700151000000, after the one gap of 600000 ms)
#          -----    -----
#           113      1116
#
# So REQUEST: total 1116, points 113, max 20, first 1700150400000 (2023-11-16T16:00Z),
# last 1700188200000 (2023-11-17T02:30Z).  Only REQUEST is in the example, so with
# all five types requested SUCCESS/FAILURE/SKIP are 0 of 1116 -> ratios 0.0, and
# SIZE is 0 bytes; no SUCCESS bucket -> last_success None.  The four series the
# answer lacks are named in problems, so the summary is not complete: a gate
# must not read "0 failures" into a series it never saw.
@pytest.mark.parametrize('fixture', ['list_sync_task_statistic_000.json', 'list_sync_task_statistic_001.json'])
def test_seed_example_all_types(fixture):
    summary = summarize_statistics(load(fixture), list(DATA_TYPES), START, END)
    assert summary == {
        'window': {'start_time': START, 'end_time': END, 'start': '2023-11-16T15:55:00.000Z', 'end': '2023-11-17T02:35:00.000Z'},
        'statistic_time_type': 'FIVE_MINUTES',
        'series': {
            'REQUEST': {'total': 1116, 'points': 113, 'max': 20, 'first_time_stamp': 1700150400000, 'last_time_stamp': 1700188200000},
            'SUCCESS': EMPTY_SERIES,
            'FAILURE': EMPTY_SERIES,
            'SKIP': EMPTY_SERIES,
            'SIZE': EMPTY_SERIES,
        },
        'failure_ratio': 0.0,
        'success_ratio': 0.0,
        'skip_ratio': 0.0,
        'bytes_synchronized': 0,
        'last_success_time': None,
        'last_success': None,
        'complete': False,
        'problems': ['statistic_datas: no %s series in the answer' % data_type for data_type in ('SUCCESS', 'FAILURE', 'SKIP', 'SIZE')],
    }


def test_seed_example_as_queried():
    # The seed's request asked for data_type=REQUEST only: every ratio lacks its
    # numerator type, and SIZE was not asked for.
    summary = summarize_statistics(load('list_sync_task_statistic_000.json'), ['REQUEST'], START, END)
    assert list(summary['series']) == ['REQUEST']
    assert summary['series']['REQUEST']['total'] == 1116
    assert summary['failure_ratio'] is None
    assert summary['success_ratio'] is None
    assert summary['skip_ratio'] is None
    assert summary['bytes_synchronized'] is None
    assert summary['last_success_time'] is None


T0 = 1700150400000
FIVE = 300000


def full_response():
    # REQUEST 10 + 20 + 30 = 60
    # SUCCESS 9 + 18 + 27 + 0 = 54 -> 54 / 60 = 0.9
    #   last SUCCESS bucket with a count is T0 + 2*FIVE (the T0 + 3*FIVE one is 0)
    # FAILURE 1 + 1 = 2           -> 2 / 60 = 0.0333333... -> 0.033333
    # SKIP 0 + 1 + 3 = 4          -> 4 / 60 = 0.0666666... -> 0.066667
    # SIZE 1024 + 2048 = 3072 bytes
    return response(
        series('REQUEST', (T0, 10), (T0 + FIVE, 20), (T0 + 2 * FIVE, 30)),
        series('SUCCESS', (T0, 9), (T0 + FIVE, 18), (T0 + 2 * FIVE, 27), (T0 + 3 * FIVE, 0)),
        series('FAILURE', (T0, 1), (T0 + 2 * FIVE, 1)),
        series('SKIP', (T0, 0), (T0 + FIVE, 1), (T0 + 2 * FIVE, 3)),
        series('SIZE', (T0, 1024), (T0 + 2 * FIVE, 2048)),
    )


def test_all_types_exact_ratios():
    summary = summarize_statistics(full_response(), DATA_TYPES, T0, T0 + 4 * FIVE)
    assert summary['series']['REQUEST'] == {'total': 60, 'points': 3, 'max': 30, 'first_time_stamp': T0, 'last_time_stamp': T0 + 2 * FIVE}
    assert summary['series']['SUCCESS'] == {'total': 54, 'points': 4, 'max': 27, 'first_time_stamp': T0, 'last_time_stamp': T0 + 3 * FIVE}
    assert summary['series']['FAILURE']['total'] == 2
    assert summary['series']['SKIP'] == {'total': 4, 'points': 3, 'max': 3, 'first_time_stamp': T0, 'last_time_stamp': T0 + 2 * FIVE}
    assert summary['success_ratio'] == 0.9
    assert summary['failure_ratio'] == 0.033333
    assert summary['skip_ratio'] == 0.066667
    assert isinstance(summary['failure_ratio'], float)
    assert summary['bytes_synchronized'] == 3072
    assert summary['last_success_time'] == T0 + 2 * FIVE
    assert summary['last_success'] == '2023-11-16T16:10:00.000Z'


def test_empty_series():
    body = response(series('REQUEST'), series('SUCCESS'), series('FAILURE'))
    summary = summarize_statistics(body, ['REQUEST', 'SUCCESS', 'FAILURE', 'SKIP', 'SIZE'], T0, T0 + FIVE)
    assert summary['series'] == {name: EMPTY_SERIES for name in DATA_TYPES}
    # REQUEST total 0: no ratio can be computed, but SIZE was asked for and is 0 bytes.
    assert summary['failure_ratio'] is None
    assert summary['success_ratio'] is None
    assert summary['skip_ratio'] is None
    assert summary['bytes_synchronized'] == 0
    assert summary['last_success_time'] is None and summary['last_success'] is None


def test_empty_statistic_datas():
    summary = summarize_statistics(response(), DATA_TYPES, T0, T0)
    assert summary['series'] == {name: EMPTY_SERIES for name in DATA_TYPES}
    assert summary['window'] == {'start_time': T0, 'end_time': T0, 'start': '2023-11-16T16:00:00.000Z', 'end': '2023-11-16T16:00:00.000Z'}


def test_only_some_types_requested():
    # The response carries all five series, but only REQUEST and FAILURE were asked for:
    # the others are left out of the summary and their ratios are None.
    summary = summarize_statistics(full_response(), ['REQUEST', 'FAILURE'], T0, T0 + 4 * FIVE)
    assert list(summary['series']) == ['REQUEST', 'FAILURE']
    assert summary['failure_ratio'] == 0.033333
    assert summary['success_ratio'] is None
    assert summary['skip_ratio'] is None
    assert summary['bytes_synchronized'] is None
    assert summary['last_success_time'] is None


def test_request_not_queried_gives_no_ratios():
    summary = summarize_statistics(full_response(), ['SUCCESS', 'FAILURE', 'SKIP'], T0, T0 + 4 * FIVE)
    assert summary['failure_ratio'] is None
    assert summary['success_ratio'] is None
    assert summary['skip_ratio'] is None
    assert summary['last_success_time'] == T0 + 2 * FIVE


def test_requested_type_absent_from_response():
    body = response(series('REQUEST', (T0, 4)))
    summary = summarize_statistics(body, ['REQUEST', 'FAILURE'], T0, T0 + FIVE)
    assert summary['series']['FAILURE'] == EMPTY_SERIES
    # FAILURE was asked for and none came back: 0 failures of 4 requests.
    assert summary['failure_ratio'] == 0.0


def test_data_types_as_comma_string_and_duplicates():
    summary = summarize_statistics(full_response(), 'request, FAILURE,REQUEST', T0, T0 + FIVE)
    assert list(summary['series']) == ['REQUEST', 'FAILURE']


def test_data_types_none_means_all():
    summary = summarize_statistics(full_response(), None, T0, T0 + FIVE)
    assert list(summary['series']) == list(DATA_TYPES)


def test_one_hour_series():
    hour = 3600000
    # REQUEST 100 + 250 + 50 = 400, FAILURE 4 + 6 = 10 -> 10 / 400 = 0.025
    # SUCCESS 96 + 244 = 340 -> 340 / 400 = 0.85; last SUCCESS at T0 + hour
    body = response(
        series('REQUEST', (T0, 100), (T0 + hour, 250), (T0 + 5 * hour, 50)),
        series('FAILURE', (T0, 4), (T0 + 5 * hour, 6)),
        series('SUCCESS', (T0, 96), (T0 + hour, 244)),
        statistic_time_type='ONE_HOUR',
    )
    summary = summarize_statistics(body, ['REQUEST', 'SUCCESS', 'FAILURE'], T0, T0 + 6 * hour)
    assert summary['statistic_time_type'] == 'ONE_HOUR'
    assert summary['series']['REQUEST'] == {'total': 400, 'points': 3, 'max': 250, 'first_time_stamp': T0, 'last_time_stamp': T0 + 5 * hour}
    assert summary['failure_ratio'] == 0.025
    assert summary['success_ratio'] == 0.85
    assert summary['last_success_time'] == T0 + hour
    assert summary['last_success'] == '2023-11-16T17:00:00.000Z'


def test_ordering_does_not_matter():
    ordered = full_response()
    shuffled = copy.deepcopy(ordered)
    shuffled['statistic_datas'].reverse()
    for entry in shuffled['statistic_datas']:
        entry['data'].reverse()
    first = summarize_statistics(ordered, DATA_TYPES, T0, T0 + 4 * FIVE)
    second = summarize_statistics(shuffled, DATA_TYPES, T0, T0 + 4 * FIVE)
    assert first == second
    assert second['series']['REQUEST']['first_time_stamp'] == T0
    assert second['series']['REQUEST']['last_time_stamp'] == T0 + 2 * FIVE
    assert second['last_success_time'] == T0 + 2 * FIVE


def test_last_success_ignores_zero_buckets_after_it():
    body = response(series('SUCCESS', (T0 + 3 * FIVE, 0), (T0, 5), (T0 + 2 * FIVE, 0)))
    summary = summarize_statistics(body, ['SUCCESS'], T0, T0 + 4 * FIVE)
    assert summary['last_success_time'] == T0
    assert summary['series']['SUCCESS']['last_time_stamp'] == T0 + 3 * FIVE


def test_the_same_type_twice_is_merged():
    body = response(series('REQUEST', (T0, 3)), series('REQUEST', (T0 + FIVE, 4)))
    summary = summarize_statistics(body, ['REQUEST'], T0, T0 + FIVE)
    assert summary['series']['REQUEST']['total'] == 7
    assert summary['series']['REQUEST']['points'] == 2


def test_ratio_is_not_clamped():
    body = response(series('REQUEST', (T0, 2)), series('SUCCESS', (T0, 3)))
    assert summarize_statistics(body, ['REQUEST', 'SUCCESS'], T0, T0)['success_ratio'] == 1.5


def test_large_counts_stay_exact():
    big = 2**62
    body = response(series('SIZE', (T0, big), (T0 + FIVE, big - 1)))
    assert summarize_statistics(body, ['SIZE'], T0, T0 + FIVE)['bytes_synchronized'] == 2**63 - 1


@pytest.mark.parametrize(
    'body',
    [
        None,
        {},
        [],
        'not json',
        {'statistic_datas': None},
        {'statistic_datas': 'x'},
        {'statistic_datas': [None, 'x', {}, {'data_type': 'REQUEST'}, {'data_type': 'REQUEST', 'data': None}]},
        {'statistic_datas': [{'data_type': 'REQUEST', 'data': [None, {}, {'time_stamp': T0}, {'statistic_num': 3}]}]},
        {'statistic_time_type': 5},
    ],
)
def test_malformed_responses_do_not_raise(body):
    summary = summarize_statistics(body, DATA_TYPES, T0, T0 + FIVE)
    assert summary['series'] == {name: EMPTY_SERIES for name in DATA_TYPES}
    assert summary['statistic_time_type'] is None
    assert summary['failure_ratio'] is None


def test_malformed_buckets_are_skipped_but_good_ones_count():
    body = response(series('REQUEST', (T0, 5)))
    body['statistic_datas'][0]['data'] += [
        {'time_stamp': T0 + FIVE, 'statistic_num': 'x'},
        {'time_stamp': T0 + FIVE, 'statistic_num': None},
        {'time_stamp': T0 + FIVE, 'statistic_num': True},
        {'time_stamp': T0 + FIVE, 'statistic_num': -1},
        {'time_stamp': T0 + FIVE, 'statistic_num': 1.5},
        {'time_stamp': '1700150700000', 'statistic_num': 1},
    ]
    summary = summarize_statistics(body, ['REQUEST'], T0, T0 + FIVE)
    assert summary['series']['REQUEST'] == {'total': 5, 'points': 1, 'max': 5, 'first_time_stamp': T0, 'last_time_stamp': T0}


def test_iter_points_keeps_response_order():
    body = response(series('REQUEST', (T0 + FIVE, 2), (T0, 1)))
    assert list(iter_points(body, 'REQUEST')) == [(T0 + FIVE, 2), (T0, 1)]
    assert list(iter_points(body, 'SUCCESS')) == []
