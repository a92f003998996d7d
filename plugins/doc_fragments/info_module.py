# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What every read-only info module of the collection shares: the contract check option and its attributes."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type


class ModuleDocFragment(object):

    DOCUMENTATION = r"""
options:
  strict_contract:
    description:
      - Fail the task when a response does not match the API contract, instead of warning.
      - The contract is the collection's JSON Schemas of the API responses; fields the API
        adds over time are allowed either way.
    type: bool
    default: false
attributes:
  check_mode:
    support: full
    description: The module only reads; it behaves the same in check mode.
  diff_mode:
    support: none
    description: Nothing is changed, so there is nothing to diff.
"""
