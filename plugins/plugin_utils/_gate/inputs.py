# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role's variables against its argument spec, with messages that say what to write.

The spec is the role's ``meta/argument_specs.yml`` (the options of one entry
point): it is the one list of the role's variables, for its documentation, for
Ansible's own validation and for this check.  The check runs first, so a
variable the role does not know (a typo) or a value of the wrong type stops the
gate with one short line per problem instead of a conversion error and the spec.
"""

import difflib

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import MigrationHealthError
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.policy import normalise_policy

PREFIX = 'migration_health_'
# Names of the collection that are not the role's options: the role's and the
# fleet play's internal variables, the fleet play's fact, and the host variable
# the projects inventory plugin sets on each target (what the project is).
INTERNAL_PREFIXES = ('migration_health__', 'migration_health_fleet__')
INTERNAL_NAMES = ('migration_health_fleet', 'migration_health_project')

# The role's options that are not settings of the policy: the role itself uses them.
ROLE_OPTIONS = ('migration_health_fail', 'migration_health_report_dir', 'migration_health_connection', 'migration_health_max_concurrency')

# What a value of each argument spec type is, in a user's words.
TYPE_WORDS = {'float': 'a fraction', 'int': 'a whole number', 'bool': 'true or false', 'str': 'a string', 'path': 'a path', 'list': 'a list', 'dict': 'a dict'}


def user_variable_names(names):
    """The names among ``names`` that a user sets for the role (its prefix, not internal)."""
    return sorted(name for name in names if name.startswith(PREFIX) and not name.startswith(INTERNAL_PREFIXES) and name not in INTERNAL_NAMES)


def unknown_variable_problems(names, options: dict) -> list:
    """One message per role-prefixed name in ``names`` that is not an option of ``options``."""
    problems = []
    for name in user_variable_names(names):
        if name in options:
            continue
        # Compared without the prefix that every name shares, or any name would be close.
        close = difflib.get_close_matches(name[len(PREFIX) :], [option[len(PREFIX) :] for option in options], n=1)
        hint = ('; did you mean %s%s?' % (PREFIX, close[0])) if close else '; the role knows %s' % ', '.join(sorted(options))
        problems.append('%s is not a variable of the migration_health role%s' % (name, hint))
    return problems


def _example(spec):
    default = spec.get('default')
    if spec.get('choices'):
        return 'one or more of %s' % ', '.join(str(choice) for choice in spec['choices'])
    if default in (None, [], {}, ''):
        return None
    return 'e.g. %s' % (str(default).lower() if isinstance(default, bool) else default)


def _value_problem(name, spec, value):
    """The short message for one option whose value the spec refuses, or None."""
    # As Ansible validates a role's arguments (the same spec, the same rules).
    validation = ArgumentSpecValidator({name: spec}).validate({name: value}, validate_role_argument_spec=True)
    if not validation.error_messages:
        return None
    kind = spec.get('type', 'str')
    words = TYPE_WORDS.get(kind, 'a value of type %s' % kind)
    if kind == 'list' and spec.get('elements') in TYPE_WORDS and spec.get('elements') != 'list':
        words = 'a list of %ss' % TYPE_WORDS[spec['elements']].split(' ', 1)[-1]
    example = _example(spec)
    message = '%s must be %s%s' % (name, words, ', ' + example if example else '')
    if not spec.get('no_log'):
        text = repr(value)
        message += ' (got %s)' % (text if len(text) <= 80 else text[:77] + '...')
    return message


def value_problems(values: dict, options: dict) -> list:
    """One message per option in ``values`` whose value its spec in ``options`` refuses."""
    problems = []
    for name in sorted(values):
        if name in options:
            problem = _value_problem(name, options[name], values[name])
            if problem:
                problems.append(problem)
    return problems


def policy_settings(values: dict, options: dict) -> dict:
    """The policy's settings from the role's checked ``values``: each option but ``ROLE_OPTIONS``, without the prefix.

    An option with no value takes the policy's default; a ``bool`` option is
    converted as Ansible converts it (``yes``, ``on``, ``1`` ...).
    """
    settings = {}
    for name in options:
        if name in ROLE_OPTIONS or name not in values:
            continue
        value = values[name]
        if options[name].get('type') == 'bool' and value is not None:
            value = boolean(value, strict=False)
        settings[name[len(PREFIX) :]] = value
    return settings


def policy_problem(values: dict, options: dict):
    """``(policy, None)`` from the checked ``values``, or ``(None, message)`` naming the variable the policy refused."""
    try:
        return normalise_policy(policy_settings(values, options)), None
    except MigrationHealthError as exc:
        message = str(exc)
    # The policy names its settings without the prefix ("window: ..."); the user wrote the variable.
    setting = message.split(':', 1)[0].split('[', 1)[0].split('.', 1)[0]
    if PREFIX + setting in options:
        message = PREFIX + message
    return None, message
