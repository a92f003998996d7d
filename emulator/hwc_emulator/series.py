"""Deterministic statistics series of a sync task, computed in closed form.

A task's activity is a sequence of 5-minute buckets (timestamps aligned to 300000 ms
since the epoch). The buckets are grouped in epoch-aligned *pairs* (10 minutes).
Nothing is materialised: any bucket, any window sum, any hourly roll-up and the
monthly counters are computed on demand from the task's recipe.

* The recipe is cut into a few *spans* of constant parameters (activity factor and
  failure rate): the start and end of the series, its gaps and its bursts.
* A pair whose two buckets lie in the same active span is *steady*: its totals per
  data type are a function of the span's parameters only (REQUEST = round(2 x rate
  x factor), FAILURE = round(REQUEST x failure_rate), SKIP = round(2 x skip rate),
  SUCCESS = the rest, SIZE = SUCCESS x object_size), and the jitter splits those
  totals between the two buckets, so every value is noisy while the pair sums are
  exact. A window over a steady span therefore sums in O(1) (full pairs times the
  pair totals, plus at most one bucket at each end).
* A pair that straddles a span boundary draws each bucket on its own
  (REQUEST = rate x factor x noise, FAILURE = REQUEST x failure rate x noise, ...).

The noise of a pair comes from a keyed hash (BLAKE2b) of the task's seed and the
pair's number since the epoch, so a value depends only on the scenario and its time:
the same scenario gives the same numbers, and extending the series (a later
horizon) never changes the past. Cost: a window sum is O(spans), a 5-minute point
one hash; the first query of a task costs microseconds, not a week of buckets.
"""

import hashlib
import struct

BUCKET_MS = 300000
HOUR_MS = 3600000
DATA_TYPES = ('REQUEST', 'SUCCESS', 'FAILURE', 'SKIP', 'SIZE')
_TYPE_INDEX = dict((name, index) for index, name in enumerate(DATA_TYPES))

# How far past "now" a series is visible, so that a running emulator does not
# rebuild its Series object on every new bucket (rebuilding is cheap anyway).
HORIZON_MS = 6 * HOUR_MS

_ZERO = (0, 0, 0, 0, 0)
_DRAWS = struct.Struct('<8I')
_SCALE = 1.0 / 4294967296.0
_INFINITY = float('inf')


def floor_bucket(ms, step=BUCKET_MS):
    """Align ``ms`` down to a multiple of ``step``."""
    return ms - (ms % step)


class SeriesSpec(object):
    """The resolved (absolute-time) recipe of a task's activity."""

    __slots__ = ('seed', 'start_ms', 'end_ms', 'request_rate', 'skip_rate', 'jitter', 'failure_rate', 'object_size', 'bursts', 'gaps')

    def __init__(self, seed, start_ms, end_ms=None, request_rate=100.0, skip_rate=0.0, jitter=0.2, failure_rate=0.0, object_size=1048576, bursts=(), gaps=()):
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


