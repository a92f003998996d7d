# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The events from one poll to the next (plugin_utils/_events/tracker.py), on results as the reads return them."""

from ansible_collections.hwcloud.migration.plugins.plugin_utils._events.tracker import Tracker
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.evaluate import evaluate
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.policy import normalise_policy

NOW = 1800000000000
MINUTE = 60000
DEADLINE = '2027-01-20T08:00:00Z'  # five days after NOW


def task(task_id, status=2, **fields):
    body = {'id': task_id, 'name': 'task-%d' % task_id, 'status': status, 'progress': 0.5, 'left_time': 3600000, 'failed_num': 0, 'total_num': 1000}
    body.update(error_reason=None, failed_object_record=None, successful_num=500, skipped_num=0, complete_size=50, total_size=100)
    body.update(fields)
    return body


def group(group_id, status=2, **fields):
    body = {'group_id': group_id, 'status': status, 'failed_task_num': 0, 'total_task_num': 2, 'fail_num': 0, 'success_num': 10}
    body.update(total_size=100, complete_size=50, migrate_speed=10, total_num=20, skip_num=0)
    body.update(fields)
    return body


class Watch:
    """A tracker and the policy of its watch; ``poll(...)`` evaluates results as a poll does and returns the events."""

    def __init__(self, initial_events=True, max_stall_age_ms=None, **selection):
        self.policy = normalise_policy(dict(selection, deadline=DEADLINE))
        self.tracker = Tracker(self.policy, initial_events=initial_events, max_stall_age_ms=max_stall_age_ms)

    def poll(self, now=NOW, tasks=None, groups=None, task_result=None):
        results = {}
        if tasks is not None:
            results['migration_task_info'] = dict(
                {'migration_tasks': tasks, 'missing': [], 'complete': True, 'problems': [], 'truncated': False}, **(task_result or {})
            )
        if groups is not None:
            results['task_group_info'] = {'task_groups': groups, 'missing': [], 'complete': True, 'problems': [], 'truncated': False}
        fact = evaluate(results, self.policy, now_ms=now)
        return [(event['kind'], event['id'], event['event']) for event in self.tracker.update(results, fact, now)]


def test_the_first_poll_observes_and_an_unchanged_poll_says_nothing():
    watch = Watch(migration_tasks=[1])
    assert watch.poll(tasks=[task(1)]) == [('migration_task', '1', 'observed'), ('gate', 'migration_health', 'observed')]
    assert watch.poll(tasks=[task(1, successful_num=600)]) == []
    assert watch.poll(tasks=[task(1, successful_num=700)]) == []


def test_without_initial_events_the_first_poll_only_sets_the_baseline():
    watch = Watch(initial_events=False, migration_tasks=[1])
    assert watch.poll(tasks=[task(1)]) == []
    assert watch.poll(tasks=[task(1, status=4)]) == [('migration_task', '1', 'status_changed'), ('gate', 'migration_health', 'verdict_changed')]


def test_a_failed_read_keeps_the_state_so_the_next_read_reports_what_changed_meanwhile():
    watch = Watch(initial_events=False, migration_tasks=[1])
    watch.poll(tasks=[task(1)])
    failed = {'failed': True, 'msg': 'Could not read', 'errors': [{'id': 1, 'status': 503, 'error_code': 'OMS.2004', 'request_id': 'r1', 'message': 'busy'}]}
    assert watch.poll(tasks=[], task_result=failed) == [('migration_task', '1', 'read_failed'), ('gate', 'migration_health', 'verdict_changed')]
    # Still failing: nothing new to say.
    assert watch.poll(tasks=[], task_result=failed) == []
    assert watch.poll(tasks=[task(1, status=4, failed_num=3)]) == [
        ('migration_task', '1', 'read_recovered'),
        ('migration_task', '1', 'status_changed'),
        ('migration_task', '1', 'failed_objects_increased'),
        ('gate', 'migration_health', 'verdict_changed'),
    ]


