# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Constants of the migration health gate, shared by its policy, evaluation and reports.

The verdict names live here, once; the subject kinds, their checks and
everything derived from them are in ``_gate/kinds.KINDS``.
"""

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
# Failed-object details (migration_health_failed_object_details): the codes the failed objects may have.
# Role-wide only; set in the policy's thresholds (and each subject's) only when the details are read.
FAILURE_CODE_THRESHOLDS = ('allowed_failure_codes',)
DEFAULT_FAILED_OBJECT_LIMIT = 20
MAX_FAILED_OBJECT_LIMIT = 1000

# The settings a subject must have been made with (checks/settings.py): every OMS kind's, per subject overridable.
SETTINGS_THRESHOLDS = ('required_settings',)
TASK_THRESHOLDS += SETTINGS_THRESHOLDS
MIGRATION_THRESHOLDS += SETTINGS_THRESHOLDS

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
    'required_settings': {},
    'migration_tasks': [],
    'task_groups': [],
    'deadline': None,
    'max_migration_failed_objects': 0,
    'failed_object_details': False,
    'failed_object_limit': DEFAULT_FAILED_OBJECT_LIMIT,
    'allowed_failure_codes': [],
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
