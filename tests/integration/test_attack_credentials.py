"""Wrong credentials, a slow or dead IAM and echoed secrets, through real ansible-playbook runs against the emulator.

* Wrong credentials cost one refused request per module call, however many ids
  a gate reads in how many threads (API Gateway locks an AK/SK pair for 5
  minutes after 5 failures in a row, and this file's scenario does too): every
  other read is reported as not attempted because of that refusal, each id
  named, and the message says what to check.
* A slow or dead IAM is asked once per call (one request and its retries),
  within the call's deadline; its answer is named with status, code and request
  id, never as "no HTTP response".
* A server that echoes a secret (the IAM token the module fetched, a security
  token, a key) in an error body or a header never gets it, or any piece of it
  of 8 characters or more, into the output, at -vvv too: the fetched token is
  masked like a no_log option, and excerpts are masked before they are cut.

The scenario's secrets are made up for this file; each starts with its own
8 characters, so a leaked prefix cannot be confused with any other output.
"""

import time

import pytest
import yaml
from conftest import Emulator
from modules_harness import playbook, requests_log, result, task

REGION = 'cn-north-4'
PROJECT = '6c0e3a9d1b2f4e5a8c7d9e0f1a2b3c4d'
OTHER_REGION = 'ap-southeast-1'
OTHER_PROJECT = '1d2c3b4a5f6e47d8a9b0c1d2e3f4a5b6'
AK = 'ATTACKAK000000000001'
SK = 'Zq8SkAtt-secret-key-4f9d2e7c1b6a'
TEMP_AK = 'ATTACKTEMPAK00000001'
TEMP_SK = 'Wm3TmpSk-temporary-secret-8e1d4c'
SECURITY_TOKEN = 'Xv5SecTk-security-token-2b7f9a0c3e5d'
USER, DOMAIN = 'attack-user', 'attack-domain'
PASSWORD = 'Jr6PwAtt-password-value-5c8e1f'
STATIC_TOKEN = 'Kp4StTok-static-token-value-9d3a7b'
# The token IAM answers in the echo tests (a rewrite of X-Subject-Token); valid at the gateway.
ECHO_TOKEN = 'Hy7EcTok-fetched-iam-token-0123456789abcdefghijklmnop'
WRONG = {
    'secret_key': 'Bn2WrSk-wrong-secret-key-7777',
    'security_token': 'Cd9WrSt-wrong-security-token-7777',
    'auth_token': 'Ef1WrTk-wrong-static-token-7777',
    'password': 'Gh5WrPw-wrong-password-7777',
}
SECRETS = (SK, TEMP_SK, SECURITY_TOKEN, PASSWORD, STATIC_TOKEN, ECHO_TOKEN) + tuple(WRONG.values())

SYNC_TASKS = ['0d146099-8cf4-437d-b6ef-88e043771c8b', '7a4b2c1d-5e6f-4a8b-9c0d-1e2f3a4b5c6d']
DATASETS = ['attackDataset000001', 'attackDataset000002']
MIGRATION_TASKS = [1001, 1002]
GROUP = '4c8e2a6f-1b3d-4f5a-9e7c-0d2b4a6c8e1f'

SCENARIO = {
    'version': 1,
    'domain': {'id': '7e6d5c4b3a2f41e0d9c8b7a6f5e4d3c2', 'name': DOMAIN},
    'regions': {REGION: [PROJECT], OTHER_REGION: [OTHER_PROJECT]},
    'default_project': PROJECT,
    'credentials': {
        'access_keys': [{'access_key': AK, 'secret_key': SK}, {'access_key': TEMP_AK, 'secret_key': TEMP_SK, 'security_token': SECURITY_TOKEN}],
        'users': [{'name': USER, 'domain': DOMAIN, 'password': PASSWORD}],
        'tokens': [{'token': STATIC_TOKEN, 'project_id': PROJECT}, {'token': ECHO_TOKEN, 'project_id': PROJECT}],
    },
    # As API Gateway: 5 refused requests in a row lock the pair for 5 minutes.
    'auth': {'lockout_after_failures': 5, 'lockout_duration': '5m'},
    'sync_tasks': [{'sync_task_id': task_id, 'series': {'start': '-1d'}} for task_id in SYNC_TASKS],
    'datasets': [{'dataset_id': dataset_id, 'status': 'COMPLETED'} for dataset_id in DATASETS],
    'migration_tasks': [{'id': task_id, 'group_id': GROUP} for task_id in MIGRATION_TASKS],
    'task_groups': [{'group_id': GROUP}],
}


