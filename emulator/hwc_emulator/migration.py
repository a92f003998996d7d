"""OMS migration tasks and task groups: scenario format, lifecycle, generated fleets.

A migration task copies ``total_size`` bytes in ``total_num`` objects at
``migrate_speed`` bytes/s from ``start``. Everything the API shows follows from
those and the clock, so nothing is stored per request:

- before ``start`` the task waits (status 1, no estimate: ``left_time`` null);
- then it executes: ``complete_size`` grows with the speed, ``progress`` is the
  fraction done (floored, so it only reads 1 when done), ``left_time`` is the
  rest over the speed in ms (null when the speed is 0: no estimate);
- at ``fail_at`` it fails (status 4) with ``error_reason``; when all bytes are
  done it succeeds (5), or fails (4) when some objects failed (``failed_objects``
  spread evenly over the transfer), with the failed-object list recorded at
  ``failed_object_record.list_file_key``;
- a ``status`` in the scenario pins the state: ``waiting``, ``succeeded``, or
  ``stopped``/``pausing``/``failed`` with the transfer frozen at ``halt_at``
  (default: when the scenario was loaded); ``retrying`` executes as status 6.

A task group aggregates its member tasks (those whose ``group_id`` names it):
counters are sums or counts over the members' state at the same instant, the
speed is the sum of the running members' speeds, and the status follows from
the members unless the scenario pins it.

These are the emulator's choices where the API documents nothing (listing
order: newest id first; a task that failed objects fails with ``TRF.0062``,
other failures default to ``TRF.0001``), documented in docs/emulator.md.
"""

import math
import random
import uuid
from collections import OrderedDict, namedtuple

from .obs import FAILED_LIST_SCHEMA
from .timeexpr import parse_time_ms

TASK_STATUSES = OrderedDict((('waiting', 1), ('executing', 2), ('stopped', 3), ('failed', 4), ('succeeded', 5), ('retrying', 6), ('pausing', 7)))
GROUP_STATUSES = OrderedDict(
    (
        ('waiting', 0),
        ('executing', 1),
        ('monitoring', 2),
        ('paused', 3),
        ('creation_failed', 4),
        ('migration_failed', 5),
        ('completed', 6),
        ('pausing', 7),
        ('waiting_for_deletion', 8),
        ('deleted', 9),
    )
)
ACTIVE = frozenset([1, 2, 6])
# Failure reasons use the service's TRF.* codes (its "migration failure reasons" page).
FAILED_OBJECTS_REASON = OrderedDict((('error_code', 'TRF.0062'), ('error_msg', 'Some objects failed to upload.')))
DEFAULT_FAIL_REASON = OrderedDict((('error_code', 'TRF.0001'), ('error_msg', 'System error. Restart the migration task.')))

_TIME = {'type': ['string', 'integer', 'number']}
_TEXT = {'type': ['string', 'null']}
_COUNT = {'type': 'integer', 'minimum': 0}
_REASON = {'type': ['object', 'null'], 'additionalProperties': False, 'properties': {'error_code': {'type': 'string'}, 'error_msg': {'type': 'string'}}}
_NODE = {'type': ['object', 'null']}
# SmnInfo as the answer carries it (smn_info of a task, smn_config of a group); null: no notification.
_SMN = {
    'type': ['object', 'null'],
    'additionalProperties': False,
    'properties': {'notify_result': {'type': ['boolean', 'null']}, 'notify_error_message': _TEXT, 'topic_name': _TEXT},
}
# Added to the success count of the answer, so its counts do not add up (a test of the gate's counts-add-up).
_MISCOUNT = {'type': 'integer'}

TASK_SCHEMA = {
    'type': 'object',
    'required': ['id'],
    'additionalProperties': False,
    'properties': {
        'id': {'type': 'integer', 'minimum': 0},
        'name': {'type': 'string'},
        'project_id': {'type': 'string'},
        'group_id': _TEXT,
        'description': _TEXT,
        'status': {'type': ['string', 'integer']},
        'start': _TIME,
        'fail_at': _TIME,
        'halt_at': _TIME,
        'total_size': _COUNT,
        'total_num': _COUNT,
        'complete_size': _COUNT,
        'migrate_speed': _COUNT,
        'failed_objects': _COUNT,
        'skipped_objects': _COUNT,
        'error_reason': _REASON,
        'failed_object_list_key': {'type': 'string'},
        'failed_object_list': FAILED_LIST_SCHEMA,
        'enable_failed_object_recording': {'type': 'boolean'},
        'task_type': _TEXT,
        'group_type': _TEXT,
        'src_node': _NODE,
        'dst_node': _NODE,
        'bandwidth_policy': {'type': ['array', 'null']},
        'task_priority': _TEXT,
        'source_cdn': {'type': ['object', 'null']},
        'object_overwrite_mode': _TEXT,
        'dst_storage_policy': _TEXT,
        'consistency_check': _TEXT,
        'enable_metadata_migration': {'type': 'boolean'},
        'enable_restore': {'type': 'boolean'},
        'enable_requester_pays': {'type': 'boolean'},
        'migrate_since': _COUNT,
        'pause_until': _TIME,
        'smn_info': _SMN,
        'miscounted_objects': _MISCOUNT,
    },
}

