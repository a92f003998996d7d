# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Chart geometry of the HTML report: axes, ticks, paths and sparklines, no markup.

A series is a list of ``[time_stamp, count]`` pairs in time order; the bucket
grid and the per-column downsampling are in ``_reports/downsample``.  The
template lays out what these functions compute.
"""

from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import ms_to_iso
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import (
    BUCKET_MS,
    CHART_COLOURS,
    CHART_TYPES,
    MAX_CHART_COLUMNS,
    SPARKLINE_COLUMNS,
    SPARKLINE_PLOT_WIDTH,
)
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports.downsample import bucket_grid, downsample, fill_grid

# A sparkline shows throughput and failures; SUCCESS would sit on REQUEST.
SPARKLINE_TYPES = ('REQUEST', 'FAILURE')
# Markers with a tooltip per non-zero point, only on charts this sparse (a short window);
# on a long one they would outweigh the lines.
MAX_MARKERS = 48


def nice_step(raw: float) -> int:
    """The smallest 1, 2, 2.5 or 5 times a power of ten that is >= ``raw``, as a whole number >= 1."""
    step = 1
    while True:
        for factor in (1, 2, 2.5, 5):
            value = step * factor
            if value >= raw and float(value).is_integer():
                return int(value)
        step *= 10


def _bounds(series, window):
    stamps = sorted(set(point[0] for data_type in CHART_TYPES for point in series.get(data_type) or []))
    start = window.get('start_time')
    end = window.get('end_time')
    if start is None or end is None or end <= start:
        start = stamps[0] if stamps else 0
        end = stamps[-1] if stamps else 1
    if stamps:
        start = min(start, stamps[0])
        end = max(end, stamps[-1])
    if end <= start:
        end = start + 1
    return stamps, start, end


# Steps of the time axis in minutes: each divides the next larger day-aligned span, so ticks land on round UTC times.
TIME_STEPS_MIN = (1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080, 20160, 40320)
# At most this many time ticks on one axis (a label is about 70 px wide on a 568 px plot).
MAX_TIME_TICKS = 8
DAY_MS = 86400000


def time_ticks(start: int, end: int, max_ticks: int = MAX_TIME_TICKS) -> tuple:
    """``(step_ms, stamps)``: round UTC times (every 10 min, 1 h, 6 h, ...) inside ``[start, end]``, at most ``max_ticks``."""
    for minutes in TIME_STEPS_MIN:
        step = minutes * 60000
        first = start + (-start) % step
        if (end - first) // step + 1 <= max_ticks:
            return step, list(range(first, end + 1, step))
    step = TIME_STEPS_MIN[-1] * 60000
    first = start + (-start) % step
    return step, list(range(first, end + 1, step))


def _time_label(stamp, with_date, step):
    iso = ms_to_iso(stamp)
    if step >= DAY_MS:
        return iso[5:10]
    if with_date and stamp % DAY_MS == 0:
        return iso[5:16].replace('T', ' ')
    return iso[11:16]


def time_axis_title(start: int, end: int, with_date: bool) -> str:
    """The x axis title: ``time (UTC)``, with the day when the whole window lies in one."""
    return 'time (UTC)' if with_date else 'time (UTC), %s' % ms_to_iso(start)[:10]


def _prepared(task, window, columns):
    """The chart's series: on the bucket grid, split into complete and partial buckets, downsampled."""
    series = task.get('series') or {}
    bucket = BUCKET_MS.get(task.get('statistic_time_type'), 0)
    stamps, start, end = _bounds(series, window)
    # A fact evaluated with downsampling already holds its zeros; refilling would add false ones.
    grid = None if task.get('series_downsampled') else bucket_grid(stamps, start, end, bucket)
    complete = {}
    partial = {}
    # The newest bucket may have started less than one width before the window's
    # end: its count covers part of a bucket, so it is shown apart, not as a drop.
    partial_from = end - bucket if bucket else None
    for data_type in CHART_TYPES:
        points = fill_grid(series.get(data_type) or [], grid)
        if partial_from is not None:
            partial[data_type] = [point for point in points if point[0] > partial_from]
            points = [point for point in points if point[0] <= partial_from]
        else:
            partial[data_type] = []
        complete[data_type] = downsample(points, start, end, columns)
    return complete, partial, start, end, bucket


