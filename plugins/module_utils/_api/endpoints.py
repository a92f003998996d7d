# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Where a call goes: service and IAM endpoints, path parameters, query strings.

Endpoint precedence for a service: the ``endpoint`` option, then the SDK's
``HUAWEICLOUD_SDK_REGION_{SERVICE}_{REGION}`` environment variable, then
``https://{service}.{region}.{cloud}`` (ModelArts in ap-southeast-1 on the
default cloud lives on ``myhuaweicloud.cn``, as in the official SDK).  IAM:
``iam_endpoint`` (or its environment variables), else
``https://iam.{region}.{cloud}``.  Plain ``http://`` endpoints are accepted
(the bundled emulator listens on ``http://127.0.0.1:PORT``); an endpoint with
``user:password@`` is refused (the URL appears in error messages).

Every path parameter is validated and percent-encoded as exactly one path
segment, and every query is written in the canonical form the signer signs.
"""

import os
import string
from typing import Any, Callable, Iterable, List, Mapping, Optional, Tuple, Union
from urllib.parse import quote, urlsplit

from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import ParameterError
from ansible_collections.hwcloud.migration.plugins.module_utils._api.options import DEFAULT_CLOUD, OptionError
from ansible_collections.hwcloud.migration.plugins.module_utils._api.signer import canonical_query_string
from ansible_collections.hwcloud.migration.plugins.module_utils._values import CONTROL_CHARACTERS

# (min, max) length in characters of path parameters; any other name gets DEFAULT_PARAM_LIMITS.
PARAM_LIMITS = {'project_id': (1, 1024)}
DEFAULT_PARAM_LIMITS = (1, 255)

Query = Union[Mapping[str, Any], Iterable[Tuple[str, Any]], None]


def _env_name(service: str, region: str) -> str:
    return 'HUAWEICLOUD_SDK_REGION_%s_%s' % (service.upper(), region.upper().replace('-', '_'))


def _normalise_endpoint(value: str, option: str) -> str:
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
    if CONTROL_CHARACTERS.search(value) or ' ' in value:
        raise OptionError('%s must be a URL without spaces or control characters.' % option)
    if parts.scheme not in ('http', 'https') or not parts.netloc or parts.query or parts.fragment:
        raise OptionError('%s must be an http:// or https:// URL without query, got %r.' % (option, value))
    try:
        _port = parts.port  # urlsplit checks the port only when it is read
    except ValueError:
        raise OptionError('%s has an invalid port, got %r.' % (option, value))
    return value.rstrip('/')


def resolve_endpoint(
    service: str, region: Optional[str] = None, cloud: Optional[str] = None, *, endpoint: Optional[str] = None, environ: Optional[Mapping[str, str]] = None
) -> str:
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


def resolve_iam_endpoint(region: Optional[str] = None, cloud: Optional[str] = None, *, iam_endpoint: Optional[str] = None) -> str:
    """IAM base URL: ``iam_endpoint``, else ``https://iam.{region}.{cloud}`` (global ``iam.{cloud}`` without region)."""
    if iam_endpoint:
        return _normalise_endpoint(iam_endpoint, 'iam_endpoint')
    cloud = cloud or DEFAULT_CLOUD
    if region:
        return 'https://iam.%s.%s' % (region, cloud)
    return 'https://iam.%s' % cloud


def quote_path_param(name: str, value: Any, limits: Optional[Tuple[int, int]] = None) -> str:
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
    if CONTROL_CHARACTERS.search(value):
        raise ParameterError('%s must not contain control characters' % name, name=name)
    if value in ('.', '..'):
        raise ParameterError('%s must not be %r' % (name, value), name=name)
    return quote(value, safe='')


def fill_path(
    path_template: str,
    path_params: Optional[Mapping[str, Any]] = None,
    *,
    limits: Optional[Mapping[str, Tuple[int, int]]] = None,
    project_id: Optional[Callable[[], str]] = None,
) -> str:
    """Fill ``path_template`` (``/v2/{project_id}/...``); each value is validated and quoted as one segment.

    ``{project_id}`` is filled from ``project_id()`` (asked only when the
    template has it) unless given.  A placeholder without a value, or a value
    without a placeholder, is a programming error (``ValueError``).
    ``limits`` maps a parameter name to its (min, max) length.
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
        elif field == 'project_id' and project_id is not None:
            value = project_id()
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


def query_pairs(query: Query) -> List[Tuple[str, str]]:
    """Normalise a query mapping (or list of pairs) to (str, str) pairs; a list value repeats the key, None drops it.

    Raises :class:`ParameterError` for a name or value that is not a plain string or integer.
    """
    if not query:
        return []
    items = query.items() if isinstance(query, Mapping) else query
    pairs = []
    for key, value in items:
        if not isinstance(key, str) or not key or CONTROL_CHARACTERS.search(key):
            raise ParameterError('query parameter names must be non-empty strings, got %r' % (key,), name=key)
        values = value if isinstance(value, (list, tuple)) else [value]
        for item in values:
            if item is None:
                continue
            if isinstance(item, bool) or not isinstance(item, (str, int)):
                raise ParameterError('query parameter %s must be a string or an integer, got %s' % (key, type(item).__name__), name=key)
            text = str(item)
            if CONTROL_CHARACTERS.search(text):
                raise ParameterError('query parameter %s must not contain control characters' % key, name=key)
            pairs.append((key, text))
    return pairs


def query_string(query: Query) -> str:
    """The canonical (sorted, encoded) query string of ``query``, '' when empty; what the signer signs."""
    pairs = query_pairs(query)
    return canonical_query_string(pairs) if pairs else ''
