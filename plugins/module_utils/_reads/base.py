# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What every read shares: its context, its result, its errors, and the steps between.

A read (:class:`Read`) is one kind of resource the collection reads: its own
options, its service, and ``prepare(context)``.  ``prepare`` checks the
options before any request is sent and returns the read itself, a function
of no arguments that returns the result (a dict).  Neither ever ends the
module run: an option that cannot be used, or an answer that makes the whole
read useless (a listing that cannot be paged), raises :class:`ReadError`,
which carries the message and the API's details.  Only the edges end the run:
:func:`._module.run_info_module` (one read as a module of its own) and
:mod:`.bundle` (several reads in one ``migration_state_info`` call).

What a read finds on the way is kept in its :class:`ReadContext` and added to
the result by :func:`finished_result`:

* ``errors``: one entry per resource that could not be read (id, status,
  error code, request id, message); the read goes on, and the run fails at
  the end with everything it read (:func:`fetch_each`); after
  ``FAIL_FAST_AFTER`` server failures in a row no new read is started and
  the rest are listed as not attempted;
* ``problems`` and ``complete``: :func:`report_problem` records an answer
  the health checks cannot use (a field absent, null or of the wrong type, a
  listing or a series that could not be read completely), so the result says
  ``complete: false``.
"""

import threading
from typing import Any, Callable, Dict, List, Optional

from ansible_collections.hwcloud.migration.plugins.module_utils._api.endpoints import quote_path_param
from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError, NotAttemptedError, ParameterError, shorten

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

# The options every info module adds to its own (documented by the doc fragment
# hwcloud.migration.info_module); the connection options come from _module.
INFO_ARGUMENT_SPEC = dict(strict_contract=dict(type='bool', default=False))

# After this many reads in a row failed with a server failure (no HTTP answer,
# 429 or 5xx, each after its own retries), no new read is started: a dead
# endpoint then costs a few ids' retries, not every id's.
FAIL_FAST_AFTER = 5


class ReadError(Exception):
    """A read that could not go on; ``result`` is the failure the edge returns (``msg`` plus details)."""

    def __init__(self, msg: str, **details: Any) -> None:
        super().__init__(msg)
        details.pop('changed', None)
        details.pop('failed', None)
        self.result = dict(details, msg=msg)

    @classmethod
    def from_api(cls, err: Exception, msg: Optional[str] = None, **extra: Any) -> 'ReadError':
        """The error for an API failure: ``msg`` plus the error's one-line text, and its details."""
        return cls(**error_result(err, msg, **extra))


def error_result(err: Exception, msg: Optional[str] = None, **extra: Any) -> Dict[str, Any]:
    """The failure for an API error: ``msg`` plus the error's text, and its details.

    The details are ``status``, ``error_code``, ``error_msg``, ``request_id``,
    ``method`` and ``url``, plus any ``extra`` keys.
    """
    if isinstance(err, HuaweiCloudError):
        details = err.to_dict()
    else:
        details = {'status': None, 'error_code': None, 'error_msg': str(err), 'request_id': None, 'method': None, 'url': None}
    details.update(extra)
    details['msg'] = '%s: %s' % (msg, err) if msg else str(err)
    return details


class ReadContext:
    """One run of one read: its options (``params``), its ``client`` and what it found wrong on the way.

    ``warn`` is where warnings go (the module's, or the bundle's with the
    read's name in front); ``read_errors`` and ``problems`` end up in the
    result (:func:`finished_result`).  The client is set once the options
    passed their checks, so a wrong option never waits for a client.
    """

    def __init__(self, params: Dict[str, Any], service: str, warn: Callable[[str], None], client: Any = None) -> None:
        self.params = params
        self.service = service
        self.client = client
        self.warn = warn
        self.read_errors = ReadErrors()
        self.problems: List[Dict[str, Any]] = []
        self._problems_lock = threading.Lock()


class Read:
    """One kind of read: ``name``, ``service``, its own ``argument_spec`` and ``prepare(context)`` (see the module docstring).

    ``argument_spec`` holds the read's own options (not the common ones, nor
    ``strict_contract``); ``prepare`` runs before any request of any read, so
    the checks of several reads all pass first.
    """

    def __init__(self, name, service, argument_spec, prepare, mutually_exclusive=(), required_one_of=()):
        self.name = name
        self.service = service
        self.argument_spec = argument_spec
        self.prepare = prepare
        self.mutually_exclusive = [list(group) for group in mutually_exclusive]
        self.required_one_of = [list(group) for group in required_one_of]


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


def _problem_order(entry):
    return (str(entry['id']), entry['field'], entry['message'])


