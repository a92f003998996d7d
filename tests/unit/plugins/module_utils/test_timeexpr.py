# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.hwcloud.migration.plugins.module_utils import _timeexpr
from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import TimeExpressionError, ms_to_iso, parse_duration, parse_time, resolve_window

# 2023-11-16T16:00:00Z, the first bucket of the seed statistics example:
# 1700150400 s = 19677 days (1970-01-01 + 19677 d = 2023-11-16) + 57600 s (16 h).
NOW = 1700150400000
MINUTE = 60 * 1000
HOUR = 60 * MINUTE
DAY = 24 * HOUR


@pytest.mark.parametrize(
    'value, expected',
    [
        (NOW, NOW),
        (str(NOW), NOW),
        (' %d ' % NOW, NOW),
        (float(NOW), NOW),
        ('now', NOW),
        ('NOW', NOW),
        ('-90s', NOW - 90 * 1000),
        ('-15m', NOW - 15 * MINUTE),
        ('-2h', NOW - 2 * HOUR),
        ('-7d', NOW - 7 * DAY),
        ('-1w', NOW - 7 * DAY),
        ('-500ms', NOW - 500),
        ('-1h30m', NOW - 90 * MINUTE),
        ('- 15m', NOW - 15 * MINUTE),
        ('-15M', NOW - 15 * MINUTE),
    ],
)
def test_parse_time_accepts(value, expected):
    assert parse_time(value, now=NOW) == expected


@pytest.mark.parametrize(
    'value, expected',
    [
        ('2023-11-16T16:00:00Z', NOW),
        ('2023-11-16T16:00:00z', NOW),
        ('2023-11-16T16:00Z', NOW),
        ('2023-11-16 16:00:00Z', NOW),
        ('2023-11-16T16:00:00.250Z', NOW + 250),
        # digits after milliseconds are dropped, not rounded
        ('2023-11-16T16:00:00.2509Z', NOW + 250),
        ('2023-11-16T16:00:00.5Z', NOW + 500),
        ('2023-11-16T18:00:00+02:00', NOW),
        ('2023-11-16T18:00:00+0200', NOW),
        ('2023-11-16T18:00:00+02', NOW),
        ('2023-11-16T10:30:00-05:30', NOW),
        ('2023-11-17T00:00:00+08:00', NOW),
    ],
)
def test_parse_time_iso(value, expected):
    assert parse_time(value, now=0) == expected


def test_now_defaults_to_the_clock(monkeypatch):
    monkeypatch.setattr(_timeexpr.time, 'time', lambda: 1700000000.123)
    assert parse_time('now') == 1700000000123
    assert parse_time('-1m') == 1700000000123 - MINUTE


@pytest.mark.parametrize('value', [1700000000, '1700000000', 0, 99999999999])
def test_seconds_are_refused_with_a_hint(value):
    with pytest.raises(TimeExpressionError) as exc:
        parse_time(value, name='start_time')
    message = str(exc.value)
    assert message.startswith('start_time:')
    assert 'looks like seconds' in message
    assert 'multiply' in message and '1000' in message


def test_seconds_hint_gives_the_corrected_value():
    with pytest.raises(TimeExpressionError, match='1700000000000'):
        parse_time(1700000000)


def test_smallest_plausible_milliseconds_is_accepted():
    assert parse_time(10**11) == 10**11


@pytest.mark.parametrize('value', [1700000000000000, '1700000000000000000'])
def test_micro_and_nanoseconds_are_refused(value):
    with pytest.raises(TimeExpressionError, match='micro- or nanoseconds'):
        parse_time(value)


@pytest.mark.parametrize('value', [-1, '-1700000000000'])
def test_negative_is_refused(value):
    with pytest.raises(TimeExpressionError, match='negative'):
        parse_time(value)


@pytest.mark.parametrize('value', ['2023-11-16T16:00:00', '2023-11-16T16:00', '2023-11-16 16:00:00.123', '2023-11-16'])
def test_naive_iso_is_refused(value):
    with pytest.raises(TimeExpressionError, match='no time zone'):
        parse_time(value, name='end_time')


def test_date_without_time_is_refused():
    with pytest.raises(TimeExpressionError, match='no time of day'):
        parse_time('2023-11-16Z')


