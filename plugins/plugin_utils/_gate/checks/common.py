# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every check of the gate shares: the ``Checks`` collector, formatting, the found and dataset checks.

Each check adds one entry (id, subject, kind, observed, threshold, passed,
skipped, message) through ``Checks``; ``_health_evaluate`` calls the checks per
subject and assembles the fact.  The checks of a sync task live in
``_health_checks_sync``, those of migration tasks and task groups in
``_health_checks_migration``; a new subject kind brings a file of its own and
its entry in ``_health_constants.SUBJECT_KINDS``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from itertools import repeat

from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import one_line
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.statistics_summary import iter_points
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import CHART_TYPES, KIND_DATASET
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.results import describe


def format_duration(ms):
    """Format milliseconds as a short human duration: ``1h 5m``, ``42s``, ``0s``."""
    if ms is None:
        return 'n/a'
    seconds = int(ms) // 1000
    if seconds <= 0:
        return '0s'
    parts = []
    for unit, size in (('d', 86400), ('h', 3600), ('m', 60), ('s', 1)):
        if seconds >= size:
            parts.append('%d%s' % (seconds // size, unit))
            seconds %= size
    return ' '.join(parts[:2])


def format_ratio(ratio):
    """Format a ratio (0.0125) as a percentage (``1.25%``); ``None`` gives ``n/a``."""
    if ratio is None:
        return 'n/a'
    return '%.2f%%' % (ratio * 100)


def status_list(statuses):
    return ', '.join(statuses) if statuses else '(none)'


def as_string(value):
    # A malformed field is named by its check; the fact keeps only what its schema can carry.
    return value if isinstance(value, str) else None


def _flag(value):
    return value if isinstance(value, bool) else None


def as_count(value):
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _only(values, kind):
    return set(map(type, values)) == set((kind,))


def _series_points(series, data_type):
    """``(time_stamp, count)`` of one series of the answer, as ``iter_points`` reads it.

    A series whose buckets are all plain dicts of plain non-negative ints (what
    the modules return) is read in a few C-level passes; any other goes
    through ``iter_points`` itself, which decides what a well-formed bucket is.
    """
    buckets = series.get('data')
    if isinstance(buckets, list) and buckets and _only(buckets, dict):
        stamps = list(map(dict.get, buckets, repeat('time_stamp')))
        counts = list(map(dict.get, buckets, repeat('statistic_num')))
        if _only(stamps, int) and _only(counts, int) and min(stamps) >= 0 and min(counts) >= 0:
            return list(zip(stamps, counts))
    return list(iter_points({'statistic_datas': [series]}, data_type))


def chart_series(statistics):
    """The REQUEST/SUCCESS/FAILURE buckets of one statistics entry as ``[[time_stamp, count], ...]``, in time order.

    Every well-formed bucket of ``iter_points``, of every series of the type.
    """
    series_list = statistics.get('statistic_datas') if isinstance(statistics, dict) else None
    if not isinstance(series_list, list):
        series_list = []
    series = {}
    for data_type in CHART_TYPES:
        points = []
        for entry in series_list:
            if isinstance(entry, dict) and entry.get('data_type') == data_type:
                points.extend(_series_points(entry, data_type))
        points.sort()
        series[data_type] = list(map(list, points))
    return series


class Checks:
    """Collects check entries for one evaluation; checks named in ``disabled`` always pass, as skipped.

    A check whose input cannot be used (absent, malformed, incomplete, not
    read) is added with ``evaluated=False``: it fails (unless disabled), and a
    failed check that was not evaluated makes the verdict ERROR, not UNHEALTHY.
    """

    NOT_EVALUATED = 'could not be evaluated: '

    def __init__(self, disabled=()):
        self.entries = []
        self.disabled = frozenset(disabled)

    def add(self, check_id, subject, kind, observed, threshold, passed, message, observed_display=None, threshold_display=None, skipped=False, evaluated=True):
        if not evaluated:
            passed = skipped = False
            message = self.NOT_EVALUATED + message
        if check_id in self.disabled and not skipped:
            # Still evaluated, so the report shows what the check would have said.
            message = 'disabled by skip_checks (would have %s): %s' % ('passed' if passed else 'failed', message)
            passed = skipped = True
        entry = {
            'id': check_id,
            'subject': subject,
            'kind': kind,
            'observed': observed,
            'threshold': threshold,
            'passed': bool(passed),
            'skipped': bool(skipped),
            'evaluated': bool(evaluated),
            'message': one_line(message),
            'observed_display': observed_display if observed_display is not None else _display(observed),
            'threshold_display': threshold_display if threshold_display is not None else _display(threshold),
        }
        self.entries.append(entry)
        return entry

    def not_evaluated(self, entry, reason):
        """Turn ``entry`` into a check that could not be evaluated because of ``reason`` (reasons accumulate)."""
        reason = one_line(reason)
        if not entry['evaluated'] and reason in entry['message']:
            return entry
        if not entry['evaluated'] and entry['message'].startswith(self.NOT_EVALUATED):
            entry['message'] = '%s; %s' % (entry['message'], reason)
            return entry
        entry['evaluated'] = False
        entry['observed_display'] = 'not evaluated'
        if entry['id'] in self.disabled:
            entry['message'] = 'disabled by skip_checks (could not have been evaluated): %s' % reason
            entry['passed'] = entry['skipped'] = True
        else:
            entry['message'] = self.NOT_EVALUATED + reason
            entry['passed'] = entry['skipped'] = False
        return entry


def _display(value):
    if value is None:
        return 'n/a'
    if isinstance(value, (list, tuple)):
        return status_list(value)
    return str(value)


def dataset_checks(checks, dataset_id, dataset_sync, allowed):
    status = dataset_sync.get('status')
    passed = status in allowed
    reason = ''
    error_code = dataset_sync.get('error_code')
    error_msg = dataset_sync.get('error_msg') or dataset_sync.get('error_message')
    if status == 'FAILED' and (error_code or error_msg):
        reason = ' (%s)' % ': '.join(str(part) for part in (error_code, error_msg) if part)
    if not isinstance(status, str):
        checks.add(
            'dataset-status',
            dataset_id,
            KIND_DATASET,
            None,
            allowed,
            False,
            'status is %s, not a status name' % describe(status),
            observed_display='unusable',
            threshold_display='in [%s]' % status_list(allowed),
            evaluated=False,
        )
    else:
        checks.add(
            'dataset-status',
            dataset_id,
            KIND_DATASET,
            status,
            allowed,
            passed,
            'status %s%s is %s' % (status, reason, 'allowed' if passed else 'not one of %s' % status_list(allowed)),
            threshold_display='in [%s]' % status_list(allowed),
        )
    return {
        'status': as_string(status),
        'error_code': None if error_code is None else str(error_code),
        'error_msg': None if error_msg is None else str(error_msg),
        'finished': _flag(dataset_sync.get('finished')),
        'succeeded': _flag(dataset_sync.get('succeeded')),
        'task_id': as_string(dataset_sync.get('task_id')),
        'total_sample_count': as_count(dataset_sync.get('total_sample_count')),
    }


def missing_check(checks, check_id, subject, kind, noun):
    checks.add(check_id, subject, kind, False, True, False, '%s %s was not found' % (noun, subject), observed_display='missing', threshold_display='found')
