# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Summaries of OMS ListSyncTaskStatistic responses (pure functions).

The API answers with one series per data type (``REQUEST``, ``SUCCESS``,
``FAILURE``, ``SKIP``, ``SIZE``), each a list of ``{time_stamp, statistic_num}``
buckets five minutes or one hour wide; empty buckets are omitted.  The summary
folds those series into the few numbers a health gate needs.

The functions never raise on a malformed response: a missing key, a ``null``
or a value of the wrong type is treated as "no data" for that bucket or series,
and named in the summary's ``problems`` (which makes ``complete`` false), so a
health check can fail on data it could not see instead of passing on zeros.

Which buckets count: a bucket's ``time_stamp`` is its start, so a bucket
counts when it overlaps the window asked for (it starts at or before the
window's end and ends after the window's start; a bucket of unknown width is
taken as an hour wide) and does not start after the current time.  Any other
bucket (an answer that strays outside the window, or a "success" in the
future) is left out of every total and of ``last_success_time``.

Duplicate time stamps: within one answer, a time stamp that appears more than
once among the buckets of one data type (in one series or several) makes the
answer disagree with itself.  The rule is the same whether the window was read
in one request or in parts: the bucket counts once, with its largest value, and
the summary names it in ``problems`` (``complete`` false), so a gate cannot pass
on it.  The bucket at the shared boundary of two parts is in both answers by
design and is not a duplicate: it counts once, with the larger value.

The API documents at most ``MAX_POINTS`` buckets per series.  A series that
comes back that long may have been cut, so the window is read again in parts
(:func:`split_window`) and the parts merged by bucket time stamp
(:func:`merge_parts`); the reading itself is done by :mod:`.statistics`.
"""

from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import ms_to_iso
from ansible_collections.hwcloud.migration.plugins.module_utils._values import is_count

DATA_TYPES = ('REQUEST', 'SUCCESS', 'FAILURE', 'SKIP', 'SIZE')

# The documented maximum of points per series: an answer this long may be cut.
MAX_POINTS = 1000
# Bucket width of each statistic_time_type, in milliseconds.
BUCKET_WIDTHS = {'FIVE_MINUTES': 300000, 'ONE_HOUR': 3600000}
# Width assumed for a part whose answer does not say (an hour is a multiple of both).
DEFAULT_SPLIT_ALIGN = 3600000
# Width assumed, when placing buckets against the window's start, for an answer that does not say: the widest.
WIDEST_BUCKET = max(BUCKET_WIDTHS.values())
# The smallest window a read may ask for: one bucket of the finest width (five minutes).
MIN_WINDOW_MS = min(BUCKET_WIDTHS.values())
# A part is sized for about this many buckets, leaving room below MAX_POINTS.
SPLIT_TARGET_POINTS = 900

# Ratios are rounded to this many decimal places: enough to tell one failure in
# a million requests from none, short enough to read in a report.
RATIO_DIGITS = 6


def _series(response):
    """``(index, series)`` of every entry of the answer's ``statistic_datas`` that is an object."""
    series_list = response.get('statistic_datas') if isinstance(response, dict) else None
    return [(index, series) for index, series in enumerate(series_list) if isinstance(series, dict)] if isinstance(series_list, list) else []


def _is_bucket(bucket):
    return isinstance(bucket, dict) and is_count(bucket.get('time_stamp')) and is_count(bucket.get('statistic_num'))


def iter_points(response, data_type):
    """Yield ``(time_stamp, statistic_num)`` for every well-formed bucket of ``data_type``, in the response's order.

    Buckets whose ``time_stamp`` or ``statistic_num`` is missing, ``null``,
    negative or not an integer are skipped.  Several series of the same type are
    all read.
    """
    for _index, series in _series(response):
        if series.get('data_type') == data_type and isinstance(series.get('data'), list):
            for bucket in series['data']:
                if _is_bucket(bucket):
                    yield bucket['time_stamp'], bucket['statistic_num']


def bucket_counts(response, data_type):
    """``({time_stamp: count}, repeated)`` of the well-formed buckets of ``data_type``.

    A time stamp given more than once (in one series or in several of the same
    type) keeps its largest count, and is listed once in ``repeated`` (in
    response order).
    """
    counts = {}
    repeated = []
    for time_stamp, count in iter_points(response, data_type):
        if time_stamp in counts:
            if time_stamp not in repeated:
                repeated.append(time_stamp)
            if count > counts[time_stamp]:
                counts[time_stamp] = count
        else:
            counts[time_stamp] = count
    return counts, repeated


def _iso_note(time_stamp):
    try:
        return ' (%s)' % ms_to_iso(time_stamp)
    except (OverflowError, ValueError):
        return ''


def _has_series(response, data_type):
    return any(series.get('data_type') == data_type and isinstance(series.get('data'), list) for _index, series in _series(response))


