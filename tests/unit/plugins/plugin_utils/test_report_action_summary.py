# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report action returns the lines the role prints: the same ones the summary and failure-message filters give for its fact."""

import copy
from unittest import mock

from ansible.playbook.play_context import PlayContext
from ansible.playbook.task import Task
from health_scale import NOW, scale_gate, scale_results

from ansible_collections.hwcloud.migration.plugins.action.migration_health_report import ActionModule
from ansible_collections.hwcloud.migration.plugins.filter.migration_health import FilterModule
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.evaluate import evaluate

FILTERS = FilterModule().filters()


def _run_action(args, task_vars=None):
    task = Task()
    task.args = args
    action = ActionModule(task, mock.MagicMock(), PlayContext(), loader=None, templar=None, shared_loader_obj=None)
    return action.run(task_vars=task_vars or {})


def test_an_evaluated_gate_returns_the_summary_and_the_failure_message_of_its_fact():
    results, policy, _fact = scale_gate(tasks=12)
    task_vars = {'read_tasks': results['sync_task_info'], 'read_statistics': results['sync_task_statistics_info']}
    result = _run_action(
        {'policy': policy, 'results_from': {'sync_task_info': 'read_tasks', 'sync_task_statistics_info': 'read_statistics'}, 'fact_name': 'migration_health'},
        task_vars,
    )
    fact = result['ansible_facts']['migration_health']
    assert fact['verdict'] == 'UNHEALTHY'
    assert result['summary'] == FILTERS['migration_health_summary'](fact)
    assert result['summary'][0].startswith('UNHEALTHY: ') and 'Failed checks:' in result['summary']
    assert result['message'] == FILTERS['migration_health_failure_message'](fact)
    assert result['message'].startswith('Migration health gate FAILED: ')


def test_a_healthy_fact_has_a_summary_and_no_failure_message():
    # Tasks 1 to 5 of the generated gate: none fails (every 1000th does), none has a burst (every 7th).
    results, policy = scale_results(tasks=6, failing_every=1000)
    for key, listed in (('sync_task_info', 'sync_tasks'), ('sync_task_statistics_info', 'sync_task_statistics')):
        results[key][listed] = results[key][listed][1:]
    policy['sync_tasks'] = policy['sync_tasks'][1:]
    fact = evaluate(results, policy, now_ms=NOW)
    assert fact['healthy'], fact['violations']
    result = _run_action({'health': copy.deepcopy(fact)})
    assert result['health'] == fact
    assert result['summary'] == FILTERS['migration_health_summary'](fact)
    assert result['summary'][0].startswith('HEALTHY: 0 of ')
    assert result['message'] is None


def test_a_gate_that_stopped_returns_its_error_in_both():
    result = _run_action({'errors': [{'step': 'Read the migration state', 'message': 'the module crashed'}], 'fact_name': 'migration_health'})
    fact = result['ansible_facts']['migration_health']
    assert fact['verdict'] == 'ERROR'
    assert result['summary'] == FILTERS['migration_health_summary'](fact)
    assert any(line.startswith('Error: ') and 'the module crashed' in line for line in result['summary'])
    assert result['message'] == FILTERS['migration_health_failure_message'](fact)
    assert 'the module crashed' in result['message']
