"""Every error path of every info module, at default verbosity and at -vvvv: no secret in any output.

Canary secrets ride in every place a user could put one: the credential options (right,
wrong, and with a trailing newline as a vault file or an environment variable gives
them), an endpoint's ``user:password@``. The error paths: option checks (control
characters, a region that is not a host label, userinfo in an endpoint), wrong
credentials of each method, an endpoint that refuses connections, and server faults
(503, a cut-off body, a non-JSON page, a trickling body) on the resource read.
"""

import socket

import modules_harness as harness
import pytest
from modules_harness import AK, PROJECT_ID, SCENARIO_TASK_IDS, SECRET_VARS, USERNAME, connection, endpoints, playbook, result, task

modules_emulator_fixture = harness.modules_emulator_fixture
emulator_fixture = harness.emulator_fixture

STEADY = SCENARIO_TASK_IDS[0]
CANARY_PASSWORD = 'canary-endpoint-password-7731'
CANARY_TOKEN = 'canary-newline-token-7731'
CANARY_SK = 'canary-newline-secret-7731'
CANARIES = (CANARY_PASSWORD, CANARY_TOKEN, CANARY_SK)
# Reaches the playbook as variables only, as a vault would give them.
CANARY_VARS = {'canary_token_nl': CANARY_TOKEN + '\n', 'canary_sk_crlf': CANARY_SK + '\r\n'}

# module: (arguments of one read, the route's path below the project, for faults)
MODULES = {
    'oms_sync_task_info': ({'sync_task_id': '%s'}, 'sync-tasks/%s'),
    'oms_sync_task_statistics_info': ({'sync_task_id': '%s'}, 'sync-tasks/%s/statistics'),
    'modelarts_dataset_sync_info': ({'dataset_id': '%s'}, 'datasets/%s/sync-data/status'),
    'oms_migration_task_info': ({'task_id': '%s'}, 'tasks/%s'),
    'oms_task_group_info': ({'group_id': '%s'}, 'taskgroups/%s'),
}
FAULTS = {
    'canary-503': {'kind': 'error', 'status': 503},
    'canary-cut': {'kind': 'truncated_body'},
    'canary-html': {'kind': 'non_json', 'status': 200},
    'canary-slow': {'kind': 'trickle', 'ms': 300, 'chunk_bytes': 1},
}
# Migration task ids are whole numbers: each fault gets one of its own.
NUMERIC_IDS = {STEADY: '1001', 'canary-503': '9503', 'canary-cut': '9504', 'canary-html': '9505', 'canary-slow': '9506'}


def _resource_id(module, name):
    """The id ``module`` reads for ``name`` (a fault's name, or the steady task)."""
    return NUMERIC_IDS[name] if module == 'oms_migration_task_info' else name


def _args(module, resource_id):
    template = MODULES[module][0]
    return dict((key, value % resource_id) for key, value in template.items())


def _error_paths(emulator, module):
    """(task name, options, what the failure message must say) of every error path."""
    refused = 'http://127.0.0.1:%d' % harness_free_port()
    paths = [
        ('token with a newline', dict(endpoints(emulator), auth_token='{{ canary_token_nl }}'), 'auth_token contains a line break'),
        (
            'secret key with CRLF',
            dict(endpoints(emulator), access_key=AK, secret_key='{{ canary_sk_crlf }}'),
            'secret_key (or HUAWEICLOUD_SDK_SK / HW_SECRET_KEY) contains a line break',
        ),
        ('region not a host label', dict(connection(emulator), region='evil.example.com/x?'), 'region must be a region id'),
        ('endpoint with userinfo', dict(connection(emulator), endpoint='{{ canary_endpoint }}'), 'endpoint must not contain user:password@'),
        (
            'iam endpoint with userinfo',
            dict(connection(emulator, 'password'), iam_endpoint='{{ canary_endpoint }}'),
            'iam_endpoint must not contain user:password@',
        ),
        ('connection refused', dict(connection(emulator, project_id=PROJECT_ID, retries=0), endpoint=refused), 'no HTTP response'),
        ('iam refused', dict(connection(emulator, 'password', retries=0), iam_endpoint=refused), 'could not obtain an IAM token'),
    ]
    for name, options in harness.wrong_credentials():
        paths.append((name, dict(endpoints(emulator), **options), 'HTTP 401'))
    for fault in FAULTS:
        paths.append((fault, dict(connection(emulator, 'temporary', project_id=PROJECT_ID, retries=0, timeout=2)), _resource_id(module, fault)))
    tasks = []
    expected = {}
    for name, options, says in paths:
        resource_id = _resource_id(module, name if name in FAULTS else STEADY)
        options = dict(options, **_args(module, resource_id))
        tasks.append(task(name, module, **options))
        expected[name] = says
    return tasks, expected


def harness_free_port():
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize('verbosity', [0, 4], ids=['default', 'vvvv'])
@pytest.mark.parametrize('module', sorted(MODULES))
def test_no_error_path_prints_a_secret(emulator, run_playbook, module, verbosity):
    for fault, spec in FAULTS.items():
        emulator.control('POST', 'faults', dict(spec, route='/v2/*/' + MODULES[module][1] % _resource_id(module, fault)))
    tasks, expected = _error_paths(emulator, module)
    extra_vars = dict(SECRET_VARS, **CANARY_VARS)
    extra_vars['canary_endpoint'] = emulator.url.replace('http://', 'http://%s:%s@' % (USERNAME, CANARY_PASSWORD))
    run = run_playbook(playbook(tasks), extra_vars=extra_vars, verbosity=verbosity)
    harness.assert_clean_output(run)
    for canary in CANARIES:
        assert canary not in run.output, 'canary %r printed:\n%s' % (canary, run.output)
    for name, says in expected.items():
        failure = result(run, name, 'failed')
        assert says in failure['msg'], (name, failure['msg'])
        for canary in CANARIES + harness.SECRETS:
            assert canary not in str(failure), (name, failure)
    # The option checks refused the bad values before anything was sent.
    assert not [entry for entry in harness.requests_log(emulator) if 'evil' in entry['path']]