def _ids(prefix, count):
    return ['%s%02d' % (prefix, index) for index in range(count)]


# A gate's reads: many ids in four parts, read in threads in one call.
GATE_READS = {
    'sync_task_info': {'sync_task_ids': SYNC_TASKS + ['00000000-0000-4000-8000-%012d' % index for index in range(10)]},
    'dataset_sync_info': {'dataset_ids': DATASETS + _ids('unknownDataset', 10)},
    'migration_task_info': {'task_ids': MIGRATION_TASKS + list(range(2000, 2010))},
    'task_group_info': {'group_ids': [GROUP, '5b1e7a3c-9d2f-4c6b-8e0a-1f2d3c4b5a69']},
}
ID_KEYS = {'sync_task_info': 'sync_task_ids', 'dataset_sync_info': 'dataset_ids', 'migration_task_info': 'task_ids', 'task_group_info': 'group_ids'}
SECRET_VARS = {'attack_%d' % index: value for index, value in enumerate(SECRETS)}


def secret(value):
    """A Jinja reference to the variable holding ``value`` (secrets never appear in the playbook text)."""
    return '{{ %s }}' % next(name for name, known in SECRET_VARS.items() if known == value)


@pytest.fixture(scope='module', name='credentials_emulator')
def credentials_emulator_fixture(tmp_path_factory):
    path = tmp_path_factory.mktemp('credentials-scenario') / 'scenario.yml'
    path.write_text(yaml.safe_dump(SCENARIO, sort_keys=False))
    emulator = Emulator(path)
    yield emulator
    emulator.stop()


@pytest.fixture(name='emulator')
def emulator_fixture(credentials_emulator):
    credentials_emulator.control('POST', 'reset')
    return credentials_emulator


def connection(emulator, **extra):
    options = {'region': REGION, 'endpoint': emulator.url, 'iam_endpoint': emulator.url, 'retries': 1, 'timeout': 2, 'max_concurrency': 8}
    options.update(extra)
    return options


def run(run_playbook, tasks, verbosity=0):
    return run_playbook(playbook(tasks), extra_vars=SECRET_VARS, verbosity=verbosity)


def assert_no_secret(output):
    """No secret, and no piece of 8 characters or more from the start of one, anywhere in the output."""
    assert 'Traceback' not in output, output
    for value in SECRETS:
        for length in range(8, len(value) + 1):
            assert value[:length] not in output, 'the first %d characters of a secret were printed:\n%s' % (length, output)


def add_fault(emulator, spec):
    return emulator.control('POST', 'faults', spec)['id']


def fault_calls(emulator, fault_id):
    return next(fault['calls'] for fault in emulator.control('GET', 'faults')['faults'] if fault['id'] == fault_id)


def gate_errors(state):
    """Every failed id of the gate's parts: {(part, id): entry}; checks each requested id is named once."""
    found = {}
    for part, options in GATE_READS.items():
        entries = state[part]['errors']
        assert sorted(str(entry['id']) for entry in entries) == sorted(str(item) for item in options[ID_KEYS[part]]), (part, entries)
        for entry in entries:
            found[(part, entry['id'])] = entry
    return found


