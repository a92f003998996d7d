"""The migration_health role on what the demo scenario does not have: a stall, and `all` over many pages.

The emulator comes from the package's own pytest plugin (fixture ``hwc_emulator``),
as it does in users' test suites (docs/testing-with-the-emulator.md).
"""

import json

import jsonschema
import pytest
from conftest import REPO

STALLED_TASK = 'stalled-task-0000000000000000000001'
FACT_SCHEMA = json.loads((REPO / 'docs' / 'migration_health_fact.schema.json').read_text())

pytestmark = pytest.mark.hwc_scenario('scenarios/role.yml')


def gate(emulator, tmp_path, **variables):
    base = {'migration_health_connection': emulator.connection, 'migration_health_report_dir': str(tmp_path / 'reports'), 'migration_health_fail': False}
    base.update(variables)
    return base


def reported_fact(tmp_path):
    fact = json.loads((tmp_path / 'reports' / 'migration-health.json').read_text())
    jsonschema.validate(fact, FACT_SCHEMA)
    return fact


def test_stalled_task_fails_the_stall_check(hwc_emulator, run_playbook, tmp_path):
    # Failures are tolerated for this task, so the stall is the only thing wrong with it.
    run = run_playbook(
        str(REPO / 'playbooks' / 'migration_health.yml'),
        extra_vars=gate(
            hwc_emulator,
            tmp_path,
            migration_health_fail=True,
            migration_health_sync_tasks=[{'id': STALLED_TASK, 'max_window_failure_ratio': 1.0, 'max_window_failed_objects': None}],
        ),
    )
    assert run.rc != 0, run.output
    fact = reported_fact(tmp_path)
    failed = [check for check in fact['checks'] if not check['passed']]
    assert [(check['subject'], check['id']) for check in failed] == [(STALLED_TASK, 'stall')], failed
    task = fact['sync_tasks'][0]
    assert task['window_request_total'] > 0
    assert task['last_success_age_ms'] > 30 * 60 * 1000
    assert '- sync task %s: stall observed ' % STALLED_TASK in run.output


def test_all_follows_the_listing_across_pages(hwc_emulator, run_playbook, tmp_path):
    run = run_playbook(
        str(REPO / 'playbooks' / 'migration_health.yml'),
        extra_vars=gate(hwc_emulator, tmp_path, migration_health_sync_tasks='all', migration_health_max_concurrency=16),
    )
    assert run.rc == 0, run.output
    fact = reported_fact(tmp_path)
    assert fact['selection'] == 'all'
    assert fact['counts']['sync_tasks'] == 151
    assert STALLED_TASK in {task['id'] for task in fact['sync_tasks']}
    listing = [entry for entry in hwc_emulator.requests_log() if entry['path'].endswith('/sync-tasks')]
    assert sorted(entry['query'].get('offset') for entry in listing) == ['0', '100'], listing
    statistics_calls = [entry for entry in hwc_emulator.requests_log() if entry['path'].endswith('/statistics')]
    assert len(statistics_calls) == 151
