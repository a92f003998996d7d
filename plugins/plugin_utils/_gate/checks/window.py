# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The checks of a sync task fed by the statistics of the window: failure ratio, failed objects, stall.

They judge the totals :func:`checks.sync.statistics_problem` validated; when the
statistics cannot be used, each fails as not evaluated
(:func:`unevaluated_window_check`).  Pure.
"""

from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import ms_to_iso
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks.common import SubjectChecks, format_duration, format_ratio
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import BUCKET_MS

# The threshold each window check compares with, and how it is shown.
_WINDOW_LIMITS = {
    'window-failure-ratio': ('max_window_failure_ratio', lambda limit: '<= %s' % format_ratio(limit)),
    'window-failed-objects': ('max_window_failed_objects', lambda limit: '<= %d' % limit),
    'stall': ('max_stall_age', lambda limit: '<= %s' % limit),
}


def unevaluated_window_check(subject: SubjectChecks, check_id: str, thresholds: dict, window: str) -> None:
    """``check_id`` failed as not evaluated (or skipped when disabled): the statistics cannot be used."""
    name, display = _WINDOW_LIMITS[check_id]
    limit = thresholds.get(name)
    if limit is None:
        subject.disabled(check_id, name)
        return
    threshold = thresholds.get('max_stall_age_ms') if check_id == 'stall' else limit
    message = 'the statistics of the last %s cannot be used (see window-statistics)' % window
    subject.unusable(check_id, None, threshold, message, observed_display='not evaluated', threshold_display=display(limit))


def window_ratio_check(subject: SubjectChecks, observed: dict, thresholds: dict, window: str) -> None:
    """The failure ratio of the window against ``max_window_failure_ratio``."""
    counts = (observed['window_failure_total'], observed['window_request_total'])
    limit = thresholds.get('max_window_failure_ratio')
    label = 'failure ratio %s over the last ' + window
    subject.ratio('window-failure-ratio', 'max_window_failure_ratio', limit, counts, during='in the last %s' % window, label=label)


def window_failed_check(subject: SubjectChecks, observed: dict, thresholds: dict, window: str) -> None:
    """The failed objects of the window against ``max_window_failed_objects``."""
    limit = thresholds.get('max_window_failed_objects')
    failed = observed['window_failed_objects']
    if limit is None:
        subject.disabled('window-failed-objects', 'max_window_failed_objects', observed=failed)
        return
    passed = failed <= limit
    message = '%d object(s) failed in the last %s, %s %d' % (failed, window, 'within the limit of' if passed else 'above the limit of', limit)
    subject.add('window-failed-objects', failed, limit, passed=passed, message=message, threshold_display='<= %d' % limit)


def _time_text(ms):
    try:
        return ms_to_iso(ms)
    except (OverflowError, ValueError):
        return '%d ms after the epoch' % ms


def stall_check(subject: SubjectChecks, observed: dict, thresholds: dict, now: int, window: str) -> None:
    """The age of the newest success against ``max_stall_age``, while objects are requested."""
    limit_ms = thresholds.get('max_stall_age_ms')
    limit = thresholds.get('max_stall_age')
    requests = observed['window_request_total']
    last_success = observed['last_success_time']
    threshold_display = '<= %s' % limit if limit is not None else 'disabled'
    if last_success is not None and last_success > now and limit_ms is not None:
        # A success that starts after now is not a success seen: it must not make the age 0.
        message = 'the newest success bucket starts at %s, after now (%s): the statistics disagree with the clock, so the age of the last success is unknown'
        message %= (_time_text(last_success), _time_text(now))
        subject.unusable('stall', None, limit_ms, message, observed_display='in the future', threshold_display=threshold_display)
        return
    age = None
    if last_success is not None and last_success <= now:
        # The bucket's time stamp is its start; the newest success may be as late
        # as the bucket's end, so measure from there (never below zero).
        age = max(0, now - (last_success + BUCKET_MS.get(observed['statistic_time_type'], 0)))
        observed['last_success_age_ms'] = age
        observed['last_success_age'] = format_duration(age)
    shown = format_duration(age)
    if limit_ms is None:
        subject.disabled('stall', 'max_stall_age', observed=age, observed_display=shown, threshold_display=threshold_display)
    elif requests <= 0:
        subject.skip(
            'stall', age, limit_ms, 'skipped: no objects requested in the last %s' % window, observed_display=shown, threshold_display=threshold_display
        )
    elif age is None:
        message = 'stalled: %d object(s) requested in the last %s but none succeeded' % (requests, window)
        subject.add('stall', None, limit_ms, passed=False, message=message, observed_display='no success in %s' % window, threshold_display=threshold_display)
    else:
        passed = age <= limit_ms
        message = '%slast successful object %s ago while %d object(s) were requested in the last %s (limit %s)'
        message %= ('' if passed else 'stalled: ', shown, requests, window, limit)
        subject.add('stall', age, limit_ms, passed=passed, message=message, observed_display=shown, threshold_display=threshold_display)
