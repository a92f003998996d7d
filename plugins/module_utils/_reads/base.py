# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The steps every ``*_info`` module shares, so the module files stay thin.

* option checks done before any request is sent (times, resource ids);
* fetching many resources concurrently through the client, splitting the
  answers into found, "not found" (reported in ``missing``, never an error)
  and real errors;
* partial results: a run that could not read some resources still fails, but
  only when the module exits, so its result keeps every resource it read plus
  ``errors`` (one entry per failed resource: id, status, error code, request
  id, message); after ``FAIL_FAST_AFTER`` server failures in a row no new
  read is started and the rest are listed as not attempted;
* fail-closed shape checks: :func:`report_problem` records an answer the
  health checks cannot use (a field absent, null or of the wrong type, a
  listing or a series that could not be read completely); every info module
  result then carries ``complete: false`` and the ``problems`` list;
* contract checking of every response, reported as warnings or, with
  ``strict_contract``, as one failure.

A module gets the partial results and the ``complete``/``problems`` keys
just by using :func:`fetch_each` and ending with ``module.exit_json``
(:class:`._module.HuaweiCloudModule` turns the exit into the failure).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import threading

from ansible_collections.hwcloud.migration.plugins.module_utils._api.contract import check_contract, limit_violations
from ansible_collections.hwcloud.migration.plugins.module_utils._api.endpoints import quote_path_param
from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError, NotAttemptedError, ParameterError, shorten
from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import MAX_EPOCH_MS, TimeExpressionError, now_ms, parse_time, resolve_window

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
# A 404 whose body could not be read whole says nothing about the resource.
_UNREAD_CODES = frozenset(['IncompleteResponse', 'NotAttempted'])

_CONTROL_RE = re.compile('[\x00-\x1f\x7f\x85\u2028\u2029]')

# The options every info module adds to its own (documented by the doc fragment
# hwcloud.migration.info_module); the connection options come from _module.
INFO_ARGUMENT_SPEC = dict(strict_contract=dict(type='bool', default=False))

# At most this many violation lines per response become warnings.
VIOLATIONS_PER_RESPONSE = 10

# After this many reads in a row failed with a server failure (no HTTP answer,
# 429 or 5xx, each after its own retries), no new read is started: a dead
# endpoint then costs a few ids' retries, not every id's.
FAIL_FAST_AFTER = 5

# A listing page holds at most this many items, and the API refuses offsets above MAX_OFFSET.
PAGE_SIZE = 100
MAX_OFFSET = 10000


class Read:
    """One kind of read an info module makes: its options, its service, and ``run(module)``.

    ``run`` checks the options (failing with ``module.fail_json``) and
    returns a function of no arguments that reads and ends with
    ``module.exit_json`` (or ``fail_json``), so the checks of several reads
    can all pass before the first request of any.  Both use only ``params``, ``client``, ``service``,
    ``warn``, ``fail_json``, ``fail_from_error`` and ``exit_json`` of the
    module, so the same read runs as a module of its own
    (:func:`._module.run_info_module`) or as one part of
    ``migration_state_info`` (:mod:`._state`).  ``argument_spec`` holds the
    read's own options (not the common ones, nor ``strict_contract``).
    """

    def __init__(self, name, service, argument_spec, run, mutually_exclusive=(), required_one_of=()):
        self.name = name
        self.service = service
        self.argument_spec = argument_spec
        self.run = run
        self.mutually_exclusive = [list(group) for group in mutually_exclusive]
        self.required_one_of = [list(group) for group in required_one_of]


_PROBLEMS_LOCK = threading.Lock()


class ReadErrors:
    """The failed reads of one module run (thread-safe); the module base fails the run on exit when any."""

    def __init__(self):
        self.entries = []
        self.first = None
        # The first read not attempted (fail fast, refused credentials, a failed project lookup).
        self.first_skipped = None
        self._lock = threading.Lock()

    def __bool__(self):
        return bool(self.entries)

    __nonzero__ = __bool__

    def add(self, resource_id, err, noun, id_key):
        """Record that ``noun`` ``resource_id`` could not be read because of ``err`` (a HuaweiCloudError)."""
        entry = {
            'id': resource_id,
            'status': err.status,
            'error_code': err.code,
            'request_id': err.request_id,
            'message': str(err),
            'attempted': not isinstance(err, NotAttemptedError),
        }
        with self._lock:
            self.entries.append(entry)
            if isinstance(err, NotAttemptedError):
                if self.first_skipped is None:
                    self.first_skipped = (resource_id, err, noun, id_key)
            elif self.first is None:
                self.first = (resource_id, err, noun, id_key)

    def failure(self, result):
        """``result`` (the module's usual result) turned into the keyword arguments of ``fail_json``."""
        failed = dict(result)
        failed.pop('changed', None)
        entries = list(self.entries)
        failed['errors'] = entries
        skipped = [entry['id'] for entry in entries if not entry['attempted']]
        # Every read of a part can be not attempted (the credentials were refused by another part's read).
        resource_id, err, noun, id_key = self.first if self.first is not None else self.first_skipped
        details = err.to_dict()
        details[id_key] = resource_id
        for key, value in details.items():
            failed.setdefault(key, value)
        text = 'Could not read %s %s: %s' % (noun, resource_id, err)
        attempted = len(entries) - len(skipped)
        if attempted > 1:
            text += '; %d reads failed in all' % attempted
        if skipped and self.first is not None:
            text += '; %d %s' % (len(skipped), self.first_skipped[1].summary)
        elif len(skipped) > 1:
            text += '; %d reads were not attempted' % len(skipped)
        text += '. The result lists what was read, the missing ids, and every failed id under errors.'
        failed['msg'] = text
        return failed


