"""hwcloud.migration.oms_failed_objects_info: real ansible-playbook runs against the emulator's OMS and OBS."""

import json
import os
import subprocess
import sys
import time

import migration_harness
import pytest
from conftest import REPO
from modules_harness import SECRET_VARS, assert_clean_output, connection, playbook, requests_log, result, task

MODULE = 'oms_failed_objects_info'
DEST_AK, DEST_SK = 'MODTESTDESTAK0000001', 'modtest-destination-secret-0001'
WRONG_DEST_SK = 'modtest-wrong-destination-secret-9999'
TEMP_DEST_AK, TEMP_DEST_SK, DEST_TOKEN = 'MODTESTDESTTEMPAK001', 'modtest-destination-temp-secret-0001', 'modtest-destination-token-0001'
WRONG_DEST_TOKEN = 'modtest-wrong-destination-token-9999'
FAILED, PRIVATE, NO_LIST, BIG, SUCCEEDED, GROUP_A, GROUP_B, NOT_RECORDED = 7001, 7002, 7003, 7004, 7005, 7006, 7007, 7008
GROUP, SYNC = 'a1b2c3d4-0000-4000-8000-00000000f001', 'sync-photos'
BIG_LINES = 100000
VARS = dict(SECRET_VARS, dest_sk=DEST_SK, wrong_dest_sk=WRONG_DEST_SK, temp_dest_sk=TEMP_DEST_SK, dest_token=DEST_TOKEN, wrong_dest_token=WRONG_DEST_TOKEN)
DEST_SECRETS = (DEST_SK, WRONG_DEST_SK, TEMP_DEST_SK, DEST_TOKEN, WRONG_DEST_TOKEN)


def _task(task_id, bucket, failed, **extra):
    entry = {'id': task_id, 'name': 'photos-%d' % task_id, 'status': 'failed', 'failed_objects': failed, 'total_num': max(failed * 2, 10)}
    entry['dst_node'] = {'bucket': bucket, 'region': 'cn-north-4'}
    entry.update(extra)
    return entry


@pytest.fixture(scope='module', name='obs_emulator')
def obs_emulator_fixture(tmp_path_factory):
    """modules.yml's projects and credentials plus a destination key pair, failing tasks, a group and a sync task."""
    data = migration_harness.modules_identities()
    data['credentials']['access_keys'].append({'access_key': DEST_AK, 'secret_key': DEST_SK})
    data['credentials']['access_keys'].append({'access_key': TEMP_DEST_AK, 'secret_key': TEMP_DEST_SK, 'security_token': DEST_TOKEN})
    private = {'name': 'dst-private', 'access_keys': [DEST_AK, TEMP_DEST_AK]}
    data['obs'] = {'layout': {'delimiter': 'space', 'header': True}, 'buckets': [private]}
    data['migration_tasks'] = [
        _task(FAILED, 'dst-photos', 12),
        _task(PRIVATE, 'dst-private', 3),
        _task(NO_LIST, 'dst-photos', 4, failed_object_list={'missing': True}),
        _task(BIG, 'dst-big', BIG_LINES, failed_object_list={'layout': {'delimiter': 'tab', 'header': False}}),
        _task(SUCCEEDED, 'dst-photos', 0, status='succeeded'),
        _task(GROUP_A, 'dst-group', 2, group_id=GROUP),
        _task(GROUP_B, 'dst-group', 5, group_id=GROUP),
        _task(NOT_RECORDED, 'dst-photos', 6, enable_failed_object_recording=False),
    ]
    data['task_groups'] = [
        {'group_id': GROUP, 'dst_node': {'bucket': 'dst-group', 'region': 'cn-north-4'}, 'failed_object_list': {'raw_lines': ['this line is no entry']}}
    ]
    data['sync_tasks'] = [{'sync_task_id': SYNC, 'dst_bucket': 'dst-sync', 'dst_region': 'cn-north-4', 'failed_object_list': {'count': 7, 'files': 3}}]
    emulator = migration_harness.start_emulator(tmp_path_factory, data, 'obs-scenario')
    yield emulator
    emulator.stop()


@pytest.fixture(name='emulator')
def emulator_fixture(obs_emulator):
    obs_emulator.control('POST', 'reset')
    return obs_emulator


def read(name, **args):
    return task(name, MODULE, **args)


def run(run_playbook, emulator, tasks, verbosity=0, env=None, **defaults):
    options = dict(connection(emulator), obs_endpoint=emulator.url)
    options.update(defaults)
    return run_playbook(playbook(tasks, module_defaults=options), extra_vars=VARS, verbosity=verbosity, env=env)


def assert_no_destination_secret(run_result):
    assert_clean_output(run_result)
    for secret in DEST_SECRETS:
        assert secret not in run_result.output, secret


