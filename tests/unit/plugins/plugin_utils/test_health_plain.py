# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ansible's tagged containers become plain data at the gate's door."""

import pytest

from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.plain import plain

# Data tags are ansible-core 2.19's (the matrix venv has 2.16, which has none).
try:
    from ansible._internal._datatag._tags import Origin
except ImportError:  # ansible-core before 2.19
    Origin = None
ORIGIN = Origin(description='a registered result') if Origin is not None else None


def _types(value):
    """Every container and string type inside ``value``."""
    found = {type(value)}
    if isinstance(value, dict):
        for key, item in value.items():
            found |= {type(key)} | _types(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            found |= _types(item)
    return found


@pytest.mark.skipif(ORIGIN is None, reason='ansible-core before 2.19 has no data tags to strip')
def test_tagged_containers_and_strings_become_plain():
    points = ORIGIN.tag([ORIGIN.tag({'time_stamp': 1, 'statistic_num': ORIGIN.tag(5)}), {'time_stamp': 2, 'statistic_num': 0}])
    result = ORIGIN.tag(
        {'sync_tasks': ORIGIN.tag([ORIGIN.tag({ORIGIN.tag('status'): ORIGIN.tag('SYNCHRONIZING'), 'pair': (1, 'a'), 3: None, 'ok': True})]), 'data': points}
    )
    copied = plain(result)
    assert copied == {
        'sync_tasks': [{'status': 'SYNCHRONIZING', 'pair': [1, 'a'], '3': None, 'ok': True}],
        'data': [{'time_stamp': 1, 'statistic_num': 5}, {'time_stamp': 2, 'statistic_num': 0}],
    }
    assert _types(copied) - {int, bool, type(None), type(ORIGIN.tag(5))} == {dict, list, str}


def test_the_copy_is_a_copy():
    result = {'sync_tasks': [{'id': 'a', 'series': [[1, 2]]}]}
    copied = plain(result)
    copied['sync_tasks'][0]['series'][0][1] = 9
    copied['sync_tasks'].append({})
    assert result == {'sync_tasks': [{'id': 'a', 'series': [[1, 2]]}]}


def test_tuples_become_lists_and_keys_strings():
    class Text(str):
        """A str subclass, as Ansible's tagged and unsafe strings are."""

    copied = plain({'pair': (1, ('a', Text('b'))), 7: {Text('k'): Text('v')}, 'none': None, 'ratio': 0.5})
    assert copied == {'pair': [1, ['a', 'b']], '7': {'k': 'v'}, 'none': None, 'ratio': 0.5}
    # Exactly str, not a subclass: the class itself is compared.
    assert copied['pair'][1][1].__class__ is str and all(key.__class__ is str for key in copied['7'])
    assert copied['7']['k'].__class__ is str
