# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Time expressions for the hwcloud.migration modules and filters.

Every Huawei Cloud API this collection calls takes times as milliseconds since
the Unix epoch, so everything here resolves to an ``int`` of epoch milliseconds.

A *time expression* is one of:

* an ``int`` (or a string of digits): milliseconds since the epoch;
* ``now``;
* a signed offset from now: ``-90s``, ``-15m``, ``-2h``, ``-7d``, ``-1w``, also
  compound (``-1h30m``) and ``-500ms``.  Only offsets into the past (``-``) are
  accepted: every API here reports what already happened, so ``+1h`` is almost
  certainly a typo and is refused rather than silently querying an empty future;
* an ISO 8601 date-time **with** a zone: ``2024-05-01T12:00:00Z``,
  ``2024-05-01T14:00:00.250+02:00``.  A time without a zone is refused, because
  the controller's and the remote host's local zones may differ.

Integers below ``1e11`` (before 1973-03-03 as milliseconds) are refused because
they are far more likely to be seconds (``date +%s`` prints 10 digits); integers
of ``1e14`` and above (after year 5138) are refused as probably micro- or
nanoseconds.  Negative values are refused.

This file is plain Python (no Ansible objects) so the modules, the role's filter
plugin and the tests share it.  Keep it Python 3.8 compatible.
"""

import math
import re
import time
from datetime import datetime, timedelta, timezone

MS_PER_UNIT = {'ms': 1, 's': 1000, 'm': 60 * 1000, 'h': 60 * 60 * 1000, 'd': 24 * 60 * 60 * 1000, 'w': 7 * 24 * 60 * 60 * 1000}

# Below this an integer is "plausibly seconds": 1e11 ms is 1973-03-03, 1e11 s is
# the year 5138, and 10-digit second timestamps (2001..2286) all fall under it.
SECONDS_THRESHOLD = 10**11
# At or above this an integer is "plausibly microseconds or nanoseconds".
MICROSECONDS_THRESHOLD = 10**14

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
# The epoch ms a datetime can show: 0001-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z.
MIN_EPOCH_MS = -62135596800000
MAX_EPOCH_MS = 253402300799999

_DURATION_PART = r'(\d+)\s*(ms|s|m|h|d|w)'
_DURATION_RE = re.compile(r'^(?:%s\s*)+$' % _DURATION_PART)
_DURATION_PART_RE = re.compile(_DURATION_PART)
_OFFSET_RE = re.compile(r'^([+-])\s*(.+)$')
_DIGITS_RE = re.compile(r'^[+-]?\d+$')
_ISO_RE = re.compile(
    r'^(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})'
    r'(?:[Tt ](?P<hour>\d{2}):(?P<minute>\d{2})'
    r'(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d+))?)?)?'
    r'\s*(?P<zone>[Zz]|[+-]\d{2}(?::?\d{2})?)?$'
)


class TimeExpressionError(ValueError):
    """A time expression or duration that cannot be resolved; the message says why."""


def now_ms():
    """Return the current time as integer milliseconds since the epoch (UTC)."""
    return int(time.time() * 1000)


def _check_epoch_ms(value, name):
    """Apply the plausibility rules to an integer that claims to be epoch ms."""
    if value < 0:
        raise TimeExpressionError(
            '%s: %d is negative; give milliseconds since the epoch, "now", an offset such as "-15m" or an ISO 8601 time with a zone' % (name, value)
        )
    if value < SECONDS_THRESHOLD:
        raise TimeExpressionError('%s: %d looks like seconds since the epoch, not milliseconds; multiply it by 1000 (%d)' % (name, value, value * 1000))
    if value >= MICROSECONDS_THRESHOLD:
        raise TimeExpressionError(
            '%s: %d is after the year 5000 as milliseconds; it looks like micro- or nanoseconds since the epoch, give milliseconds' % (name, value)
        )
    return value


def parse_duration(value, name='duration'):
    """Parse a duration such as ``90s``, ``15m``, ``1h30m`` or ``7d`` to milliseconds.

    Units: ``ms``, ``s``, ``m``, ``h``, ``d``, ``w``.  A bare number is refused
    because its unit would be a guess.  The result must be greater than zero.
    Raises ``TimeExpressionError``.
    """
    if isinstance(value, bool) or not isinstance(value, str):
        raise TimeExpressionError('%s: %r is not a duration; give a number with a unit, such as "90s", "15m", "1h" or "7d"' % (name, value))
    text = value.strip().lower()
    if _DIGITS_RE.match(text):
        raise TimeExpressionError('%s: %r has no unit; write for example "%ss" or "%sm"' % (name, value, text.lstrip('+'), text.lstrip('+')))
    if text.startswith(('-', '+')):
        raise TimeExpressionError('%s: %r is signed; a duration is a length of time such as "1h"' % (name, value))
    if not _DURATION_RE.match(text):
        raise TimeExpressionError(
            '%s: %r is not a duration; give a number with a unit (ms, s, m, h, d, w), such as "90s", "15m", "1h30m" or "7d"' % (name, value)
        )
    total = 0
    for amount, unit in _DURATION_PART_RE.findall(text):
        total += int(amount) * MS_PER_UNIT[unit]
    if total <= 0:
        raise TimeExpressionError('%s: %r is zero; give a positive duration' % (name, value))
    return total


def _parse_iso(text, match, name):
    if match.group('zone') is None:
        raise TimeExpressionError(
            '%s: %r has no time zone; add "Z" for UTC or an offset such as "+02:00" (a time without a zone depends on where the task runs)' % (name, text)
        )
    if match.group('hour') is None:
        # A date with a zone but no time ("2024-05-01Z") is not an ISO 8601 date-time.
        raise TimeExpressionError('%s: %r has no time of day; write for example "%sT00:00:00Z"' % (name, text, text[:10]))
    zone = match.group('zone')
    if zone in ('Z', 'z'):
        offset = timedelta(0)
    else:
        digits = zone[1:].replace(':', '')
        zone_hours = int(digits[:2])
        zone_minutes = int(digits[2:] or '0')
        if zone_hours > 23 or zone_minutes > 59:
            raise TimeExpressionError('%s: %r has an invalid zone offset %r' % (name, text, zone))
        offset = timedelta(hours=zone_hours, minutes=zone_minutes)
        if zone[0] == '-':
            offset = -offset
    fraction = match.group('fraction') or '0'
    # Milliseconds are the API's precision: digits after the third are dropped.
    microseconds = int((fraction + '000000')[:6])
    try:
        moment = datetime(
            int(match.group('year')),
            int(match.group('month')),
            int(match.group('day')),
            int(match.group('hour')),
            int(match.group('minute')),
            int(match.group('second') or '0'),
            microseconds,
            tzinfo=timezone(offset),
        )
    except ValueError as exc:
        raise TimeExpressionError('%s: %r is not a valid date-time: %s' % (name, text, exc))
    delta = moment - _EPOCH
    millis = delta.days * 86400000 + delta.seconds * 1000 + delta.microseconds // 1000
    if millis < 0:
        raise TimeExpressionError('%s: %r is before 1970-01-01T00:00:00Z' % (name, text))
    return millis


def parse_time(value, now=None, name='time'):
    """Resolve a time expression to integer milliseconds since the epoch.

    ``value`` is an ``int`` of epoch milliseconds, or a string: digits, ``now``,
    a past offset such as ``-15m``, or an ISO 8601 date-time with a zone.
    ``now`` is the reference time in epoch ms for ``now`` and offsets (the
    current time when ``None``; tests inject it).  ``name`` is used in error
    messages (the option's name).  Raises ``TimeExpressionError``.
    """
    if isinstance(value, bool) or value is None:
        raise TimeExpressionError(
            '%s: %r is not a time; give milliseconds since the epoch, "now", an offset such as "-15m" or an ISO 8601 time with a zone' % (name, value)
        )
    if isinstance(value, int):
        return _check_epoch_ms(value, name)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value) or not value.is_integer():
            raise TimeExpressionError('%s: %r is not a whole number of milliseconds' % (name, value))
        return _check_epoch_ms(int(value), name)
    if not isinstance(value, str):
        raise TimeExpressionError('%s: %r (%s) is not a time expression' % (name, value, type(value).__name__))

    text = value.strip()
    if not text:
        raise TimeExpressionError('%s: the time expression is empty' % name)
    if _DIGITS_RE.match(text):
        return _check_epoch_ms(int(text), name)
    if text.lower() == 'now':
        return now_ms() if now is None else now

    offset = _OFFSET_RE.match(text)
    if offset and _DURATION_RE.match(offset.group(2).strip().lower()):
        if offset.group(1) == '+':
            raise TimeExpressionError('%s: %r is in the future; offsets look back from now, write "-%s"' % (name, value, offset.group(2).strip()))
        reference = now_ms() if now is None else now
        resolved = reference - parse_duration(offset.group(2), name=name)
        if resolved < 0:
            raise TimeExpressionError('%s: %r reaches back before 1970' % (name, value))
        return resolved
    if _DURATION_RE.match(text.lower()):
        raise TimeExpressionError('%s: %r is a duration, not a time; write "-%s" for that long before now' % (name, value, text))

    iso = _ISO_RE.match(text)
    if iso:
        return _parse_iso(text, iso, name)
    raise TimeExpressionError(
        '%s: %r is not a time expression; give milliseconds since the epoch, "now", '
        'an offset such as "-15m", "-2h" or "-7d", or an ISO 8601 time with a zone '
        'such as "2024-05-01T12:00:00Z"' % (name, value)
    )


def resolve_window(start, end, now=None, start_name='start_time', end_name='end_time'):
    """Resolve a ``(start, end)`` pair of time expressions to epoch milliseconds.

    Both are resolved against the same ``now`` so ``-1h`` and ``now`` describe
    exactly one hour.  A start after the end is refused; an equal start and end
    (an empty window) is allowed.  Returns ``(start_ms, end_ms)``.
    Raises ``TimeExpressionError``.
    """
    reference = now_ms() if now is None else now
    start_ms = parse_time(start, now=reference, name=start_name)
    end_ms = parse_time(end, now=reference, name=end_name)
    if start_ms > end_ms:
        raise TimeExpressionError('%s (%s) is after %s (%s); the window must run forwards' % (start_name, ms_to_iso(start_ms), end_name, ms_to_iso(end_ms)))
    return start_ms, end_ms


def ms_to_iso(ms):
    """Format epoch milliseconds as ISO 8601 UTC with millisecond precision.

    ``1700150400000`` becomes ``2023-11-16T16:00:00.000Z``.  ``None`` gives ``None``
    so optional timestamps can be passed straight through.
    """
    if ms is None:
        return None
    if not MIN_EPOCH_MS <= int(ms) <= MAX_EPOCH_MS:
        # datetime holds the years 1 to 9999 only; the caller says what the time is instead.
        raise ValueError('%d ms since the epoch is outside the years 1 to 9999' % int(ms))
    moment = _EPOCH + timedelta(milliseconds=int(ms))
    return moment.strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (moment.microsecond // 1000)
