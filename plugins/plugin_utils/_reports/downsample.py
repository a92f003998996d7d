# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Statistics series for the reports: read from an answer (:func:`chart_series`), downsampled within a point budget.

A series is a list of ``[time_stamp, count]`` pairs in time order.  The API
omits empty buckets; a chart puts them back as zeros on the bucket grid so a
line never bridges a gap as if objects kept flowing.  Past the chart's pixel
width a series keeps, per pixel column, its lowest and highest bucket: a burst
one bucket wide survives, where averaging would flatten it.
"""

from bisect import bisect_left
from itertools import repeat
from operator import itemgetter

from ansible_collections.hwcloud.migration.plugins.module_utils._reads.statistics_summary import iter_points
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import CHART_TYPES, MAX_CHART_COLUMNS, MIN_CHART_COLUMNS, SPARKLINE_COLUMNS

# Past this many buckets the grid is not filled (a one-bucket-per-pixel chart
# would not show the zeros anyway and the fill would cost memory).
MAX_GRID = 20000
# Series in a failing subject's full chart.
CHART_TYPE_COUNT = len(CHART_TYPES)
_STAMP = itemgetter(0)
_COUNT = itemgetter(1)


def _only(values, kind):
    return set(map(type, values)) == set((kind,))


def _series_points(series, data_type):
    """``(time_stamp, count)`` of one series of the answer, as ``iter_points`` reads it.

    A series whose buckets are all plain dicts of plain non-negative ints (what
    the modules return) is read in a few C-level passes; any other goes
    through ``iter_points`` itself, which decides what a well-formed bucket is.
    """
    buckets = series.get('data')
    if isinstance(buckets, list) and buckets and _only(buckets, dict):
        stamps = list(map(dict.get, buckets, repeat('time_stamp')))
        counts = list(map(dict.get, buckets, repeat('statistic_num')))
        if _only(stamps, int) and _only(counts, int) and min(stamps) >= 0 and min(counts) >= 0:
            return list(zip(stamps, counts))
    return list(iter_points({'statistic_datas': [series]}, data_type))


def chart_series(statistics: object) -> dict:
    """The REQUEST/SUCCESS/FAILURE buckets of one statistics entry as ``(time_stamp, count)`` pairs, in time order.

    Every well-formed bucket of ``iter_points``, of every series of the type;
    :func:`downsample_series` turns them into the fact's ``[time_stamp, count]`` lists.
    """
    series_list = statistics.get('statistic_datas') if isinstance(statistics, dict) else None
    if not isinstance(series_list, list):
        series_list = []
    series = {}
    for data_type in CHART_TYPES:
        points = []
        for entry in series_list:
            if isinstance(entry, dict) and entry.get('data_type') == data_type:
                points.extend(_series_points(entry, data_type))
        points.sort()
        series[data_type] = points
    return series


def bucket_grid(stamps: list, start: int, end: int, bucket: int) -> list | None:
    """Bucket start times from the first bucket starting at or after ``start`` up to ``end`` (exclusive).

    The grid is anchored on the returned time stamps (the API's buckets need not
    start on a round minute) and includes every returned stamp.
    """
    if not bucket or not stamps or end <= start or (end - start) // bucket >= MAX_GRID:
        return None
    anchor = stamps[0] % bucket
    first = start - ((start - anchor) % bucket)
    if first < start:
        first += bucket
    return sorted(set(range(first, end, bucket)) | set(stamps))


def fill_grid(points: list, grid: list | None) -> list:
    """``points`` on ``grid``: every grid stamp present, omitted buckets as zero."""
    if grid is None:
        return [list(point) for point in points]
    counts = dict((point[0], point[1]) for point in points)
    return [[stamp, counts.get(stamp, 0)] for stamp in grid]


def downsample(points: list, start: int, end: int, columns: int) -> list:
    """At most two points per column of ``[start, end)``: each column's lowest and highest, in time order.

    Series short enough already are returned unchanged.  The first and last
    points always stay, so the chart spans the same time.
    """
    if columns <= 0 or len(points) <= 2 * columns or end <= start:
        return [list(point) for point in points]
    stamps = list(map(_STAMP, points))
    if stamps != sorted(stamps):
        return _downsample_in_order(points, start, end, columns)
    counts = list(map(_COUNT, points))
    kept = []
    for first, stop in _column_runs(stamps, start, end, columns):
        column = counts[first:stop]
        low = first + column.index(min(column))
        high = first + column.index(max(column))
        kept.extend(_column_points(points[low], points[high]))
    return [list(point) for point in kept]


def _downsample_in_order(points, start, end, columns):
    """``downsample`` of points not in time order: a column starts wherever the next point falls in another one."""
    span = float(end - start)
    kept = []
    current = None
    low = high = None
    for point in points:
        column = min(columns - 1, max(0, int((point[0] - start) * columns / span)))
        if column != current:
            if current is not None:
                kept.extend(_column_points(low, high))
            current, low, high = column, point, point
            continue
        if point[1] < low[1]:
            low = point
        if point[1] > high[1]:
            high = point
    if current is not None:
        kept.extend(_column_points(low, high))
    return [list(point) for point in kept]


def _column_points(low, high):
    if low is high or low[0] == high[0]:
        return [low]
    return [low, high] if low[0] < high[0] else [high, low]


def _column_runs(grid, start, end, columns):
    """``(first, stop)`` index ranges of ``grid`` (sorted) falling in the same column, as ``downsample`` places a stamp.

    A stamp's column only grows with the stamp, so each column's first index
    is found by bisection near where it must start, then settled with the
    very expression ``downsample`` uses: the same columns, a few evaluations
    per column instead of one per bucket.
    """
    span = float(end - start)
    last = columns - 1

    def column(index):
        return min(last, max(0, int((grid[index] - start) * columns / span)))

    size = len(grid)
    bounds = [0]
    for wanted in range(1, columns):
        index = max(bounds[-1], bisect_left(grid, start + wanted * span / columns, bounds[-1]))
        while index > bounds[-1] and column(index - 1) >= wanted:
            index -= 1
        while index < size and column(index) < wanted:
            index += 1
        if index != bounds[-1]:
            bounds.append(index)
        if index == size:
            break
    if bounds[-1] != size:
        bounds.append(size)
    return list(zip(bounds, bounds[1:]))


def _downsample_on_grid(points, grid, runs):
    """``downsample(fill_grid(points, grid), ...)`` for the columns ``runs``, without a list per grid bucket.

    The three series of a chart share the grid, so the columns are placed once
    (``runs``); per column, ``min`` and ``max`` find the first lowest and the
    first highest bucket, as ``downsample`` keeps them.
    """
    counts = dict(zip(map(_STAMP, points), map(_COUNT, points)))
    values = list(map(counts.get, grid, repeat(0)))
    kept = []
    for first, stop in runs:
        if stop - first == 1:
            kept.append([grid[first], values[first]])
            continue
        column = values[first:stop]
        low = first + column.index(min(column))
        high = first + column.index(max(column))
        if low == high:
            kept.append([grid[low], values[low]])
        else:
            first_kept, second_kept = (low, high) if low < high else (high, low)
            kept.append([grid[first_kept], values[first_kept]])
            kept.append([grid[second_kept], values[second_kept]])
    return kept


def downsample_series(series: dict, start: int, end: int, bucket: int, columns: int | None) -> tuple:
    """Every chart type of ``series`` filled on the bucket grid, then downsampled to ``columns``.

    Returns ``(series, downsampled)``; ``downsampled`` is false when nothing had
    to go, or ``columns`` is None (every point is kept): the series is then
    returned as the API gave it, empty buckets omitted.
    """
    by_type = [(data_type, series.get(data_type) or []) for data_type in CHART_TYPES]
    stamps = sorted(set().union(*[map(_STAMP, points) for _data_type, points in by_type]))
    grid = bucket_grid(stamps, start, end, bucket)
    length = len(grid) if grid is not None else max([len(points) for _data_type, points in by_type])
    if columns is None or length <= 2 * columns:
        return dict((data_type, [list(point) for point in points]) for data_type, points in by_type), False
    if grid is None or columns <= 0:
        return dict((data_type, downsample(fill_grid(points, grid), start, end, columns)) for data_type, points in by_type), True
    runs = _column_runs(grid, start, end, columns)
    return dict((data_type, _downsample_on_grid(points, grid, runs)) for data_type, points in by_type), True


def chart_columns(failing: int, healthy: int, budget: int, *, healthy_types: int = CHART_TYPE_COUNT) -> int:
    """Columns of each failing subject's chart so that all series together stay within ``budget`` points.

    Each chart type keeps up to two points per column; a healthy subject takes
    ``SPARKLINE_COLUMNS`` for each of its ``healthy_types`` series.  Never fewer
    than ``MIN_CHART_COLUMNS`` (bursts still show) nor more than one column per
    two pixels.
    """
    left = budget - healthy * 2 * healthy_types * SPARKLINE_COLUMNS
    columns = left // max(1, failing * 2 * len(CHART_TYPES))
    return int(max(MIN_CHART_COLUMNS, min(MAX_CHART_COLUMNS, columns)))
