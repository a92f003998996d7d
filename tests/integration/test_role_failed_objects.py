"""The migration_health role with migration_health_failed_object_details: real ansible-playbook runs against the emulator's OMS and OBS.

The failing tasks' lists are served by the emulator's OBS endpoint (path style,
HUAWEICLOUD_SDK_REGION_OBS_CN_NORTH_4); the gate reads them in its one
migration_state_info call, lists their objects in the reports and checks their
failure codes.
"""

import json
import xml.etree.ElementTree as ET

import migration_harness
import pytest
from modules_harness import SECRET_VARS, assert_clean_output, connection, requests_log

LISTED, ALLOWED_ONLY, NO_LIST, CLEAN = 8101, 8102, 8103, 8104
GROUP = 'a1b2c3d4-0000-4000-8000-00000000f0a1'
SYNC = 'sync-failed-objects'
# A key that would be markup if the report did not escape it.
ODD_KEY = 'photos/<b>bold</b> & "quoted".jpg'


def _task(task_id, failed, **extra):
    entry = {'id': task_id, 'name': 'objects-%d' % task_id, 'status': 'failed', 'failed_objects': failed, 'total_num': 100}
    entry['dst_node'] = {'bucket': 'dst-objects', 'region': 'cn-north-4'}
    entry.update(extra)
    return entry


@pytest.fixture(scope='module', name='objects_emulator')
def objects_emulator_fixture(tmp_path_factory):
    data = migration_harness.modules_identities()
    data['obs'] = {'layout': {'delimiter': 'tab', 'header': True}}
    data['migration_tasks'] = [
        _task(
            LISTED,
            3,
            failed_object_list={
                'objects': [
                    {'key': ODD_KEY, 'code': 'UPLOAD_DST_OBJ_FAILURE'},
                    {'key': 'photos/b.jpg', 'code': 'GET_SRC_OBJ_FAILURE'},
                    {'key': 'photos/c.jpg', 'code': 'GET_SRC_OBJ_FAILURE'},
                ]
            },
        ),
        _task(
            ALLOWED_ONLY,
            2,
            failed_object_list={'objects': [{'key': 'docs/a.pdf', 'code': 'GET_SRC_OBJ_FAILURE'}, {'key': 'docs/b.pdf', 'code': 'GET_SRC_OBJ_FAILURE'}]},
        ),
        _task(NO_LIST, 4, failed_object_list={'missing': True}),
        _task(CLEAN, 0, status='succeeded'),
    ]
    emulator = migration_harness.start_emulator(tmp_path_factory, data, 'failed-objects-gate')
    yield emulator
    emulator.stop()


@pytest.fixture(name='emulator')
def emulator_fixture(objects_emulator):
    objects_emulator.control('POST', 'reset')
    return objects_emulator


def gate(run_playbook, emulator, tmp_path, tasks, **variables):
    role_vars = {
        'migration_health_report_dir': str(tmp_path / 'reports'),
        'migration_health_connection': connection(emulator),
        'migration_health_migration_tasks': tasks,
        'migration_health_max_migration_failed_objects': 1000,
        'migration_health_skip_checks': ['migration-task-status'],
        'migration_health_fail': False,
        'migration_health_failed_object_details': True,
    }
    role_vars.update(variables)
    play = {
        'name': 'Gate',
        'hosts': 'localhost',
        'connection': 'local',
        'gather_facts': False,
        'roles': [{'role': 'hwcloud.migration.migration_health', 'vars': role_vars}],
    }
    run = run_playbook([play], extra_vars=SECRET_VARS, env={'HUAWEICLOUD_SDK_REGION_OBS_CN_NORTH_4': emulator.url})
    assert run.rc == 0, run.output
    assert_clean_output(run)
    reports = tmp_path / 'reports'
    fact = json.loads((reports / 'migration-health.json').read_text())
    return run, fact, reports


def check(fact, subject, check_id):
    [found] = [entry for entry in fact['checks'] if entry['subject'] == str(subject) and entry['id'] == check_id]
    return found


