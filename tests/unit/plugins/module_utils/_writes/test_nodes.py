# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""src_node/dst_node: the API's field names per call, credentials asked for again on a start, identity with the API's defaults."""

import pytest

from ansible_collections.hwcloud.migration.plugins.module_utils._writes.nodes import (
    NODE_ARGUMENT_SPEC,
    NodeError,
    check_nodes,
    create_nodes,
    identity,
    identity_of_task,
    same_identity,
    start_credentials,
)

SRC = {'cloud_type': 'AWS', 'region': 'us-east-1', 'bucket': 'b', 'object_key': ['x/', 'a/'], 'ak': 'SA', 'sk': 'SS', 'security_token': 'ST', 'list_file': None}
DST = {'region': 'cn-north-4', 'bucket': 'd', 'save_prefix': None, 'ak': 'DA', 'sk': 'DS', 'security_token': None}


def test_every_credential_sub_option_is_no_log():
    for node in ('src_node', 'dst_node'):
        options = NODE_ARGUMENT_SPEC[node]['options']
        for name in ('sk', 'security_token', 'ak', 'connection_string', 'json_auth_file'):
            if name in options:
                assert options[name]['no_log'] is True, (node, name)


def test_create_nodes_keep_the_set_keys_under_the_api_names():
    src, dst = create_nodes({'src_node': SRC, 'dst_node': DST})
    assert src == {'cloud_type': 'AWS', 'region': 'us-east-1', 'bucket': 'b', 'object_key': ['x/', 'a/'], 'ak': 'SA', 'sk': 'SS', 'security_token': 'ST'}
    assert dst == {'region': 'cn-north-4', 'bucket': 'd', 'ak': 'DA', 'sk': 'DS'}


def test_start_credentials_are_flat_and_required():
    fields = start_credentials({'src_node': SRC, 'dst_node': DST}, task_type='prefix', what='Starting task 7')
    assert fields == {'src_ak': 'SA', 'src_sk': 'SS', 'src_security_token': 'ST', 'dst_ak': 'DA', 'dst_sk': 'DS'}
    with pytest.raises(NodeError, match='dst_node.ak and dst_node.sk; src_node.ak'):
        start_credentials({'src_node': {}, 'dst_node': {}}, task_type='object', what='Starting task 7')
    # A URL list has no source credentials; Azure authenticates with a connection string.
    assert start_credentials({'dst_node': DST}, task_type='url_list', what='x') == {'dst_ak': 'DA', 'dst_sk': 'DS'}
    azure = start_credentials({'src_node': {'connection_string': 'cs'}, 'dst_node': DST}, task_type='object', what='x')
    assert azure['connection_string'] == 'cs'


@pytest.mark.parametrize(
    'src, dst, task_type, message',
    [
        ({'bucket': 'b'}, DST, 'object', 'src_node needs region'),
        (SRC, {'region': 'r'}, 'object', 'dst_node needs bucket'),
        (dict(SRC, list_file=None), DST, 'list', 'src_node.list_file'),
        (dict(SRC, sk='s' * 101), DST, 'object', 'src_node.sk must be at most 100 characters long, got 101'),
    ],
)
def test_check_nodes_names_the_key(src, dst, task_type, message):
    with pytest.raises(NodeError, match=message):
        check_nodes({'src_node': src, 'dst_node': dst}, task_type=task_type)


def test_identity_applies_the_api_defaults_and_ignores_key_order():
    wanted = identity('object', {'region': 'r', 'bucket': 'b'}, {'region': 'cn', 'bucket': 'd'})
    listed = {
        'task_type': 'object',
        'src_node': {'cloud_type': 'aliyun', 'region': 'r', 'bucket': 'b', 'object_key': [''], 'list_file': None},
        'dst_node': {'region': 'cn', 'bucket': 'd', 'save_prefix': ''},
    }
    assert same_identity(wanted, identity_of_task(listed))
    keyed = identity('object', {'region': 'r', 'bucket': 'b', 'object_key': ['b/', 'a/']}, {'region': 'cn', 'bucket': 'd'})
    listed['src_node']['object_key'] = ['a/', 'b/']
    assert same_identity(keyed, identity_of_task(listed)) and not same_identity(wanted, identity_of_task(listed))
    listed['dst_node']['save_prefix'] = 'p/'
    assert not same_identity(keyed, identity_of_task(listed))
