# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The settings checks (plugin_utils/_gate/checks/settings.py) and counts-add-up (checks/counts.py)."""

import xml.etree.ElementTree as ET

import pytest

from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks.settings import SETTING_CHECKS
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import MigrationHealthError
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.evaluate import evaluate
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.kinds import ALL_CHECKS, KINDS_BY_NAME, SKIPPABLE_CHECKS
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.policy import normalise_policy
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.schema import fact_errors
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports.html import render_html
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports.junit import render_junit

NOW = 1800000000000
TASK_ID = 'd3a1b2c4-0000-4000-8000-000000000001'


def migration_task(task_id=1, status=5, **fields):
    body = {
        'id': task_id,
        'name': 'task-%d' % task_id,
        'status': status,
        'progress': 1,
        'left_time': 0,
        'total_num': 100,
        'successful_num': 100,
        'failed_num': 0,
        'skipped_num': 0,
        'total_size': 1000,
        'complete_size': 1000,
        'error_reason': None,
        'failed_object_record': None,
        'consistency_check': 'crc64',
        'enable_failed_object_recording': True,
        'object_overwrite_mode': 'CRC64_COMPARISON_OVERWRITE',
        'dst_storage_policy': 'STANDARD',
        'dst_node': {'bucket': 'dst', 'region': 'cn-north-4', 'save_prefix': '', 'crypto_type': 'KMS', 'kms_key_id': 'key-1'},
        'smn_info': {'notify_result': True, 'notify_error_message': None, 'topic_name': 'cutover'},
    }
    body.update(fields)
    return body


def task_group(group_id='g', status=6, **fields):
    body = {
        'group_id': group_id,
        'status': status,
        'failed_task_num': 0,
        'total_task_num': 2,
        'total_num': 50,
        'success_num': 45,
        'fail_num': 0,
        'skip_num': 5,
        'total_size': 500,
        'complete_size': 500,
        'migrate_speed': 0,
        'consistency_check': 'size_last_modified',
        'enable_failed_object_recording': False,
        'object_overwrite_mode': 'NO_OVERWRITE',
        'dst_storage_policy': 'IA',
        'dst_node': {'bucket': 'dst', 'region': 'cn-north-4', 'save_prefix': ''},
        'smn_config': None,
    }
    body.update(fields)
    return body


def sync_task(**fields):
    body = {
        'sync_task_id': TASK_ID,
        'status': 'SYNCHRONIZING',
        'monthly_acceptance_request': 0,
        'monthly_failure_object': 0,
        'consistency_check': 'crc64',
        'object_overwrite_mode': 'SIZE_LAST_MODIFIED_COMPARISON_OVERWRITE',
        'dst_storage_policy': None,
    }
    body.update(fields)
    return body


def run(tasks=(), groups=(), syncs=(), **settings):
    settings.setdefault('migration_tasks', [body['id'] for body in tasks] or None)
    settings.setdefault('task_groups', [body['group_id'] for body in groups] or None)
    settings.setdefault('sync_tasks', [body['sync_task_id'] for body in syncs] or None)
    results = {
        'migration_task_info': {'migration_tasks': list(tasks), 'missing': [], 'complete': True, 'problems': []},
        'task_group_info': {'task_groups': list(groups), 'missing': [], 'complete': True, 'problems': []},
        'sync_task_info': {'sync_tasks': list(syncs), 'missing': [], 'complete': True, 'problems': []},
    }
    fact = evaluate(results, settings, now_ms=NOW)
    assert fact_errors(fact) == []
    return fact


def checks_of(fact, subject, prefix=''):
    return {check['id']: check for check in fact['checks'] if check['subject'] == str(subject) and check['id'].startswith(prefix)}


def one(fact, subject, check_id):
    return checks_of(fact, subject)[check_id]


# -- the registry --------------------------------------------------------------


