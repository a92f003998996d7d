# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The options every Huawei Cloud module shares, and the choice of the auth method.

Precedence for each option: the module option, then the official SDK's
environment variable (``HUAWEICLOUD_SDK_*``), then the Terraform provider's
(``HW_*``).  Ansible's ``env_fallback`` takes the first variable that is set,
which is why the SDK variable is listed first.

The functions here are pure (they read a params dict and raise
:class:`OptionError`), so the module base turns a bad configuration into one
``fail_json`` that names the options to set or unset.
"""

import os
import re
from typing import Any, Dict, Mapping, Optional

from ansible.module_utils.basic import env_fallback

from ansible_collections.hwcloud.migration.plugins.module_utils._api.regions import KNOWN_REGIONS, closest_region, is_known_region
from ansible_collections.hwcloud.migration.plugins.module_utils._values import CONTROL_CHARACTERS, is_number

AUTH_AKSK = 'aksk'
AUTH_TOKEN = 'token'
AUTH_PASSWORD = 'password'

DEFAULT_CLOUD = 'myhuaweicloud.com'
MAX_CONCURRENCY_LIMIT = 64

# The one source of the defaults of the common options: the argument spec, the
# client (for callers that pass a partial params dict) and the transport read them here.
DEFAULTS = {
    'cloud': DEFAULT_CLOUD,
    'validate_certs': True,
    'ca_path': None,
    'timeout': 30.0,
    'retries': 4,
    'max_concurrency': 8,
    'rate_limit': None,
    'max_response_bytes': 32 * 1024 * 1024,
}

# The allowed range of each numeric option: (lowest, highest, what the number counts).
# A value outside it (infinity and NaN included) is refused by name before any request:
# a timeout of 1e-9 s or 1e300 s, or a billion retries, is a typo, never a setting.
# 600 s is the longest a call may take (see _transport.MAX_RETRY_WINDOW).
RANGES = {
    'timeout': (0.1, 600.0, 'seconds'),
    'retries': (0, 20, 'retries'),
    'max_concurrency': (1, MAX_CONCURRENCY_LIMIT, 'calls in flight'),
    'rate_limit': (0.01, 1000.0, 'requests per second'),
    'max_response_bytes': (1024, 1024 * 1024 * 1024, 'bytes'),
}

# Options whose values end up in HTTP headers or request bodies: a line break or
# another control character there is refused before anything is sent, because
# the HTTP library would otherwise quote the value in its error.
CREDENTIAL_OPTIONS = ('access_key', 'secret_key', 'security_token', 'auth_token', 'username', 'password', 'domain_name', 'project_id')
# One DNS label (RFC 1123), lower case: what a region id is, and all that may go into a host name.
_HOST_LABEL_RE = re.compile(r'^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$')

# Where each environment-backed option may come from, for error messages.
ENV_VARS = {
    'region': ('HW_REGION_NAME',),
    'project_id': ('HUAWEICLOUD_SDK_PROJECT_ID', 'HW_PROJECT_ID'),
    'access_key': ('HUAWEICLOUD_SDK_AK', 'HW_ACCESS_KEY'),
    'secret_key': ('HUAWEICLOUD_SDK_SK', 'HW_SECRET_KEY'),
    'security_token': ('HUAWEICLOUD_SDK_SECURITY_TOKEN', 'HW_SECURITY_TOKEN'),
    'iam_endpoint': ('HUAWEICLOUD_SDK_IAM_ENDPOINT', 'HW_AUTH_URL'),
    'cloud': ('HW_CLOUD',),
    'retries': ('HW_MAX_RETRIES',),
}


class OptionError(ValueError):
    """The common options are inconsistent or out of range; the message names the options."""


def _env(option):
    return (env_fallback, list(ENV_VARS[option]))


def common_argument_spec() -> Dict[str, Dict[str, Any]]:
    """Return a fresh argument spec dict for the options every module shares."""
    return dict(
        region=dict(type='str', fallback=_env('region')),
        project_id=dict(type='str', fallback=_env('project_id')),
        access_key=dict(type='str', no_log=False, fallback=_env('access_key')),
        secret_key=dict(type='str', no_log=True, fallback=_env('secret_key')),
        security_token=dict(type='str', no_log=True, fallback=_env('security_token')),
        auth_token=dict(type='str', no_log=True),
        username=dict(type='str'),
        password=dict(type='str', no_log=True),
        domain_name=dict(type='str'),
        endpoint=dict(type='str'),
        iam_endpoint=dict(type='str', fallback=_env('iam_endpoint')),
        cloud=dict(type='str', default=DEFAULTS['cloud'], fallback=_env('cloud')),
        validate_certs=dict(type='bool', default=DEFAULTS['validate_certs']),
        ca_path=dict(type='path'),
        timeout=dict(type='float', default=DEFAULTS['timeout']),
        retries=dict(type='int', default=DEFAULTS['retries'], fallback=_env('retries')),
        max_concurrency=dict(type='int', default=DEFAULTS['max_concurrency']),
        rate_limit=dict(type='float'),
        max_response_bytes=dict(type='int', default=DEFAULTS['max_response_bytes']),
    )


def _where(option):
    """'access_key' or 'access_key (or HUAWEICLOUD_SDK_AK / HW_ACCESS_KEY)'."""
    env = ENV_VARS.get(option)
    if not env:
        return option
    return '%s (or %s)' % (option, ' / '.join(env))


def _is_set(params, name):
    value = params.get(name)
    return value is not None and value != ''


def resolve_auth_mode(params: Mapping[str, Any]) -> str:
    """Return the auth method the params select: ``'aksk'``, ``'token'`` or ``'password'``.

    Exactly one must be configured: ``access_key`` + ``secret_key`` (with
    ``security_token`` for temporary keys), ``auth_token``, or ``username`` +
    ``password`` + ``domain_name``.  Half a pair, none, or several raise
    :class:`OptionError` naming the options to set or unset.
    """
    aksk = [name for name in ('access_key', 'secret_key', 'security_token') if _is_set(params, name)]
    password = [name for name in ('username', 'password') if _is_set(params, name)]
    token = ['auth_token'] if _is_set(params, 'auth_token') else []

    chosen = [group for group in (aksk, token, password) if group]
    if len(chosen) > 1:
        raise OptionError(
            'Several authentication methods are configured (%s); set exactly one of: access_key and secret_key, '
            'auth_token, or username and password, and unset the others (options or their environment variables).'
            % '; '.join(', '.join(group) for group in chosen)
        )
    if not chosen:
        raise OptionError(
            'No credentials: set access_key and secret_key (or HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK / '
            'HW_ACCESS_KEY and HW_SECRET_KEY), or auth_token, or username, password and domain_name.'
        )

    if aksk:
        missing = [name for name in ('access_key', 'secret_key') if name not in aksk]
        if missing:
            raise OptionError(
                'Incomplete AK/SK credentials: %s %s set, but %s %s not; set %s.'
                % (
                    ' and '.join(aksk),
                    'is' if len(aksk) == 1 else 'are',
                    ' and '.join(missing),
                    'is' if len(missing) == 1 else 'are',
                    ' and '.join(_where(name) for name in missing),
                )
            )
        return AUTH_AKSK
    if token:
        return AUTH_TOKEN
    missing = [name for name in ('username', 'password', 'domain_name') if not _is_set(params, name)]
    if missing:
        raise OptionError(
            'Incomplete password credentials: %s given, but %s missing; set %s.' % (' and '.join(password), ' and '.join(missing), ', '.join(missing))
        )
    return AUTH_PASSWORD


def is_host_label(value: Any) -> bool:
    """Whether ``value`` is one lower-case DNS label (letters, digits, inner hyphens, at most 63)."""
    return isinstance(value, str) and bool(_HOST_LABEL_RE.fullmatch(value))


def _check_host_values(params):
    region = params.get('region')
    if _is_set(params, 'region') and not is_host_label(region):
        # The value is not repeated: it may hold anything, and it is not a region either way.
        raise OptionError(
            'region must be a region id such as cn-north-4 (lower-case letters, digits and inner '
            'hyphens, at most 63 characters), because it becomes part of the endpoint host names; '
            'check region (or %s). To reach another host, set endpoint and iam_endpoint instead.' % ' / '.join(ENV_VARS['region'])
        )
    cloud = params.get('cloud')
    if _is_set(params, 'cloud'):
        labels = cloud.split('.') if isinstance(cloud, str) else []
        if len(labels) < 2 or len(cloud) > 253 or not all(is_host_label(label) for label in labels):
            raise OptionError(
                'cloud must be a domain name such as myhuaweicloud.com (lower-case labels separated '
                'by dots), because it becomes part of the endpoint host names; check cloud (or '
                'HW_CLOUD). To reach another host, set endpoint and iam_endpoint instead.'
            )


def _check_credentials(params):
    for name in CREDENTIAL_OPTIONS:
        value = params.get(name)
        if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
            raise OptionError(
                '%s contains a line break or another control character (a trailing newline from a '
                'vault file or an environment variable is the usual cause); remove it. The value is '
                'not shown.' % _where(name)
            )


def _endpoints_given(params, environ):
    """Whether the user names the hosts (an emulator, a private cloud): then any region name is theirs to choose."""
    if _is_set(params, 'endpoint') or _is_set(params, 'iam_endpoint'):
        return True
    if _is_set(params, 'cloud') and params['cloud'] != DEFAULT_CLOUD:
        return True
    suffix = '_' + params['region'].upper().replace('-', '_')
    return any(name.startswith('HUAWEICLOUD_SDK_REGION_') and name.endswith(suffix) and value for name, value in environ.items())


def _check_region_known(params, environ):
    if not _is_set(params, 'region') or is_known_region(params['region']) or _endpoints_given(params, environ):
        return
    # The value is a plain host label by now (checked first), so it may be repeated.
    region = params['region']
    guess = closest_region(region)
    raise OptionError(
        "unknown region '%s'%s Known regions (the official SDK's tables for OMS and ModelArts): %s. Check region (or %s); "
        'for a private cloud or the emulator, set endpoint and iam_endpoint (or cloud), and then any region name is accepted.'
        % (region, ', did you mean %s?' % guess if guess else '.', ', '.join(sorted(KNOWN_REGIONS)), ' / '.join(ENV_VARS['region']))
    )


def validate_common_params(params: Mapping[str, Any], environ: Optional[Mapping[str, str]] = None) -> None:
    """Check the common options before any request; raise :class:`OptionError` naming the option.

    Numeric options within :data:`RANGES` (finite numbers only); credentials
    free of control characters (never repeating their value); ``region`` a
    plain host label and ``cloud`` a domain name, since both become part of
    host names; and ``region`` a region of :mod:`._regions` unless the hosts
    are given (``endpoint``, ``iam_endpoint``, a ``cloud`` other than the
    default, or a ``HUAWEICLOUD_SDK_REGION_<SERVICE>_<REGION>`` variable).
    ``environ`` defaults to ``os.environ``.
    """
    _check_credentials(params)
    _check_host_values(params)
    for name in RANGES:
        _check_range(params, name)
    _check_region_known(params, os.environ if environ is None else environ)


def _number(value):
    text = '%g' % value if isinstance(value, float) else repr(value)
    return text if len(text) <= 24 else text[:24] + '...'


def _check_range(params, name):
    value = params.get(name)
    if value is None:
        return
    low, high, unit = RANGES[name]
    if is_number(value) and low <= value <= high:  # NaN and infinities compare outside every range
        return
    shown = _number(value) if is_number(value) else 'a %s' % type(value).__name__
    unset = ' (omit it for no limit)' if name == 'rate_limit' else ''
    raise OptionError('%s must be a number of %s from %s to %s%s, got %s; check %s.' % (name, unit, _number(low), _number(high), unset, shown, _where(name)))
