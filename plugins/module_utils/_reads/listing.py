# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Paged listings, read to the end and checked to add up (:func:`list_all`)."""

from typing import Any, List, NamedTuple, Optional

from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.answers import kind_of
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.base import ReadError, report_problem
from ansible_collections.hwcloud.migration.plugins.module_utils._values import is_number

# A listing page holds at most this many items, and the API refuses offsets above MAX_OFFSET.
PAGE_SIZE = 100
MAX_OFFSET = 10000


class Listing(NamedTuple):
    """What :func:`list_all` read: ``items`` (in listing order, each id once), the listing's own ``count``
    when it answered a number (else None), and ``truncated``: more items than the API lets a client page to."""

    items: List[Any]
    count: Optional[int]
    truncated: bool


def list_all(context, path, query, items_key, schema_name, noun, report, id_key=None):
    """Every item of a paged listing (``{"count": N, items_key: [...]}``), failing closed; a :class:`Listing`.

    Pages ``PAGE_SIZE`` items at a time from offset 0, with ``query`` (the
    listing's filters; None values are not sent).  A page whose
    ``items_key`` is absent, null or not a list fails the task naming the
    field.  When ``count`` is a number, paging stops once that many were
    read (or a page is empty or short); when it is not (absent, null, a
    string), paging goes on until a page holds fewer than ``PAGE_SIZE``
    items, so the listing is never cut to its first page.

    A listing whose pages do not add up to its ``count`` is incomplete and
    says so with a :func:`report_problem` tied to no resource (the result is
    ``complete: false`` and the gate's verdict ERROR): a page short or empty
    before ``count`` items were read, more items than ``count``, a ``count``
    that changes between pages, an id listed twice (a repeated page, a
    duplicate), a page listing an id another page listed.  Items seen twice
    are kept once.  More items than the API can list (offset above
    ``MAX_OFFSET``) makes the listing ``truncated``, with a warning and a
    :func:`report_problem`.  A failed page fails the task with the API's
    details and the offset.
    """
    items = []
    seen = set()
    offset = 0
    count = None
    first_count = None
    truncated = False
    pages = 0
    duplicates = []

    def problem(message):
        report_problem(context, None, items_key, 'the listing of %s is incomplete: %s' % (noun, message))

    while True:
        page_query = dict(query or {})
        page_query.update({'limit': PAGE_SIZE, 'offset': offset})
        try:
            body, meta = context.client.get_json(path, query=page_query)
        except HuaweiCloudError as err:
            raise ReadError.from_api(err, msg='Could not list %s (offset %d)' % (noun, offset), offset=offset)
        report.check(schema_name, body, '%s listing at offset %d' % (noun, offset), meta)
        request_id = meta.get('request_id')
        where = ' (request id %s)' % request_id if request_id else ''
        if not isinstance(body, dict):
            raise ReadError(
                'Could not list %s: the answer at offset %d is not a JSON object%s; the listing cannot be trusted.' % (noun, offset, where),
                offset=offset,
                request_id=request_id,
            )
        page = body.get(items_key)
        if not isinstance(page, list):
            raise ReadError(
                'Could not list %s: field %s of the answer at offset %d is %s, not a list%s; the '
                'listing cannot be trusted.' % (noun, items_key, offset, kind_of(page), where),
                offset=offset,
                request_id=request_id,
            )
        pages += 1
        if is_number(body.get('count')):
            count = int(body['count'])
        else:
            count = None
        if pages == 1:
            first_count = count
        elif count != first_count:
            problem('its count changed from %s to %s between pages (offset %d%s)' % (first_count, count, offset, where))
        for item in page:
            item_id = item.get(id_key) if id_key and isinstance(item, dict) else None
            if item_id is not None and not isinstance(item_id, (dict, list)):
                if item_id in seen:
                    duplicates.append(item_id)
                    continue
                seen.add(item_id)
            items.append(item)
        offset += len(page)
        if count is not None and offset < count and len(page) < PAGE_SIZE:
            if page:
                problem(
                    'the page at offset %d held %d items, not %d, before the count of %d was reached%s'
                    % (offset - len(page), len(page), PAGE_SIZE, count, where)
                )
            else:
                problem('the page at offset %d was empty, but the count says %d%s' % (offset, count, where))
            break
        if not page or (count is not None and offset >= count) or (count is None and len(page) < PAGE_SIZE):
            break
        if offset > MAX_OFFSET:
            truncated = True
            if count is not None:
                unread = '%d of %d' % (count - offset, count)
                total = '%d' % count
            else:
                unread = 'some of more than %d' % offset
                total = 'more than %d' % offset
            report_problem(
                context, None, 'count', 'the listing holds %s %s; the API lists at most %d, so %s were not read' % (total, noun, MAX_OFFSET + PAGE_SIZE, unread)
            )
            context.warn(
                'The API lists at most %d %s (offset up to %d); %s were not read. Narrow the listing '
                'with its filters, or read the rest by ID.' % (MAX_OFFSET + PAGE_SIZE, noun, MAX_OFFSET, unread)
            )
            break
    if duplicates:
        shown = ', '.join(str(item_id) for item_id in duplicates[:5])
        more = ' and %d more' % (len(duplicates) - 5) if len(duplicates) > 5 else ''
        problem(
            '%d listed items repeat an id listed before (%s%s): a repeated page or duplicate ids, so some %s may not have been listed'
            % (len(duplicates), shown, more, noun)
        )
    if count is not None and offset > count:
        problem('its pages held %d items, more than its count of %d' % (offset, count))
    return Listing(items, count, truncated)