GROUP_SCHEMA = {
    'type': 'object',
    'required': ['group_id'],
    'additionalProperties': False,
    'properties': {
        'group_id': {'type': 'string', 'minLength': 1},
        'project_id': {'type': 'string'},
        'description': _TEXT,
        'status': {'type': ['string', 'integer']},
        'total_task_num': _COUNT,
        'error_reason': _REASON,
        'failed_object_list_key': {'type': 'string'},
        'failed_object_list': FAILED_LIST_SCHEMA,
        'task_type': _TEXT,
        'src_node': _NODE,
        'dst_node': _NODE,
        'enable_failed_object_recording': {'type': 'boolean'},
        'object_overwrite_mode': _TEXT,
        'dst_storage_policy': _TEXT,
        'consistency_check': _TEXT,
        'smn_config': _SMN,
        'miscounted_objects': _MISCOUNT,
    },
}

NEW_TASK_SCHEMA = {
    'type': 'object',
    'additionalProperties': False,
    'properties': {
        'total_size': _COUNT,
        'total_num': _COUNT,
        'migrate_speed': _COUNT,
        'failed_objects': _COUNT,
        'skipped_objects': _COUNT,
        'retry_failed_objects': _COUNT,
        'group_tasks': {'type': 'integer', 'minimum': 1, 'maximum': 100},
        'wait': {'type': ['string', 'integer', 'number']},
        'fail_after': {'type': ['string', 'integer', 'number']},
        'error_reason': _REASON,
    },
}

SETTINGS_SCHEMA = {
    'type': 'object',
    'additionalProperties': False,
    'properties': {
        # OMS.1009 is seen with HTTP 400 (what Terraform meets) and 404.
        'not_found_status': {'enum': [400, 404]},
        # What a task created through the API migrates (writes.py): defaults, and per source bucket.
        'new_task': NEW_TASK_SCHEMA,
        'sources': {'type': 'object', 'additionalProperties': NEW_TASK_SCHEMA},
        # How long a stopped task stays "pausing" (7) before it is "stopped" (3).
        'pause_duration': {'type': ['string', 'integer', 'number']},
    },
}


def status_code(value, table, what):
    """The API integer of a status given by name or integer; ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError('%s status %r' % (what, value))
    if isinstance(value, int):
        if value in table.values():
            return value
    elif str(value).strip().lower() in table:
        return table[str(value).strip().lower()]
    raise ValueError('%s status %r is not one of %s' % (what, value, ', '.join(table)))


def check_entries(tasks, groups):
    """Parse every time expression and status of the scenario's entries once; ValueError names the bad one."""
    for entry in tasks:
        for key in ('start', 'fail_at', 'halt_at'):
            if entry.get(key) is not None:
                parse_time_ms(entry[key], 0)
        if 'status' in entry:
            status_code(entry['status'], TASK_STATUSES, 'migration task %s:' % entry.get('id'))
    for entry in groups:
        if 'status' in entry:
            status_code(entry['status'], GROUP_STATUSES, 'task group %s:' % entry.get('group_id'))


def _smn(config):
    """The SmnInfo of a scenario entry, every field present (null without one)."""
    if config is None:
        return None
    return OrderedDict((key, config.get(key)) for key in ('notify_result', 'notify_error_message', 'topic_name'))


Snapshot = namedtuple('Snapshot', 'status done speed started end_ms processed failed skipped')


