# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The region table is the official SDK's, and an unknown region is refused with the closest match."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from sdk_oracle import ModelArtsRegion, OmsRegion

from ansible_collections.hwcloud.migration.plugins.module_utils._api.client import HuaweiCloudClient
from ansible_collections.hwcloud.migration.plugins.module_utils._api.endpoints import resolve_endpoint
from ansible_collections.hwcloud.migration.plugins.module_utils._api.options import OptionError, validate_common_params
from ansible_collections.hwcloud.migration.plugins.module_utils._api.regions import KNOWN_REGIONS, SERVICE_REGIONS, closest_region, is_known_region

SDK_TABLES = {'oms': OmsRegion, 'modelarts': ModelArtsRegion}


@pytest.mark.parametrize('service', sorted(SDK_TABLES))
def test_the_table_is_the_sdks(service):
    assert SERVICE_REGIONS[service] == tuple(SDK_TABLES[service].static_fields)


@pytest.mark.parametrize('service', sorted(SDK_TABLES))
def test_the_default_endpoint_of_each_region_is_the_sdks(service):
    for region, entry in SDK_TABLES[service].static_fields.items():
        assert [resolve_endpoint(service, region, environ={})] == entry.endpoints, region


def test_every_service_the_collection_calls_has_a_table():
    assert set(SERVICE_REGIONS) == {'oms', 'modelarts'}
    assert KNOWN_REGIONS == set(SERVICE_REGIONS['oms']) | set(SERVICE_REGIONS['modelarts'])
    assert is_known_region('cn-north-2') and not is_known_region('cn-north-7')  # ModelArts-only is known


@pytest.mark.parametrize(
    'typo, meant', [('cn-nrth-4', 'cn-north-4'), ('cn-north4', 'cn-north-4'), ('ap-southeast1', 'ap-southeast-1'), ('la-sout-2', 'la-south-2')]
)
def test_an_unknown_region_gets_the_closest_match_before_any_request(typo, meant):
    with pytest.raises(OptionError) as caught:
        validate_common_params({'region': typo, 'auth_token': 't'}, environ={})
    message = str(caught.value)
    assert message.startswith("unknown region '%s', did you mean %s? " % (typo, meant)), message
    assert 'set endpoint and iam_endpoint' in message and 'HW_REGION_NAME' in message


def test_a_region_like_no_other_is_refused_with_the_list():
    assert closest_region('xq') is None
    with pytest.raises(OptionError) as caught:
        validate_common_params({'region': 'xq'}, environ={})
    assert str(caught.value).startswith("unknown region 'xq'. Known regions") and 'cn-north-4, ' in str(caught.value)


def test_the_client_refuses_it_too():
    with pytest.raises(OptionError) as caught:
        HuaweiCloudClient({'region': 'cn-north-7', 'auth_token': 't', 'project_id': 'p'}, 'oms')
    assert "unknown region 'cn-north-7'" in str(caught.value)


@pytest.mark.parametrize(
    'params, environ',
    [
        ({'endpoint': 'http://127.0.0.1:8080'}, {}),
        ({'iam_endpoint': 'http://127.0.0.1:8080'}, {}),
        ({'cloud': 'private.example'}, {}),
        ({}, {'HUAWEICLOUD_SDK_REGION_OMS_EMU_LOCAL_1': 'http://127.0.0.1:8080'}),
    ],
)
def test_any_region_name_is_accepted_when_the_hosts_are_given(params, environ):
    validate_common_params(dict(params, region='emu-local-1'), environ=environ)


def test_the_environment_variable_must_be_about_that_region():
    with pytest.raises(OptionError):
        validate_common_params({'region': 'emu-local-1'}, environ={'HUAWEICLOUD_SDK_REGION_OMS_CN_NORTH_4': 'http://127.0.0.1:8080'})


def test_no_region_is_not_an_unknown_region():
    validate_common_params({'project_id': 'p', 'endpoint': 'http://127.0.0.1:1'}, environ={})
    validate_common_params({'region': ''}, environ={})