def test_kinds_share_the_ids_of_the_checks_they_make_alike():
    for name in ('sync_task', 'migration_task', 'task_group'):
        assert set(SETTING_CHECKS.values()) <= set(KINDS_BY_NAME[name].checks)
    assert 'counts-add-up' in KINDS_BY_NAME['migration_task'].checks and 'counts-add-up' in KINDS_BY_NAME['task_group'].checks
    assert 'counts-add-up' not in KINDS_BY_NAME['sync_task'].checks and not set(SETTING_CHECKS.values()) & set(KINDS_BY_NAME['dataset'].checks)
    assert ALL_CHECKS.count('counts-add-up') == 1 and SKIPPABLE_CHECKS.count('setting-smn-topic') == 1


# -- inputs --------------------------------------------------------------------


def test_no_required_setting_makes_no_settings_check():
    fact = run([migration_task()], [task_group()])
    assert not [check for check in fact['checks'] if check['id'].startswith('setting-')]
    assert fact['thresholds']['required_settings'] == {}
    assert fact['verdict'] == 'HEALTHY'


def test_required_settings_are_spelled_as_the_api_spells_them():
    policy = normalise_policy(
        {
            'migration_tasks': [1],
            'required_settings': {'consistency_check': 'CRC64', 'dst_storage_policy': ['standard', 'ia', 'STANDARD'], 'smn_topic': ' cutover '},
        }
    )
    assert policy['thresholds']['required_settings'] == {'consistency_check': ['crc64'], 'dst_storage_policy': ['STANDARD', 'IA'], 'smn_topic': 'cutover'}


@pytest.mark.parametrize(
    'required, text',
    [
        ({'crc': 'crc64'}, 'unknown setting(s) crc; the known settings are consistency_check, enable_failed_object_recording, object_overwrite_mode'),
        ({'consistency_check': 'md5'}, "required_settings.consistency_check: 'md5' is not one of size_last_modified, crc64, no_check"),
        ({'consistency_check': []}, 'not a value or a non-empty list'),
        ({'object_overwrite_mode': 'OVERWRITE'}, 'is not one of NO_OVERWRITE'),
        ({'dst_encryption': 'yes'}, "required_settings.dst_encryption: 'yes' is not true or false"),
        ({'enable_failed_object_recording': 1}, 'is not true or false'),
        ({'smn_topic': ''}, 'is not true or false or a topic name'),
        ('crc64', 'is not a dict of settings'),
    ],
)
def test_a_required_setting_the_gate_does_not_know_is_refused_by_name(required, text):
    with pytest.raises(MigrationHealthError) as raised:
        normalise_policy({'migration_tasks': [1], 'required_settings': required})
    assert text in str(raised.value)


def test_a_subject_overrides_the_required_settings_one_by_one():
    policy = normalise_policy(
        {
            'migration_tasks': [1, {'id': 2, 'required_settings': {'smn_topic': None, 'consistency_check': 'size_last_modified'}}],
            'required_settings': {'smn_topic': True, 'dst_encryption': True, 'consistency_check': 'crc64'},
        }
    )
    assert policy['migration_tasks'][1]['overrides']['required_settings'] == {
        'smn_topic': None,
        'dst_encryption': True,
        'consistency_check': ['size_last_modified'],
    }
    fact = evaluate(
        {'migration_task_info': {'migration_tasks': [migration_task(1), migration_task(2, consistency_check='size_last_modified', smn_info=None)]}},
        policy,
        now_ms=NOW,
    )
    assert sorted(checks_of(fact, 1, 'setting-')) == ['setting-consistency-check', 'setting-dst-encryption', 'setting-smn-topic']
    assert sorted(checks_of(fact, 2, 'setting-')) == ['setting-consistency-check', 'setting-dst-encryption']
    assert fact['verdict'] == 'HEALTHY'
    assert [entry['overridden'] for entry in fact['migration_tasks']] == [[], ['required_settings']]


