"""hwc_emulator.launcher: the child-process wrapper that tests, make bench and make demo share."""

import pytest
from conftest import REPO

from hwc_emulator.launcher import EmulatorProcess

DEMO = REPO / 'emulator' / 'scenarios' / 'demo.yml'


def test_start_control_log_and_stop(tmp_path):
    log = tmp_path / 'emulator.log'
    with EmulatorProcess(DEMO, log_path=log) as emulator:
        assert emulator.url.startswith('http://127.0.0.1:')
        assert emulator.control('GET', 'health')['status'] == 'ok'
        assert emulator.requests_log() == []
        emulator.control('POST', 'reset')
        process = emulator.process
    assert process.returncode == 0
    assert log.exists()


def test_a_scenario_that_does_not_load_is_reported(tmp_path):
    bad = tmp_path / 'bad.yml'
    bad.write_text('sync_tasks: [{sync_task_id: a, colour: red}]\n')
    with pytest.raises(RuntimeError, match='did not start'):
        EmulatorProcess(bad)
