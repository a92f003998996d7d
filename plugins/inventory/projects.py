# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r"""
name: projects
short_description: Gate targets from the IAM projects a Huawei Cloud credential can see
version_added: 0.2.0
author:
  - hwcloud.migration maintainers (@hwcloud)
description:
  - Lists the IAM projects the configured credentials may use (C(GET /v3/auth/projects)), keeps the enabled
    ones that match O(regions), O(include) and O(exclude), and adds one host per project to the group
    C(migration_health_targets), so the C(hwcloud.migration.migration_health) playbook gates every project of
    an account in one run, one fleet verdict for all.
  - Each host is named after its project (for example C(cn-north-4) or C(cn-north-4_analytics)), with
    O(host_prefix) in front, and runs with C(ansible_connection=local).
  - Each host gets C(migration_health_connection) (the project's C(region) and C(project_id), plus the
    non-secret connection settings of this source and O(target_settings)) and C(migration_health_project)
    (C(id), C(name), C(region), C(domain_id)).
  - Credentials are never put in host variables. The targets' modules read them from the same environment
    variables this plugin reads (E(HUAWEICLOUD_SDK_AK) and E(HUAWEICLOUD_SDK_SK), or E(HW_ACCESS_KEY) and
    E(HW_SECRET_KEY), and so on), which is how AWX and Automation Platform credentials reach a job.
  - The options shared with the modules are read from the inventory file first, then from the environment
    variables their descriptions name. O(region) here is the region of the IAM endpoint;
    O(endpoint) is not used for IAM, it is handed to every target as the endpoint of its services (for the
    bundled emulator, which serves every service and IAM on one URL).
  - The inventory file name must end with C(projects.yml) or C(projects.yaml).
extends_documentation_fragment:
  - hwcloud.migration.huaweicloud
  - ansible.builtin.constructed