def test_a_task_a_group_and_a_sync_task_with_their_codes_and_objects(emulator, run_playbook):
    outcome = run(run_playbook, emulator, [read('read', task_ids=[FAILED, str(SUCCEEDED), 424242], group_ids=[GROUP], sync_task_ids=[SYNC], max_objects=5)])
    found = result(outcome, 'read')
    assert found['changed'] is False and found['complete'] is True and found['problems'] == []
    assert found['missing'] == [{'kind': 'migration_task', 'id': 424242}]
    by_id = dict((entry['id'], entry) for entry in found['failed_objects'])
    assert [entry['kind'] for entry in found['failed_objects']] == ['migration_task', 'migration_task', 'task_group', 'sync_task']

    failed = by_id[FAILED]
    assert failed['bucket'] == 'dst-photos' and failed['failed_num'] == 12 and failed['complete'] is True
    assert failed['total'] == 12 and sum(failed['counts'].values()) == 12 and failed['counts']['UPLOAD_DST_OBJ_FAILURE'] == 2
    assert len(failed['objects']) == 5 and failed['unparsable_count'] == 0
    first = failed['objects'][0]
    assert first['code'] == 'UPLOAD_DST_OBJ_FAILURE' and first['message'] == '-1-OBSClientUploadError' and first['line'] == 2  # after the header
    assert first['time'] == '2024-03-09 15:00:00' and first['key'] == 'task-%d/photos/2024/img 000000.jpg' % FAILED
    assert by_id[FAILED]['objects'][1]['key'].endswith(' é.jpg')
    assert [item['key'] for item in failed['files']] == [failed['list_file_key']] and failed['files'][0]['request_id']

    assert by_id[SUCCEEDED]['files'] == [] and by_id[SUCCEEDED]['total'] == 0 and by_id[SUCCEEDED]['complete'] is True

    group = by_id[GROUP]
    assert group['total'] == 7 and group['failed_num'] == 7 and group['unparsable_count'] == 1
    assert group['unparsable'][0]['text'] == 'this line is no entry' and group['unparsable'][0]['line'] == 9

    sync = by_id[SYNC]
    assert sync['list_file_key'] == 'oms/sync_task/%s/failed_object_lists/' % SYNC and sync['failed_num'] is None
    assert len(sync['files']) == 3 and sync['total'] == 7
    assert all(item['key'].endswith('.failed_list.txt') for item in sync['files'])
    assert requests_log(emulator, 'obs_list_objects')[0]['status'] == 200
    assert_no_destination_secret(outcome)


def test_the_failed_ones_of_the_listings(emulator, run_playbook):
    outcome = run(run_playbook, emulator, [read('listed', list_failed=['task_groups'], task_ids=[FAILED])])
    found = result(outcome, 'listed')
    assert [(entry['kind'], entry['id']) for entry in found['failed_objects']] == [('migration_task', FAILED), ('task_group', GROUP)]
    assert requests_log(emulator, 'list_task_group') and not requests_log(emulator, 'show_task_group')


def test_a_missing_list_fails_closed_naming_the_id_with_code_and_request_id(emulator, run_playbook):
    outcome = run(run_playbook, emulator, [read('missing list', task_ids=[FAILED, NO_LIST, NOT_RECORDED])])
    failure = result(outcome, 'missing list', 'failed')
    assert failure['complete'] is False and [entry['id'] for entry in failure['failed_objects']] == [FAILED]
    errors = dict((entry['id'], entry) for entry in failure['errors'])
    assert errors[NO_LIST]['status'] == 404 and errors[NO_LIST]['error_code'] == 'NoSuchKey' and errors[NO_LIST]['request_id']
    assert errors[NO_LIST]['kind'] == 'migration_task'  # ids of two kinds may be equal
    logged = [entry['request_id'] for entry in requests_log(emulator, 'obs_get_object') if entry['status'] == 404]
    assert errors[NO_LIST]['request_id'] in logged
    assert errors[NOT_RECORDED]['error_code'] == 'NoFailedObjectList' and 'enable_failed_object_recording' in errors[NOT_RECORDED]['message']
    assert 'Could not read migration task' in failure['msg']
    assert_no_destination_secret(outcome)


