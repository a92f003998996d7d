# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Authentication methods for Huawei Cloud APIs, one small class each, one interface.

Every method answers two questions:

* ``headers_for(method, url, headers, body, project_id=None)``: which headers
  to add to this request (the caller's dict is not modified);
* ``on_unauthorized(response)``: after a 401, should the request be sent once
  more (True only when a fresh credential was obtained or is available)?

:class:`AkSkAuth` signs each request (SDK-HMAC-SHA256), :class:`TokenAuth`
sends a fixed ``X-Auth-Token``, :class:`PasswordAuth` obtains a token from IAM
once per module run and renews it once when the service says it expired.

:class:`RequestSigner` adapts any of them to the ``auth`` hook of
``requests`` (a callable that receives the prepared request), so signing sees
the final URL and body.

After a refusal (:mod:`.lockout`), :meth:`AuthMethod.refusal_hint` says what
to check.  A failed IAM token request (:mod:`.iam`) is remembered by
:class:`PasswordAuth` for the rest of the call.
"""

import logging
import threading
from typing import Any, Dict, Mapping, Optional, Set

from ansible_collections.hwcloud.migration.plugins.module_utils._api import iam as _iam
from ansible_collections.hwcloud.migration.plugins.module_utils._api import signer as _signer
from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError, NotAttemptedError, parse_error_response
from ansible_collections.hwcloud.migration.plugins.module_utils._api.options import ENV_VARS

LOG = logging.getLogger(__name__)

HEADER_PROJECT_ID = 'X-Project-Id'
HEADER_SECURITY_TOKEN = 'X-Security-Token'
HEADER_AUTH_TOKEN = 'X-Auth-Token'

# Headers that a proxy or the HTTP library may add, drop or rewrite on the way:
# they are sent but never signed (the server verifies only the names listed
# in SignedHeaders).
_UNSIGNED_HEADERS = frozenset(
    [
        'connection',
        'keep-alive',
        'proxy-authorization',
        'proxy-connection',
        'te',
        'trailer',
        'transfer-encoding',
        'upgrade',
        'accept-encoding',
        'content-length',
        'authorization',
    ]
)

# Error codes that mean "your token expired, get a new one".
TOKEN_EXPIRED_CODES = frozenset(['APIGW.0307', 'ModelArts.6620'])
_TOKEN_EXPIRED_WORDS = ('token expire', 'expired')


_CLOCK_HINT = 'The clock of the host that runs the module is more than 15 minutes off (AK/SK requests carry its time): set it right, for example with NTP.'
_NOT_AUTHORISED_HINT = (
    'The credentials may not make this call: check project_id (or the project IAM finds for region) and the IAM '
    "permissions of the credentials' user for this service."
)
_OTHERS_STOPPED = 'The other reads of this call were not sent with these credentials.'


def _variables(option):
    return ' or '.join(ENV_VARS.get(option, ()))


def _pair_variables():
    """``HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK or HW_ACCESS_KEY/HW_SECRET_KEY``: the variable families of a key pair."""
    return ' or '.join('%s/%s' % pair for pair in zip(ENV_VARS['access_key'], ENV_VARS['secret_key']))


def token_expired(error: Any) -> bool:
    """True when a 401 :class:`HuaweiCloudError` says the token expired (not merely wrong)."""
    if error is None or error.status != 401:
        return False
    if error.code in TOKEN_EXPIRED_CODES:
        return True
    text = (error.message or '').lower()
    return any(word in text for word in _TOKEN_EXPIRED_WORDS)


class AuthMethod:
    """Interface of the auth methods (see the module docstring)."""

    name = 'none'

    def headers_for(self, method: str, url: str, headers: Mapping[str, str], body: Any, *, project_id: Optional[str] = None) -> Dict[str, str]:
        """Return the headers to add to this request."""
        raise NotImplementedError

    def on_unauthorized(self, response: Any, content: Optional[bytes] = None) -> bool:
        """After a 401 (``content`` its body, else ``response.content``): True if the request should be sent once more with fresh credentials."""
        return False

    def refusal_hint(self, error: Any) -> str:
        """What the user should check after ``error``, a refusal of these credentials (see :func:`is_refusal`)."""
        if error.code == 'APIGW.0303':
            return '%s %s' % (_CLOCK_HINT, _OTHERS_STOPPED)
        if error.code == 'APIGW.0302':
            return '%s %s' % (_NOT_AUTHORISED_HINT, _OTHERS_STOPPED)
        return '%s %s' % (self._wrong_credentials_hint(), _OTHERS_STOPPED)

    def _wrong_credentials_hint(self):
        return 'Check the credentials.'


class AkSkAuth(AuthMethod):
    """Permanent or temporary access keys; every request is signed.

    ``X-Project-Id`` is added for project-scoped calls and ``X-Security-Token``
    for temporary keys, both before signing so both are signed.
    """

    name = 'aksk'

    def __init__(self, access_key, secret_key, security_token=None, now=None):
        self._access_key = access_key
        self._secret_key = secret_key
        self._security_token = security_token
        self._now = now  # a fixed datetime for tests; None means the current time

    def __repr__(self):
        return '<AkSkAuth temporary=%s>' % bool(self._security_token)

    def _wrong_credentials_hint(self):
        text = (
            'Check that access_key and secret_key are one pair (the options, or the environment variables %s; '
            'export one family only) and that no white space surrounds either value' % _pair_variables()
        )
        spaced = [name for name, value in (('access_key', self._access_key), ('secret_key', self._secret_key)) if value != value.strip()]
        if spaced:
            text += ' (%s %s white space at its start or end)' % (' and '.join(spaced), 'has' if len(spaced) == 1 else 'each have')
        if self._security_token:
            text += '; temporary keys also need their current security_token (%s), and a stale one left beside permanent keys must be unset' % _variables(
                'security_token'
            )
        return text + '. API Gateway locks an AK/SK pair for 5 minutes after 5 refused requests in a row.'

    def headers_for(self, method, url, headers, body, *, project_id=None):
        """Add X-Project-Id / X-Security-Token, then sign every other signable header."""
        added = {}
        if project_id:
            added[HEADER_PROJECT_ID] = project_id
        if self._security_token:
            added[HEADER_SECURITY_TOKEN] = self._security_token
        to_sign = dict((key, value) for key, value in (headers or {}).items() if key.lower() not in _UNSIGNED_HEADERS)
        to_sign.update(added)
        added.update(_signer.sign_request(method, url, to_sign, body, self._access_key, self._secret_key, now=self._now))
        return added


class TokenAuth(AuthMethod):
    """A user-supplied IAM token sent as ``X-Auth-Token``; it cannot be renewed here."""

    name = 'token'

    def __init__(self, token):
        self._token = token

    def __repr__(self):
        return '<TokenAuth>'

    def _wrong_credentials_hint(self):
        return 'Check auth_token: it is not an IAM token of this project, or older than its 24 hours; get a new one.'

    def headers_for(self, method, url, headers, body, *, project_id=None):
        """The static ``X-Auth-Token`` header."""
        return {HEADER_AUTH_TOKEN: self._token}


class PasswordAuth(AuthMethod):
    """IAM user name and password exchanged for a token, lazily, once per run, thread-safe.

    The token is project-scoped: by ``project_id`` when known, else by the
    region's project name.  A 401 that says the token expired triggers one
    renewal for the whole run (``max_renewals``: one per read when several
    reads share the token); an expiry beyond that is reported as the error it
    is, so a broken IAM cannot cause a loop.
    """

    name = 'password'
    MAX_RENEWALS = 1

    def __init__(
        self,
        session: Any,
        iam_endpoint: str,
        username: str,
        password: str,
        domain_name: str,
        region: Optional[str] = None,
        project_id: Optional[str] = None,
        timeout: Any = None,
        verify: Any = True,
        secrets: Optional[Set[str]] = None,
        policy: Any = None,
    ) -> None:
        self._session = session
        # The retry policy of the call (None: one attempt); the token request is a POST safe to repeat (see .iam).
        self._policy = policy
        self._iam_endpoint = iam_endpoint.rstrip('/')
        self._username = username
        self._password = password
        self._domain_name = domain_name
        self._region = region
        self._project_id = project_id
        self._timeout = timeout
        self._verify = verify
        self._lock = threading.Lock()
        self._token = None
        # The failed token request of this call: every later request is not attempted because of it.
        self._failure = None
        # Where the fetched token is registered as a secret (the module's no_log values).
        self._secrets = secrets if secrets is not None else set()
        self.token_project_id = None
        self.fetch_count = 0
        self.renewals = 0
        # One renewal per read that shares this token (migration_state_info raises it to its number of reads).
        self.max_renewals = self.MAX_RENEWALS

    def __repr__(self):
        return '<PasswordAuth user=%s domain=%s>' % (self._username, self._domain_name)

    def _wrong_credentials_hint(self):
        return 'The IAM token obtained with username and password was refused: check that the user may use this project (project_id or region) and service.'

    def _fetch(self):
        self.fetch_count += 1
        body = _iam.token_request_body(self._username, self._password, self._domain_name, project_id=self._project_id, region=self._region)
        token, self.token_project_id = _iam.request_token(
            self._session, self._iam_endpoint, body, timeout=self._timeout, verify=self._verify, secrets=self._secrets, policy=self._policy
        )
        LOG.debug('obtained an IAM token for user %s (fetch %d)', self._username, self.fetch_count)
        return token

    def token(self) -> str:
        """The current token, fetched from IAM on first use (one fetch even with many threads).

        A failed fetch is remembered for the rest of the call: the requests
        after it raise a :class:`NotAttemptedError` naming it, and IAM is not
        asked again (a slow or dead IAM costs one token request, with its
        retries, per call; a wrong password one refusal).
        """
        with self._lock:
            if self._failure is not None:
                raise NotAttemptedError(
                    'the IAM token request of this call failed',
                    self._failure,
                    summary='not attempted because the IAM token request failed (%s)' % self._failure.answer(),
                )
            if self._token is None:
                try:
                    self._token = self._fetch()
                except HuaweiCloudError as err:
                    self._failure = err
                    raise
            return self._token

    def scoped_project_id(self) -> Optional[str]:
        """The id of the project the token is scoped to (from the token body), fetching the token if needed."""
        self.token()
        return self.token_project_id

    def headers_for(self, method, url, headers, body, *, project_id=None):
        """The ``X-Auth-Token`` header with the run's token."""
        return {HEADER_AUTH_TOKEN: self.token()}

    def on_unauthorized(self, response: Any, content: Optional[bytes] = None) -> bool:
        """Renew the token once per run when the 401 says it expired; True means send again."""
        error = parse_error_response(response.status_code, response.headers, response.content if content is None else content)
        if not token_expired(error):
            return False
        used = None
        request = getattr(response, 'request', None)
        if request is not None:
            used = request.headers.get(HEADER_AUTH_TOKEN)
        with self._lock:
            if self._token is not None and used is not None and used != self._token:
                # Another thread already renewed it: just send again with the new one.
                return True
            if self.renewals >= self.max_renewals:
                return False
            self.renewals += 1
            self._token = None
        LOG.debug('IAM token expired; obtaining a new one')
        return True


class RequestSigner:
    """``requests`` auth hook: applies an :class:`AuthMethod` to a prepared request.

    ``project_id`` is sent as ``X-Project-Id`` by AK/SK auth (project-scoped
    service calls); leave it None for IAM calls.
    """

    def __init__(self, auth, project_id=None):
        self.auth = auth
        self.project_id = project_id

    def __call__(self, prepared):
        body = prepared.body
        if hasattr(body, 'read'):
            raise ValueError('streamed request bodies cannot be signed')
        headers = dict(prepared.headers)
        prepared.headers.update(self.auth.headers_for(prepared.method, prepared.url, headers, body, project_id=self.project_id))
        return prepared


def build_auth(
    mode: str,
    params: Mapping[str, Any],
    session: Any = None,
    iam_endpoint: Optional[str] = None,
    timeout: Any = None,
    verify: Any = True,
    secrets: Optional[Set[str]] = None,
    policy: Any = None,
) -> AuthMethod:
    """Build the :class:`AuthMethod` for ``mode`` (from ``resolve_auth_mode``) and the module params.

    ``secrets`` (a set) receives every secret the method obtains later (the IAM token of password authentication);
    ``policy`` is the retry policy its IAM token request goes by.
    """
    if mode == 'aksk':
        return AkSkAuth(params['access_key'], params['secret_key'], params.get('security_token') or None)
    if mode == 'token':
        return TokenAuth(params['auth_token'])
    if mode == 'password':
        return PasswordAuth(
            session,
            iam_endpoint,
            params['username'],
            params['password'],
            params['domain_name'],
            region=params.get('region'),
            project_id=params.get('project_id'),
            timeout=timeout,
            verify=verify,
            secrets=secrets,
            policy=policy,
        )
    raise ValueError('unknown auth mode %r' % (mode,))
