# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ansible's containers to plain Python data, at the door of the gate's pure code."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def plain(value):
    """Copy Ansible's lazy or tagged containers and strings into plain dicts, lists and ``str``."""
    if isinstance(value, dict):
        return dict((str(key), plain(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, str):
        return str(value)
    return value
