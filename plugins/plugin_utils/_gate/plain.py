# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ansible's containers to plain Python data, at the door of the gate's pure code; and the pause of the cyclic collector it needs."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import functools
import gc

# Values that are plain already: returned as they are without a call per value
# (a large gate's statistics are a million of them).  Subclasses (Ansible's
# tagged strings and containers) are not in this set and take the full path.
_PLAIN_LEAVES = frozenset((str, int, float, bool, type(None)))
_STR = frozenset((str,))


def collector_paused(function):
    """Run ``function`` with Python's cyclic garbage collector paused (as it was found afterwards).

    The gate copies and builds millions of small lists and dicts, none of them
    in a cycle; each few hundred new containers the collector would walk the
    young ones, and now and then every object of the worker (Ansible's
    variables included): most of a large evaluation's time.  Reference
    counting still frees everything as usual.
    """

    @functools.wraps(function)
    def paused(*args, **kwargs):
        if not gc.isenabled():
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            gc.enable()

    return paused


def _plain(value):
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


@collector_paused
def plain(value):
    """Copy Ansible's lazy or tagged containers and strings into plain dicts, lists and ``str``."""
    return _plain(value)
