# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Auth methods: AK/SK headers and signing, static token, IAM password tokens and their renewal."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import json
import threading
from types import SimpleNamespace

import pytest
from sdk_oracle import SdkRequest, sdk_signer  # the SDK's tests skip one by one without it

from ansible_collections.hwcloud.migration.plugins.module_utils._api import auth as _auth
from ansible_collections.hwcloud.migration.plugins.module_utils._api import transport as _transport
from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError

AK = 'AKEXAMPLE0000000TEST'
SK = 'SKEXAMPLE-secret-value-0000000000000000'
FIXED = datetime.datetime(2024, 5, 1, 12, 0, 0)
URL = 'https://oms.cn-north-4.myhuaweicloud.com/v2/0123abc/sync-tasks/task-1?query_time=1700000000000'


def _sdk_authorization(url, headers, body=None):
    host, path, pairs = _auth._signer.split_url(url)
    request = SdkRequest(method='GET', schema='https', host=host, resource_path=path, query_params=pairs, header_params=dict(headers), body=body)
    return sdk_signer.Signer(SimpleNamespace(ak=AK, sk=SK)).sign(request).header_params['Authorization']


def test_aksk_adds_project_and_signs_it():
    auth = _auth.AkSkAuth(AK, SK, now=FIXED)
    added = auth.headers_for('GET', URL, {'User-Agent': 'ua'}, None, project_id='0123abc')
    assert added['X-Project-Id'] == '0123abc'
    assert 'X-Security-Token' not in added
    assert 'SignedHeaders=host;user-agent;x-project-id;x-sdk-date,' in added['Authorization']
    sent = {'User-Agent': 'ua'}
    sent.update((k, v) for k, v in added.items() if k != 'Authorization')
    assert _sdk_authorization(URL, sent) == added['Authorization']


def test_temporary_credentials_sign_the_security_token():
    auth = _auth.AkSkAuth(AK, SK, security_token='STS-TOKEN-VALUE', now=FIXED)
    added = auth.headers_for('GET', URL, {}, None, project_id='0123abc')
    assert added['X-Security-Token'] == 'STS-TOKEN-VALUE'
    assert 'x-security-token' in added['Authorization'].split('SignedHeaders=')[1].split(',')[0].split(';')
    sent = dict((k, v) for k, v in added.items() if k != 'Authorization')
    assert _sdk_authorization(URL, sent) == added['Authorization']


def test_no_project_header_for_iam_calls():
    added = _auth.AkSkAuth(AK, SK, now=FIXED).headers_for('GET', 'https://iam.x/v3/projects?name=r', {}, None)
    assert 'X-Project-Id' not in added


def test_transport_headers_are_not_signed():
    headers = {'Connection': 'keep-alive', 'Accept-Encoding': 'gzip', 'Content-Length': '0', 'Accept': '*/*'}
    added = _auth.AkSkAuth(AK, SK, now=FIXED).headers_for('GET', URL, headers, None)
    signed = added['Authorization'].split('SignedHeaders=')[1].split(',')[0]
    assert signed == 'accept;host;x-sdk-date'
    assert headers == {'Connection': 'keep-alive', 'Accept-Encoding': 'gzip', 'Content-Length': '0', 'Accept': '*/*'}


def test_token_auth():
    auth = _auth.TokenAuth('TOKEN-VALUE')
    assert auth.headers_for('GET', URL, {}, None, project_id='p') == {'X-Auth-Token': 'TOKEN-VALUE'}
    assert auth.on_unauthorized(SimpleNamespace(status_code=401, headers={}, content=b'')) is False
    assert 'TOKEN-VALUE' not in repr(auth)


def test_repr_never_shows_secrets():
    for auth in (_auth.AkSkAuth(AK, SK, security_token='STS'), _auth.PasswordAuth(None, 'https://iam', 'u', 'PW', 'd')):
        assert SK not in repr(auth) and 'STS' not in repr(auth) and 'PW' not in repr(auth)


