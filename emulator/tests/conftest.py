"""Fixtures: an in-process emulator per test, SDK-signed requests, contract checks.

Every body the emulator sends during a test is captured and, at teardown, checked
against the contract schemas with validators built here, independently of the
emulator's own guard (bodies a fault breaks on purpose are the only exception).
"""

import json
from pathlib import Path
from urllib.parse import quote, urlparse

import jsonschema
import pytest
import requests
import yaml

from hwc_emulator.contract import load_schemas
from hwc_emulator.server import Emulator, start_in_thread

HERE = Path(__file__).resolve().parent
DATA = HERE / 'data'
REPO = HERE.parent.parent
DEMO = REPO / 'emulator' / 'scenarios' / 'demo.yml'
SEEDS = REPO.parent / 'shared' / 'seeds'

AK, SK = 'TESTAK0000000000001', 'test-sk-0001'
TEMP_AK, TEMP_SK, TEMP_TOKEN = 'TESTTEMPAK000000001', 'test-temp-sk-0001', 'test-security-token-0001'
PROJECT = 'p-north'


@pytest.fixture(scope='session')
def schemas():
    return load_schemas(REPO / 'plugins' / 'module_utils' / '_api' / 'schemas.py')


@pytest.fixture(scope='session')
def validators(schemas):
    return dict((name, jsonschema.Draft7Validator(schema)) for name, schema in schemas.items())


def load_test_scenario():
    with open(DATA / 'scenario.yml') as handle:
        return yaml.safe_load(handle)


class Running(object):
    """A started emulator: its URL, its Emulator object and the bodies it sent."""

    def __init__(self, emulator, server, url):
        self.emulator = emulator
        self.server = server
        self.url = url
        self.sent = []
        self.session = requests.Session()

    @property
    def state(self):
        return self.emulator.state

    def control(self, method, path, payload=None):
        return self.session.request(method, self.url + '/_emulator/' + path, data=None if payload is None else json.dumps(payload))

    def get(self, path, params=None, ak=AK, sk=SK, **kwargs):
        return signed_request(self.session, self.url, 'GET', path, params, ak=ak, sk=sk, **kwargs)

    def get_token(self, path, token, params=None):
        return self.session.get(self.url + path, params=params, headers={'X-Auth-Token': token})


def signed_request(
    session, base_url, method, path, params=None, ak=AK, sk=SK, security_token=None, project_id=PROJECT, sdk_date=None, extra_headers=None, body=''
):
    """Sign with the OFFICIAL SDK signer and send with requests.

    ``path`` is the resource path with path parameters already quoted.
    """
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.sdk_request import SdkRequest
    from huaweicloudsdkcore.signer.signer import Signer

    parsed = urlparse(base_url)
    headers = {'Content-Type': 'application/json'}
    if project_id:
        headers['X-Project-Id'] = project_id
    if security_token:
        headers['X-Security-Token'] = security_token
    if sdk_date:
        headers['X-Sdk-Date'] = sdk_date
    headers.update(extra_headers or {})
    request = SdkRequest(
        method=method, schema=parsed.scheme, host=parsed.netloc, resource_path=path, query_params=list((params or {}).items()), header_params=headers, body=body
    )
    Signer(BasicCredentials(ak, sk)).sign(request)
    return session.request(method, base_url + request.uri, headers=request.header_params, data=request.body or None)


def task_path(task_id, project=PROJECT, suffix=''):
    return '/v2/%s/sync-tasks/%s%s' % (project, quote(task_id, safe=''), suffix)


@pytest.fixture
def start_emulator(validators):
    started = []

    def start(scenario=None, path=None):
        if path is None and scenario is None:
            scenario = load_test_scenario()
        emulator = Emulator(scenario_path=path, scenario_data=scenario)
        server, url = start_in_thread(emulator)
        running = Running(emulator, server, url)
        emulator.observer = running.sent.append
        started.append(running)
        return running

    yield start
    for running in started:
        running.session.close()
        running.server.shutdown()
        running.server.server_close()
        for sent in running.sent:
            assert sent['request_id']
            if sent['schema'] is None or sent['bypass_contract']:
                continue
            document = json.loads(sent['body'].decode('utf-8'))
            errors = list(validators[sent['schema']].iter_errors(document))
            assert not errors, (sent['route'], sent['status'], [e.message for e in errors])


@pytest.fixture
def emu(start_emulator):
    return start_emulator()
