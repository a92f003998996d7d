"""The time-series generator on its own."""

from hwc_emulator.series import BUCKET_MS, HOUR_MS, Series, SeriesSpec

NOW = 1700000000000 - 1700000000000 % BUCKET_MS + 12345


def spec(**kwargs):
    values = dict(seed='s', start_ms=NOW - 2 * 86400000)
    values.update(kwargs)
    return SeriesSpec(**values)


def test_same_seed_same_series_and_longer_horizon_keeps_the_past():
    short = Series(spec(), NOW)
    longer = Series(spec(), NOW + 6 * HOUR_MS)
    assert longer.count > short.count
    assert [short.bucket(i) for i in range(short.count)] == [longer.bucket(i) for i in range(short.count)]
    other = Series(spec(seed='other'), NOW)
    assert [other.bucket(i)[0] for i in range(other.count)] != [short.bucket(i)[0] for i in range(short.count)]


def test_future_buckets_are_invisible():
    series = Series(spec(), NOW + 6 * HOUR_MS)
    points = series.points(['REQUEST'], NOW - HOUR_MS, NOW + 5 * HOUR_MS, NOW, BUCKET_MS, 'bucket', 1000, 'latest')
    assert points['REQUEST'][-1][0] <= NOW


def test_burst_and_gap():
    series = Series(spec(failure_rate=0.0, jitter=0.0, bursts=[(NOW - HOUR_MS, NOW + 1, 1.0, 1.0)], gaps=[(NOW - 10 * HOUR_MS, NOW - 9 * HOUR_MS)]), NOW)
    assert series.window_total('FAILURE', NOW - 2 * HOUR_MS, NOW - HOUR_MS - BUCKET_MS, NOW) == 0
    assert series.window_total('FAILURE', NOW - HOUR_MS, NOW + 1, NOW) == series.window_total('REQUEST', NOW - HOUR_MS, NOW + 1, NOW) > 0
    assert series.window_total('REQUEST', NOW - 10 * HOUR_MS, NOW - 9 * HOUR_MS, NOW) == 0


def test_point_mode_omits_zero_values_per_type():
    series = Series(spec(failure_rate=0.0), NOW)
    points = series.points(['REQUEST', 'FAILURE'], NOW - HOUR_MS, NOW, NOW, BUCKET_MS, 'point', 1000, 'latest')
    assert points['FAILURE'] == [] and len(points['REQUEST']) == 13


def test_hourly_rollup_equals_five_minute_sum():
    series = Series(spec(), NOW)
    hourly = series.points(['SIZE'], NOW - 5 * HOUR_MS, NOW, NOW, HOUR_MS, 'bucket', 1000, 'latest')['SIZE']
    fine = series.points(['SIZE'], NOW - 5 * HOUR_MS, NOW, NOW, BUCKET_MS, 'bucket', 1000, 'latest')['SIZE']
    hour = hourly[1][0]
    assert hourly[1][1] == sum(v for ts, v in fine if hour <= ts < hour + HOUR_MS)
