"""ModelArts dataset sync status: every status, FAILED details, scripted progress."""

import time

import pytest
from conftest import PROJECT


def status_of(emu, dataset_id):
    return emu.get('/v2/%s/datasets/%s/sync-data/status' % (PROJECT, dataset_id))


@pytest.mark.parametrize(
    'dataset_id, status',
    [('ds-done', 'COMPLETED'), ('ds-failed', 'FAILED'), ('ds-none', 'NOT_EXIST'), ('ds-queue', 'QUEUING'), ('ds-start', 'STARTING'), ('ds-run', 'RUNNING')],
)
def test_every_status(emu, dataset_id, status):
    response = status_of(emu, dataset_id)
    assert response.status_code == 200
    body = response.json()
    assert body['status'] == status and body['dataset_id'] == dataset_id
    if status == 'FAILED':
        assert body['error_code'] == 'ModelArts.4360' and body['error_msg'] == 'broken OBS path'
    else:
        assert 'error_code' not in body and 'error_msg' not in body
    if status == 'NOT_EXIST':
        assert set(body) == {'dataset_id', 'status'}


def test_completed_details(emu):
    body = status_of(emu, 'ds-done').json()
    assert body['task_id'] == 't1' and body['total_sample_count'] == 10
    assert isinstance(body['create_time'], int)


def test_unknown_dataset(emu):
    response = status_of(emu, 'ds-missing')
    assert response.status_code == 400
    assert response.json()['error_code'] == 'ModelArts.4352'


def test_progress_over_polls(emu):
    seen = [status_of(emu, 'ds-polls').json()['status'] for _poll in range(7)]
    assert seen == ['QUEUING', 'QUEUING', 'RUNNING', 'RUNNING', 'COMPLETED', 'COMPLETED', 'COMPLETED']


def test_progress_over_time(emu):
    assert status_of(emu, 'ds-timed').json()['status'] == 'RUNNING'
    time.sleep(0.35)
    body = status_of(emu, 'ds-timed').json()
    assert body['status'] == 'FAILED' and body['error_msg'] == 'timed out'
    assert body['error_code'] == 'ModelArts.4360'  # default code for a FAILED status