def _first_bucket_at_or_after(ms):
    """Absolute number of the first bucket whose timestamp is >= ms."""
    return -((-ms) // BUCKET_MS)


def _spans(spec, first_n):
    """Cut the recipe into sorted, disjoint spans (lo, hi, factor, failure_rate) of active buckets.

    ``lo``/``hi`` are absolute bucket numbers (``hi`` may be infinite); buckets
    outside every span are inactive. The rules are those of the scenario format:
    active from the first bucket overlapping the start until the end, minus the
    gaps; bursts override the failure rate and scale the activity (first listed
    wins where they overlap).
    """
    active_hi = _INFINITY if spec.end_ms is None else max(first_n, _first_bucket_at_or_after(spec.end_ms))
    cuts = set([first_n])
    if active_hi != _INFINITY:
        cuts.add(active_hi)
    gaps, bursts = [], []
    for ranges, out in ((spec.gaps, gaps), (spec.bursts, bursts)):
        for start, end, *params in ranges:
            lo, hi = _first_bucket_at_or_after(start), _first_bucket_at_or_after(end)
            if hi > lo:
                out.append((lo, hi, *params))
                cuts.update((lo, hi))
    edges = sorted(cut for cut in cuts if first_n <= cut <= active_hi)
    if not edges or edges[-1] != active_hi:
        edges.append(active_hi)
    spans = []
    for lo, hi in zip(edges, edges[1:]):
        if hi <= lo:
            continue
        if any(g_lo <= lo and hi <= g_hi for g_lo, g_hi in gaps):
            continue
        factor, rate = 1.0, spec.failure_rate
        for b_lo, b_hi, b_rate, b_factor in bursts:
            if b_lo <= lo and hi <= b_hi:
                factor, rate = b_factor, b_rate
                break
        if spans and spans[-1][1] == lo and spans[-1][2] == factor and spans[-1][3] == rate:
            spans[-1] = (spans[-1][0], hi, factor, rate)
        else:
            spans.append((lo, hi, factor, rate))
    return spans


class Series(object):
    """The five data types of one task over 5-minute buckets, in closed form.

    ``first_ms`` is the first bucket of the series, ``count`` the number of
    buckets up to the horizon (only those are visible); indexes below are
    relative to ``first_ms``.
    """

    __slots__ = ('first_ms', 'count', 'horizon_ms', '_first_n', '_spans', '_hash', '_rate', '_skip', '_jitter', '_size', '_pair_totals')

    def __init__(self, spec, horizon_ms):
        self.first_ms = floor_bucket(spec.start_ms)
        last = max(self.first_ms, horizon_ms)
        if spec.end_ms is not None:
            last = min(last, spec.end_ms)
        self.count = max(0, (last - self.first_ms) // BUCKET_MS + 1)
        self.horizon_ms = horizon_ms
        self._first_n = self.first_ms // BUCKET_MS
        self._spans = _spans(spec, self._first_n)
        key = hashlib.blake2b(str(spec.seed).encode('utf-8'), digest_size=32).digest()
        self._hash = hashlib.blake2b(digest_size=32, key=key)
        self._rate = spec.request_rate
        self._skip = spec.skip_rate
        self._jitter = spec.jitter
        self._size = spec.object_size
        self._pair_totals = {}

    # -- bucket values ------------------------------------------------------------

    def _draws(self, pair):
        digest = self._hash.copy()
        digest.update(pair.to_bytes(8, 'little', signed=True))
        return _DRAWS.unpack(digest.digest())

    def _params(self, n):
        """(factor, failure_rate) of absolute bucket ``n``, or None when inactive."""
        for lo, hi, factor, rate in self._spans:
            if n < lo:
                return None
            if n < hi:
                return factor, rate
        return None

    def _steady_totals(self, factor, rate):
        """Totals of a steady pair (both buckets in one span) as (R, S, F, K, Z)."""
        key = (factor, rate)
        totals = self._pair_totals.get(key)
        if totals is None:
            req = max(0, int(round(2.0 * self._rate * factor)))
            fail = min(req, max(0, int(round(req * rate))))
            skip = min(req - fail, max(0, int(round(2.0 * self._skip))))
            success = req - fail - skip
            totals = (req, success, fail, skip, success * self._size)
            self._pair_totals[key] = totals
        return totals

    def _noise(self, draw):
        return 1.0 + self._jitter * (2.0 * draw * _SCALE - 1.0)

    def _single(self, params, d_req, d_fail, d_skip, d_size):
        """One bucket drawn on its own (a pair across a span boundary)."""
        if params is None:
            return _ZERO
        factor, rate = params
        req = max(0, int(round(self._rate * factor * self._noise(d_req))))
        if not req:
            return _ZERO
        # The failure share jitters but stays within [0, 1]: a rate of 1 fails everything.
        share = rate + rate * (1.0 - rate) * (self._noise(d_fail) - 1.0) if 0.0 < rate < 1.0 else rate
        fail = min(max(int(round(req * share)), 0), req)
        skip = min(max(int(round(self._skip * self._noise(d_skip))), 0), req - fail)
        success = req - fail - skip
        size = max(0, int(success * self._size * self._noise(d_size))) if success else 0
        return (req, success, fail, skip, size)

    def _pair(self, pair):
        """Values of the two buckets of pair number ``pair``: ((R, S, F, K, Z), (R, S, F, K, Z))."""
        first = 2 * pair
        params_a = self._params(first)
        params_b = self._params(first + 1)
        if params_a is None and params_b is None:
            return _ZERO, _ZERO
        d = self._draws(pair)
        if params_a != params_b:
            return (self._single(params_a, d[0], d[1], d[2], d[3]), self._single(params_b, d[4], d[5], d[6], d[7]))
        req, _success, fail, skip, size = self._steady_totals(*params_a)
        if not req:
            return _ZERO, _ZERO
        jitter = self._jitter
        low = req // 2
        high = req - low
        shift = int(round(low * jitter * (2.0 * d[0] * _SCALE - 1.0)))
        req_a = high + shift
        req_b = low - shift
        fail_a = int(round(fail * req_a / req * self._noise(d[1])))
        fail_a = min(max(fail_a, fail - req_b, 0), req_a, fail)
        fail_b = fail - fail_a
        skip_a = int(round(skip / 2.0 * self._noise(d[2])))
        skip_a = min(max(skip_a, skip - (req_b - fail_b), 0), req_a - fail_a, skip)
        skip_b = skip - skip_a
        success_a = req_a - fail_a - skip_a
        success_b = req_b - fail_b - skip_b
        if not success_a:
            size_a = 0
        elif not success_b:
            size_a = size
        else:
            size_a = min(max(int(round(size * success_a / (success_a + success_b) * self._noise(d[3]))), 0), size)
        return ((req_a, success_a, fail_a, skip_a, size_a), (req_b, success_b, fail_b, skip_b, size - size_a))

    def bucket(self, index):
        """(R, S, F, K, Z) of the bucket at ``index`` (relative to ``first_ms``)."""
        n = self._first_n + index
        return self._pair(n >> 1)[n & 1]

    def sums(self, lo, hi):
        """(R, S, F, K, Z) summed over bucket indexes [lo, hi) (relative to ``first_ms``)."""
        if hi <= lo:
            return _ZERO
        lo += self._first_n
        hi += self._first_n
        totals = _ZERO
        for s_lo, s_hi, factor, rate in self._spans:
            if s_hi <= lo:
                continue
            if s_lo >= hi:
                break
            a = max(lo, s_lo)
            b = min(hi, s_hi)
            parts = []
            if a & 1:  # starts on the second bucket of a pair
                parts.append((1, self._pair(a >> 1)[1]))
                a += 1
            if b > a and b & 1:  # ends on the first bucket of a pair
                parts.append((1, self._pair(b >> 1)[0]))
                b -= 1
            if b > a + 1:
                parts.append(((b - a) // 2, self._steady_totals(factor, rate)))
            for times, values in parts:
                totals = tuple(total + times * value for total, value in zip(totals, values))
        return totals

    # -- the interface used by the routes ----------------------------------------

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

    def window_total(self, data_type, start_ms, end_ms, now):
        """Sum of a type over buckets with start_ms <= timestamp < end_ms, up to now."""
        vis = self.visible_end(now)
        lo = min(self.index_at_or_after(start_ms), vis)
        hi = min(self.index_at_or_after(end_ms), vis)
        return self.sums(lo, hi)[_TYPE_INDEX[data_type]]

    def points(self, data_types, start_ms, end_ms, now, step, omit, max_points, keep):
        """Return {type: [(timestamp, value), ...]} for the statistics call.

        Output buckets are ``step`` wide, aligned to the epoch, and cover every
        5-minute bucket that overlaps [start_ms, end_ms] and is not in the future.
        ``omit`` is ``bucket`` (drop a timestamp when every type is zero there) or
        ``point`` (drop each zero value on its own). At most ``max_points`` per
        type are kept, the ``latest`` or the ``earliest`` ones.
        """
        result = {name: [] for name in data_types}
        full = dict.fromkeys(data_types, False)
        vis = self.visible_end(now)
        first_group = max(floor_bucket(start_ms, step), floor_bucket(self.first_ms, step))
        last_group = min(floor_bucket(end_ms, step), floor_bucket(self.first_ms + (vis - 1) * BUCKET_MS, step))
        if vis == 0 or end_ms < start_ms:
            return result
        groups = range(first_group, last_group + step, step)
        if keep == 'latest':
            groups = reversed(groups)
        positions = [(name, _TYPE_INDEX[name]) for name in data_types]
        first_ms = self.first_ms
        single = step == BUCKET_MS
        for group in groups:
            lo = 0 if group <= first_ms else min(-((first_ms - group) // BUCKET_MS), vis)
            hi_ms = group + step
            hi = min(-((first_ms - hi_ms) // BUCKET_MS), vis) if hi_ms > first_ms else 0
            if hi <= lo:
                continue
            values = self.bucket(lo) if single and hi == lo + 1 else self.sums(lo, hi)
            if omit == 'bucket' and not any(values):
                continue
            done = True
            for name, position in positions:
                if full[name]:
                    continue
                value = values[position]
                if omit == 'point' and value == 0:
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
        if keep == 'latest':
            for series in result.values():
                series.reverse()
        return result