@pytest.mark.parametrize('value', ['+1h', '+15m'])
def test_future_offsets_are_refused(value):
    with pytest.raises(TimeExpressionError, match='future'):
        parse_time(value, now=NOW)


def test_unsigned_duration_is_refused_as_a_time():
    with pytest.raises(TimeExpressionError, match='"-15m"'):
        parse_time('15m', now=NOW)


@pytest.mark.parametrize(
    'value',
    [
        'yesterday',
        '',
        '   ',
        '-15x',
        '15 minutes ago',
        '2023-13-01T00:00:00Z',
        '2023-02-30T00:00:00Z',
        '2023-11-16T16:00:00+25:00',
        None,
        True,
        [NOW],
        1.5e12 + 0.5,
        float('nan'),
    ],
)
def test_garbage_is_refused(value):
    with pytest.raises(TimeExpressionError):
        parse_time(value, now=NOW)


def test_offset_before_epoch_is_refused():
    with pytest.raises(TimeExpressionError, match='before 1970'):
        parse_time('-1d', now=1000)


def test_iso_before_epoch_is_refused():
    with pytest.raises(TimeExpressionError, match='before 1970'):
        parse_time('1969-12-31T23:59:59Z')


def test_error_is_a_value_error():
    assert issubclass(TimeExpressionError, ValueError)


@pytest.mark.parametrize(
    'value, expected',
    [
        ('90s', 90 * 1000),
        ('90m', 90 * MINUTE),
        ('1h', HOUR),
        ('7d', 7 * DAY),
        ('2w', 14 * DAY),
        ('250ms', 250),
        ('1h30m', 90 * MINUTE),
        (' 1H ', HOUR),
        ('1d 12h', 36 * HOUR),
    ],
)
def test_parse_duration(value, expected):
    assert parse_duration(value) == expected


@pytest.mark.parametrize(
    'value, match',
    [
        ('60', 'no unit'),
        (60, 'not a duration'),
        ('-1h', 'signed'),
        ('0m', 'zero'),
        ('1 hour', 'not a duration'),
        ('', 'not a duration'),
        (None, 'not a duration'),
        (True, 'not a duration'),
    ],
)
def test_parse_duration_refuses(value, match):
    with pytest.raises(TimeExpressionError, match=match):
        parse_duration(value, name='migration_health_window')


def test_parse_duration_names_the_option():
    with pytest.raises(TimeExpressionError, match='^migration_health_window:'):
        parse_duration('soon', name='migration_health_window')


def test_resolve_window_defaults_share_one_now():
    assert resolve_window('-1h', 'now', now=NOW) == (NOW - HOUR, NOW)


def test_resolve_window_mixed_forms():
    assert resolve_window('2023-11-16T15:00:00Z', NOW, now=0) == (NOW - HOUR, NOW)


def test_resolve_window_equal_bounds_is_allowed():
    assert resolve_window(NOW, NOW) == (NOW, NOW)


def test_resolve_window_refuses_start_after_end():
    with pytest.raises(TimeExpressionError) as exc:
        resolve_window('now', '-1h', now=NOW)
    message = str(exc.value)
    assert 'start_time' in message and 'is after' in message and 'end_time' in message
    assert '2023-11-16T16:00:00.000Z' in message


def test_resolve_window_validates_each_bound_with_its_name():
    with pytest.raises(TimeExpressionError, match='^end_time:.*seconds'):
        resolve_window('-1h', 1700000000, now=NOW)


def test_resolve_window_uses_the_clock_once(monkeypatch):
    calls = []

    def fake_time():
        calls.append(1)
        return NOW / 1000.0 + len(calls)

    monkeypatch.setattr(_timeexpr.time, 'time', fake_time)
    start, end = resolve_window('-1h', 'now')
    assert end - start == HOUR
    assert len(calls) == 1


@pytest.mark.parametrize(
    'value, expected',
    [
        (NOW, '2023-11-16T16:00:00.000Z'),
        (NOW + 7, '2023-11-16T16:00:00.007Z'),
        (1700188200000, '2023-11-17T02:30:00.000Z'),
        (0, '1970-01-01T00:00:00.000Z'),
        (None, None),
    ],
)
def test_ms_to_iso(value, expected):
    assert ms_to_iso(value) == expected


def test_ms_to_iso_round_trips():
    for value in (NOW, NOW + 999, 1717243199999):
        assert parse_time(ms_to_iso(value)) == value
