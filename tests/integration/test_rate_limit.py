"""The client-side ``rate_limit`` option against the emulator's ``rate_limit`` fault.

The emulator answers 429 APIGW.0308 ("policy user over ratelimit") with
``Retry-After: 1`` above LIMIT calls in any second. With ``rate_limit`` below that
limit the module never provokes a 429; without it the burst of concurrent calls
is throttled, and the retry policy still gets every call through.
"""

import pytest
import yaml

from hwc_emulator import generate

LIMIT = 10
TASKS = 30
TASK_IDS = ['gen-task-%05d' % index for index in range(TASKS)]
READ = 'Read the sync tasks'


@pytest.fixture
def throttled_emulator(emulator_factory, tmp_path):
    """An emulator with TASKS generated tasks and a rate_limit fault of LIMIT calls per second."""
    scenario = generate.make_scenario(TASKS, 1, seed=1)
    scenario['faults'] = [{'route': '*', 'kind': 'rate_limit', 'limit': LIMIT}]
    path = tmp_path / 'rate-limit.yml'
    path.write_text(yaml.safe_dump(scenario, sort_keys=False))
    emulator = emulator_factory(path)
    emulator.clear_requests_log()
    return emulator


def read_all(emulator, run_playbook, **options):
    args = {
        'region': 'cn-north-4',
        'project_id': generate.BENCH_PROJECT_ID,
        'access_key': generate.BENCH_ACCESS_KEY,
        'secret_key': generate.BENCH_SECRET_KEY,
        'endpoint': emulator.url,
        'iam_endpoint': emulator.url,
        'sync_task_ids': TASK_IDS,
        'max_concurrency': 8,
    }
    args.update(options)
    play = [
        {
            'name': 'rate limit',
            'hosts': 'localhost',
            'connection': 'local',
            'gather_facts': False,
            'tasks': [{'name': READ, 'hwcloud.migration.oms_sync_task_info': args, 'register': 'read'}],
        }
    ]
    run = run_playbook(play, timeout=180)
    assert run.rc == 0, run.output
    outcome = run.task(READ)
    assert outcome['outcome'] == 'ok', run.output
    found = [item['sync_task_id'] for item in outcome['result']['sync_tasks']]
    assert found == TASK_IDS and outcome['result']['missing'] == []
    statuses = {}
    for entry in emulator.requests_log():
        if entry['route'] == 'show_sync_task':
            statuses[entry['status']] = statuses.get(entry['status'], 0) + 1
    return statuses


def test_rate_limit_below_the_gateway_limit_is_never_throttled(throttled_emulator, run_playbook):
    statuses = read_all(throttled_emulator, run_playbook, rate_limit=LIMIT - 2)
    assert statuses == {200: TASKS}


def test_without_rate_limit_retries_get_every_call_through(throttled_emulator, run_playbook):
    statuses = read_all(throttled_emulator, run_playbook)  # the default retries (4)
    assert statuses.get(429, 0) > 0, statuses
    assert statuses[200] == TASKS
    assert set(statuses) == {200, 429}
