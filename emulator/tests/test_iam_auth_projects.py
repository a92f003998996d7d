"""GET /v3/auth/projects: the projects a credential may use, for the projects inventory plugin."""

import json

from conftest import PROJECT


def _ids(response):
    assert response.status_code == 200, response.text
    return [project['id'] for project in response.json()['projects']]


def test_an_access_key_sees_the_projects_it_owns(emu):
    assert _ids(emu.get('/v3/auth/projects', project_id=None)) == [PROJECT]
    unlimited = emu.get('/v3/auth/projects', ak='TESTTEMPAK000000001', sk='test-temp-sk-0001', security_token='test-security-token-0001', project_id=None)
    assert _ids(unlimited) == ['p-north', 'p-east', 'p-sea-1', 'p-sea-2']
    project = unlimited.json()['projects'][1]
    assert project['name'] == 'cn-east-3' and project['enabled'] is True
    assert unlimited.json()['links']['next'] is None


def test_tokens_see_their_user_or_their_scope(emu):
    request = {
        'auth': {
            'identity': {'methods': ['password'], 'password': {'user': {'domain': {'name': 'test-domain'}, 'name': 'alice', 'password': 'alice-pw'}}},
            'scope': {'project': {'name': 'cn-north-4'}},
        }
    }
    token = emu.session.post(emu.url + '/v3/auth/tokens', data=json.dumps(request)).headers['X-Subject-Token']
    assert _ids(emu.get_token('/v3/auth/projects', token)) == ['p-north', 'p-east', 'p-sea-1', 'p-sea-2']
    assert _ids(emu.get_token('/v3/auth/projects', 'test-east-token')) == ['p-east']


def test_no_credentials_is_401(emu):
    response = emu.session.get(emu.url + '/v3/auth/projects')
    assert response.status_code == 401 and response.json()['error_code'] == 'APIGW.0301'