@pytest.mark.parametrize(
    'status, body, expired',
    [
        (401, {'error_code': 'APIGW.0307', 'error_msg': 'The token must be updated.'}, True),
        (401, {'error_code': 'ModelArts.6620', 'error_msg': 'Refresh the token.'}, True),
        (401, {'error_code': 'APIGW.0301', 'error_msg': 'Incorrect IAM authentication information: token expires'}, True),
        (401, {'error': {'code': 401, 'message': 'The token has expired', 'title': 'Unauthorized'}}, True),
        (401, {'error_code': 'APIGW.0301', 'error_msg': 'Incorrect IAM authentication information: x-auth-token not found'}, False),
        (401, {'error_code': 'ModelArts.4504', 'error_msg': 'IAM error'}, False),
        (403, {'error_code': 'APIGW.0307', 'error_msg': 'token expired'}, False),
    ],
)
def test_token_expired_detection(status, body, expired):
    from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import parse_error_response

    assert _auth.token_expired(parse_error_response(status, {}, json.dumps(body).encode())) is expired


# -- password -----------------------------------------------------------------


class IamAndService:
    """Fake IAM (POST /v3/auth/tokens) and a service that expires chosen tokens."""

    def __init__(self, server):
        self.server = server
        self.issued = 0
        self.expired_tokens = set()
        self.always_expired = False
        self.iam_status = 201
        self.lock = threading.Lock()
        server.handler = self.handle

    def handle(self, request):
        if request.method == 'POST' and request.path == '/v3/auth/tokens':
            if self.iam_status != 201:
                return (
                    self.iam_status,
                    {'X-Request-Id': 'iam-rid'},
                    {'error': {'code': 401, 'message': 'The username or password is wrong.', 'title': 'Unauthorized'}},
                )
            with self.lock:
                self.issued += 1
                token = 'TOKEN-%d' % self.issued
            return (
                201,
                {'X-Subject-Token': token},
                {'token': {'expires_at': '2099-01-01T00:00:00.000000Z', 'project': {'id': 'scoped-project-id', 'name': 'r'}}},
            )
        token = request.header('X-Auth-Token')
        if self.always_expired or token in self.expired_tokens:
            return 401, {}, {'error_code': 'APIGW.0307', 'error_msg': 'The token must be updated.'}
        return 200, {}, {'token_seen': token}

    def token_posts(self):
        return [r for r in self.server.requests if r.method == 'POST']


def _password_auth(server, **kwargs):
    session = _transport.build_session('ua', retries=0)
    kwargs.setdefault('region', 'cn-north-4')
    return session, _auth.PasswordAuth(session, server.url, 'alice', 'P@ss-SECRET', 'example-domain', timeout=(5, 5), **kwargs)


def _call(session, auth, url):
    """One GET with one renewal, as the client does."""
    signer = _auth.RequestSigner(auth)
    response = session.get(url, auth=signer, timeout=5)
    if response.status_code == 401 and auth.on_unauthorized(response):
        response = session.get(url, auth=signer, timeout=5)
    return response


def test_password_body_and_scope_by_region(fake_server):
    fake = IamAndService(fake_server)
    session, auth = _password_auth(fake_server)
    assert auth.headers_for('GET', 'u', {}, None) == {'X-Auth-Token': 'TOKEN-1'}
    post = fake.token_posts()[0]
    assert post.header('Content-Type').startswith('application/json')
    assert json.loads(post.body) == {
        'auth': {
            'identity': {'methods': ['password'], 'password': {'user': {'domain': {'name': 'example-domain'}, 'name': 'alice', 'password': 'P@ss-SECRET'}}},
            'scope': {'project': {'name': 'cn-north-4'}},
        }
    }
    assert auth.scoped_project_id() == 'scoped-project-id'


def test_password_scope_by_project_id(fake_server):
    fake = IamAndService(fake_server)
    session, auth = _password_auth(fake_server, project_id='pid-1')
    auth.token()
    assert json.loads(fake.token_posts()[0].body)['auth']['scope'] == {'project': {'id': 'pid-1'}}


