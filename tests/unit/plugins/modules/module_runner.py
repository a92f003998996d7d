# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run a module's ``main()`` in-process against a fake client.

Import the ``run_module`` fixture into a test file with
``from module_runner import run_module``.  (Not a ``conftest.py``: a second
conftest module would shadow the one the filter tests look up by name.)

The fake replaces only ``get_json`` (the one call that talks to the network);
``fetch_many`` is the real client's, so ordering, de-duplication and
concurrency are the production ones.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import threading

import pytest
from ansible.module_utils.common import warnings as ansible_warnings

try:
    from ansible.module_utils import _internal as ansible_internal
except ImportError:  # ansible-core < 2.19: module warnings always go to the result
    ansible_internal = None

from module_args import patch_module_args

from ansible_collections.hwcloud.migration.plugins.module_utils._api.client import HuaweiCloudClient
from ansible_collections.hwcloud.migration.plugins.module_utils._module import HuaweiCloudModule

CREDENTIALS = {'region': 'cn-north-4', 'project_id': '2c0689c860ad4728a497c91ec0844383', 'access_key': 'AK-EXAMPLE', 'secret_key': 'SK-EXAMPLE'}


class FakeClient:
    """Answers ``get_json`` from ``handler(path_template, path_params, query)``.

    The handler returns a body, or an exception to raise.  Every call is kept in
    ``calls`` as ``(path_template, path_params, query)``.
    """

    def __init__(self, handler, max_concurrency=4):
        self.handler = handler
        self.max_concurrency = max_concurrency
        self.calls = []
        # The secrets a real client holds, masked in the texts it builds from answers.
        self.secrets = set()
        self._lock = threading.Lock()

    def get_json(self, path_template, path_params=None, query=None, limits=None):
        path_params = dict(path_params or {})
        query = dict((key, value) for key, value in (query or {}).items() if value is not None)
        with self._lock:
            self.calls.append((path_template, path_params, query))
            number = len(self.calls)
        answer = self.handler(path_template, path_params, query)
        if isinstance(answer, Exception):
            raise answer
        return answer, {'status': 200, 'request_id': 'req-%d' % number, 'url': path_template}

    fetch_many = HuaweiCloudClient.fetch_many


class ModuleResult(dict):
    """What the module printed, with ``warnings`` always present."""

    @property
    def failed(self):
        return bool(self.get('failed'))


@pytest.fixture
def run_module(monkeypatch, capsys):
    """``run_module(module, args, handler)`` -> (ModuleResult, FakeClient)."""

    def run(module, args, handler=None, max_concurrency=4):
        client = FakeClient(handler or (lambda *a: AssertionError('no request expected')), max_concurrency)
        monkeypatch.setattr(HuaweiCloudModule, 'client', property(lambda self: client))
        # Once any controller code is imported in this process (the filter plugin
        # tests do), module warnings go to the controller's display instead of the
        # result: run the module as it runs on a target host.
        if hasattr(ansible_internal, 'is_controller'):
            monkeypatch.setattr(ansible_internal, 'is_controller', False)
        # Warnings are process-global in AnsibleModule: start every run with none.
        for store in ('_global_warnings', '_global_deprecations'):
            if getattr(ansible_warnings, store, None) is not None:
                getattr(ansible_warnings, store).clear()
        merged = dict(CREDENTIALS)
        merged.update(args)
        with patch_module_args(merged):
            with pytest.raises(SystemExit):
                module.main()
        out = capsys.readouterr().out
        result = ModuleResult(json.loads(out))
        # ansible-core 2.19 reports a warning as a summary dict; older ones as a str.
        result['warnings'] = [warning['event']['msg'] if isinstance(warning, dict) else warning for warning in result.get('warnings', [])]
        return result, client

    return run