def test_a_subject_with_null_required_settings_has_no_settings_check():
    fact = run(
        [migration_task(1, consistency_check='no_check'), migration_task(2, consistency_check='no_check')],
        migration_tasks=[1, {'id': 2, 'required_settings': None}],
        required_settings={'consistency_check': 'crc64'},
    )
    assert list(checks_of(fact, 1, 'setting-')) == ['setting-consistency-check'] and not checks_of(fact, 2, 'setting-')
    assert fact['migration_tasks'][1]['thresholds']['required_settings']['consistency_check'] is None


def test_a_dataset_has_no_required_settings():
    with pytest.raises(MigrationHealthError) as raised:
        normalise_policy({'datasets': [{'id': 'd', 'required_settings': {}}]})
    assert 'unknown key(s) required_settings' in str(raised.value)
    with pytest.raises(MigrationHealthError) as raised:
        normalise_policy({'task_groups': [{'id': 'g', 'required_settings': {'kms': True}}]})
    assert str(raised.value).startswith('task_groups[0].required_settings: unknown setting(s) kms')


# -- each setting, passing and failing -------------------------------------------------

# (setting, required value, migration task fields that pass, fields that fail, what a failing one shows)
SETTINGS = [
    ('consistency_check', 'crc64', {}, {'consistency_check': 'size_last_modified'}, 'size_last_modified'),
    ('consistency_check', ['crc64', 'size_last_modified'], {'consistency_check': 'size_last_modified'}, {'consistency_check': 'no_check'}, 'no_check'),
    ('enable_failed_object_recording', True, {}, {'enable_failed_object_recording': False}, 'off'),
    ('enable_failed_object_recording', False, {'enable_failed_object_recording': False}, {}, 'on'),
    ('object_overwrite_mode', 'CRC64_COMPARISON_OVERWRITE', {}, {'object_overwrite_mode': 'FULL_OVERWRITE'}, 'FULL_OVERWRITE'),
    ('dst_storage_policy', 'STANDARD', {}, {'dst_storage_policy': 'ARCHIVE'}, 'ARCHIVE'),
    ('dst_encryption', True, {}, {'dst_node': {'bucket': 'dst', 'crypto_type': 'DEFAULT', 'kms_key_id': None}}, 'no KMS (crypto_type DEFAULT)'),
    (
        'dst_encryption',
        True,
        {'dst_node': {'bucket': 'dst', 'kms_key_id': 'key-2'}},
        {'dst_node': {'bucket': 'dst', 'crypto_type': None}},
        'no KMS (crypto_type unset)',
    ),
    ('dst_encryption', False, {'dst_node': {'bucket': 'dst', 'crypto_type': 'DEFAULT'}}, {}, 'KMS'),
    ('smn_topic', True, {}, {'smn_info': None}, 'no topic (smn_info null)'),
    ('smn_topic', True, {}, {'smn_info': {'topic_name': ''}}, 'no topic'),
    ('smn_topic', 'cutover', {}, {'smn_info': {'topic_name': 'other'}}, 'topic other'),
    ('smn_topic', False, {'smn_info': None}, {}, 'topic cutover'),
]


@pytest.mark.parametrize('key, required, passing, failing, shown', SETTINGS)
def test_each_setting_passes_and_fails_with_observed_against_required(key, required, passing, failing, shown):
    check_id = SETTING_CHECKS[key]
    fact = run([migration_task(1, **passing), migration_task(2, **failing)], required_settings={key: required})
    good, bad = one(fact, 1, check_id), one(fact, 2, check_id)
    assert good['passed'] and good['evaluated'] and not good['skipped'] and 'as required' in good['message']
    assert not bad['passed'] and bad['evaluated'] and bad['observed_display'] == shown
    assert bad['threshold_display'] in bad['message'] and 'not %s as required' % bad['threshold_display'] in bad['message']
    assert fact['verdict'] == 'UNHEALTHY' and fact['counts']['checks_not_evaluated'] == 0
    assert [entry['failed_checks'] for entry in fact['migration_tasks']] == [[], [check_id]]


