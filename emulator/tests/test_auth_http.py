"""Gateway checks over HTTP: AK/SK, tokens, project scope; and the IAM routes."""

import json
import time
from datetime import datetime, timedelta

import pytest
from conftest import AK, PROJECT, SK, TEMP_AK, TEMP_SK, TEMP_TOKEN

LIST = '/v2/%s/sync-tasks' % PROJECT


def gateway_error(response):
    body = response.json()
    assert body['request_id'] == response.headers['X-Request-Id']
    return response.status_code, body['error_code'], body['error_msg']


def test_every_response_has_a_request_id(emu):
    responses = [emu.get(LIST), emu.get(LIST, sk='bad'), emu.session.get(emu.url + LIST), emu.control('GET', 'health'), emu.session.get(emu.url + '/nowhere')]
    ids = [r.headers['X-Request-Id'] for r in responses]
    assert all(len(i) == 32 and int(i, 16) >= 0 for i in ids)
    assert len(set(ids)) == len(ids)


def test_no_credentials(emu):
    status, code, message = gateway_error(emu.session.get(emu.url + LIST))
    assert (status, code) == (401, 'APIGW.0301') and 'x-auth-token not found' in message


def test_malformed_authorization(emu):
    response = emu.session.get(emu.url + LIST, headers={'Authorization': 'Basic Zm9vOmJhcg=='})
    assert gateway_error(response)[:2] == (401, 'APIGW.0301')


def test_unknown_access_key(emu):
    assert gateway_error(emu.get(LIST, ak='NOSUCHAK'))[:2] == (401, 'APIGW.0301')


def test_signature_covers_query_and_headers(emu):
    """Change the request after signing: the gateway must notice."""
    from urllib.parse import urlparse

    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.sdk_request import SdkRequest
    from huaweicloudsdkcore.signer.signer import Signer

    host = urlparse(emu.url).netloc
    request = SdkRequest(
        method='GET',
        schema='http',
        host=host,
        resource_path=LIST,
        query_params=[('limit', 5)],
        header_params={'Content-Type': 'application/json', 'X-Project-Id': PROJECT},
        body='',
    )
    Signer(BasicCredentials(AK, SK)).sign(request)
    good = emu.session.get(emu.url + LIST + '?limit=5', headers=request.header_params)
    assert good.status_code == 200
    tampered_query = emu.session.get(emu.url + LIST + '?limit=6', headers=request.header_params)
    assert gateway_error(tampered_query)[:2] == (401, 'APIGW.0301')
    headers = dict(request.header_params)
    headers['Content-Type'] = 'text/plain'
    assert gateway_error(emu.session.get(emu.url + LIST + '?limit=5', headers=headers))[:2] == (401, 'APIGW.0301')
    headers = dict(request.header_params)
    del headers['X-Sdk-Date']
    assert gateway_error(emu.session.get(emu.url + LIST + '?limit=5', headers=headers))[:2] == (401, 'APIGW.0301')


def test_unsigned_extra_headers_are_ignored(emu):
    response = emu.get(LIST, extra_headers={'Some_Underscore': 'not signed'})
    assert response.status_code == 200


def test_query_values_with_spaces_and_repeats(emu):
    response = emu.get(LIST, {'limit': '3', 'status': 'STOPPED'})
    assert response.status_code == 200 and response.json()['count'] == 1


def test_stale_and_future_dates(emu):
    for delta in (timedelta(minutes=-16), timedelta(minutes=16)):
        stamp = (datetime.utcnow() + delta).strftime('%Y%m%dT%H%M%SZ')
        status, code = gateway_error(emu.get(LIST, sdk_date=stamp))[:2]
        assert (status, code) == (401, 'APIGW.0303')


def test_temporary_key(emu):
    assert gateway_error(emu.get(LIST, ak=TEMP_AK, sk=TEMP_SK))[:2] == (401, 'APIGW.0301')
    assert emu.get(LIST, ak=TEMP_AK, sk=TEMP_SK, security_token=TEMP_TOKEN).status_code == 200
    bad = emu.get(LIST, ak=TEMP_AK, sk=TEMP_SK, security_token='other')
    assert gateway_error(bad)[:2] == (401, 'APIGW.0301')


def test_project_not_owned_is_403(emu):
    # The AK owns p-north only; p-east exists in the scenario.
    response = emu.get('/v2/p-east/sync-tasks', project_id='p-east')
    assert response.status_code == 403 and response.json()['error_code'] == 'OMS.0072'
    mismatch = emu.get('/v2/p-north/sync-tasks', project_id='p-east')
    assert gateway_error(mismatch)[:2] == (403, 'APIGW.0302')
    dataset = emu.get('/v2/p-east/datasets/ds-done/sync-data/status', project_id='p-east')
    assert dataset.status_code == 403 and dataset.json()['error_code'] == 'ModelArts.4336'


