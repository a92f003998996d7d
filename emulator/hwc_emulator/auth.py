"""Authentication and project authorisation as the API gateway does it."""

import hmac
import time
from collections import namedtuple
from datetime import datetime, timezone

from . import signing


class AuthFailure(Exception):
    """A refused request: HTTP status, APIGW/service code and message."""

    def __init__(self, status, code, message):
        Exception.__init__(self, message)
        self.status = status
        self.code = code
        self.message = message


# Who made a request: kind is ``aksk``, ``temporary_aksk`` or ``token``.
Principal = namedtuple('Principal', 'kind name projects token_project header_project', defaults=(None, None, None))


def _refuse(message, code='APIGW.0301', status=401):
    return AuthFailure(status, code, 'Incorrect IAM authentication information: ' + message)


def authenticate(state, method, raw_path, raw_query, headers, body, now):
    """Return the Principal of a request or raise AuthFailure.

    ``headers`` is the request's header mapping (case-insensitive ``get``).
    """
    authorization = headers.get('Authorization')
    if authorization:
        return _check_aksk(state, method, raw_path, raw_query, headers, body, now, authorization)
    token_value = headers.get('X-Auth-Token')
    if token_value:
        return _check_token(state, token_value, now)
    raise _refuse('x-auth-token not found')


def _check_token(state, value, now):
    token = state.tokens.get(value.strip())
    if token is None:
        raise _refuse('decrypt token fail')
    if token.expires_ms <= now:
        raise _refuse('token expires', code='APIGW.0307')
    return Principal('token', token.principal, token_project=token.project_id)


def _check_aksk(state, method, raw_path, raw_query, headers, body, now, authorization):
    parsed = signing.parse_authorization(authorization)
    if parsed is None:
        raise _refuse('verify aksk signature fail (malformed Authorization header)')
    access_key, signed_headers, given = parsed
    sdk_date = headers.get('X-Sdk-Date')
    try:
        date_ms = int(datetime.strptime(sdk_date, signing.DATE_FORMAT).replace(tzinfo=timezone.utc).timestamp() * 1000)
    except (TypeError, ValueError):
        date_ms = None
    if date_ms is None or 'x-sdk-date' not in signed_headers:
        raise _refuse('verify aksk signature fail (x-sdk-date missing, unsigned or malformed)')
    if abs(now - date_ms) > state.settings.max_clock_skew_ms:
        raise _refuse('x-sdk-date expired: the request time is more than %d minutes off' % (state.settings.max_clock_skew_ms // 60000), code='APIGW.0303')
    key = state.access_keys.get(access_key)
    if key is None:
        raise _refuse('verify aksk signature fail (access key not found)')
    limit = state.settings.lockout_after
    record = state.failures.get(access_key)
    if limit and record and record[0] >= limit and time.monotonic() < record[1]:
        raise _refuse('the access key is locked after %d failed attempts' % limit)

    def header_lookup(name):
        values = headers.get_all(name) if hasattr(headers, 'get_all') else None
        if values:
            return ','.join(v.strip() for v in values)
        return headers.get(name)

    canonical = signing.canonical_request(
        method, raw_path, raw_query, header_lookup, signed_headers, signing.payload_hash(body, headers.get('X-Sdk-Content-Sha256'))
    )
    expected = None if canonical is None else signing.signature(key.secret_key, signing.string_to_sign(sdk_date, canonical))
    presented = headers.get('X-Security-Token')
    problem = None
    if expected is None or not hmac.compare_digest(expected, given):
        problem = 'verify aksk signature fail'
    elif key.security_token is not None and not presented:
        problem = 'x-security-token not found: this access key is temporary'
    elif key.security_token is not None and not hmac.compare_digest(presented.strip().encode(), key.security_token.encode()):
        problem = 'verify security token fail'
    if problem and limit:
        with state.lock:
            state.failures[access_key] = (state.failures.get(access_key, (0, 0.0))[0] + 1, time.monotonic() + state.settings.lockout_ms / 1000.0)
    if problem:
        raise _refuse(problem)
    if state.failures.get(access_key):
        with state.lock:
            state.failures.pop(access_key, None)
    kind = 'temporary_aksk' if key.security_token is not None else 'aksk'
    return Principal(kind, access_key, projects=key.projects, header_project=headers.get('X-Project-Id'))


def authorize_project(state, principal, project_id, forbidden_code):
    """Raise a 403 when ``principal`` may not act in ``project_id``.

    A token must be scoped to exactly that project (the gateway knows its scope);
    an AK/SK pair must own the project (the service says ``forbidden_code``).
    """
    if principal.kind == 'token':
        if principal.token_project != project_id:
            raise AuthFailure(403, 'APIGW.0302', 'The token is not scoped to the project in the request path.')
        return
    if principal.header_project and principal.header_project != project_id:
        raise AuthFailure(403, 'APIGW.0302', 'The X-Project-Id header does not match the project in the request path.')
    if project_id not in state.projects or (principal.projects is not None and project_id not in principal.projects):
        raise AuthFailure(403, forbidden_code, 'No permission: the credential does not own project %s.' % project_id)
