"""hwcloud.migration.modelarts_dataset_sync_info: real ansible-playbook runs against the emulator."""

import modules_harness as harness
from modules_harness import (
    AK,
    AMBIGUOUS_REGION,
    AUTH_KINDS,
    EMPTY_REGION,
    PROJECT_ID,
    REFUSED_IDS,
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

MODULE = 'modelarts_dataset_sync_info'
ROUTE = 'show_dataset_sync_status'
COMPLETED = 'modCompletedDataset1'
FAILED = 'modFailedDataset0001'
PROGRESS = 'modProgressDataset01'
STUCK = 'modStuckDataset00001'


def status(name, **args):
    return task(name, MODULE, **args)


def read_ids(emulator):
    """Dataset ids of the status calls the emulator answered, in order."""
    return [entry['path'].split('/')[4] for entry in requests_log(emulator, ROUTE)]


def test_every_auth_method_reads_dataset_syncs(emulator, run_playbook):
    """AK/SK from module_defaults (project discovered), temporary AK/SK, static token and password."""
    plays = playbook(
        [status('aksk from module_defaults', dataset_ids=[COMPLETED, FAILED])], module_defaults=connection(emulator, 'aksk'), name='module_defaults'
    )
    plays += playbook(
        [
            status('temporary aksk', dataset_ids=[COMPLETED, FAILED], project_id=PROJECT_ID, **connection(emulator, 'temporary')),
            status('static token', dataset_ids=[COMPLETED, FAILED], **connection(emulator, 'token')),
            status('password', dataset_ids=[COMPLETED, FAILED], **connection(emulator, 'password')),
        ]
    )
    run = run_plays(run_playbook, plays)
    assert run.rc == 0, run.output
    for name in ('aksk from module_defaults', 'temporary aksk', 'static token', 'password'):
        outcome = result(run, name)
        assert outcome['missing'] == [] and outcome['changed'] is False
        completed, failed = outcome['dataset_syncs']
        assert completed['dataset_id'] == COMPLETED and completed['status'] == 'COMPLETED', name
        assert completed['finished'] is True and completed['succeeded'] is True
        assert completed['total_sample_count'] == 1200 and completed['task_id'] == 'modtest-sync-0001'
        assert failed['dataset_id'] == FAILED and failed['status'] == 'FAILED', name
        assert failed['finished'] is True and failed['succeeded'] is False
        assert failed['error_code'] == 'ModelArts.4360'

    calls = {}
    for entry in requests_log(emulator):
        assert entry['status'] in (200, 201), entry
        calls.setdefault(entry['principal'], []).append(entry['route'] if entry['route'] != ROUTE else entry['auth'])
    assert calls[AK] == ['iam_list_projects', 'aksk', 'aksk']
    assert calls[TEMP_AK] == ['temporary_aksk', 'temporary_aksk']
    assert calls['static-token'] == ['iam_list_projects', 'token', 'token']
    assert calls[None] == ['iam_create_token']
    assert calls[USERNAME] == ['token', 'token']
    for entry in requests_log(emulator, ROUTE):
        assert entry['path'].startswith('/v2/%s/datasets/' % PROJECT_ID) and entry['path'].endswith('/sync-data/status')


def test_project_discovery_fails_for_zero_or_several_projects(emulator, run_playbook):
    run = run_plays(
        run_playbook,
        playbook(
            [
                status('several projects', dataset_id=COMPLETED, **connection(emulator, region=AMBIGUOUS_REGION)),
                status('no project', dataset_id=COMPLETED, **connection(emulator, region=EMPTY_REGION)),
            ]
        ),
    )
    for name in ('several projects', 'no project'):
        message = result(run, name, 'failed')['msg']
        assert 'set project_id' in message and COMPLETED in message, message
    assert [entry['route'] for entry in requests_log(emulator)] == ['iam_list_projects'] * 2


def test_missing_ids_input_order_and_duplicates_read_once(emulator, run_playbook):
    requested = [FAILED, 'unknownDataset2', COMPLETED, FAILED, 'unknownDataset1', 'unknownDataset2']
    run = run_plays(run_playbook, playbook([status('by ids', dataset_ids=requested, **connection(emulator))]))
    outcome = result(run, 'by ids')
    assert [entry['dataset_id'] for entry in outcome['dataset_syncs']] == [FAILED, COMPLETED]
    assert outcome['missing'] == ['unknownDataset2', 'unknownDataset1']
    assert sorted(read_ids(emulator)) == sorted([FAILED, COMPLETED, 'unknownDataset1', 'unknownDataset2'])
    # The service says "unknown dataset" with 400 ModelArts.4352, not 404.
    assert sorted(entry['status'] for entry in requests_log(emulator, ROUTE)) == [200, 200, 400, 400]


def test_wrong_credentials_fail_clearly_without_printing_secrets(emulator, run_playbook):
    tasks = [status(name, dataset_id=COMPLETED, **endpoints(emulator, **options)) for name, options in harness.wrong_credentials()]
    tasks += [status('right %s' % kind, dataset_id=COMPLETED, **connection(emulator, kind)) for kind in AUTH_KINDS]
    run = run_plays(run_playbook, playbook(tasks), verbosity=4)
    assert_clean_output(run)
    harness.assert_wrong_credentials_failed(run, COMPLETED)
    for kind in AUTH_KINDS:
        assert result(run, 'right %s' % kind)['dataset_syncs'][0]['status'] == 'COMPLETED'


def test_rides_through_429_and_gives_up_on_persistent_503(emulator, run_playbook):
    emulator.control('POST', 'faults', {'route': '/v2/*/datasets/%s/*' % COMPLETED, 'kind': 'throttle', 'retry_after': 1, 'times': 2})
    emulator.control('POST', 'faults', {'route': '/v2/*/datasets/%s/*' % FAILED, 'kind': 'error', 'status': 503})
    options = connection(emulator, project_id=PROJECT_ID)
    run = run_plays(
        run_playbook, playbook([status('throttled', dataset_id=COMPLETED, **options), status('unavailable', dataset_id=FAILED, retries=2, **options)])
    )
    assert 'Traceback' not in run.output
    assert result(run, 'throttled')['dataset_syncs'][0]['status'] == 'COMPLETED'
    failure = result(run, 'unavailable', 'failed')
    assert failure['status'] == 503 and 'HTTP 503' in failure['msg'] and FAILED in failure['msg'], failure
    assert failure['dataset_id'] == FAILED

    log = requests_log(emulator, ROUTE)
    throttled = [entry for entry in log if COMPLETED in entry['path']]
    assert [entry['status'] for entry in throttled] == [429, 429, 200]
    assert all(later['time'] - earlier['time'] >= 950 for earlier, later in zip(throttled, throttled[1:]))
    assert [entry['status'] for entry in log if FAILED in entry['path']] == [503] * 3  # retries + 1


def test_hostile_ids_are_refused_or_sent_as_one_encoded_segment(emulator, run_playbook):
    options = connection(emulator, project_id=PROJECT_ID)
    tasks = [status('sent encoded', dataset_ids=SENT_ENCODED_IDS + [COMPLETED], **options)]
    tasks += [status('refused %d' % index, dataset_id=value, **options) for index, value in enumerate(REFUSED_IDS)]
    tasks.append(status('refused in a list', dataset_ids=[COMPLETED, '..'], **options))
    run = run_plays(run_playbook, playbook(tasks))
    assert 'Traceback' not in run.output
    outcome = result(run, 'sent encoded')
    assert outcome['missing'] == SENT_ENCODED_IDS
    assert [entry['dataset_id'] for entry in outcome['dataset_syncs']] == [COMPLETED]
    for index, reason in enumerate(REFUSED_IDS.values()):
        message = result(run, 'refused %d' % index, 'failed')['msg']
        assert message.startswith('dataset_id: ') and reason in message, message
    assert result(run, 'refused in a list', 'failed')['msg'].startswith('dataset_ids: ')
    log = requests_log(emulator)
    assert len(log) == len(SENT_ENCODED_IDS) + 1
    for entry in log:
        assert entry['route'] == ROUTE, entry
        segments = entry['path'].split('/')
        assert segments[:4] == ['', 'v2', PROJECT_ID, 'datasets'] and segments[5:] == ['sync-data', 'status'], entry
        assert entry['query'] == {}, entry


def test_wait_polls_until_finished_or_times_out_with_last_status(emulator, run_playbook):
    options = connection(emulator, project_id=PROJECT_ID)
    run = run_plays(
        run_playbook,
        playbook(
            [
                status('finishes', dataset_ids=[PROGRESS, COMPLETED], wait=True, wait_sleep=1, wait_timeout=30, **options),
                status('outlasts', dataset_ids=[COMPLETED, STUCK], wait=True, wait_sleep=1, wait_timeout=1, **options),
            ]
        ),
    )
    assert 'Traceback' not in run.output
    finished = result(run, 'finishes')['dataset_syncs']
    assert [(entry['dataset_id'], entry['status'], entry['succeeded']) for entry in finished] == [(PROGRESS, 'COMPLETED', True), (COMPLETED, 'COMPLETED', True)]
    timed_out = result(run, 'outlasts', 'failed')
    assert 'Timed out after 1 seconds' in timed_out['msg'] and '1 of 2 dataset syncs' in timed_out['msg']
    assert '%s RUNNING' % STUCK in timed_out['msg'] and '%s COMPLETED' % COMPLETED in timed_out['msg']
    assert [entry['status'] for entry in timed_out['dataset_syncs']] == ['COMPLETED', 'RUNNING']
    # Only unfinished datasets are read again: the scripted one twice (RUNNING, then
    # COMPLETED), finished ones once per task. How often the stuck one is read before
    # its 1 s runs out depends on the machine's load, not on the module.
    assert read_ids(emulator).count(PROGRESS) == 2
    assert read_ids(emulator).count(STUCK) >= 1
    assert read_ids(emulator).count(COMPLETED) == 2


def test_contract_break_warns_by_default_and_fails_when_strict(emulator, run_playbook):
    emulator.control('POST', 'faults', {'route': ROUTE, 'kind': 'contract_break'})
    options = connection(emulator, project_id=PROJECT_ID)
    run = run_plays(
        run_playbook, playbook([status('lenient', dataset_id=COMPLETED, **options), status('strict', dataset_id=COMPLETED, strict_contract=True, **options)])
    )
    assert 'Traceback' not in run.output
    lenient = result(run, 'lenient')
    [entry] = lenient['dataset_syncs']
    assert entry['status'] == 'DONE' and entry['finished'] is False and entry['succeeded'] is False
    warnings = [line for line in warnings_of(run, lenient) if 'status' in line and 'DONE' in line]
    assert warnings and all('dataset %s' % COMPLETED in line for line in warnings), run.output
    strict = result(run, 'strict', 'failed')
    assert 'strict_contract' in strict['msg'] and 'status' in strict['msg'] and COMPLETED in strict['msg']
