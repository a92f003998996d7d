# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""``HuaweiCloudClient``: endpoints, project discovery, ``get_json()`` and ``fetch_many()``.

One client per module run and service.  It owns the ``requests`` session (the
connection pool, retry policy and rate limiter of :mod:`._transport`) and the
auth method of :mod:`._auth`, and is safe to use from several threads at once.

Endpoint precedence for a service: the ``endpoint`` option, then the SDK's
``HUAWEICLOUD_SDK_REGION_{SERVICE}_{REGION}`` environment variable, then
``https://{service}.{region}.{cloud}`` (ModelArts in ap-southeast-1 on the
default cloud lives on ``myhuaweicloud.cn``, as in the official SDK).  IAM:
``iam_endpoint`` (or its environment variables), else
``https://iam.{region}.{cloud}``.  Plain ``http://`` endpoints are accepted
(the bundled emulator listens on ``http://127.0.0.1:PORT``); an endpoint with
``user:password@`` is refused (the URL appears in error messages).

A GET whose body arrives cut off, or not within ``timeout`` seconds, is sent
again (up to ``retries`` times, within the call's deadline); the error that
ends a call keeps the request id of the last answer.  Every exception raised
while sending becomes a :class:`HuaweiCloudError` worded from its type and
the URL, never from a header value.

Failures that would repeat for every id are paid once per call: a failed
project lookup is remembered (the later reads raise a
:class:`NotAttemptedError` naming it), and the credentials pass a
:class:`._auth.CredentialGate` shared by every client of the call, so wrong
credentials cost one refused request.  Every secret the client holds or
obtains is in :attr:`HuaweiCloudClient.secrets` (a module passes its
``no_log_values``), and every text taken from an answer is masked with them
before it is shortened.
"""

import logging
import os
import re
import string
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote, urlsplit

from ansible_collections.hwcloud.migration.plugins.module_utils._api import transport as _transport
from ansible_collections.hwcloud.migration.plugins.module_utils._api.auth import CredentialGate, RequestSigner, build_auth, is_refusal
from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import (
    HuaweiCloudError,
    NotAttemptedError,
    ParameterError,
    body_excerpt,
    describe_send_failure,
    mask_secrets,
    parse_error_response,
)
from ansible_collections.hwcloud.migration.plugins.module_utils._api.options import (
    DEFAULT_CLOUD,
    DEFAULTS,
    OptionError,
    resolve_auth_mode,
    validate_common_params,
)
from ansible_collections.hwcloud.migration.plugins.module_utils._api.signer import canonical_query_string
from ansible_collections.hwcloud.migration.plugins.module_utils._values import UnusableValueError, decode_json
from ansible_collections.hwcloud.migration.plugins.module_utils._version import USER_AGENT

LOG = logging.getLogger(__name__)

# (min, max) length in characters of path parameters; any other name gets DEFAULT_PARAM_LIMITS.
PARAM_LIMITS = {'project_id': (1, 1024)}
DEFAULT_PARAM_LIMITS = (1, 255)

# Options whose values are secrets: masked in every text taken from an answer.
SECRET_OPTIONS = ('secret_key', 'security_token', 'auth_token', 'password')

# C0 and C1 control characters, DEL, and the Unicode line/paragraph separators.
_CONTROL_RE = re.compile('[\x00-\x1f\x7f-\x9f\u2028\u2029]')


def _env_name(service, region):
    return 'HUAWEICLOUD_SDK_REGION_%s_%s' % (service.upper(), region.upper().replace('-', '_'))


def _normalise_endpoint(value, option):
    value = value.strip()
    if '://' not in value:
        value = 'https://' + value
    parts = urlsplit(value)
    if '@' in parts.netloc:
        # Not repeated: the part before "@" is a password more often than not.
        raise OptionError(
            '%s must not contain user:password@ (the URL appears in error messages); give the '
            'credentials in the authentication options or their environment variables instead.' % option
        )
    if _CONTROL_RE.search(value) or ' ' in value:
        raise OptionError('%s must be a URL without spaces or control characters.' % option)
    if parts.scheme not in ('http', 'https') or not parts.netloc or parts.query or parts.fragment:
        raise OptionError('%s must be an http:// or https:// URL without query, got %r.' % (option, value))
    try:
        _port = parts.port  # urlsplit checks the port only when it is read
    except ValueError:
        raise OptionError('%s has an invalid port, got %r.' % (option, value))
    return value.rstrip('/')


def resolve_endpoint(service, region=None, cloud=None, endpoint=None, environ=None):
    """Base URL of ``service``: option, then ``HUAWEICLOUD_SDK_REGION_{SERVICE}_{REGION}``, then the default."""
    if endpoint:
        return _normalise_endpoint(endpoint, 'endpoint')
    if not region:
        raise OptionError('region (or HW_REGION_NAME) is required to find the %s endpoint, unless endpoint is set.' % service)
    environ = os.environ if environ is None else environ
    env_name = _env_name(service, region)
    if environ.get(env_name):
        return _normalise_endpoint(environ[env_name], env_name)
    cloud = cloud or DEFAULT_CLOUD
    if service == 'modelarts' and region == 'ap-southeast-1' and cloud == DEFAULT_CLOUD:
        return 'https://modelarts.ap-southeast-1.myhuaweicloud.cn'
    return 'https://%s.%s.%s' % (service, region, cloud)


def resolve_iam_endpoint(region=None, cloud=None, iam_endpoint=None):
    """IAM base URL: ``iam_endpoint``, else ``https://iam.{region}.{cloud}`` (global ``iam.{cloud}`` without region)."""
    if iam_endpoint:
        return _normalise_endpoint(iam_endpoint, 'iam_endpoint')
    cloud = cloud or DEFAULT_CLOUD
    if region:
        return 'https://iam.%s.%s' % (region, cloud)
    return 'https://iam.%s' % cloud


def quote_path_param(name, value, limits=None):
    """Validate one path parameter and percent-encode it as exactly one path segment.

    ``value`` must be a str of ``limits`` (min, max) characters (default: 1..1024
    for ``project_id``, 1..255 otherwise) without control characters, and not
    ``.`` or ``..``.  Everything but unreserved characters is encoded (``/``,
    ``?``, ``#`` and ``%`` included), so the value can never change the path.
    Raises :class:`ParameterError`.
    """
    if not isinstance(value, str):
        raise ParameterError('%s must be a string, got %s' % (name, type(value).__name__), name=name)
    low, high = limits or PARAM_LIMITS.get(name, DEFAULT_PARAM_LIMITS)
    if not low <= len(value) <= high:
        raise ParameterError('%s must be %d to %d characters long, got %d' % (name, low, high, len(value)), name=name)
    if _CONTROL_RE.search(value):
        raise ParameterError('%s must not contain control characters' % name, name=name)
    if value in ('.', '..'):
        raise ParameterError('%s must not be %r' % (name, value), name=name)
    return quote(value, safe='')


def _query_pairs(query):
    """Normalise a query mapping (or list of pairs) to sorted-able (str, str) pairs."""
    if not query:
        return []
    items = query.items() if isinstance(query, dict) else query
    pairs = []
    for key, value in items:
        if not isinstance(key, str) or not key or _CONTROL_RE.search(key):
            raise ParameterError('query parameter names must be non-empty strings, got %r' % (key,), name=key)
        values = value if isinstance(value, (list, tuple)) else [value]
        for item in values:
            if item is None:
                continue
            if isinstance(item, bool) or not isinstance(item, (str, int)):
                raise ParameterError('query parameter %s must be a string or an integer, got %s' % (key, type(item).__name__), name=key)
            text = str(item)
            if _CONTROL_RE.search(text):
                raise ParameterError('query parameter %s must not contain control characters' % key, name=key)
            pairs.append((key, text))
    return pairs


class HuaweiCloudClient:
    """Client of one Huawei Cloud service for one module run (see the module docstring).

    ``params`` is the module's params dict (the common options; missing ones
    take their defaults).  Raises :class:`OptionError` for a bad configuration.
    ``session`` and ``auth`` may be injected (tests); by default they are built
    from ``params``.  ``secrets`` is the set that collects every secret the
    client holds or obtains (a module passes its ``no_log_values``, so Ansible
    masks them too); ``gate`` the :class:`._auth.CredentialGate` of the call.
    """

    def __init__(self, params, service, user_agent=None, session=None, auth=None, environ=None, limiter=None, project_from=None, secrets=None, gate=None):
        merged = dict(DEFAULTS)
        merged.update(dict((key, value) for key, value in params.items() if value is not None))
        validate_common_params(merged)
        self.params = merged
        self.service = service.lower()
        self.region = merged.get('region') or None
        self.cloud = merged.get('cloud') or DEFAULT_CLOUD
        self.endpoint = resolve_endpoint(self.service, self.region, self.cloud, merged.get('endpoint'), environ)
        self.iam_endpoint = resolve_iam_endpoint(self.region, self.cloud, merged.get('iam_endpoint'))
        self.timeout = _transport.request_timeout(merged['timeout'])
        self.verify = _transport.verify_setting(merged['validate_certs'], merged['ca_path'])
        self.max_concurrency = int(merged['max_concurrency'])
        self.user_agent = user_agent or USER_AGENT
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
            )
        self.auth = auth
        self.gate = gate if gate is not None else CredentialGate()
        self._project_id = merged.get('project_id') or None
        self._project_failure = None
        self._project_lock = threading.Lock()
        # Clients that read together share one project lookup and one bound on the requests in flight.
        self._project_from = project_from
        self._limiter = limiter

    def for_service(self, service, limiter=None):
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

    def __repr__(self):
        return '<HuaweiCloudClient service=%s endpoint=%s auth=%s>' % (self.service, self.endpoint, self.auth.name)

    # -- project ------------------------------------------------------------

    @property
    def project_id(self):
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

    def _discover_project_id(self):
        if not self.region:
            raise HuaweiCloudError(
                'set project_id (or HUAWEICLOUD_SDK_PROJECT_ID / HW_PROJECT_ID), or region so that it can be looked up in IAM', code='InvalidParameter'
            )
        scoped = getattr(self.auth, 'scoped_project_id', None)
        if scoped is not None:
            found = scoped()
            if found:
                return found
        url = '%s/v3/projects?%s' % (self.iam_endpoint, canonical_query_string([('name', self.region)]))
        body, meta = self._request_json(url, project_id=None)
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

    # -- requests -----------------------------------------------------------

    def build_path(self, path_template, path_params=None, limits=None):
        """Fill ``path_template`` (``/v2/{project_id}/...``); each value is validated and quoted as one segment.

        ``{project_id}`` is filled from :attr:`project_id` unless given.  A
        placeholder without a value, or a value without a placeholder, is a
        programming error (``ValueError``).  ``limits`` maps a parameter name
        to its (min, max) length.
        """
        path_params = dict(path_params or {})
        limits = limits or {}
        pieces = []
        used = set()
        for literal, field, format_spec, conversion in string.Formatter().parse(path_template):
            pieces.append(literal)
            if field is None:
                continue
            if format_spec or conversion or not field:
                raise ValueError('unsupported placeholder in %r' % path_template)
            if field in path_params:
                value = path_params[field]
            elif field == 'project_id':
                value = self.project_id
            else:
                raise ValueError('no value for {%s} in %r' % (field, path_template))
            used.add(field)
            pieces.append(quote_path_param(field, value, limits.get(field)))
        unused = set(path_params) - used
        if unused:
            raise ValueError('path parameters %s are not in %r' % (', '.join(sorted(unused)), path_template))
        path = ''.join(pieces)
        if not path.startswith('/'):
            raise ValueError('path templates start with "/": %r' % path_template)
        return path

    def build_url(self, path_template, path_params=None, query=None, limits=None):
        """Full URL for a call: endpoint, encoded path, and the canonical (sorted, encoded) query."""
        url = self.endpoint + self.build_path(path_template, path_params, limits)
        pairs = _query_pairs(query)
        if pairs:
            url += '?' + canonical_query_string(pairs)
        return url

    def get_json(self, path_template, path_params=None, query=None, limits=None):
        """GET a service resource and return ``(body, meta)``.

        ``body`` is the parsed JSON; ``meta`` is ``{"status", "request_id",
        "url"}``.  ``query`` is a dict (or list of pairs) of str/int values (a
        list value repeats the key, None drops it).  Raises
        :class:`HuaweiCloudError` for any failure (non-2xx status, transport
        error with ``status`` None, a 2xx body that is not JSON) and
        :class:`ParameterError` (a ``HuaweiCloudError`` and a ``ValueError``)
        for a refused parameter.
        """
        url = self.build_url(path_template, path_params, query, limits)
        return self._request_json(url, project_id=self._project_id)

    def _send(self, url, project_id):
        signer = RequestSigner(self.auth, project_id=project_id)
        renewed = False
        while True:
            try:
                response = self.session.request(
                    'GET',
                    url,
                    auth=signer,
                    timeout=self.timeout,
                    verify=self.verify,
                    allow_redirects=False,
                    stream=True,
                    headers={'Accept': 'application/json'},
                )
            except HuaweiCloudError as err:  # the IAM token request of password auth failed
                raise err
            except Exception as exc:  # anything requests, urllib3, the signer or a socket raises
                raise HuaweiCloudError(describe_send_failure(exc, self.secrets), method='GET', url=url)
            if response.status_code == 401 and not renewed:
                try:
                    _transport.read_body(response, self.timeout[1])
                except _transport.BodyReadError:
                    return response  # reported by the caller, which reads the body again
                try:
                    renew = self.auth.on_unauthorized(response)
                except HuaweiCloudError:
                    raise
                except Exception as exc:
                    raise HuaweiCloudError(describe_send_failure(exc, self.secrets), method='GET', url=url)
                if renew:
                    response.close()
                    renewed = True
                    continue
            return response

    def _read_body(self, response, url, request_id):
        """``(content, None)``, or ``(None, error)`` for a body cut off or not complete in time."""
        try:
            return _transport.read_body(response, self.timeout[1]), None
        except _transport.BodyReadError as exc:
            return None, HuaweiCloudError(
                exc.describe(self.timeout[1]), status=response.status_code, code=exc.code, request_id=request_id, method='GET', url=url
            )

    def _exchange(self, url, project_id):
        """One request and its body: ``(response, content, error)`` (see :meth:`_read_body`)."""
        response = self._send(url, project_id)
        content, error = self._read_body(response, url, mask_secrets(response.headers.get('X-Request-Id'), self.secrets))
        return response, content, error

    def _request_json(self, url, project_id=None):
        # The credential's first request goes alone; after a refusal none goes (see CredentialGate).
        probe = self.gate.admit()
        refusal = None
        try:
            response, content, request_id = self._answer(url, project_id)
            if not 200 <= response.status_code < 300:
                error = parse_error_response(
                    response.status_code, response.headers, content, reason=response.reason, method='GET', url=url, secrets=self.secrets
                )
                if is_refusal(error):
                    error.hint = self.auth.refusal_hint(error)
                    refusal = error
                raise error
        finally:
            self.gate.settle(probe, refusal)
        try:
            body = decode_json(content.decode('utf-8'))
        except UnusableValueError as exc:
            message = 'the response body cannot be used: %s' % exc
            raise HuaweiCloudError(message, status=response.status_code, code='InvalidResponse', request_id=request_id, method='GET', url=url)
        except ValueError:
            message = 'the response body is not JSON: %s' % body_excerpt(content, self.secrets) if content else 'the response body is empty'
            raise HuaweiCloudError(message, status=response.status_code, code='InvalidResponse', request_id=request_id, method='GET', url=url)
        return body, {'status': response.status_code, 'request_id': request_id, 'url': url}

    def _answer(self, url, project_id):
        """``(response, content, request_id)`` of a whole answer, sending again while a body arrives cut off or late."""
        # One deadline for the whole call: rate-limiter waits, urllib3's retries, body re-reads, the IAM token request.
        with _transport.call_deadline(_transport.retry_deadline(self.params['timeout'], int(self.params['retries']))) as deadline:
            return self._answer_until(url, project_id, deadline)

    def _answer_until(self, url, project_id, deadline):
        retries = int(self.params['retries'])
        attempt = 0
        while True:
            if self._limiter is None:
                response, content, error = self._exchange(url, project_id)
            else:
                with self._limiter:
                    response, content, error = self._exchange(url, project_id)
            request_id = mask_secrets(response.headers.get('X-Request-Id'), self.secrets)
            if error is None:
                break
            attempt += 1
            wait = _transport.backoff_wait(attempt)
            if attempt > retries or error.code != 'IncompleteResponse' or _transport.clock() + wait > deadline:
                if attempt > 1:
                    error.message += ' (%d attempts)' % attempt
                raise error
            LOG.debug('GET %s: %s; retrying in %.2fs', url, error.message, wait)
            _transport.sleep(wait)
        LOG.debug('GET %s -> %s (request id %s)', url, response.status_code, request_id)
        return response, content, request_id

    # -- concurrency --------------------------------------------------------

    def fetch_many(self, fn, items, fail_fast_after=None, is_server_failure=None):
        """Run ``fn(item)`` for each distinct item, at most ``max_concurrency`` at a time.

        Returns a list of ``(item, result)`` pairs, one per distinct item, in the
        order items first appear in ``items``.  When ``fn`` raises
        :class:`HuaweiCloudError`, the exception takes the place of the result
        (check with ``isinstance``); any other exception propagates.  Items
        must be hashable.

        With ``fail_fast_after`` N, once N items in a row (in completion order)
        failed with a server failure (``is_server_failure(err)``, default: no
        HTTP answer, 429 or 5xx, after the transport's own retries), no new
        item is started: the rest get a :class:`NotAttemptedError`.
        """
        distinct = unique(items)
        if not distinct:
            return []
        is_server_failure = is_server_failure or server_failure
        outcomes = {}
        lock = threading.Lock()
        pending = iter(distinct)
        streak = [0, None]  # consecutive server failures, the last of them

        def next_item():
            with lock:
                for item in pending:
                    if fail_fast_after and streak[0] >= fail_fast_after:
                        outcomes[item] = NotAttemptedError.after_server_failures(streak[0], streak[1])
                        continue
                    return True, item
                return False, None

        def record(item, outcome):
            with lock:
                outcomes[item] = outcome
                if isinstance(outcome, HuaweiCloudError) and is_server_failure(outcome):
                    streak[0] += 1
                    streak[1] = outcome
                elif not isinstance(outcome, NotAttemptedError):
                    streak[0] = 0

        def work():
            while True:
                more, item = next_item()
                if not more:
                    return
                try:
                    outcome = fn(item)
                except HuaweiCloudError as err:
                    outcome = err
                record(item, outcome)

        workers = min(self.max_concurrency, len(distinct))
        if workers == 1:
            work()
        else:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                futures = [pool.submit(work) for _worker in range(workers)]
                for future in futures:
                    future.result()
        return [(item, outcomes[item]) for item in distinct]


def unique(items):
    """``items`` without repeats, in the order of first appearance (items must be hashable)."""
    seen = set()
    ordered = []
    for item in items:
        if item not in seen:
            seen.add(item)
            ordered.append(item)
    return ordered


def server_failure(err):
    """Whether ``err`` is the service (or the way to it) failing, not an answer about one resource."""
    return (
        isinstance(err, HuaweiCloudError)
        and not isinstance(err, (ParameterError, NotAttemptedError))
        and (err.status is None or err.status == 429 or err.status >= 500)
    )