def in_window(time_stamp, width, start_ms, end_ms):
    """Whether the bucket starting at ``time_stamp``, ``width`` ms wide, overlaps [start_ms, end_ms]."""
    return time_stamp <= end_ms and time_stamp + (width or WIDEST_BUCKET) > start_ms


def ratio(part, whole):
    """Return ``part / whole`` rounded as every ratio of the collection is; ``None`` when unknown or ``whole`` is 0."""
    if part is None or whole is None or whole == 0:
        return None
    return round(part / whole, RATIO_DIGITS)


def _series_ratio(numerator, denominator):
    return ratio(None if numerator is None else numerator['total'], None if denominator is None else denominator['total'])


def _normalise_types(data_types):
    if data_types is None:
        return list(DATA_TYPES)
    if isinstance(data_types, str):
        data_types = data_types.split(',')
    return list(dict.fromkeys(name for name in (str(data_type).strip().upper() for data_type in data_types) if name))


def shape_problems(response, data_types):
    """What in ``response`` the summary cannot use, as a list of lines naming the field.

    ``statistic_datas`` absent, null or not a list; an entry that is not an
    object or whose ``data`` is not a list; buckets with a missing, null,
    negative or non-integer ``time_stamp``/``statistic_num``; a requested data
    type without a series.
    """
    wanted = _normalise_types(data_types)
    if not isinstance(response, dict):
        return ['(response): the answer is not a JSON object']
    series_list = response.get('statistic_datas')
    if series_list is None:
        return ['statistic_datas: %s, so no series can be read' % ('absent' if 'statistic_datas' not in response else 'null')]
    if not isinstance(series_list, list):
        return ['statistic_datas: of type %s, not a list, so no series can be read' % type(series_list).__name__]
    problems = []
    present = set()
    for index, series in enumerate(series_list):
        if not isinstance(series, dict):
            problems.append('statistic_datas[%d]: not an object' % index)
            continue
        data_type = series.get('data_type')
        buckets = series.get('data')
        if data_type in wanted:
            present.add(data_type)
        if not isinstance(buckets, list):
            problems.append('statistic_datas[%d].data (%s): %s, not a list' % (index, data_type, 'null' if buckets is None else type(buckets).__name__))
            continue
        if data_type not in wanted:
            continue
        bad = [position for position, bucket in enumerate(buckets) if not _is_bucket(bucket)]
        if bad:
            problems.append(
                'statistic_datas[%d].data (%s): %d bucket(s) with a missing, null, negative or '
                'non-integer time_stamp or statistic_num, first at data[%d]' % (index, data_type, len(bad), bad[0])
            )
    for data_type in wanted:
        if data_type not in present:
            problems.append('statistic_datas: no %s series in the answer' % data_type)
            continue
        repeated = bucket_counts(response, data_type)[1]
        if repeated:
            problems.append(
                'statistic_datas (%s): %d time stamp(s) given more than once, first %d%s; the answer disagrees with itself '
                '(each counts once, with its largest value)' % (data_type, len(repeated), repeated[0], _iso_note(repeated[0]))
            )
    return problems


def capped_types(response):
    """The data types whose series holds ``MAX_POINTS`` buckets or more (the answer may be cut)."""
    capped = [series.get('data_type') for _index, series in _series(response) if isinstance(series.get('data'), list) and len(series['data']) >= MAX_POINTS]
    return [data_type for position, data_type in enumerate(capped) if data_type not in capped[:position]]


def bucket_width(response):
    """The bucket width (ms) an answer says it used, or None."""
    time_type = response.get('statistic_time_type') if isinstance(response, dict) else None
    return BUCKET_WIDTHS.get(time_type) if isinstance(time_type, str) else None


