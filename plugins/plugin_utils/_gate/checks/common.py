# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every check of the gate shares: the ``Checks`` collector, formatting, the found check.

Each check adds one entry (id, subject, kind, observed, threshold, passed,
skipped, message) through ``Checks``; ``_gate/evaluate`` calls the checks of
each subject kind and assembles the fact.  Each kind's checks live in a file
of their own (``sync``, ``window``, ``dataset``, ``migration``, ``progress``);
a new subject kind brings its file and its entry in ``_gate/kinds.KINDS``.
"""

from itertools import repeat

from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import one_line
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.statistics_summary import iter_points
from ansible_collections.hwcloud.migration.plugins.module_utils._values import is_count
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import CHART_TYPES


def format_duration(ms: int | None) -> str:
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


def format_ratio(ratio: float | None) -> str:
    """Format a ratio (0.0125) as a percentage (``1.25%``); ``None`` gives ``n/a``."""
    if ratio is None:
        return 'n/a'
    return '%.2f%%' % (ratio * 100)


def status_list(statuses: list | tuple | None) -> str:
    return ', '.join(statuses) if statuses else '(none)'


def as_string(value: object) -> str | None:
    # A malformed field is named by its check; the fact keeps only what its schema can carry.
    return value if isinstance(value, str) else None


def as_count(value: object) -> int | None:
    """``value`` when it is a count, else None."""
    return value if is_count(value) else None


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


def chart_series(statistics: object) -> dict:
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

    def add(
        self,
        check_id: str,
        subject: str,
        kind: str,
        observed: object,
        threshold: object,
        *,
        passed: bool,
        message: str,
        observed_display: str | None = None,
        threshold_display: str | None = None,
        skipped: bool = False,
        evaluated: bool = True,
    ) -> dict:
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

    def not_evaluated(self, entry: dict, reason: str) -> dict:
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


def disabled_check(
    checks: Checks,
    check_id: str,
    subject: str,
    kind: str,
    name: str,
    *,
    observed=None,
    observed_display: str | None = None,
    threshold_display: str = 'disabled',
) -> None:
    """A check its threshold ``name`` switched off (null): it passes, as skipped."""
    message = 'check disabled (%s is null)' % name
    checks.add(
        check_id,
        subject,
        kind,
        observed,
        None,
        passed=True,
        message=message,
        observed_display=observed_display,
        threshold_display=threshold_display,
        skipped=True,
    )


def found_check(checks: Checks, check_id: str, subject: str, kind: str, noun: str) -> None:
    """The kind's found check, passed: the read returned the subject."""
    checks.add(check_id, subject, kind, True, True, passed=True, message='%s %s exists' % (noun, subject), observed_display='found', threshold_display='found')


def missing_check(checks: Checks, check_id: str, subject: str, kind: str, noun: str) -> None:
    """The kind's found check, failed: the subject was asked for and not returned."""
    checks.add(
        check_id,
        subject,
        kind,
        False,
        True,
        passed=False,
        message='%s %s was not found' % (noun, subject),
        observed_display='missing',
        threshold_display='found',
    )
