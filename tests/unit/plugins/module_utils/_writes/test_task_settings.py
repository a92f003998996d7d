# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Task settings: checked before any request, the CreateTask body, what may change in place and what must be recreated."""

import pytest

from ansible_collections.hwcloud.migration.plugins.module_utils._writes.task_settings import (
    SettingsError,
    bandwidth_windows,
    check_settings,
    compare,
    create_body,
    settings_view,
)

WINDOW = {'start': '00:00', 'end': '06:00', 'max_bandwidth': 104857600}


@pytest.mark.parametrize(
    'params, message',
    [
        ({'description': 'a' * 256}, 'at most 255'),
        ({'description': 'a<b'}, 'must not contain'),
        ({'migrate_since': -1}, 'cannot be negative'),
        ({'bandwidth_policy': [WINDOW] * 6}, 'at most 5'),
        ({'bandwidth_policy': [dict(WINDOW, end='24:00')]}, r'bandwidth_policy\[0\].end must be hh:mm'),
        ({'bandwidth_policy': [dict(WINDOW, max_bandwidth=1)]}, 'max_bandwidth must be 1048576 to 209715200'),
        ({'bandwidth_policy': [WINDOW, dict(WINDOW, start='05:00', end='07:00')]}, 'overlap'),
    ],
)
def test_wrong_settings_are_refused_naming_the_option(params, message):
    with pytest.raises(SettingsError, match=message):
        check_settings(params)


def test_create_body_holds_only_the_settings_given():
    body = create_body({'task_type': None, 'description': 'd', 'enable_restore': False, 'bandwidth_policy': [WINDOW], 'smn_config': None}, {'bucket': 's'}, {})
    assert body == {
        'task_type': 'object',
        'src_node': {'bucket': 's'},
        'dst_node': {},
        'description': 'd',
        'enable_restore': False,
        'bandwidth_policy': [WINDOW],
    }


def test_compare_updates_the_bandwidth_in_place_and_blocks_the_rest():
    task = {'task_priority': 'MEDIUM', 'description': 'd', 'bandwidth_policy': [WINDOW]}
    assert compare({'task_priority': 'MEDIUM', 'bandwidth_policy': [WINDOW], 'description': None}, task) == (None, [])
    windows, blocked = compare({'task_priority': 'HIGH', 'bandwidth_policy': [dict(WINDOW, max_bandwidth=2097152)]}, task)
    assert windows == [dict(WINDOW, max_bandwidth=2097152)]
    assert blocked == ["task_priority: the task has 'MEDIUM', the options ask for 'HIGH'"]
    assert compare({'bandwidth_policy': []}, task)[0] == []  # an empty list removes the limits


def test_settings_view_has_no_credentials():
    view = settings_view({'src_node': {'bucket': 's', 'ak': 'A', 'sk': 'S'}, 'dst_node': {'bucket': 'd', 'sk': 'S'}, 'bandwidth_policy': None})
    assert view['src_node'] == {'cloud_type': None, 'region': None, 'bucket': 's', 'object_key': None, 'list_file': None}
    assert 'S' not in repr(view) and view['bandwidth_policy'] == [] and bandwidth_windows(None) is None
