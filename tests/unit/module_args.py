# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``patch_module_args`` for every supported ansible-core.

ansible-core 2.19 ships ``ansible.module_utils.testing.patch_module_args``;
older cores (the collection supports 2.16 and later) do not, so this module
provides the same context manager for them: it hands ``AnsibleModule`` the
arguments the way the controller does, as the JSON document
``{"ANSIBLE_MODULE_ARGS": args}`` in ``ansible.module_utils.basic._ANSIBLE_ARGS``,
and restores the previous value on exit.

Import it as ``from module_args import patch_module_args``: ``tests/unit`` is on
``sys.path`` because ``tests/unit/conftest.py`` is a rootless conftest.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import json

try:
    from ansible.module_utils.testing import patch_module_args  # noqa: F401  pylint: disable=unused-import
except ImportError:  # ansible-core < 2.19
    from ansible.module_utils import basic as _basic

    _MISSING = object()

    @contextlib.contextmanager
    def patch_module_args(args=None):
        """Expose ``args`` to the ``AnsibleModule`` instances created inside the block."""
        if not isinstance(args, (dict, type(None))):
            raise TypeError('The `args` arg must be a dict or None.')
        saved = {name: getattr(_basic, name, _MISSING) for name in ('_ANSIBLE_ARGS', '_ANSIBLE_PROFILE')}
        _basic._ANSIBLE_ARGS = json.dumps({'ANSIBLE_MODULE_ARGS': args or {}}).encode('utf-8')
        if saved['_ANSIBLE_PROFILE'] is not _MISSING:
            # A core with serialization profiles but without the testing helper.
            _basic._ANSIBLE_PROFILE = 'legacy'
        try:
            yield
        finally:
            for name, value in saved.items():
                if value is not _MISSING:
                    setattr(_basic, name, value)
