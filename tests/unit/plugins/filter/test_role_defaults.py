# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role's thresholds are written in three places; they must say the same thing.

roles/migration_health/defaults/main.yml is what the role uses, its
meta/argument_specs.yml is what ansible-doc and the docs show, and the filter's
DEFAULT_POLICY is what a play calling the filters without the role gets.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from pathlib import Path

import yaml

from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import DEFAULT_POLICY

ROLE = Path(__file__).resolve().parents[4] / 'roles' / 'migration_health'
PREFIX = 'migration_health_'


def _role_defaults():
    return yaml.safe_load((ROLE / 'defaults' / 'main.yml').read_text())


def _spec_options():
    specs = yaml.safe_load((ROLE / 'meta' / 'argument_specs.yml').read_text())
    return specs['argument_specs']['main']['options']


def test_filter_defaults_match_the_role_defaults():
    defaults = _role_defaults()
    for key, value in DEFAULT_POLICY.items():
        assert defaults[PREFIX + key] == value, key


def test_argument_spec_documents_the_role_defaults():
    options = _spec_options()
    for name, value in _role_defaults().items():
        assert name in options, '%s is in defaults/main.yml but not in the argument spec' % name
        if value is None:
            assert options[name].get('default') is None, name
        else:
            assert options[name].get('default') == value, name
