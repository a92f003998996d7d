# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks of one answer: the fields the health checks read (:func:`check_fields`) and the API contract (:class:`ContractReport`)."""

import threading
from typing import Any, Dict, NamedTuple

from ansible_collections.hwcloud.migration.plugins.module_utils._api.contract import check_contract, limit_violations
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.base import ReadError, check_answered_id, report_problem
from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import MAX_EPOCH_MS, now_ms
from ansible_collections.hwcloud.migration.plugins.module_utils._values import is_count, is_number, is_one_line

# At most this many violation lines per response become warnings.
VIOLATIONS_PER_RESPONSE = 10


def kind_of(value):
    """How a message names the JSON type of ``value``."""
    if value is None:
        return 'null'
    if isinstance(value, dict):
        return 'an object'
    return 'of type %s' % type(value).__name__


# check name: (whether a present value is usable, what it should have been)
_FIELD_CHECKS = {
    # A line break or another control character in a status or an id is no value the checks or the reports can show.
    'str': (is_one_line, 'a string'),
    'count': (is_count, 'an integer of 0 or more'),
    # "No estimate yet" is a null the API answers on purpose; only its absence or a wrong type is a problem.
    'count_or_null': (lambda value: value is None or is_count(value), 'null or an integer of 0 or more'),
    # A time left that puts the ETA past the year 9999 is no duration the summaries can show.
    'duration_ms_or_null': (
        lambda value: value is None or (is_count(value) and value <= MAX_EPOCH_MS - now_ms()),
        'null or an integer of 0 or more (milliseconds ending before the year 10000)',
    ),
    'fraction': (lambda value: is_number(value) and 0 <= value <= 1, 'a number from 0 to 1'),
    'object_or_null': (lambda value: value is None or isinstance(value, dict), 'null or an object'),
}


def check_fields(context, resource_id, document, fields):
    """Record a :func:`report_problem` for each of ``fields`` ({name: check}) that ``document`` lacks.

    ``check`` is ``'str'`` (a non-empty string), ``'count'`` (an integer 0 or
    more), ``'count_or_null'``, ``'fraction'`` (a number from 0 to 1),
    ``'object_or_null'``, or a tuple of the allowed values (an enumeration
    such as a status).  A field must be present even where null is allowed:
    an absent field says nothing.  Returns the names of the unusable fields.
    """
    bad = []
    if not isinstance(document, dict):
        report_problem(context, resource_id, '(response)', 'the answer is %s, not an object' % kind_of(document))
        return list(fields)
    for name, check in fields.items():
        value = document.get(name)
        if isinstance(check, tuple):
            # Same type as well as equal: 2.0 or True is not the status 2 or 1 the summaries read.
            usable = any(type(value) is type(allowed) and value == allowed for allowed in check)
            wanted = 'one of %s' % ', '.join(str(allowed) for allowed in check)
        else:
            test, wanted = _FIELD_CHECKS[check]
            usable = test(value)
        if not usable or name not in document:
            if name not in document:
                state = 'absent'
            elif isinstance(value, (dict, list)):
                state = kind_of(value)
            else:
                state = '%r' % (value,)
            report_problem(context, resource_id, name, '%s is %s, not %s' % (name, state, wanted))
            bad.append(name)
    return bad


class Shown(NamedTuple):
    """How :func:`shown` reads one resource by id (``{param}`` of ``path``) and checks its answer."""

    path: str
    param: str
    schema: str
    noun: str
    id_field: str
    fields: Dict[str, Any]


def shown(context, report, how, resource_id, query=None):
    """GET one resource as ``how`` (a :class:`Shown`) says, and check its answer: contract, echoed id, fields.

    Returns ``(body, meta)``, the function :func:`.base.fetch_each` runs per id.
    """
    body, meta = context.client.get_json(how.path, path_params={how.param: str(resource_id)}, query=query)
    report.check(how.schema, body, '%s %s' % (how.noun, resource_id), meta)
    check_answered_id(body, resource_id, how.id_field, how.noun, meta, secrets=context.client.secrets)
    check_fields(context, resource_id, body, how.fields)
    return body, meta


class ContractReport:
    """Collects contract violations of the responses of one module run.

    ``check()`` validates a body and remembers what is wrong with it; it is
    thread-safe, so the fetch threads of ``fetch_many`` check each body as it
    arrives, overlapping the checks with the network waits.  ``apply(context)``
    turns the violations into warnings, sorted so the output does not depend on
    thread timing, or into one ``fail_json`` when ``strict`` (the
    ``strict_contract`` option).  The same line is reported once even when a
    resource is read several times (polling).
    """

    def __init__(self, strict):
        self.strict = strict
        self.lines = []
        self._seen = set()
        self._lock = threading.Lock()

    def check(self, schema_name, body, subject, meta=None):
        """Validate ``body`` against ``schema_name``; ``subject`` names the resource in messages."""
        violations = check_contract(schema_name, body)
        if not violations:
            return violations
        request_id = (meta or {}).get('request_id')
        suffix = ' (request id %s)' % request_id if request_id else ''
        with self._lock:
            for violation in limit_violations(violations, VIOLATIONS_PER_RESPONSE):
                line = '%s: %s outside the API contract: %s%s' % (subject, schema_name, violation, suffix)
                key = (subject, schema_name, violation)
                if key not in self._seen:
                    self._seen.add(key)
                    self.lines.append((subject, len(self.lines), line))
        return violations

    def apply(self, context):
        """Warn about every violation seen so far, or fail the task when strict."""
        if not self.lines:
            return
        # Group by resource (threads finish in any order), keeping each response's own line order.
        lines = [line for _subject, _order, line in sorted(self.lines)]
        if self.strict:
            raise ReadError('The API answered outside its contract (strict_contract is true): %s' % '; '.join(lines), contract_violations=lines)
        for line in lines:
            context.warn(line)
        self.lines = []
