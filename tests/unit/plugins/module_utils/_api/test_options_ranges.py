# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Numeric options: infinite, NaN, absurdly small or large values are refused by name, with the allowed range."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
import yaml

from ansible_collections.hwcloud.migration.plugins.doc_fragments.huaweicloud import ModuleDocFragment
from ansible_collections.hwcloud.migration.plugins.module_utils._api.options import RANGES, OptionError, validate_common_params

INF = float('inf')
NAN = float('nan')

REFUSED = {
    'timeout': [INF, -INF, NAN, 1e-9, 0, -1.5, 1e300, 601],
    'retries': [10**9, 21, -1, 10**400],
    'max_concurrency': [0, 65, 10**6],
    'rate_limit': [INF, NAN, 1e-9, 0, -2.0, 1e9],
    'max_response_bytes': [0, 1023, 10**12, 10**400],
}
RANGE_TEXT = {
    'timeout': 'from 0.1 to 600',
    'retries': 'from 0 to 20',
    'max_concurrency': 'from 1 to 64',
    'rate_limit': 'from 0.01 to 1000',
    'max_response_bytes': 'from 1024 to 1073741824',
}


@pytest.mark.parametrize('name, value', [(name, value) for name, values in sorted(REFUSED.items()) for value in values])
def test_out_of_range_values_are_refused_by_name_with_the_range(name, value):
    with pytest.raises(OptionError) as caught:
        validate_common_params({name: value})
    message = str(caught.value)
    assert message.startswith('%s must be a number of ' % name) and RANGE_TEXT[name] in message, message
    assert len(message) < 300, message  # a 400-digit value is not repeated whole


def test_the_environment_variable_is_named_for_retries():
    with pytest.raises(OptionError) as caught:
        validate_common_params({'retries': 1000})
    assert 'HW_MAX_RETRIES' in str(caught.value)


@pytest.mark.parametrize('name', sorted(RANGES))
def test_the_bounds_themselves_are_accepted(name):
    low, high, _unit = RANGES[name]
    validate_common_params({name: low})
    validate_common_params({name: high})


def test_a_boolean_is_not_a_number():
    with pytest.raises(OptionError):
        validate_common_params({'retries': True})


@pytest.mark.parametrize('name', sorted(RANGES))
def test_the_doc_fragment_states_each_range(name):
    low, high, _unit = RANGES[name]
    text = ' '.join(yaml.safe_load(ModuleDocFragment.DOCUMENTATION)['options'][name]['description'])
    assert ('%g' % low) in text and ('%g' % high if isinstance(high, float) else str(high)) in text, (name, text)