def test_a_failed_setting_is_in_every_report_with_observed_and_required():
    fact = run([migration_task(7, consistency_check='size_last_modified')], required_settings={'consistency_check': 'crc64', 'smn_topic': True})
    assert 'migration task 7: setting-consistency-check observed size_last_modified, threshold crc64' in fact['violations'][0]
    cases = {case.get('name'): case for case in ET.fromstring(render_junit(fact).split('\n', 1)[1]).iter('testcase')}
    failure = cases['setting-consistency-check'].find('failure')
    assert failure is not None and 'observed: size_last_modified\nthreshold: crc64' in failure.text
    assert 'observed: topic cutover\nthreshold: a topic' in cases['setting-smn-topic'].find('system-out').text
    html = render_html(fact)
    assert '<td>setting-consistency-check</td><td>size_last_modified</td><td>crc64</td>' in html
    # The settings table has every setting check, the passed ones too.
    settings = html.split('<table id="settings-checks">', 1)[1].split('</table>', 1)[0]
    assert '<td class="id">setting-smn-topic</td><td class="pass">PASS</td><td>topic cutover</td><td>a topic</td>' in settings
    assert '<td class="id">setting-consistency-check</td><td class="fail">FAIL</td><td>size_last_modified</td><td>crc64</td>' in settings
    assert 'id="settings-checks"' not in render_html(run([migration_task(8)]))


def test_a_task_group_shows_its_own_fields():
    fact = run(
        groups=[task_group('g1'), task_group('g2', smn_config={'topic_name': 'group-topic'}, dst_node={'bucket': 'b', 'crypto_type': 'KMS'})],
        required_settings={'smn_topic': True, 'dst_encryption': True, 'dst_storage_policy': 'IA', 'enable_failed_object_recording': False},
    )
    assert {check_id: check['passed'] for check_id, check in checks_of(fact, 'g2', 'setting-').items()} == dict.fromkeys(
        ['setting-failed-object-recording', 'setting-dst-storage-policy', 'setting-dst-encryption', 'setting-smn-topic'], True
    )
    g1 = checks_of(fact, 'g1', 'setting-')
    assert g1['setting-smn-topic']['observed_display'] == 'no topic (smn_config null)' and not g1['setting-smn-topic']['passed']
    # A dst_node without KMS fields says nothing about encryption: not evaluated, never a pass.
    assert not g1['setting-dst-encryption']['evaluated'] and 'neither crypto_type nor kms_key_id' in g1['setting-dst-encryption']['message']
    assert fact['verdict'] == 'ERROR'


# -- what the answer does not say ------------------------------------------------------


@pytest.mark.parametrize(
    'key, fields, text',
    [
        ('consistency_check', {'consistency_check': None}, 'consistency_check is null'),
        ('object_overwrite_mode', {'object_overwrite_mode': 3}, 'object_overwrite_mode is a int (3), not a setting'),
        ('enable_failed_object_recording', {'enable_failed_object_recording': 'yes'}, 'not true or false'),
        ('dst_encryption', {'dst_node': None}, 'dst_node is null'),
        ('dst_encryption', {'dst_node': {'bucket': 'dst', 'crypto_type': 'AES'}}, "dst_node.crypto_type is 'AES', neither KMS nor DEFAULT"),
        ('smn_topic', {'smn_info': {'notify_result': True}}, 'smn_info.topic_name is absent'),
        ('smn_topic', {'smn_info': 'topic'}, 'smn_info is a str'),
    ],
)
def test_a_setting_the_answer_does_not_carry_is_not_evaluated(key, fields, text):
    required = {'consistency_check': 'crc64', 'object_overwrite_mode': 'NO_OVERWRITE'}.get(key, True)
    fact = run([migration_task(1, **fields)], required_settings={key: required})
    check = one(fact, 1, SETTING_CHECKS[key])
    assert not check['passed'] and not check['evaluated'] and check['observed_display'] == 'unknown'
    assert text in check['message'] and 'is unknown' in check['message']
    assert fact['verdict'] == 'ERROR'