options:
  plugin:
    description: The name of this plugin; makes the file an inventory source of this plugin.
    type: str
    required: true
    choices: [hwcloud.migration.projects]
  regions:
    description:
      - Keep only the projects of these regions (a project's region is its name up to the first V(_)).
      - Empty keeps every region.
    type: list
    elements: str
    default: []
  include:
    description:
      - Keep only the projects whose name matches one of these shell patterns (V(cn-north-4*), V(*_prod)).
      - Empty keeps every name.
    type: list
    elements: str
    default: []
  exclude:
    description:
      - Leave out the projects whose name matches one of these shell patterns. Applied after O(include).
    type: list
    elements: str
    default: []
  host_prefix:
    description:
      - Text put in front of every host name, to keep the hosts of two accounts apart in one inventory.
      - Letters, digits, V(.), V(_) and V(-) only.
    type: str
    default: ''
  target_settings:
    description:
      - More connection settings for every target, merged into its C(migration_health_connection).
      - Only non-secret settings are accepted - V(endpoint), V(iam_endpoint), V(cloud), V(validate_certs),
        V(ca_path), V(timeout), V(retries), V(max_concurrency) and V(rate_limit).
    type: dict
    default: {}
notes:
  - Projects whose name does not start with a region ID (such as the C(MOS) project some accounts have) are not
    targets and are left out.
  - An IAM failure (wrong credentials, no permission, a malformed answer) fails the inventory source with the
    service's status, code and request ID; the inventory is never built from a partial project list.
seealso:
  - ref: ansible_collections.hwcloud.migration.docsite.fleet
    description: How the gate playbook uses the targets of this inventory (docs/fleet.md).
  - module: hwcloud.migration.migration_health_fleet_report
"""

EXAMPLES = r"""
# projects.yml: every project of the account in two regions, one group per region;
# credentials from the environment (HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK).
plugin: hwcloud.migration.projects
region: cn-north-4
regions: [cn-north-4, cn-east-3]
exclude: ['*_sandbox']
keyed_groups:
  - key: migration_health_project.region
    prefix: region
# Against the bundled emulator, which serves IAM and every service on one URL:
# iam_endpoint: http://127.0.0.1:8080
# target_settings:
#   endpoint: http://127.0.0.1:8080
#   iam_endpoint: http://127.0.0.1:8080
"""

import fnmatch
import os
import re

from ansible.errors import AnsibleParserError
from ansible.module_utils.common.text.converters import to_native
from ansible.plugins.inventory import BaseInventoryPlugin, Constructable
from ansible.utils.unsafe_proxy import wrap_var

from ansible_collections.hwcloud.migration.plugins.module_utils._api.client import HuaweiCloudClient
from ansible_collections.hwcloud.migration.plugins.module_utils._api.contract import ContractUnavailableError, check_contract, limit_violations
from ansible_collections.hwcloud.migration.plugins.module_utils._api.endpoints import resolve_iam_endpoint
from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError
from ansible_collections.hwcloud.migration.plugins.module_utils._api.options import ENV_VARS, OptionError, common_argument_spec

GROUP = 'migration_health_targets'
PROJECTS_PATH = '/v3/auth/projects'
# A region ID (cn-north-4, ap-southeast-1, la-north-2 ...).
REGION_RE = re.compile(r'^[a-z]{2}(-[a-z0-9]+)+$')
HOST_NAME_RE = re.compile(r'^[A-Za-z0-9_.-]+$')
PROJECT_ID_RE = re.compile(r'^[A-Za-z0-9_-]{1,64}$')
# Settings a target may be given: none of them is a secret.
TARGET_SETTINGS = frozenset(['endpoint', 'iam_endpoint', 'cloud', 'validate_certs', 'ca_path', 'timeout', 'retries', 'max_concurrency', 'rate_limit'])
# Settings of this source that every target shares (the credentials are not among them).
_SHARED_SETTINGS = ('endpoint', 'iam_endpoint', 'cloud', 'validate_certs', 'ca_path', 'timeout', 'retries')
_CONVERT = {'int': int, 'float': float}


def project_region(name):
    """The region of a project from its name (``cn-north-4_dev`` -> ``cn-north-4``), or None."""
    region = name.split('_', 1)[0]
    return region if REGION_RE.match(region) else None


def select_projects(projects, regions=(), include=(), exclude=()):
    """The enabled, well-formed projects that pass the filters, sorted by name, and what was left out.

    Returns ``(kept, skipped)``: ``kept`` is a list of ``{id, name, region,
    domain_id}``; ``skipped`` a list of ``(project, reason)`` for projects that
    are not targets at all (malformed, disabled, not a region's project).
    Filtered-out projects are in neither list.
    """
    kept = []
    skipped = []
    for project in projects:
        project_id = project.get('id')
        name = project.get('name')
        if not isinstance(project_id, str) or not PROJECT_ID_RE.match(project_id):
            skipped.append((project, 'its id is not a project id'))
            continue
        if not isinstance(name, str) or not HOST_NAME_RE.match(name):
            skipped.append((project, 'its name is not usable as a host name'))
            continue
        if project.get('enabled') is False:
            skipped.append((project, 'it is disabled'))
            continue
        region = project_region(name)
        if region is None:
            skipped.append((project, 'its name does not start with a region ID'))
            continue
        if regions and region not in regions:
            continue
        if include and not any(fnmatch.fnmatchcase(name, pattern) for pattern in include):
            continue
        if any(fnmatch.fnmatchcase(name, pattern) for pattern in exclude):
            continue
        kept.append({'id': project_id, 'name': name, 'region': region, 'domain_id': project.get('domain_id')})
    kept.sort(key=lambda item: (item['name'], item['id']))
    return kept, skipped


class InventoryModule(BaseInventoryPlugin, Constructable):
    """Inventory plugin hwcloud.migration.projects."""

    NAME = 'hwcloud.migration.projects'

    def verify_file(self, path):
        """Only files named ``*projects.yml`` / ``*projects.yaml``."""
        return super().verify_file(path) and path.endswith(('projects.yml', 'projects.yaml'))

    def _client_params(self):
        """The common options from the file, else from their environment variables, typed and checked."""
        params = {}
        for name, option in common_argument_spec().items():
            value = self.get_option(name)
            variable = next((variable for variable in ENV_VARS.get(name, ()) if os.environ.get(variable)), None)
            if value in (None, '') and variable is not None:
                try:
                    value = _CONVERT.get(option.get('type'), str)(os.environ[variable])
                except ValueError:
                    raise AnsibleParserError('%s must be a number, check the environment variable %s' % (name, variable))
            if value not in (None, ''):
                params[name] = value
        return params

    def _check_options(self):
        regions = self.get_option('regions') or []
        for region in regions:
            if not isinstance(region, str) or not REGION_RE.match(region):
                raise AnsibleParserError('regions: %r is not a region ID; write IDs such as cn-north-4' % (region,))
        for option in ('include', 'exclude'):
            for pattern in self.get_option(option) or []:
                if not isinstance(pattern, str) or not pattern:
                    raise AnsibleParserError('%s: every pattern must be a non-empty string, such as cn-north-4*' % option)
        prefix = self.get_option('host_prefix') or ''
        if prefix and not HOST_NAME_RE.match(prefix):
            raise AnsibleParserError('host_prefix may hold letters, digits, ".", "_" and "-" only')
        settings = self.get_option('target_settings') or {}
        unknown = sorted(set(settings) - TARGET_SETTINGS)
        if unknown:
            raise AnsibleParserError(
                'target_settings accepts %s only, not %s; credentials reach the targets through '
                'their environment, never through the inventory' % (', '.join(sorted(TARGET_SETTINGS)), ', '.join(unknown))
            )
        return regions, prefix, settings

    def _list_projects(self, params):
        """The project list from IAM, checked against the contract."""
        try:
            iam_url = resolve_iam_endpoint(params.get('region'), params.get('cloud'), iam_endpoint=params.get('iam_endpoint'))
            client_params = dict(params, endpoint=iam_url, iam_endpoint=iam_url)
            client_params.pop('project_id', None)
            client = HuaweiCloudClient(client_params, 'iam')
            body, meta = client.get_json(PROJECTS_PATH)
        except OptionError as exc:
            raise AnsibleParserError('hwcloud.migration.projects: %s' % to_native(exc))
        except HuaweiCloudError as exc:
            raise AnsibleParserError('hwcloud.migration.projects: IAM project listing failed: %s' % to_native(exc))
        try:
            violations = check_contract('KeystoneListProjectsResponse', body)
        except ContractUnavailableError as exc:
            raise AnsibleParserError('hwcloud.migration.projects: cannot check the IAM answer: %s' % to_native(exc))
        if violations:
            raise AnsibleParserError(
                'hwcloud.migration.projects: the IAM project list (request id %s) breaks the API '
                'contract: %s' % (meta['request_id'], '; '.join(limit_violations(violations)))
            )
        links = body.get('links') if isinstance(body, dict) else None
        if isinstance(links, dict) and links.get('next'):
            # Reading only the first page would leave projects ungated without a word.
            raise AnsibleParserError(
                'hwcloud.migration.projects: IAM answered a paged project list (request id %s); narrow it with regions or include' % meta['request_id']
            )
        return body['projects']

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        self._read_config_data(path)
        regions, prefix, settings = self._check_options()
        params = self._client_params()
        projects = self._list_projects(params)
        kept, skipped = select_projects(projects, regions, self.get_option('include') or [], self.get_option('exclude') or [])
        for project, reason in skipped:
            self.display.vvv('hwcloud.migration.projects: project %r left out: %s' % (project.get('id') if isinstance(project, dict) else project, reason))
        # Defaults stay out, so each target still honours its own environment (HW_MAX_RETRIES ...).
        defaults = common_argument_spec()
        shared = dict((name, params[name]) for name in _SHARED_SETTINGS if name in params and params[name] != defaults[name].get('default'))
        self.inventory.add_group(GROUP)
        strict = self.get_option('strict')
        seen = set()
        for project in kept:
            host = prefix + project['name']
            if host in seen:
                host = '%s_%s' % (host, project['id'])
            seen.add(host)
            self.inventory.add_host(host, group=GROUP)
            connection = dict(shared)
            connection.update(settings)
            # What IAM answered is data, never a template (ansible-core 2.16 templates
            # inventory variables that are not marked unsafe): the project's id, name,
            # region and domain id are marked unsafe here, where they enter Ansible.
            # The settings of the inventory file itself are the user's and stay as written.
            connection.update(region=wrap_var(project['region']), project_id=wrap_var(project['id']))
            self.inventory.set_variable(host, 'ansible_connection', 'local')
            self.inventory.set_variable(host, 'migration_health_connection', connection)
            self.inventory.set_variable(host, 'migration_health_project', wrap_var(project))
            host_vars = self.inventory.get_host(host).get_vars()
            self._set_composite_vars(self.get_option('compose'), host_vars, host, strict=strict)
            self._add_host_to_composed_groups(self.get_option('groups'), host_vars, host, strict=strict)
            self._add_host_to_keyed_groups(self.get_option('keyed_groups'), host_vars, host, strict=strict)
