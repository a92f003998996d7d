"""hwcloud.migration.oms_sync_task_info: real ansible-playbook runs against the emulator."""

import modules_harness as harness
from modules_harness import (
    AK,
    AMBIGUOUS_REGION,
    AUTH_KINDS,
    EMPTY_REGION,
    GENERATED_TASKS,
    PROJECT_ID,
    REFUSED_IDS,
    SCENARIO_TASK_IDS,
    SENT_ENCODED_IDS,
    TEMP_AK,
    USERNAME,
    assert_clean_output,
    connection,
    endpoints,
    playbook,
    requests_log,
    result,
    run_plays,
    task,
    warnings_of,
)

modules_emulator_fixture = harness.modules_emulator_fixture
emulator_fixture = harness.emulator_fixture

MODULE = 'oms_sync_task_info'
STEADY, STOPPED = SCENARIO_TASK_IDS
ALL_TASKS = GENERATED_TASKS + len(SCENARIO_TASK_IDS)


def read(name, **args):
    return task(name, MODULE, **args)


def test_every_auth_method_reads_a_task(emulator, run_playbook):
    """AK/SK (from module_defaults, project discovered), temporary AK/SK, static token and password."""
    plays = playbook([read('aksk from module_defaults', sync_task_id=STEADY)], module_defaults=connection(emulator, 'aksk'), name='module_defaults')
    plays += playbook(
        [
            read('temporary aksk', sync_task_id=STEADY, project_id=PROJECT_ID, **connection(emulator, 'temporary')),
            read('static token', sync_task_id=STEADY, **connection(emulator, 'token')),
            read('password', sync_task_id=STEADY, **connection(emulator, 'password')),
        ]
    )
    run = run_plays(run_playbook, plays)
    assert run.rc == 0, run.output
    for name in ('aksk from module_defaults', 'temporary aksk', 'static token', 'password'):
        outcome = result(run, name)
        assert outcome['changed'] is False
        assert outcome['missing'] == []
        [found] = outcome['sync_tasks']
        assert found['sync_task_id'] == STEADY and found['status'] == 'SYNCHRONIZING', name
        assert isinstance(found['monthly_acceptance_request'], int), name

    calls = {}
    for entry in requests_log(emulator):
        assert entry['status'] in (200, 201), entry
        calls.setdefault(entry['principal'], []).append((entry['route'], entry['auth']))
    # No project_id: the AK/SK and the static token look the project up in IAM; the
    # password token is scoped to the region's project; the temporary key was given it.
    assert calls[AK] == [('iam_list_projects', 'aksk'), ('show_sync_task', 'aksk')]
    assert calls[TEMP_AK] == [('show_sync_task', 'temporary_aksk')]
    assert calls['static-token'] == [('iam_list_projects', 'token'), ('show_sync_task', 'token')]
    # Password: one token from IAM (the log names no principal for the token call), then the call.
    assert calls[None] == [('iam_create_token', 'none')]
    assert calls[USERNAME] == [('show_sync_task', 'token')]
    for entry in requests_log(emulator, 'show_sync_task'):
        assert entry['path'] == '/v2/%s/sync-tasks/%s' % (PROJECT_ID, STEADY)


def test_project_discovery_fails_for_zero_or_several_projects(emulator, run_playbook):
    run = run_plays(
        run_playbook,
        playbook(
            [
                read('several projects', sync_task_id=STEADY, **connection(emulator, region=AMBIGUOUS_REGION)),
                read('no project', sync_task_id=STEADY, **connection(emulator, region=EMPTY_REGION)),
            ]
        ),
    )
    several = result(run, 'several projects', 'failed')['msg']
    assert '2 IAM projects are named %s' % AMBIGUOUS_REGION in several and 'set project_id' in several
    none = result(run, 'no project', 'failed')['msg']
    assert 'no IAM project named %s' % EMPTY_REGION in none and 'set project_id' in none
    # Only the IAM look-ups were sent, never a service call with a guessed project.
    assert [entry['route'] for entry in requests_log(emulator)] == ['iam_list_projects'] * 2


