# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Chart numbers: downsampling, time labels, the partial bucket, the column budget."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import random
import re

import pytest

from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports import charts as _health_charts
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports import downsample as _health_downsample

MINUTE = 60 * 1000
BUCKET = 5 * MINUTE
# 2023-11-16T17:02:00Z .. 18:02:00Z: the newest bucket (18:00) is two minutes old.
START = 1700154120000
END = START + 60 * MINUTE


def _task(points, healthy=False):
    return {
        'id': 'task-1',
        'statistic_time_type': 'FIVE_MINUTES',
        'healthy': healthy,
        'window_request_total': None,
        'window_success_total': None,
        'window_failure_total': None,
        'series': {'REQUEST': points, 'SUCCESS': points, 'FAILURE': []},
    }


def _points():
    first = START - START % BUCKET + BUCKET
    return [[stamp, 100] for stamp in range(first, END, BUCKET)]


def test_a_window_within_a_day_has_times_only():
    chart = _health_charts.chart(_task(_points()), {'start_time': START, 'end_time': END})
    # Round times every 10 minutes inside 17:02-18:02, the day once in the axis title.
    labels = [tick['label'] for tick in chart['frame']['x_ticks']]
    assert labels == ['17:10', '17:20', '17:30', '17:40', '17:50', '18:00']
    assert chart['frame']['x_title'] == 'time (UTC), 2023-11-16'


@pytest.mark.parametrize('hours, step_minutes', [(0.25, 2), (1, 10), (3, 30), (6, 60), (24, 180), (48, 360), (7 * 24, 1440)])
def test_time_ticks_are_round_and_few(hours, step_minutes):
    start = END - int(hours * 3600000)
    step, stamps = _health_charts.time_ticks(start, END)
    assert step == step_minutes * 60000
    assert 2 <= len(stamps) <= _health_charts.MAX_TIME_TICKS
    assert all(stamp % step == 0 and start <= stamp <= END for stamp in stamps)


def test_the_partial_newest_bucket_is_apart_not_a_drop():
    points = _points()
    points[-1][1] = 5  # two minutes into the bucket: few objects yet
    chart = _health_charts.chart(_task(points), {'start_time': START, 'end_time': END})
    request = [line for line in chart['lines'] if line['series'] == 'REQUEST'][0]['d']
    # M<x> <y>l<dx> <dy>...: a flat line (every dy 0), so the low partial count is not part of it.
    deltas = re.findall(r'-?\d+', request.split('l', 1)[1])
    assert len(deltas) > 2 and set(deltas[1::2]) == {'0'}
    assert chart['partial'] is not None
    assert len(chart['partial_points']) == 3  # REQUEST, SUCCESS and (empty, so zero) FAILURE
    assert 'REQUEST 5' in chart['partial']['title']


def test_threshold_is_the_request_line_scaled():
    chart = _health_charts.chart(_task(_points()), {'start_time': START, 'end_time': END}, threshold_ratio=0.05)
    assert chart['threshold']['transform'] == 'translate(0 159.6) scale(1 0.05)'
    assert chart['threshold']['label'] == 'failure limit, 5% of requests'
    assert chart['frame']['swatches'][-1] == {'x': 416, 'colour': '#cf222e', 'label': 'failure limit, 5% of requests', 'dashed': True}
    assert _health_charts.chart(_task(_points()), {'start_time': START, 'end_time': END})['threshold'] is None


def test_downsample_keeps_each_columns_extremes_in_time_order():
    series = [[stamp, 10] for stamp in range(100)]
    series[41] = [41, 0]
    series[43] = [43, 90]
    kept = _health_downsample.downsample(series, 0, 100, 10)
    assert [41, 0] in kept and [43, 90] in kept
    assert kept.index([41, 0]) < kept.index([43, 90])
    assert kept[0] == [0, 10] and len(kept) <= 20
    assert [point[0] for point in kept] == sorted(point[0] for point in kept)
    short = [[1, 1], [2, 2]]
    assert _health_downsample.downsample(short, 0, 100, 10) == short


