# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The signer against the official SDK's, byte for byte, over generated requests."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import datetime as _datetime
import json
import random
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from sdk_oracle import SdkRequest, sdk_signer  # the SDK's tests skip one by one without it

from ansible_collections.hwcloud.migration.plugins.module_utils._api import signer as _signer

AK = 'HPUAEXAMPLEAK0000001'
SK = 'sk-example-0123456789abcdefghijklmnopqrstuv'
FIXED = _datetime.datetime(2024, 3, 9, 7, 5, 3)

SEGMENT_ALPHABET = (
    list('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')
    + list("-._~ %+=&;,@:!*'()$[]")
    + ['%2F', '%25', '%20', '%7E', 'é', '中', 'ß', '€', '\U0001f600']
)
VALUE_ALPHABET = SEGMENT_ALPHABET + ['/', '?', '#', '"', '<', '>', '\\', '^', '`', '{', '|', '}']
CONTENT_TYPES = [
    None,
    'application/json',
    'application/json;charset=UTF-8',
    'application/bson',
    'text/plain',
    'application/octet-stream',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
]
HOSTS = ['oms.cn-north-4.myhuaweicloud.com', '127.0.0.1:8080', 'modelarts.ap-southeast-1.myhuaweicloud.cn', 'example.com:8443']


class _FixedDatetime(_datetime.datetime):
    @classmethod
    def utcnow(cls):
        return cls(FIXED.year, FIXED.month, FIXED.day, FIXED.hour, FIXED.minute, FIXED.second)


@pytest.fixture
def sdk_fixed_time(monkeypatch):
    monkeypatch.setattr(sdk_signer, 'datetime', _FixedDatetime)


def _text(rng, alphabet, low, high):
    return ''.join(rng.choice(alphabet) for dummy in range(rng.randint(low, high)))


def _generate(rng):
    """One random request: (method, host, path, query_pairs, headers, body)."""
    method = rng.choice(['GET', 'GET', 'POST', 'PUT', 'DELETE', 'get'])
    segments = [_text(rng, SEGMENT_ALPHABET, 0 if rng.random() < 0.1 else 1, 12) for dummy in range(rng.randint(0, 5))]
    if rng.random() < 0.5:
        segments = [quote(segment, safe='') for segment in segments]
    path = '/' + '/'.join(segments)
    if rng.random() < 0.2:
        path += '/'

    pairs = []
    for dummy in range(rng.randint(0, 6)):
        key = _text(rng, VALUE_ALPHABET, 1, 6)
        roll = rng.random()
        if roll < 0.15:
            pairs.append((key, ''))
        elif roll < 0.3:
            values = [_text(rng, VALUE_ALPHABET, 0, 5) for dummy in range(rng.randint(1, 4))]
            values.append(values[0])  # repeated value
            pairs.append((key, values))
        elif roll < 0.4:
            value = _text(rng, VALUE_ALPHABET, 0, 6)
            pairs.extend([(key, value), (key, _text(rng, VALUE_ALPHABET, 0, 6)), (key, value)])
        elif roll < 0.45:
            pairs.append((key + '_b', rng.choice([True, False])))
        elif roll < 0.5:
            pairs.append((key + '_i', rng.randint(0, 10**13)))
        else:
            pairs.append((key, _text(rng, VALUE_ALPHABET, 0, 10)))
    # The SDK sorts (key, value) tuples: keep values of one key of one type.
    by_key = {}
    for key, value in pairs:
        by_key.setdefault(key, set()).add(type(value))
    pairs = [(key, value) for key, value in pairs if len(by_key[key]) == 1]

    headers = {}
    content_type = rng.choice(CONTENT_TYPES)
    if content_type:
        headers['Content-Type'] = content_type
    extras = [
        ('X-Project-Id', '0123456789abcdef0123456789abcdef'),
        ('User-Agent', 'hwcloud.migration/0.1.0'),
        ('X-Custom-Header', '  padded value  '),
        ('x_under_score', 'never signed'),
        ('X_Another_One', 'also unsigned'),
        ('Accept', 'application/json'),
        ('X-Unicode', 'café 中文'),
        ('x-lower', 'v'),
        ('X-Security-Token', 'tok' * 30),
        ('Host', rng.choice(HOSTS)),
        ('X-Sdk-Date', '20231231T235959Z'),
        ('x-custom-header', 'duplicate in another case'),
    ]
    for name, value in extras:
        if rng.random() < 0.3:
            headers[name] = value
    if rng.random() < 0.05:
        headers['X-Sdk-Content-Sha256'] = 'UNSIGNED-PAYLOAD'

    roll = rng.random()
    if roll < 0.3:
        body = None
    elif roll < 0.4:
        body = b''
    elif roll < 0.7:
        body = json.dumps({'name': _text(rng, VALUE_ALPHABET, 0, 20), 'n': rng.randint(0, 99)}).encode('utf-8')
    elif roll < 0.85:
        body = bytes(rng.getrandbits(8) for dummy in range(rng.randint(1, 64)))
    else:
        body = _text(rng, VALUE_ALPHABET, 1, 30)  # str bodies are UTF-8 encoded by both
    return method, rng.choice(HOSTS), path, pairs, headers, body


