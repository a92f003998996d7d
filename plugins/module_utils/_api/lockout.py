# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Wrong credentials cost one refused request per call, not one per id (:class:`CredentialGate`).

API Gateway locks an AK/SK pair for 5 minutes after 5 refused requests in a
row, so a call of many reads must not spend its credential's refusals.
"""

import threading
from typing import Any, Optional

from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import NotAttemptedError

# API Gateway codes that refuse the credential itself, whatever the resource: wrong
# AK/SK or token (0301), not authorised (0302), a request date too far off (0303).
# An expired token (0307) is not among them: it is renewed where it can be, and it
# counts toward no lock-out, so each read reports it on its own.
REFUSAL_CODES = frozenset(['APIGW.0301', 'APIGW.0302', 'APIGW.0303'])


def is_refusal(error: Any) -> bool:
    """True when ``error`` (a :class:`HuaweiCloudError`) is the gateway refusing the credential (401/403 APIGW.0301, 0302, 0303)."""
    return error is not None and error.status in (401, 403) and error.code in REFUSAL_CODES


class CredentialGate:
    """One credential's requests in one call: the first goes alone, and none follows a refusal.

    :meth:`admit` is called before each request: the first caller sends
    (``True``: it is the probe) while the others wait for its answer; after an
    answer that is not a refusal every request goes at once.  After a refusal
    (:meth:`settle` with ``refusal``) :meth:`admit` raises a
    :class:`NotAttemptedError` naming it, so wrong credentials cost one refused
    request per call.  A probe without an HTTP answer says nothing about the
    credential and opens the gate as well (the endpoint is down; fail fast
    handles that).
    """

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._probing = False
        self._open = False
        self.refusal = None

    def admit(self) -> bool:
        """Wait until this request may be sent; True when it is the credential's first (its answer settles the gate)."""
        with self._condition:
            while True:
                if self.refusal is not None:
                    raise NotAttemptedError(
                        'the credentials were refused by an earlier request of this call',
                        self.refusal,
                        summary='not attempted because the credentials were refused (%s)' % self.refusal.answer(),
                    )
                if self._open:
                    return False
                if not self._probing:
                    self._probing = True
                    return True
                self._condition.wait()

    def settle(self, probe: bool, refusal: Optional[Any] = None) -> None:
        """Record a request's outcome: ``refusal`` (a refused credential) closes the gate, anything else opens it."""
        with self._condition:
            if refusal is not None:
                if self.refusal is None:
                    self.refusal = refusal
            elif probe:
                self._open = True
            if probe:
                self._probing = False
            self._condition.notify_all()