def finished_result(context: ReadContext, result: Dict[str, Any]) -> 'tuple[bool, Dict[str, Any]]':
    """``(failed, result)`` for a read that returned ``result``: adds ``complete`` and ``problems``.

    The result becomes a failure carrying everything read plus ``errors``
    when some resources could not be read (see :class:`ReadErrors`).
    """
    # Sorted: reads run in threads, and the result must not depend on their timing.
    result = dict(result)
    result.setdefault('problems', sorted(context.problems, key=_problem_order))
    result.setdefault('complete', not result['problems'])
    if context.read_errors:
        result['complete'] = False
        return True, context.read_errors.failure(result)
    return False, result


def report_problem(context: ReadContext, resource_id: Any, field: str, message: str) -> None:
    """Record that an answer cannot be used by the health checks: the run's result says ``complete: false``.

    ``resource_id`` names the resource (None for a listing), ``field`` the
    JSON path of the field, ``message`` what is wrong with it.
    """
    entry = {'id': resource_id, 'field': field, 'message': message}
    with context._problems_lock:
        if entry not in context.problems:
            context.problems.append(entry)


def with_summary(context, resource_id, body, summarize, noun):
    """``body`` (the API's answer, kept verbatim) plus the module's own ``summary`` of it.

    The summary is added under a key of ours; a body that already has a
    ``summary`` keeps it unchanged and is reported as a problem, because the
    checks would then read the API's field as ours.
    """
    if not isinstance(body, dict):
        return body
    if 'summary' in body:
        context.warn(
            '%s %s: the API answered a "summary" field of its own; it is returned unchanged and the module adds no summary to it.' % (noun, resource_id)
        )
        report_problem(
            context, resource_id, 'summary', "the API answered a summary field of its own, so the module's summary (status name, ETA, failures) is not there"
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


def requested_ids(context, single, plural, parse=None):
    """The ids named by option ``single`` (a str) or ``plural`` (a list), or ``None`` when neither is set.

    Each id is checked now, so that a malformed id fails the task before any
    request is sent: as a path parameter, or by ``parse(value, option)``, which
    returns the id to read or raises ``ValueError``.
    """
    if context.params.get(single) is not None:
        ids = [context.params[single]]
        option = single
    elif context.params.get(plural) is not None:
        ids = list(context.params[plural])
        option = plural
    else:
        return None
    if parse is not None:
        try:
            return [parse(value, option) for value in ids]
        except ValueError as err:
            raise ReadError(str(err))
    for value in ids:
        try:
            quote_path_param(single, value)
        except ParameterError as err:
            raise ReadError('%s: %s (got %r)' % (option, err, value))
    return ids


def fetch_each(context, ids, fetch, noun, id_key, listed=False):
    """Fetch every id concurrently with ``fetch(id) -> (body, meta)`` through ``context.client.fetch_many``.

    Returns ``(found, missing)``: ``found`` is a list of ``(id, body, meta)`` in
    input order without duplicates, ``missing`` the ids that answered "not
    found".  Any other error goes to ``context.read_errors`` (see the module
    docstring), naming the ``noun`` and ``{id_key: id}``.

    With ``listed`` (the ids come from a listing read just before), "not
    found" is an error too: the listing said the resource exists, so the two
    answers disagree and neither can be trusted for it.
    """
    found = []
    missing = []
    errors = context.read_errors
    for item, outcome in context.client.fetch_many(fetch, ids, fail_fast_after=FAIL_FAST_AFTER):
        if isinstance(outcome, HuaweiCloudError):
            if not is_not_found(outcome, context.service):
                errors.add(item, outcome, noun, id_key)
            elif listed:
                outcome.message = 'the listing just returned this %s, but its details answer "not found" (%s); the answers disagree' % (noun, outcome.message)
                errors.add(item, outcome, noun, id_key)
            else:
                missing.append(item)
            continue
        body, meta = outcome
        found.append((item, body, meta))
    return found, missing


def check_answered_id(body, asked, field, noun, meta, *, secrets=(), null_allowed=True):
    """Raise a :class:`HuaweiCloudError` (``ForeignId``) when ``body`` names another id in ``field`` than ``asked``.

    An answer about another resource is no answer for the one asked: it must
    never stand in for it (nor mean "not found").  A ``field`` that is absent
    (or null, when ``null_allowed``) is left to the field checks; ``asked``
    and the answered id are compared as text, so the task id 7 and ``"7"`` agree.
    """
    if not isinstance(body, dict) or field not in body or (body[field] is None and null_allowed):
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
