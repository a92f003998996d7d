# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The modules through the real client (signing, paths, queries, error parsing) against a loopback server."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
from urllib.parse import parse_qs, urlsplit

import pytest
from ansible.module_utils.common import warnings as ansible_warnings
from module_args import patch_module_args

from ansible_collections.hwcloud.migration.plugins.modules import modelarts_dataset_sync_info, oms_sync_task_statistics_info

FIXTURES = os.path.join(os.path.dirname(__file__), '..', 'module_utils', 'fixtures')
PROJECT = '2c0689c860ad4728a497c91ec0844383'


def load(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return json.load(handle)


@pytest.fixture
def run_over_http(fake_server, capsys):
    def run(module, args):
        for store in ('_global_warnings', '_global_deprecations'):
            if getattr(ansible_warnings, store, None) is not None:
                getattr(ansible_warnings, store).clear()
        merged = {
            'endpoint': fake_server.url,
            'project_id': PROJECT,
            'region': 'cn-north-4',
            'access_key': 'AK-EXAMPLE',
            'secret_key': 'SK-EXAMPLE',
            'retries': 0,
        }
        merged.update(args)
        with patch_module_args(merged):
            with pytest.raises(SystemExit):
                module.main()
        return json.loads(capsys.readouterr().out)

    return run


def test_statistics_over_http(fake_server, run_over_http):
    seed = load('list_sync_task_statistic_000.json')

    def handler(request):
        path = urlsplit(request.path).path
        if path.endswith('/gone/statistics'):
            return 404, {'X-Request-Id': 'req-404'}, {'error_code': 'OMS.1009', 'error_msg': 'no resources found'}
        # The seed example names another task: answer for the task asked, as the API does.
        return 200, {'X-Request-Id': 'req-ok'}, dict(seed, sync_task_id=path.split('/')[-2])

    fake_server.handler = handler
    result = run_over_http(
        oms_sync_task_statistics_info,
        {
            'sync_task_ids': ['0d146099-8cf4-437d-b6ef-88e043771c8b', 'gone'],
            'data_type': ['REQUEST', 'FAILURE'],
            'start_time': '2023-11-16T16:00:00Z',
            'end_time': '2023-11-17T02:35:00Z',
        },
    )
    assert not result.get('failed'), result
    assert result['missing'] == ['gone']
    assert result['sync_task_statistics'][0]['summary']['series']['REQUEST']['total'] == 1116

    paths = sorted(urlsplit(request.path).path for request in fake_server.requests)
    assert paths == ['/v2/%s/sync-tasks/0d146099-8cf4-437d-b6ef-88e043771c8b/statistics' % PROJECT, '/v2/%s/sync-tasks/gone/statistics' % PROJECT]
    query = parse_qs(urlsplit(fake_server.requests[0].path).query)
    assert query == {'data_type': ['REQUEST,FAILURE'], 'start_time': ['1700150400000'], 'end_time': ['1700188500000']}
    assert all(request.header('Authorization').startswith('SDK-HMAC-SHA256 ') for request in fake_server.requests)


def test_modelarts_error_over_http_names_the_dataset(fake_server, run_over_http):
    def handler(request):
        return 500, {'X-Request-Id': 'req-500'}, {'error_code': 'ModelArts.4360', 'error_message': 'sync error'}

    fake_server.handler = handler
    result = run_over_http(modelarts_dataset_sync_info, {'dataset_id': 'ds/../x'})
    assert result['failed']
    assert result['dataset_id'] == 'ds/../x'
    assert (result['status'], result['error_code'], result['request_id']) == (500, 'ModelArts.4360', 'req-500')
    assert 'sync error' in result['msg']
    # the id is one path segment, whatever it contains
    assert urlsplit(fake_server.requests[0].path).path == '/v2/%s/datasets/ds%%2F..%%2Fx/sync-data/status' % PROJECT
