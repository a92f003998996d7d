# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Parsing OMS failed-object lists, one line at a time (pure: no Ansible, no requests).

OMS documents the fields of a line (error code, time in the region's time
zone, the key URL-encoded, the key decoded, the source SDK's error message)
but shows the layout only as a picture, so nothing here depends on one:

* the delimiter is found per line: a tab when the line holds one, else a
  comma or a space, whichever follows the error code;
* the time is the next field; with spaces as delimiter it may be two or
  three tokens (``2024-03-09 15:05:03 +08:00``);
* the encoded key is one token (encoding leaves no delimiter in it); the
  decoded key is known from it, so a decoded key holding the delimiter is
  found whole, and everything after it is the message;
* a first line that is not an entry but names fields (``code``, ``key``) is
  a header and skipped; blank lines are skipped;
* any other line that does not fit is kept as it is, with its line number,
  and counted: it is never dropped and never guessed at.

:func:`parse_lines` takes an iterable of byte lines (a file object, a
``BytesIO`` over the body) and keeps only what it returns: the count per
code, the first ``max_objects`` entries and unparsable lines.  A list of
100,000 lines is not held twice.
"""

import re
from typing import Any, Dict, Iterable, List, Optional
from urllib.parse import unquote, unquote_plus

_CODE_RE = re.compile(r'^[A-Z][A-Z0-9_]*[A-Z0-9]$')
# The parts after a date when a space separates the fields: a clock time, then maybe a zone.
_CLOCK_RE = re.compile(r'^\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?$')
_ZONE_RE = re.compile(r'^(?:[+-]\d{2}:?\d{2}|UTC|GMT|Z|CST|UTC[+-]\d{1,2}(?::?\d{2})?)$')
_HEADER_WORDS = ('code', 'key', 'time', 'error')
MAX_LINE_TEXT = 512


class FailedList:
    """What :func:`parse_lines` found in one or more list files (see the module docstring)."""

    def __init__(self, max_objects: int) -> None:
        self.max_objects = max_objects
        self.counts: Dict[str, int] = {}
        self.objects: List[Dict[str, Any]] = []
        self.unparsable: List[Dict[str, Any]] = []
        self.unparsable_count = 0
        self.total = 0
        #: The number of the last line :func:`parse_lines` read (0 before any).
        self.last_line = 0

    def as_dict(self) -> Dict[str, Any]:
        """The counts, entries and unparsable lines as plain data (the codes sorted)."""
        return {
            'counts': dict(sorted(self.counts.items())),
            'total': self.total,
            'objects': self.objects,
            'unparsable': self.unparsable,
            'unparsable_count': self.unparsable_count,
        }


def _split_time(rest: str, delimiter: str):
    if delimiter != ' ':
        when, _sep, rest = rest.partition(delimiter)
        return when.strip(), rest
    tokens = rest.split(' ', 3)
    taken = 1
    if len(tokens) > taken and _CLOCK_RE.match(tokens[taken]):
        taken += 1
    if len(tokens) > taken and _ZONE_RE.match(tokens[taken]):
        taken += 1
    return ' '.join(tokens[:taken]), rest.split(' ', taken)[taken] if len(tokens) > taken else ''


def _decodings(encoded):
    # Most keys need no decoding; a "+" may be a space (form encoding) or itself.
    if '%' not in encoded and '+' not in encoded:
        return (encoded,)
    first = unquote(encoded)
    return (first, unquote_plus(encoded)) if '+' in encoded else (first,)


def parse_line(text: str) -> Optional[Dict[str, str]]:
    """One entry (``code``, ``time``, ``key``, ``key_encoded``, ``message``), or None when the line does not fit."""
    if '\t' in text:
        delimiter = '\t'
    else:
        found = re.match(r'^[A-Z0-9_]+([, ])', text)
        if not found:
            return None
        delimiter = found.group(1)
    code, _sep, rest = text.partition(delimiter)
    code = code.strip()
    if not _CODE_RE.match(code):
        return None
    when, rest = _split_time(rest, delimiter)
    encoded, sep, rest = rest.partition(delimiter)
    encoded = encoded.strip()
    if not when or not encoded or not sep:
        return None
    for key in _decodings(encoded):
        if rest == key:
            return {'code': code, 'time': when, 'key': key, 'key_encoded': encoded, 'message': ''}
        if rest.startswith(key + delimiter):
            return {'code': code, 'time': when, 'key': key, 'key_encoded': encoded, 'message': rest[len(key) + 1 :].strip()}
    return None


def _is_header(text: str) -> bool:
    lowered = text.lower()
    return not _CODE_RE.match(re.split(r'[\t, ]', text, maxsplit=1)[0]) and sum(word in lowered for word in _HEADER_WORDS) >= 2


def parse_lines(
    lines: Iterable[bytes], *, max_objects: int, source: Optional[str] = None, into: Optional[FailedList] = None, first_line: int = 1
) -> FailedList:
    """Parse byte lines of a list file into ``into`` (or a new :class:`FailedList`).

    ``source`` names the file in each entry; ``first_line`` is the number of
    the first of ``lines`` in it (a file read in parts goes on where the last
    part ended: ``found.last_line + 1``).
    """
    found = into if into is not None else FailedList(max_objects)
    for number, raw in enumerate(lines, first_line):
        found.last_line = number
        try:
            text = raw.decode('utf-8')
        except UnicodeDecodeError:
            text = None
        if text is not None:
            text = text.rstrip('\r\n')
            if number == 1:
                text = text.lstrip('\ufeff')
            if not text.strip():
                continue
            entry = parse_line(text)
            if entry is None and number == 1 and _is_header(text):
                continue
        else:
            entry = None
        if entry is None:
            found.unparsable_count += 1
            if len(found.unparsable) < found.max_objects:
                shown = text if text is not None else raw.decode('utf-8', 'replace').rstrip('\r\n')
                found.unparsable.append({'file': source, 'line': number, 'text': shown[:MAX_LINE_TEXT]})
            continue
        found.total += 1
        found.counts[entry['code']] = found.counts.get(entry['code'], 0) + 1
        if len(found.objects) < found.max_objects:
            entry['file'] = source
            entry['line'] = number
            found.objects.append(entry)
    return found
