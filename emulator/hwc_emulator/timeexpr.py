"""Time expressions used in scenarios.

A point in time is ``now``, an offset from now (``-30d``, ``-2h30m``, ``+1h``), an
ISO 8601 timestamp (``2024-05-01T00:00:00Z``) or an integer of epoch milliseconds.
A duration is ``24h``, ``15m``, ``90s``, ``500ms``, ``1d12h`` or a number of seconds.
Offsets resolve against the emulator's clock when the scenario is loaded.
"""

import re
import time
from datetime import datetime, timezone

_UNIT_MS = {'ms': 1, 's': 1000, 'm': 60000, 'h': 3600000, 'd': 86400000, 'w': 604800000}
_PART = r'(\d+(?:\.\d+)?)(ms|s|m|h|d|w)'
_DURATION = re.compile('(?:%s)+' % _PART)


class TimeExprError(ValueError):
    """A time or duration expression that cannot be read."""


def now_ms():
    """The emulator's clock in epoch milliseconds."""
    return int(time.time() * 1000)


def parse_duration_ms(value):
    """Return a duration in milliseconds from ``'15m'``, ``'1d12h'`` or seconds."""
    if isinstance(value, bool):
        raise TimeExprError('not a duration: %r' % (value,))
    if isinstance(value, (int, float)):
        return int(value * 1000)
    text = str(value).strip().lower()
    if not text:
        raise TimeExprError('empty duration')
    if not _DURATION.fullmatch(text):
        raise TimeExprError('not a duration: %r' % (value,))
    return int(sum(float(number) * _UNIT_MS[unit] for number, unit in re.findall(_PART, text)))


def parse_time_ms(value, now):
    """Return epoch milliseconds for a point-in-time expression, relative to ``now``."""
    if isinstance(value, bool):
        raise TimeExprError('not a time: %r' % (value,))
    if isinstance(value, (int, float)):
        return int(value)
    text = str(value).strip()
    if isinstance(value, datetime):
        parsed = value
    elif text.lower() == 'now':
        return now
    elif text[:1] in '+-' and text[1:2].isdigit():
        return now + (-1 if text[0] == '-' else 1) * parse_duration_ms(text[1:])
    elif text.isdigit():
        return int(text)
    else:
        try:
            parsed = datetime.fromisoformat(text.replace('Z', '+00:00'))
        except ValueError:
            raise TimeExprError('not a time: %r' % (value,))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return int(parsed.timestamp() * 1000)


def iso_utc(ms):
    """Format epoch milliseconds the way IAM writes ``expires_at``."""
    stamp = datetime.fromtimestamp(ms / 1000.0, tz=timezone.utc)
    return stamp.strftime('%Y-%m-%dT%H:%M:%S.%fZ')


def month_bounds_ms(ms):
    """Return the UTC calendar month [start, end) containing ``ms``."""
    stamp = datetime.fromtimestamp(ms / 1000.0, tz=timezone.utc)
    start = datetime(stamp.year, stamp.month, 1, tzinfo=timezone.utc)
    end = datetime(stamp.year + stamp.month // 12, stamp.month % 12 + 1, 1, tzinfo=timezone.utc)
    return int(start.timestamp() * 1000), int(end.timestamp() * 1000)
