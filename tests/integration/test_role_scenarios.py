"""The migration_health role on what the demo scenario does not have: a stall, and `all` over many pages."""
import json
from pathlib import Path

import jsonschema
import pytest

from conftest import REPO, Emulator

SCENARIO = Path(__file__).resolve().parent / "scenarios" / "role.yml"
STALLED_TASK = "stalled-task-0000000000000000000001"
FACT_SCHEMA = json.loads((REPO / "docs" / "migration_health_fact.schema.json").read_text())


@pytest.fixture(scope="module")
def emulator():
    running = Emulator(SCENARIO)
    yield running
    running.stop()


def gate(emulator, tmp_path, **variables):
    base = {
        "migration_health_connection": {
            "region": "cn-north-4", "access_key": "ROLETESTAK0000000001",
            "secret_key": "roletest-secret-key-value-0001",
            "endpoint": emulator.url, "iam_endpoint": emulator.url},
        "migration_health_report_dir": str(tmp_path / "reports"),
        "migration_health_fail": False,
    }
    base.update(variables)
    return base


def reported_fact(tmp_path):
    fact = json.loads((tmp_path / "reports" / "migration-health.json").read_text())
    jsonschema.validate(fact, FACT_SCHEMA)
    return fact


def test_stalled_task_fails_the_stall_check(emulator, run_playbook, tmp_path):
    # Failures are tolerated for this task, so the stall is the only thing wrong with it.
    run = run_playbook(str(REPO / "playbooks" / "migration_health.yml"), extra_vars=gate(
        emulator, tmp_path, migration_health_fail=True,
        migration_health_sync_tasks=[{"id": STALLED_TASK, "max_window_failure_ratio": 1.0,
                                      "max_window_failed_objects": None}]))
    assert run.rc != 0, run.output
    fact = reported_fact(tmp_path)
    failed = [check for check in fact["checks"] if not check["passed"]]
    assert [(check["subject"], check["id"]) for check in failed] == [(STALLED_TASK, "stall")], failed
    task = fact["sync_tasks"][0]
    assert task["window_request_total"] > 0
    assert task["last_success_age_ms"] > 30 * 60 * 1000
    assert "- sync task %s: stall observed " % STALLED_TASK in run.output


def test_all_follows_the_listing_across_pages(emulator, run_playbook, tmp_path):
    emulator.clear_requests_log()
    run = run_playbook(str(REPO / "playbooks" / "migration_health.yml"), extra_vars=gate(
        emulator, tmp_path, migration_health_sync_tasks="all", migration_health_max_concurrency=16))
    assert run.rc == 0, run.output
    fact = reported_fact(tmp_path)
    assert fact["selection"] == "all"
    assert fact["counts"]["sync_tasks"] == 151
    assert STALLED_TASK in {task["id"] for task in fact["sync_tasks"]}
    listing = [entry for entry in emulator.requests_log() if entry["path"].endswith("/sync-tasks")]
    assert sorted(entry["query"].get("offset") for entry in listing) == ["0", "100"], listing
    statistics_calls = [entry for entry in emulator.requests_log() if entry["path"].endswith("/statistics")]
    assert len(statistics_calls) == 151
