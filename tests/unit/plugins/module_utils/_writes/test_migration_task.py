# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""oms_migration_task's run: what each state does with each status, identity by what a task migrates, failing closed."""

import pytest
from project_fake import Project, options

from ansible_collections.hwcloud.migration.plugins.module_utils._writes.lifecycle import WriteError
from ansible_collections.hwcloud.migration.plugins.module_utils._writes.migration_task import ARGUMENT_SPEC, run_migration_task

SRC = {'region': 'r', 'bucket': 'b', 'ak': 'SA', 'sk': 'SS'}
DST = {'region': 'cn-north-4', 'bucket': 'd', 'ak': 'DA', 'sk': 'DS'}


def task(task_id, status, **fields):
    body = {'id': task_id, 'status': status, 'task_type': 'object', 'progress': 0.5, 'left_time': 1, 'failed_num': 0, 'total_num': 10}
    body.update(src_node={'region': 'r', 'bucket': 'b', 'cloud_type': 'Aliyun', 'object_key': ['']}, dst_node={'region': 'cn-north-4', 'bucket': 'd'})
    body.update(fields)
    return body


def Client(*tasks):  # noqa: N802 - reads like the class it builds
    return Project(*tasks, id_key='id', items_key='tasks', created=task(77, 2))


def params(**given):
    return options(ARGUMENT_SPEC, **given)


def run(client, check_mode=False, **given):
    return run_migration_task(params(**given), client, check_mode=check_mode, diff=True, warn=lambda message: None, sleep=lambda s: None)


def calls(result):
    return [action['call'] for action in result['actions']]


@pytest.mark.parametrize(
    'state, status, expected',
    [
        ('started', 3, ['StartTask']),
        ('started', 4, ['StartTask']),
        ('started', 7, ['StartTask']),
        ('started', 2, []),
        ('started', 5, []),
        ('stopped', 1, ['StopTask']),
        ('stopped', 6, ['StopTask']),
        ('stopped', 3, []),
        ('absent', 2, ['StopTask', 'DeleteTask']),
        ('absent', 4, ['DeleteTask']),
        ('present', 3, []),
    ],
)
def test_what_each_state_does_with_each_status(state, status, expected):
    client = Client(task(5, status))
    result = run(client, id=5, state=state, src_node=SRC, dst_node=DST)
    assert calls(result) == expected and result['changed'] is bool(expected)


def test_a_failed_task_is_retried_with_only_its_failed_objects_unless_told_otherwise():
    client = Client(task(5, 4))
    run(client, id='5', state='started', src_node=SRC, dst_node=DST)
    run(client, id=5, state='started', src_node=SRC, dst_node=DST, failed_objects_only=False)
    assert [body['migrate_failed_object'] for _m, _p, body in client.writes] == [True, False]
    assert client.writes[0][2]['src_sk'] == 'SS' and client.writes[0][1] == '/v2/p1/tasks/5/start'


def test_found_by_what_it_migrates_or_created_once():
    client = Client(task(5, 2, src_node={'region': 'r', 'bucket': 'other'}))
    created = run(client, src_node=SRC, dst_node=DST)
    assert calls(created) == ['CreateTask'] and created['migration_task']['id'] == 77
    assert client.writes[0][2]['src_node'] == SRC and client.writes[0][2]['task_type'] == 'object'
    again = run(client, src_node=SRC, dst_node=DST)
    assert again['changed'] is False and again['migration_task']['id'] == 77


def test_two_matches_name_both_ids_and_nothing_is_written():
    client = Client(task(5, 3), task(6, 5))
    with pytest.raises(WriteError) as info:
        run(client, state='absent', src_node=SRC, dst_node=DST)
    assert info.value.result['matching_ids'] == [5, 6] and '(ids 5, 6)' in info.value.result['msg'] and client.writes == []


