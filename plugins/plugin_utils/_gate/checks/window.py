# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The checks of a sync task fed by the statistics of the window: failure ratio, failed objects, stall.

They judge the totals :func:`checks.sync.statistics_problem` validated; when the
statistics cannot be used, each fails as not evaluated
(:func:`unevaluated_window_check`).  Pure.
"""

from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import ms_to_iso
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks.common import Checks, disabled_check, format_duration, format_ratio
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import BUCKET_MS, KIND_SYNC_TASK

# The threshold each window check compares with, and how it is shown.
_WINDOW_LIMITS = {
    'window-failure-ratio': ('max_window_failure_ratio', lambda limit: '<= %s' % format_ratio(limit)),
    'window-failed-objects': ('max_window_failed_objects', lambda limit: '<= %d' % limit),
    'stall': ('max_stall_age', lambda limit: '<= %s' % limit),
}


def unevaluated_window_check(checks: Checks, task_id: str, check_id: str, thresholds: dict, window: str) -> None:
    """``check_id`` failed as not evaluated (or skipped when disabled): the statistics cannot be used."""
    name, display = _WINDOW_LIMITS[check_id]
    limit = thresholds.get(name)
    if limit is None:
        disabled_check(checks, check_id, task_id, KIND_SYNC_TASK, name)
        return
    threshold = thresholds.get('max_stall_age_ms') if check_id == 'stall' else limit
    checks.add(
        check_id,
        task_id,
        KIND_SYNC_TASK,
        None,
        threshold,
        passed=False,
        message='the statistics of the last %s cannot be used (see window-statistics)' % window,
        observed_display='not evaluated',
        threshold_display=display(limit),
        evaluated=False,
    )


def window_ratio_check(checks: Checks, task_id: str, observed: dict, thresholds: dict, window: str) -> None:
    """The failure ratio of the window against ``max_window_failure_ratio``."""
    limit = thresholds.get('max_window_failure_ratio')
    ratio = observed['window_failure_ratio']
    threshold_display = '<= %s' % format_ratio(limit) if limit is not None else 'disabled'
    if limit is None:
        disabled_check(
            checks,
            'window-failure-ratio',
            task_id,
            KIND_SYNC_TASK,
            'max_window_failure_ratio',
            observed=ratio,
            observed_display=format_ratio(ratio),
            threshold_display=threshold_display,
        )
    elif ratio is None and observed['window_failure_total']:
        # Failures without requests: no ratio, but objects failed, which no limit allows to pass unseen.
        checks.add(
            'window-failure-ratio',
            task_id,
            KIND_SYNC_TASK,
            None,
            limit,
            passed=False,
            message='%d object(s) failed in the last %s while none were requested: the failure ratio has no denominator, '
            'and failures without requests count as above any limit' % (observed['window_failure_total'], window),
            observed_display='%d failed of 0 requested' % observed['window_failure_total'],
            threshold_display=threshold_display,
        )
    elif ratio is None:
        # Only reached with a REQUEST total of 0: statistics_problem refused any other gap.
        checks.add(
            'window-failure-ratio',
            task_id,
            KIND_SYNC_TASK,
            None,
            limit,
            passed=True,
            message='skipped: no objects requested in the last %s' % window,
            observed_display='n/a',
            threshold_display=threshold_display,
            skipped=True,
        )
    else:
        passed = ratio <= limit
        checks.add(
            'window-failure-ratio',
            task_id,
            KIND_SYNC_TASK,
            ratio,
            limit,
            passed=passed,
            message='failure ratio %s over the last %s (%s failed of %s requested) is %s %s'
            % (
                format_ratio(ratio),
                window,
                observed['window_failure_total'],
                observed['window_request_total'],
                'within' if passed else 'above',
                format_ratio(limit),
            ),
            observed_display=format_ratio(ratio),
            threshold_display=threshold_display,
        )


def window_failed_check(checks: Checks, task_id: str, observed: dict, thresholds: dict, window: str) -> None:
    """The failed objects of the window against ``max_window_failed_objects``."""
    limit = thresholds.get('max_window_failed_objects')
    failed = observed['window_failed_objects']
    if limit is None:
        disabled_check(checks, 'window-failed-objects', task_id, KIND_SYNC_TASK, 'max_window_failed_objects', observed=failed)
        return
    passed = failed <= limit
    checks.add(
        'window-failed-objects',
        task_id,
        KIND_SYNC_TASK,
        failed,
        limit,
        passed=passed,
        message='%d object(s) failed in the last %s, %s %d' % (failed, window, 'within the limit of' if passed else 'above the limit of', limit),
        threshold_display='<= %d' % limit,
    )


def _time_text(ms):
    try:
        return ms_to_iso(ms)
    except (OverflowError, ValueError):
        return '%d ms after the epoch' % ms


def stall_check(checks: Checks, task_id: str, observed: dict, thresholds: dict, now: int, window: str) -> None:
    """The age of the newest success against ``max_stall_age``, while objects are requested."""
    limit_ms = thresholds.get('max_stall_age_ms')
    limit = thresholds.get('max_stall_age')
    requests = observed['window_request_total']
    last_success = observed['last_success_time']
    age = None
    if last_success is not None and last_success > now:
        # A success that starts after now is not a success seen: it must not make the age 0.
        if limit_ms is None:
            disabled_check(checks, 'stall', task_id, KIND_SYNC_TASK, 'max_stall_age')
            return
        checks.add(
            'stall',
            task_id,
            KIND_SYNC_TASK,
            None,
            limit_ms,
            passed=False,
            message='the newest success bucket starts at %s, after now (%s): the statistics disagree with the clock, so the age of '
            'the last success is unknown' % (_time_text(last_success), _time_text(now)),
            observed_display='in the future',
            threshold_display='<= %s' % limit,
            evaluated=False,
        )
        return
    if last_success is not None:
        # The bucket's time stamp is its start; the newest success may be as late
        # as the bucket's end, so measure from there (never below zero).
        bucket = BUCKET_MS.get(observed['statistic_time_type'], 0)
        age = max(0, now - (last_success + bucket))
        observed['last_success_age_ms'] = age
        observed['last_success_age'] = format_duration(age)
    threshold_display = '<= %s' % limit if limit is not None else 'disabled'
    if limit_ms is None:
        disabled_check(
            checks, 'stall', task_id, KIND_SYNC_TASK, 'max_stall_age', observed=age, observed_display=format_duration(age), threshold_display=threshold_display
        )
    elif requests <= 0:
        checks.add(
            'stall',
            task_id,
            KIND_SYNC_TASK,
            age,
            limit_ms,
            passed=True,
            message='skipped: no objects requested in the last %s' % window,
            observed_display=format_duration(age),
            threshold_display=threshold_display,
            skipped=True,
        )
    elif age is None:
        checks.add(
            'stall',
            task_id,
            KIND_SYNC_TASK,
            None,
            limit_ms,
            passed=False,
            message='stalled: %d object(s) requested in the last %s but none succeeded' % (requests, window),
            observed_display='no success in %s' % window,
            threshold_display=threshold_display,
        )
    else:
        passed = age <= limit_ms
        checks.add(
            'stall',
            task_id,
            KIND_SYNC_TASK,
            age,
            limit_ms,
            passed=passed,
            message='%slast successful object %s ago while %d object(s) were requested in the last %s (limit %s)'
            % ('' if passed else 'stalled: ', format_duration(age), requests, window, limit),
            observed_display=format_duration(age),
            threshold_display=threshold_display,
        )
