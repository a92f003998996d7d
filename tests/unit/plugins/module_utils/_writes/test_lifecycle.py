# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writer: check mode sends nothing, OMS.0063 is sent again within the deadline, "already done" codes end a write, waits time out."""

import pytest

from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError
from ansible_collections.hwcloud.migration.plugins.module_utils._writes.lifecycle import WAIT_ARGUMENT_SPEC, WriteError, Writer, check_wait_options


class Clock:
    """A clock that moves only when the writer sleeps."""

    def __init__(self):
        self.now = 0.0
        self.slept = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


class Client:
    """Answers each write from a queue: a body, or an exception to raise."""

    secrets = ()

    def __init__(self, *answers):
        self.answers = list(answers)
        self.sent = []

    def build_path(self, template, params):
        return template.format(project_id='p1', **params)

    def _answer(self, method, path, params, body):
        self.sent.append((method, self.build_path(path, params), body))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer, {'status': 200, 'request_id': 'r-%d' % len(self.sent)}

    def post_json(self, path, path_params=None, body=None):
        return self._answer('POST', path, path_params, body)

    def put_json(self, path, path_params=None, body=None, repeatable=True):
        return self._answer('PUT', path, path_params, body)

    def delete(self, path, path_params=None):
        return self._answer('DELETE', path, path_params, None)


def refusal(code, status=400):
    return HuaweiCloudError('refused', status=status, code=code, request_id='rq-' + code, method='POST', url='https://oms/x')


def writer(client, clock, check_mode=False, timeout=10, interval=2):
    return Writer(client, check_mode=check_mode, wait_timeout=timeout, poll_interval=interval, clock=clock, sleep=clock.sleep)


PATH = '/v2/{project_id}/tasks/{task_id}/stop'


def test_check_mode_records_the_call_and_sends_nothing():
    client, clock = Client(), Clock()
    w = writer(client, clock, check_mode=True)
    assert w.send('StopTask', 'POST', PATH, {'task_id': '7'}, what='stop') is None
    assert client.sent == [] and w.actions[0]['sent'] is False and w.actions[0]['path'] == '/v2/p1/tasks/7/stop'


def test_in_progress_is_sent_again_until_accepted_and_counted():
    client, clock = Client(refusal('OMS.0063'), refusal('OMS.0063'), None), Clock()
    w = writer(client, clock)
    w.send('StartTask', 'POST', PATH, {'task_id': '7'}, {'src_ak': 'a'}, what='start')
    assert len(client.sent) == 3 and clock.slept == [2, 2]
    assert w.actions == [
        dict(call='StartTask', method='POST', path='/v2/p1/tasks/7/stop', sent=True, status=200, error_code=None, request_id='r-3', result='done', resends=2)
    ]


def test_in_progress_past_the_deadline_fails_with_the_service_details():
    client, clock = Client(*[refusal('OMS.0063')] * 10), Clock()
    w = writer(client, clock, timeout=5, interval=2)
    with pytest.raises(WriteError) as info:
        w.send('StartTask', 'POST', PATH, {'task_id': '7'}, what='start task 7')
    assert len(client.sent) == 4 and sum(clock.slept) == 5  # the last pause ends at the deadline, not after it
    assert 'in progress at the wait_timeout deadline (3 resends)' in info.value.result['msg']
    assert info.value.result['error_code'] == 'OMS.0063' and info.value.result['request_id'] == 'rq-OMS.0063'
    assert w.actions[-1]['result'] == 'failed'


def test_done_codes_end_the_write_without_a_resend():
    client, clock = Client(refusal('OMS.0066')), Clock()
    w = writer(client, clock)
    w.send('StopTask', 'POST', PATH, {'task_id': '7'}, done_codes={'OMS.0066': 'already not running'}, what='stop')
    assert len(client.sent) == 1 and w.actions[0]['result'] == 'already not running' and w.actions[0]['error_code'] == 'OMS.0066'


def test_any_other_refusal_fails_at_once_naming_status_code_and_request_id():
    client, clock = Client(refusal('OMS.0001')), Clock()
    w = writer(client, clock)
    with pytest.raises(WriteError) as info:
        w.send('DeleteTask', 'DELETE', PATH, {'task_id': '7'}, done_codes={'OMS.1009': 'gone'}, what='delete task 7')
    result = info.value.result
    assert result['msg'].startswith('Could not delete task 7: ') and 'OMS.0001' in result['msg'] and 'rq-OMS.0001' in result['msg']
    assert (result['status'], result['error_code']) == (400, 'OMS.0001') and clock.slept == []


def test_wait_polls_until_settled_and_times_out_with_the_last_read():
    clock = Clock()
    w = writer(Client(), clock, timeout=5, interval=2)
    reads = iter([1, 1, 2])
    assert w.wait(lambda: next(reads), lambda status: status == 2, what='running', describe=str) == 2
    assert clock.slept == [2, 2]
    with pytest.raises(WriteError) as info:
        w.wait(lambda: 1, lambda status: status == 2, what='task 7 is running', describe=lambda s: 'status %s' % s)
    assert info.value.result['resource'] == 1 and info.value.result['timed_out'] is True
    assert 'waiting until task 7 is running; it is status 1' in info.value.result['msg']


@pytest.mark.parametrize(
    'changes, message',
    [({'wait_timeout': 0}, 'wait_timeout must be 1 to'), ({'poll_interval': 0.01}, 'poll_interval must be'), ({'poll_interval': 99999.0}, 'poll_interval')],
)
def test_wait_options_are_bounded(changes, message):
    params = dict((name, spec['default']) for name, spec in WAIT_ARGUMENT_SPEC.items())
    check_wait_options(params)
    params.update(changes)
    with pytest.raises(WriteError, match=message):
        check_wait_options(params)