@pytest.mark.parametrize('key', list(SETTING_CHECKS))
def test_an_absent_field_is_never_a_pass(key):
    body = migration_task(1)
    for field in (key, 'dst_node', 'smn_info'):
        body.pop(field, None)
    required = {'dst_encryption': False, 'smn_topic': False, 'enable_failed_object_recording': False}.get(
        key, 'STANDARD' if key == 'dst_storage_policy' else None
    )
    required = required if required is not None else {'consistency_check': 'crc64', 'object_overwrite_mode': 'NO_OVERWRITE'}[key]
    fact = run([body], required_settings={key: required})
    check = one(fact, 1, SETTING_CHECKS[key])
    assert not check['passed'] and not check['evaluated'] and 'absent from the answer' in check['message']


def test_a_sync_task_answers_what_its_api_reports_and_fails_closed_on_the_rest():
    required = {'consistency_check': 'crc64', 'object_overwrite_mode': 'SIZE_LAST_MODIFIED_COMPARISON_OVERWRITE', 'dst_storage_policy': 'STANDARD'}
    required.update(enable_failed_object_recording=True, dst_encryption=True, smn_topic=True)
    fact = run(syncs=[sync_task(), sync_task(sync_task_id='old-edition', enable_kms=True)], required_settings=required)
    checks = checks_of(fact, TASK_ID, 'setting-')
    assert checks['setting-consistency-check']['passed'] and checks['setting-object-overwrite-mode']['passed']
    # The documented example answers dst_storage_policy null: unknown, not STANDARD.
    assert not checks['setting-dst-storage-policy']['evaluated'] and 'dst_storage_policy is null' in checks['setting-dst-storage-policy']['message']
    assert 'has no enable_failed_object_recording' in checks['setting-failed-object-recording']['message']
    assert 'has no SMN notification settings' in checks['setting-smn-topic']['message']
    assert 'enable_kms is absent' in checks['setting-dst-encryption']['message']
    assert one(fact, 'old-edition', 'setting-dst-encryption')['passed'] is True
    assert fact['verdict'] == 'ERROR'


def test_skip_checks_switches_a_setting_check_off_everywhere():
    fact = run(
        [migration_task(1, consistency_check='no_check')],
        [task_group('g')],
        required_settings={'consistency_check': 'crc64'},
        skip_checks=['setting-consistency-check'],
    )
    assert all(
        check['skipped'] and 'would have failed' in check['message']
        for check in (one(fact, 1, 'setting-consistency-check'), one(fact, 'g', 'setting-consistency-check'))
    )
    assert fact['verdict'] == 'HEALTHY'


# -- counts-add-up ---------------------------------------------------------------


def counts(total, succeeded, failed=0, skipped=0, done=1000, size=1000):
    return dict(total_num=total, successful_num=succeeded, failed_num=failed, skipped_num=skipped, complete_size=done, total_size=size)


