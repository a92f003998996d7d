# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The projects inventory plugin: the project filter, and its IAM failures over a fake server."""

import json

import pytest
from ansible.errors import AnsibleParserError
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader

from ansible_collections.hwcloud.migration.plugins.inventory import projects as plugin_module
from ansible_collections.hwcloud.migration.plugins.module_utils._api.options import common_argument_spec

SECRET = 'unit-secret-key-never-printed-0001'


def _project(project_id, name, enabled=True):
    return {'id': project_id, 'name': name, 'enabled': enabled, 'domain_id': 'd1'}


def test_project_region_takes_the_name_up_to_the_first_underscore():
    assert plugin_module.project_region('cn-north-4') == 'cn-north-4'
    assert plugin_module.project_region('cn-north-4_dev_2') == 'cn-north-4'
    assert plugin_module.project_region('MOS') is None
    assert plugin_module.project_region('') is None


def test_select_projects_filters_and_explains_what_is_not_a_target():
    projects = [
        _project('p3', 'cn-east-3'),
        _project('p1', 'cn-north-4'),
        _project('p2', 'cn-north-4_dev'),
        _project('p4', 'cn-north-4_old', enabled=False),
        _project('p5', 'MOS'),
        _project('p/6', 'cn-south-1'),
        _project('p7', 'cn south 1'),
        {'name': 'cn-south-1'},
    ]
    kept, skipped = plugin_module.select_projects(projects)
    assert [item['name'] for item in kept] == ['cn-east-3', 'cn-north-4', 'cn-north-4_dev']
    assert kept[2] == {'id': 'p2', 'name': 'cn-north-4_dev', 'region': 'cn-north-4', 'domain_id': 'd1'}
    assert sorted(reason for _project_, reason in skipped) == sorted(
        [
            'it is disabled',
            'its name does not start with a region ID',
            'its id is not a project id',
            'its name is not usable as a host name',
            'its id is not a project id',
        ]
    )
    kept, _skipped = plugin_module.select_projects(projects, regions=['cn-north-4'], exclude=['*_dev'])
    assert [item['name'] for item in kept] == ['cn-north-4']
    kept, _skipped = plugin_module.select_projects(projects, include=['cn-east-*', 'cn-north-4_*'])
    assert [item['name'] for item in kept] == ['cn-east-3', 'cn-north-4_dev']


def _options(source):
    """Every option of the plugin with its documented default, then the source's values.

    (The plugin loader fills these from the DOCUMENTATION in a real run; the
    integration tests cover that path with ansible-inventory.)
    """
    options = dict((name, spec.get('default')) for name, spec in common_argument_spec().items())
    options.update(
        regions=[],
        include=[],
        exclude=[],
        host_prefix='',
        target_settings={},
        compose={},
        groups={},
        keyed_groups=[],
        strict=False,
        use_extra_vars=False,
        leading_separator=True,
    )
    options.update(source)
    return options


@pytest.fixture
def parse(tmp_path, fake_server):
    """Parse an inventory source of the plugin against the fake server; returns the InventoryData."""

    def run(**options):
        source = {'plugin': 'hwcloud.migration.projects', 'iam_endpoint': fake_server.url, 'access_key': 'UNITAK', 'secret_key': SECRET}
        source.update(options)
        path = tmp_path / 'unit.projects.yml'
        path.write_text(json.dumps(source))
        plugin = plugin_module.InventoryModule()
        assert plugin.verify_file(str(path))
        assert not plugin.verify_file(str(tmp_path / 'hosts.yml'))
        plugin._read_config_data = lambda path: plugin._options.update(_options(source))
        inventory = InventoryData()
        plugin.parse(inventory, DataLoader(), str(path), cache=False)
        return inventory

    return run


