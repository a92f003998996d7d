# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What an event may show (plugin_utils/_events/shown.py): no Jinja opener from an API, ids as the modules take them."""

import json

import pytest

from ansible_collections.hwcloud.migration.plugins.plugin_utils._events.poller import Poller
from ansible_collections.hwcloud.migration.plugins.plugin_utils._events.settings import watch_settings
from ansible_collections.hwcloud.migration.plugins.plugin_utils._events.shown import checked_id, defang, shown_event

OPENERS = ('{{', '{%', '{#')
TEMPLATED_NAME = "{{ lookup('pipe', 'touch /tmp/pwned') }}"
TEMPLATED_GROUP = '{{ 7 * 7 }}'


@pytest.mark.parametrize(
    'text, shown',
    [
        ('{{ x }}', '{ { x }}'),
        ('{% if 1 %}yes{% endif %}', '{ % if 1 %}yes{ % endif %}'),
        ('{# note #}', '{ # note #}'),
        ('{{{x}}}', '{ { {x}}}'),
        ('{{{{', '{ { { {'),
        ('{"json": {"nested": 1}}', '{"json": {"nested": 1}}'),
        ('photos-2024', 'photos-2024'),
        ('', ''),
    ],
)
def test_defang_breaks_every_jinja_opener_and_leaves_other_text_alone(text, shown):
    assert defang(text) == shown
    assert not any(opener in defang(text) for opener in OPENERS)
    # Once is enough: a defanged text stays as it is.
    assert defang(defang(text)) == defang(text)


@pytest.mark.parametrize(
    'kind, value, expected',
    [
        ('migration_task', 1001, '1001'),
        ('migration_task', '1001', '1001'),
        ('migration_task', 'tasks[3]', None),
        ('migration_task', '{{ 7 * 7 }}', None),
        ('migration_task', True, None),
        ('task_group', '6b1e-4d2a-group', '6b1e-4d2a-group'),
        ('task_group', TEMPLATED_GROUP, None),
        ('task_group', 'x{%y', None),
        ('task_group', 'a\nb', None),
        ('task_group', 'g' * 256, None),
        ('sync_task', '7a4b2c1d-5e6f-4a8b-9c0d-1e2f3a4b5c6d', '7a4b2c1d-5e6f-4a8b-9c0d-1e2f3a4b5c6d'),
        ('dataset', '..', None),
        ('gate', 'migration_health', 'migration_health'),
        ('source', None, None),
    ],
)
def test_an_event_id_is_kept_only_when_the_modules_take_it_and_it_holds_no_opener(kind, value, expected):
    assert checked_id(kind, value) == expected


def test_a_shown_event_masks_then_defangs_every_text_keys_included():
    event = {
        'kind': 'task_group',
        'id': TEMPLATED_GROUP,
        'event': 'status_changed',
        'previous': {'status_name': 'monitoring'},
        'current': {'{{ key }}': ['{% set x = 1 %}', 'secret-sk {{ x }}']},
        'summary': {'id': TEMPLATED_GROUP, 'description': '{# hidden #}'},
        'time': '2026-12-06T00:00:00.000Z',
        'time_ms': 0,
    }
    shown = shown_event(event, {'secret-sk'})
    assert shown['id'] is None
    assert shown['current'] == {'{ { key }}': ['{ % set x = 1 %}', '******** { { x }}']}
    assert shown['summary'] == {'id': '{ { 7 * 7 }}', 'description': '{ # hidden #}'}
    assert shown['previous'] == {'status_name': 'monitoring'} and shown['time_ms'] == 0


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@pytest.mark.hwc_scenario(
    {
        'credentials': {'access_keys': [{'access_key': 'AKSHOWNEVENTS0000001', 'secret_key': 'SKshown-events-secret'}]},
        'migration_tasks': [
            {
                'id': 1001,
                'name': TEMPLATED_NAME,
                'description': '{% for x in range(9) %}{{ x }}{% endfor %}',
                'status': 'failed',
                'total_size': 100,
                'complete_size': 40,
                'failed_objects': 3,
                'error_reason': {'error_code': 'TRF.0152', 'error_msg': '{{ lookup("env", "HOME") }} {# denied #}'},
                'group_id': TEMPLATED_GROUP,
            }
        ],
        'task_groups': [{'group_id': TEMPLATED_GROUP, 'description': '{{ q }}', 'status': 'migration_failed'}],
    }
)
def test_no_text_the_api_answers_reaches_the_queue_as_a_template(hwc_emulator):
    args = dict(hwc_emulator.connection, retries=0, interval=0, max_backoff=0, migration_tasks='all', task_groups='all')
    events = Poller(watch_settings(args, now=0)).poll()
    kinds = {(event['kind'], event['event']) for event in events}
    assert {('migration_task', 'observed'), ('task_group', 'observed'), ('gate', 'observed')} <= kinds
    texts = list(_strings(events))
    assert not [text for text in texts if any(opener in text for opener in OPENERS)]
    # The API's texts are there, defanged, not dropped.
    assert "{ { lookup('pipe', 'touch /tmp/pwned') }}" in json.dumps(events)
    task = next(event for event in events if event['kind'] == 'migration_task')
    group = next(event for event in events if event['kind'] == 'task_group')
    assert task['id'] == '1001' and task['summary']['name'] == "{ { lookup('pipe', 'touch /tmp/pwned') }}"
    # A group id no module would put in a path without its opener: no id, the summary still says which.
    assert group['id'] is None and group['summary']['id'] == '{ { 7 * 7 }}'
