# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Failures paid once per call (the credential gate, remembered IAM failures) and secrets masked before cutting."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading
import time

import pytest

from ansible_collections.hwcloud.migration.plugins.module_utils._api import auth as _auth
from ansible_collections.hwcloud.migration.plugins.module_utils._api import lockout as _lockout
from ansible_collections.hwcloud.migration.plugins.module_utils._api import transport as _transport
from ansible_collections.hwcloud.migration.plugins.module_utils._api.client import HuaweiCloudClient
from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import (
    HuaweiCloudError,
    NotAttemptedError,
    body_excerpt,
    describe_send_failure,
    mask_secrets,
    parse_error_response,
)

AK = 'AK-PUBLIC-ID-0001'
SK = 'SK-TOP-SECRET-do-not-leak-0123456789'
TOKEN = 'MIITOKEN-fetched-do-not-leak-abcdef0123456789'
PROJECT = '0a1b2c3d4e5f0a1b2c3d4e5f0a1b2c3d'
REFUSED = {'error_code': 'APIGW.0301', 'error_msg': 'Incorrect IAM authentication information: verify aksk signature fail'}


def _prefixes(secret):
    return [secret[:length] for length in range(8, len(secret) + 1)]


def _assert_no_piece(text, secret):
    assert not any(piece in text for piece in _prefixes(secret)), text


# -- masking before cutting ------------------------------------------------------------


def test_mask_replaces_every_secret_longest_first():
    assert mask_secrets('a SECRET-LONG b SECRET c', {'SECRET', 'SECRET-LONG', ''}) == 'a ******** b ******** c'
    assert mask_secrets(None, {'x'}) is None
    assert mask_secrets('nothing', ()) == 'nothing'


@pytest.mark.security
@pytest.mark.parametrize('offset', [150, 185, 195, 199])
def test_an_excerpt_never_ends_inside_a_secret(offset):
    body = ('E' * offset + TOKEN + 'F' * 300).encode()
    excerpt = body_excerpt(body, {TOKEN})
    _assert_no_piece(excerpt, TOKEN)
    assert '********' in excerpt or len(excerpt) <= 203


@pytest.mark.security
def test_an_error_answer_is_masked_in_message_code_and_request_id():
    headers = {'X-Request-Id': 'rid-' + TOKEN}
    error = parse_error_response(400, headers, ('{"error_code": "%s", "error_msg": "bad token %s"}' % (TOKEN, TOKEN)).encode(), secrets={TOKEN})
    for text in (str(error), error.message, error.code, error.request_id):
        _assert_no_piece(text, TOKEN)
    page = parse_error_response(502, {}, ('<html>' + 'x' * 190 + TOKEN + '</html>').encode(), secrets={TOKEN})
    _assert_no_piece(str(page), TOKEN)


@pytest.mark.security
def test_a_transport_failure_is_masked_before_it_is_cut():
    class ConnectionError(Exception):  # named like requests' exception, so its text is quoted
        pass

    text = describe_send_failure(ConnectionError('x' * 390 + TOKEN), {TOKEN})
    _assert_no_piece(text, TOKEN)


# -- the credential gate -----------------------------------------------------------------


def test_the_first_request_goes_alone_and_a_refusal_stops_the_rest():
    gate = _lockout.CredentialGate()
    assert gate.admit() is True
    admitted = []
    waiter = threading.Thread(target=lambda: admitted.append(_admit(gate)))
    waiter.start()
    time.sleep(0.1)
    assert admitted == []  # waits for the probe's answer
    refusal = HuaweiCloudError('refused', status=401, code='APIGW.0301', request_id='r-1', method='GET', url='http://x/v2')
    gate.settle(True, refusal)
    waiter.join(5)
    [outcome] = admitted
    assert isinstance(outcome, NotAttemptedError) and outcome.cause is refusal
    assert 'HTTP 401 APIGW.0301, request id r-1' in str(outcome) and 'no HTTP response' not in str(outcome)
    assert outcome.summary == 'not attempted because the credentials were refused (HTTP 401 APIGW.0301, request id r-1)'


def test_an_accepted_probe_opens_the_gate():
    gate = _lockout.CredentialGate()
    assert gate.admit() is True
    gate.settle(True)
    assert [gate.admit() for _attempt in range(3)] == [False] * 3


def _admit(gate):
    try:
        return gate.admit()
    except NotAttemptedError as err:
        return err


@pytest.mark.parametrize(
    'status, code, refused',
    [
        (401, 'APIGW.0301', True),
        (403, 'APIGW.0302', True),
        (401, 'APIGW.0303', True),
        (401, 'APIGW.0307', False),
        (403, 'OMS.0072', False),
        (404, 'APIGW.0301', False),
    ],
)
def test_what_counts_as_a_refusal(status, code, refused):
    assert _lockout.is_refusal(HuaweiCloudError('m', status=status, code=code)) is refused


