# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The IAM token request of password authentication (``POST /v3/auth/tokens``).

:class:`.auth.PasswordAuth` decides when a token is needed; this module asks
IAM for one and reads the answer: the token (``X-Subject-Token``, registered
as a secret the moment it arrives, before anything else is read or sent) and
the id of the project it is scoped to.

The request goes through the call's retry policy as a POST that is safe to
repeat (``repeatable=True``): a token request creates nothing lasting (a
second token simply replaces a first one nothing used), so a 503 or a timeout
from IAM is worth another attempt, within the deadline of the call it is made
for.
"""

import json
from typing import Any, Dict, Optional, Set, Tuple

from ansible_collections.hwcloud.migration.plugins.module_utils._api import transport as _transport
from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError, describe_send_failure, mask_secrets, parse_error_response
from ansible_collections.hwcloud.migration.plugins.module_utils._api.retry import RetryPolicy

HEADER_SUBJECT_TOKEN = 'X-Subject-Token'

_REFUSAL_HINT = (
    'Check username, password and domain_name (the account the IAM user belongs to), and that the user may use '
    'the project of project_id or region. The other reads of this call were not sent.'
)


def token_request_body(username: str, password: str, domain_name: str, *, project_id: Optional[str] = None, region: Optional[str] = None) -> Dict[str, Any]:
    """The body of a password token request, scoped to ``project_id``, else to the project named ``region``."""
    if project_id:
        scope = {'project': {'id': project_id}}
    elif region:
        scope = {'project': {'name': region}}
    else:
        raise HuaweiCloudError('password authentication needs region or project_id to scope the token', code='InvalidParameter')
    return {
        'auth': {
            'identity': {'methods': ['password'], 'password': {'user': {'domain': {'name': domain_name}, 'name': username, 'password': password}}},
            'scope': scope,
        }
    }


def request_token(
    session: Any, iam_endpoint: str, request_body: Dict[str, Any], *, timeout: Any, verify: Any, secrets: Set[str], policy: Optional[RetryPolicy] = None
) -> Tuple[str, Optional[str]]:
    """Ask IAM for a token; return ``(token, project id of its scope or None)``.

    ``timeout`` is a (connect, read) pair or one number; the body is read within
    its read part, like every other answer.  ``policy`` defaults to one attempt.
    Raises :class:`HuaweiCloudError` (never naming the password).
    """
    url = iam_endpoint.rstrip('/') + '/v3/auth/tokens'
    payload = json.dumps(request_body).encode('utf-8')
    limit = timeout[1] if isinstance(timeout, tuple) else (timeout or 30.0)
    policy = policy or RetryPolicy(0, limit)

    def attempt():
        return _transport.exchange(
            session, 'POST', url, read_limit=limit, data=payload, headers={'Content-Type': 'application/json;charset=UTF-8'}, timeout=timeout, verify=verify
        )

    try:
        answer = policy.run('POST', attempt, repeatable=True)
    except Exception as exc:  # requests' exceptions, without importing requests here
        raise HuaweiCloudError('could not obtain an IAM token: %s' % describe_send_failure(exc, secrets), method='POST', url=url)
    response = answer.response
    token = response.headers.get(HEADER_SUBJECT_TOKEN)
    if token:
        # Registered before anything else is read or sent, so no later answer can echo it unmasked.
        secrets.add(token)
    if answer.body_error is not None:
        raise HuaweiCloudError(
            'could not obtain an IAM token: %s' % answer.body_error.describe(limit),
            status=response.status_code,
            code='IncompleteResponse',
            request_id=mask_secrets(response.headers.get('X-Request-Id'), secrets),
            method='POST',
            url=url,
        )
    if response.status_code != 201 or not token:
        error = parse_error_response(response.status_code, response.headers, answer.content, reason=response.reason, method='POST', url=url, secrets=secrets)
        if response.status_code == 201:
            error.message = 'IAM answered 201 without an X-Subject-Token header'
        elif response.status_code in (400, 401, 403):
            error.hint = _REFUSAL_HINT
        raise error
    try:
        document = json.loads(answer.content.decode('utf-8'))
        project_id = ((document.get('token') or {}).get('project') or {}).get('id')
    except (ValueError, AttributeError):
        project_id = None
    return token, project_id
