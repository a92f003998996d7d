"""Shared pieces of the module integration tests (test_modules_*.py).

One emulator per test file (module-scoped), reset through its control API
before every test; playbooks are built as data, one play with several tasks
that never stop the run (``ignore_errors``), so that a test asserts on the
recorded result of each task.

A test file takes the fixtures by assigning them at module level::

    modules_emulator_fixture = harness.modules_emulator_fixture
    emulator_fixture = harness.emulator_fixture
"""

import pytest
import yaml
from conftest import SCENARIOS, Emulator

SCENARIO = SCENARIOS / 'modules.yml'
COLLECTION = 'hwcloud.migration.'
GROUP = 'group/hwcloud.migration.huaweicloud'
REGION = 'cn-north-4'


def _load_scenario():
    with open(str(SCENARIO), encoding='utf-8') as handle:
        return yaml.safe_load(handle)


_DATA = _load_scenario()
PROJECT_ID = _DATA['regions'][REGION][0]
AMBIGUOUS_REGION = next(region for region, ids in _DATA['regions'].items() if len(ids) > 1)
EMPTY_REGION = next(region for region, ids in _DATA['regions'].items() if not ids)
_PERMANENT = next(key for key in _DATA['credentials']['access_keys'] if 'security_token' not in key)
_TEMPORARY = next(key for key in _DATA['credentials']['access_keys'] if 'security_token' in key)
_USER = _DATA['credentials']['users'][0]
AK, SK = _PERMANENT['access_key'], _PERMANENT['secret_key']
TEMP_AK, TEMP_SK, SECURITY_TOKEN = _TEMPORARY['access_key'], _TEMPORARY['secret_key'], _TEMPORARY['security_token']
USERNAME, PASSWORD, DOMAIN = _USER['name'], _USER['password'], _USER['domain']
STATIC_TOKEN = _DATA['credentials']['tokens'][0]['token']
SCENARIO_TASK_IDS = [task['sync_task_id'] for task in _DATA['sync_tasks']]
GENERATED_TASKS = _DATA['generate']['sync_tasks']

# Wrong values the failure tests send; like the real ones, none may ever be printed.
WRONG_SK = 'modtest-wrong-secret-key-9999'
WRONG_SECURITY_TOKEN = 'modtest-wrong-security-token-9999'
WRONG_TOKEN = 'modtest-wrong-static-token-9999'
WRONG_PASSWORD = 'modtest-wrong-password-9999'
SECRETS = (SK, TEMP_SK, SECURITY_TOKEN, PASSWORD, STATIC_TOKEN, WRONG_SK, WRONG_SECURITY_TOKEN, WRONG_TOKEN, WRONG_PASSWORD)

# Identifiers that must never change the request path: each is refused before
# sending or sent as one encoded path segment (and then unknown: `missing`).
SENT_ENCODED_IDS = ['../x', 'a/b', 'a?b', '%2F', 't\u00e2che-\u00e9', 'a#b c']
REFUSED_IDS = {'..': "must not be '..'", 'x' * 300: 'must be 1 to 255 characters long, got 300'}


@pytest.fixture(scope='module', name='modules_emulator')
def modules_emulator_fixture():
    """One emulator for the whole test file, on the modules scenario."""
    emulator = Emulator(SCENARIO)
    yield emulator
    emulator.stop()


@pytest.fixture(name='emulator')
def emulator_fixture(modules_emulator):
    """The file's emulator, reset: scenario state, faults, poll counters and request log start over."""
    modules_emulator.control('POST', 'reset')
    return modules_emulator


def endpoints(emulator, **extra):
    """Region plus the emulator as service and IAM endpoint."""
    options = {'region': REGION, 'endpoint': emulator.url, 'iam_endpoint': emulator.url}
    options.update(extra)
    return options


# Secrets reach the playbooks only as variables (an extra-vars file), never as literals
# in the playbook text, as a user keeps them in a vault: ansible-core prints the
# source lines of a failed task, and those must not be what leaks a secret.
SECRET_VARS = {
    'modtest_sk': SK,
    'modtest_temp_sk': TEMP_SK,
    'modtest_security_token': SECURITY_TOKEN,
    'modtest_password': PASSWORD,
    'modtest_static_token': STATIC_TOKEN,
    'modtest_wrong_sk': WRONG_SK,
    'modtest_wrong_security_token': WRONG_SECURITY_TOKEN,
    'modtest_wrong_token': WRONG_TOKEN,
    'modtest_wrong_password': WRONG_PASSWORD,
}