@pytest.mark.parametrize(
    'status, fields, passed, evaluated, shown',
    [
        # Succeeded: every object counted once.
        (5, counts(100, 95, 0, 5), True, True, '= total_num 100'),
        (5, counts(100, 90), False, True, '= total_num 100'),
        (5, counts(100, 95, 5, 5), False, True, '<= total_num 100'),
        # Running: never more than the total.
        (2, counts(100, 40, 2, 1, done=400), True, True, '<= total_num 100'),
        (2, counts(100, 99, 2, 0, done=400), False, True, '<= total_num 100'),
        (1, counts(0, 0), True, True, '= total_num 0'),
        (6, counts(100, 50, done=500), True, True, '<= total_num 100'),
        (7, counts(100, 50, done=500), True, True, '<= total_num 100'),
        # Stopped or failed part-way: as running; at its end: as succeeded.
        (3, counts(100, 50, done=500), True, True, '<= total_num 100'),
        (4, counts(100, 50, 10, done=600), True, True, '<= total_num 100'),
        (3, counts(100, 50), False, True, '= total_num 100'),
        (4, counts(100, 80, 10), False, True, '= total_num 100'),
        (4, counts(100, 80, 20), True, True, '= total_num 100'),
        (4, dict(counts(100, 50), complete_size=None), None, False, '<= total_num 100'),
        # What cannot be read is never a pass.
        (5, dict(counts(100, 100), skipped_num=None), None, False, 'add up to total_num'),
        (5, dict(counts(100, 100), successful_num='100'), None, False, 'add up to total_num'),
        (99, counts(100, 50), None, False, '<= total_num 100'),
        (99, counts(100, 100), True, True, '= total_num 100'),
    ],
)
def test_counts_add_up_for_a_migration_task(status, fields, passed, evaluated, shown):
    fact = run([migration_task(1, status, **fields)])
    check = one(fact, 1, 'counts-add-up')
    assert check['evaluated'] is evaluated and check['threshold_display'] == shown
    if evaluated:
        assert check['passed'] is passed
        assert check['observed'] == fields['successful_num'] + fields['failed_num'] + fields['skipped_num'] and check['threshold'] == fields['total_num']
    else:
        assert not check['passed']
    if passed is False:
        assert 'the counts do not add up' in check['message'] and fact['verdict'] in ('UNHEALTHY', 'ERROR')


def test_counts_that_do_not_add_up_name_the_objects_unaccounted_for():
    fact = run([migration_task(1, 5, **counts(1000, 990, 4, 1))], max_migration_failed_objects=10)
    check = one(fact, 1, 'counts-add-up')
    assert check['observed_display'] == '990 succeeded + 4 failed + 1 skipped = 995'
    assert 'migration task 1 is succeeded and done, but the counts do not add up' in check['message'] and '5 object(s) unaccounted for' in check['message']
    assert fact['violations'] == [
        'migration task 1: counts-add-up observed 990 succeeded + 4 failed + 1 skipped = 995, threshold = total_num 1000 - ' + check['message']
    ]
    assert fact['verdict'] == 'UNHEALTHY'


@pytest.mark.parametrize(
    'status, fields, passed',
    [
        (6, {}, True),
        (6, {'success_num': 40}, False),
        (5, {'success_num': 20, 'fail_num': 5, 'complete_size': 300}, True),
        (5, {'success_num': 20, 'fail_num': 5}, False),
        (2, {'success_num': 60}, False),
        (3, {'success_num': 10, 'complete_size': 100}, True),
    ],
)
def test_counts_add_up_for_a_task_group(status, fields, passed):
    fact = run(groups=[task_group('g', status, **fields)], skip_checks=['task-group-status', 'task-group-failed-objects'])
    check = one(fact, 'g', 'counts-add-up')
    assert check['evaluated'] and check['passed'] is passed
    assert fact['verdict'] == ('HEALTHY' if passed else 'UNHEALTHY')


def test_a_group_count_flagged_by_the_module_fails_counts_add_up_as_not_evaluated():
    results = {
        'task_group_info': {
            'task_groups': [task_group('g')],
            'complete': False,
            'problems': [{'id': 'g', 'field': 'fail_num', 'message': 'fail_num is absent'}],
        }
    }
    fact = evaluate(results, {'task_groups': ['g']}, now_ms=NOW)
    assert sorted(next(entry for entry in fact['task_groups'])['failed_checks']) == ['counts-add-up', 'task-group-failed-objects']
    assert not one(fact, 'g', 'counts-add-up')['evaluated']
