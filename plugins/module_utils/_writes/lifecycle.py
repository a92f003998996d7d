# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What every lifecycle module shares: its wait options, the record of the calls it made, its writes and its waits.

A lifecycle module reads the resource, decides the calls that bring it to the
state asked (its plan), sends them (:meth:`Writer.send`), and optionally
polls until the resource is settled or finished (:meth:`Writer.wait`).  Check
mode stops after the plan: nothing is sent and the result says what would be.

Which calls are sent again, and why:

* The client (:mod:`.._api.retry`) repeats GET, PUT and DELETE after a
  retryable failure (idempotent), and a POST only when it never left or was
  throttled.  A task group's start and retry are PUTs that act each time they
  arrive (a second retry after a lost answer would resend the failed objects
  again): they are sent with ``repeatable=False`` and repeated only as a POST.  A create (POST) is therefore never repeated after a timeout or a
  5xx: a second one could make a second task.  If its answer is lost, the
  error says so, and the next run finds the created task by what it migrates
  instead of creating another.
* Here, a write the service refused with **OMS.0063** (an operation on the
  resource is in progress) is sent again after ``poll_interval``, until the
  ``wait_timeout`` deadline: the service refused it, so it was not carried out,
  and sending it again is safe even for a POST start or stop.
* The service's "already in that state" answers end a write as done, as the
  Terraform provider does: **OMS.0066** on a stop (the resource is not
  running), **OMS.1009** on a delete (it is gone).

The record of the calls (``actions``) holds the call's name, method, path,
status, error code and request id, and what came of it: never a body, so never
a credential.
"""

import time
from typing import Any, Callable, Dict, List, Optional

from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError

IN_PROGRESS = 'OMS.0063'
NOT_RUNNING = 'OMS.0066'
NOT_FOUND = 'OMS.1009'

WAIT_ARGUMENT_SPEC = dict(
    wait=dict(type='bool', default=False),
    wait_for=dict(type='str', choices=['settled', 'finished'], default='settled'),
    wait_timeout=dict(type='int', default=1800),
    poll_interval=dict(type='float', default=10.0),
)
MAX_WAIT_TIMEOUT = 7 * 86400
MIN_POLL_INTERVAL = 0.2


class WriteError(Exception):
    """A lifecycle run that cannot go on; ``result`` is the failure the module returns (``msg`` plus details)."""

    def __init__(self, msg: str, **details: Any) -> None:
        super().__init__(msg)
        self.result = dict(details, msg=msg)

    @classmethod
    def from_api(cls, err: HuaweiCloudError, msg: str, **details: Any) -> 'WriteError':
        """The failure for an API error: ``msg``, the error's one-line text, and its status, code and request id."""
        merged = err.to_dict()
        merged.update(details)
        return cls('%s: %s' % (msg, err), **merged)


def check_wait_options(params: Dict[str, Any]) -> None:
    """``wait_timeout`` and ``poll_interval`` within their bounds, before any request; :class:`WriteError` otherwise."""
    if not 1 <= params['wait_timeout'] <= MAX_WAIT_TIMEOUT:
        raise WriteError('wait_timeout must be 1 to %d seconds, got %s.' % (MAX_WAIT_TIMEOUT, params['wait_timeout']))
    if not MIN_POLL_INTERVAL <= params['poll_interval'] <= params['wait_timeout']:
        raise WriteError(
            'poll_interval must be %s seconds to wait_timeout (%s), got %s.' % (MIN_POLL_INTERVAL, params['wait_timeout'], params['poll_interval'])
        )


class Writer:
    """The writes and waits of one module run: its client, its deadline, its ``actions``.

    ``clock`` and ``sleep`` are injectable (tests); the deadline is
    ``wait_timeout`` from the start of the run and bounds both the waits and
    the resends after OMS.0063.
    """

    def __init__(
        self,
        client: Any,
        *,
        check_mode: bool,
        wait_timeout: float,
        poll_interval: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client
        self.check_mode = check_mode
        self.poll_interval = poll_interval
        self.wait_timeout = wait_timeout
        self.clock = clock
        self.sleep = sleep
        self.deadline = clock() + wait_timeout
        self.actions: List[Dict[str, Any]] = []

    def _record(self, call: str, method: str, path: str, **outcome: Any) -> Dict[str, Any]:
        entry = dict(call=call, method=method, path=path, sent=not self.check_mode, status=None, error_code=None, request_id=None, result='done')
        entry.update(outcome)
        self.actions.append(entry)
        return entry

    def _pause(self) -> bool:
        """Sleep ``poll_interval`` (less when the deadline is nearer); False when the deadline has passed."""
        left = self.deadline - self.clock()
        if left <= 0:
            return False
        self.sleep(min(self.poll_interval, left))
        return True

    def send(
        self,
        call: str,
        method: str,
        path: str,
        path_params: Dict[str, Any],
        body: Any = None,
        *,
        done_codes: Optional[Dict[str, str]] = None,
        what: str,
        repeatable: bool = True,
    ) -> Any:
        """Send one write (or, in check mode, only record it); the answer's body, or None.

        ``done_codes`` maps a service error code to the result recorded when
        the write ends as done without effect (OMS.0066 on a stop, OMS.1009
        on a delete).  OMS.0063 is sent again (see the module docstring);
        every other failure raises :class:`WriteError` with the API's details.
        ``repeatable=False`` marks a PUT the client must not repeat once it may
        have arrived (see the module docstring).
        """
        shown = self.client.build_path(path, path_params)
        if self.check_mode:
            self._record(call, method, shown, result='would be sent (check mode)')
            return None
        done_codes = done_codes or {}
        resends = 0
        while True:
            try:
                if method == 'POST':
                    # Never repeated by the client after it may have arrived (see .._api.retry).
                    answer, meta = self.client.post_json(path, path_params=path_params, body=body)
                elif method == 'PUT':
                    answer, meta = self.client.put_json(path, path_params=path_params, body=body, repeatable=repeatable)
                else:
                    answer, meta = self.client.delete(path, path_params=path_params)
            except HuaweiCloudError as err:
                outcome = dict(status=err.status, error_code=err.code, request_id=err.request_id)
                if err.code in done_codes:
                    self._record(call, method, shown, result=done_codes[err.code], **outcome)
                    return None
                if err.code == IN_PROGRESS and self._pause():
                    resends += 1
                    continue
                self._record(call, method, shown, result='failed', **outcome)
                if err.code == IN_PROGRESS:
                    raise WriteError.from_api(err, '%s was still refused as in progress at the wait_timeout deadline (%d resends)' % (what, resends))
                raise WriteError.from_api(err, 'Could not %s' % what)
            self._record(call, method, shown, status=meta.get('status'), request_id=meta.get('request_id'), resends=resends)
            return answer

    def wait(self, read: Callable[[], Any], settled: Callable[[Any], bool], *, what: str, describe: Callable[[Any], str]) -> Any:
        """Poll ``read()`` every ``poll_interval`` until ``settled(resource)``; the last resource read.

        Raises :class:`WriteError` (with ``resource``, the last read) when the
        deadline passes first.
        """
        while True:
            resource = read()
            if settled(resource):
                return resource
            if not self._pause():
                raise WriteError(
                    'Timed out after %s s waiting until %s; it is %s.' % (self.wait_timeout, what, describe(resource)), resource=resource, timed_out=True
                )
