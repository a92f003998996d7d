# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One poll (plugin_utils/_events/poller.py): a failure is an event, never an exception, and no secret shows."""

import json

from ansible_collections.hwcloud.migration.plugins.plugin_utils._events import poller as poller_module
from ansible_collections.hwcloud.migration.plugins.plugin_utils._events.poller import Poller
from ansible_collections.hwcloud.migration.plugins.plugin_utils._events.settings import watch_settings

SECRET = 'sk-never-shown-anywhere'


def make_poller(fake_server, **args):
    connection = {'region': 'cn-north-4', 'endpoint': fake_server.url, 'iam_endpoint': fake_server.url, 'access_key': 'AK0000000000000000'}
    connection.update(secret_key=SECRET, project_id='0123456789abcdef0123456789abcdef', retries=0, interval=0, max_backoff=0)
    connection.update(args)
    return Poller(watch_settings(connection, now=0))


def test_an_answer_that_echoes_the_secret_is_masked_in_every_event(fake_server):
    fake_server.handler = lambda request: (500, {'X-Request-Id': 'req-' + SECRET}, {'error_code': 'OMS.1001', 'error_msg': 'internal ' + SECRET})
    events = make_poller(fake_server, migration_tasks=[7]).poll()
    assert [event['event'] for event in events] == ['read_failed', 'observed']
    assert SECRET not in json.dumps(events)


def test_an_unexpected_error_in_a_poll_is_one_source_event_then_its_recovery(fake_server, monkeypatch):
    task = {'id': 7, 'name': 't', 'status': 5, 'progress': 1, 'left_time': 0, 'failed_num': 0, 'total_num': 1, 'error_reason': None}
    fake_server.handler = lambda request: (200, {}, dict(task, failed_object_record=None))
    poller = make_poller(fake_server, migration_tasks=[7])

    def broken(*args, **kwargs):
        raise KeyError(SECRET)

    working = poller_module.evaluate
    monkeypatch.setattr(poller_module, 'evaluate', broken)
    first, second = poller.poll(), poller.poll()
    assert [(event['kind'], event['event']) for event in first] == [('source', 'read_failed')]
    assert first[0]['current']['message'] == 'the poll stopped on an unexpected KeyError' and second == []
    assert poller.failed_polls == 2
    monkeypatch.setattr(poller_module, 'evaluate', working)
    events = poller.poll()
    assert [(event['kind'], event['event']) for event in events][:2] == [('source', 'read_recovered'), ('migration_task', 'observed')]
    assert poller.failed_polls == 0
