# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The official Huawei Cloud SDK as a test oracle, imported on first use.

``from sdk_oracle import SdkRequest, sdk_signer`` gives stand-ins for
``huaweicloudsdkcore.sdk_request.SdkRequest`` and the module
``huaweicloudsdkcore.signer.signer`` (``OmsRegion`` and ``ModelArtsRegion``
stand for the services' region tables). The SDK is imported the first time a test
uses one of them; when it is not installed, that test (and only that test) is
skipped. A module-level ``pytest.importorskip`` would skip every test of the
file, most of which never touch the SDK.

``tests/unit`` is on ``sys.path`` while pytest runs (rootdir-relative imports).
"""

import importlib

import pytest

_INSTALL = 'needs the official Huawei Cloud SDK (huaweicloudsdkcore): pip install -r requirements-test.txt'


class _OnFirstUse(object):
    """Forwards attribute access, assignment and calls to an object imported on first use."""

    # No instance __dict__: monkeypatch reads the target's __dict__ for the value to restore.
    __slots__ = ('_where',)

    def __init__(self, module, attribute=None):
        object.__setattr__(self, '_where', (module, attribute))

    def _target(self, skip=True):
        module, attribute = object.__getattribute__(self, '_where')
        try:
            imported = importlib.import_module(module)
        except ImportError:
            if not skip:
                raise AttributeError('%s is not installed' % module)
            pytest.skip(_INSTALL)
        return getattr(imported, attribute) if attribute else imported

    def __getattr__(self, name):
        # Dunder look-ups are introspection (pytest's collection asks for __test__),
        # not a use of the SDK: without it they find nothing rather than skip the file.
        return getattr(self._target(skip=not (name.startswith('__') and name.endswith('__'))), name)

    def __setattr__(self, name, value):
        # monkeypatch.setattr(sdk_signer, ...) must patch the real module.
        setattr(self._target(), name, value)

    def __delattr__(self, name):
        delattr(self._target(), name)

    def __call__(self, *args, **kwargs):
        return self._target()(*args, **kwargs)


sdk_signer = _OnFirstUse('huaweicloudsdkcore.signer.signer')
SdkRequest = _OnFirstUse('huaweicloudsdkcore.sdk_request', 'SdkRequest')
# The region tables that plugins/module_utils/_api/regions.py copies (test_regions.py).
OmsRegion = _OnFirstUse('huaweicloudsdkoms.v2.region.oms_region', 'OmsRegion')
ModelArtsRegion = _OnFirstUse('huaweicloudsdkmodelarts.v1.region.modelarts_region', 'ModelArtsRegion')
# The OBS SDK's V2 signer and its header-name adapter (test_obs_signer.py).
ObsAuthentication = _OnFirstUse('obs.auth', 'Authentication')
ObsAdapter = _OnFirstUse('obs.convertor', 'Adapter')


def sdk_authorization(recorded, ak, sk, body=None):
    """The SDK's ``Authorization`` header for a request a test server recorded, signed with ``ak``/``sk``.

    The headers the recorded request says it signed, its path, query and
    ``body`` (the recorded body when None) go to the SDK's signer, so a test
    compares what our client sent with what the SDK would have sent.
    """
    from types import SimpleNamespace
    from urllib.parse import parse_qsl, urlsplit

    signed = recorded.header('Authorization').split('SignedHeaders=')[1].split(',')[0].split(';')
    parts = urlsplit(recorded.path)
    request = SdkRequest(
        method=recorded.method,
        schema='http',
        host=recorded.header('Host'),
        resource_path=parts.path,
        query_params=parse_qsl(parts.query, keep_blank_values=True),
        header_params={name: value for name, value in recorded.headers if name.lower() in signed},
        body=recorded.body if body is None else body,
    )
    return sdk_signer.Signer(SimpleNamespace(ak=ak, sk=sk)).sign(request).header_params['Authorization']
