# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Values the language cannot hold make one answer unusable with a clear error, never a crash."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from test_client import _client_for

from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.migration_summary import task_summary
from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import MAX_EPOCH_MS, ms_to_iso
from ansible_collections.hwcloud.migration.plugins.module_utils._values import UnusableValueError, decode_json

NOW = 1700150400000

UNUSABLE = [
    ('{"count": 1e400}', 'too large for a floating-point number'),
    ('{"count": %s}' % ('1' + '0' * 400), 'outside a 64-bit integer'),
    ('{"count": 9223372036854775808}', 'outside a 64-bit integer'),
    ('{"count": NaN}', 'not a JSON number'),
    ('{"count": -Infinity}', 'not a JSON number'),
    ('[' * 100000 + ']' * 100000, 'nests deeper than'),
    ('{"a":' * 70 + '1' + '}' * 70, 'nests deeper than'),
    ('{"status": "\\ud800"}', 'not valid Unicode'),
    ('{"\\udfff": 1}', 'not valid Unicode'),
]


@pytest.mark.parametrize('text, reason', UNUSABLE)
def test_values_that_cannot_be_held_are_refused_by_name(text, reason):
    with pytest.raises(UnusableValueError, match=reason):
        decode_json(text)


def test_usable_values_decode_unchanged():
    assert decode_json('{"a": [1, -2, 2.5, "\\u00e9\\ud83d\\ude00", null, true], "n": 9223372036854775807}') == {
        'a': [1, -2, 2.5, 'é😀', None, True],
        'n': 9223372036854775807,
    }


@pytest.mark.parametrize('text, reason', UNUSABLE)
def test_the_client_turns_them_into_an_error_of_that_answer(fake_server, text, reason):
    fake_server.handler = lambda request: (200, {'X-Request-Id': 'rid-9'}, text.encode('utf-8', 'surrogatepass'))
    with pytest.raises(HuaweiCloudError) as info:
        _client_for(fake_server).get_json('/v2/x')
    assert info.value.code == 'InvalidResponse' and info.value.request_id == 'rid-9'
    assert 'cannot be used' in str(info.value) and reason in str(info.value)


def test_a_time_past_the_year_9999_is_refused_not_crashed():
    assert ms_to_iso(MAX_EPOCH_MS) == '9999-12-31T23:59:59.999Z'
    with pytest.raises(ValueError, match='outside the years 1 to 9999'):
        ms_to_iso(MAX_EPOCH_MS + 1)


def test_a_left_time_past_the_year_9999_gives_an_unknown_eta():
    task = {'status': 2, 'progress': 0.5, 'left_time': 9223372036854775807, 'failed_num': 0}
    summary = task_summary(task, NOW)
    assert summary['eta'] is None and summary['eta_ms'] is None and summary['eta_unknown'] is True
