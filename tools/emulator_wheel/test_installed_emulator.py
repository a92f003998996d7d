# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run by tools/emulator_wheel_check.py in a new environment holding only the emulator wheel,
the official SDK and pytest, from a folder outside the checkout, beside a copy of the demo
scenario (scenario.yml). Not part of the repository's own test suites."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkoms.v2 import ListSyncTasksRequest, ListSyncTaskStatisticRequest, OmsClient, ShowSyncTaskRequest

SCENARIO = Path(__file__).resolve().parent / 'scenario.yml'
HOUR_MS = 3600 * 1000


def oms_client(url, access_key, secret_key, project_id):
    credentials = BasicCredentials(access_key, secret_key, project_id)
    return OmsClient.new_builder().with_credentials(credentials).with_endpoints([url]).build()


def read_everything(client):
    """List the tasks, then show each and read its last hour of statistics, as the collection does."""
    now = int(time.time() * 1000)
    tasks = client.list_sync_tasks(ListSyncTasksRequest(limit=100)).tasks
    assert tasks
    for task in tasks:
        shown = client.show_sync_task(ShowSyncTaskRequest(sync_task_id=task.sync_task_id, query_time=now))
        assert shown.sync_task_id == task.sync_task_id and shown.status in ('SYNCHRONIZING', 'STOPPED')
        statistics = client.list_sync_task_statistic(
            ListSyncTaskStatisticRequest(sync_task_id=task.sync_task_id, data_type='REQUEST,FAILURE', start_time=now - HOUR_MS, end_time=now)
        )
        assert statistics.statistic_time_type == 'FIVE_MINUTES'
    return tasks


def test_the_console_script_serves_the_official_sdk():
    scenario = yaml.safe_load(SCENARIO.read_text())
    key = next(entry for entry in scenario['credentials']['access_keys'] if 'security_token' not in entry)
    project_id = next(iter(scenario['regions'].values()))[0]
    script = Path(sys.executable).parent / 'hwc-emulator'
    process = subprocess.Popen(
        [str(script), '--host', '127.0.0.1', '--port', '0', '--scenario', str(SCENARIO)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        first = process.stdout.readline().strip()
        assert first.startswith('Listening on http://127.0.0.1:'), process.stderr.read()
        url = first[len('Listening on ') :]
        tasks = read_everything(oms_client(url, key['access_key'], key['secret_key'], project_id))
        assert len(tasks) == len([task for task in scenario['sync_tasks'] if task.get('project_id', project_id) == project_id])
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


@pytest.mark.hwc_scenario('scenario.yml')
def test_the_pytest_plugin_gives_url_credentials_and_request_log(hwc_emulator):
    client = oms_client(hwc_emulator.url, hwc_emulator.access_key, hwc_emulator.secret_key, hwc_emulator.project_id)
    tasks = read_everything(client)
    routes = [entry['route'] for entry in hwc_emulator.requests_log()]
    assert routes == ['list_sync_tasks'] + ['show_sync_task', 'list_sync_task_statistic'] * len(tasks)
    assert all(entry['principal'] == hwc_emulator.access_key for entry in hwc_emulator.requests_log())