def test_static_and_expired_tokens(emu):
    assert emu.get_token(LIST, 'test-static-token').status_code == 200
    status, code, message = gateway_error(emu.get_token(LIST, 'test-expired-token'))
    assert (status, code) == (401, 'APIGW.0307') and 'token expires' in message
    assert gateway_error(emu.get_token(LIST, 'no-such-token'))[:2] == (401, 'APIGW.0301')
    assert gateway_error(emu.get_token(LIST, 'test-east-token'))[:2] == (403, 'APIGW.0302')
    assert emu.get_token('/v2/p-east/sync-tasks', 'test-east-token').json()['count'] == 1


def token_request(user='alice', password='alice-pw', domain='test-domain', scope=None):
    scope = scope if scope is not None else {'project': {'name': 'cn-north-4'}}
    return {
        'auth': {'identity': {'methods': ['password'], 'password': {'user': {'domain': {'name': domain}, 'name': user, 'password': password}}}, 'scope': scope}
    }


def test_iam_password_token(emu, schemas):
    response = emu.session.post(emu.url + '/v3/auth/tokens', data=json.dumps(token_request()))
    assert response.status_code == 201
    token = response.headers['X-Subject-Token']
    body = response.json()['token']
    assert body['project'] == {'id': PROJECT, 'name': 'cn-north-4', 'domain': {'id': '11112222333344445555666677778888', 'name': 'test-domain'}}
    expires = datetime.strptime(body['expires_at'], '%Y-%m-%dT%H:%M:%S.%fZ')
    lifetime = (expires - datetime.utcnow()).total_seconds()
    assert 7000 < lifetime <= 7200  # token_lifetime: 2h in the scenario
    assert emu.get_token(LIST, token).json()['count'] == 3
    by_id = emu.session.post(emu.url + '/v3/auth/tokens', data=json.dumps(token_request(scope={'project': {'id': 'p-east'}})))
    assert by_id.status_code == 201 and by_id.json()['token']['project']['id'] == 'p-east'


@pytest.mark.parametrize('kwargs', [{'password': 'wrong'}, {'user': 'mallory'}, {'domain': 'other'}])
def test_iam_wrong_password_is_401(emu, kwargs):
    response = emu.session.post(emu.url + '/v3/auth/tokens', data=json.dumps(token_request(**kwargs)))
    assert response.status_code == 401
    assert response.json() == {'error': {'code': 401, 'message': 'The username or password is wrong.', 'title': 'Unauthorized'}}
    assert 'X-Subject-Token' not in response.headers


def test_iam_token_lifetime_expiry(start_emulator):
    from conftest import load_test_scenario

    scenario = load_test_scenario()
    scenario['iam'] = {'token_lifetime': '0.2s'}
    emu = start_emulator(scenario)
    token = emu.session.post(emu.url + '/v3/auth/tokens', data=json.dumps(token_request())).headers['X-Subject-Token']
    assert emu.get_token(LIST, token).status_code == 200
    time.sleep(0.3)
    assert gateway_error(emu.get_token(LIST, token))[:2] == (401, 'APIGW.0307')


def test_iam_projects_by_name(emu):
    def names(region):
        response = emu.get('/v3/projects', {'name': region}, project_id=None)
        assert response.status_code == 200
        return [p['id'] for p in response.json()['projects']]

    assert names('cn-north-4') == ['p-north']
    assert names('ap-southeast-1') == ['p-sea-1', 'p-sea-2']
    assert names('la-south-2') == []
    project = emu.get('/v3/projects', {'name': 'cn-north-4'}, project_id=None).json()['projects'][0]
    assert project['domain_id'] == '11112222333344445555666677778888' and project['enabled'] is True
    assert emu.get_token('/v3/projects?name=cn-east-3', 'test-static-token').json()['projects'][0]['id'] == 'p-east'
    assert gateway_error(emu.session.get(emu.url + '/v3/projects?name=cn-north-4'))[:2] == (401, 'APIGW.0301')


def test_lockout_after_failures(start_emulator):
    from conftest import load_test_scenario

    scenario = load_test_scenario()
    scenario['auth'] = {'lockout_after_failures': 2, 'lockout_duration': '5m'}
    emu = start_emulator(scenario)
    emu.get(LIST, sk='bad')
    emu.get(LIST, sk='bad')
    status, code, message = gateway_error(emu.get(LIST))
    assert (status, code) == (401, 'APIGW.0301') and 'locked' in message
