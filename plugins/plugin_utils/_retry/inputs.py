# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The migration_retry role's variables, checked before any request, and the retry plan they give.

The role's own variables (``migration_retry_*``) are held to its argument spec
as the gate's are to the gate's (``_gate/inputs``: same messages, same rules);
what to retry is the gate's selection (``migration_health_migration_tasks``,
``migration_health_task_groups``, ``migration_health_deadline``), normalised by
the gate's own policy code so the retry and the gate that follows it never
disagree about which ids are meant.  Plain Python on plain data.  No message
here ever contains a credential value: only names and keys.
"""

import difflib

from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.hwcloud.migration.plugins.module_utils._writes.lifecycle import MAX_WAIT_TIMEOUT, MIN_POLL_INTERVAL
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import MigrationHealthError
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.inputs import value_problems
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.policy import normalise_policy

PREFIX = 'migration_retry_'
# The role's internal names (registered results, facts it sets).
INTERNAL_PREFIXES = ('migration_retry__',)
# The gate's variables the retry reads (the selection and its deadline); the gate checks the rest.
SELECTION = ('migration_health_migration_tasks', 'migration_health_task_groups', 'migration_health_deadline')
# Credential keys the API takes again on a retry (StartTaskReq, RetryTaskGroupReq).
SRC_KEYS = ('ak', 'sk', 'security_token', 'connection_string', 'json_auth_file')
DST_KEYS = ('ak', 'sk', 'security_token')
_BY_ID_KEYS = ('src', 'dst')


class RetryInputError(Exception):
    """An input of the migration_retry role that cannot be used; the message names it, never its value."""


def unknown_variable_problems(names, options) -> list:
    """One message per ``migration_retry_`` name in ``names`` that is not an option of ``options``, with a hint."""
    problems = []
    for name in sorted(names):
        if not name.startswith(PREFIX) or name.startswith(INTERNAL_PREFIXES) or name in options:
            continue
        close = difflib.get_close_matches(name[len(PREFIX) :], [option[len(PREFIX) :] for option in options], n=1)
        hint = ('; did you mean %s%s?' % (PREFIX, close[0])) if close else '; the role knows %s' % ', '.join(sorted(options))
        problems.append('%s is not a variable of the migration_retry role%s' % (name, hint))
    return problems


def _credential_problems(value, name, keys) -> list:
    """Problems of one credentials dict (keys only: a value is never shown)."""
    if value is None:
        return []
    if not isinstance(value, dict):
        return ['%s must be a dict with some of the keys %s' % (name, ', '.join(keys))]
    problems = []
    unknown = sorted(str(key) for key in value if key not in keys)
    if unknown:
        problems.append('%s: unknown key(s) %s; the keys are %s' % (name, ', '.join(unknown), ', '.join(keys)))
    for key in keys:
        if value.get(key) is not None and not isinstance(value[key], str):
            problems.append('%s.%s must be a string' % (name, key))
    return problems


def credential_problems(values: dict) -> list:
    """Problems of the credential variables among ``values`` (the source, the destination, the per-id overrides)."""
    problems = _credential_problems(values.get(PREFIX + 'src_credentials'), PREFIX + 'src_credentials', SRC_KEYS)
    problems += _credential_problems(values.get(PREFIX + 'dst_credentials'), PREFIX + 'dst_credentials', DST_KEYS)
    by_id = values.get(PREFIX + 'credentials_by_id')
    name = PREFIX + 'credentials_by_id'
    if by_id is None:
        return problems
    if not isinstance(by_id, dict):
        return problems + ['%s must be a dict of id: {src: {...}, dst: {...}}' % name]
    for subject_id, entry in by_id.items():
        where = '%s[%s]' % (name, subject_id)
        if not isinstance(entry, dict):
            problems.append('%s must be a dict with the keys src and/or dst' % where)
            continue
        unknown = sorted(str(key) for key in entry if key not in _BY_ID_KEYS)
        if unknown:
            problems.append('%s: unknown key(s) %s; the keys are src and dst' % (where, ', '.join(unknown)))
        problems += _credential_problems(entry.get('src'), where + '.src', SRC_KEYS)
        problems += _credential_problems(entry.get('dst'), where + '.dst', DST_KEYS)
    return problems


def selection_plan(selection: dict) -> dict:
    """What to retry, from the gate's variables in ``selection`` (full names); raises :class:`RetryInputError`.

    ``migration_tasks`` and ``task_groups`` are ``{'all': bool, 'ids': [...],
    'deadlines': {id: deadline}}``; ``deadline`` is the gate's cutover deadline
    (``deadline``, ``deadline_ms`` or ``deadline_offset_ms``, see
    ``_gate/deadline``), each id's own deadline in ``deadlines`` when it has one.
    """
    tasks = selection.get('migration_health_migration_tasks')
    groups = selection.get('migration_health_task_groups')
    if not tasks and not groups:
        raise RetryInputError('nothing to retry: give migration_health_migration_tasks and/or migration_health_task_groups (a list of ids, or "all")')
    settings = {'migration_tasks': tasks or [], 'task_groups': groups or [], 'deadline': selection.get('migration_health_deadline')}
    try:
        policy = normalise_policy(settings)
    except MigrationHealthError as exc:
        # The policy names its settings without the gate's prefix.
        raise RetryInputError('migration_health_%s' % exc)
    deadline_keys = ('deadline', 'deadline_ms', 'deadline_offset_ms')

    def part(every, subjects):
        deadlines = {}
        for subject in subjects:
            if 'deadline' in subject['overrides']:
                deadlines[subject['id']] = {key: subject['overrides'].get(key) for key in deadline_keys}
        return {'all': every, 'ids': [subject['id'] for subject in subjects], 'deadlines': deadlines}

    return {
        'migration_tasks': part(policy['all_migration_tasks'], policy['migration_tasks']),
        'task_groups': part(policy['all_task_groups'], policy['task_groups']),
        'deadline': {key: policy['thresholds'].get(key) for key in deadline_keys},
    }


def retry_plan(values: dict, options: dict, selection: dict) -> dict:
    """The plan of the run: the selection and the role's settings; raises :class:`RetryInputError` with every problem.

    ``values`` are the role's variables the host sees (templated), ``options``
    the role's argument spec, ``selection`` the gate's variables the retry reads.
    The plan holds no credential: those stay in their variables.
    """
    # The spec would take "ak=..., sk=..." for a dict; the credential check refuses any but a dict.
    problems = value_problems(values, options) or credential_problems(values)
    if problems:
        raise RetryInputError('\n'.join(problems))
    # Converted as Ansible converts a role's arguments ("3", "yes" ...): the spec accepted them.
    settings = {name: values.get(name, options[name].get('default')) for name in options}
    attempts, timeout = int(settings[PREFIX + 'attempts']), int(settings[PREFIX + 'timeout'])
    interval = float(settings[PREFIX + 'poll_interval'])
    if attempts < 1:
        problems.append('%sattempts must be 1 or more, got %d' % (PREFIX, attempts))
    # The longest wait of the lifecycle modules, which do the waiting.
    if not 1 <= timeout <= MAX_WAIT_TIMEOUT:
        problems.append('%stimeout must be 1 to %d seconds (7 days), got %d' % (PREFIX, MAX_WAIT_TIMEOUT, timeout))
    if not MIN_POLL_INTERVAL <= interval <= timeout:
        problems.append('%spoll_interval must be %s seconds to %stimeout (%s), got %s' % (PREFIX, MIN_POLL_INTERVAL, PREFIX, timeout, interval))
    try:
        plan = selection_plan(selection)
    except RetryInputError as exc:
        problems.append(str(exc))
    if problems:
        raise RetryInputError('\n'.join(problems))
    plan.update(attempts=attempts, timeout=timeout, poll_interval=interval, failed_objects_only=boolean(settings[PREFIX + 'failed_objects_only'], strict=False))
    return plan
