# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The retry rounds against a fake of the collection's modules: what is sent, when, and what each outcome is."""

from ansible_collections.hwcloud.migration.plugins.plugin_utils._retry.rounds import end_ms, node_credentials, run_rounds, summary_lines

TASK_INFO, GROUP_INFO = 'hwcloud.migration.oms_migration_task_info', 'hwcloud.migration.oms_task_group_info'
TASK, GROUP = 'hwcloud.migration.oms_migration_task', 'hwcloud.migration.oms_task_group'
NO_DEADLINE = {'deadline': None, 'deadline_ms': None, 'deadline_offset_ms': None}


def plan(tasks=(), groups=(), *, every_task=False, attempts=3, timeout=600, deadline=None, deadlines=None):
    return {
        'migration_tasks': {'all': every_task, 'ids': [str(task) for task in tasks], 'deadlines': deadlines or {}},
        'task_groups': {'all': False, 'ids': list(groups), 'deadlines': {}},
        'deadline': deadline or NO_DEADLINE,
        'attempts': attempts,
        'timeout': timeout,
        'poll_interval': 1.0,
        'failed_objects_only': True,
    }


class FakeModules:
    """The modules: reads answer ``tasks``/``groups``; a wait answers the next of ``waits[id]`` (default succeeded)."""

    def __init__(self, tasks=(), groups=(), waits=None, refuse=(), clock=None):
        self.tasks, self.groups, self.waits, self.refuse = list(tasks), list(groups), dict(waits or {}), set(refuse)
        self.calls = []
        self.clock = clock

    def __call__(self, module, args):
        self.calls.append((module, dict(args)))
        if module == TASK_INFO:
            return {'migration_tasks': self.tasks}
        if module == GROUP_INFO:
            return {'task_groups': self.groups}
        key = 'migration_task' if module == TASK else 'task_group'
        if args['state'] == 'started':
            if args['id'] in self.refuse:
                return {'failed': True, 'msg': 'HTTP 400 OMS.0001', 'status': 400, 'error_code': 'OMS.0001', 'request_id': 'r-1'}
            return {'changed': True, key: {'status': 6}}
        if self.clock:
            self.clock.now += 60000
        outcome = (self.waits.get(args['id']) or ['succeeded']).pop(0) if self.waits.get(args['id']) else 'succeeded'
        if outcome == 'failed':
            failed = 4 if module == TASK else 5
            return {'failed': True, 'msg': 'ended failed', key: {'status': failed}, 'failed_num': 2, 'fail_num': 2, 'error_reason': {'error_code': 'TRF.0062'}}
        if outcome == 'timed_out':
            return {'failed': True, 'msg': 'Timed out', 'timed_out': True, key: {'status': 6}}
        return {'changed': False, key: {'status': 5 if module == TASK else 6, 'failed_num': 0, 'fail_num': 0}}


class Clock:
    def __init__(self):
        self.now = 1_000_000

    def __call__(self):
        return self.now


CREDENTIALS = {'src': {'ak': 'A', 'sk': 'S'}, 'dst': {'ak': 'B', 'sk': 'T'}, 'by_id': {}}


def sent(fake, state):
    return [(module, args['id']) for module, args in fake.calls if args.get('state') == state]


def test_only_the_failed_ones_are_retried_and_a_group_member_is_left_to_its_group():
    fake = FakeModules(
        tasks=[{'id': 1, 'status': 4}, {'id': 2, 'status': 5}, {'id': 3, 'status': 4, 'group_id': 'g'}, {'id': 4, 'status': None}],
        groups=[{'group_id': 'g', 'status': 5}],
    )
    outcome = run_rounds(plan([1, 2, 3, 4], ['g']), call=fake, clock=Clock(), check_mode=False, credentials=CREDENTIALS)
    assert sent(fake, 'started') == [(GROUP, 'g'), (TASK, '1')]
    assert [(entry['id'], entry['outcome'], entry['attempts']) for entry in outcome['retried']] == [('g', 'succeeded', 1), ('1', 'succeeded', 1)]
    assert {entry['id']: entry['reason'] for entry in outcome['left']} == {
        '2': 'not failed',
        '3': 'retried with its task group g',
        '4': 'its status could not be read',
    }
    assert outcome['changed'] is True and outcome['errors'] == []
    retry = next(args for module, args in fake.calls if args.get('state') == 'started')
    assert retry['failed_objects_only'] is True and retry['src_node'] == {'ak': 'A', 'sk': 'S'}
    wait = next(args for module, args in fake.calls if args.get('state') == 'present')
    assert wait['wait'] is True and wait['wait_for'] == 'finished' and 'src_node' not in wait


def test_a_task_that_fails_again_is_retried_each_round_up_to_the_attempts():
    fake = FakeModules(tasks=[{'id': 1, 'status': 4}], waits={'1': ['failed', 'failed', 'failed']})
    outcome = run_rounds(plan([1], attempts=3), call=fake, clock=Clock(), check_mode=False, credentials=CREDENTIALS)
    (entry,) = outcome['retried']
    assert (entry['outcome'], entry['attempts'], entry['retries_sent'], entry['failed_objects']) == ('failed', 3, 3, 2)
    assert len(sent(fake, 'started')) == 3 and outcome['errors'] == []
    assert summary_lines(outcome)[1] == 'migration task 1: still failed after 3 round(s), 2 failed object(s)'


