"""Deterministic statistics series of a sync task.

A task's activity is a sequence of 5-minute buckets (timestamps aligned to 300000 ms
since the epoch). Every bucket draws the same number of values from a random
generator seeded by the task, so regenerating a longer series reproduces the same
prefix: the series can be extended as the clock moves without changing the past.
Buckets are kept as prefix sums so that any window, any hourly roll-up and the
monthly counters cost O(1) per output point.
"""

import random
from array import array
from itertools import accumulate

BUCKET_MS = 300000
HOUR_MS = 3600000
DATA_TYPES = ("REQUEST", "SUCCESS", "FAILURE", "SKIP", "SIZE")

# How far past "now" a series is generated, so that a running emulator does not
# regenerate on every new bucket.
HORIZON_MS = 6 * HOUR_MS


def floor_bucket(ms, step=BUCKET_MS):
    """Align ``ms`` down to a multiple of ``step``."""
    return ms - (ms % step)


class SeriesSpec(object):
    """The resolved (absolute-time) recipe of a task's activity."""

    __slots__ = ("seed", "start_ms", "end_ms", "request_rate", "skip_rate", "jitter",
                 "failure_rate", "object_size", "bursts", "gaps")

    def __init__(self, seed, start_ms, end_ms=None, request_rate=100.0, skip_rate=0.0,
                 jitter=0.2, failure_rate=0.0, object_size=1048576, bursts=(), gaps=()):
        self.seed = seed
        self.start_ms = start_ms
        self.end_ms = end_ms
        self.request_rate = float(request_rate)
        self.skip_rate = float(skip_rate)
        self.jitter = float(jitter)
        self.failure_rate = float(failure_rate)
        self.object_size = int(object_size)
        # bursts: (start_ms, end_ms, failure_rate, request_factor)
        self.bursts = tuple(bursts)
        # gaps: (start_ms, end_ms)
        self.gaps = tuple(gaps)


