# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The steps every ``*_info`` module shares, so the module files stay thin.

* option checks done before any request is sent (times, resource ids);
* fetching many resources concurrently through the client, splitting the
  answers into found, "not found" (reported in ``missing``, never an error)
  and real errors (which fail the task, naming the resource);
* contract checking of every response, reported as warnings or, with
  ``strict_contract``, as one failure.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import threading

from ansible_collections.hwcloud.migration.plugins.module_utils._client import quote_path_param
from ansible_collections.hwcloud.migration.plugins.module_utils._contract import check_contract, limit_violations
from ansible_collections.hwcloud.migration.plugins.module_utils._errors import HuaweiCloudError, ParameterError
from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import (
    TimeExpressionError, parse_time, resolve_window)

# Service error codes that mean "this resource does not exist", whatever the status.
NOT_FOUND_CODES = {
    # OMS documents 404 for a missing task; OMS.1009 ("no resources found") is
    # what it is believed to carry, and is documented with HTTP 400 as well.
    'oms': frozenset(['OMS.1009']),
    'modelarts': frozenset(['ModelArts.4352', 'ModelArts.4338', 'ModelArts.6623']),
}
# A 404 from the API gateway (APIGW.0101 "API does not exist") means a wrong
# endpoint or path, not a missing resource: it must fail, not hide in `missing`.
_GATEWAY_PREFIX = 'APIGW.'

# The options every info module adds to its own (documented by the doc fragment
# hwcloud.migration.info_module); the connection options come from _module.
INFO_ARGUMENT_SPEC = dict(
    strict_contract=dict(type='bool', default=False),
)

# At most this many violation lines per response become warnings.
VIOLATIONS_PER_RESPONSE = 10


def is_not_found(err, service):
    """Whether ``err`` (a ``HuaweiCloudError``) says the requested resource does not exist."""
    if not isinstance(err, HuaweiCloudError) or isinstance(err, ParameterError):
        return False
    code = err.code or ''
    if code.startswith(_GATEWAY_PREFIX):
        return False
    if code in NOT_FOUND_CODES.get(service, ()):
        return True
    return err.status == 404


def requested_ids(module, single, plural):
    """The ids named by option ``single`` (a str) or ``plural`` (a list), or ``None`` when neither is set.

    Each id is checked as a path parameter now, so that a malformed id fails the
    task before any request is sent.
    """
    if module.params.get(single) is not None:
        ids = [module.params[single]]
        option = single
    elif module.params.get(plural) is not None:
        ids = list(module.params[plural])
        option = plural
    else:
        return None
    for value in ids:
        try:
            quote_path_param(single, value)
        except ParameterError as err:
            module.fail_json(msg='%s: %s (got %r)' % (option, err, value))
    return ids


def time_option(module, name, now):
    """Resolve the time expression of option ``name`` to epoch ms, or fail naming the option."""
    try:
        return parse_time(module.params[name], now=now, name=name)
    except TimeExpressionError as err:
        module.fail_json(msg=str(err))


def window_options(module, start_name, end_name, now):
    """Resolve a (start, end) pair of time options to epoch ms, or fail naming the option."""
    try:
        return resolve_window(module.params[start_name], module.params[end_name], now=now,
                              start_name=start_name, end_name=end_name)
    except TimeExpressionError as err:
        module.fail_json(msg=str(err))


def fetch_each(module, ids, fetch, noun, id_key):
    """Fetch every id concurrently with ``fetch(id) -> (body, meta)`` through ``module.client.fetch_many``.

    Returns ``(found, missing)``: ``found`` is a list of ``(id, body, meta)`` in
    input order without duplicates, ``missing`` the ids that answered "not
    found".  Any other error fails the task with the API's details plus
    ``{id_key: id}``, and a message naming the ``noun`` and the id.
    """
    found = []
    missing = []
    for item, outcome in module.client.fetch_many(fetch, ids):
        if isinstance(outcome, HuaweiCloudError):
            if is_not_found(outcome, module.service):
                missing.append(item)
                continue
            module.fail_from_error(outcome, msg='Could not read %s %s' % (noun, item), **{id_key: item})
        body, meta = outcome
        found.append((item, body, meta))
    return found, missing


class ContractReport:
    """Collects contract violations of the responses of one module run.

    ``check()`` validates a body and remembers what is wrong with it; it is
    thread-safe, so the fetch threads of ``fetch_many`` check each body as it
    arrives, overlapping the checks with the network waits.  ``apply(module)``
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

    def apply(self, module):
        """Warn about every violation seen so far, or fail the task when strict."""
        if not self.lines:
            return
        # Group by resource (threads finish in any order), keeping each response's own line order.
        lines = [line for _subject, _order, line in sorted(self.lines)]
        if self.strict:
            module.fail_json(
                msg='The API answered outside its contract (strict_contract is true): %s'
                    % '; '.join(lines),
                contract_violations=lines)
        for line in lines:
            module.warn(line)
        self.lines = []