def test_destination_credentials_apart_from_the_callers(emulator, run_playbook):
    tasks = [
        read('callers keys', task_ids=[PRIVATE]),
        read('destination keys', task_ids=[PRIVATE], obs_access_key=DEST_AK, obs_secret_key='{{ dest_sk }}'),
        read('wrong destination secret', task_ids=[PRIVATE], obs_access_key=DEST_AK, obs_secret_key='{{ wrong_dest_sk }}'),
        read('temporary keys', task_ids=[PRIVATE], obs_access_key=TEMP_DEST_AK, obs_secret_key='{{ temp_dest_sk }}', obs_security_token='{{ dest_token }}'),
        read('wrong token', task_ids=[PRIVATE], obs_access_key=TEMP_DEST_AK, obs_secret_key='{{ temp_dest_sk }}', obs_security_token='{{ wrong_dest_token }}'),
    ]
    outcome = run(run_playbook, emulator, tasks, verbosity=4)
    refused = result(outcome, 'callers keys', 'failed')
    assert refused['errors'][0]['status'] == 403 and refused['errors'][0]['error_code'] == 'AccessDenied'
    assert result(outcome, 'destination keys')['failed_objects'][0]['total'] == 3
    wrong = result(outcome, 'wrong destination secret', 'failed')
    assert wrong['errors'][0]['error_code'] == 'SignatureDoesNotMatch'
    assert result(outcome, 'temporary keys')['failed_objects'][0]['total'] == 3
    assert result(outcome, 'wrong token', 'failed')['errors'][0]['error_code'] == 'AccessDenied'
    principals = [entry['principal'] for entry in requests_log(emulator, 'obs_get_object') if entry['status'] == 206]
    assert principals == [DEST_AK, TEMP_DEST_AK]
    # The OMS calls still go with the caller's keys.
    assert {entry['principal'] for entry in requests_log(emulator, 'show_task')} == {connection(emulator)['access_key']}
    assert_no_destination_secret(outcome)


def test_destination_keys_from_the_environment_and_the_sdk_endpoint_variable(emulator, run_playbook):
    env = {'OBS_ACCESS_KEY_ID': DEST_AK, 'OBS_SECRET_ACCESS_KEY': DEST_SK, 'HUAWEICLOUD_SDK_REGION_OBS_CN_NORTH_4': emulator.url}
    options = connection(emulator)
    plays = playbook([read('from env', task_ids=[PRIVATE])], module_defaults=options)
    outcome = run_playbook(plays, extra_vars=VARS, env=env, verbosity=4)
    assert result(outcome, 'from env')['failed_objects'][0]['total'] == 3
    assert_no_destination_secret(outcome)


def test_a_100000_line_list_is_read_whole_and_a_size_bound_cuts_it(emulator, run_playbook):
    tasks = [read('whole', task_ids=[BIG], max_objects=3), read('cut', task_ids=[BIG], max_objects=3, max_list_bytes=100000)]
    outcome = run(run_playbook, emulator, tasks)
    whole = result(outcome, 'whole')['failed_objects'][0]
    assert whole['total'] == BIG_LINES and sum(whole['counts'].values()) == BIG_LINES and whole['complete'] is True
    assert len(whole['objects']) == 3 and whole['files'][0]['bytes_read'] == whole['files'][0]['size'] > 9_000_000
    cut_result = result(outcome, 'cut')
    cut = cut_result['failed_objects'][0]
    assert cut['complete'] is False and cut_result['complete'] is False and 0 < cut['total'] < 2000
    assert cut['unparsable_count'] == 0  # the partial last line is dropped, not reported as garbage
    assert cut['files'][0]['bytes_read'] == 100000 and cut['files'][0]['size'] == whole['files'][0]['size']
    assert cut_result['problems'][0]['id'] == BIG and 'max_list_bytes' in cut_result['problems'][0]['message']


def _module_process(emulator, tmp_path, task_id):
    """Run the module once as AnsiballZ would (one Python process); its result and peak resident bytes (wait4)."""
    args = dict(connection(emulator), secret_key=SECRET_VARS['modtest_sk'], obs_endpoint=emulator.url, task_ids=[task_id], max_objects=10)
    args_file = tmp_path / ('args-%d.json' % task_id)
    args_file.write_text(json.dumps({'ANSIBLE_MODULE_ARGS': args}))
    out_file = tmp_path / ('out-%d.json' % task_id)
    env = dict(os.environ, PYTHONPATH=str(REPO / '.venv' / 'collections'))
    with open(str(out_file), 'w') as out:
        process = subprocess.Popen(
            [sys.executable, '-m', 'ansible_collections.hwcloud.migration.plugins.modules.' + MODULE, str(args_file)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
        deadline = time.monotonic() + 300
        while True:
            pid, _status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            assert time.monotonic() < deadline, 'the module did not finish'
            time.sleep(0.05)
    text = out_file.read_text()
    return json.loads(text[text.index('{') :]), usage.ru_maxrss * 1024


def test_the_module_process_reads_100000_lines_within_a_memory_bound(emulator, tmp_path):
    small, small_peak = _module_process(emulator, tmp_path, FAILED)
    big, big_peak = _module_process(emulator, tmp_path, BIG)
    assert small['failed_objects'][0]['total'] == 12, small.get('msg')
    assert big['failed_objects'][0]['total'] == BIG_LINES and big['failed_objects'][0]['complete'] is True, big.get('msg')
    size = big['failed_objects'][0]['files'][0]['size']
    # The list (about 16 MB) is read and parsed 1 MiB at a time: the peak grows by less than half the file's
    # size over a 12-line list, where holding the file whole (let alone twice) would add all of it.
    assert size > 10_000_000 and big_peak - small_peak < size // 2, (small_peak, big_peak, size)