def test_a_named_task_is_deleted_only_when_the_service_says_it_does_not_exist():
    watch = Watch(initial_events=False, migration_tasks=[1])
    watch.poll(tasks=[task(1)])
    assert watch.poll(tasks=[], task_result={'missing': [1]}) == [('migration_task', '1', 'deleted'), ('gate', 'migration_health', 'verdict_changed')]
    assert watch.poll(tasks=[], task_result={'missing': [1]}) == []
    # Created again under the same id: observed again.
    assert watch.poll(tasks=[task(1)])[0] == ('migration_task', '1', 'observed')


def test_with_all_a_cut_short_listing_deletes_nothing_and_a_complete_one_does():
    watch = Watch(initial_events=False, migration_tasks='all')
    watch.poll(tasks=[task(1), task(2)])
    truncated = watch.poll(tasks=[task(1)], task_result={'truncated': True})
    assert ('migration_task', '2', 'deleted') not in truncated
    assert watch.poll(tasks=[task(1)])[0] == ('migration_task', '2', 'deleted')
    assert ('migration_task', '2') not in watch.tracker.resources


def test_the_deadline_events_follow_the_gate_s_deadline_check():
    watch = Watch(initial_events=False, migration_tasks=[1])
    watch.poll(tasks=[task(1)])
    # No estimate while running: the gate's check fails, so the deadline is at risk.
    assert watch.poll(tasks=[task(1, left_time=None)]) == [('migration_task', '1', 'deadline_at_risk'), ('gate', 'migration_health', 'verdict_changed')]
    assert watch.poll(tasks=[task(1)]) == [('migration_task', '1', 'deadline_ok'), ('gate', 'migration_health', 'verdict_changed')]


def test_a_running_task_without_one_more_successful_object_for_max_stall_age_is_stalled():
    watch = Watch(initial_events=False, max_stall_age_ms=10 * MINUTE, migration_tasks=[1], task_groups=['g'])
    watch.poll(tasks=[task(1)], groups=[group('g')])
    assert watch.poll(now=NOW + 9 * MINUTE, tasks=[task(1)], groups=[group('g')]) == []
    assert watch.poll(now=NOW + 10 * MINUTE, tasks=[task(1)], groups=[group('g')]) == [('migration_task', '1', 'stalled'), ('task_group', 'g', 'stalled')]
    assert watch.poll(now=NOW + 11 * MINUTE, tasks=[task(1, successful_num=501)], groups=[group('g')]) == [('migration_task', '1', 'recovered')]
    # A task that is not meant to progress (stopped) is not stalled, however long it waits.
    watch = Watch(initial_events=False, max_stall_age_ms=10 * MINUTE, migration_tasks=[1])
    watch.poll(tasks=[task(1, status=3)])
    assert watch.poll(now=NOW + 60 * MINUTE, tasks=[task(1, status=3)]) == []


def test_a_value_the_answer_lacks_is_unknown_never_a_change():
    watch = Watch(initial_events=False, migration_tasks=[1])
    watch.poll(tasks=[task(1, failed_num=5)])
    broken = task(1, failed_num=None)
    events = watch.poll(tasks=[broken], task_result={'complete': False, 'problems': [{'id': 1, 'field': 'failed_num', 'message': 'null'}]})
    assert events == [('gate', 'migration_health', 'verdict_changed')]
    assert watch.poll(tasks=[task(1, failed_num=5)]) == [('gate', 'migration_health', 'verdict_changed')]


def test_the_state_is_a_few_scalars_per_resource():
    watch = Watch(initial_events=False, migration_tasks='all')
    for poll in range(3):
        watch.poll(now=NOW + poll, tasks=[task(number, successful_num=poll) for number in range(50)])
    assert len(watch.tracker.resources) == 50
    assert all(isinstance(value, (bool, int, str, type(None))) for state in watch.tracker.resources.values() for value in state.values())
