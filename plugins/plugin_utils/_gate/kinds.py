# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The subject kinds of the gate, as data: one :class:`SubjectKind` per kind in :data:`KINDS`.

A kind says what the gate reads for it (reads of ``_reads/names.READS``), which
checks it makes and with which thresholds, and how the reports show it.  The
evaluation runs one loop over :data:`KINDS`; the counts, the JUnit suites, the
HTML tables and the fleet's columns are derived from it.  Adding a kind is one
entry here plus its check functions (``checks/``).
"""

from dataclasses import dataclass, field
from typing import Callable, Mapping, Optional, Tuple

from ansible_collections.hwcloud.migration.plugins.module_utils._reads.names import READS_BY_NAME, ReadName
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks.counts import CHECK_ID as COUNTS_CHECK
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks.dataset import dataset_checks, dataset_unread
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks.failed_objects import with_failure_codes
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks.migration import (
    migration_task_checks,
    migration_task_unread,
    task_group_checks,
    task_group_unread,
)
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks.settings import SETTING_CHECK_IDS
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks.sync import task_checks, task_observed
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import (
    DATASET_THRESHOLDS,
    FAILURE_CODE_THRESHOLDS,
    KIND_DATASET,
    KIND_MIGRATION_TASK,
    KIND_SYNC_TASK,
    KIND_TASK_GROUP,
    MIGRATION_THRESHOLDS,
    TASK_THRESHOLDS,
)
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports.columns import (
    DATASET_COLUMNS,
    MIGRATION_TASK_COLUMNS,
    SYNC_TASK_COLUMNS,
    TASK_GROUP_COLUMNS,
    Column,
)


@dataclass(frozen=True)
class KindRead:
    """One read that feeds a kind: its registered result (``read``), how messages name it, what it feeds.

    ``checks`` are the checks a failed read fails as not evaluated; ``fields``
    which checks a flagged field of the answer feeds (a field not listed feeds
    every check of the read but the found check).
    """

    read: ReadName
    step: str
    checks: Tuple[str, ...]
    fields: Mapping[str, Tuple[str, ...]] = field(default_factory=dict)
    # A read of several kinds: only its items (and failed ids) of this ``kind``.
    select: Optional[str] = None
    # A read of some subjects only: one it did not return is judged by its check, not "not read".
    optional: bool = False

    @property
    def name(self) -> str:
        return self.read.name

    @property
    def key(self) -> str:
        """The key of this read's outcome: its name, and the kind it selects."""
        return self.name if self.select is None else '%s:%s' % (self.name, self.select)

    @property
    def items(self) -> str:
        return self.read.items

    @property
    def id_key(self) -> str:
        return self.read.id_key


@dataclass(frozen=True)
class SubjectKind:
    """One kind of subject the gate judges.

    ``name`` is the ``kind`` of its checks; ``fact_key`` its list in the fact,
    the prefix of its counts and its policy key (``all_<fact_key>`` for
    ``all``).  ``checks`` are its check ids in evaluation order, the found
    check first.  ``reads[0]`` lists its subjects; each read's entry of a
    subject goes to ``evaluate(subject, bodies, thresholds, now=, window=)``
    (``subject``: the ``checks.common.SubjectChecks`` of its id),
    which returns the observed values (``unread()`` when it was not found).
    ``thresholds`` may be overridden per subject; ``threshold_keys`` is what
    an entry's ``thresholds`` hold.  ``columns`` are its HTML columns,
    ``suite_properties`` its JUnit suite properties (``(name, entry key)``)
    and ``series_read`` the read whose series it charts, if any.
    """

    name: str
    fact_key: str
    noun: str
    checks: Tuple[str, ...]
    thresholds: Tuple[str, ...]
    threshold_keys: Tuple[str, ...]
    reads: Tuple[KindRead, ...]
    evaluate: Callable[..., dict]
    unread: Callable[[], dict]
    columns: Tuple[Column, ...]
    suite_properties: Tuple[Tuple[str, str], ...] = ()
    series_read: Optional[str] = None

    @property
    def plural(self) -> str:
        return self.fact_key.replace('_', ' ')

    @property
    def title(self) -> str:
        return self.plural.capitalize()

    @property
    def found_check(self) -> str:
        return self.checks[0]

    @property
    def charted(self) -> bool:
        return self.series_read is not None


def _read(name, step, checks, **fields):
    return KindRead(READS_BY_NAME[name], step, checks, fields)


# Failed-object details (checks/failed_objects.py): each kind's failure-code check, fed by the lists of its failing subjects.
_FAILURE_CODES = {KIND_SYNC_TASK: 'sync-task-failure-codes', KIND_MIGRATION_TASK: 'migration-task-failure-codes', KIND_TASK_GROUP: 'task-group-failure-codes'}


def _failed_objects_read(kind):
    return KindRead(READS_BY_NAME['failed_objects_info'], 'failed-object list read', (_FAILURE_CODES[kind],), select=kind, optional=True)


# Suite properties of a migration task or task group: progress, ETA against the deadline, the API's error reason.
MIGRATION_PROPERTIES = (
    ('status', 'status_name'),
    ('progress_percent', 'percent'),
    ('eta', 'eta'),
    ('eta_unknown', 'eta_unknown'),
    ('deadline_margin_ms', 'deadline_margin_ms'),
    ('failed_objects', 'failed_objects'),
    ('failed_object_list', 'failed_object_list'),
    ('error_code', 'error_code'),
    ('error_msg', 'error_msg'),
)
# What migration tasks and task groups share: their thresholds (a subject's hold the cutover deadline as given
# and resolved) and their suite properties.
_MIGRATION = dict(
    thresholds=MIGRATION_THRESHOLDS,
    threshold_keys=MIGRATION_THRESHOLDS + ('deadline_ms', 'deadline_offset_ms') + FAILURE_CODE_THRESHOLDS,
    suite_properties=MIGRATION_PROPERTIES,
)