# name: (options, what the message tells the user to check)
WRONG_CREDENTIALS = {
    'wrong secret key': (
        {'access_key': AK, 'secret_key': secret(WRONG['secret_key']), 'project_id': PROJECT},
        ['access_key and secret_key are one pair', 'HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK', 'HW_ACCESS_KEY/HW_SECRET_KEY', 'white space', '5 minutes'],
    ),
    'wrong secret key, project looked up in IAM': (
        {'access_key': AK, 'secret_key': secret(WRONG['secret_key'])},
        ['access_key and secret_key are one pair', 'white space'],
    ),
    'secret key with a space around it': (
        {'access_key': AK, 'secret_key': secret(SK) + ' ', 'project_id': PROJECT},
        ['secret_key has white space at its start or end'],
    ),
    'wrong security token': (
        {'access_key': TEMP_AK, 'secret_key': secret(TEMP_SK), 'security_token': secret(WRONG['security_token']), 'project_id': PROJECT},
        ['security_token', 'HUAWEICLOUD_SDK_SECURITY_TOKEN'],
    ),
    'wrong token': ({'auth_token': secret(WRONG['auth_token']), 'project_id': PROJECT}, ['auth_token', '24 hours']),
    'wrong token, project looked up in IAM': ({'auth_token': secret(WRONG['auth_token'])}, ['auth_token']),
    'token of another project': ({'auth_token': secret(STATIC_TOKEN), 'project_id': OTHER_PROJECT}, ['project_id', 'permissions']),
    'wrong password': ({'username': USER, 'password': secret(WRONG['password']), 'domain_name': DOMAIN}, ['username, password and domain_name']),
}


@pytest.mark.security
@pytest.mark.parametrize('case', sorted(WRONG_CREDENTIALS))
def test_wrong_credentials_cost_one_refused_request_per_call(emulator, run_playbook, case):
    options, advice = WRONG_CREDENTIALS[case]
    emulator.clear_requests_log()
    outcome = run(run_playbook, [task('gate', 'migration_state_info', **dict(GATE_READS, **connection(emulator, **options)))])
    assert_no_secret(outcome.output)
    log = requests_log(emulator)
    # One request of the credentials in the whole call, refused; nothing else was sent.
    assert len(log) == 1 and log[0]['status'] in (401, 403), log
    refused = log[0]
    state = result(outcome, 'gate', outcome='failed')
    errors = gate_errors(state)
    attempted = [entry for entry in errors.values() if entry['attempted']]
    assert len(attempted) == 1 and attempted[0]['status'] == refused['status'] and attempted[0]['request_id'] == refused['request_id'], attempted
    for entry in errors.values():
        assert 'no HTTP response' not in entry['message'], entry
        if not entry['attempted']:
            # Named as not attempted because of that refusal, with its status and request id.
            assert entry['error_code'] == 'NotAttempted' and 'not attempted' in entry['message'], entry
            assert 'HTTP %d' % refused['status'] in entry['message'] and refused['request_id'] in entry['message'], entry
    for words in advice:
        assert words in state['msg'], (words, state['msg'])


def test_wrong_secret_keys_in_several_calls_never_lock_the_pair(emulator, run_playbook):
    wrong = connection(emulator, access_key=AK, secret_key=secret(WRONG['secret_key']), project_id=PROJECT)
    right = connection(emulator, access_key=AK, secret_key=secret(SK), project_id=PROJECT)
    outcome = run(
        run_playbook,
        [
            task('wrong key, first gate', 'migration_state_info', **dict(GATE_READS, **wrong)),
            task('wrong key, second gate', 'migration_state_info', **dict(GATE_READS, **wrong)),
            task('the right key', 'oms_sync_task_info', sync_task_ids=SYNC_TASKS, **right),
        ],
    )
    assert_no_secret(outcome.output)
    result(outcome, 'wrong key, first gate', outcome='failed')
    result(outcome, 'wrong key, second gate', outcome='failed')
    # Two refused requests in a row, not five: the pair is not locked.
    assert sorted(entry['sync_task_id'] for entry in result(outcome, 'the right key')['sync_tasks']) == sorted(SYNC_TASKS)
    assert [entry['status'] for entry in requests_log(emulator)] == [401, 401, 200, 200]