def _sdk_sign(method, host, path, pairs, headers, body):
    request = SdkRequest(
        method=method, schema='https', host=host, resource_path=path, query_params=copy.deepcopy(pairs), header_params=dict(headers), body=body
    )
    signed = sdk_signer.Signer(SimpleNamespace(ak=AK, sk=SK)).sign(request)
    return signed.header_params


def test_against_official_sdk_600_generated_requests(sdk_fixed_time):
    rng = random.Random(20240309)
    compared = 0
    for _dummy in range(600):
        method, host, path, pairs, headers, body = _generate(rng)
        ours = _signer.sign_parts(method, host, path, copy.deepcopy(pairs), headers, body, AK, SK, now=FIXED)
        theirs = _sdk_sign(method, host, path, pairs, headers, body)
        assert ours['Authorization'] == theirs['Authorization'], (method, host, path, pairs, headers, body)
        for name, value in ours.items():
            assert theirs[name] == value
        compared += 1
    assert compared == 600


def test_url_entry_point_matches_sdk_for_wire_encoded_urls(sdk_fixed_time):
    """sign_request() parses a URL whose path/query are encoded as the client sends them."""
    rng = random.Random(7)
    for dummy in range(300):
        method, host, path, pairs, headers, body = _generate(rng)
        pairs = [(key, value) for key, value in pairs if isinstance(value, str)]
        segments = [quote(_text(rng, VALUE_ALPHABET, 1, 8), safe='') for dummy in range(rng.randint(1, 4))]
        wire_path = '/' + '/'.join(segments)
        url = 'https://%s%s' % (host, wire_path)
        query = _signer.canonical_query_string(pairs)
        if query:
            url += '?' + query
        ours = _signer.sign_request(method, url, headers, body, AK, SK, now=FIXED)
        theirs = _sdk_sign(method, host, wire_path, pairs, headers, body)
        assert ours['Authorization'] == theirs['Authorization'], url


def test_unsigned_headers_and_signed_header_list():
    headers = {'Content-Type': 'application/json', 'X_Under': 'x', 'x_lower_under': 'y', 'X-Project-Id': 'p'}
    added = _signer.sign_parts('GET', 'oms.example.com', '/v2/p/sync-tasks', [], headers, None, AK, SK, now=FIXED)
    assert 'SignedHeaders=content-type;host;x-project-id;x-sdk-date,' in added['Authorization']
    assert added['X-Sdk-Date'] == '20240309T070503Z'
    assert added['Host'] == 'oms.example.com'
    assert headers == {'Content-Type': 'application/json', 'X_Under': 'x', 'x_lower_under': 'y', 'X-Project-Id': 'p'}


def test_unsigned_payload_for_non_json_content_types():
    added = _signer.sign_parts('POST', 'h', '/x', [], {'Content-Type': 'text/plain'}, b'abc', AK, SK, now=FIXED)
    assert added['X-Sdk-Content-Sha256'] == 'UNSIGNED-PAYLOAD'
    assert 'x-sdk-content-sha256' in added['Authorization']
    json_added = _signer.sign_parts('POST', 'h', '/x', [], {'Content-Type': 'application/json'}, b'{}', AK, SK, now=FIXED)
    assert 'X-Sdk-Content-Sha256' not in json_added


def test_existing_host_and_date_are_kept():
    headers = {'host': 'other:1', 'x-sdk-date': '20200101T000000Z'}
    added = _signer.sign_parts('GET', 'h', '/x', [], headers, None, AK, SK, now=FIXED)
    assert 'Host' not in added and 'X-Sdk-Date' not in added


def test_aware_datetime_is_converted_to_utc():
    tz = _datetime.timezone(_datetime.timedelta(hours=8))
    moment = _datetime.datetime(2024, 3, 9, 15, 5, 3, tzinfo=tz)
    assert _signer.format_sdk_date(moment) == '20240309T070503Z'


def test_canonical_uri_and_query_rules():
    assert _signer.canonical_uri('/v2/a b/~x/') == '/v2/a%20b/~x/'
    assert _signer.canonical_uri('/v2/a%2Fb') == '/v2/a/b/'
    assert _signer.canonical_query_string([('b', '2'), ('a', ['z', 'y', 'y']), ('a~', ''), ('c', True)]) == 'a=y&a=y&a=z&a~=&b=2&c=true'


def test_credentials_are_required():
    with pytest.raises(ValueError):
        _signer.sign_parts('GET', 'h', '/', [], {}, None, '', SK)
    with pytest.raises(ValueError):
        _signer.sign_parts('GET', 'h', '/', [], {}, None, AK, '')