def test_hints_name_what_to_check():
    aksk = _auth.AkSkAuth(AK, SK + ' ')
    hint = aksk.refusal_hint(HuaweiCloudError('m', status=401, code='APIGW.0301'))
    assert 'HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK or HW_ACCESS_KEY/HW_SECRET_KEY' in hint and 'secret_key has white space' in hint and SK not in hint
    assert 'security_token' in _auth.AkSkAuth(AK, SK, 'st').refusal_hint(HuaweiCloudError('m', status=401, code='APIGW.0301'))
    assert 'NTP' in aksk.refusal_hint(HuaweiCloudError('m', status=401, code='APIGW.0303'))
    assert 'project_id' in aksk.refusal_hint(HuaweiCloudError('m', status=403, code='APIGW.0302'))
    assert 'auth_token' in _auth.TokenAuth('t').refusal_hint(HuaweiCloudError('m', status=401, code='APIGW.0301'))


# -- through the client against a fake server --------------------------------------------


def _client(server, **params):
    base = {'region': 'cn-north-4', 'endpoint': server.url, 'iam_endpoint': server.url, 'access_key': AK, 'secret_key': SK, 'retries': 0, 'max_concurrency': 8}
    base.update(params)
    return HuaweiCloudClient(dict((k, v) for k, v in base.items() if v is not None), 'oms')


def _read_all(client, count=20):
    return client.fetch_many(lambda n: client.get_json('/v2/{project_id}/sync-tasks/{sync_task_id}', path_params={'sync_task_id': 't-%d' % n}), range(count))


def test_wrong_keys_cost_one_refused_request_with_many_threads(fake_server):
    fake_server.handler = lambda request: (401, {'X-Request-Id': 'r-401'}, REFUSED)
    client = _client(fake_server, project_id=PROJECT)
    outcomes = [outcome for _item, outcome in _read_all(client)]
    assert len(fake_server.requests) == 1
    first, rest = outcomes[0], outcomes[1:]
    assert first.status == 401 and 'HUAWEICLOUD_SDK_SK' in str(first) and 'were not sent' in str(first)
    assert all(isinstance(outcome, NotAttemptedError) and 'r-401' in str(outcome) for outcome in rest)
    # Another service's client of the same call shares the gate.
    other = client.for_service('modelarts')
    with pytest.raises(NotAttemptedError):
        other.get_json('/v2/{project_id}/datasets/{dataset_id}/sync-data/status', path_params={'dataset_id': 'd'})
    assert len(fake_server.requests) == 1


def test_a_failed_project_lookup_is_remembered(fake_server):
    fake_server.handler = lambda request: (401, {'X-Request-Id': 'iam-401'}, REFUSED)
    client = _client(fake_server)
    outcomes = [outcome for _item, outcome in _read_all(client)]
    assert [request.path for request in fake_server.requests] == ['/v3/projects?name=cn-north-4']
    assert outcomes[0].url.endswith('/v3/projects?name=cn-north-4') and outcomes[0].status == 401
    assert all(isinstance(outcome, NotAttemptedError) and 'IAM project lookup' in str(outcome) and 'iam-401' in str(outcome) for outcome in outcomes[1:])
    with pytest.raises(NotAttemptedError):
        client.for_service('modelarts').build_path('/v2/{project_id}/datasets')


def test_an_answer_that_is_no_refusal_opens_the_gate_for_every_thread(fake_server):
    seen = []

    def handler(request):
        seen.append(request.path)
        return 200, {}, {'ok': True}

    fake_server.handler = handler
    client = _client(fake_server, project_id=PROJECT)
    assert all(outcome == ({'ok': True}, outcome[1]) for _item, outcome in _read_all(client, 10))
    assert len(seen) == 10


@pytest.mark.security
def test_a_failed_token_request_is_remembered_and_a_fetched_token_is_a_secret(fake_server):
    posts = []

    def handler(request):
        if request.method == 'POST':
            posts.append(request)
            if len(posts) == 1:
                return 201, {'X-Subject-Token': TOKEN}, {'token': {'project': {'id': PROJECT}}}
            return 401, {'X-Request-Id': 'iam-401'}, {'error': {'code': 401, 'message': 'The username or password is wrong.', 'title': 'Unauthorized'}}
        if request.header('X-Auth-Token') == TOKEN:
            return 400, {'X-Request-Id': 'r-' + TOKEN}, ('x' * 190 + TOKEN).encode()
        return 401, {}, {'error_code': 'APIGW.0307', 'error_msg': 'token expires'}

    fake_server.handler = handler
    secrets = set()
    params = {
        'region': 'cn-north-4',
        'endpoint': fake_server.url,
        'iam_endpoint': fake_server.url,
        'username': 'u',
        'password': 'pw-secret',
        'domain_name': 'd',
    }
    client = HuaweiCloudClient(dict(params, retries=0), 'oms', secrets=secrets)
    [(_item, echoed)] = _read_all(client, 1)
    assert TOKEN in secrets and 'pw-secret' in secrets
    _assert_no_piece(str(echoed), TOKEN)
    # A failed token request is remembered: one POST, every later request not attempted.
    session = _transport.build_session('ua', retries=0)
    auth = _auth.PasswordAuth(session, fake_server.url, 'u', 'pw', 'd', region='cn-north-4', timeout=(5, 5))
    posts.append('the first, already answered')
    for _attempt in range(5):
        with pytest.raises(HuaweiCloudError) as caught:
            auth.token()
    assert len(posts) == 3 and isinstance(caught.value, NotAttemptedError) and 'HTTP 401, request id iam-401' in str(caught.value)
    assert 'no HTTP response' not in str(caught.value)
