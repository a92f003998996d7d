"""The migration_health role checking how the data moves (required settings) and whether the counts add up, with real ansible-playbook runs.

The emulator holds modules.yml's identities and a scenario of its own: a task
made as a compliance job wants it, one made with every setting the other way,
two whose counts do not add up (``miscounted_objects``), one that failed
part-way, a compliant task group, and sync tasks of both ShowSyncTask editions.
"""

import json
import xml.etree.ElementTree as ET

import migration_harness
import pytest
from modules_harness import assert_clean_output, connection, requests_log, run_plays

COMPLIANT = 4101
LAX = 4102
SHORT = 4103  # succeeded, 7 objects in no count
OVER = 4104  # running, more objects counted than it has
PART_WAY = 4105  # failed 2 hours before its last byte: counts below the total, legitimately
GROUP = '6d5c4b3a-2f1e-4d0c-9b8a-7f6e5d4c3b2a'
SYNC = '3b9d7f15-2c4e-4a6b-8d0f-1a3c5e7b9d2f'  # newer ShowSyncTask edition: no enable_kms
OLD_SYNC = '8e6c4a20-1f3d-4b5a-9c7e-0d2f4b6a8c1e'  # older edition: enable_kms
GIB = 1073741824

REQUIRED = {
    'consistency_check': 'crc64',
    'enable_failed_object_recording': True,
    'object_overwrite_mode': 'CRC64_COMPARISON_OVERWRITE',
    'dst_storage_policy': 'STANDARD',
    'dst_encryption': True,
    'smn_topic': True,
}
SETTING_IDS = {
    'consistency_check': 'setting-consistency-check',
    'enable_failed_object_recording': 'setting-failed-object-recording',
    'object_overwrite_mode': 'setting-object-overwrite-mode',
    'dst_storage_policy': 'setting-dst-storage-policy',
    'dst_encryption': 'setting-dst-encryption',
    'smn_topic': 'setting-smn-topic',
}
# What the lax task answers, as the reports show it.
LAX_SHOWN = {
    'setting-consistency-check': 'size_last_modified',
    'setting-failed-object-recording': 'off',
    'setting-object-overwrite-mode': 'FULL_OVERWRITE',
    'setting-dst-storage-policy': 'ARCHIVE',
    'setting-dst-encryption': 'no KMS (crypto_type DEFAULT)',
    'setting-smn-topic': 'no topic (smn_info null)',
}
REQUIRED_SHOWN = {
    'setting-consistency-check': 'crc64',
    'setting-failed-object-recording': 'on',
    'setting-object-overwrite-mode': 'CRC64_COMPARISON_OVERWRITE',
    'setting-dst-storage-policy': 'STANDARD',
    'setting-dst-encryption': 'KMS',
    'setting-smn-topic': 'a topic',
}
COMPLIANT_SETTINGS = {
    'consistency_check': 'crc64',
    'enable_failed_object_recording': True,
    'object_overwrite_mode': 'CRC64_COMPARISON_OVERWRITE',
    'dst_storage_policy': 'STANDARD',
    'dst_node': {'bucket': 'dst-compliant', 'region': 'cn-north-4', 'crypto_type': 'KMS', 'kms_key_id': '0f5e3a1c-key'},
}


def scenario():
    data = migration_harness.modules_identities()
    done = {'status': 'succeeded', 'start': '-1d', 'total_size': 10 * GIB, 'total_num': 5000}
    data['migration_tasks'] = [
        dict(done, id=COMPLIANT, name='ledger-compliant', smn_info={'topic_name': 'cutover-alerts', 'notify_result': True}, **COMPLIANT_SETTINGS),
        dict(
            done,
            id=LAX,
            name='ledger-lax',
            consistency_check='size_last_modified',
            enable_failed_object_recording=False,
            object_overwrite_mode='FULL_OVERWRITE',
            dst_storage_policy='ARCHIVE',
            dst_node={'bucket': 'dst-lax', 'region': 'cn-north-4', 'crypto_type': 'DEFAULT', 'kms_key_id': None},
        ),
        dict(done, id=SHORT, name='ledger-short', miscounted_objects=-7),
        {'id': OVER, 'name': 'ledger-over', 'start': '-1h', 'total_size': 10000 * GIB, 'total_num': 800, 'miscounted_objects': 900},
        {'id': PART_WAY, 'name': 'ledger-part-way', 'start': '-3h', 'fail_at': '-2h', 'total_size': 10000 * GIB, 'total_num': 9000, 'failed_objects': 12},
        dict(done, id=4201, name='group-member', group_id=GROUP),
    ]
    data['task_groups'] = [dict({'group_id': GROUP, 'description': 'compliant group', 'smn_config': {'topic_name': 'group-alerts'}}, **COMPLIANT_SETTINGS)]
    data['sync_tasks'] = [
        {'sync_task_id': SYNC, 'status': 'SYNCHRONIZING', 'consistency_check': 'crc64', 'series': {'start': '-2d', 'rates': {'request': 10}}},
        {
            'sync_task_id': OLD_SYNC,
            'status': 'SYNCHRONIZING',
            'consistency_check': 'crc64',
            'enable_kms': True,
            'series': {'start': '-2d', 'rates': {'request': 10}},
        },
    ]
    return data