def secret(value):
    """A Jinja reference to the variable that holds the secret ``value``."""
    name = next(key for key, known in SECRET_VARS.items() if known == value)
    return '{{ %s }}' % name


def credentials(kind):
    """Module options of one authentication method of the scenario."""
    return {
        'aksk': {'access_key': AK, 'secret_key': secret(SK)},
        'temporary': {'access_key': TEMP_AK, 'secret_key': secret(TEMP_SK), 'security_token': secret(SECURITY_TOKEN)},
        'token': {'auth_token': secret(STATIC_TOKEN)},
        'password': {'username': USERNAME, 'password': secret(PASSWORD), 'domain_name': DOMAIN},
    }[kind]


AUTH_KINDS = ('aksk', 'temporary', 'token', 'password')


def wrong_credentials():
    """(task name, options) of every authentication method with one wrong secret."""
    return [
        ('wrong secret key', {'access_key': AK, 'secret_key': secret(WRONG_SK), 'project_id': PROJECT_ID}),
        (
            'wrong security token',
            {'access_key': TEMP_AK, 'secret_key': secret(TEMP_SK), 'security_token': secret(WRONG_SECURITY_TOKEN), 'project_id': PROJECT_ID},
        ),
        ('wrong token', {'auth_token': secret(WRONG_TOKEN)}),
        ('wrong password', {'username': USERNAME, 'password': secret(WRONG_PASSWORD), 'domain_name': DOMAIN}),
    ]


def assert_wrong_credentials_failed(run, resource_id):
    """Each task of :func:`wrong_credentials` failed with the status and code, naming the resource."""
    for name in ('wrong secret key', 'wrong security token', 'wrong token'):
        failure = result(run, name, 'failed')
        assert failure['status'] == 401 and failure['error_code'] == 'APIGW.0301', failure
        assert 'HTTP 401 APIGW.0301' in failure['msg'] and resource_id in failure['msg'], failure['msg']
    failure = result(run, 'wrong password', 'failed')
    assert failure['status'] == 401 and 'HTTP 401' in failure['msg'], failure
    assert '/v3/auth/tokens' in failure['msg'] and 'username or password is wrong' in failure['msg'], failure


def connection(emulator, kind='aksk', **extra):
    """Endpoints plus the credentials of ``kind``."""
    options = endpoints(emulator, **credentials(kind))
    options.update(extra)
    return options


def task(name, module, **args):
    """A task of a module of the collection that never stops the play."""
    return {'name': name, COLLECTION + module: args, 'ignore_errors': True}


def playbook(tasks, module_defaults=None, name='module integration test'):
    """One play on localhost running ``tasks``."""
    play = {'name': name, 'hosts': 'localhost', 'gather_facts': False}
    if module_defaults:
        play['module_defaults'] = {GROUP: module_defaults}
    play['tasks'] = tasks
    return [play]


def run_plays(run_playbook, plays, verbosity=0):
    """Run ``plays`` with the secret variables."""
    return run_playbook(plays, extra_vars=SECRET_VARS, verbosity=verbosity)


def result(run, name, outcome='ok'):
    """The recorded result of task ``name``, after checking its outcome."""
    entry = run.task(name)
    assert entry['outcome'] == outcome, '%s: %s\n%s' % (name, entry, run.output)
    return entry['result']


def requests_log(emulator, route=None):
    """The emulator's request log, optionally only one route."""
    return [entry for entry in emulator.requests_log() if route is None or entry['route'] == route]


def assert_clean_output(run):
    """No traceback and no secret (real or wrong) anywhere in stdout or stderr."""
    output = run.output
    assert 'Traceback' not in output, output
    for secret in SECRETS:
        assert secret not in output, 'secret %r printed:\n%s' % (secret, output)


def warnings_of(run, entry_result):
    """The warnings of a task: from its recorded result when there, else the [WARNING] lines of the output."""
    found = list(entry_result.get('warnings') or [])
    found += [line for line in run.output.splitlines() if '[WARNING]' in line]
    return found