def split_window(start_ms, end_ms, width=None):
    """Cut [start_ms, end_ms] into parts of about ``SPLIT_TARGET_POINTS`` buckets of ``width`` ms.

    The cuts are multiples of the bucket width (an hour when unknown), and
    neighbouring parts share their boundary: the bucket that starts there is
    in both answers, and :func:`merge_parts` counts it once.  Returns the list
    of (start, end) pairs, or ``[(start_ms, end_ms)]`` when the window is too
    short to cut.
    """
    align = width or DEFAULT_SPLIT_ALIGN
    buckets = (end_ms - start_ms) // align + 1
    count = max(2, -(-buckets // SPLIT_TARGET_POINTS))
    cuts = []
    for index in range(1, count):
        cut = start_ms + (end_ms - start_ms) * index // count
        cut -= cut % align
        if cut > start_ms and cut < end_ms and (not cuts or cut > cuts[-1]):
            cuts.append(cut)
    if not cuts:
        return [(start_ms, end_ms)]
    bounds = [start_ms] + cuts + [end_ms]
    return list(zip(bounds, bounds[1:]))


def merge_parts(parts, data_types, windows=None):
    """Merge the answers of the parts of one window into one answer.

    ``parts`` is a list of answers (dicts); ``windows``, when given, the
    ``(start, end)`` each part asked for: a bucket outside its part's window
    (see :func:`in_window`) is left out.  Within one part a time stamp given
    twice counts once, with its largest value (the rule of
    :func:`summarize_statistics`; :func:`shape_problems` of the part names it).
    When the parts used different bucket widths, the finer buckets are summed
    into the coarser ones first.  A bucket time stamp present in several parts
    (the shared boundary) counts once: the largest value is kept, since each
    part sees all or a part of that bucket.  Returns ``{statistic_time_type,
    statistic_datas}``, the series sorted by time stamp, one per requested type
    any part had.
    """
    wanted = _normalise_types(data_types)
    widths = [bucket_width(part) for part in parts]
    coarse = max((width for width in widths if width), default=None)
    time_type = next((name for name, width in BUCKET_WIDTHS.items() if width == coarse), None)
    if windows is None:
        windows = [None] * len(parts)
    merged = dict((data_type, {}) for data_type in wanted)
    seen_types = set()
    for part, width, window in zip(parts, widths, windows):
        for data_type in wanted:
            if _has_series(part, data_type):
                seen_types.add(data_type)
            sums = {}
            for time_stamp, count in bucket_counts(part, data_type)[0].items():
                if window is not None and not in_window(time_stamp, width, window[0], window[1]):
                    continue
                if coarse and width and width < coarse:
                    time_stamp -= time_stamp % coarse
                sums[time_stamp] = sums.get(time_stamp, 0) + count
            target = merged[data_type]
            for time_stamp, count in sums.items():
                if count > target.get(time_stamp, -1):
                    target[time_stamp] = count
    datas = [
        {
            'data_type': data_type,
            'data': [{'time_stamp': time_stamp, 'statistic_num': merged[data_type][time_stamp]} for time_stamp in sorted(merged[data_type])],
        }
        for data_type in wanted
        if data_type in seen_types
    ]
    return {'statistic_time_type': time_type, 'statistic_datas': datas}


def summarize_statistics(response, data_types, start_ms, end_ms, problems=None, now_ms=None):
    """Summarise one ListSyncTaskStatistic response.

    ``data_types`` is what was asked for (a list, or the comma-joined string sent
    to the API; ``None`` means all five).  ``start_ms``/``end_ms`` is the window
    actually queried, in epoch milliseconds; ``now_ms`` the current time, when
    known.  Only the buckets that overlap the window and do not start after
    ``now_ms`` count (see the module docstring); a time stamp given twice counts
    once, with its largest value, and is named in ``problems``.

    Returns the ``summary`` the RETURN block of ``oms_sync_task_statistics_info``
    documents key by key (window, series, ratios, bytes, last success,
    ``complete`` and ``problems``).

    ``series`` has exactly the requested types, counting only the buckets
    that count (above); one the response lacks has
    ``total`` 0, ``points`` 0 and ``None`` for the rest.  ``first_time_stamp`` and
    ``last_time_stamp`` are the earliest and latest bucket whatever the
    response's order.  A ratio is ``None`` when either of its types was not
    requested or the REQUEST total is 0; it is rounded to ``RATIO_DIGITS``
    decimals and not clamped (buckets at the window's edges can make SUCCESS
    exceed REQUEST).  ``bytes_synchronized`` is ``None`` when SIZE was not
    requested.
    """
    wanted = _normalise_types(data_types)
    width = bucket_width(response)
    last_counted = end_ms if now_ms is None else min(end_ms, now_ms)
    series = {}
    last_success_time = None
    for data_type in wanted:
        counted = [point for point in sorted(bucket_counts(response, data_type)[0].items()) if in_window(point[0], width, start_ms, last_counted)]
        series[data_type] = {
            'total': sum(count for _time_stamp, count in counted),
            'points': len(counted),
            'max': max((count for _time_stamp, count in counted), default=None),
            'first_time_stamp': counted[0][0] if counted else None,
            'last_time_stamp': counted[-1][0] if counted else None,
        }
        if data_type == 'SUCCESS':
            last_success_time = max((time_stamp for time_stamp, count in counted if count > 0), default=None)

    time_type = response.get('statistic_time_type') if isinstance(response, dict) else None
    if not isinstance(time_type, str):
        time_type = None

    requests = series.get('REQUEST')
    size = series.get('SIZE')
    all_problems = list(problems or [])
    for line in shape_problems(response, wanted):
        if line not in all_problems:
            all_problems.append(line)
    return {
        'window': {'start_time': start_ms, 'end_time': end_ms, 'start': ms_to_iso(start_ms), 'end': ms_to_iso(end_ms)},
        'statistic_time_type': time_type,
        'series': series,
        'failure_ratio': _series_ratio(series.get('FAILURE'), requests),
        'success_ratio': _series_ratio(series.get('SUCCESS'), requests),
        'skip_ratio': _series_ratio(series.get('SKIP'), requests),
        'bytes_synchronized': size['total'] if size is not None else None,
        'last_success_time': last_success_time,
        'last_success': ms_to_iso(last_success_time),
        'complete': not all_problems,
        'problems': all_problems,
    }