def test_a_clock_off_by_more_than_15_minutes_is_named(emulator, run_playbook):
    # What API Gateway answers an X-Sdk-Date more than 15 minutes off.
    add_fault(emulator, {'route': '/v2/*', 'kind': 'error', 'status': 401, 'error_code': 'APIGW.0303', 'error_msg': 'x-sdk-date expired'})
    outcome = run(
        run_playbook,
        [task('gate', 'migration_state_info', **dict(GATE_READS, **connection(emulator, access_key=AK, secret_key=secret(SK), project_id=PROJECT)))],
    )
    state = result(outcome, 'gate', outcome='failed')
    assert 'clock of the host that runs the module' in state['msg'] and 'NTP' in state['msg'], state['msg']
    assert len(requests_log(emulator)) == 1


# name: (route, fault, credentials): IAM slow beyond the timeout, or dead.
IAM_TROUBLE = {
    'slow project lookup': ('iam_list_projects', {'kind': 'latency', 'ms': 2500}, {'access_key': AK, 'secret_key': secret(SK)}),
    'dead project lookup': ('iam_list_projects', {'kind': 'connection_reset'}, {'access_key': AK, 'secret_key': secret(SK)}),
    'slow token request': ('iam_create_token', {'kind': 'latency', 'ms': 2500}, {'username': USER, 'password': secret(PASSWORD), 'domain_name': DOMAIN}),
    'dead token request': ('iam_create_token', {'kind': 'connection_reset'}, {'username': USER, 'password': secret(PASSWORD), 'domain_name': DOMAIN}),
}


@pytest.mark.parametrize('trouble', sorted(IAM_TROUBLE))
def test_a_slow_or_dead_iam_is_asked_once_per_call(emulator, run_playbook, trouble):
    route, fault, credentials = IAM_TROUBLE[trouble]
    fault_id = add_fault(emulator, dict(fault, route=route))
    started = time.monotonic()
    # timeout 2 s (deadline 4 s): the first attempt (2 s) and the backoff (0.5 to 1 s) always leave room for the
    # retry; with 1 s, a late first attempt and a long jitter passed the 2 s deadline and the retry was rightly dropped.
    outcome = run(run_playbook, [task('gate', 'migration_state_info', **dict(GATE_READS, **connection(emulator, timeout=2, **credentials)))])
    elapsed = time.monotonic() - started
    assert_no_secret(outcome.output)
    state = result(outcome, 'gate', outcome='failed')
    # One IAM request and its one retry (retries: 1) for the whole call, not one per id.
    assert fault_calls(emulator, fault_id) == 2, emulator.control('GET', 'faults')
    errors = gate_errors(state)
    assert sum(entry['attempted'] for entry in errors.values()) == 1, errors
    assert all(entry['error_code'] == 'NotAttempted' for entry in errors.values() if not entry['attempted']), errors
    # Within the call's deadline (timeout x (retries + 1) for the IAM request) plus Ansible's own start-up.
    assert elapsed < 30, elapsed


def test_an_iam_answer_is_named_with_its_status_code_and_request_id(emulator, run_playbook):
    fault_id = add_fault(emulator, {'route': 'iam_create_token', 'kind': 'error', 'status': 503, 'error_code': 'IAM.0003', 'error_msg': 'IAM is down'})
    credentials = {'username': USER, 'password': secret(PASSWORD), 'domain_name': DOMAIN}
    outcome = run(run_playbook, [task('gate', 'migration_state_info', **dict(GATE_READS, **connection(emulator, **credentials)))])
    state = result(outcome, 'gate', outcome='failed')
    assert fault_calls(emulator, fault_id) == 2  # one token request and its retry
    request_id = requests_log(emulator, 'iam_create_token')[-1]['request_id']
    for entry in gate_errors(state).values():
        # Never "no HTTP response": IAM answered, and each id says what and with which request id.
        assert 'no HTTP response' not in entry['message'], entry
        assert 'HTTP 503 IAM.0003' in entry['message'] and request_id in entry['message'], entry
    assert 'no HTTP response' not in state['msg'] and 'HTTP 503 IAM.0003' in state['msg'], state['msg']