def test_parse_builds_the_targets_from_iam(parse, fake_server):
    listing = {'projects': [_project('p1', 'cn-north-4'), _project('p2', 'cn-east-3')]}
    fake_server.handler = lambda request: (200, {}, listing)
    inventory = parse(target_settings={'endpoint': 'http://127.0.0.1:1', 'timeout': 5})
    assert sorted(inventory.groups['migration_health_targets'].get_hosts(), key=str)[0].name == 'cn-east-3'
    host_vars = inventory.get_host('cn-north-4').get_vars()
    assert host_vars['migration_health_connection'] == {
        'iam_endpoint': fake_server.url,
        'endpoint': 'http://127.0.0.1:1',
        'timeout': 5,
        'region': 'cn-north-4',
        'project_id': 'p1',
    }
    assert SECRET not in json.dumps(host_vars, default=str)
    request = fake_server.requests[0]
    assert request.path == '/v3/auth/projects'
    assert request.header('Authorization').startswith('SDK-HMAC-SHA256 Access=UNITAK,')
    assert request.header('X-Project-Id') is None


@pytest.mark.parametrize(
    'answer, words',
    [
        (
            (401, {'X-Request-Id': 'r-401'}, {'error_code': 'APIGW.0301', 'error_msg': 'verify aksk signature fail'}),
            ['IAM project listing failed', 'APIGW.0301', 'r-401'],
        ),
        ((200, {}, '<html>proxy</html>'), ['not JSON']),
        ((200, {'X-Request-Id': 'r-bad'}, {'projects': [{'name': 'cn-north-4'}]}), ['breaks the API contract', 'r-bad']),
        ((200, {'X-Request-Id': 'r-page'}, {'projects': [], 'links': {'next': 'http://x/v3/auth/projects?page=2'}}), ['paged project list', 'r-page']),
    ],
)
def test_iam_failures_fail_the_source_without_the_secret(parse, fake_server, answer, words):
    fake_server.handler = lambda request: answer
    with pytest.raises(AnsibleParserError) as caught:
        parse(retries=0)
    message = str(caught.value)
    for word in words:
        assert word in message
    assert SECRET not in message


@pytest.mark.parametrize(
    'options, words',
    [
        ({'regions': ['cn north']}, "regions: 'cn north' is not a region ID"),
        ({'include': ['']}, 'include: every pattern must be a non-empty string'),
        ({'host_prefix': 'a b'}, 'host_prefix may hold'),
        ({'target_settings': {'password': SECRET}}, 'target_settings accepts'),
        ({'secret_key': None}, 'Incomplete AK/SK credentials'),
    ],
)
def test_bad_options_are_refused_before_any_request(parse, fake_server, options, words):
    with pytest.raises(AnsibleParserError) as caught:
        parse(**options)
    assert words in str(caught.value)
    assert SECRET not in str(caught.value)
    assert fake_server.requests == []


def _template(expression, variables):
    """Template ``expression`` (written by the user, so trusted) with these variables, on any ansible-core."""
    from ansible.template import Templar

    try:  # ansible-core 2.19+: only text marked as trusted is a template
        from ansible.template import trust_as_template
    except ImportError:  # ansible-core 2.16 to 2.18: every text is, unless marked unsafe
        trust_as_template = None
    if trust_as_template is not None:
        expression = trust_as_template(expression)
    return Templar(loader=DataLoader(), variables=variables).template(expression)


@pytest.mark.security
def test_host_vars_from_iam_are_never_templated(parse, fake_server):
    """What IAM answers is data: a Jinja payload in a project's fields stays text wherever the host vars are used."""
    payload = "{{ 'tem' ~ 'plated' }}{% if true %}!{% endif %}"
    project = _project('p1', 'cn-north-4')
    project['domain_id'] = payload
    fake_server.handler = lambda request: (200, {}, {'projects': [project]})
    inventory = parse(target_settings={'endpoint': 'http://127.0.0.1:1'})
    host_vars = inventory.get_host('cn-north-4').get_vars()
    assert _template('{{ migration_health_project.domain_id }}', host_vars) == payload
    shown = _template('{{ migration_health_project }}', host_vars)
    assert shown['domain_id'] == payload and shown['name'] == 'cn-north-4'
    assert _template('{{ migration_health_connection.project_id }}-{{ migration_health_connection.region }}', host_vars) == 'p1-cn-north-4'
    # The inventory file's own settings are the user's and are not marked.
    assert _template('{{ migration_health_connection.endpoint }}', host_vars) == 'http://127.0.0.1:1'
