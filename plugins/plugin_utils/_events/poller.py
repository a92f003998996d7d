# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One poll of ``hwcloud.migration.migration_events``: the gate's reads, its evaluation, the events.

A poll is what one ``migration_state_info`` call does (the same
:class:`._reads.bundle.StateRead`, the same reads, one ``max_concurrency``),
then the gate's evaluation of the results (``_gate/evaluate``), then the
:class:`.tracker.Tracker`'s events.  It is blocking code: the event source
runs it in a thread.

A poll never raises for an API failure: a read that failed is a
``read_failed`` event, and anything else that goes wrong in a poll (a bug
included) is one ``read_failed`` event of kind ``source``, with the
exception's type only.  The clients live across polls (one session, one
project lookup, one token) until a poll fails; the next poll then starts with
fresh ones, because a client remembers the failures of its call (a refused
credential, a failed project lookup) and a poll is one call.  Every text of
every event is masked with the secrets of the connection options and those
the clients obtained, and defanged so that no template reaches a playbook
(``shown``).
"""

import logging
import threading
from typing import Any, Dict, List, Optional

from ansible_collections.hwcloud.migration.plugins.module_utils._api.client import HuaweiCloudClient
from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError, mask_secrets
from ansible_collections.hwcloud.migration.plugins.module_utils._api.options import OptionError
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.bundle import READS, StateRead
from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import now_ms
from ansible_collections.hwcloud.migration.plugins.module_utils._version import USER_AGENT
from ansible_collections.hwcloud.migration.plugins.plugin_utils._events.settings import WatchSettings, backoff_delay
from ansible_collections.hwcloud.migration.plugins.plugin_utils._events.shown import shown_event
from ansible_collections.hwcloud.migration.plugins.plugin_utils._events.tracker import Tracker, make_event
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.evaluate import evaluate

LOG = logging.getLogger(__name__)
SOURCE_KIND = 'source'
_SERVICES = {read.name: read.service for read in READS}


class PollFailed(Exception):
    """A poll that could not run its reads (a client that cannot be built); the message holds no secret."""


class _Edge:
    """What :class:`StateRead` needs from its caller: the params, where warnings go, how a refusal ends.

    The options were checked when the watch started, so ``fail_json`` is only
    reached by a bug; it raises instead of ending a process.
    """

    def __init__(self, params: Dict[str, Any], warnings: List[str]) -> None:
        self.params = params
        self.user_agent = USER_AGENT
        self._warnings = warnings

    def warn(self, message: str) -> None:
        self._warnings.append(message)

    def fail_json(self, **result: Any) -> None:
        raise PollFailed(result.get('msg') or 'the reads refused their options')


class Poller:
    """The polls of one watch: ``poll()`` returns the events of one poll; ``delay()`` the wait before the next."""

    def __init__(self, settings: WatchSettings, *, session: Any = None) -> None:
        self.settings = settings
        self.tracker = Tracker(settings.policy, initial_events=settings.initial_events, max_stall_age_ms=settings.max_stall_age_ms)
        self.failed_polls = 0
        self.polls = 0
        self._session = session
        self._clients: Optional[Dict[str, HuaweiCloudClient]] = None
        self._secrets = set(settings.secrets)
        self._project_id = settings.params.get('project_id')
        self._source_failed: Optional[dict] = None

    def delay(self) -> float:
        """Seconds until the next poll: the interval, or the backoff after failed polls."""
        return backoff_delay(self.settings, self.failed_polls)

    def _build_clients(self) -> Dict[str, HuaweiCloudClient]:
        params = dict(self.settings.params)
        if self._project_id:
            params['project_id'] = self._project_id
        secrets = set(self.settings.secrets)
        limiter = threading.BoundedSemaphore(int(params['max_concurrency']))
        try:
            first = HuaweiCloudClient(params, 'oms', user_agent=USER_AGENT, limiter=limiter, secrets=secrets, session=self._session)
        except OptionError as err:
            raise PollFailed(str(err))
        # The session outlives the clients: one connection pool for the whole watch.
        self._session = first.session
        self._secrets = secrets
        clients = {'oms': first}
        for name in self.settings.policy['read_plan']:
            service = _SERVICES[name]
            if service not in clients:
                clients[service] = first.for_service(service, limiter=limiter)
        return clients

    def poll(self) -> List[Dict[str, Any]]:
        """One poll: read, evaluate, compare with the last; the events (masked), in order."""
        self.polls += 1
        now = now_ms()
        try:
            if self._clients is None:
                self._clients = self._build_clients()
            warnings: List[str] = []
            _failed, result = StateRead(_Edge(self.settings.params, warnings), clients=self._clients).run()
            for warning in warnings:
                LOG.warning('%s', mask_secrets(warning, self._secrets))
            results = {name: result[name] for name in self.settings.policy['read_plan'] if name in result}
            fact = evaluate(results, self.settings.policy, now_ms=now)
            events = self._source_recovered(now) + self.tracker.update(results, fact, now)
        except (PollFailed, HuaweiCloudError) as err:
            events = self._source_failure(now, str(err))
        except Exception as exc:  # pylint: disable=broad-except
            # A bug must not end the watch; the type only, as no data may reach the message.
            events = self._source_failure(now, 'the poll stopped on an unexpected %s' % type(exc).__name__)
        failed = any(event['event'] == 'read_failed' for event in events) or bool(self.tracker.failing) or self._source_failed is not None
        if failed:
            self.failed_polls += 1
            self._clients = None
        else:
            self.failed_polls = 0
            # Known by now (every read needs it): later clients skip the IAM project lookup.
            self._project_id = self._project_id or self._clients['oms'].project_id
        return [shown_event(event, self._secrets) for event in events]

    def _source_failure(self, now: int, message: str) -> List[Dict[str, Any]]:
        LOG.warning('%s', mask_secrets(message, self._secrets))
        first = self._source_failed is None
        self._source_failed = {'step': 'poll', 'message': message}
        return [make_event(SOURCE_KIND, None, 'read_failed', None, dict(self._source_failed), None, now)] if first else []

    def _source_recovered(self, now: int) -> List[Dict[str, Any]]:
        if self._source_failed is None:
            return []
        previous, self._source_failed = self._source_failed, None
        return [make_event(SOURCE_KIND, None, 'read_recovered', previous, {'step': 'poll'}, None, now)]
