# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""``HuaweiCloudModule``: the base of every module in the collection.

It merges the common options into the module's argument spec, checks that the
Python libraries are there, validates the credentials and numeric options
(failing with a message that names the options, before any request), warns
when certificate checks are off, and builds the client once.  The client shares the
module's ``no_log_values``: every secret it obtains (the IAM token of password
authentication) is masked in the result and the output like a ``no_log``
option.

An info module is one :class:`._reads.base.Read` run by :func:`run_info_module`:
the read returns its result (or raises :class:`._reads.base.ReadError`), and
only this edge exits::

    def main():
        run_info_module(SYNC_TASKS)
"""

from urllib.parse import urlsplit

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.hwcloud.migration.plugins.module_utils._api.client import HuaweiCloudClient

# Only the presence of jsonschema is checked here; _contract imports it when a
# body needs explaining.
from ansible_collections.hwcloud.migration.plugins.module_utils._api.contract import HAS_JSONSCHEMA, JSONSCHEMA_IMPORT_ERROR
from ansible_collections.hwcloud.migration.plugins.module_utils._api.options import OptionError, common_argument_spec, resolve_auth_mode, validate_common_params
from ansible_collections.hwcloud.migration.plugins.module_utils._api.transport import HAS_REQUESTS, REQUESTS_IMPORT_ERROR
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.base import INFO_ARGUMENT_SPEC, ReadContext, ReadError, finished_result
from ansible_collections.hwcloud.migration.plugins.module_utils._version import USER_AGENT


class HuaweiCloudModule(AnsibleModule):
    """``AnsibleModule`` with the common Huawei Cloud options, credential checks and a client.

    ``argument_spec`` holds the module's own options (they win over a common
    option of the same name); ``service`` is the service name used for the
    endpoint (``oms``, ``modelarts``); other keyword arguments go to
    ``AnsibleModule``.
    """

    def __init__(self, argument_spec=None, service=None, user_agent=None, **kwargs):
        spec = common_argument_spec()
        spec.update(argument_spec or {})
        super().__init__(argument_spec=spec, **kwargs)
        self.service = service
        self.user_agent = user_agent or USER_AGENT
        self._client = None

        self._hide_endpoint_userinfo()
        if not HAS_REQUESTS:
            self.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
        if not HAS_JSONSCHEMA:
            self.fail_json(msg=missing_required_lib('jsonschema'), exception=JSONSCHEMA_IMPORT_ERROR)
        try:
            validate_common_params(self.params)
            self.auth_mode = resolve_auth_mode(self.params)
        except OptionError as err:
            self.fail_json(msg=str(err))
        if not self.params.get('validate_certs', True):
            self.warn(
                'validate_certs is false: the TLS certificates of the endpoints are not verified, so anyone '
                'on the network path can read the credentials and change the answers; use ca_path for a '
                'private CA instead.'
            )

    def _hide_endpoint_userinfo(self):
        # An endpoint with user:password@ is refused when the client is built, but
        # Ansible echoes module arguments (invocation, -vvv): mask the userinfo
        # there too, as it masks no_log options.
        for name in ('endpoint', 'iam_endpoint'):
            value = self.params.get(name)
            if isinstance(value, str) and '@' in value:
                netloc = urlsplit(value if '://' in value else 'https://' + value.strip()).netloc
                userinfo = netloc.rpartition('@')[0]
                for secret in (userinfo, userinfo.partition(':')[2]):
                    if secret:
                        self.no_log_values.add(secret)

    @property
    def client(self):
        """The :class:`HuaweiCloudClient` of this run, built on first use, on the module's thread (fails the module on a bad configuration)."""
        if self._client is None:
            if not self.service:
                raise ValueError('HuaweiCloudModule needs service= to build a client')
            try:
                # The client adds every secret it obtains (the IAM token) to no_log_values, so Ansible masks it too.
                self._client = HuaweiCloudClient(self.params, self.service, user_agent=self.user_agent, secrets=self.no_log_values)
            except OptionError as err:
                self.fail_json(msg=str(err))
        return self._client


def run_info_module(read) -> None:
    """The whole ``main()`` of an info module: ``read`` (a :class:`._reads.base.Read`) as a module of its own."""
    spec = dict(read.argument_spec)
    spec.update(INFO_ARGUMENT_SPEC)
    module = HuaweiCloudModule(
        argument_spec=spec,
        service=read.service,
        mutually_exclusive=read.mutually_exclusive or None,
        required_one_of=read.required_one_of or None,
        supports_check_mode=True,
    )
    context = ReadContext(module.params, read.service, module.warn)
    try:
        step = read.prepare(context)
        context.client = module.client
        failed, result = finished_result(context, step())
    except ReadError as err:
        module.fail_json(**err.result)
    if failed:
        module.fail_json(**result)
    module.exit_json(changed=False, **result)
