# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The OBS V2 signer against the official OBS SDK's (``obs.auth.Authentication``), over generated requests."""

import random

import pytest
from sdk_oracle import ObsAdapter, ObsAuthentication  # each test skips alone without the SDK

from ansible_collections.hwcloud.migration.plugins.module_utils._obs import signer as _signer

KEY_ALPHABET = list('abcXYZ019-_.') + [' ', '+', '%', '~', '/', '%20', '%2F', '&', '=', '?', '#', 'é', '中', '\U0001f600', "'", '(', ')', ',', ';']
SECRET_ALPHABET = list('abcdefXYZ0189') + ['+', '/', '=', ' ', '%', '~', 'é', '中']
DATES = ['Sat, 09 Mar 2024 07:05:03 GMT', 'Mon, 01 Jan 2001 00:00:00 GMT', _signer.http_date(0), _signer.http_date(2000000000)]
TOKENS = [None, 'tok', 'token with spaces and +/=', 'a' * 2048, 'jeton-é中']
QUERIES = [
    {},
    {'prefix': 'oms/task/', 'marker': 'a b', 'max-keys': '1000'},
    {'acl': None},
    {'versionId': 'v1', 'prefix': 'x'},
    {'uploadId': 'u-1', 'partNumber': '3'},
    {'x-obs-custom': 'v'},
    {'response-content-type': 'text/plain', 'encoding-type': 'url'},
]


def _text(rng, alphabet, low, high):
    return ''.join(rng.choice(alphabet) for _position in range(rng.randint(low, high)))


def _oracle(access_key, secret_key, method, bucket, key, query, headers, path_style):
    auth = ObsAuthentication(access_key, secret_key, path_style, ObsAdapter('obs'), None, False)
    return auth.doAuth(method, bucket, key, dict(query), dict(headers))


def _ours(access_key, secret_key, method, bucket, key, query, headers, path_style):
    resource = _signer.canonical_resource(bucket, key, list(query.items()), path_style=path_style)
    return _signer.authorization(access_key, secret_key, method, headers, resource)


def _request(rng):
    headers = {}
    if rng.random() < 0.5:
        headers['x-obs-date'] = rng.choice(DATES)
        if rng.random() < 0.3:
            headers['Date'] = rng.choice(DATES)  # ignored in the string once x-obs-date is there
    else:
        headers['Date'] = rng.choice(DATES)
    token = rng.choice(TOKENS)
    if token is not None:
        headers[_signer.TOKEN_HEADER] = token
    if rng.random() < 0.3:
        headers['Content-Type'] = rng.choice(['text/plain', 'application/xml', 'application/octet-stream'])
    if rng.random() < 0.2:
        headers['Content-MD5'] = '1B2M2Y8AsgTpgAmY7PhCfg=='
    if rng.random() < 0.3:
        headers['x-obs-meta-Note'] = '  spaced value  '
    if rng.random() < 0.3:
        headers['X-Obs-Acl'] = 'private'
    if rng.random() < 0.3:
        headers['Range'] = 'bytes=0-99'  # not signed
    key = None if rng.random() < 0.15 else _text(rng, KEY_ALPHABET, 1, 40)
    return rng.choice(['GET', 'HEAD']), key, rng.choice(QUERIES), headers


@pytest.mark.parametrize('seed', range(40))
def test_signature_equals_the_sdk_over_generated_requests(seed):
    rng = random.Random('obs-signer-%d' % seed)
    for _attempt in range(25):
        access_key = _text(rng, list('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'), 10, 30)
        secret_key = _text(rng, SECRET_ALPHABET, 1, 48)
        bucket = rng.choice(['dst-bucket', 'a.b-c', 'x' * 63, 'abc'])
        method, key, query, headers = _request(rng)
        path_style = rng.random() < 0.5
        expected = _oracle(access_key, secret_key, method, bucket, key, query, headers, path_style)
        resource = _signer.canonical_resource(bucket, key, list(query.items()), path_style=path_style)
        assert _signer.string_to_sign(method, headers, resource) == expected['CanonicalString']
        assert _ours(access_key, secret_key, method, bucket, key, query, headers, path_style) == expected['Authorization']


def test_x_obs_date_empties_the_date_line_and_is_signed_as_a_header():
    text = _signer.string_to_sign('GET', {'Date': 'ignored', 'x-obs-date': DATES[0]}, '/b/k')
    assert text == 'GET\n\n\n\nx-obs-date:%s\n/b/k' % DATES[0]


def test_security_token_is_signed():
    without = _signer.authorization('AK', 'SK', 'GET', {'Date': DATES[0]}, '/b/k')
    with_token = _signer.authorization('AK', 'SK', 'GET', {'Date': DATES[0], 'x-obs-security-token': 't'}, '/b/k')
    assert without != with_token and with_token.startswith('OBS AK:')


def test_resource_keeps_slash_and_tilde_and_encodes_the_rest():
    assert _signer.canonical_resource('b', 'a b/c~d+e%f/中', path_style=True) == '/b/a%20b/c~d%2Be%25f/%E4%B8%AD'


def test_resource_without_key_differs_by_endpoint_style():
    assert _signer.canonical_resource('b', None, path_style=True) == '/b'
    assert _signer.canonical_resource('b', None, path_style=False) == '/b/'


def test_only_signed_subresources_enter_the_resource():
    query = [('prefix', 'p'), ('versionId', '7'), ('acl', None), ('max-keys', '5')]
    assert _signer.canonical_resource('b', 'k', query, path_style=True) == '/b/k?acl&versionId=7'


def test_http_date_is_rfc_1123_in_gmt():
    assert _signer.http_date(1709967903) == 'Sat, 09 Mar 2024 07:05:03 GMT'