def test_token_fetched_once_for_many_requests_and_threads(fake_server):
    fake = IamAndService(fake_server)
    session, auth = _password_auth(fake_server)
    threads = [threading.Thread(target=_call, args=(session, auth, fake_server.url + '/v2/x')) for dummy in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for _dummy in range(5):
        assert _call(session, auth, fake_server.url + '/v2/x').json() == {'token_seen': 'TOKEN-1'}
    assert len(fake.token_posts()) == 1
    assert auth.fetch_count == 1


def test_reauth_exactly_once_on_expired_token(fake_server):
    fake = IamAndService(fake_server)
    fake.expired_tokens.add('TOKEN-1')
    session, auth = _password_auth(fake_server)
    response = _call(session, auth, fake_server.url + '/v2/x')
    assert response.status_code == 200
    assert response.json() == {'token_seen': 'TOKEN-2'}
    assert len(fake.token_posts()) == 2
    assert auth.renewals == 1


def test_no_reauth_loop(fake_server):
    fake = IamAndService(fake_server)
    fake.always_expired = True
    session, auth = _password_auth(fake_server)
    for _dummy in range(3):
        assert _call(session, auth, fake_server.url + '/v2/x').status_code == 401
    assert len(fake.token_posts()) == 2  # the first token and one renewal, never more
    assert auth.renewals == 1


def test_other_401_does_not_reauth(fake_server):
    IamAndService(fake_server)
    session, auth = _password_auth(fake_server)
    auth.token()
    response = SimpleNamespace(status_code=401, headers={}, request=None, content=b'{"error_code": "APIGW.0301", "error_msg": "verify aksk signature fail"}')
    assert auth.on_unauthorized(response) is False
    assert auth.renewals == 0


def test_concurrent_expiry_renews_once(fake_server):
    IamAndService(fake_server)
    session, auth = _password_auth(fake_server)
    old = auth.token()
    body = b'{"error_code": "APIGW.0307", "error_msg": "The token must be updated."}'
    stale = SimpleNamespace(status_code=401, headers={}, content=body, request=SimpleNamespace(headers={'X-Auth-Token': old}))
    assert auth.on_unauthorized(stale) is True
    new = auth.token()
    assert new != old
    # A second thread that also used the old token just retries with the new one.
    assert auth.on_unauthorized(stale) is True
    assert auth.token() == new and auth.fetch_count == 2


def test_iam_failure_is_an_error_without_the_password(fake_server):
    fake = IamAndService(fake_server)
    fake.iam_status = 401
    session, auth = _password_auth(fake_server)
    with pytest.raises(HuaweiCloudError) as info:
        auth.token()
    err = info.value
    assert err.status == 401 and err.code is None and err.request_id == 'iam-rid'
    assert err.method == 'POST' and err.url.endswith('/v3/auth/tokens')
    assert 'P@ss-SECRET' not in str(err) and 'P@ss-SECRET' not in json.dumps(err.to_dict())


def test_201_without_subject_token(fake_server):
    fake_server.handler = lambda request: (201, {}, {'token': {}})
    session, auth = _password_auth(fake_server)
    with pytest.raises(HuaweiCloudError) as info:
        auth.token()
    assert 'X-Subject-Token' in info.value.message


def test_password_needs_a_scope():
    auth = _auth.PasswordAuth(None, 'https://iam', 'u', 'p', 'd')
    with pytest.raises(HuaweiCloudError) as info:
        auth.token()
    assert 'region' in str(info.value) and 'project_id' in str(info.value)


def test_build_auth():
    assert isinstance(_auth.build_auth('aksk', {'access_key': 'a', 'secret_key': 's'}), _auth.AkSkAuth)
    assert isinstance(_auth.build_auth('token', {'auth_token': 't'}), _auth.TokenAuth)
    password = _auth.build_auth('password', {'username': 'u', 'password': 'p', 'domain_name': 'd'}, iam_endpoint='https://iam.example/')
    assert isinstance(password, _auth.PasswordAuth)
    with pytest.raises(ValueError):
        _auth.build_auth('kerberos', {})