def test_listing_follows_every_page_and_filters_by_status(emulator, run_playbook):
    run = run_plays(
        run_playbook,
        playbook(
            [
                read('all', project_id=PROJECT_ID),
                read('stopped', project_id=PROJECT_ID, status='STOPPED'),
                read('stopped with details', project_id=PROJECT_ID, status='STOPPED', details=True, max_concurrency=16),
            ],
            module_defaults=connection(emulator),
        ),
    )
    assert run.rc == 0, run.output
    listed = result(run, 'all')['sync_tasks']
    ids = [entry['sync_task_id'] for entry in listed]
    assert len(ids) == ALL_TASKS and len(set(ids)) == ALL_TASKS
    assert set(SCENARIO_TASK_IDS) <= set(ids)
    assert set('gen-task-%05d' % index for index in range(GENERATED_TASKS)) <= set(ids)
    assert all('source_cdn' in entry and 'monthly_size' not in entry for entry in listed)

    expected_stopped = [entry['sync_task_id'] for entry in listed if entry['status'] == 'STOPPED']
    assert STOPPED in expected_stopped and len(expected_stopped) < ALL_TASKS
    stopped = result(run, 'stopped')['sync_tasks']
    assert [entry['sync_task_id'] for entry in stopped] == expected_stopped
    detailed = result(run, 'stopped with details')['sync_tasks']
    assert [entry['sync_task_id'] for entry in detailed] == expected_stopped
    for entry in detailed:
        assert entry['status'] == 'STOPPED' and isinstance(entry['monthly_size'], int) and 'source_cdn' in entry
    assert next(entry for entry in detailed if entry['sync_task_id'] == STOPPED)['source_cdn']['domain'] == 'cdn.example.com'

    pages = [(entry['query'].get('status'), int(entry['query']['offset']), int(entry['query']['limit'])) for entry in requests_log(emulator, 'list_sync_tasks')]
    assert pages[:3] == [(None, 0, 100), (None, 100, 100), (None, 200, 100)]
    assert all(page[0] == 'STOPPED' for page in pages[3:])
    assert len(requests_log(emulator, 'show_sync_task')) == len(expected_stopped)


def test_missing_ids_input_order_and_duplicates_read_once(emulator, run_playbook):
    requested = ['unknown-task-2', STOPPED, 'unknown-task-1', STEADY, STOPPED, 'unknown-task-2']
    run = run_plays(run_playbook, playbook([read('by ids', sync_task_ids=requested, **connection(emulator))]))
    outcome = result(run, 'by ids')
    assert [entry['sync_task_id'] for entry in outcome['sync_tasks']] == [STOPPED, STEADY]
    assert outcome['missing'] == ['unknown-task-2', 'unknown-task-1']
    shown = sorted(entry['path'].rsplit('/', 1)[1] for entry in requests_log(emulator, 'show_sync_task'))
    assert shown == sorted([STOPPED, STEADY, 'unknown-task-1', 'unknown-task-2'])
    statuses = dict((entry['path'].rsplit('/', 1)[1], entry['status']) for entry in requests_log(emulator, 'show_sync_task'))
    assert statuses['unknown-task-1'] == 404 and statuses[STEADY] == 200


def test_wrong_credentials_fail_clearly_without_printing_secrets(emulator, run_playbook):
    tasks = [read(name, sync_task_id=STEADY, **endpoints(emulator, **options)) for name, options in harness.wrong_credentials()]
    # The right secrets travel through the same run: they must not show either.
    tasks += [read('right %s' % kind, sync_task_id=STEADY, **connection(emulator, kind)) for kind in AUTH_KINDS]
    run = run_plays(run_playbook, playbook(tasks), verbosity=4)
    assert_clean_output(run)
    harness.assert_wrong_credentials_failed(run, STEADY)
    for kind in AUTH_KINDS:
        assert result(run, 'right %s' % kind)['sync_tasks'][0]['sync_task_id'] == STEADY
    # The failures were the gateway's and IAM's answers, not a refusal before sending.
    assert sorted(entry['status'] for entry in requests_log(emulator) if entry['status'] >= 400) == [401] * 4


def test_rides_through_429_and_gives_up_on_persistent_503(emulator, run_playbook):
    # A short 429 storm on the first task, a 503 that never ends on the second one.
    emulator.control('POST', 'faults', {'route': '/v2/*/sync-tasks/%s' % STEADY, 'kind': 'throttle', 'retry_after': 1, 'times': 2})
    emulator.control('POST', 'faults', {'route': '/v2/*/sync-tasks/%s' % STOPPED, 'kind': 'error', 'status': 503})
    options = connection(emulator, project_id=PROJECT_ID)
    run = run_plays(
        run_playbook, playbook([read('throttled', sync_task_id=STEADY, **options), read('unavailable', sync_task_id=STOPPED, retries=2, **options)])
    )
    assert 'Traceback' not in run.output
    assert result(run, 'throttled')['sync_tasks'][0]['sync_task_id'] == STEADY
    failure = result(run, 'unavailable', 'failed')
    assert failure['status'] == 503 and failure['error_code'] == 'OMS.2004', failure
    assert 'HTTP 503' in failure['msg'] and STOPPED in failure['msg']

    log = requests_log(emulator, 'show_sync_task')
    throttled = [entry for entry in log if entry['path'].endswith(STEADY)]
    assert [entry['status'] for entry in throttled] == [429, 429, 200]
    # Retry-After: 1 was honoured between the attempts.
    assert all(later['time'] - earlier['time'] >= 950 for earlier, later in zip(throttled, throttled[1:]))
    assert [entry['status'] for entry in log if entry['path'].endswith(STOPPED)] == [503] * 3  # retries + 1