class MigrationTask(object):
    """One migration task of a scenario, with its lifecycle (see the module docstring)."""

    def __init__(self, entry, project_id, loaded_ms):
        self.task_id = entry['id']
        self.project_id = entry.get('project_id') or project_id
        self.name = entry.get('name') or 'migration-task-%d' % self.task_id
        self.group_id = entry.get('group_id')
        self.entry = entry
        self.pinned = status_code(entry['status'], TASK_STATUSES, 'migration task') if 'status' in entry else None
        self.start_ms = parse_time_ms(entry.get('start', '-1h'), loaded_ms)
        self.fail_ms = parse_time_ms(entry['fail_at'], loaded_ms) if entry.get('fail_at') is not None else None
        halt = entry.get('halt_at')
        self.halt_ms = parse_time_ms(halt, loaded_ms) if halt is not None else loaded_ms
        # A stop through the API pauses (7) until then, and is stopped (3) after.
        pause = entry.get('pause_until')
        self.pause_until_ms = parse_time_ms(pause, loaded_ms) if pause is not None else None
        self.total_size = entry.get('total_size', 10 * 1024**3)
        self.total_num = entry.get('total_num', 10000)
        self.initial = min(entry.get('complete_size', 0), self.total_size)
        self.speed = entry.get('migrate_speed', 50 * 1024**2)
        self.failed_objects = min(entry.get('failed_objects', 0), self.total_num)
        self.skipped_objects = min(entry.get('skipped_objects', 0), self.total_num - self.failed_objects)

    def _done_at(self, moment):
        if moment <= self.start_ms:
            return self.initial
        return min(self.total_size, self.initial + self.speed * (moment - self.start_ms) // 1000)

    def _finish_ms(self):
        if self.initial >= self.total_size:
            return self.start_ms
        if not self.speed:
            return None
        return self.start_ms + -(-(self.total_size - self.initial) * 1000 // self.speed)

    def snapshot(self, now):
        """The task's state at ``now``."""
        pinned = self.pinned
        if pinned == 7 and self.pause_until_ms is not None and now >= self.pause_until_ms:
            pinned = 3
        if pinned == 1 or (pinned in (None, 2, 6) and now < self.start_ms):
            return self._snap(1, self.initial, 0, False, None)
        if pinned == 5:
            return self._snap(5, self.total_size, 0, True, min(now, max(self.start_ms, self._finish_ms() or now)))
        if pinned in (3, 4, 7):
            end = min(now, self.halt_ms if pinned != 4 or self.fail_ms is None else self.fail_ms)
            return self._snap(pinned, self._done_at(end), 0, True, max(end, self.start_ms))
        finish = self._finish_ms()
        if self.fail_ms is not None and self.fail_ms <= now and (finish is None or self.fail_ms < finish):
            return self._snap(4, self._done_at(self.fail_ms), 0, True, max(self.fail_ms, self.start_ms))
        if finish is not None and now >= finish:
            return self._snap(4 if self.failed_objects else 5, self.total_size, 0, True, finish)
        return self._snap(pinned or 2, self._done_at(now), self.speed, True, None)

    def _snap(self, status, done, speed, started, end_ms):
        fraction = done / float(self.total_size) if self.total_size else (1.0 if status == 5 else 0.0)
        processed = int(self.total_num * fraction)
        failed = int(self.failed_objects * fraction)
        skipped = int(self.skipped_objects * fraction)
        return Snapshot(status, done, speed, started, end_ms, processed, failed, skipped)

    def error_reason(self, snap):
        """The ``error_reason`` a failed task answers (None while it has not failed)."""
        if snap.status != 4:
            return None
        if self.entry.get('error_reason'):
            return OrderedDict(sorted(self.entry['error_reason'].items()))
        if self.fail_ms is None and self.failed_objects and self.pinned is None:
            return FAILED_OBJECTS_REASON
        return DEFAULT_FAIL_REASON

    def list_file_key(self):
        """Where the failed-object list is written in the destination bucket."""
        return self.entry.get('failed_object_list_key') or 'oms/failed_object_lists/%s/%d.txt' % (self.name, self.task_id)

    def body(self, now, snap=None):
        """The ShowTask answer (also an item of ListTasks) at ``now``."""
        entry = self.entry
        snap = snap or self.snapshot(now)
        total = self.total_size
        fraction = snap.done / float(total) if total else (1.0 if snap.status == 5 else 0.0)
        recording = entry.get('enable_failed_object_recording', True)
        if snap.status in ACTIVE and snap.started:
            left = -(-(total - snap.done) * 1000 // snap.speed) if snap.speed else None
        elif snap.status in ACTIVE:
            left = None
        else:
            left = 0
        record = None
        if snap.failed and recording:
            record = OrderedDict((('result', True), ('list_file_key', self.list_file_key()), ('error_code', None)))
        end = snap.end_ms if snap.end_ms is not None else now
        skipped_bytes = total * snap.skipped // self.total_num if self.total_num else 0
        src = OrderedDict(
            (
                ('bucket', 'src-%d' % self.task_id),
                ('cloud_type', 'Aliyun'),
                ('region', 'cn-hangzhou'),
                ('app_id', None),
                ('object_key', ['']),
                ('list_file', None),
            )
        )
        src.update(entry.get('src_node') or {})
        dst = OrderedDict((('bucket', 'dst-%d' % self.task_id), ('region', 'cn-north-4'), ('save_prefix', '')))
        dst.update(entry.get('dst_node') or {})
        return OrderedDict(
            (
                ('bandwidth_policy', entry.get('bandwidth_policy') or []),
                ('complete_size', snap.done),
                ('description', entry.get('description') or ''),
                ('dst_node', dst),
                ('enable_failed_object_recording', recording),
                ('enable_metadata_migration', entry.get('enable_metadata_migration', False)),
                ('enable_restore', entry.get('enable_restore', False)),
                ('error_reason', self.error_reason(snap)),
                ('failed_num', snap.failed),
                ('failed_object_record', record),
                ('group_id', self.group_id),
                ('id', self.task_id),
                ('is_query_over', snap.started),
                ('left_time', left),
                ('migrate_since', entry.get('migrate_since', 0)),
                ('migrate_speed', snap.speed),
                ('name', self.name),
                ('progress', math.floor(fraction * 10000) / 10000.0),
                ('real_size', max(0, snap.done - skipped_bytes)),
                ('skipped_num', snap.skipped),
                ('src_node', src),
                ('start_time', self.start_ms if snap.started else None),
                ('status', snap.status),
                ('successful_num', max(0, snap.processed - snap.failed - snap.skipped + entry.get('miscounted_objects', 0))),
                ('task_type', entry.get('task_type', 'prefix')),
                ('group_type', entry.get('group_type') or ('GROUP_TASK' if self.group_id else 'NORMAL_TASK')),
                ('total_num', self.total_num),
                ('total_size', total),
                ('total_time', max(0, end - self.start_ms) if snap.started else 0),
                ('smn_info', _smn(entry.get('smn_info'))),
                ('source_cdn', entry.get('source_cdn')),
                ('success_record_error_reason', None),
                ('skip_record_error_reason', None),
                ('object_overwrite_mode', entry.get('object_overwrite_mode', 'SIZE_LAST_MODIFIED_COMPARISON_OVERWRITE')),
                ('dst_storage_policy', entry.get('dst_storage_policy', 'STANDARD')),
                ('consistency_check', entry.get('consistency_check', 'size_last_modified')),
                ('enable_requester_pays', entry.get('enable_requester_pays', False)),
                ('obs_system', 'BUCKET'),
                ('task_priority', entry.get('task_priority', 'MEDIUM')),
            )
        )


class TaskGroup(object):
    """A task group; its numbers are aggregated from its member tasks at each read."""

    def __init__(self, entry, project_id):
        self.group_id = entry['group_id']
        self.project_id = entry.get('project_id') or project_id
        self.entry = entry
        self.pinned = status_code(entry['status'], GROUP_STATUSES, 'task group') if 'status' in entry else None

    def list_file_key(self):
        """Where the group's failed-object list is written in the destination bucket."""
        return self.entry.get('failed_object_list_key') or 'oms/taskgroup/%s/failed_object_lists.txt' % self.group_id

    def body(self, now, members):
        """The ShowTaskGroup answer (also an item of ListTaskGroup) at ``now``."""
        entry = self.entry
        snaps = [(task, task.snapshot(now)) for task in members]
        statuses = [snap.status for _task, snap in snaps]
        created = len(snaps)
        planned = max(entry.get('total_task_num', created), created)
        failed_tasks = statuses.count(4)
        status = self.pinned
        if status is None:
            if not planned:
                status = 0
            elif any(s in ACTIVE for s in statuses) or created < planned:
                status = 2 if created == planned else 1
            elif any(s in (3, 7) for s in statuses):
                status = 3
            else:
                status = 5 if failed_tasks else 6
        reason = None
        if status in (4, 5):
            reason = entry.get('error_reason')
            if not reason:
                first = next((task.error_reason(snap) for task, snap in snaps if snap.status == 4), None)
                reason = first or DEFAULT_FAIL_REASON
            reason = OrderedDict(sorted(reason.items()))
        starts = [task.start_ms for task, snap in snaps if snap.started]
        start = min(starts) if starts else None
        ends = [snap.end_ms for _task, snap in snaps if snap.started]
        end = now if any(e is None for e in ends) or not ends else max(ends)
        fail_num = sum(snap.failed for _task, snap in snaps)
        record = None
        if fail_num:
            record = OrderedDict((('result', True), ('list_file_key', self.list_file_key()), ('error_code', None)))
        src = OrderedDict(
            (('bucket', 'src-group'), ('cloud_type', 'ALIYUN'), ('region', 'cn-hangzhou'), ('app_id', None), ('object_key', ['']), ('list_file', None))
        )
        src.update(entry.get('src_node') or {})
        dst = OrderedDict((('bucket', 'dst-group'), ('region', 'cn-north-4'), ('save_prefix', '')))
        dst.update(entry.get('dst_node') or {})
        total_num = sum(task.total_num for task, _snap in snaps)
        total_size = sum(task.total_size for task, _snap in snaps)
        return OrderedDict(
            (
                ('group_id', self.group_id),
                ('status', status),
                ('error_reason', reason),
                ('src_node', src),
                ('description', entry.get('description') or ''),
                ('dst_node', dst),
                ('enable_metadata_migration', entry.get('enable_metadata_migration', False)),
                ('enable_failed_object_recording', entry.get('enable_failed_object_recording', True)),
                ('enable_restore', entry.get('enable_restore', False)),
                ('task_type', entry.get('task_type', 'PREFIX')),
                ('bandwidth_policy', entry.get('bandwidth_policy') or []),
                ('smn_config', _smn(entry.get('smn_config'))),
                ('source_cdn', None),
                ('migrate_since', entry.get('migrate_since', 0)),
                ('migrate_speed', sum(snap.speed for _task, snap in snaps)),
                ('total_time', max(0, end - start) if start is not None else 0),
                ('start_time', start),
                ('total_task_num', planned),
                ('create_task_num', created),
                ('failed_task_num', failed_tasks),
                ('complete_task_num', statuses.count(5)),
                ('paused_task_num', statuses.count(3) + statuses.count(7)),
                ('executing_task_num', statuses.count(2) + statuses.count(6)),
                ('waiting_task_num', statuses.count(1)),
                ('total_num', total_num),
                ('create_complete_num', total_num),
                ('success_num', max(0, sum(max(0, s.processed - s.failed - s.skipped) for _task, s in snaps) + entry.get('miscounted_objects', 0))),
                ('fail_num', fail_num),
                ('skip_num', sum(snap.skipped for _task, snap in snaps)),
                ('total_size', total_size),
                ('create_complete_size', total_size),
                ('complete_size', sum(snap.done for _task, snap in snaps)),
                ('failed_object_record', record),
                ('object_overwrite_mode', entry.get('object_overwrite_mode', 'SIZE_LAST_MODIFIED_COMPARISON_OVERWRITE')),
                ('dst_storage_policy', entry.get('dst_storage_policy', 'STANDARD')),
                ('consistency_check', entry.get('consistency_check', 'size_last_modified')),
                ('obs_system', 'BUCKET'),
                ('enable_requester_pays', entry.get('enable_requester_pays', False)),
            )
        )


class MigrationWorld(object):
    """The migration tasks and task groups of one loaded scenario."""

    def __init__(self, data, loaded_ms, default_project):
        settings = data.get('migration') or {}
        self.not_found_status = settings.get('not_found_status', 400)
        self.new_task = settings.get('new_task') or {}
        self.sources = settings.get('sources') or {}
        self.pause_duration = settings.get('pause_duration', '1s')
        self.loaded_ms = loaded_ms
        self.default_project = default_project
        self.tasks = OrderedDict()
        for entry in data.get('migration_tasks') or []:
            task = MigrationTask(entry, default_project, loaded_ms)
            self.tasks[task.task_id] = task
        self.groups = OrderedDict()
        for entry in data.get('task_groups') or []:
            group = TaskGroup(entry, default_project)
            self.groups[group.group_id] = group
        self.reindex()

    def reindex(self):
        """Rebuild the listing and membership indexes after ``tasks`` or ``groups`` changed (new objects, never in place)."""
        # Listing order: newest (highest) id first.
        by_project = {}
        for task in sorted(self.tasks.values(), key=lambda t: -t.task_id):
            by_project.setdefault(task.project_id, []).append(task)
        members = {}
        for task in self.tasks.values():
            if task.group_id:
                members.setdefault((task.project_id, task.group_id), []).append(task)
        groups_by_project = {}
        for group in self.groups.values():
            groups_by_project.setdefault(group.project_id, []).append(group)
        # Readers take no lock: each index is replaced whole.
        self.by_project, self.members, self.groups_by_project = by_project, members, groups_by_project

    def upsert_task(self, task_id, changes, now):
        """Create a migration task, or change one from ``now`` on (control API); returns it.

        A changed task carries on from where it is: unless the changes say
        otherwise, what it has done so far stays (``complete_size``) and a task
        already started starts again from ``now``, so a new speed or status
        applies from now and its counters never jump back.  Relative times in
        the changes count from ``now``.
        """
        previous = self.tasks.get(task_id)
        entry = dict(previous.entry) if previous is not None else {}
        if previous is not None:
            snap = previous.snapshot(now)
            entry['complete_size'] = snap.done
            entry['start'] = now if snap.started else previous.start_ms
            for key in ('fail_at', 'halt_at'):
                entry.pop(key, None)
        entry.update(changes)
        entry['id'] = task_id
        project_id = previous.project_id if previous is not None else self.default_project
        tasks = OrderedDict(self.tasks)
        tasks[task_id] = MigrationTask(entry, project_id, now)
        self.tasks = tasks
        self.reindex()
        return tasks[task_id]

    def remove_task(self, task_id):
        """Delete a migration task (control API); True when there was one."""
        if task_id not in self.tasks:
            return False
        tasks = OrderedDict(self.tasks)
        del tasks[task_id]
        self.tasks = tasks
        self.reindex()
        return True

    def task(self, project_id, task_id):
        """The task, or None when unknown in this project."""
        task = self.tasks.get(task_id)
        return task if task is not None and task.project_id == project_id else None

    def group(self, project_id, group_id):
        """The group, or None when unknown in this project."""
        group = self.groups.get(group_id)
        return group if group is not None and group.project_id == project_id else None

    def group_body(self, group, now):
        """A group's answer, aggregated over its members."""
        return group.body(now, self.members.get((group.project_id, group.group_id), ()))


def make_migration(count, groups=0, seed=0, id_base=100000):
    """``count`` generated migration task entries and ``groups`` task groups, the same for the same seed.

    The status mix repeats every 20 tasks: 9 succeeded, 4 executing, 3 failed,
    2 waiting, 1 stopped, 1 pausing. The first ``groups * 5`` tasks go to the
    groups in turn.
    """
    rng = random.Random('migration:%s' % (seed,))
    mix = ['succeeded'] * 9 + ['executing'] * 4 + ['failed'] * 3 + ['waiting'] * 2 + ['stopped', 'pausing']
    group_ids = [str(uuid.uuid5(uuid.NAMESPACE_OID, 'hwc-emulator-group-%s-%d' % (seed, i))) for i in range(groups)]
    tasks = []
    for index in range(count):
        kind = mix[index % len(mix)]
        size = rng.choice((1, 4, 16, 64)) * 1024**3
        entry = {
            'id': id_base + index,
            'name': 'gen-migration-%05d' % index,
            'total_size': size,
            'total_num': size // rng.choice((65536, 1048576, 8388608)),
            'migrate_speed': rng.choice((20, 50, 100)) * 1024**2,
        }
        if kind == 'executing':
            # At least 4 hours of work at its speed: it stays executing for any test run.
            entry['start'] = '-%dm' % rng.randint(5, 30)
            entry['total_size'] = entry['migrate_speed'] * 3600 * rng.randint(4, 48)
        elif kind == 'waiting':
            entry['start'] = '+%dh' % rng.randint(1, 6)
        else:
            entry['status'] = kind
            entry['start'] = '-%dh' % rng.randint(2, 48)
        if kind == 'failed':
            entry['failed_objects'] = rng.randint(1, 500)
            entry['error_reason'] = {'error_code': 'TRF.0152', 'error_msg': 'The AK/SK cannot access the source bucket or objects.'}
        if index < groups * 5:
            entry['group_id'] = group_ids[index % groups]
        tasks.append(entry)
    return tasks, [{'group_id': group_id, 'description': 'generated group %d' % i} for i, group_id in enumerate(group_ids)]