_MIGRATION_TASK_CHECKS = ('migration-task-found', 'migration-task-status', 'migration-task-deadline', 'migration-task-failed-objects')
_TASK_GROUP_CHECKS = ('task-group-found', 'task-group-status', 'task-group-failed-tasks', 'task-group-deadline', 'task-group-failed-objects')

# What the answer says about itself (checks/counts.py) and how the data is moved (checks/settings.py): the
# same check ids for every kind that has them, each made only for the settings required.
_MIGRATION_TASK_CHECKS += (COUNTS_CHECK,) + SETTING_CHECK_IDS
_TASK_GROUP_CHECKS += (COUNTS_CHECK,) + SETTING_CHECK_IDS
_SYNC_TASK_CHECKS = SETTING_CHECK_IDS

# In report order.
KINDS = (
    SubjectKind(
        name=KIND_SYNC_TASK,
        fact_key='sync_tasks',
        noun='sync task',
        checks=('task-found', 'task-status', 'window-statistics', 'window-failure-ratio', 'window-failed-objects', 'monthly-failure-ratio', 'stall')
        + _SYNC_TASK_CHECKS
        + (_FAILURE_CODES[KIND_SYNC_TASK],),
        thresholds=TASK_THRESHOLDS,
        threshold_keys=TASK_THRESHOLDS + ('max_stall_age_ms',) + FAILURE_CODE_THRESHOLDS,
        reads=(
            _read(
                'sync_task_info',
                'sync task read',
                ('task-found', 'task-status', 'monthly-failure-ratio') + _SYNC_TASK_CHECKS,
                status=('task-status',),
                monthly_acceptance_request=('monthly-failure-ratio',),
                monthly_failure_object=('monthly-failure-ratio',),
            ),
            _read('sync_task_statistics_info', 'statistics read', ('window-statistics', 'window-failure-ratio', 'window-failed-objects', 'stall')),
            _failed_objects_read(KIND_SYNC_TASK),
        ),
        evaluate=with_failure_codes(task_checks, _FAILURE_CODES[KIND_SYNC_TASK], 'sync task', 'monthly_failure_object'),
        unread=task_observed,
        columns=SYNC_TASK_COLUMNS,
        series_read='sync_task_statistics_info',
    ),
    SubjectKind(
        name=KIND_DATASET,
        fact_key='datasets',
        noun='dataset',
        checks=('dataset-found', 'dataset-status'),
        thresholds=DATASET_THRESHOLDS,
        threshold_keys=DATASET_THRESHOLDS,
        reads=(_read('dataset_sync_info', 'dataset sync read', ('dataset-found', 'dataset-status')),),
        evaluate=dataset_checks,
        unread=dataset_unread,
        columns=DATASET_COLUMNS,
    ),
    SubjectKind(
        name=KIND_MIGRATION_TASK,
        fact_key='migration_tasks',
        noun='migration task',
        checks=_MIGRATION_TASK_CHECKS + (_FAILURE_CODES[KIND_MIGRATION_TASK],),
        **_MIGRATION,
        reads=(
            _read(
                'migration_task_info',
                'migration task read',
                _MIGRATION_TASK_CHECKS,
                status=('migration-task-status', 'migration-task-deadline'),
                progress=('migration-task-deadline',),
                left_time=('migration-task-deadline',),
                failed_num=('migration-task-failed-objects', COUNTS_CHECK),
                failed_object_record=('migration-task-failed-objects',),
            ),
            _failed_objects_read(KIND_MIGRATION_TASK),
        ),
        evaluate=with_failure_codes(migration_task_checks, _FAILURE_CODES[KIND_MIGRATION_TASK], 'migration task', 'failed_num'),
        unread=migration_task_unread,
        columns=MIGRATION_TASK_COLUMNS,
    ),
    SubjectKind(
        name=KIND_TASK_GROUP,
        fact_key='task_groups',
        noun='task group',
        checks=_TASK_GROUP_CHECKS + (_FAILURE_CODES[KIND_TASK_GROUP],),
        **_MIGRATION,
        reads=(
            _read(
                'task_group_info',
                'task group read',
                _TASK_GROUP_CHECKS,
                status=('task-group-status', 'task-group-deadline'),
                total_size=('task-group-deadline',),
                complete_size=('task-group-deadline',),
                migrate_speed=('task-group-deadline',),
                failed_task_num=('task-group-failed-tasks',),
                fail_num=('task-group-failed-objects', COUNTS_CHECK),
            ),
            _failed_objects_read(KIND_TASK_GROUP),
        ),
        evaluate=with_failure_codes(task_group_checks, _FAILURE_CODES[KIND_TASK_GROUP], 'task group', 'fail_num'),
        unread=task_group_unread,
        columns=TASK_GROUP_COLUMNS,
    ),
)
KINDS_BY_NAME = {kind.name: kind for kind in KINDS}
# Each id once: kinds share the ids of the checks they make alike (counts-add-up, setting-*).
ALL_CHECKS = tuple(dict.fromkeys(check for kind in KINDS for check in kind.checks))
# Checks that skip_checks may switch off; a missing subject always fails.
SKIPPABLE_CHECKS = tuple(dict.fromkeys(check for kind in KINDS for check in kind.checks[1:]))
# The fleet's per-target counts: each kind's subjects and unhealthy ones, then the checks.
COUNT_KEYS = tuple(key for kind in KINDS for key in (kind.fact_key, kind.fact_key + '_unhealthy')) + (
    'checks',
    'checks_passed',
    'checks_failed',
    'checks_skipped',
    'checks_not_evaluated',
)