def read_errors(module):
    """The :class:`ReadErrors` of ``module``'s run (created on first use)."""
    errors = getattr(module, 'read_errors', None)
    if errors is None:
        errors = ReadErrors()
        module.read_errors = errors
    return errors


def report_problem(module, resource_id, field, message):
    """Record that an answer cannot be used by the health checks: the run's result says ``complete: false``.

    ``resource_id`` names the resource (None for a listing), ``field`` the
    JSON path of the field, ``message`` what is wrong with it.
    """
    entry = {'id': resource_id, 'field': field, 'message': message}
    with _PROBLEMS_LOCK:
        problems = getattr(module, 'problems', None)
        if problems is None:
            problems = []
            module.problems = problems
        if entry not in problems:
            problems.append(entry)


def with_summary(module, resource_id, body, summarize, noun):
    """``body`` (the API's answer, kept verbatim) plus the module's own ``summary`` of it.

    The summary is added under a key of ours; a body that already has a
    ``summary`` keeps it unchanged and is reported as a problem, because the
    checks would then read the API's field as ours.
    """
    if not isinstance(body, dict):
        return body
    if 'summary' in body:
        module.warn(
            '%s %s: the API answered a "summary" field of its own; it is returned unchanged and the module adds no summary to it.' % (noun, resource_id)
        )
        report_problem(
            module, resource_id, 'summary', "the API answered a summary field of its own, so the module's summary (status name, ETA, failures) is not there"
        )
        return body
    entry = dict(body)
    entry['summary'] = summarize(body)
    return entry


def listed_id(entry, position, items_key, id_key, usable):
    """How a problem names a listed resource: its id when ``usable(id)``, else its place in the listing."""
    resource_id = entry.get(id_key) if isinstance(entry, dict) else None
    return resource_id if usable(resource_id) else '%s[%d]' % (items_key, position)


def is_not_found(err, service):
    """Whether ``err`` (a ``HuaweiCloudError``) says the requested resource does not exist."""
    if not isinstance(err, HuaweiCloudError) or isinstance(err, ParameterError):
        return False
    code = err.code or ''
    if code.startswith(_GATEWAY_PREFIX) or code in _UNREAD_CODES:
        return False
    # Only the service's own not-found codes: a bare 404 (no code, another code) may come from
    # a proxy or a gateway and says nothing about the resource, so it is an error for the id.
    return code in NOT_FOUND_CODES.get(service, ())


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
        return resolve_window(module.params[start_name], module.params[end_name], now=now, start_name=start_name, end_name=end_name)
    except TimeExpressionError as err:
        module.fail_json(msg=str(err))


def fetch_each(module, ids, fetch, noun, id_key, listed=False):
    """Fetch every id concurrently with ``fetch(id) -> (body, meta)`` through ``module.client.fetch_many``.

    Returns ``(found, missing)``: ``found`` is a list of ``(id, body, meta)`` in
    input order without duplicates, ``missing`` the ids that answered "not
    found".  Any other error is recorded in :func:`read_errors`: the run goes
    on, and ``module.exit_json`` then fails it with the usual result plus
    ``errors`` and the API's details of the first failure (``status``,
    ``error_code``, ``request_id``, ..., ``{id_key: id}``), in a message naming
    the ``noun`` and the id.  After :data:`FAIL_FAST_AFTER` server failures in
    a row the remaining ids are not read and listed as not attempted.

    With ``listed`` (the ids come from a listing read just before), "not
    found" is an error too: the listing said the resource exists, so the two
    answers disagree and neither can be trusted for it.
    """
    found = []
    missing = []
    errors = read_errors(module)
    for item, outcome in module.client.fetch_many(fetch, ids, fail_fast_after=FAIL_FAST_AFTER):
        if isinstance(outcome, HuaweiCloudError):
            if is_not_found(outcome, module.service):
                if listed:
                    message = 'the listing just returned this %s, but its details answer "not found" (%s); the answers disagree' % (noun, outcome.message)
                    errors.add(
                        item,
                        HuaweiCloudError(
                            message, status=outcome.status, code=outcome.code, request_id=outcome.request_id, method=outcome.method, url=outcome.url
                        ),
                        noun,
                        id_key,
                    )
                    continue
                missing.append(item)
            else:
                errors.add(item, outcome, noun, id_key)
            continue
        body, meta = outcome
        found.append((item, body, meta))
    return found, missing


