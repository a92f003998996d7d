"""hwcloud.migration.oms_task_group: real ansible-playbook runs against the emulator's task-group writes."""

from modules_harness import result, task
from test_modules_oms_migration_task import clean, dst, emulator_fixture, lifecycle_emulator_fixture, run, src, writes

MODULE = 'oms_task_group'
FAILED_GROUP = 'aaaaaaaa-1111-4222-8333-444444444444'
PAUSED_GROUP = 'bbbbbbbb-1111-4222-8333-444444444444'
CREDENTIALS = {'src_node': {'ak': 'LCSRCAK0001', 'sk': '{{ lc_src_sk }}'}, 'dst_node': {'ak': 'LCDSTAK0001', 'sk': '{{ lc_dst_sk }}'}}
GROUP_ROUTES = ('create_task_group', 'start_task_group', 'stop_task_group', 'retry_task_group', 'update_task_group', 'delete_task_group')
__all__ = ['emulator_fixture', 'lifecycle_emulator_fixture']


def manage(name, check_mode=False, **args):
    entry = task(name, MODULE, **args)
    if check_mode:
        entry['check_mode'] = True
        entry['diff'] = True
    return entry


def group_src(bucket):
    node = src(bucket)
    node.pop('security_token')
    return node


def test_group_create_rerun_stop_start_retry_delete_and_waits(emulator, run_playbook):
    new = dict(src_node=group_src('photos-src'), dst_node=dst())
    short = dict(poll_interval=0.3, wait_timeout=30)
    finished = dict(wait=True, wait_for='finished', poll_interval=0.5, wait_timeout=60)
    outcome = run(
        emulator,
        run_playbook,
        [
            manage('would create', check_mode=True, **new),
            manage('create', **new),
            manage('again', **new),
            manage('stop', state='stopped', wait=True, **dict(new, **short)),
            manage('start', state='started', wait=True, **dict(new, **short)),
            manage('delete', state='absent', **dict(new, **short)),
            manage('retry failed', id=FAILED_GROUP, state='started', **CREDENTIALS),
            manage('start paused', id=PAUSED_GROUP, state='started', **CREDENTIALS),
            manage('quick', src_node=group_src('quick-src'), dst_node=dst(), **finished),
            manage('flaky', src_node=group_src('flaky-src'), dst_node=dst(), **finished),
            manage('security token', src_node=src('photos-src'), dst_node=dst()),
        ],
        verbosity=4,  # the recorded results keep the diff from -vvv on; no secret may show at -vvvv
    )
    would = result(outcome, 'would create')
    assert would['changed'] is True and would['task_group'] is None and would['actions'][0]['sent'] is False
    assert would['diff']['after']['task_type'] == 'PREFIX'

    created = result(outcome, 'create')
    group_id = created['task_group']['group_id']
    assert created['changed'] is True and created['actions'][0]['group_id'] == group_id and created['task_group']['status'] == 2
    assert created['task_group']['summary']['status_name'] == 'monitoring'
    again = result(outcome, 'again')
    assert again['changed'] is False and again['actions'] == [] and again['task_group']['group_id'] == group_id

    assert result(outcome, 'stop')['task_group']['status'] == 3 and [a['call'] for a in result(outcome, 'stop')['actions']] == ['StopTaskGroup']
    assert result(outcome, 'start')['task_group']['status'] == 2 and [a['call'] for a in result(outcome, 'start')['actions']] == ['StartTaskGroup']
    deleted = result(outcome, 'delete')
    assert [a['call'] for a in deleted['actions']] == ['StopTaskGroup', 'DeleteTaskGroup'] and deleted['task_group'] is None

    retried = result(outcome, 'retry failed')
    assert [a['call'] for a in retried['actions']] == ['RetryTaskGroup'] and retried['task_group']['status'] == 2
    assert result(outcome, 'start paused')['task_group']['status'] == 2

    assert result(outcome, 'quick')['task_group']['status'] == 6
    flaky = result(outcome, 'flaky', 'failed')
    assert flaky['task_group']['status'] == 5 and flaky['failed_task_num'] == 2 and 'migration_failed' in flaky['msg'], flaky['msg']
    assert 'task groups take no security token' in result(outcome, 'security token', 'failed')['msg']

    sent = writes(emulator, GROUP_ROUTES)
    retry = next(entry for entry in sent if entry['route'] == 'retry_task_group')
    assert retry['body']['migrate_failed_object'] is True and retry['body']['src_sk'] == '***'
    assert [entry['route'] for entry in sent].count('create_task_group') == 3  # the re-run and check mode created nothing
    clean(outcome)