def test_an_incomplete_listing_never_leads_to_a_create():
    client = Client()
    client.get_json = lambda path, path_params=None, query=None, limits=None: (
        {'count': 3, 'tasks': [task(5, 3, src_node={'bucket': 'x'})]},
        {'request_id': 'r'},
    )
    with pytest.raises(WriteError, match='Cannot tell whether this migration task exists'):
        run(client, src_node=SRC, dst_node=DST)
    assert client.writes == []


def test_check_mode_plans_but_writes_nothing():
    client = Client(task(5, 2))
    result = run(client, check_mode=True, id=5, state='absent')
    assert calls(result) == ['StopTask', 'DeleteTask'] and result['changed'] is True and client.writes == []
    assert result['migration_task']['id'] == 5 and result['diff']['after'] == {}


def test_a_waited_for_task_that_ends_failed_fails_with_its_reason_and_the_task():
    reason = {'error_code': 'TRF.0062', 'error_msg': 'Some objects failed to upload.'}
    client = Client(task(5, 4, error_reason=reason, failed_num=3, failed_object_record={'list_file_key': 'oms/x.txt', 'result': True}))
    with pytest.raises(WriteError) as info:
        run(client, id=5, state='present', wait=True, wait_for='finished', poll_interval=1.0)
    failure = info.value.result
    assert failure['msg'] == 'Migration task 5 failed: TRF.0062: Some objects failed to upload.; 3 objects failed; failed-object list oms/x.txt.'
    assert failure['failed_num'] == 3 and failure['migration_task']['summary']['status_name'] == 'failed' and failure['changed'] is False


@pytest.mark.parametrize(
    'given, message',
    [
        ({}, 'Give id, or src_node and dst_node'),
        ({'id': -1}, 'id must be a migration task id'),
        ({'id': 5, 'state': 'absent', 'wait': True, 'wait_for': 'finished'}, 'wait_for: finished waits'),
        ({'src_node': {'bucket': 'b'}, 'dst_node': DST}, 'src_node needs region'),
    ],
)
def test_options_are_refused_before_any_request(given, message):
    client = Client()
    client.get_json = None  # any request would fail the test
    with pytest.raises(WriteError, match=message):
        run(client, **given)


@pytest.mark.parametrize('status', [1, 3, 4])
def test_a_new_priority_is_one_batch_update_of_this_task_where_the_api_allows_it(status):
    client = Client(task(7, status, task_priority='MEDIUM'))
    result = run(client, id=7, task_priority='HIGH')
    assert [a['call'] for a in result['actions']] == ['BatchUpdateTasks']
    assert client.writes == [('POST', '/v2/p1/tasks/batch-update', {'ids': [7], 'task_priority': 'HIGH'})]


@pytest.mark.parametrize('status', [2, 5, 6, 7])
def test_a_new_priority_on_another_task_fails_before_any_write(status):
    client = Client(task(7, status, task_priority='MEDIUM'))
    with pytest.raises(WriteError, match='only on a waiting, stopped or failed task'):
        run(client, id=7, task_priority='LOW')
    assert client.writes == []


def test_a_source_cdn_is_sent_at_create_compared_after_and_its_key_sent_with_a_start():
    cdn = {'domain': 'cdn.example.com', 'protocol': 'https', 'authentication_type': 'NONE', 'authentication_key': 'K', 'crypto_type': None, 'kms_key_id': None}
    client = Client()
    run(client, src_node=SRC, dst_node=DST, source_cdn=cdn)
    assert client.writes[0][2]['source_cdn'] == {'domain': 'cdn.example.com', 'protocol': 'https', 'authentication_type': 'NONE', 'authentication_key': 'K'}
    shown = task(7, 3, source_cdn={'domain': 'cdn.example.com', 'protocol': 'https', 'authentication_type': 'NONE'})
    client = Client(shown)
    run(client, id=7, state='started', src_node=SRC, dst_node=DST, source_cdn=cdn)
    assert [(method, body.get('source_cdn_authentication_key')) for method, _path, body in client.writes] == [('POST', 'K')]
    with pytest.raises(WriteError, match='source_cdn.domain'):
        run(Client(shown), id=7, source_cdn=dict(cdn, domain='other'))
