"""hwcloud.migration.oms_migration_task: task_priority changed in place (BatchUpdateTasks) and source_cdn, through ansible-playbook."""

import json

from modules_harness import SECRET_VARS, connection, playbook, requests_log, result
from test_modules_oms_migration_task import (
    FAILED,
    NODE_SECRETS,
    RUNNING,
    STOPPED,
    clean,
    credentials_only,
    dst,
    emulator_fixture,
    lifecycle_emulator_fixture,
    manage,
    src,
)

CDN_KEY = 'lifecycle-cdn-authentication-key-0001'
__all__ = ['emulator_fixture', 'lifecycle_emulator_fixture']


def run(emulator, run_playbook, tasks):
    variables = dict(SECRET_VARS, lc_cdn_key=CDN_KEY, **NODE_SECRETS)
    return run_playbook(playbook(tasks, module_defaults=connection(emulator)), extra_vars=variables, verbosity=4)


def test_the_priority_changes_in_place_where_the_api_allows_it(emulator, run_playbook):
    outcome = run(
        emulator,
        run_playbook,
        [
            manage('stopped to high', id=STOPPED, task_priority='HIGH', diff=True),
            manage('high again', id=STOPPED, task_priority='HIGH'),
            manage('running to low', id=RUNNING, task_priority='LOW'),
            manage('failed to low then retried', id=FAILED, state='started', task_priority='LOW', **credentials_only()),
            manage('would change', id=STOPPED, task_priority='LOW', check_mode=True),
        ],
    )
    changed = result(outcome, 'stopped to high')
    assert [a['call'] for a in changed['actions']] == ['BatchUpdateTasks'] and changed['migration_task']['task_priority'] == 'HIGH'
    assert changed['diff']['before']['task_priority'] == 'MEDIUM' and changed['diff']['after']['task_priority'] == 'HIGH'
    assert result(outcome, 'high again')['changed'] is False and result(outcome, 'high again')['actions'] == []

    running = result(outcome, 'running to low', 'failed')
    assert 'only on a waiting, stopped or failed task' in running['msg'] and 'is executing' in running['msg'] and running['actions'] == []

    retried = result(outcome, 'failed to low then retried')
    assert [a['call'] for a in retried['actions']] == ['BatchUpdateTasks', 'StartTask']  # the priority first: a running task keeps its own
    assert retried['migration_task']['task_priority'] == 'LOW' and retried['migration_task']['status'] == 6
    would = result(outcome, 'would change')
    assert would['changed'] is True and [(a['call'], a['sent']) for a in would['actions']] == [('BatchUpdateTasks', False)]

    updates = [entry for entry in requests_log(emulator) if entry['route'] == 'batch_update_tasks']
    assert [entry['body'] for entry in updates] == [{'ids': [STOPPED], 'task_priority': 'HIGH'}, {'ids': [FAILED], 'task_priority': 'LOW'}]
    clean(outcome)


def test_a_source_cdn_is_sent_at_create_compared_after_and_its_key_never_shown(emulator, run_playbook):
    cdn = {'domain': 'cdn.example.com', 'protocol': 'https', 'authentication_type': 'ALIYUN_OSS_A', 'authentication_key': '{{ lc_cdn_key }}'}
    new = dict(task_type='prefix', src_node=src('cdn-src'), dst_node=dst())
    outcome = run(
        emulator,
        run_playbook,
        [
            manage('create with a cdn', diff=True, source_cdn=cdn, **new),
            manage('cdn again', diff=True, source_cdn=cdn, **new),
            manage('another domain', source_cdn=dict(cdn, domain='other.example.com'), **new),
        ],
    )
    created = result(outcome, 'create with a cdn')
    shown = {'domain': 'cdn.example.com', 'protocol': 'https', 'authentication_type': 'ALIYUN_OSS_A'}
    assert created['changed'] is True and created['migration_task']['source_cdn'] == shown and created['diff']['after']['source_cdn'] == shown
    again = result(outcome, 'cdn again')
    assert again['changed'] is False and again['diff']['before'] == again['diff']['after']
    other = result(outcome, 'another domain', 'failed')
    assert 'source_cdn.domain' in other['msg'] and 'recreate it' in other['msg'] and other['actions'] == []

    [create] = [entry for entry in requests_log(emulator) if entry['route'] == 'create_task']
    assert create['body']['source_cdn'] == dict(shown, authentication_key='***')
    clean(outcome)
    assert CDN_KEY not in outcome.output and CDN_KEY not in json.dumps(requests_log(emulator))