def test_hostile_ids_are_refused_or_sent_as_one_encoded_segment(emulator, run_playbook):
    options = connection(emulator, project_id=PROJECT_ID)
    tasks = [read('sent encoded', sync_task_ids=SENT_ENCODED_IDS + [STEADY], **options)]
    tasks += [read('refused %d' % index, sync_task_id=value, **options) for index, value in enumerate(REFUSED_IDS)]
    tasks.append(read('refused in a list', sync_task_ids=[STEADY, 'x' * 256], **options))
    run = run_plays(run_playbook, playbook(tasks))
    assert 'Traceback' not in run.output
    outcome = result(run, 'sent encoded')
    assert outcome['missing'] == SENT_ENCODED_IDS
    assert [entry['sync_task_id'] for entry in outcome['sync_tasks']] == [STEADY]
    for index, reason in enumerate(REFUSED_IDS.values()):
        message = result(run, 'refused %d' % index, 'failed')['msg']
        assert message.startswith('sync_task_id: ') and reason in message, message
    assert 'sync_task_ids: ' in result(run, 'refused in a list', 'failed')['msg']

    log = requests_log(emulator)
    # Every request was one show_sync_task call of the right project: nothing moved up
    # the path or into the query, and the refused ids sent nothing at all.
    assert len(log) == len(SENT_ENCODED_IDS) + 1
    for entry in log:
        assert entry['route'] == 'show_sync_task', entry
        assert entry['path'].startswith('/v2/%s/sync-tasks/' % PROJECT_ID), entry
        assert entry['path'].count('/') == 4 and list(entry['query']) == ['query_time'], entry
    assert sorted(entry['status'] for entry in log) == [200] + [404] * len(SENT_ENCODED_IDS)


def test_query_time_in_seconds_is_refused_before_any_request(emulator, run_playbook):
    run = run_plays(
        run_playbook,
        playbook(
            [
                read('seconds', sync_task_id=STEADY, query_time=1714550400, **connection(emulator)),
                read('seconds as text', sync_task_id=STEADY, query_time='1714550400', **connection(emulator)),
                read('april', sync_task_id=STEADY, query_time='2024-04-15T00:00:00Z', **connection(emulator)),
            ]
        ),
    )
    assert 'Traceback' not in run.output
    for name in ('seconds', 'seconds as text'):
        message = result(run, name, 'failed')['msg']
        assert 'query_time: ' in message and 'looks like seconds since the epoch' in message, message
        assert '1714550400000' in message, message
    assert result(run, 'april')['sync_tasks'][0]['sync_task_id'] == STEADY
    # Only the valid task sent anything (its project look-up, then the read).
    log = requests_log(emulator)
    assert [entry['route'] for entry in log] == ['iam_list_projects', 'show_sync_task']
    assert log[1]['query'] == {'query_time': '1713139200000'}


def test_contract_break_warns_by_default_and_fails_when_strict(emulator, run_playbook):
    emulator.control('POST', 'faults', {'route': 'show_sync_task', 'kind': 'contract_break'})
    options = connection(emulator, project_id=PROJECT_ID)
    run = run_plays(
        run_playbook, playbook([read('lenient', sync_task_id=STEADY, **options), read('strict', sync_task_id=STEADY, strict_contract=True, **options)])
    )
    assert 'Traceback' not in run.output
    lenient = result(run, 'lenient')
    assert lenient['sync_tasks'][0]['monthly_size'] == 'many'
    warnings = [line for line in warnings_of(run, lenient) if 'monthly_size' in line]
    assert warnings and all('sync task %s' % STEADY in line for line in warnings), run.output
    strict = result(run, 'strict', 'failed')
    assert 'strict_contract' in strict['msg'] and 'monthly_size' in strict['msg'] and STEADY in strict['msg']
