# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""oms_sync_task's run: what each state does with each status, flat CreateSyncTask fields, refused node keys, no wait to finish."""

import pytest
from project_fake import Project, options

from ansible_collections.hwcloud.migration.plugins.module_utils._writes.lifecycle import WriteError
from ansible_collections.hwcloud.migration.plugins.module_utils._writes.sync_task import ARGUMENT_SPEC, run_sync_task

SRC = {'cloud_type': 'AWS', 'region': 'us-east-1', 'bucket': 'b', 'ak': 'SA', 'sk': 'SS'}
DST = {'region': 'cn-north-4', 'bucket': 'd', 'ak': 'DA', 'sk': 'DS'}
TASK = 's-1'


def sync_task(status, **fields):
    body = {'sync_task_id': TASK, 'status': status, 'src_cloud_type': 'AWS', 'src_region': 'us-east-1', 'src_bucket': 'b'}
    body.update(dst_region='cn-north-4', dst_bucket='d', consistency_check='size_last_modified', description='')
    body.update(fields)
    return body


class Client(Project):
    def __init__(self, *tasks):
        Project.__init__(self, *tasks, id_key='sync_task_id', items_key='tasks', created=sync_task('SYNCHRONIZING', sync_task_id='s-new'))
        self.queries = []

    def get_json(self, path, path_params=None, query=None, limits=None):
        self.queries.append((path, query))
        return Project.get_json(self, path, path_params, query, limits)


def run(client, check_mode=False, diff=False, **given):
    params = options(ARGUMENT_SPEC, **given)
    return run_sync_task(params, client, check_mode=check_mode, diff=diff, warn=lambda message: None, sleep=lambda s: None)


@pytest.mark.parametrize(
    'state, status, expected',
    [
        ('present', 'STOPPED', []),
        ('started', 'STOPPED', ['StartSyncTask']),
        ('started', 'SYNCHRONIZING', []),
        ('stopped', 'SYNCHRONIZING', ['StopSyncTask']),
        ('stopped', 'STOPPED', []),
        ('absent', 'SYNCHRONIZING', ['StopSyncTask', 'DeleteSyncTask']),
        ('absent', 'STOPPED', ['DeleteSyncTask']),
    ],
)
def test_what_each_state_does_with_each_status(state, status, expected):
    result = run(Client(sync_task(status)), id=TASK, state=state, src_node=SRC, dst_node=DST)
    assert [action['call'] for action in result['actions']] == expected


def test_a_create_sends_the_nodes_as_flat_fields_and_a_rerun_finds_it_by_its_buckets():
    client = Client()
    created = run(client, src_node=SRC, dst_node=DST, description='to OBS', enable_restore=True)
    assert created['changed'] is True and created['sync_task']['sync_task_id'] == 's-new'
    assert client.writes == [
        (
            'POST',
            '/v2/p1/sync-tasks',
            {
                'src_ak': 'SA', 'src_sk': 'SS', 'dst_ak': 'DA', 'dst_sk': 'DS', 'src_cloud_type': 'AWS', 'src_region': 'us-east-1', 'src_bucket': 'b',
                'dst_region': 'cn-north-4', 'dst_bucket': 'd', 'description': 'to OBS', 'enable_restore': True,
            },
        )
    ]  # fmt: skip
    # ShowSyncTask needs query_time; the listing does not.
    assert all(query and 'query_time' in query for path, query in client.queries if path.endswith('{sync_task_id}'))
    again = run(client, src_node=SRC, dst_node=DST)
    assert again['changed'] is False and again['actions'] == [] and len(client.writes) == 1


def test_a_start_sends_the_credentials_again_and_refuses_without_them():
    client = Client(sync_task('STOPPED'))
    with pytest.raises(WriteError, match='dst_node.ak and dst_node.sk'):
        run(client, id=TASK, state='started')
    assert client.writes == []
    run(client, id=TASK, state='started', src_node={'ak': 'SA', 'sk': 'SS'}, dst_node={'ak': 'DA', 'sk': 'DS'})
    assert client.writes == [('POST', '/v2/p1/sync-tasks/s-1/start', {'src_ak': 'SA', 'src_sk': 'SS', 'dst_ak': 'DA', 'dst_sk': 'DS'})]


@pytest.mark.parametrize(
    'given, message',
    [
        ({'src_node': dict(SRC, object_key=['a/'])}, 'src_node.object_key: a sync task has no such field'),
        ({'src_node': dict(SRC, security_token='t')}, 'src_node.security_token: a sync task has no such field'),
        ({'dst_node': dict(DST, save_prefix='p/')}, 'dst_node.save_prefix: a sync task has no such field'),
        ({'src_node': dict(SRC, cloud_type='Google')}, 'cannot be the source of a sync task'),
        ({'description': 'a (b)'}, 'none of < > ( )'),
        ({'wait': True, 'wait_for': 'finished'}, 'a sync task runs until it is stopped'),
        ({'src_node': dict(SRC, sk=None)}, 'needs the credentials of both buckets'),
    ],
)
def test_options_the_api_cannot_take_are_refused_before_any_write(given, message):
    client = Client()
    options_given = dict(dict(src_node=SRC, dst_node=DST), **given)
    with pytest.raises(WriteError, match=message.replace('(', r'\(').replace(')', r'\)')):
        run(client, **options_given)
    assert client.writes == []


def test_a_setting_that_differs_is_an_error_and_no_check_is_transmission():
    client = Client(sync_task('SYNCHRONIZING', consistency_check='no_check'))
    assert run(client, id=TASK, consistency_check='transmission')['changed'] is False
    with pytest.raises(WriteError, match='recreate it'):
        run(client, id=TASK, dst_storage_policy='IA')
    assert client.writes == []


def test_an_unknown_status_changes_nothing():
    client = Client(sync_task('MIGRATING'))
    with pytest.raises(WriteError, match='neither SYNCHRONIZING nor STOPPED'):
        run(client, id=TASK, state='absent')
    assert client.writes == []


def test_check_mode_sends_nothing_and_the_diff_shows_the_task_to_be():
    client = Client()
    result = run(client, check_mode=True, diff=True, src_node=SRC, dst_node=DST, description='x')
    assert result['changed'] is True and result['sync_task'] is None and client.writes == []
    assert result['diff']['before'] == {} and result['diff']['after']['src_node'] == {'cloud_type': 'AWS', 'region': 'us-east-1', 'bucket': 'b'}
    assert 'SS' not in repr(result) and 'DS' not in repr(result)


def test_an_answer_without_a_text_status_cannot_be_managed():
    client = Client(sync_task(1))
    with pytest.raises(WriteError, match='has no text status'):
        run(client, id=TASK, state='absent')
    assert client.writes == []


def test_two_tasks_that_sync_the_same_buckets_are_an_error_naming_both():
    client = Client(sync_task('STOPPED'), sync_task('SYNCHRONIZING', sync_task_id='s-2', src_cloud_type='aws'))
    with pytest.raises(WriteError, match='s-1, s-2') as info:
        run(client, state='absent', src_node=SRC, dst_node=DST)
    assert info.value.result['matching_ids'] == ['s-1', 's-2'] and client.writes == []
