# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""migration_state_info documents each read's options as typed sub-options, equal to the single modules' options."""

import importlib

import pytest
import yaml

from ansible_collections.hwcloud.migration.plugins.module_utils._reads import bundle
from ansible_collections.hwcloud.migration.plugins.modules import migration_state_info

KEYS = ('type', 'elements', 'choices', 'default')


def documented_options(module_name):
    module = importlib.import_module('ansible_collections.hwcloud.migration.plugins.modules.' + module_name.rsplit('.', 1)[-1])
    return yaml.safe_load(module.DOCUMENTATION)['options']


STATE_OPTIONS = yaml.safe_load(migration_state_info.DOCUMENTATION)['options']


@pytest.mark.parametrize('read', bundle.READS, ids=lambda read: read.name)
def test_each_part_documents_the_options_of_its_module(read):
    single = documented_options(bundle.MODULE_OF[read.name])
    part = STATE_OPTIONS[read.name]
    assert part['type'] == 'dict'
    assert sorted(part['suboptions']) == sorted(read.argument_spec)
    for name, spec in read.argument_spec.items():
        documented = part['suboptions'][name]
        for key in KEYS:
            assert documented.get(key) == spec.get(key) == single[name].get(key), (read.name, name, key)
        assert documented['description'] == ['The same as O(%s#module:%s).' % (bundle.MODULE_OF[read.name], name)]


def test_the_argument_spec_types_every_part():
    spec = bundle.argument_spec()
    assert sorted(spec) == sorted(read.name for read in bundle.READS)
    for read in bundle.READS:
        assert spec[read.name]['type'] == 'dict'
        assert spec[read.name]['options'] is read.argument_spec
        assert spec[read.name]['mutually_exclusive'] == (read.mutually_exclusive or None)
