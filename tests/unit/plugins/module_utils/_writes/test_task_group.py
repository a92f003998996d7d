# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""oms_task_group's run: what each state does with each group status, task types in capitals, no security token."""

import pytest

from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError
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


class Client:
    secrets = ()

    def __init__(self, *groups):
        self.groups = dict((g['group_id'], g) for g in groups)
        self.writes = []

    def build_path(self, template, params):
        return template.format(project_id='p1', **params)

    def get_json(self, path, path_params=None, query=None, limits=None):
        if path_params:
            if path_params['group_id'] not in self.groups:
                raise HuaweiCloudError('gone', status=400, code='OMS.1009')
            return dict(self.groups[path_params['group_id']]), {'request_id': 'r'}
        return {'count': len(self.groups), 'taskgroups': list(self.groups.values())}, {'request_id': 'r'}

    def _write(self, method, path, params, body):
        self.writes.append((method, self.build_path(path, params or {}), body))
        if method == 'POST':
            self.groups['g-new'] = group(2, group_id='g-new')
            return {'group_id': 'g-new'}, {'status': 200, 'request_id': 'w'}
        return None, {'status': 200, 'request_id': 'w'}

    def post_json(self, path, path_params=None, body=None):
        return self._write('POST', path, path_params, body)

    def put_json(self, path, path_params=None, body=None):
        return self._write('PUT', path, path_params, body)

    def delete(self, path, path_params=None):
        return self._write('DELETE', path, path_params, None)


def run(client, **given):
    params = dict((name, spec.get('default')) for name, spec in ARGUMENT_SPEC.items())
    params.update(given)
    return run_task_group(params, client, check_mode=False, diff=False, warn=lambda message: None, sleep=lambda s: None)


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