class Series(object):
    """Prefix sums of the five data types over 5-minute buckets."""

    __slots__ = ("first_ms", "count", "horizon_ms", "prefix")

    def __init__(self, spec, horizon_ms):
        self.first_ms = floor_bucket(spec.start_ms)
        last = max(self.first_ms, horizon_ms)
        if spec.end_ms is not None:
            last = min(last, spec.end_ms)
        self.count = max(0, (last - self.first_ms) // BUCKET_MS + 1)
        self.horizon_ms = horizon_ms
        self.prefix = _generate(spec, self.first_ms, self.count)

    def index_at_or_after(self, ms):
        """Index of the first bucket whose timestamp is >= ms, clamped to [0, count]."""
        if ms <= self.first_ms:
            return 0
        idx = -((self.first_ms - ms) // BUCKET_MS)  # ceil division
        return min(idx, self.count)

    def visible_end(self, now):
        """One past the index of the last bucket whose timestamp is <= now."""
        if now < self.first_ms:
            return 0
        return min(self.count, (now - self.first_ms) // BUCKET_MS + 1)

    def total(self, data_type, lo, hi):
        """Sum of a type over bucket indexes [lo, hi)."""
        prefix = self.prefix[data_type]
        return prefix[hi] - prefix[lo]

    def window_total(self, data_type, start_ms, end_ms, now):
        """Sum of a type over buckets with start_ms <= timestamp < end_ms, up to now."""
        vis = self.visible_end(now)
        lo = min(self.index_at_or_after(start_ms), vis)
        hi = min(self.index_at_or_after(end_ms), vis)
        if hi <= lo:
            return 0
        return self.total(data_type, lo, hi)

    def points(self, data_types, start_ms, end_ms, now, step, omit, max_points, keep):
        """Return {type: [(timestamp, value), ...]} for the statistics call.

        Output buckets are ``step`` wide, aligned to the epoch, and cover every
        5-minute bucket that overlaps [start_ms, end_ms] and is not in the future.
        ``omit`` is ``bucket`` (drop a timestamp when every type is zero there) or
        ``point`` (drop each zero value on its own). At most ``max_points`` per
        type are kept, the ``latest`` or the ``earliest`` ones.
        """
        vis = self.visible_end(now)
        if vis == 0 or end_ms < start_ms:
            return dict((t, []) for t in data_types)
        first_group = max(floor_bucket(start_ms, step), floor_bucket(self.first_ms, step))
        last_ts = self.first_ms + (vis - 1) * BUCKET_MS
        last_group = min(floor_bucket(end_ms, step), floor_bucket(last_ts, step))
        if last_group < first_group:
            return dict((t, []) for t in data_types)
        groups = range(first_group, last_group + step, step)
        if keep == "latest":
            groups = reversed(groups)
        result = dict((t, []) for t in data_types)
        full = dict((t, False) for t in data_types)
        prefixes = self.prefix
        first_ms = self.first_ms
        for group in groups:
            lo = 0 if group <= first_ms else min(-((first_ms - group) // BUCKET_MS), vis)
            hi_ms = group + step
            hi = min(-((first_ms - hi_ms) // BUCKET_MS), vis) if hi_ms > first_ms else 0
            if hi <= lo:
                continue
            if omit == "bucket":
                empty = True
                for name in DATA_TYPES:
                    pre = prefixes[name]
                    if pre[hi] != pre[lo]:
                        empty = False
                        break
                if empty:
                    continue
            done = True
            for name in data_types:
                if full[name]:
                    continue
                pre = prefixes[name]
                value = pre[hi] - pre[lo]
                if omit == "point" and value == 0:
                    done = False
                    continue
                series = result[name]
                series.append((group, value))
                if len(series) >= max_points:
                    full[name] = True
                else:
                    done = False
            if done:
                break
        if keep == "latest":
            for series in result.values():
                series.reverse()
        return result


def _index_range(first_ms, count, start_ms, end_ms):
    """Bucket indexes [lo, hi) whose timestamps lie in [start_ms, end_ms)."""
    lo = 0 if start_ms <= first_ms else -((first_ms - start_ms) // BUCKET_MS)
    hi = 0 if end_ms <= first_ms else -((first_ms - end_ms) // BUCKET_MS)
    return max(0, min(lo, count)), max(0, min(hi, count))


def _generate(spec, first_ms, count):
    # Per bucket four uniform draws, always, so the sequence never depends on the
    # window. Whole-array comprehensions keep this a few ms for a month of buckets.
    rng = random.Random(spec.seed)
    draws = [rng.random() for _ in range(4 * count)]
    jitter = spec.jitter
    # Activity per bucket: the first bucket overlapping the start, until end, minus gaps.
    factor = [0.0] * count
    lo = 0
    if spec.start_ms > first_ms:
        lo = min(count, (spec.start_ms - first_ms) // BUCKET_MS)
    hi = count
    if spec.end_ms is not None:
        hi = _index_range(first_ms, count, first_ms, spec.end_ms)[1]
    for i in range(lo, hi):
        factor[i] = 1.0
    for gap_start, gap_end in spec.gaps:
        g_lo, g_hi = _index_range(first_ms, count, gap_start, gap_end)
        for i in range(g_lo, g_hi):
            factor[i] = 0.0
    fail_rate = [spec.failure_rate] * count
    for b_start, b_end, b_rate, b_factor in reversed(spec.bursts):  # the first listed wins
        b_lo, b_hi = _index_range(first_ms, count, b_start, b_end)
        for i in range(b_lo, b_hi):
            fail_rate[i] = b_rate
            if factor[i]:
                factor[i] = b_factor
    rate = spec.request_rate
    skip_rate = spec.skip_rate
    size_per_object = spec.object_size
    u_req, u_fail, u_skip, u_size = draws[0::4], draws[1::4], draws[2::4], draws[3::4]
    req = [max(0, int(round(rate * f * (1.0 + jitter * (2 * u - 1))))) if f else 0
           for f, u in zip(factor, u_req)]
    fail = [min(max(int(round(r * fr * (1.0 + jitter * (2 * u - 1)))), 0), r) if r else 0
            for r, fr, u in zip(req, fail_rate, u_fail)]
    skip = [min(max(int(round(skip_rate * (1.0 + jitter * (2 * u - 1)))), 0), r - x) if r else 0
            for r, x, u in zip(req, fail, u_skip)]
    success = [r - x - k for r, x, k in zip(req, fail, skip)]
    size = [max(0, int(n * size_per_object * (1.0 + jitter * (2 * u - 1)))) if n else 0
            for n, u in zip(success, u_size)]
    return {
        "REQUEST": array("q", accumulate(req, initial=0)),
        "SUCCESS": array("q", accumulate(success, initial=0)),
        "FAILURE": array("q", accumulate(fail, initial=0)),
        "SKIP": array("q", accumulate(skip, initial=0)),
        "SIZE": array("q", accumulate(size, initial=0)),
    }
