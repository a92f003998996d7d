"""The pytest plugin (hwc_emulator.pytest_plugin): fixtures as a user's test suite sees them.

Each test writes a small test file and runs pytest on it in a child process, so
the plugin is found the way users get it: through the pytest11 entry point of
the installed package, not through this suite's conftest.
"""

import json
import os

import pytest

pytest_plugins = ["pytester"]

SCENARIO = {
    "regions": {"ap-southeast-1": ["p-plugin-1"]},
    "credentials": {"access_keys": [
        {"access_key": "PLUGINTEMPAK00000001", "secret_key": "plugin-temp-sk", "security_token": "plugin-st"},
        {"access_key": "PLUGINAK000000000001", "secret_key": "plugin-test-sk-0001"},
    ]},
    "sync_tasks": [{"sync_task_id": "plugin-task-1"}, {"sync_task_id": "plugin-task-2", "status": "STOPPED"}],
}

SDK_CALL = '''
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkoms.v2 import ListSyncTasksRequest, OmsClient


def list_tasks(emulator):
    credentials = BasicCredentials(emulator.access_key, emulator.secret_key, emulator.project_id)
    client = OmsClient.new_builder().with_credentials(credentials).with_endpoints([emulator.url]).build()
    return sorted(task.sync_task_id for task in client.list_sync_tasks(ListSyncTasksRequest(limit=10)).tasks)
'''


def run(pytester, source, *args):
    pytester.makepyfile(test_user=SDK_CALL + source)
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args)


def test_a_dict_scenario_gives_url_credentials_and_request_log(pytester):
    result = run(pytester, '''
import pytest

@pytest.mark.hwc_scenario(%r)
def test_gate(hwc_emulator):
    assert hwc_emulator.url.startswith("http://127.0.0.1:")
    assert hwc_emulator.endpoint == hwc_emulator.iam_endpoint == hwc_emulator.url
    assert (hwc_emulator.region, hwc_emulator.project_id) == ("ap-southeast-1", "p-plugin-1")
    assert hwc_emulator.credentials == {"access_key": "PLUGINAK000000000001", "secret_key": "plugin-test-sk-0001"}
    assert hwc_emulator.connection == dict(hwc_emulator.credentials, region="ap-southeast-1",
                                           endpoint=hwc_emulator.url, iam_endpoint=hwc_emulator.url)
    assert hwc_emulator.requests_log() == []
    assert list_tasks(hwc_emulator) == ["plugin-task-1", "plugin-task-2"]
    [entry] = hwc_emulator.requests_log()
    assert (entry["route"], entry["status"], entry["auth"], entry["principal"]) == (
        "list_sync_tasks", 200, "aksk", "PLUGINAK000000000001")
    assert hwc_emulator.requests_log(route="show_sync_task") == []
    hwc_emulator.clear_requests_log()
    assert hwc_emulator.requests_log() == []
''' % (SCENARIO,))
    result.assert_outcomes(passed=1)


def test_a_file_scenario_is_found_beside_the_test_and_faults_and_reset_work(pytester):
    pytester.makefile(".yml", burst=json.dumps(SCENARIO))
    result = run(pytester, '''
import pytest
from huaweicloudsdkcore.exceptions.exceptions import ServerResponseException

@pytest.mark.hwc_scenario("burst.yml")
def test_gate(hwc_emulator):
    assert hwc_emulator.scenario_path.name == "burst.yml"
    assert hwc_emulator.scenario["sync_tasks"][0]["sync_task_id"] == "plugin-task-1"
    hwc_emulator.add_fault(route="list_sync_tasks", kind="error", status=503, times=1)
    with pytest.raises(ServerResponseException) as failure:
        list_tasks(hwc_emulator)
    assert failure.value.status_code == 503
    hwc_emulator.reset()
    assert list_tasks(hwc_emulator) == ["plugin-task-1", "plugin-task-2"]
    assert [entry["status"] for entry in hwc_emulator.requests_log()] == [200]
''')
    result.assert_outcomes(passed=1)


def test_without_a_marker_the_bundled_demo_runs_and_a_fixture_can_choose_the_scenario(pytester):
    result = run(pytester, '''
import pytest


def test_demo(hwc_emulator):
    assert hwc_emulator.scenario_path.name == "demo.yml"
    assert len(list_tasks(hwc_emulator)) >= 3


class TestOwnScenario:
    @pytest.fixture
    def hwc_scenario(self):
        return %r

    def test_own(self, hwc_emulator):
        assert list_tasks(hwc_emulator) == ["plugin-task-1", "plugin-task-2"]
''' % (SCENARIO,))
    result.assert_outcomes(passed=2)


def test_the_factory_stops_every_emulator_it_started(pytester, tmp_path):
    pids = tmp_path / "pids.txt"
    result = run(pytester, '''
def test_two(hwc_emulator_factory):
    first = hwc_emulator_factory(%r)
    second = hwc_emulator_factory()
    assert first.url != second.url
    assert list_tasks(first) == ["plugin-task-1", "plugin-task-2"]
    with open(%r, "w") as handle:
        handle.write("%%d %%d" %% (first.process.pid, second.process.pid))
''' % (SCENARIO, str(pids)))
    result.assert_outcomes(passed=1)
    for pid in pids.read_text().split():
        with pytest.raises(ProcessLookupError):
            os.kill(int(pid), 0)


def test_a_scenario_the_emulator_refuses_is_an_error_with_its_message(pytester):
    result = run(pytester, '''
import pytest

@pytest.mark.hwc_scenario({"sync_tasks": [{"sync_task_id": "a", "colour": "red"}]})
def test_gate(hwc_emulator):
    pass

@pytest.mark.hwc_scenario("missing.yml")
def test_missing(hwc_emulator):
    pass
''')
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(["*the emulator did not start*", "*colour*"])
    result.stdout.fnmatch_lines(["*scenario file not found*missing.yml*"])