def check_answered_id(body, asked, field, noun, meta, url_hint=None, secrets=()):
    """Raise a :class:`HuaweiCloudError` when ``body`` names another id in ``field`` than ``asked``.

    An answer about another resource is no answer for the one asked: it must
    never stand in for it (nor mean "not found").  A ``field`` that is absent
    is left to the field checks; ``asked`` and the answered id are compared as
    text, so the task id 7 and ``"7"`` agree.
    """
    if not isinstance(body, dict) or field not in body or body[field] is None:
        return
    answered = body[field]
    if isinstance(answered, bool) or not isinstance(answered, (str, int)) or str(answered) != str(asked):
        # Masked before it is cut: an echoed secret never shows, not even a prefix of it.
        shown = shorten(repr(answered), 77, secrets)
        raise HuaweiCloudError(
            'the answer is about %s %s (field %s), not the %s asked; it is not used' % (noun, shown, field, noun),
            status=meta.get('status'),
            code='ForeignId',
            request_id=meta.get('request_id'),
            method='GET',
            url=meta.get('url'),
        )


class Listing:
    """What :func:`list_all` read: ``items`` (in listing order, each id once), ``count`` and ``truncated``.

    ``count`` is the listing's own count when it answered a number (else
    None); ``truncated`` is True when the listing held more items than the
    API lets a client page to.
    """

    def __init__(self, items, count, truncated):
        self.items = items
        self.count = count
        self.truncated = truncated


def list_all(module, path, query, items_key, schema_name, noun, report, id_key=None):
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
        report_problem(module, None, items_key, 'the listing of %s is incomplete: %s' % (noun, message))

    while True:
        page_query = dict(query or {})
        page_query.update({'limit': PAGE_SIZE, 'offset': offset})
        try:
            body, meta = module.client.get_json(path, query=page_query)
        except HuaweiCloudError as err:
            module.fail_from_error(err, msg='Could not list %s (offset %d)' % (noun, offset), offset=offset)
        report.check(schema_name, body, '%s listing at offset %d' % (noun, offset), meta)
        request_id = meta.get('request_id')
        where = ' (request id %s)' % request_id if request_id else ''
        if not isinstance(body, dict):
            module.fail_json(
                msg='Could not list %s: the answer at offset %d is not a JSON object%s; the listing cannot be trusted.' % (noun, offset, where),
                offset=offset,
                request_id=request_id,
            )
        page = body.get(items_key)
        if not isinstance(page, list):
            module.fail_json(
                msg='Could not list %s: field %s of the answer at offset %d is %s, not a list%s; the '
                'listing cannot be trusted.' % (noun, items_key, offset, _kind(page), where),
                offset=offset,
                request_id=request_id,
            )
        pages += 1
        if _is_number(body.get('count')):
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
                module, None, 'count', 'the listing holds %s %s; the API lists at most %d, so %s were not read' % (total, noun, MAX_OFFSET + PAGE_SIZE, unread)
            )
            module.warn(
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


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _kind(value):
    if value is None:
        return 'null'
    if isinstance(value, dict):
        return 'an object'
    return 'of type %s' % type(value).__name__


def _is_count(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


# check name: (whether a present value is usable, what it should have been)
_FIELD_CHECKS = {
    # A line break or another control character in a status or an id is no value the checks or the reports can show.
    'str': (lambda value: isinstance(value, str) and value != '' and not _CONTROL_RE.search(value), 'a string'),
    'count': (_is_count, 'an integer of 0 or more'),
    # "No estimate yet" is a null the API answers on purpose; only its absence or a wrong type is a problem.
    'count_or_null': (lambda value: value is None or _is_count(value), 'null or an integer of 0 or more'),
    # A time left that puts the ETA past the year 9999 is no duration the summaries can show.
    'duration_ms_or_null': (
        lambda value: value is None or (_is_count(value) and value <= MAX_EPOCH_MS - now_ms()),
        'null or an integer of 0 or more (milliseconds ending before the year 10000)',
    ),
    'fraction': (lambda value: _is_number(value) and 0 <= value <= 1, 'a number from 0 to 1'),
    'object_or_null': (lambda value: value is None or isinstance(value, dict), 'null or an object'),
}


def check_fields(module, resource_id, document, fields):
    """Record a :func:`report_problem` for each of ``fields`` ({name: check}) that ``document`` lacks.

    ``check`` is ``'str'`` (a non-empty string), ``'count'`` (an integer 0 or
    more), ``'count_or_null'``, ``'fraction'`` (a number from 0 to 1),
    ``'object_or_null'``, or a tuple of the allowed values (an enumeration
    such as a status).  A field must be present even where null is allowed:
    an absent field says nothing.  Returns the names of the unusable fields.
    """
    bad = []
    if not isinstance(document, dict):
        report_problem(module, resource_id, '(response)', 'the answer is %s, not an object' % _kind(document))
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
                state = _kind(value)
            else:
                state = '%r' % (value,)
            report_problem(module, resource_id, name, '%s is %s, not %s' % (name, state, wanted))
            bad.append(name)
    return bad


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
            module.fail_json(msg='The API answered outside its contract (strict_contract is true): %s' % '; '.join(lines), contract_violations=lines)
        for line in lines:
            module.warn(line)
        self.lines = []
