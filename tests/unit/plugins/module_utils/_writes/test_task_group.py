# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""oms_task_group's run: what each state does with each group status, task types in capitals, no security token."""

import pytest
from project_fake import Project, options

from ansible_collections.hwcloud.migration.plugins.module_utils._writes.lifecycle import WriteError
from ansible_collections.hwcloud.migration.plugins.module_utils._writes.task_group import ARGUMENT_SPEC, run_task_group

SRC = {'region': 'r', 'bucket': 'b', 'ak': 'SA', 'sk': 'SS'}
DST = {'region': 'cn-north-4', 'bucket': 'd', 'ak': 'DA', 'sk': 'DS'}
GROUP = 'g-1'


def group(status, **fields):
    body = {'group_id': GROUP, 'status': status, 'task_type': 'PREFIX', 'total_size': 10, 'complete_size': 5, 'migrate_speed': 1}
    body.update(src_node={'region': 'r', 'bucket': 'b', 'cloud_type': 'Aliyun', 'object_key': ['']}, dst_node={'region': 'cn-north-4', 'bucket': 'd'})
    body.update(fields)
    return body


def Client(*groups):  # noqa: N802 - reads like the class it builds
    return Project(*groups, id_key='group_id', items_key='taskgroups', created=group(2, group_id='g-new'))


def run(client, **given):
    return run_task_group(options(ARGUMENT_SPEC, **given), client, check_mode=False, diff=False, warn=lambda message: None, sleep=lambda s: None)


@pytest.mark.parametrize(
    'state, status, expected',
    [
        ('started', 3, ['StartTaskGroup']),
        ('started', 7, ['StartTaskGroup']),
        ('started', 5, ['RetryTaskGroup']),
        ('started', 2, []),
        ('started', 4, []),
        ('stopped', 1, ['StopTaskGroup']),
        ('stopped', 2, ['StopTaskGroup']),
        ('stopped', 3, []),
        ('absent', 2, ['StopTaskGroup', 'DeleteTaskGroup']),
        ('absent', 6, ['DeleteTaskGroup']),
        ('absent', 8, []),
    ],
)
def test_what_each_state_does_with_each_status(state, status, expected):
    result = run(Client(group(status)), id=GROUP, state=state, src_node=SRC, dst_node=DST)
    assert [action['call'] for action in result['actions']] == expected


def test_a_failed_group_is_retried_with_put_and_its_credentials_flat():
    client = Client(group(5))
    run(client, id=GROUP, state='started', src_node=SRC, dst_node=DST)
    assert client.writes == [
        ('PUT', '/v2/p1/taskgroups/g-1/retry', {'src_ak': 'SA', 'src_sk': 'SS', 'dst_ak': 'DA', 'dst_sk': 'DS', 'migrate_failed_object': True})
    ]


@pytest.mark.parametrize('status, path', [(5, '/v2/p1/taskgroups/g-1/retry'), (3, '/v2/p1/taskgroups/g-1/start')])
def test_a_start_or_retry_is_a_put_the_client_must_not_repeat(status, path):
    # Each acts when it arrives: repeated after a lost answer, a retry would resend the failed objects again.
    client = Client(group(status))
    run(client, id=GROUP, state='started', src_node=SRC, dst_node=DST)
    assert client.not_repeatable == [path]


def test_found_by_what_it_migrates_with_the_task_type_in_capitals():
    client = Client(group(2))
    assert run(client, src_node=SRC, dst_node=DST, task_type='prefix')['changed'] is False
    listed = dict(SRC, bucket='other', list_file={'list_file_key': 'k', 'obs_bucket': 'o'})
    created = run(client, src_node=listed, dst_node=DST, task_type='list')
    assert created['task_group']['group_id'] == 'g-new' and client.writes[0][2]['task_type'] == 'LIST'


def test_a_security_token_is_refused_before_any_request():
    client = Client()
    client.get_json = None
    with pytest.raises(WriteError, match='task groups take no security token'):
        run(client, src_node=dict(SRC, security_token='t'), dst_node=DST)