@pytest.fixture(scope='module', name='settings_emulator')
def settings_emulator_fixture(tmp_path_factory):
    emulator = migration_harness.start_emulator(tmp_path_factory, scenario(), 'settings-scenario')
    yield emulator
    emulator.stop()


@pytest.fixture(name='emulator')
def emulator_fixture(settings_emulator):
    settings_emulator.control('POST', 'reset')
    return settings_emulator


def gate(emulator, reports, **variables):
    role_vars = {'migration_health_report_dir': str(reports), 'migration_health_connection': connection(emulator), 'migration_health_fail': False}
    role_vars.update(variables)
    return [
        {
            'name': 'Compliance gate',
            'hosts': 'localhost',
            'connection': 'local',
            'gather_facts': False,
            'roles': [{'role': 'hwcloud.migration.migration_health', 'vars': role_vars}],
        }
    ]


def facts_of(run):
    return [entry['result']['ansible_facts']['migration_health'] for entry in run.results if entry['task'].endswith('Evaluate the migration health')]


def checks_of(fact):
    return {(check['subject'], check['id']): check for check in fact['checks']}


def junit_cases(path):
    root = ET.parse(str(path)).getroot()
    return {(suite.get('name'), case.get('name')): case for suite in root.findall('testsuite') for case in suite.findall('testcase')}


def test_each_setting_passes_and_fails_in_every_report(emulator, run_playbook, tmp_path):
    run = run_plays(
        run_playbook,
        gate(
            emulator,
            tmp_path / 'reports',
            migration_health_migration_tasks=[COMPLIANT, LAX],
            migration_health_task_groups=[GROUP],
            migration_health_required_settings=REQUIRED,
        ),
    )
    assert run.rc == 0, run.output
    (fact,) = facts_of(run)
    assert fact['verdict'] == 'UNHEALTHY', fact['violations']
    checks = checks_of(fact)
    for check_id in SETTING_IDS.values():
        for subject in (str(COMPLIANT), GROUP):
            assert checks[(subject, check_id)]['passed'] and checks[(subject, check_id)]['evaluated'], checks[(subject, check_id)]
        lax = checks[(str(LAX), check_id)]
        assert not lax['passed'] and lax['evaluated']
        assert (lax['observed_display'], lax['threshold_display']) == (LAX_SHOWN[check_id], REQUIRED_SHOWN[check_id])
    assert checks[(str(COMPLIANT), 'setting-smn-topic')]['observed_display'] == 'topic cutover-alerts'
    assert checks[(GROUP, 'setting-smn-topic')]['observed_display'] == 'topic group-alerts'
    assert sorted(next(entry for entry in fact['migration_tasks'] if entry['id'] == str(LAX))['failed_checks']) == sorted(SETTING_IDS.values())
    assert fact['thresholds']['required_settings']['consistency_check'] == ['crc64']

    # The JSON report is the fact; the JUnit report has observed and required for each; the HTML each failed one.
    reports = tmp_path / 'reports'
    assert json.loads((reports / 'migration-health.json').read_text()) == fact
    cases = junit_cases(reports / 'migration-health.xml')
    for check_id in SETTING_IDS.values():
        failure = cases[('migration task %d' % LAX, check_id)].find('failure')
        assert failure is not None and 'observed: %s\nthreshold: %s' % (LAX_SHOWN[check_id], REQUIRED_SHOWN[check_id]) in failure.text
        passed = cases[('migration task %d' % COMPLIANT, check_id)]
        assert passed.find('failure') is None and 'threshold: %s' % REQUIRED_SHOWN[check_id] in passed.find('system-out').text
    html = (reports / 'migration-health.html').read_text()
    for check_id in SETTING_IDS.values():
        assert '<td>%s</td><td>%s</td><td>%s</td>' % (check_id, LAX_SHOWN[check_id], REQUIRED_SHOWN[check_id]) in html
    # The settings table: the compliant subjects' settings too, observed against required.
    settings = html.split('<table id="settings-checks">', 1)[1].split('</table>', 1)[0]
    assert settings.count('<td class="pass">PASS</td>') == 12 and settings.count('<td class="fail">FAIL</td>') == 6
    assert '<td class="id">setting-smn-topic</td><td class="pass">PASS</td><td>topic group-alerts</td><td>a topic</td>' in settings
    # Read once, with the gate's one call: no request more for the settings.
    assert len(requests_log(emulator, 'show_task')) == 2 and len(requests_log(emulator, 'show_task_group')) == 1
    assert_clean_output(run)


