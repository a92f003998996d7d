# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The collection version, in one place (keep in step with galaxy.yml)."""

COLLECTION_VERSION = '0.1.0'
USER_AGENT = 'hwcloud.migration/%s' % COLLECTION_VERSION
