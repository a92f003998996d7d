# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Summaries of OMS ListSyncTaskStatistic responses (pure functions).

The API answers with one series per data type (``REQUEST``, ``SUCCESS``,
``FAILURE``, ``SKIP``, ``SIZE``), each a list of ``{time_stamp, statistic_num}``
buckets five minutes or one hour wide; empty buckets are omitted.  The summary
folds those series into the few numbers a health gate needs.

The functions never raise on a malformed response: a missing key, a ``null``
or a value of the wrong type is treated as "no data" for that bucket or series.
Reporting what is wrong with the response is the job of the contract check
(``_contract.check_contract``), which runs on the same body.

This file is plain Python (no Ansible objects); keep it Python 3.8 compatible.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import ms_to_iso

DATA_TYPES = ('REQUEST', 'SUCCESS', 'FAILURE', 'SKIP', 'SIZE')

# Ratios are rounded to this many decimal places: enough to tell one failure in
# a million requests from none, short enough to read in a report.
RATIO_DIGITS = 6


def _is_count(value):
    # bool is an int subclass; a true/false count is malformed, not 1/0.
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _empty_series():
    return {
        'total': 0,
        'points': 0,
        'max': None,
        'first_time_stamp': None,
        'last_time_stamp': None,
    }


def _add_point(series, time_stamp, count):
    series['total'] += count
    series['points'] += 1
    if series['max'] is None or count > series['max']:
        series['max'] = count
    if series['first_time_stamp'] is None or time_stamp < series['first_time_stamp']:
        series['first_time_stamp'] = time_stamp
    if series['last_time_stamp'] is None or time_stamp > series['last_time_stamp']:
        series['last_time_stamp'] = time_stamp


def iter_points(response, data_type):
    """Yield ``(time_stamp, statistic_num)`` for every well-formed bucket of ``data_type``.

    Buckets whose ``time_stamp`` or ``statistic_num`` is missing, ``null``,
    negative or not an integer are skipped.  Several series of the same type are
    all read.  The order is the response's order.
    """
    if not isinstance(response, dict):
        return
    series_list = response.get('statistic_datas')
    if not isinstance(series_list, list):
        return
    for series in series_list:
        if not isinstance(series, dict) or series.get('data_type') != data_type:
            continue
        buckets = series.get('data')
        if not isinstance(buckets, list):
            continue
        for bucket in buckets:
            if not isinstance(bucket, dict):
                continue
            time_stamp = bucket.get('time_stamp')
            count = bucket.get('statistic_num')
            if _is_count(time_stamp) and _is_count(count):
                yield time_stamp, count


def _ratio(numerator, denominator):
    if numerator is None or denominator is None or denominator['total'] == 0:
        return None
    return round(numerator['total'] / denominator['total'], RATIO_DIGITS)


def _normalise_types(data_types):
    if data_types is None:
        return list(DATA_TYPES)
    if isinstance(data_types, str):
        data_types = data_types.split(',')
    wanted = []
    for data_type in data_types:
        name = str(data_type).strip().upper()
        if name and name not in wanted:
            wanted.append(name)
    return wanted


def summarize_statistics(response, data_types, start_ms, end_ms):
    """Summarise one ListSyncTaskStatistic response.

    ``data_types`` is what was asked for (a list, or the comma-joined string sent
    to the API; ``None`` means all five).  ``start_ms``/``end_ms`` is the window
    actually queried, in epoch milliseconds.

    Returns a dict::

        {
          'window': {'start_time': ms, 'end_time': ms, 'start': iso, 'end': iso},
          'statistic_time_type': 'FIVE_MINUTES' | 'ONE_HOUR' | None,
          'series': {DATA_TYPE: {'total', 'points', 'max',
                                 'first_time_stamp', 'last_time_stamp'}},
          'failure_ratio': float | None,   # FAILURE total / REQUEST total
          'success_ratio': float | None,   # SUCCESS total / REQUEST total
          'skip_ratio': float | None,      # SKIP total / REQUEST total
          'bytes_synchronized': int | None,  # SIZE total
          'last_success_time': ms | None,  # last SUCCESS bucket with a count > 0
          'last_success': iso | None,
        }

    ``series`` has exactly the requested types; one the response lacks has
    ``total`` 0, ``points`` 0 and ``None`` for the rest.  ``first_time_stamp`` and
    ``last_time_stamp`` are the earliest and latest bucket whatever the
    response's order.  A ratio is ``None`` when either of its types was not
    requested or the REQUEST total is 0; it is rounded to ``RATIO_DIGITS``
    decimals and not clamped (buckets at the window's edges can make SUCCESS
    exceed REQUEST).  ``bytes_synchronized`` is ``None`` when SIZE was not
    requested.
    """
    wanted = _normalise_types(data_types)
    series = {}
    for data_type in wanted:
        summary = _empty_series()
        for time_stamp, count in iter_points(response, data_type):
            _add_point(summary, time_stamp, count)
        series[data_type] = summary

    last_success_time = None
    if 'SUCCESS' in series:
        for time_stamp, count in iter_points(response, 'SUCCESS'):
            if count > 0 and (last_success_time is None or time_stamp > last_success_time):
                last_success_time = time_stamp

    time_type = response.get('statistic_time_type') if isinstance(response, dict) else None
    if not isinstance(time_type, str):
        time_type = None

    requests = series.get('REQUEST')
    size = series.get('SIZE')
    return {
        'window': {
            'start_time': start_ms,
            'end_time': end_ms,
            'start': ms_to_iso(start_ms),
            'end': ms_to_iso(end_ms),
        },
        'statistic_time_type': time_type,
        'series': series,
        'failure_ratio': _ratio(series.get('FAILURE'), requests),
        'success_ratio': _ratio(series.get('SUCCESS'), requests),
        'skip_ratio': _ratio(series.get('SKIP'), requests),
        'bytes_synchronized': size['total'] if size is not None else None,
        'last_success_time': last_success_time,
        'last_success': ms_to_iso(last_success_time),
    }