def test_counts_that_do_not_add_up_fail_the_gate(emulator, run_playbook, tmp_path):
    run = run_plays(
        run_playbook,
        gate(
            emulator,
            tmp_path / 'reports',
            migration_health_migration_tasks=[COMPLIANT, SHORT, OVER, PART_WAY],
            migration_health_fail=True,
            migration_health_skip_checks=['migration-task-failed-objects', 'migration-task-status'],
        ),
    )
    assert run.rc != 0, run.output
    (fact,) = facts_of(run)
    assert fact['verdict'] == 'UNHEALTHY'
    checks = checks_of(fact)
    short, over = checks[(str(SHORT), 'counts-add-up')], checks[(str(OVER), 'counts-add-up')]
    assert not short['passed'] and short['evaluated'] and short['observed'] == 4993 and short['threshold'] == 5000
    assert short['observed_display'] == '4993 succeeded + 0 failed + 0 skipped = 4993' and short['threshold_display'] == '= total_num 5000'
    assert '7 object(s) unaccounted for' in short['message']
    assert not over['passed'] and over['threshold_display'] == '<= total_num 800' and 'more than its total_num 800' in over['message']
    # Done: they add up. Failed part-way: below the total is no lie.
    assert checks[(str(COMPLIANT), 'counts-add-up')]['passed']
    part_way = checks[(str(PART_WAY), 'counts-add-up')]
    assert part_way['passed'] and 'ended part-way' in part_way['message'] and part_way['observed'] < 9000
    failing = [entry for entry in run.results if entry['task'].endswith('Fail the gate')]
    message = failing[-1]['result']['msg']
    assert '- migration task %d: counts-add-up observed 4993 succeeded + 0 failed + 0 skipped = 4993, threshold = total_num 5000' % SHORT in message
    cases = junit_cases(tmp_path / 'reports' / 'migration-health.xml')
    assert 'threshold: <= total_num 800' in cases[('migration task %d' % OVER, 'counts-add-up')].find('failure').text
    html = (tmp_path / 'reports' / 'migration-health.html').read_text()
    assert '<td>counts-add-up</td><td>4993 succeeded + 0 failed + 0 skipped = 4993</td><td>= total_num 5000</td>' in html
    assert_clean_output(run)


def test_what_an_answer_does_not_say_is_an_error_and_a_subject_may_opt_out(emulator, run_playbook, tmp_path):
    # The newer edition's sync task says nothing of KMS, and no sync task of an SMN topic: ERROR, never HEALTHY.
    plays = gate(
        emulator,
        tmp_path / 'unseen',
        migration_health_sync_tasks=[SYNC, OLD_SYNC],
        migration_health_required_settings={'consistency_check': 'CRC64', 'dst_encryption': True},
    )
    # The same, with the newer-edition task opting out of the encryption check: HEALTHY on what was seen.
    plays += gate(
        emulator,
        tmp_path / 'opted-out',
        migration_health_sync_tasks=[{'id': SYNC, 'required_settings': {'dst_encryption': None}}, OLD_SYNC],
        migration_health_required_settings={'consistency_check': 'crc64', 'dst_encryption': True},
    )
    run = run_plays(run_playbook, plays)
    assert run.rc == 0, run.output
    unseen, opted_out = facts_of(run)
    assert unseen['verdict'] == 'ERROR'
    checks = checks_of(unseen)
    encryption = checks[(SYNC, 'setting-dst-encryption')]
    assert not encryption['evaluated'] and 'enable_kms is absent from the answer' in encryption['message']
    assert checks[(OLD_SYNC, 'setting-dst-encryption')]['passed'] and checks[(SYNC, 'setting-consistency-check')]['passed']
    assert opted_out['verdict'] == 'HEALTHY', opted_out['violations']
    assert (SYNC, 'setting-dst-encryption') not in checks_of(opted_out)
    sync = next(entry for entry in opted_out['sync_tasks'] if entry['id'] == SYNC)
    assert sync['overridden'] == ['required_settings'] and sync['thresholds']['required_settings'] == {'consistency_check': ['crc64'], 'dst_encryption': None}
    cases = junit_cases(tmp_path / 'unseen' / 'migration-health.xml')
    assert cases[('sync task %s' % SYNC, 'setting-dst-encryption')].find('error') is not None
    assert_clean_output(run)


def test_an_unknown_setting_is_refused_by_name_before_any_request(emulator, run_playbook, tmp_path):
    run = run_plays(
        run_playbook,
        gate(
            emulator,
            tmp_path / 'reports',
            migration_health_migration_tasks=[COMPLIANT],
            migration_health_required_settings={'kms': True},
            migration_health_fail=True,
        ),
    )
    assert run.rc != 0
    assert 'migration_health_required_settings: unknown setting(s) kms; the known settings are consistency_check, enable_failed_object_recording' in run.output
    assert requests_log(emulator, 'show_task') == []
    fact = json.loads((tmp_path / 'reports' / 'migration-health.json').read_text())
    assert fact['verdict'] == 'ERROR' and 'unknown setting(s) kms' in fact['error']