def test_downsample_series_fills_empty_buckets_before_dropping():
    # Bursts on an otherwise empty (omitted) grid: the zeros between them are kept.
    first = START - START % BUCKET + BUCKET
    sparse = [[first + index * BUCKET, 50] for index in (0, 11)]
    series, downsampled = _health_downsample.downsample_series({'REQUEST': sparse, 'SUCCESS': [], 'FAILURE': []}, START, END, BUCKET, 2)
    assert downsampled is True
    assert [0 for _stamp, count in series['REQUEST'] if count == 0]
    assert [first, 50] in series['REQUEST'] and [first + 11 * BUCKET, 50] in series['REQUEST']


def test_chart_columns_share_the_budget():
    assert _health_downsample.chart_columns(1, 0, 120000) == 254  # one failing task: full width
    many = _health_downsample.chart_columns(300, 200, 120000)
    assert 16 <= many < 254
    assert 300 * 6 * many + 200 * 6 * 16 <= 120000
    assert _health_downsample.chart_columns(5000, 0, 120000) == 16  # never below a readable floor


def _reference_downsample(points, start, end, columns):
    """The straightforward downsampling (one column per bucket, in order) the faster one must equal."""
    if columns <= 0 or len(points) <= 2 * columns or end <= start:
        return [list(point) for point in points]
    return _health_downsample._downsample_in_order(points, start, end, columns)


def _random_series(rng, start, end, bucket):
    anchor = rng.choice((0, 17, bucket // 2))
    stamps = [stamp for stamp in range(start - start % bucket + anchor - bucket, end + bucket, bucket) if rng.random() < rng.choice((0.1, 0.6, 1.0))]
    points = [[stamp, rng.choice((0, 1, 5, 5, 9, rng.randint(0, 10**6)))] for stamp in stamps]
    if points and rng.random() < 0.3:
        points.insert(rng.randrange(len(points)), list(rng.choice(points)))  # a bucket twice, as a cut answer may repeat
    if points and rng.random() < 0.2:
        points.append([points[-1][0] + 7, 3])  # a stamp off the grid
    return sorted(points)


def test_the_column_by_column_downsampling_equals_the_bucket_by_bucket_one():
    rng = random.Random(7)
    for _round in range(250):
        bucket = rng.choice((BUCKET, 12 * BUCKET))
        start = START + rng.randint(-BUCKET, BUCKET)
        end = start + rng.choice((1, 6, 30, 600)) * bucket + rng.randint(0, bucket)
        columns = rng.choice((1, 2, 3, 16, 40, 136, 290))
        series = dict((data_type, _random_series(rng, start, end, bucket)) for data_type in _health_downsample.CHART_TYPES)
        for data_type in _health_downsample.CHART_TYPES:
            points = series[data_type]
            assert _health_downsample.downsample(points, start, end, columns) == _reference_downsample(points, start, end, columns)
            shuffled = list(points)
            rng.shuffle(shuffled)
            assert _health_downsample.downsample(shuffled, start, end, columns) == _reference_downsample(shuffled, start, end, columns)
        # The series as a whole: filled on the grid, then each type downsampled as above.
        kept, downsampled = _health_downsample.downsample_series(series, start, end, bucket, columns)
        stamps = sorted(set(point[0] for points in series.values() for point in points))
        grid = _health_downsample.bucket_grid(stamps, start, end, bucket)
        length = len(grid) if grid is not None else max(len(points) for points in series.values())
        assert downsampled is (length > 2 * columns)
        for data_type, points in series.items():
            expected = _reference_downsample(_health_downsample.fill_grid(points, grid), start, end, columns) if downsampled else points
            assert kept[data_type] == expected


def test_columns_are_placed_as_the_bucket_by_bucket_formula_even_where_floats_round():
    rng = random.Random(3)
    for start in (0, START, 2**60 + 3):  # past 2**53 the float estimate of a column's start is off
        for _round in range(100):
            columns = rng.choice((1, 3, 7, 16, 136))
            end = start + rng.randint(1, 5000)
            stamps = sorted(rng.randint(start - 50, end + 50) for _stamp in range(rng.randint(1, 400)))
            span = float(end - start)
            placed = [min(columns - 1, max(0, int((stamp - start) * columns / span))) for stamp in stamps]
            runs = _health_downsample._column_runs(stamps, start, end, columns)
            assert [first for first, _stop in runs] == [index for index, column in enumerate(placed) if index == 0 or column != placed[index - 1]]
            assert runs[-1][1] == len(stamps)
