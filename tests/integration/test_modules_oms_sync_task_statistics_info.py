"""hwcloud.migration.oms_sync_task_statistics_info: real ansible-playbook runs against the emulator."""

import modules_harness as harness
from modules_harness import (
    AK,
    AMBIGUOUS_REGION,
    AUTH_KINDS,
    EMPTY_REGION,
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

MODULE = 'oms_sync_task_statistics_info'
ROUTE = 'list_sync_task_statistic'
STEADY, STOPPED = SCENARIO_TASK_IDS
DATA_TYPES = ['REQUEST', 'SUCCESS', 'FAILURE', 'SKIP', 'SIZE']
HOUR_MS = 3600 * 1000


def stats(name, **args):
    return task(name, MODULE, **args)


def test_every_auth_method_reads_statistics(emulator, run_playbook):
    """AK/SK from module_defaults (project discovered), temporary AK/SK, static token and password."""
    plays = playbook(
        [
            stats('aksk from module_defaults', sync_task_id=STEADY),
            stats('two days, two types', sync_task_id=STEADY, data_type=['FAILURE', 'REQUEST', 'FAILURE'], start_time='-2d'),
        ],
        module_defaults=connection(emulator, 'aksk'),
        name='module_defaults',
    )
    plays += playbook(
        [
            stats('temporary aksk', sync_task_id=STEADY, project_id=PROJECT_ID, **connection(emulator, 'temporary')),
            stats('static token', sync_task_id=STEADY, **connection(emulator, 'token')),
            stats('password', sync_task_id=STEADY, **connection(emulator, 'password')),
        ]
    )
    run = run_plays(run_playbook, plays)
    assert run.rc == 0, run.output
    for name in ('aksk from module_defaults', 'temporary aksk', 'static token', 'password'):
        outcome = result(run, name)
        assert outcome['missing'] == [] and outcome['changed'] is False
        [entry] = outcome['sync_task_statistics']
        assert entry['sync_task_id'] == STEADY and entry['statistic_time_type'] == 'FIVE_MINUTES', name
        summary = entry['summary']
        assert sorted(summary['series']) == sorted(DATA_TYPES), name
        assert summary['window']['end_time'] - summary['window']['start_time'] == HOUR_MS
        request = summary['series']['REQUEST']
        assert request['total'] > 0 and request['points'] == len(
            next(series['data'] for series in entry['statistic_datas'] if series['data_type'] == 'REQUEST')
        )
        assert 0 <= summary['failure_ratio'] < 0.05 and summary['bytes_synchronized'] > 0, summary
    [two_days] = result(run, 'two days, two types')['sync_task_statistics']
    assert two_days['statistic_time_type'] == 'ONE_HOUR'
    assert sorted(two_days['summary']['series']) == ['FAILURE', 'REQUEST']
    assert two_days['summary']['success_ratio'] is None and two_days['summary']['bytes_synchronized'] is None

    calls = {}
    for entry in requests_log(emulator):
        assert entry['status'] in (200, 201), entry
        calls.setdefault(entry['principal'], []).append((entry['route'], entry['auth']))
    assert calls[AK] == [('iam_list_projects', 'aksk'), (ROUTE, 'aksk'), ('iam_list_projects', 'aksk'), (ROUTE, 'aksk')]
    assert calls[TEMP_AK] == [(ROUTE, 'temporary_aksk')]
    assert calls['static-token'] == [('iam_list_projects', 'token'), (ROUTE, 'token')]
    assert calls[None] == [('iam_create_token', 'none')]
    assert calls[USERNAME] == [(ROUTE, 'token')]
    queries = [entry['query'] for entry in requests_log(emulator, ROUTE)]
    assert queries[0]['data_type'] == ','.join(DATA_TYPES)
    assert int(queries[0]['end_time']) - int(queries[0]['start_time']) == HOUR_MS
    # Duplicates dropped, order kept.
    assert queries[1]['data_type'] == 'FAILURE,REQUEST'
    assert int(queries[1]['end_time']) - int(queries[1]['start_time']) == 48 * HOUR_MS


def test_project_discovery_fails_for_zero_or_several_projects(emulator, run_playbook):
    run = run_plays(
        run_playbook,
        playbook(
            [
                stats('several projects', sync_task_id=STEADY, **connection(emulator, region=AMBIGUOUS_REGION)),
                stats('no project', sync_task_id=STEADY, **connection(emulator, region=EMPTY_REGION)),
            ]
        ),
    )
    for name in ('several projects', 'no project'):
        message = result(run, name, 'failed')['msg']
        assert 'set project_id' in message and STEADY in message, message
    assert [entry['route'] for entry in requests_log(emulator)] == ['iam_list_projects'] * 2


def test_missing_ids_input_order_and_duplicates_read_once(emulator, run_playbook):
    requested = [STOPPED, 'unknown-task-1', STEADY, STOPPED, 'unknown-task-1', 'unknown-task-0']
    run = run_plays(run_playbook, playbook([stats('by ids', sync_task_ids=requested, start_time='-3d', end_time='-1d', **connection(emulator))]))
    outcome = result(run, 'by ids')
    assert [entry['sync_task_id'] for entry in outcome['sync_task_statistics']] == [STOPPED, STEADY]
    assert outcome['missing'] == ['unknown-task-1', 'unknown-task-0']
    read = sorted(entry['path'].split('/')[4] for entry in requests_log(emulator, ROUTE))
    assert read == sorted([STOPPED, STEADY, 'unknown-task-0', 'unknown-task-1'])


def test_wrong_credentials_fail_clearly_without_printing_secrets(emulator, run_playbook):
    tasks = [stats(name, sync_task_id=STEADY, **endpoints(emulator, **options)) for name, options in harness.wrong_credentials()]
    tasks += [stats('right %s' % kind, sync_task_id=STEADY, **connection(emulator, kind)) for kind in AUTH_KINDS]
    run = run_plays(run_playbook, playbook(tasks), verbosity=4)
    assert_clean_output(run)
    harness.assert_wrong_credentials_failed(run, STEADY)
    for kind in AUTH_KINDS:
        assert result(run, 'right %s' % kind)['sync_task_statistics'][0]['sync_task_id'] == STEADY


def test_rides_through_429_and_gives_up_on_persistent_503(emulator, run_playbook):
    # One throttled answer asking for 2 s: longer than any first backoff (at most 1 s),
    # so the gap proves Retry-After was followed.
    emulator.control('POST', 'faults', {'route': '/v2/*/sync-tasks/%s/statistics' % STEADY, 'kind': 'throttle', 'retry_after': 2, 'times': 1})
    emulator.control('POST', 'faults', {'route': '/v2/*/sync-tasks/%s/statistics' % STOPPED, 'kind': 'error', 'status': 503})
    options = connection(emulator, project_id=PROJECT_ID)
    run = run_plays(
        run_playbook, playbook([stats('throttled', sync_task_id=STEADY, **options), stats('unavailable', sync_task_id=STOPPED, retries=1, **options)])
    )
    assert 'Traceback' not in run.output
    assert result(run, 'throttled')['sync_task_statistics'][0]['sync_task_id'] == STEADY
    failure = result(run, 'unavailable', 'failed')
    assert failure['status'] == 503 and failure['error_code'] == 'OMS.2004' and STOPPED in failure['msg'], failure

    log = requests_log(emulator, ROUTE)
    throttled = [entry for entry in log if STEADY in entry['path']]
    assert [entry['status'] for entry in throttled] == [429, 200]
    assert throttled[1]['time'] - throttled[0]['time'] >= 1900
    assert [entry['status'] for entry in log if STOPPED in entry['path']] == [503] * 2  # retries + 1


def test_hostile_ids_are_refused_or_sent_as_one_encoded_segment(emulator, run_playbook):
    options = connection(emulator, project_id=PROJECT_ID)
    tasks = [stats('sent encoded', sync_task_ids=SENT_ENCODED_IDS, **options)]
    tasks += [stats('refused %d' % index, sync_task_id=value, **options) for index, value in enumerate(REFUSED_IDS)]
    run = run_plays(run_playbook, playbook(tasks))
    assert 'Traceback' not in run.output
    outcome = result(run, 'sent encoded')
    assert outcome['missing'] == SENT_ENCODED_IDS and outcome['sync_task_statistics'] == []
    for index, reason in enumerate(REFUSED_IDS.values()):
        message = result(run, 'refused %d' % index, 'failed')['msg']
        assert message.startswith('sync_task_id: ') and reason in message, message
    log = requests_log(emulator)
    assert len(log) == len(SENT_ENCODED_IDS)
    for entry in log:
        assert entry['route'] == ROUTE and entry['status'] == 404, entry
        segments = entry['path'].split('/')
        assert segments[:4] == ['', 'v2', PROJECT_ID, 'sync-tasks'] and segments[5:] == ['statistics'], entry
        assert sorted(entry['query']) == ['data_type', 'end_time', 'start_time'], entry


def test_times_are_checked_before_any_request(emulator, run_playbook):
    options = connection(emulator)
    run = run_plays(
        run_playbook,
        playbook(
            [
                stats('start in seconds', sync_task_id=STEADY, start_time=1714550400, end_time='now', **options),
                stats('end in seconds', sync_task_id=STEADY, start_time='-1h', end_time='1714554000', **options),
                stats('start after end', sync_task_id=STEADY, start_time='-1h', end_time='-2h', **options),
                stats('iso start after end', sync_task_id=STEADY, start_time='2024-05-02T00:00:00Z', end_time='2024-05-01T00:00:00Z', **options),
                stats('no zone', sync_task_id=STEADY, start_time='2024-05-01T00:00:00', end_time='now', **options),
            ]
        ),
    )
    assert 'Traceback' not in run.output
    messages = dict(
        (name, result(run, name, 'failed')['msg']) for name in ('start in seconds', 'end in seconds', 'start after end', 'iso start after end', 'no zone')
    )
    assert 'start_time: 1714550400 looks like seconds' in messages['start in seconds']
    assert 'end_time' in messages['end in seconds'] and 'looks like seconds' in messages['end in seconds']
    for name in ('start after end', 'iso start after end'):
        assert 'start_time' in messages[name] and 'is after end_time' in messages[name], messages[name]
    assert '2024-05-02T00:00:00.000Z' in messages['iso start after end']
    assert 'start_time' in messages['no zone'] and 'no time zone' in messages['no zone']
    # Not even the project look-up was sent.
    assert requests_log(emulator) == []


def test_contract_break_warns_by_default_and_fails_when_strict(emulator, run_playbook):
    emulator.control('POST', 'faults', {'route': ROUTE, 'kind': 'contract_break'})
    options = connection(emulator, project_id=PROJECT_ID)
    run = run_plays(
        run_playbook, playbook([stats('lenient', sync_task_id=STEADY, **options), stats('strict', sync_task_id=STEADY, strict_contract=True, **options)])
    )
    assert 'Traceback' not in run.output
    lenient = result(run, 'lenient')
    assert lenient['sync_task_statistics'][0]['statistic_time_type'] == 'TEN_MINUTES'
    warnings = [line for line in warnings_of(run, lenient) if 'statistic_time_type' in line]
    assert warnings and all('sync task %s' % STEADY in line for line in warnings), run.output
    strict = result(run, 'strict', 'failed')
    assert 'strict_contract' in strict['msg'] and 'statistic_time_type' in strict['msg'] and STEADY in strict['msg']