def test_a_task_that_heals_in_the_second_round_stops_there():
    fake = FakeModules(tasks=[{'id': 1, 'status': 4}], waits={'1': ['failed', 'succeeded']})
    outcome = run_rounds(plan([1], attempts=5), call=fake, clock=Clock(), check_mode=False, credentials=CREDENTIALS)
    assert outcome['retried'][0]['outcome'] == 'succeeded' and outcome['retried'][0]['attempts'] == 2


def test_check_mode_reads_and_sends_nothing_else():
    fake = FakeModules(tasks=[{'id': 1, 'status': 4}])
    outcome = run_rounds(plan([1]), call=fake, clock=Clock(), check_mode=True, credentials=CREDENTIALS)
    assert [module for module, _args in fake.calls] == [TASK_INFO]
    assert outcome['retried'][0]['outcome'] == 'would_retry' and outcome['changed'] is True


def test_a_refused_retry_is_an_error_with_the_service_fields_and_no_credential():
    fake = FakeModules(tasks=[{'id': 1, 'status': 4}, {'id': 2, 'status': 4}], refuse={'1'})
    outcome = run_rounds(plan([1, 2]), call=fake, clock=Clock(), check_mode=False, credentials=CREDENTIALS)
    (error,) = outcome['errors']
    expected = {'step': 'retry', 'msg': 'HTTP 400 OMS.0001', 'http_status': 400, 'error_code': 'OMS.0001', 'request_id': 'r-1'}
    assert error == dict(expected, kind='migration_task', id='1')
    assert [entry['outcome'] for entry in outcome['retried']] == ['error', 'succeeded']
    assert 'src_node' not in repr(outcome) and "'sk'" not in repr(outcome)


def test_the_wait_ends_at_the_timeout_or_the_deadline_and_no_round_starts_after_it():
    clock = Clock()
    fake = FakeModules(tasks=[{'id': 1, 'status': 4}], waits={'1': ['failed', 'failed']}, clock=clock)
    # A deadline 90 s away: the first wait may take 90 s (each wait of the fake takes 60),
    # the second the 30 s left, and no third round starts.
    deadline = {'deadline': '+90s', 'deadline_ms': None, 'deadline_offset_ms': 90000}
    outcome = run_rounds(plan([1], attempts=3, deadline=deadline), call=fake, clock=clock, check_mode=False, credentials=CREDENTIALS)
    waits = [args['wait_timeout'] for _module, args in fake.calls if args.get('state') == 'present']
    assert waits == [90, 30]
    assert outcome['retried'][0]['outcome'] == 'out_of_time' and outcome['retried'][0]['attempts'] == 2


def test_a_timed_out_wait_is_not_retried_again():
    fake = FakeModules(tasks=[{'id': 1, 'status': 4}], waits={'1': ['timed_out']})
    outcome = run_rounds(plan([1]), call=fake, clock=Clock(), check_mode=False, credentials=CREDENTIALS)
    assert outcome['retried'][0]['outcome'] == 'timed_out' and len(sent(fake, 'started')) == 1 and outcome['errors'] == []


def test_end_ms_takes_the_sooner_of_timeout_and_deadline():
    absolute = plan([1], timeout=600, deadlines={'1': {'deadline': 'x', 'deadline_ms': 1_100_000, 'deadline_offset_ms': None}})
    assert end_ms(absolute, 'migration_task', '1', 1_000_000) == 1_100_000
    assert end_ms(plan([1], timeout=60), 'migration_task', '1', 1_000_000) == 1_060_000


def test_an_id_override_replaces_the_side_it_names_whole():
    credentials = dict(CREDENTIALS, by_id={'7': {'src': {'ak': 'X', 'security_token': None}}})
    assert node_credentials('7', credentials) == ({'ak': 'X'}, {'ak': 'B', 'sk': 'T'})
    assert node_credentials('8', credentials) == ({'ak': 'A', 'sk': 'S'}, {'ak': 'B', 'sk': 'T'})


def test_read_failures_and_missing_ids_are_errors_and_what_was_read_is_still_retried():
    def call(module, args):
        if module == TASK_INFO:
            return {
                'failed': True,
                'msg': 'some reads failed',
                'migration_tasks': [{'id': 1, 'status': 4}],
                'missing': ['9'],
                'errors': [{'id': '3', 'status': 503, 'error_code': 'OMS.2004', 'request_id': 'r-3', 'message': 'HTTP 503'}],
            }
        return FakeModules()(module, args)

    outcome = run_rounds(plan([1, 3, 9]), call=call, clock=Clock(), check_mode=False, credentials=CREDENTIALS)
    assert [entry['id'] for entry in outcome['retried']] == ['1']
    assert [(error['id'], error['step']) for error in outcome['errors']] == [('9', 'read'), ('3', 'read')]
    assert outcome['errors'][1]['http_status'] == 503 and outcome['errors'][1]['request_id'] == 'r-3'
