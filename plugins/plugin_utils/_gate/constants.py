# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Constants of the migration health gate, shared by its policy, evaluation and reports.

Subject kinds and their checks are data here, not branches in the code: a new
kind (OMS migration tasks, task groups) is one more entry in ``SUBJECT_KINDS``
plus its evaluation function, and every report lists it without change.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

SCHEMA_VERSION = 1

KIND_SYNC_TASK = 'sync_task'
KIND_DATASET = 'dataset'
KIND_MIGRATION_TASK = 'migration_task'
KIND_TASK_GROUP = 'task_group'

VERDICT_HEALTHY = 'HEALTHY'
VERDICT_UNHEALTHY = 'UNHEALTHY'
# Reserved for "could not be evaluated"; the reports already know how to show it.
VERDICT_ERROR = 'ERROR'
VERDICTS = (VERDICT_HEALTHY, VERDICT_UNHEALTHY, VERDICT_ERROR)

# Thresholds a per-subject dict may override; the names are the role variables without their prefix.
TASK_THRESHOLDS = ('allowed_task_statuses', 'max_window_failure_ratio', 'max_window_failed_objects', 'max_monthly_failure_ratio', 'max_stall_age')
DATASET_THRESHOLDS = ('allowed_dataset_statuses',)
# Migration tasks and task groups: the cutover deadline and the failed objects allowed.
MIGRATION_THRESHOLDS = ('deadline', 'max_migration_failed_objects')

# One entry per kind of subject, in report order.  ``fact_key`` is the list in
# the fact, ``count_key`` the prefix of its counts, ``checks`` its check ids in
# evaluation order (the found check first).  ``reads`` says which module result
# feeds which checks, so a failed read or an answer the module flagged as
# unusable fails exactly those checks as "not evaluated" (``_health_reads``):
# ``result`` is the key of the registered result, ``items``/``id_key`` where
# the subjects are in it, ``step`` how messages name the read, ``checks`` the
# checks it feeds and ``fields`` (optional) which checks a flagged field feeds
# (a field not listed affects every check of the read but the found check).
SUBJECT_KINDS = (
    {
        'kind': KIND_SYNC_TASK,
        'fact_key': 'sync_tasks',
        'count_key': 'sync_tasks',
        'label': 'sync task',
        'plural': 'sync tasks',
        'title': 'Sync tasks',
        'thresholds': TASK_THRESHOLDS,
        'checks': ('task-found', 'task-status', 'window-statistics', 'window-failure-ratio', 'window-failed-objects', 'monthly-failure-ratio', 'stall'),
        'charted': True,
        'reads': (
            {
                'result': 'sync_task_info',
                'items': 'sync_tasks',
                'id_key': 'sync_task_id',
                'step': 'sync task read',
                'checks': ('task-found', 'task-status', 'monthly-failure-ratio'),
                'fields': {
                    'status': ('task-status',),
                    'monthly_acceptance_request': ('monthly-failure-ratio',),
                    'monthly_failure_object': ('monthly-failure-ratio',),
                },
            },
            {
                'result': 'sync_task_statistics_info',
                'items': 'sync_task_statistics',
                'id_key': 'sync_task_id',
                'step': 'statistics read',
                'checks': ('window-statistics', 'window-failure-ratio', 'window-failed-objects', 'stall'),
            },
        ),
    },
    {
        'kind': KIND_DATASET,
        'fact_key': 'datasets',
        'count_key': 'datasets',
        'label': 'dataset',
        'plural': 'datasets',
        'title': 'Datasets',
        'thresholds': DATASET_THRESHOLDS,
        'checks': ('dataset-found', 'dataset-status'),
        'charted': False,
        'reads': (
            {
                'result': 'dataset_sync_info',
                'items': 'dataset_syncs',
                'id_key': 'dataset_id',
                'step': 'dataset sync read',
                'checks': ('dataset-found', 'dataset-status'),
            },
        ),
    },
    {
        'kind': KIND_MIGRATION_TASK,
        'fact_key': 'migration_tasks',
        'count_key': 'migration_tasks',
        'label': 'migration task',
        'plural': 'migration tasks',
        'title': 'Migration tasks',
        'thresholds': MIGRATION_THRESHOLDS,
        'checks': ('migration-task-found', 'migration-task-status', 'migration-task-deadline', 'migration-task-failed-objects'),
        'charted': False,
        'reads': (
            {
                'result': 'migration_task_info',
                'items': 'migration_tasks',
                'id_key': 'id',
                'step': 'migration task read',
                'checks': ('migration-task-found', 'migration-task-status', 'migration-task-deadline', 'migration-task-failed-objects'),
                'fields': {
                    'status': ('migration-task-status', 'migration-task-deadline'),
                    'progress': ('migration-task-deadline',),
                    'left_time': ('migration-task-deadline',),
                    'failed_num': ('migration-task-failed-objects',),
                    'failed_object_record': ('migration-task-failed-objects',),
                },
            },
        ),
    },
    {
        'kind': KIND_TASK_GROUP,
        'fact_key': 'task_groups',
        'count_key': 'task_groups',
        'label': 'task group',
        'plural': 'task groups',
        'title': 'Task groups',
        'thresholds': MIGRATION_THRESHOLDS,
        'checks': ('task-group-found', 'task-group-status', 'task-group-failed-tasks', 'task-group-deadline', 'task-group-failed-objects'),
        'charted': False,
        'reads': (
            {
                'result': 'task_group_info',
                'items': 'task_groups',
                'id_key': 'group_id',
                'step': 'task group read',
                'checks': ('task-group-found', 'task-group-status', 'task-group-failed-tasks', 'task-group-deadline', 'task-group-failed-objects'),
                'fields': {
                    'status': ('task-group-status', 'task-group-deadline'),
                    'total_size': ('task-group-deadline',),
                    'complete_size': ('task-group-deadline',),
                    'migrate_speed': ('task-group-deadline',),
                    'failed_task_num': ('task-group-failed-tasks',),
                    'fail_num': ('task-group-failed-objects',),
                },
            },
        ),
    },
)
KINDS_BY_NAME = dict((entry['kind'], entry) for entry in SUBJECT_KINDS)
ALL_CHECKS = tuple(check for entry in SUBJECT_KINDS for check in entry['checks'])

