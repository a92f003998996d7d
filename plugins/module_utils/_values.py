# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Decoding a JSON answer into values the rest of the collection can hold.

:func:`decode_json` refuses, with a message saying what is wrong, a body
that Python's ``json`` would decode into something that later crashes a
summary, the module's own output or the controller's evaluation: a number
too large for a 64-bit integer (the API's ``Long``) or for a float (``1e400``,
``Infinity``, ``NaN``), nesting deeper than :data:`MAX_DEPTH`, and strings
that are not valid Unicode (a lone surrogate such as ``"\\ud800"``).
"""

import json
import math
import re

# The API's integers are Long (signed 64 bits); no answer of it nests deeper than a handful of levels.
MAX_INT = 2**63 - 1
MAX_DEPTH = 64
# Digits of an integer literal read at most (int() of a longer one is refused before it is parsed).
_MAX_DIGITS = 20


class UnusableValueError(ValueError):
    """A JSON body holding a value the collection cannot hold; the message says which and why."""


def _parse_int(text):
    digits = text.lstrip('-')
    if len(digits) > _MAX_DIGITS or abs(int(text)) > MAX_INT:
        raise UnusableValueError('the answer holds the integer %s, outside a 64-bit integer' % _short(text))
    return int(text)


def _parse_float(text):
    value = float(text)
    if math.isinf(value) or math.isnan(value):
        raise UnusableValueError('the answer holds the number %s, too large for a floating-point number' % _short(text))
    return value


def _parse_constant(text):
    raise UnusableValueError('the answer holds %s, which is not a JSON number' % text)


def _short(text):
    return text if len(text) <= 24 else '%s... (%d digits)' % (text[:12], len(text))


def _check_text(text):
    try:
        text.encode('utf-8')
    except UnicodeEncodeError:
        raise UnusableValueError('the answer holds a string that is not valid Unicode (a lone surrogate such as \\ud800)')


def check_values(value: object) -> None:
    """Raise :class:`UnusableValueError` when ``value`` (decoded JSON) nests too deep or holds invalid text."""
    stack = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise UnusableValueError('the answer nests deeper than %d levels' % MAX_DEPTH)
        if isinstance(current, dict):
            for key, item in current.items():
                _check_text(key)
                stack.append((item, depth + 1))
        elif isinstance(current, list):
            stack.extend((item, depth + 1) for item in current)
        elif isinstance(current, str):
            _check_text(current)


def decode_json(text: str) -> object:
    """The value of the JSON document ``text`` (a str); :class:`UnusableValueError` when unusable, ``ValueError`` when not JSON."""
    try:
        value = json.loads(text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_parse_constant)
    except RecursionError:
        raise UnusableValueError('the answer nests deeper than %d levels' % MAX_DEPTH)
    check_values(value)
    return value


# The shared predicates and text rules: every package imports these instead of keeping its own copy.

# Characters no one-line value (an id, a status, a header) may hold: C0 and C1
# controls, DEL, and the Unicode line and paragraph separators.
CONTROL_CHARACTERS = re.compile('[\x00-\x1f\x7f-\x9f\u2028\u2029]')
# Characters XML 1.0 cannot hold (the JUnit report and the fleet's XML).
XML_INVALID = re.compile('[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]')


def is_integer(value: object) -> bool:
    """An int that is not a bool (``True`` is no count of 1)."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_count(value: object) -> bool:
    """An integer of 0 or more."""
    return is_integer(value) and value >= 0


def is_number(value: object) -> bool:
    """An int or float that is not a bool."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_one_line(value: object) -> bool:
    """A non-empty string without a control character."""
    return isinstance(value, str) and value != '' and not CONTROL_CHARACTERS.search(value)


def xml_safe(value: object) -> str:
    """``value`` as text XML 1.0 can carry: each character it cannot, even escaped, becomes U+FFFD.

    The one XML rule of the collection: the gate's JUnit report, its HTML page
    and the fleet's reports all write text through it.
    """
    return XML_INVALID.sub('\ufffd', '' if value is None else str(value))
