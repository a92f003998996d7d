# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The gate's inputs for OMS migration tasks and task groups, validated before any API call.

``migration_tasks`` and ``task_groups`` (ids, ``{id, deadline,
max_migration_failed_objects}`` dicts, or ``all``), the cutover ``deadline``
and ``max_migration_failed_objects``; ``_health_policy`` calls these for its
part of the policy.  Plain Python on plain data.
"""

import re

from ansible_collections.hwcloud.migration.plugins.module_utils._reads.migration_summary import MigrationValueError, parse_task_id
from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import TimeExpressionError, parse_duration, parse_time
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import MIGRATION_THRESHOLDS, MigrationHealthError

_RELATIVE_RE = re.compile(r'^([+-])\s*(.+)$')


def parse_deadline(value, name='deadline'):
    """Validate a cutover deadline: ISO 8601 with a zone, epoch ms, ``now``, or a time from now (``+6h``).

    Returns the threshold keys ``deadline`` (the text given), ``deadline_ms``
    (absolute) or ``deadline_offset_ms`` (relative to the evaluation time);
    ``None`` gives a disabled deadline.  Raises ``MigrationHealthError``.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return {'deadline': None, 'deadline_ms': None, 'deadline_offset_ms': None}
    text = str(value).strip()
    relative = _RELATIVE_RE.match(text) if isinstance(value, str) else None
    try:
        if text.lower() == 'now':
            return {'deadline': text, 'deadline_ms': None, 'deadline_offset_ms': 0}
        if relative and not relative.group(2).strip().isdigit():
            offset = parse_duration(relative.group(2), name=name)
            return {'deadline': text, 'deadline_ms': None, 'deadline_offset_ms': offset if relative.group(1) == '+' else -offset}
        return {'deadline': text, 'deadline_ms': parse_time(value, now=0, name=name), 'deadline_offset_ms': None}
    except TimeExpressionError as exc:
        raise MigrationHealthError(
            '%s; a deadline is an ISO 8601 time with a zone such as "2026-12-01T06:00:00Z", or a time from now such as "+6h" or "+1d12h"' % exc
        )


def resolve_deadline(thresholds, now):
    """``thresholds`` with ``deadline_ms`` set from a relative deadline at ``now`` (a copy)."""
    resolved = dict(thresholds)
    if resolved.get('deadline_offset_ms') is not None:
        resolved['deadline_ms'] = now + resolved['deadline_offset_ms']
    return resolved


def check_count(value, name):
    """A whole number of objects (0 or more), or None; raises ``MigrationHealthError``."""
    if value is None:
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise MigrationHealthError('%s: %r is not a whole number of objects (0 or more)' % (name, value))
    return value


def normalise_threshold(key, value, label):
    """One migration threshold of the policy or of a per-subject dict, validated."""
    if key == 'deadline':
        return parse_deadline(value, label)
    return {key: check_count(value, label)}


def _selection(value, name, noun, check_id):
    """``(all, [{id, overrides}])`` of one migration input: a list of ids or dicts, or ``all``."""
    if value is None:
        return False, []
    if isinstance(value, str):
        if value.strip().lower() == 'all':
            return True, []
        raise MigrationHealthError('%s: %r is neither "all" nor a list of %s ids' % (name, value, noun))
    if isinstance(value, dict) or not isinstance(value, (list, tuple)):
        raise MigrationHealthError('%s: %r is not a list of ids or of {id, ...} dicts, nor "all"' % (name, value))
    subjects = []
    by_id = {}
    for index, item in enumerate(value):
        where = '%s[%d]' % (name, index)
        overrides = {}
        raw_id = item
        if isinstance(item, dict):
            if 'id' not in item:
                raise MigrationHealthError('%s: %r has no "id"' % (where, item))
            unknown = sorted(set(item) - set(('id',) + MIGRATION_THRESHOLDS))
            if unknown:
                raise MigrationHealthError(
                    '%s: unknown key(s) %s; a per-item override may set %s' % (where, ', '.join(unknown), ', '.join(MIGRATION_THRESHOLDS))
                )
            raw_id = item['id']
            where += '.id'
            for key in MIGRATION_THRESHOLDS:
                if key in item:
                    overrides.update(normalise_threshold(key, item[key], '%s[%d].%s' % (name, index, key)))
        subject_id = check_id(raw_id, where)
        if subject_id in by_id:
            by_id[subject_id]['overrides'].update(overrides)
        else:
            by_id[subject_id] = {'id': subject_id, 'overrides': overrides}
            subjects.append(by_id[subject_id])
    return False, subjects


def _task_id(value, where):
    try:
        return str(parse_task_id(value, where))
    except MigrationValueError as exc:
        raise MigrationHealthError(str(exc))


def _group_id(value, where):
    if isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).strip():
        raise MigrationHealthError('%s: %r is not a task group id' % (where, value))
    return str(value).strip()


def normalise_migration_selection(settings):
    """The policy keys of ``migration_tasks`` and ``task_groups`` (ids, dicts with overrides, or ``all``)."""
    all_tasks, tasks = _selection(settings.get('migration_tasks'), 'migration_tasks', 'migration task', _task_id)
    all_groups, groups = _selection(settings.get('task_groups'), 'task_groups', 'task group', _group_id)
    return {
        'all_migration_tasks': all_tasks,
        'migration_tasks': tasks,
        'migration_task_ids': [task['id'] for task in tasks],
        'all_task_groups': all_groups,
        'task_groups': groups,
        'task_group_ids': [group['id'] for group in groups],
    }


def gates_migration(policy):
    """Whether the policy gates any migration task or task group."""
    return bool(policy['all_migration_tasks'] or policy['migration_tasks'] or policy['all_task_groups'] or policy['task_groups'])