# Checks that skip_checks may switch off; a missing subject always fails.
SKIPPABLE_CHECKS = (
    'task-status',
    'window-statistics',
    'window-failure-ratio',
    'window-failed-objects',
    'monthly-failure-ratio',
    'stall',
    'dataset-status',
    'migration-task-status',
    'migration-task-deadline',
    'migration-task-failed-objects',
    'task-group-status',
    'task-group-failed-tasks',
    'task-group-deadline',
    'task-group-failed-objects',
)

# The checks fed by the statistics of the window: all fail when the statistics are missing or incomplete.
WINDOW_CHECKS = ('window-failure-ratio', 'window-failed-objects', 'stall')

DEFAULT_POLICY = {
    'window': '1h',
    'allowed_task_statuses': ['SYNCHRONIZING'],
    'max_window_failure_ratio': 0.05,
    'max_window_failed_objects': 100,
    'max_monthly_failure_ratio': 0.05,
    'max_stall_age': '30m',
    'allowed_dataset_statuses': ['COMPLETED'],
    'full_series': False,
    'allow_empty': False,
    'migration_tasks': [],
    'task_groups': [],
    'deadline': None,
    'max_migration_failed_objects': 0,
}

# Width of one statistics bucket: a bucket's time_stamp is its start, so an
# object counted in it may have succeeded up to one width later.
BUCKET_MS = {'FIVE_MINUTES': 5 * 60 * 1000, 'ONE_HOUR': 60 * 60 * 1000}

CHART_TYPES = ('REQUEST', 'SUCCESS', 'FAILURE')
CHART_COLOURS = {'REQUEST': '#1f6feb', 'SUCCESS': '#1a7f37', 'FAILURE': '#cf222e'}

# Plot widths in pixels: a series never needs more than two points (its lowest
# and highest bucket) per column of the chart it is drawn on.
CHART_PLOT_WIDTH = 508
SPARKLINE_PLOT_WIDTH = 96
# Columns: at most one per two pixels of a full chart, a fixed few for a sparkline.
MAX_CHART_COLUMNS = CHART_PLOT_WIDTH // 2
MIN_CHART_COLUMNS = 16
SPARKLINE_COLUMNS = 16
# Points (all series of all subjects) the fact keeps, and the HTML charts draw,
# unless full series are asked for: about 2.4 MB of JSON and 0.5 MB of SVG, so
# the reports of a gate stay small however many of its tasks fail.  The fewer
# failing tasks, the more columns each of their charts gets.
SERIES_POINT_BUDGET = 120000
HTML_POINT_BUDGET = 50000

DEFAULT_TITLE = 'Migration health'

# Failed reads and unusable answers named in the fact's ``error`` line; all are in ``errors``.
ERRORS_IN_SUMMARY = 3


class MigrationHealthError(ValueError):
    """An input to the health evaluation is invalid; the message says which and why."""
