# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""``HuaweiCloudClient``: project discovery, reads (``get_json``), writes (``post_json``, ``put_json``, ``delete``).

One client per module run and service.  It owns the ``requests`` session
(:mod:`.transport`), the retry policy (:mod:`.retry`) and the auth method
(:mod:`.auth`), and is safe to use from several threads at once.  Where a call
goes is :mod:`.endpoints`; many reads at once are :mod:`.fanout`.

Every call, read or write, is signed the same way (a JSON body's SHA-256 is
part of an AK/SK signature), runs under the one retry policy within one
deadline, and fails the same way: a :class:`HuaweiCloudError` with the
status, the error code and the request id of the last answer, worded from an
exception's type and the URL, never from a header value.  Which calls are sent
again after which failure is :meth:`.retry.RetryPolicy.may_repeat`: reads,
PUT and DELETE after any retryable failure, POST only when it never left or
was throttled.

Failures that would repeat for every id are paid once per call: a failed
project lookup is remembered (the later reads raise a
:class:`NotAttemptedError` naming it), and the credentials pass a
:class:`.lockout.CredentialGate` shared by every client of the call, so wrong
credentials cost one refused request.  Every secret the client holds or
obtains is in :attr:`HuaweiCloudClient.secrets` (a module passes its
``no_log_values``), and every text taken from an answer is masked with them
before it is shortened.
"""

import json
import logging
import threading
from typing import Any, Callable, Dict, Hashable, Iterable, List, Mapping, Optional, Set, Tuple

from ansible_collections.hwcloud.migration.plugins.module_utils._api import transport as _transport
from ansible_collections.hwcloud.migration.plugins.module_utils._api.auth import RequestSigner, build_auth
from ansible_collections.hwcloud.migration.plugins.module_utils._api.endpoints import Query, fill_path, query_string, resolve_endpoint, resolve_iam_endpoint
from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import (
    HuaweiCloudError,
    NotAttemptedError,
    body_excerpt,
    describe_send_failure,
    mask_secrets,
    parse_error_response,
)
from ansible_collections.hwcloud.migration.plugins.module_utils._api.fanout import fetch_many as _fetch_many
from ansible_collections.hwcloud.migration.plugins.module_utils._api.lockout import CredentialGate, is_refusal
from ansible_collections.hwcloud.migration.plugins.module_utils._api.options import DEFAULT_CLOUD, DEFAULTS, resolve_auth_mode, validate_common_params
from ansible_collections.hwcloud.migration.plugins.module_utils._api.retry import RetryPolicy
from ansible_collections.hwcloud.migration.plugins.module_utils._values import UnusableValueError, decode_json
from ansible_collections.hwcloud.migration.plugins.module_utils._version import USER_AGENT

LOG = logging.getLogger(__name__)

# Options whose values are secrets: masked in every text taken from an answer.
SECRET_OPTIONS = ('secret_key', 'security_token', 'auth_token', 'password')

JSON_CONTENT_TYPE = 'application/json;charset=UTF-8'

# (body, meta): the parsed JSON (None for an empty answer to a write) and {"status", "request_id", "url"}.
Result = Tuple[Any, Dict[str, Any]]


class HuaweiCloudClient:
    """Client of one Huawei Cloud service for one module run (see the module docstring).

    ``params`` is the module's params dict (the common options; missing ones
    take their defaults).  Raises :class:`OptionError` for a bad configuration.
    ``session`` and ``auth`` may be injected (tests); by default they are built
    from ``params``.  ``secrets`` is the set that collects every secret the
    client holds or obtains (a module passes its ``no_log_values``, so Ansible
    masks them too); ``gate`` the :class:`.lockout.CredentialGate` of the call.
    """

    def __init__(
        self,
        params: Mapping[str, Any],
        service: str,
        *,
        user_agent: Optional[str] = None,
        session: Any = None,
        auth: Any = None,
        environ: Optional[Mapping[str, str]] = None,
        limiter: Any = None,
        project_from: Optional['HuaweiCloudClient'] = None,
        secrets: Optional[Set[str]] = None,
        gate: Optional[CredentialGate] = None,
    ) -> None:
        merged = dict(DEFAULTS)
        merged.update(dict((key, value) for key, value in params.items() if value is not None))
        validate_common_params(merged)
        self.params = merged
        self.service = service.lower()
        self.region = merged.get('region') or None
        self.cloud = merged.get('cloud') or DEFAULT_CLOUD
        self.endpoint = resolve_endpoint(self.service, self.region, self.cloud, endpoint=merged.get('endpoint'), environ=environ)
        self.iam_endpoint = resolve_iam_endpoint(self.region, self.cloud, iam_endpoint=merged.get('iam_endpoint'))
        self.timeout = _transport.request_timeout(merged['timeout'])
        self.verify = _transport.verify_setting(merged['validate_certs'], merged['ca_path'])
        self.max_concurrency = int(merged['max_concurrency'])
        self.user_agent = user_agent or USER_AGENT
        self.policy = RetryPolicy(merged['retries'], merged['timeout'])
        if session is None:
            session = _transport.build_session(
                self.user_agent,
                max_concurrency=self.max_concurrency,
                retries=merged['retries'],
                timeout=merged['timeout'],
                rate_limit=merged['rate_limit'],
                validate_certs=merged['validate_certs'],
                ca_path=merged['ca_path'],
                max_response_bytes=merged['max_response_bytes'],
            )
        self.session = session
        self.secrets = secrets if secrets is not None else set()
        for option in SECRET_OPTIONS:
            if isinstance(merged.get(option), str) and merged[option]:
                self.secrets.add(merged[option])
        if auth is None:
            auth = build_auth(
                resolve_auth_mode(merged),
                merged,
                session=session,
                iam_endpoint=self.iam_endpoint,
                timeout=self.timeout,
                verify=self.verify,
                secrets=self.secrets,
                policy=self.policy,
            )
        self.auth = auth
        self.gate = gate if gate is not None else CredentialGate()
        self._project_id = merged.get('project_id') or None
        self._project_failure = None
        self._project_lock = threading.Lock()
        # Clients that read together share one project lookup and one bound on the requests in flight.
        self._project_from = project_from
        self._limiter = limiter

    def for_service(self, service: str, *, limiter: Any = None) -> 'HuaweiCloudClient':
        """A client of ``service`` with this one's settings, session, credentials and project lookup.

        Both send through ``limiter`` (a semaphore, or None for no bound
        beyond each ``fetch_many``'s own), so reads of several services in one
        module call keep to one ``max_concurrency``.
        """
        return HuaweiCloudClient(
            self.params,
            service,
            user_agent=self.user_agent,
            session=self.session,
            auth=self.auth,
            limiter=limiter,
            project_from=self._project_from or self,
            secrets=self.secrets,
            gate=self.gate,
        )

    def __repr__(self) -> str:
        return '<HuaweiCloudClient service=%s endpoint=%s auth=%s>' % (self.service, self.endpoint, self.auth.name)

    # -- project ------------------------------------------------------------

    @property
    def project_id(self) -> str:
        """The project id: the ``project_id`` option, else discovered once from IAM (thread-safe).

        A failed lookup is not repeated: IAM is asked once per call, and every
        later read raises a :class:`NotAttemptedError` naming that failure.
        """
        if self._project_id is None and self._project_from is not None:
            self._project_id = self._project_from.project_id
        if self._project_id is None:
            with self._project_lock:
                if self._project_failure is not None:
                    # With password authentication the token request is the lookup (the token names its project).
                    step = 'token request' if self._project_failure.method == 'POST' else 'project lookup'
                    raise NotAttemptedError(
                        'the IAM %s of this call failed' % step,
                        self._project_failure,
                        summary='not attempted because the IAM %s failed (%s)' % (step, self._project_failure.answer()),
                    )
                if self._project_id is None:
                    try:
                        self._project_id = self._discover_project_id()
                    except HuaweiCloudError as err:
                        self._project_failure = err
                        raise
        return self._project_id

    def _discover_project_id(self) -> str:
        if not self.region:
            raise HuaweiCloudError(
                'set project_id (or HUAWEICLOUD_SDK_PROJECT_ID / HW_PROJECT_ID), or region so that it can be looked up in IAM', code='InvalidParameter'
            )
        scoped = getattr(self.auth, 'scoped_project_id', None)
        if scoped is not None:
            found = scoped()
            if found:
                return found
        url = '%s/v3/projects?%s' % (self.iam_endpoint, query_string([('name', self.region)]))
        body, meta = self._call('GET', url, project_id=None)
        projects = [
            project for project in (body or {}).get('projects') or [] if isinstance(project, dict) and project.get('name') == self.region and project.get('id')
        ]
        if len(projects) == 1:
            LOG.debug('project %s discovered for region %s', projects[0]['id'], self.region)
            return projects[0]['id']
        if not projects:
            message = 'no IAM project named %s is visible to these credentials; set project_id (or HUAWEICLOUD_SDK_PROJECT_ID / HW_PROJECT_ID)' % self.region
            code = 'ProjectNotFound'
        else:
            message = '%d IAM projects are named %s (%s); set project_id (or HUAWEICLOUD_SDK_PROJECT_ID / HW_PROJECT_ID) to choose one' % (
                len(projects),
                self.region,
                ', '.join(project['id'] for project in projects),
            )
            code = 'AmbiguousProject'
        raise HuaweiCloudError(message, status=None, code=code, request_id=meta['request_id'], method='GET', url=url)

    # -- calls --------------------------------------------------------------

    def build_path(self, path_template: str, path_params: Optional[Mapping[str, Any]] = None, limits: Optional[Mapping[str, Tuple[int, int]]] = None) -> str:
        """Fill ``path_template`` (see :func:`.endpoints.fill_path`); ``{project_id}`` is :attr:`project_id` unless given."""
        return fill_path(path_template, path_params, limits=limits, project_id=lambda: self.project_id)

    def build_url(
        self, path_template: str, path_params: Optional[Mapping[str, Any]] = None, query: Query = None, limits: Optional[Mapping[str, Tuple[int, int]]] = None
    ) -> str:
        """Full URL for a call: endpoint, encoded path, and the canonical (sorted, encoded) query."""
        url = self.endpoint + self.build_path(path_template, path_params, limits)
        text = query_string(query)
        return url + '?' + text if text else url

    def get_json(
        self, path_template: str, path_params: Optional[Mapping[str, Any]] = None, query: Query = None, limits: Optional[Mapping[str, Tuple[int, int]]] = None
    ) -> Result:
        """GET a service resource and return ``(body, meta)``.

        ``body`` is the parsed JSON; ``meta`` is ``{"status", "request_id",
        "url"}``.  ``query`` is a dict (or list of pairs) of str/int values (a
        list value repeats the key, None drops it).  Raises
        :class:`HuaweiCloudError` for any failure (non-2xx status, transport
        error with ``status`` None, a 2xx body that is not JSON or empty) and
        :class:`ParameterError` (a ``HuaweiCloudError`` and a ``ValueError``)
        for a refused parameter.
        """
        url = self.build_url(path_template, path_params, query, limits)
        return self._call('GET', url, project_id=self._project_id)

    def post_json(
        self,
        path_template: str,
        path_params: Optional[Mapping[str, Any]] = None,
        query: Query = None,
        body: Any = None,
        *,
        limits: Optional[Mapping[str, Tuple[int, int]]] = None,
        repeatable: bool = False,
    ) -> Result:
        """POST ``body`` (JSON) and return ``(body, meta)`` as :meth:`get_json` does; an empty answer is ``None``.

        A POST is sent again only when it never reached the server or was
        throttled (429), unless ``repeatable`` says that doing it twice is
        harmless (a query sent as POST, for example).
        """
        url = self.build_url(path_template, path_params, query, limits)
        return self._call('POST', url, body=body, project_id=self._project_id, repeatable=repeatable or None)

    def put_json(
        self,
        path_template: str,
        path_params: Optional[Mapping[str, Any]] = None,
        query: Query = None,
        body: Any = None,
        *,
        limits: Optional[Mapping[str, Tuple[int, int]]] = None,
        repeatable: bool = True,
    ) -> Result:
        """PUT ``body`` (JSON) and return ``(body, meta)``; an empty answer is ``None``.

        A PUT that sets a value is idempotent, so it is retried like a read. One
        that acts each time it arrives (a task group's start or retry) passes
        ``repeatable=False`` and is then sent again only as a POST is.
        """
        url = self.build_url(path_template, path_params, query, limits)
        return self._call('PUT', url, body=body, project_id=self._project_id, repeatable=None if repeatable else False)

    def delete(
        self,
        path_template: str,
        path_params: Optional[Mapping[str, Any]] = None,
        query: Query = None,
        *,
        limits: Optional[Mapping[str, Tuple[int, int]]] = None,
    ) -> Result:
        """DELETE a resource and return ``(body, meta)``; idempotent, so retried like a read. An empty answer (204) is ``None``."""
        url = self.build_url(path_template, path_params, query, limits)
        return self._call('DELETE', url, project_id=self._project_id)

    def _attempt(self, method: str, url: str, data: Optional[bytes], headers: Dict[str, str], project_id: Optional[str]) -> _transport.Answer:
        """One attempt, with one resend after a 401 when the auth method obtained a fresh credential."""
        signer = RequestSigner(self.auth, project_id=project_id)
        renewed = False
        while True:
            answer = _transport.exchange(
                self.session, method, url, read_limit=self.timeout[1], data=data, headers=headers, auth=signer, timeout=self.timeout, verify=self.verify
            )
            if answer.status == 401 and not renewed and answer.body_error is None and self.auth.on_unauthorized(answer.response, answer.content):
                answer.response.close()
                renewed = True
                continue
            return answer

    def _answer(self, method: str, url: str, data: Optional[bytes], project_id: Optional[str], repeatable: Optional[bool]) -> _transport.Answer:
        headers = {'Accept': 'application/json'}
        if data is not None:
            headers['Content-Type'] = JSON_CONTENT_TYPE

        def attempt():
            if self._limiter is None:
                return self._attempt(method, url, data, headers, project_id)
            with self._limiter:
                return self._attempt(method, url, data, headers, project_id)

        try:
            return self.policy.run(method, attempt, repeatable=repeatable)
        except HuaweiCloudError:  # the IAM token request of password auth failed
            raise
        except Exception as exc:  # anything requests, urllib3, the signer or a socket raises
            raise HuaweiCloudError(describe_send_failure(exc, self.secrets), method=method, url=url)

    def _call(self, method: str, url: str, *, body: Any = None, project_id: Optional[str] = None, repeatable: Optional[bool] = None) -> Result:
        data = None
        if body is not None:
            try:
                data = json.dumps(body, ensure_ascii=False, allow_nan=False, separators=(',', ':')).encode('utf-8')
            except (TypeError, ValueError) as exc:
                raise ValueError('the request body of %s %s is not JSON: %s' % (method, url, exc))
        # The credential's first request goes alone; after a refusal none goes (see CredentialGate).
        probe = self.gate.admit()
        refusal = None
        try:
            answer = self._answer(method, url, data, project_id, repeatable)
            response = answer.response
            request_id = mask_secrets(response.headers.get('X-Request-Id'), self.secrets)
            if answer.body_error is not None:
                message = answer.body_error.describe(self.timeout[1])
                if answer.attempts > 1:
                    message += ' (%d attempts)' % answer.attempts
                raise HuaweiCloudError(message, status=response.status_code, code=answer.body_error.code, request_id=request_id, method=method, url=url)
            if not 200 <= response.status_code < 300:
                error = parse_error_response(
                    response.status_code, response.headers, answer.content, reason=response.reason, method=method, url=url, secrets=self.secrets
                )
                if is_refusal(error):
                    error.hint = self.auth.refusal_hint(error)
                    refusal = error
                raise error
        finally:
            self.gate.settle(probe, refusal)
        LOG.debug('%s %s -> %s (request id %s)', method, url, response.status_code, request_id)
        content = answer.content
        meta = {'status': response.status_code, 'request_id': request_id, 'url': url}
        if method != 'GET' and not content.strip():
            return None, meta  # a write answered with no body (204 No Content, for one)
        try:
            return decode_json(content.decode('utf-8')), meta
        except UnusableValueError as exc:
            message = 'the response body cannot be used: %s' % exc
        except ValueError:
            message = 'the response body is not JSON: %s' % body_excerpt(content, self.secrets) if content else 'the response body is empty'
        raise HuaweiCloudError(message, status=response.status_code, code='InvalidResponse', request_id=request_id, method=method, url=url)

    # -- concurrency --------------------------------------------------------

    def fetch_many(
        self,
        fn: Callable[[Any], Any],
        items: Iterable[Hashable],
        *,
        fail_fast_after: Optional[int] = None,
        is_server_failure: Optional[Callable[[HuaweiCloudError], bool]] = None,
    ) -> List[Tuple[Any, Any]]:
        """:func:`.fanout.fetch_many` with this client's ``max_concurrency``."""
        return _fetch_many(fn, items, max_concurrency=self.max_concurrency, fail_fast_after=fail_fast_after, is_server_failure=is_server_failure)
