# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The gate's input policy: the role variables, validated and normalised before any API call.

Plain Python on plain data, so a typo in a threshold fails fast with a message
naming the input, and the function is unit-tested without Ansible.
"""

from ansible_collections.hwcloud.migration.plugins.module_utils._reads.migration_summary import MigrationValueError, parse_task_id
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.names import READ_NAMES
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.statistics_summary import DATA_TYPES, MIN_WINDOW_MS
from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import TimeExpressionError, parse_duration
from ansible_collections.hwcloud.migration.plugins.module_utils._values import is_number
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks.settings import merged_settings, normalise_required_settings
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import (
    CHART_TYPES,
    DATASET_THRESHOLDS,
    DEFAULT_POLICY,
    MAX_FAILED_OBJECT_LIMIT,
    MIGRATION_THRESHOLDS,
    TASK_THRESHOLDS,
    MigrationHealthError,
)
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.deadline import parse_deadline
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.kinds import SKIPPABLE_CHECKS


def _check_ratio(value, name):
    if value is None:
        return None
    given = value
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            pass
    # Say what to write: a percentage such as "5%" is the usual mistake.
    if not is_number(value) or not 0 <= value <= 1:
        raise MigrationHealthError('%s must be a fraction between 0 and 1, e.g. 0.05 for 5%% (got %r)' % (name, given))
    return float(value)


def _check_count(value, name):
    if value is None:
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise MigrationHealthError('%s: %r is not a whole number of objects (0 or more)' % (name, value))
    return value


def _check_statuses(value, name):
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not value:
        raise MigrationHealthError('%s: %r is not a non-empty list of statuses' % (name, value))
    statuses = []
    for status in value:
        if not isinstance(status, str) or not status.strip():
            raise MigrationHealthError('%s: %r is not a status name' % (name, status))
        status = status.strip().upper()
        if status not in statuses:
            statuses.append(status)
    return statuses


def _check_duration(value, name):
    if value is None:
        return None, None
    try:
        return str(value).strip(), parse_duration(value, name=name)
    except TimeExpressionError as exc:
        raise MigrationHealthError(str(exc))


def _normalise_thresholds(values, names, prefix):
    """Validate one set of thresholds; ``values`` holds only the keys to check."""
    result = {}
    for key in names:
        if key not in values:
            continue
        label = prefix + key
        value = values[key]
        if key.startswith('allowed_'):
            result[key] = _check_statuses(value, label)
        elif key.endswith('_ratio'):
            result[key] = _check_ratio(value, label)
        elif key.endswith('_failed_objects'):
            result[key] = _check_count(value, label)
        elif key == 'max_stall_age':
            text, millis = _check_duration(value, label)
            result[key] = text
            result['max_stall_age_ms'] = millis
        elif key == 'deadline':
            result.update(parse_deadline(value, label))
        elif key == 'required_settings':
            result[key] = normalise_required_settings(value, label)
    return result


def _check_flag(value, name):
    if value is None:
        return False
    if not isinstance(value, bool):
        raise MigrationHealthError('%s: %r is not a boolean (true or false)' % (name, value))
    return value


def _check_id(value, name):
    if isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).strip():
        raise MigrationHealthError('%s: %r is not an id' % (name, value))
    return str(value).strip()


def _group_id(value, name):
    if isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).strip():
        raise MigrationHealthError('%s: %r is not a task group id' % (name, value))
    return str(value).strip()


def _task_id(value, name):
    try:
        return str(parse_task_id(value, name))
    except MigrationValueError as exc:
        raise MigrationHealthError(str(exc))


def _selection(items, label, thresholds, check_id=_check_id, every=None):
    """``(all, subjects)``: ``all`` when ``every`` (the noun of the ids) allows it, else a list of ids or ``{id, <overrides>}`` dicts.

    Each subject is ``{id, overrides}``; duplicates merge.
    """
    if items is None:
        return False, []
    if isinstance(items, str) and every:
        if items.strip().lower() == 'all':
            return True, []
        raise MigrationHealthError('%s: %r is neither "all" nor a list of %s ids' % (label, items, every))
    if isinstance(items, (str, dict)) or not isinstance(items, (list, tuple)):
        raise MigrationHealthError('%s: %r is not a list of ids or of {id, ...} dicts%s' % (label, items, ', nor "all"' if every else ''))
    subjects = []
    by_id = {}
    for index, item in enumerate(items):
        where = '%s[%d]' % (label, index)
        if isinstance(item, dict):
            unknown = sorted(set(item) - set(('id',) + thresholds))
            if 'id' not in item:
                raise MigrationHealthError('%s: %r has no "id"' % (where, item))
            if unknown:
                raise MigrationHealthError('%s: unknown key(s) %s; a per-item override may set %s' % (where, ', '.join(unknown), ', '.join(thresholds)))
            subject_id = check_id(item['id'], where + '.id')
            overrides = _normalise_thresholds(item, thresholds, where + '.')
        else:
            subject_id = check_id(item, where)
            overrides = {}
        if subject_id in by_id:
            by_id[subject_id]['overrides'].update(overrides)
        else:
            by_id[subject_id] = {'id': subject_id, 'overrides': overrides}
            subjects.append(by_id[subject_id])
    return False, subjects


def _failure_codes(value, name):
    # Failure codes as OMS writes them (UPLOAD_DST_OBJ_FAILURE ...); an empty list allows none.
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise MigrationHealthError('%s: %r is not a list of failure codes such as UPLOAD_DST_OBJ_FAILURE' % (name, value))
    codes = []
    for code in value:
        if not isinstance(code, str) or not code.strip() or any(char.isspace() for char in code.strip()):
            raise MigrationHealthError('%s: %r is not a failure code such as UPLOAD_DST_OBJ_FAILURE' % (name, code))
        if code.strip() not in codes:
            codes.append(code.strip())
    return codes


def _failed_object_settings(merged):
    """The failed-object details: read or not, how many objects per subject, the codes allowed (failure-code checks)."""
    details = _check_flag(merged.get('failed_object_details'), 'failed_object_details')
    limit = _check_count(merged.get('failed_object_limit'), 'failed_object_limit')
    if limit is None or limit > MAX_FAILED_OBJECT_LIMIT:
        raise MigrationHealthError('failed_object_limit: %r is not 0 to %d (failed objects listed per subject)' % (limit, MAX_FAILED_OBJECT_LIMIT))
    return details, limit, _failure_codes(merged.get('allowed_failure_codes'), 'allowed_failure_codes')


def normalise_policy(settings):
    """Validate the role's inputs and return the normalised policy.

    ``settings`` holds the role variables without their ``migration_health_``
    prefix: ``sync_tasks`` (a list of ids or ``{id, <overrides>}`` dicts, or
    ``"all"``), ``datasets``, ``migration_tasks`` and ``task_groups`` (ids,
    ``{id, deadline, max_migration_failed_objects}`` dicts, or ``"all"``),
    ``deadline`` (the cutover time), ``window``, the thresholds, ``skip_checks``,
    ``full_series`` (keep every statistics bucket in the fact) and
    ``allow_empty`` (``all`` may find nothing to gate).  Missing keys take
    ``DEFAULT_POLICY``.  A threshold of ``None`` disables its check.  Raises
    ``MigrationHealthError`` with the offending input in the message.
    """
    if settings is None:
        settings = {}
    if not isinstance(settings, dict):
        raise MigrationHealthError('the policy must be a dict, got %r' % (settings,))
    merged = dict(DEFAULT_POLICY)
    merged.update(settings)

    all_tasks, tasks = _selection(merged.get('sync_tasks'), 'sync_tasks', TASK_THRESHOLDS, every='sync task')
    _all, datasets = _selection(merged.get('datasets'), 'datasets', DATASET_THRESHOLDS)
    all_migration_tasks, migration_tasks = _selection(merged.get('migration_tasks'), 'migration_tasks', MIGRATION_THRESHOLDS, _task_id, 'migration task')
    all_groups, groups = _selection(merged.get('task_groups'), 'task_groups', MIGRATION_THRESHOLDS, _group_id, 'task group')
    if not (all_tasks or tasks or datasets or all_migration_tasks or migration_tasks or all_groups or groups):
        # Named as the role's variables: the role is where a user sets them.
        raise MigrationHealthError(
            'nothing to gate: give migration_health_sync_tasks (a list of ids, or "all"), migration_health_datasets, '
            'migration_health_migration_tasks and/or migration_health_task_groups'
        )

    window, window_ms = _check_duration(merged.get('window'), 'window')
    if window is None:
        raise MigrationHealthError('window: a duration such as "1h" is required')
    if window_ms < MIN_WINDOW_MS:
        raise MigrationHealthError('window: %r is shorter than one statistics bucket; the smallest window is 5m (5 minutes)' % (window,))

    skip_checks = merged.get('skip_checks') or []
    if isinstance(skip_checks, str):
        skip_checks = [skip_checks]
    if not isinstance(skip_checks, (list, tuple)):
        raise MigrationHealthError('skip_checks: %r is not a list of check ids' % (skip_checks,))
    unknown = [check for check in skip_checks if check not in SKIPPABLE_CHECKS]
    if unknown:
        raise MigrationHealthError(
            'skip_checks: unknown check id(s) %s; choose from %s' % (', '.join(str(check) for check in unknown), ', '.join(SKIPPABLE_CHECKS))
        )

    defaults = _normalise_thresholds(merged, TASK_THRESHOLDS + DATASET_THRESHOLDS + MIGRATION_THRESHOLDS, '')
    for key in ('allowed_task_statuses', 'allowed_dataset_statuses'):
        if defaults.get(key) is None:
            raise MigrationHealthError('%s: a non-empty list of statuses is required' % key)

    # A subject's required settings are its own over the role-wide ones, setting by setting.
    for subject in tasks + migration_tasks + groups:
        if 'required_settings' in subject['overrides']:
            subject['overrides']['required_settings'] = merged_settings(defaults.get('required_settings'), subject['overrides']['required_settings'])

    details, limit, allowed_codes = _failed_object_settings(merged)
    if details:
        defaults['allowed_failure_codes'] = allowed_codes

    full_series = _check_flag(merged.get('full_series'), 'full_series')
    allow_empty = _check_flag(merged.get('allow_empty'), 'allow_empty')

    policy = {
        'all_sync_tasks': all_tasks,
        'sync_tasks': tasks,
        'sync_task_ids': [task['id'] for task in tasks],
        'datasets': datasets,
        'dataset_ids': [dataset['id'] for dataset in datasets],
        'window': window,
        'window_ms': window_ms,
        'thresholds': defaults,
        'skip_checks': sorted(set(skip_checks)),
        'full_series': full_series,
        'allow_empty': allow_empty,
        'all_migration_tasks': all_migration_tasks,
        'migration_tasks': migration_tasks,
        'migration_task_ids': [task['id'] for task in migration_tasks],
        'all_task_groups': all_groups,
        'task_groups': groups,
        'task_group_ids': [group['id'] for group in groups],
        'failed_object_details': details,
        'failed_object_limit': limit,
    }
    policy['read_plan'] = read_plan(policy)
    return policy


def _selected(every: bool, ids: list, key: str):
    """A read's selection: ``{}`` lists every one of the project, ``{key: ids}`` reads those; None reads nothing."""
    if every:
        return {}
    return {key: list(ids)} if ids else None