# -- secrets echoed back ------------------------------------------------------------------


def _echo_body(value):
    """A non-JSON error page whose excerpt (200 characters) would end inside ``value``."""
    return '<html><body>' + 'E' * 185 + value + 'F' * 120 + '</body></html>'


# name: (credentials, the secret the server echoes)
ECHOES = {
    'secret key': ({'access_key': AK, 'secret_key': secret(SK), 'project_id': PROJECT}, SK),
    'security token': ({'access_key': TEMP_AK, 'secret_key': secret(TEMP_SK), 'security_token': secret(SECURITY_TOKEN), 'project_id': PROJECT}, SECURITY_TOKEN),
    'static token': ({'auth_token': secret(STATIC_TOKEN), 'project_id': PROJECT}, STATIC_TOKEN),
    'password': ({'username': USER, 'password': secret(PASSWORD), 'domain_name': DOMAIN}, PASSWORD),
    'fetched IAM token': ({'username': USER, 'password': secret(PASSWORD), 'domain_name': DOMAIN}, ECHO_TOKEN),
}


@pytest.mark.security
@pytest.mark.parametrize('echo', sorted(ECHOES))
def test_a_secret_echoed_by_the_server_never_shows_at_any_verbosity(emulator, run_playbook, echo):
    credentials, echoed = ECHOES[echo]
    # IAM hands out a token the test knows (the gateway accepts it), so an answer can echo it.
    add_fault(emulator, {'route': 'iam_create_token', 'kind': 'rewrite', 'headers': {'X-Subject-Token': ECHO_TOKEN}})
    first, second = SYNC_TASKS
    # One task's answer: a long error page whose excerpt is cut inside the secret, the secret in a header too.
    add_fault(
        emulator,
        {
            'route': '/v2/*/sync-tasks/%s' % first,
            'kind': 'rewrite',
            'any_status': True,
            'status': 502,
            'raw': _echo_body(echoed),
            'headers': {'X-Request-Id': echoed},
        },
    )
    # The other's: a JSON error that quotes it, and a dataset answer that is not JSON at all.
    add_fault(
        emulator,
        {
            'route': '/v2/*/sync-tasks/%s' % second,
            'kind': 'rewrite',
            'any_status': True,
            'status': 400,
            'raw': '{"error_code": "OMS.0068", "error_msg": "token %s refused"}' % echoed,
        },
    )
    add_fault(emulator, {'route': 'show_dataset_sync_status', 'kind': 'rewrite', 'raw': 'not json ' + 'E' * 170 + echoed + 'F' * 100})
    tasks = [
        task('single', 'oms_sync_task_info', sync_task_ids=SYNC_TASKS, **connection(emulator, **credentials)),
        task(
            'gate',
            'migration_state_info',
            sync_task_info={'sync_task_ids': SYNC_TASKS},
            dataset_sync_info={'dataset_ids': DATASETS},
            **connection(emulator, **credentials),
        ),
    ]
    outcome = run(run_playbook, tasks, verbosity=3)
    assert_no_secret(outcome.output)
    single = result(outcome, 'single', outcome='failed')
    messages = {entry['id']: entry['message'] for entry in single['errors']}
    assert 'HTTP 502' in messages[first] and '********' in messages[first], messages
    assert 'OMS.0068' in messages[second], messages
    gate = result(outcome, 'gate', outcome='failed')
    assert [entry['id'] for entry in gate['dataset_sync_info']['errors']] == DATASETS, gate['dataset_sync_info']
    assert all('not JSON' in entry['message'] for entry in gate['dataset_sync_info']['errors']), gate['dataset_sync_info']['errors']
