# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Answers that disagree with themselves: listings that do not add up, foreign ids, bare 404s."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from module_runner import run_module  # noqa: F401  pylint: disable=unused-import

from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError
from ansible_collections.hwcloud.migration.plugins.module_utils._reads import migration as _reads_migration
from ansible_collections.hwcloud.migration.plugins.module_utils._reads import sync_tasks as _reads_sync
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.names import ReadName
from ansible_collections.hwcloud.migration.plugins.modules import modelarts_dataset_sync_info, oms_migration_task_info, oms_sync_task_info, oms_task_group_info
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.kinds import KindRead
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.results import ReadOutcome, subject_issues


def sync_task(index):
    return {'sync_task_id': 'task-%03d' % index, 'status': 'SYNCHRONIZING'}


def migration_task(index):
    return {'id': index, 'status': 5, 'progress': 1.0, 'left_time': 0, 'failed_num': 0, 'total_num': 1, 'error_reason': None, 'failed_object_record': None}


def task_group(index):
    return {'group_id': 'group-%03d' % index, 'status': 6, 'total_size': 1, 'complete_size': 1, 'migrate_speed': 0, 'failed_task_num': 0, 'fail_num': 0}


LISTINGS = [
    (oms_sync_task_info, 'tasks', sync_task, {}),
    (oms_migration_task_info, 'tasks', migration_task, {}),
    (oms_task_group_info, 'taskgroups', task_group, {}),
]
RESULT_KEYS = {oms_sync_task_info: 'sync_tasks', oms_migration_task_info: 'migration_tasks', oms_task_group_info: 'task_groups'}


def lying_listing(items_key, make, shape):
    """A ListXxx handler over 250 items whose pages lie in ``shape``."""
    items = [make(index) for index in range(250)]

    def handler(path, params, query):
        offset, limit = query['offset'], query['limit']
        count = 250
        page = items[offset : offset + limit]
        if shape == 'short' and offset == 100:
            page = page[:60]
        elif shape == 'empty' and offset == 100:
            page = []
        elif shape == 'repeat' and offset == 100:
            page = items[0:100]
        elif shape == 'duplicate' and offset == 0:
            page = page[:99] + [items[0]]
        elif shape == 'count' and offset > 0:
            count = 200
        elif shape == 'more':
            count = 150 if offset == 0 else 150
            page = items[offset : offset + limit]
        return {'count': count, items_key: page}

    return handler


SHAPES = {'short': 'held 60 items', 'empty': 'was empty', 'repeat': 'repeat an id', 'duplicate': 'repeat an id', 'count': 'count changed from 250 to 200'}


@pytest.mark.parametrize('shape', sorted(SHAPES))
@pytest.mark.parametrize('module, items_key, make, args', LISTINGS, ids=['sync_tasks', 'migration_tasks', 'task_groups'])
def test_a_listing_that_does_not_add_up_is_incomplete_and_the_gate_errs(run_module, module, items_key, make, args, shape):
    result, _client = run_module(module, args, lying_listing(items_key, make, shape))
    assert result['complete'] is False, result
    listing_problems = [problem for problem in result['problems'] if problem['id'] is None]
    assert listing_problems and 'incomplete' in listing_problems[0]['message'] and SHAPES[shape] in listing_problems[0]['message'], result['problems']
    # The gate: a problem tied to no subject is an error of the gate (verdict ERROR), and a
    # subject the listing did not return is "not read", never "not found".
    id_key = 'group_id' if module is oms_task_group_info else ('id' if module is oms_migration_task_info else 'sync_task_id')
    read = KindRead(ReadName('listing', module.__name__, RESULT_KEYS[module], id_key), step='listing read', checks=('found',))
    outcome = ReadOutcome(read).load(result)
    assert any('incomplete' in error['message'] for error in outcome.errors)
    assert subject_issues(outcome, 'never-listed', 'found')


def test_a_listing_that_adds_up_is_complete(run_module):
    result, _client = run_module(oms_sync_task_info, {}, lying_listing('tasks', sync_task, 'none'))
    assert result['complete'] is True and len(result['sync_tasks']) == 250


def api_error(status, code, request_id='req-1'):
    return HuaweiCloudError('error', status=status, code=code, request_id=request_id, method='GET', url='https://oms.example/x')


