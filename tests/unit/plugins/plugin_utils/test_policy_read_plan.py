# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The read plan of the policy: which parts of migration_state_info the gate calls, with which options.

The expected plans are the ones the role's Jinja built before the plan moved into
Python (roles/migration_health/tasks/gate.yml at 4d4a5c1), one per combination of
variables the role supports: ids, ``all``, nothing, dicts with overrides, other windows.
"""

from pathlib import Path

import pytest
import yaml
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.hwcloud.migration.plugins.module_utils._reads.bundle import READS as BUNDLE_READS
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.names import READ_NAMES
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import MigrationHealthError
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.policy import normalise_policy, read_plan

ROLE = Path(__file__).resolve().parents[4] / 'roles' / 'migration_health'
TASK_A = '0d146099-8cf4-437d-b6ef-88e043771c8b'
TASK_B = '4fb05cd2-c94e-44e4-a07f-e65a2f01ebcb'
DATASET = 'WxCREuCkBSAlQr9xrde'
MIGRATION_TASK = '1700000000001'
GROUP = 'b3e3ab32-2bd1-4f4b-9e3e-4a1d6a8d7c01'

# What the role's Jinja gave the statistics part for the default window.
STATISTICS = {
    'data_type': ['REQUEST', 'SUCCESS', 'FAILURE', 'SKIP', 'SIZE'],
    'return_data_types': ['REQUEST', 'SUCCESS', 'FAILURE'],
    'start_time': '-1h',
    'end_time': 'now',
}


def plan(**settings):
    return normalise_policy(settings)['read_plan']


def test_listed_sync_tasks_read_their_details_and_their_statistics_by_id():
    assert plan(sync_tasks=[TASK_A, TASK_B]) == {
        'sync_task_info': {'sync_task_ids': [TASK_A, TASK_B], 'details': True},
        'sync_task_statistics_info': dict(STATISTICS, sync_task_ids=[TASK_A, TASK_B]),
    }


def test_all_sync_tasks_list_the_project_and_read_the_statistics_of_what_was_found():
    assert plan(sync_tasks='all') == {'sync_task_info': {'details': True}, 'sync_task_statistics_info': STATISTICS}
    assert plan(sync_tasks=' ALL ') == plan(sync_tasks='all')


def test_per_task_overrides_do_not_reach_the_reads_and_a_repeated_id_is_read_once():
    overridden = [{'id': TASK_A, 'max_window_failure_ratio': 0.2, 'max_stall_age': '2h'}, TASK_B, TASK_A]
    assert plan(sync_tasks=overridden) == plan(sync_tasks=[TASK_A, TASK_B])


def test_ids_in_the_plan_are_the_validated_ones():
    got = plan(sync_tasks=['  %s ' % TASK_A, 12345])
    assert got['sync_task_info']['sync_task_ids'] == [TASK_A, '12345']
    assert got['sync_task_statistics_info']['sync_task_ids'] == [TASK_A, '12345']


@pytest.mark.parametrize('window, start_time', [('1h', '-1h'), ('15m', '-15m'), (' 1h30m ', '-1h30m'), ('1d', '-1d')])
def test_the_statistics_look_back_over_the_window(window, start_time):
    statistics = plan(sync_tasks=[TASK_A], window=window)['sync_task_statistics_info']
    assert statistics['start_time'] == start_time and statistics['end_time'] == 'now'


@pytest.mark.parametrize(
    'settings',
    [
        {'skip_checks': ['window-statistics', 'window-failure-ratio', 'window-failed-objects', 'stall']},
        {'full_series': True},
        {'max_window_failure_ratio': None, 'max_window_failed_objects': None, 'max_stall_age': None},
        {'allowed_task_statuses': ['SYNCHRONIZING', 'STOPPED']},
    ],
)
def test_switched_off_checks_and_thresholds_leave_the_reads_as_they_are(settings):
    # The role always read the statistics of the gated tasks: skipped checks are still evaluated and reported.
    assert plan(sync_tasks=[TASK_A], **settings) == plan(sync_tasks=[TASK_A])


def test_datasets_alone_read_only_the_dataset_syncs():
    assert plan(datasets=[DATASET, {'id': DATASET, 'allowed_dataset_statuses': ['COMPLETED', 'SYNCING']}]) == {'dataset_sync_info': {'dataset_ids': [DATASET]}}


def test_migration_tasks_and_groups_by_id():
    assert plan(migration_tasks=[MIGRATION_TASK, {'id': MIGRATION_TASK, 'deadline': '+6h'}], task_groups=[GROUP]) == {
        'migration_task_info': {'task_ids': [MIGRATION_TASK]},
        'task_group_info': {'group_ids': [GROUP]},
    }


def test_all_migration_tasks_and_groups_list_the_project():
    assert plan(migration_tasks='all') == {'migration_task_info': {}}
    assert plan(task_groups='all') == {'task_group_info': {}}
    assert plan(migration_tasks='all', task_groups='all') == {'migration_task_info': {}, 'task_group_info': {}}


def test_empty_selections_are_not_read():
    assert plan(sync_tasks=[], datasets=[], migration_tasks=[], task_groups=[GROUP]) == {'task_group_info': {'group_ids': [GROUP]}}
    assert plan(sync_tasks=None, datasets=[DATASET], migration_tasks=None, task_groups=None) == {'dataset_sync_info': {'dataset_ids': [DATASET]}}


def test_everything_at_once_reads_every_part_in_the_order_of_the_read_registry():
    got = plan(sync_tasks='all', datasets=[DATASET], migration_tasks=[MIGRATION_TASK], task_groups='all', window='30m', failed_object_details=True)
    assert list(got) == list(READ_NAMES)
    assert got == {
        'sync_task_info': {'details': True},
        'sync_task_statistics_info': dict(STATISTICS, start_time='-30m'),
        'dataset_sync_info': {'dataset_ids': [DATASET]},
        'migration_task_info': {'task_ids': [MIGRATION_TASK]},
        'task_group_info': {},
        # No ids: the lists of the failing subjects the reads above return.
        'failed_objects_info': {'max_objects': 20},
    }


def test_nothing_to_gate_has_no_plan_it_is_refused():
    with pytest.raises(MigrationHealthError, match='nothing to gate'):
        normalise_policy({'sync_tasks': [], 'datasets': []})


def test_an_invalid_id_never_reaches_a_plan():
    with pytest.raises(MigrationHealthError, match=r'sync_tasks\[0\]'):
        normalise_policy({'sync_tasks': [{'not': 'an id'}]})
    with pytest.raises(MigrationHealthError, match='migration_tasks'):
        normalise_policy({'migration_tasks': ['not-a-number']})


def test_the_plan_is_computed_from_a_normalised_policy_without_changing_it():
    policy = normalise_policy({'sync_tasks': [TASK_A], 'datasets': [DATASET]})
    copy = dict(policy, read_plan=None)
    assert read_plan(copy) == policy['read_plan']
    # The plan holds copies: changing it does not change the policy's own lists.
    policy['read_plan']['sync_task_info']['sync_task_ids'].append('other')
    assert policy['sync_task_ids'] == [TASK_A]


@pytest.mark.parametrize(
    'settings',
    [
        {'sync_tasks': [TASK_A, TASK_B]},
        {'sync_tasks': 'all'},
        {'sync_tasks': 'all', 'datasets': [DATASET], 'migration_tasks': 'all', 'task_groups': [GROUP]},
        {'datasets': [DATASET], 'migration_tasks': [MIGRATION_TASK], 'task_groups': 'all', 'window': '2h'},
    ],
)
def test_every_part_of_a_plan_is_accepted_by_its_read(settings):
    reads = {read.name: read for read in BUNDLE_READS}
    for name, options in plan(**settings).items():
        read = reads[name]
        validation = ArgumentSpecValidator(read.argument_spec, mutually_exclusive=read.mutually_exclusive or None).validate(dict(options))
        assert not validation.error_messages, (name, options, validation.error_messages)


def test_the_role_passes_every_part_of_the_plan_through_and_nothing_else():
    tasks = yaml.safe_load((ROLE / 'tasks' / 'gate.yml').read_text())
    [read] = [task for task in tasks[0]['block'] if 'hwcloud.migration.migration_state_info' in task]
    parts = {key: value for key, value in read['hwcloud.migration.migration_state_info'].items() if key != 'max_concurrency'}
    assert list(parts) == list(READ_NAMES)
    for name, value in parts.items():
        assert value.replace(' ', '') == '{{migration_health__plan.%s|default(omit)}}' % name
    # No condition of its own: a valid policy always plans at least one read.
    assert 'when' not in read


# The role's read task before the plan moved into Python (gate.yml at 4d4a5c1), verbatim:
# rendered against the same policy, it must give the same parts as the plan.
OLD_READ_SYNC_TASKS = '{{ migration_health__policy.all_sync_tasks or migration_health__policy.sync_task_ids | length > 0 }}'
OLD_PARTS = {
    'sync_task_info': "{{ (({} if migration_health__policy.all_sync_tasks else {'sync_task_ids': migration_health__policy.sync_task_ids})"
    " | combine({'details': true})) if migration_health__read_sync_tasks else omit }}",
    'sync_task_statistics_info': '{{ (migration_health__statistics | combine({} if migration_health__policy.all_sync_tasks'
    " else {'sync_task_ids': migration_health__policy.sync_task_ids})) if migration_health__read_sync_tasks else omit }}",
    'dataset_sync_info': "{{ {'dataset_ids': migration_health__policy.dataset_ids} if migration_health__policy.dataset_ids | length > 0 else omit }}",
    'migration_task_info': "{{ ({} if migration_health__policy.all_migration_tasks else {'task_ids': migration_health__policy.migration_task_ids})"
    ' if migration_health__policy.all_migration_tasks or migration_health__policy.migration_task_ids | length > 0 else omit }}',
    'task_group_info': "{{ ({} if migration_health__policy.all_task_groups else {'group_ids': migration_health__policy.task_group_ids})"
    ' if migration_health__policy.all_task_groups or migration_health__policy.task_group_ids | length > 0 else omit }}',
}
SELECTIONS = {
    'sync_tasks': [[], [TASK_A], [TASK_A, {'id': TASK_B, 'max_stall_age': '2h'}], 'all'],
    'datasets': [[], [DATASET]],
    'migration_tasks': [[], [MIGRATION_TASK], 'all'],
    'task_groups': [[], [GROUP], 'all'],
}


def _old_templates():
    from jinja2.nativetypes import NativeEnvironment

    env = NativeEnvironment()
    env.filters['combine'] = lambda base, extra: dict(base, **extra)
    return env.from_string(OLD_READ_SYNC_TASKS), {name: env.from_string(text) for name, text in OLD_PARTS.items()}


def _old_parts(policy, templates):
    """The parts the old Jinja gave for ``policy`` (omitted ones left out)."""
    read_sync_tasks, parts = templates
    omit = object()
    context = {'migration_health__policy': policy, 'omit': omit}
    context['migration_health__read_sync_tasks'] = read_sync_tasks.render(context)
    # As the role's task variable: the window as the policy gives it, after a minus.
    context['migration_health__statistics'] = dict(STATISTICS, start_time='-%s' % policy['window'])
    rendered = {name: template.render(context) for name, template in parts.items()}
    return {name: value for name, value in rendered.items() if value is not omit}


def _combinations():
    import itertools

    for values in itertools.product(*SELECTIONS.values()):
        settings = dict(zip(SELECTIONS, values))
        if any(value for value in values):
            yield settings


@pytest.mark.parametrize('window', ['1h', '45m'])
def test_the_plan_gives_the_reads_the_role_made_for_every_combination_of_selections(window):
    templates = _old_templates()
    combinations = list(_combinations())
    assert len(combinations) == 4 * 2 * 3 * 3 - 1
    for settings in combinations:
        policy = normalise_policy(dict(settings, window=window))
        assert policy['read_plan'] == _old_parts(policy, templates), settings
