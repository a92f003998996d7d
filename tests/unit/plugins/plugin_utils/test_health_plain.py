# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ansible's tagged containers become plain data at the gate's door; the collector pause leaves the collector as found."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import gc

import pytest

from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.plain import collector_paused, plain

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


def test_the_collector_is_paused_inside_and_as_found_after():
    seen = []

    @collector_paused
    def work(fail=False):
        seen.append(gc.isenabled())
        if fail:
            raise ValueError('boom')
        return 'done'

    was = gc.isenabled()
    try:
        gc.enable()
        assert work() == 'done' and gc.isenabled()
        with pytest.raises(ValueError):
            work(fail=True)
        assert gc.isenabled()
        gc.disable()
        work()
        assert not gc.isenabled()  # a caller that paused it keeps it paused
        assert seen == [False, False, False]
    finally:
        (gc.enable if was else gc.disable)()
