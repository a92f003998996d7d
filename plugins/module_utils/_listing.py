# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Paging through an OMS listing (``limit``/``offset``/``count``) to its end, or to the API's cap.

OMS listings take ``limit`` 1..100 and ``offset`` 0..10000, so at most 10100
items can be read; when a listing holds more, :func:`list_all` says so (the
caller warns and reports the listing as truncated) instead of pretending it
saw everything.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.hwcloud.migration.plugins.module_utils._errors import HuaweiCloudError

PAGE_SIZE = 100
MAX_OFFSET = 10000


class Listing:
    """What :func:`list_all` read: ``items`` (deduplicated, in listing order), ``count`` and ``truncated``."""

    def __init__(self, items, count, truncated):
        self.items = items
        self.count = count
        self.truncated = truncated


def list_all(module, report, path, query, items_key, id_key, schema_name, noun):
    """Read every page of the listing at ``path`` with ``query`` (filters), 100 items a page.

    Each page is contract-checked with ``schema_name`` through ``report`` (a
    ``ContractReport``).  An item seen twice (the listing moved while it was
    paged) is kept once, by ``id_key``.  Stops when ``count`` items were read,
    a page comes back empty, or the next offset would pass the API's cap; in
    the last case the returned listing is ``truncated`` and a warning names
    how many items were not read.  An API error fails the module, naming the
    ``noun`` and the offset.
    """
    items = []
    seen = set()
    offset = 0
    count = None
    truncated = False
    while True:
        page_query = dict(query)
        page_query.update(limit=PAGE_SIZE, offset=offset)
        try:
            body, meta = module.client.get_json(path, query=page_query)
        except HuaweiCloudError as err:
            module.fail_from_error(err, msg='Could not list %s (offset %d)' % (noun, offset), offset=offset)
        report.check(schema_name, body, '%s listing at offset %d' % (noun, offset), meta)
        page = body.get(items_key) if isinstance(body, dict) else None
        page = page if isinstance(page, list) else []
        if isinstance(body, dict) and isinstance(body.get('count'), int) and not isinstance(body.get('count'), bool):
            count = body['count']
        for item in page:
            key = item.get(id_key) if isinstance(item, dict) else None
            if key is not None:
                if key in seen:
                    continue
                seen.add(key)
            items.append(item)
        offset += len(page)
        if not page or count is None or offset >= count:
            break
        if offset > MAX_OFFSET:
            truncated = True
            module.warn('The OMS API lists at most %d %s (offset up to %d); %d of %d were not read. '
                        'Narrow the listing with its filters, or read the rest by ID.'
                        % (MAX_OFFSET + PAGE_SIZE, noun, MAX_OFFSET, count - offset, count))
            break
    return Listing(items, count, truncated)