def read_plan(policy: dict) -> dict:
    """The reads of ``migration_state_info`` a normalised policy needs: ``{read name: its options}``.

    A read the policy does not need is left out (the role omits its part).
    With ``all``, the sync task read lists every task of the project and the
    statistics are read for the tasks it found; named ids go to both reads.
    Only validated inputs of the policy go into the plan, nothing read from an API.
    """
    options = dict.fromkeys(READ_NAMES)
    if policy['all_sync_tasks'] or policy['sync_task_ids']:
        options['sync_task_info'] = dict(_selected(policy['all_sync_tasks'], policy['sync_task_ids'], 'sync_task_ids'), details=True)
        options['sync_task_statistics_info'] = dict(
            _selected(policy['all_sync_tasks'], policy['sync_task_ids'], 'sync_task_ids'),
            data_type=list(DATA_TYPES),
            # The checks use the summary; only the charted series need their points.
            return_data_types=list(CHART_TYPES),
            start_time='-' + policy['window'],
            end_time='now',
        )
    options['dataset_sync_info'] = _selected(False, policy['dataset_ids'], 'dataset_ids')
    options['migration_task_info'] = _selected(policy['all_migration_tasks'], policy['migration_task_ids'], 'task_ids')
    options['task_group_info'] = _selected(policy['all_task_groups'], policy['task_group_ids'], 'group_ids')
    subjects_read = any(options[name] is not None for name in ('migration_task_info', 'task_group_info', 'sync_task_info'))
    if policy.get('failed_object_details') and subjects_read:
        # No ids: migration_state_info reads the lists of the subjects the reads above return with failed objects.
        options['failed_objects_info'] = {'max_objects': policy['failed_object_limit']}
    unplanned = set(options) - set(READ_NAMES)
    if unplanned:
        raise KeyError('read_plan: %s is not a read of plugins/module_utils/_reads/names.py' % ', '.join(sorted(unplanned)))
    # In the order of the read registry (the order of the module's result).
    return {name: value for name, value in options.items() if value is not None}