def test_details_list_the_keys_in_html_and_the_codes_in_junit(emulator, run_playbook, tmp_path):
    _run, fact, reports = gate(run_playbook, emulator, tmp_path, [LISTED, CLEAN], migration_health_allowed_failure_codes=['GET_SRC_OBJ_FAILURE'])
    assert fact['verdict'] == 'UNHEALTHY'
    codes = check(fact, LISTED, 'migration-task-failure-codes')
    assert not codes['passed'] and codes['evaluated'] and 'UPLOAD_DST_OBJ_FAILURE' in codes['message']
    assert check(fact, CLEAN, 'migration-task-failure-codes')['passed']
    details = next(entry for entry in fact['migration_tasks'] if entry['id'] == str(LISTED))['failed_object_details']
    assert details['counts'] == {'GET_SRC_OBJ_FAILURE': 2, 'UPLOAD_DST_OBJ_FAILURE': 1} and details['complete'] is True
    assert [item['key'] for item in details['objects']] == [ODD_KEY, 'photos/b.jpg', 'photos/c.jpg']
    page = (reports / 'migration-health.html').read_text()
    assert 'photos/&lt;b&gt;bold&lt;/b&gt; &amp; &#34;quoted&#34;.jpg' in page and '<b>bold</b>' not in page
    assert 'photos/b.jpg' in page
    root = ET.parse(str(reports / 'migration-health.xml')).getroot()
    cases = {case.get('name'): case for case in root.iter('testcase') if case.get('classname') == 'migration_health.migration_task.%d' % LISTED}
    assert cases['migration-task-failure-codes UPLOAD_DST_OBJ_FAILURE'].find('failure') is not None
    assert cases['migration-task-failure-codes GET_SRC_OBJ_FAILURE'].find('failure') is None
    # One OMS read of the tasks, then only the failing task's list from OBS: no OBS request for the clean one.
    obs = [entry for entry in requests_log(emulator) if str(entry.get('route', '')).startswith('obs')]
    assert obs and all(str(LISTED) in json.dumps(entry) for entry in obs), obs


def test_a_code_not_allowed_by_default_is_unhealthy(emulator, run_playbook, tmp_path):
    _run, fact, _reports = gate(run_playbook, emulator, tmp_path, [ALLOWED_ONLY])
    assert fact['verdict'] == 'UNHEALTHY'
    assert not check(fact, ALLOWED_ONLY, 'migration-task-failure-codes')['passed']


def test_an_allowed_code_passes_its_check(emulator, run_playbook, tmp_path):
    _run, fact, _reports = gate(run_playbook, emulator, tmp_path, [ALLOWED_ONLY], migration_health_allowed_failure_codes=['GET_SRC_OBJ_FAILURE'])
    assert check(fact, ALLOWED_ONLY, 'migration-task-failure-codes')['passed']
    assert fact['verdict'] == 'HEALTHY', fact['violations']


def test_a_list_that_cannot_be_read_is_error(emulator, run_playbook, tmp_path):
    _run, fact, reports = gate(run_playbook, emulator, tmp_path, [NO_LIST, ALLOWED_ONLY], migration_health_allowed_failure_codes=['GET_SRC_OBJ_FAILURE'])
    assert fact['verdict'] == 'ERROR'
    codes = check(fact, NO_LIST, 'migration-task-failure-codes')
    assert not codes['passed'] and not codes['evaluated'] and 'NoSuchKey' in codes['message']
    # The other task's list was read and judged.
    assert check(fact, ALLOWED_ONLY, 'migration-task-failure-codes')['passed']
    root = ET.parse(str(reports / 'migration-health.xml')).getroot()
    [case] = [
        case
        for case in root.iter('testcase')
        if case.get('classname') == 'migration_health.migration_task.%d' % NO_LIST and case.get('name') == 'migration-task-failure-codes'
    ]
    assert case.find('error') is not None