def chart(
    task: dict,
    window: dict,
    *,
    threshold_ratio: float | None = None,
    columns: int = MAX_CHART_COLUMNS,
    markers: bool = True,
    width: int = 640,
    height: int = 236,
) -> dict:
    """Geometry of one full chart: axes, ticks, one polyline per type, the partial bucket, the threshold.

    The threshold line is the REQUEST line scaled by the ratio (``threshold``
    holds the SVG transform): wherever FAILURE rises above it, that bucket's
    failure ratio is above the limit.
    """
    left, right, top, bottom = 56, 16, 16, 68
    plot_w, plot_h = width - left - right, height - top - bottom
    complete, partial, start, end, bucket = _prepared(task, window, min(columns, plot_w // 2))
    peak = 0
    for data_type in CHART_TYPES:
        for _stamp, count in complete[data_type] + partial[data_type]:
            peak = max(peak, count)
    y_step = nice_step(peak / 4.0)
    y_max = y_step * 4

    def x_of(stamp):
        return left + plot_w * (stamp - start) / float(end - start)

    def y_of(count):
        return top + plot_h - plot_h * count / float(y_max)

    with_date = ms_to_iso(start)[:10] != ms_to_iso(end)[:10]
    step, stamps = time_ticks(start, end)
    x_ticks = [{'x': round(x_of(stamp), 1), 'anchor': 'middle', 'label': _time_label(stamp, with_date, step)} for stamp in stamps]
    y_ticks = []
    for index in range(5):
        count = y_step * index
        y_ticks.append({'y': round(y_of(count), 1), 'label': ('%d' % count) if float(count).is_integer() else ('%g' % count)})

    lines = []
    markers = []
    legend = []
    for position, data_type in enumerate(CHART_TYPES):
        points = complete[data_type]
        colour = CHART_COLOURS[data_type]
        if len(points) > 1 or (points and not partial[data_type]):
            pixels = [(round(x_of(stamp)), round(y_of(count))) for stamp, count in points]
            lines.append({'series': data_type, 'cls': series_class(data_type), 'd': path_data(pixels), 'wide': data_type == 'REQUEST'})
        if markers and len(points) <= MAX_MARKERS:
            markers.extend(
                {'x': round(x_of(stamp)), 'y': round(y_of(count)), 'colour': colour, 'title': '%s %s: %d' % (data_type, ms_to_iso(stamp), count)}
                for stamp, count in points
                if count
            )
        # The totals are in the subject's row of the table; the legend (drawn once per frame) names the lines.
        legend.append({'x': left + 120 * position, 'colour': colour, 'label': data_type, 'dashed': False})

    partial_area = None
    partial_points = []
    if bucket and any(partial[data_type] for data_type in CHART_TYPES):
        first = min(point[0] for data_type in CHART_TYPES for point in partial[data_type])
        x = x_of(max(start, first))
        counts = ', '.join('%s %d' % (data_type, sum(count for _stamp, count in partial[data_type])) for data_type in CHART_TYPES)
        partial_area = {
            'x': round(x, 1),
            'width': round(max(2.0, left + plot_w - x), 1),
            'title': 'partial bucket from %s, still filling when the statistics were read: %s' % (ms_to_iso(first), counts),
        }
        for data_type in CHART_TYPES:
            partial_points.extend(
                {'x': round(x_of(stamp)), 'y': round(y_of(count)), 'colour': CHART_COLOURS[data_type], 'cls': series_class(data_type)}
                for stamp, count in partial[data_type]
            )

    threshold = None
    if threshold_ratio is not None and len(complete['REQUEST']) > 1:
        baseline = top + plot_h
        threshold = {
            # y' = baseline - ratio * (baseline - y): the REQUEST line scaled towards the x axis.
            'transform': 'translate(0 %s) scale(1 %s)' % (_number(baseline * (1 - threshold_ratio)), _number(threshold_ratio)),
            'label': failure_limit_label(threshold_ratio),
        }
        legend.append({'x': left + 120 * len(CHART_TYPES), 'colour': CHART_COLOURS['FAILURE'], 'label': failure_limit_label(threshold_ratio), 'dashed': True})

    # What every chart over the same time span shares (axes, grid, time labels,
    # legend swatches): the page draws it once and each chart reuses it.
    frame = {
        'key': (width, height, start, end, threshold_ratio if threshold else None),
        'width': width,
        'height': height,
        'left': left,
        'top': top,
        'plot_w': plot_w,
        'plot_h': plot_h,
        'grid': [tick['y'] for tick in y_ticks],
        'x_ticks': x_ticks,
        'swatches': legend,
        'legend_y': height - 10,
        'x_title': time_axis_title(start, end, with_date),
    }
    return {
        'frame': frame,
        'y_ticks': y_ticks,
        'lines': lines,
        'markers': markers,
        'partial': partial_area,
        'partial_points': partial_points,
        'threshold': threshold,
        'empty': not any(complete[data_type] or partial[data_type] for data_type in CHART_TYPES),
    }


def path_data(pixels: list) -> str:
    """SVG path data through whole-pixel points, each after the first relative to the one before.

    ``M75 149l3-126 30-7`` is about a quarter shorter than the polyline's
    ``75,149 78,23 108,16``: on a page of hundreds of charts that is most of
    what the size limit needs.
    """
    if not pixels:
        return ''
    parts = ['M%d %d' % pixels[0]]
    if len(pixels) > 1:
        parts.append('l')
    previous = pixels[0]
    text = []
    for pixel in pixels[1:]:
        for delta in (pixel[0] - previous[0], pixel[1] - previous[1]):
            # A minus sign separates numbers by itself.
            text.append(('%d' % delta) if delta < 0 or not text else ' %d' % delta)
        previous = pixel
    return ''.join(parts) + ''.join(text)


def series_class(data_type: str) -> str:
    """The CSS class of a series' line in a full chart (``chart_styles`` defines it once per page)."""
    return 's-%s' % data_type.lower()


def chart_styles() -> list:
    """The line style of each series: REQUEST wide and pale, so SUCCESS drawn over it still shows both."""
    return [
        {
            'cls': series_class(data_type),
            'series': data_type,
            'colour': CHART_COLOURS[data_type],
            'width': 5 if data_type == 'REQUEST' else 2,
            'opacity': 0.35 if data_type == 'REQUEST' else None,
        }
        for data_type in CHART_TYPES
    ]


def failure_limit_label(ratio: float) -> str:
    """What the dashed line is: ``failure limit, 5% of requests``."""
    return 'failure limit, %s%% of requests' % ('%.4g' % (ratio * 100))


def _number(value):
    return ('%.4f' % value).rstrip('0').rstrip('.')


def sparkline(task: dict, window: dict, *, width: int = SPARKLINE_PLOT_WIDTH + 4, height: int = 28) -> dict:
    """Geometry of a small REQUEST and FAILURE line for a healthy subject (complete buckets only)."""
    complete, _partial, start, end, _bucket = _prepared(task, window, SPARKLINE_COLUMNS)
    peak = max([count for data_type in SPARKLINE_TYPES for _stamp, count in complete[data_type]] + [1])

    def coords(points):
        return ' '.join(
            '%d,%d' % (round(2 + (width - 4) * (stamp - start) / float(end - start)), round(height - 2 - (height - 4) * count / float(peak)))
            for stamp, count in points
        )

    lines = [
        {'series': data_type, 'colour': CHART_COLOURS[data_type], 'points': coords(complete[data_type])} for data_type in SPARKLINE_TYPES if complete[data_type]
    ]
    return {'width': width, 'height': height, 'lines': lines, 'peak': peak, 'empty': not lines}
