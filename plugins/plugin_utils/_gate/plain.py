# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ansible's containers to plain Python data, at the door of the gate's pure code."""

from typing import Any

# Values that are plain already: returned as they are without a call per value
# (a large gate's statistics are a million of them).  Subclasses (Ansible's
# tagged strings and containers) are not in this set and take the full path.
_PLAIN_LEAVES = frozenset((str, int, float, bool, type(None)))
_STR = frozenset((str,))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        leaves = _PLAIN_LEAVES
        copy = {}
        for key, item in value.items():
            copy[key if type(key) in _STR else str(key)] = item if type(item) in leaves else _plain(item)
        return copy
    if isinstance(value, (list, tuple)):
        leaves = _PLAIN_LEAVES
        return [item if type(item) in leaves else _plain(item) for item in value]
    if isinstance(value, str):
        return str(value)
    return value


def plain(value: Any) -> Any:
    """Copy Ansible's lazy or tagged containers and strings into plain dicts, lists and ``str``."""
    return _plain(value)