SHOWS = [
    (oms_sync_task_info, {'sync_task_ids': ['task-a', 'task-b']}, 'sync_task_id', 'sync_tasks', lambda params: params['sync_task_id']),
    (oms_migration_task_info, {'task_ids': [1, 2]}, 'id', 'migration_tasks', lambda params: int(params['task_id'])),
    (oms_task_group_info, {'group_ids': ['g-a', 'g-b']}, 'group_id', 'task_groups', lambda params: params['group_id']),
    (modelarts_dataset_sync_info, {'dataset_ids': ['ds-a', 'ds-b']}, 'dataset_id', 'dataset_syncs', lambda params: params['dataset_id']),
]
BODIES = {
    'sync_task_id': lambda asked: dict(sync_task(0), sync_task_id=asked, monthly_acceptance_request=1, monthly_failure_object=0),
    'id': migration_task,
    'group_id': lambda asked: dict(task_group(0), group_id=asked),
    'dataset_id': lambda asked: {'dataset_id': asked, 'status': 'COMPLETED'},
}


@pytest.mark.parametrize('module, args, id_key, result_key, asked_of', SHOWS, ids=['sync_task', 'migration_task', 'task_group', 'dataset'])
def test_an_answer_about_another_id_is_an_error_for_the_asked_id(run_module, module, args, id_key, result_key, asked_of):
    first, second = list(args.values())[0]

    def handler(path, params, query):
        asked = asked_of(params)
        body = BODIES[id_key](asked)
        if asked == second:
            body[id_key] = first  # a substitute: the answer about another resource
        return body

    result, _client = run_module(module, args, handler)
    assert result.failed
    assert result['missing'] == []
    assert [str(entry['id']) for entry in result['errors']] == [str(second)]
    assert result['errors'][0]['error_code'] == 'ForeignId' and 'not the' in result['errors'][0]['message']
    # The other id's answer is kept, and the substitute is not.
    assert [str(item[id_key]) for item in result[result_key]] == [str(first)]


@pytest.mark.parametrize('module, args, id_key, result_key, asked_of', SHOWS, ids=['sync_task', 'migration_task', 'task_group', 'dataset'])
def test_a_bare_404_is_an_error_not_a_deletion(run_module, module, args, id_key, result_key, asked_of):
    first, second = list(args.values())[0]

    def handler(path, params, query):
        asked = asked_of(params)
        if asked == second:
            return api_error(404, None, 'req-404')
        return BODIES[id_key](asked)

    result, _client = run_module(module, args, handler)
    assert result.failed and result['missing'] == []
    assert [(str(entry['id']), entry['status'], entry['request_id']) for entry in result['errors']] == [(str(second), 404, 'req-404')]
    assert [str(item[id_key]) for item in result[result_key]] == [str(first)]


def test_the_documented_not_found_codes_still_mean_missing(run_module):
    def handler(path, params, query):
        if params['sync_task_id'] == 'gone':
            return api_error(404, 'OMS.1009')
        return BODIES['sync_task_id'](params['sync_task_id'])

    result, _client = run_module(oms_sync_task_info, {'sync_task_ids': ['gone', 'task-a']}, handler)
    assert not result.failed and result['missing'] == ['gone']


def test_a_status_with_a_line_break_is_a_problem(run_module):
    body = dict(BODIES['sync_task_id']('task-a'), status='SYNCHRONIZING\nHEALTHY')
    result, _client = run_module(oms_sync_task_info, {'sync_task_id': 'task-a'}, lambda path, params, query: body)
    assert result['complete'] is False
    assert [(problem['id'], problem['field']) for problem in result['problems']] == [('task-a', 'status')]


def test_a_left_time_past_the_year_9999_is_a_problem(run_module):
    body = dict(migration_task(1), status=2, progress=0.5, left_time=9223372036854775807)
    result, _client = run_module(oms_migration_task_info, {'task_id': 1}, lambda path, params, query: body)
    assert result['complete'] is False
    assert [(problem['id'], problem['field']) for problem in result['problems']] == [(1, 'left_time')]
    assert result['migration_tasks'][0]['summary']['eta_unknown'] is True


assert _reads_sync and _reads_migration
