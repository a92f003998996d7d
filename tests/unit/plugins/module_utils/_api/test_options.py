# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Common options: environment precedence, auth method choice, ranges, and the doc fragment."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest
import yaml
from ansible.module_utils.basic import AnsibleModule
from module_args import patch_module_args

from ansible_collections.hwcloud.migration.plugins.doc_fragments.huaweicloud import ModuleDocFragment
from ansible_collections.hwcloud.migration.plugins.module_utils._api.options import (
    AUTH_AKSK,
    AUTH_PASSWORD,
    AUTH_TOKEN,
    OptionError,
    common_argument_spec,
    resolve_auth_mode,
    validate_common_params,
)


def _params(args=None):
    with patch_module_args(args or {}):
        return AnsibleModule(argument_spec=common_argument_spec()).params


@pytest.mark.parametrize(
    'option, sdk_var, terraform_var',
    [
        ('project_id', 'HUAWEICLOUD_SDK_PROJECT_ID', 'HW_PROJECT_ID'),
        ('access_key', 'HUAWEICLOUD_SDK_AK', 'HW_ACCESS_KEY'),
        ('secret_key', 'HUAWEICLOUD_SDK_SK', 'HW_SECRET_KEY'),
        ('security_token', 'HUAWEICLOUD_SDK_SECURITY_TOKEN', 'HW_SECURITY_TOKEN'),
        ('iam_endpoint', 'HUAWEICLOUD_SDK_IAM_ENDPOINT', 'HW_AUTH_URL'),
    ],
)
def test_precedence_option_then_sdk_then_terraform(monkeypatch, option, sdk_var, terraform_var):
    monkeypatch.setenv(terraform_var, 'from-terraform')
    assert _params()[option] == 'from-terraform'
    monkeypatch.setenv(sdk_var, 'from-sdk')
    assert _params()[option] == 'from-sdk'
    assert _params({option: 'from-option'})[option] == 'from-option'


@pytest.mark.parametrize(
    'option, variable, value, expected',
    [('region', 'HW_REGION_NAME', 'cn-east-3', 'cn-east-3'), ('cloud', 'HW_CLOUD', 'example.cloud', 'example.cloud'), ('retries', 'HW_MAX_RETRIES', '7', 7)],
)
def test_terraform_only_variables(monkeypatch, option, variable, value, expected):
    monkeypatch.setenv(variable, value)
    assert _params()[option] == expected


def test_defaults():
    params = _params()
    assert params['cloud'] == 'myhuaweicloud.com'
    assert params['validate_certs'] is True
    assert params['timeout'] == 30.0
    assert params['retries'] == 4
    assert params['max_concurrency'] == 8
    assert params['rate_limit'] is None
    assert params['region'] is None


def test_secret_options_are_no_log_and_access_key_explicitly_not():
    spec = common_argument_spec()
    for name in ('secret_key', 'security_token', 'auth_token', 'password'):
        assert spec[name]['no_log'] is True
    assert spec['access_key']['no_log'] is False
    assert common_argument_spec() is not common_argument_spec()


def test_doc_fragment_matches_the_argument_spec():
    documented = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)['options']
    spec = common_argument_spec()
    assert set(documented) == set(spec)
    for name, option in spec.items():
        doc = documented[name]
        assert doc['type'] == option['type'], name
        if 'default' in option:
            assert doc.get('default') == option['default'], name
        else:
            assert 'default' not in doc, name
        for variable in option.get('fallback', (None, []))[1]:
            assert 'E(%s)' % variable in json.dumps(doc['description']), (name, variable)


# -- auth method -----------------------------------------------------------


def test_each_method_alone():
    assert resolve_auth_mode({'access_key': 'a', 'secret_key': 's'}) == AUTH_AKSK
    assert resolve_auth_mode({'access_key': 'a', 'secret_key': 's', 'security_token': 't'}) == AUTH_AKSK
    assert resolve_auth_mode({'auth_token': 't'}) == AUTH_TOKEN
    assert resolve_auth_mode({'username': 'u', 'password': 'p', 'domain_name': 'd'}) == AUTH_PASSWORD
    # domain_name alone does not select password auth
    assert resolve_auth_mode({'auth_token': 't', 'domain_name': 'd'}) == AUTH_TOKEN


def test_none_configured_names_the_options():
    with pytest.raises(OptionError) as info:
        resolve_auth_mode({'access_key': '', 'auth_token': None})
    for name in ('access_key', 'secret_key', 'auth_token', 'username', 'password', 'domain_name'):
        assert name in str(info.value)


@pytest.mark.parametrize(
    'params, named',
    [
        ({'access_key': 'a'}, ['secret_key', 'HUAWEICLOUD_SDK_SK', 'HW_SECRET_KEY']),
        ({'secret_key': 's'}, ['access_key', 'HUAWEICLOUD_SDK_AK', 'HW_ACCESS_KEY']),
        ({'security_token': 't'}, ['access_key', 'secret_key']),
        ({'username': 'u'}, ['password', 'domain_name']),
        ({'username': 'u', 'password': 'p'}, ['domain_name']),
        ({'password': 'p', 'domain_name': 'd'}, ['username']),
    ],
)
def test_half_a_pair(params, named):
    with pytest.raises(OptionError) as info:
        resolve_auth_mode(params)
    for name in named:
        assert name in str(info.value)


@pytest.mark.parametrize(
    'params, named',
    [
        ({'access_key': 'a', 'secret_key': 's', 'auth_token': 't'}, ['access_key', 'secret_key', 'auth_token']),
        ({'auth_token': 't', 'username': 'u', 'password': 'p', 'domain_name': 'd'}, ['auth_token', 'username']),
        ({'access_key': 'a', 'secret_key': 's', 'username': 'u', 'password': 'p'}, ['access_key', 'username']),
    ],
)
def test_several_methods(params, named):
    with pytest.raises(OptionError) as info:
        resolve_auth_mode(params)
    message = str(info.value)
    assert 'Several' in message and 'unset' in message
    for name in named:
        assert name in message


def test_conflict_through_environment(monkeypatch):
    monkeypatch.setenv('HW_ACCESS_KEY', 'a')
    monkeypatch.setenv('HW_SECRET_KEY', 's')
    params = _params({'auth_token': 'tok'})
    with pytest.raises(OptionError):
        resolve_auth_mode(params)


def test_option_error_is_a_value_error():
    assert issubclass(OptionError, ValueError)


# -- ranges ------------------------------------------------------------------


@pytest.mark.parametrize(
    'params, named',
    [
        ({'timeout': 0}, 'timeout'),
        ({'timeout': -1.5}, 'timeout'),
        ({'retries': -1}, 'retries'),
        ({'max_concurrency': 0}, 'max_concurrency'),
        ({'max_concurrency': 65}, 'max_concurrency'),
        ({'rate_limit': 0}, 'rate_limit'),
        ({'rate_limit': -2.0}, 'rate_limit'),
    ],
)
def test_out_of_range(params, named):
    with pytest.raises(OptionError) as info:
        validate_common_params(params)
    assert named in str(info.value)


def test_in_range():
    validate_common_params({'timeout': 0.1, 'retries': 0, 'max_concurrency': 64, 'rate_limit': 0.5})
    validate_common_params({'max_concurrency': 1, 'rate_limit': None})
    validate_common_params(_params())
