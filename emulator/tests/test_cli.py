"""The console script: first line, clean exit on signals, the generator, the demo scenario."""

import signal
import subprocess
import sys

import pytest
import requests
import yaml
from conftest import DEMO

from hwc_emulator import scenario as scenario_format
from hwc_emulator.state import State

PYTHON = sys.executable


def start(*args):
    process = subprocess.Popen([PYTHON, '-m', 'hwc_emulator', '--port', '0'] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = process.stdout.readline().rstrip('\n')
    return process, first


@pytest.mark.parametrize('signum', [signal.SIGTERM, signal.SIGINT])
def test_listening_line_then_clean_exit(signum):
    process, first = start('--scenario', str(DEMO))
    try:
        assert first.startswith('Listening on http://127.0.0.1:')
        port = int(first.rsplit(':', 1)[1])
        assert port > 0
        health = requests.get(first.split(' ', 2)[2] + '/_emulator/health', timeout=5)
        assert health.json()['status'] == 'ok'
        process.send_signal(signum)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()


def test_bad_scenario_fails_fast(tmp_path):
    bad = tmp_path / 'bad.yml'
    bad.write_text('sync_tasks: [{sync_task_id: a, colour: red}]\n')
    process = subprocess.run([PYTHON, '-m', 'hwc_emulator', '--port', '0', '--scenario', str(bad)], capture_output=True, text=True, timeout=30, check=False)
    assert process.returncode == 2 and 'colour' in process.stderr and process.stdout == ''


def test_generate_is_deterministic_and_loads(tmp_path):
    command = [PYTHON, '-m', 'hwc_emulator', 'generate', '--tasks', '250', '--datasets', '20', '--seed', '5']
    first = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    second = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    assert first == second
    data = scenario_format.check(yaml.safe_load(first))
    state = State(data)
    assert len(state.tasks) == 250 and len(state.datasets) == 20
    statuses = {t.fields['status'] for t in state.tasks.values()}
    assert statuses == {'SYNCHRONIZING', 'STOPPED'}
    other = subprocess.run(command[:-1] + ['6'], capture_output=True, text=True, check=True).stdout
    assert other != first


def test_generator_section_in_a_scenario():
    data = scenario_format.check({'generate': {'sync_tasks': 30, 'datasets': 4}})
    state = State(data)
    assert len(state.tasks) == 30 and len(state.datasets) == 4


def test_demo_scenario_content():
    state = State(scenario_format.load_file(str(DEMO)))
    tasks = list(state.tasks.values())
    assert sorted(t.fields['status'] for t in tasks) == ['STOPPED', 'SYNCHRONIZING', 'SYNCHRONIZING']
    assert any(t.spec.bursts for t in tasks)
    statuses = {d.fields.get('status') for d in state.datasets.values()}
    assert {'COMPLETED', 'FAILED'} <= statuses
    assert list(state.projects.values())[0]['name'] == 'cn-north-4'
    assert any(k.security_token for k in state.access_keys.values())
    assert any(not k.security_token for k in state.access_keys.values())
    assert state.users and state.tokens
    text = DEMO.read_text()
    assert 'DEMO-ONLY' in text or 'Demo-only' in text
