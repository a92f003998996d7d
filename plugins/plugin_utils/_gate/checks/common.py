# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every check of the gate shares: the ``Checks`` collector, the ``SubjectChecks`` helper, formatting.

Each check adds one entry (id, subject, kind, observed, threshold, passed,
skipped, message) through the ``SubjectChecks`` of its subject;
``_gate/evaluate`` calls the checks of each subject kind and assembles the fact.  Each kind's checks live in a file
of their own (``sync``, ``window``, ``dataset``, ``migration``, ``progress``);
a new subject kind brings its file and its entry in ``_gate/kinds.KINDS``.
"""

from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import one_line
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.statistics_summary import ratio as ratio_of
from ansible_collections.hwcloud.migration.plugins.module_utils._values import is_count
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.results import describe


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


class SubjectChecks:
    """The checks of one subject: each call adds one entry under the subject's id and kind (see :meth:`Checks.add`).

    ``_gate/evaluate`` hands one to each kind's check function, so a check
    says only what is its own: its id, what it observed against which
    threshold, and the outcome.
    """

    def __init__(self, checks: Checks, subject: str, kind: str):
        self.checks = checks
        self.id = subject
        self.kind = kind

    def add(self, check_id: str, observed: object, threshold: object, **outcome) -> dict:
        """One entry; ``outcome`` is what :meth:`Checks.add` takes after the threshold."""
        return self.checks.add(check_id, self.id, self.kind, observed, threshold, **outcome)

    def unusable(self, check_id: str, observed: object, threshold: object, message: str, **displays) -> dict:
        """A check whose input cannot be used: it fails as not evaluated."""
        return self.add(check_id, observed, threshold, passed=False, message=message, evaluated=False, **displays)

    def skip(self, check_id: str, observed: object, threshold: object, message: str, **displays) -> dict:
        """A check that does not apply to what was observed: it passes as skipped."""
        return self.add(check_id, observed, threshold, passed=True, message=message, skipped=True, **displays)

    def disabled(self, check_id: str, name: str, *, observed=None, observed_display: str | None = None, threshold_display: str = 'disabled') -> dict:
        """A check its threshold ``name`` switched off (null): it passes, as skipped."""
        message = 'check disabled (%s is null)' % name
        return self.skip(check_id, observed, None, message, observed_display=observed_display, threshold_display=threshold_display)

    def found(self, check_id: str, noun: str, found: bool) -> dict:
        """The kind's found check: the read returned the subject, or it was asked for and not returned."""
        message = '%s %s %s' % (noun, self.id, 'exists' if found else 'was not found')
        return self.add(check_id, found, True, passed=found, message=message, observed_display='found' if found else 'missing', threshold_display='found')

    def status_name(self, check_id: str, status: object, allowed: list, reason: str = '') -> dict:
        """A status given by name against the ``allowed`` ones; a status that is no name is not evaluated."""
        threshold_display = 'in [%s]' % status_list(allowed)
        if not isinstance(status, str):
            message = 'status is %s, not a status name' % describe(status)
            return self.unusable(check_id, None, allowed, message, observed_display='unusable', threshold_display=threshold_display)
        passed = status in allowed
        message = 'status %s%s is %s' % (status, reason, 'allowed' if passed else 'not one of %s' % status_list(allowed))
        return self.add(check_id, status, allowed, passed=passed, message=message, threshold_display=threshold_display)

    def ratio(self, check_id: str, name: str, limit: float | None, counts: tuple, *, during: str, label: str) -> dict:
        """The failure ratio of ``counts`` (failed, requested) against ``limit`` (the threshold ``name``).

        ``during`` says when they were counted (``in the last 1h``), ``label``
        names the ratio in the message (``failure ratio %s over the last 1h``).
        """
        failures, requests = counts
        # The same ratio rule (and rounding) as the statistics module's summary.
        ratio = ratio_of(failures, requests)
        threshold_display = '<= %s' % format_ratio(limit) if limit is not None else 'disabled'
        if limit is None:
            return self.disabled(check_id, name, observed=ratio, observed_display=format_ratio(ratio), threshold_display=threshold_display)
        if ratio is None and failures:
            # Failures without requests: no ratio, but objects failed, which no limit allows to pass unseen.
            message = '%d object(s) failed %s while none were requested: the failure ratio has no denominator, ' % (failures, during)
            message += 'and failures without requests count as above any limit'
            return self.add(
                check_id,
                None,
                limit,
                passed=False,
                message=message,
                observed_display='%d failed of 0 requested' % failures,
                threshold_display=threshold_display,
            )
        if ratio is None:
            return self.skip(check_id, None, limit, 'skipped: no objects requested %s' % during, observed_display='n/a', threshold_display=threshold_display)
        passed = ratio <= limit
        message = '%s (%d failed of %d requested) is %s %s' % (
            label % format_ratio(ratio),
            failures,
            requests,
            'within' if passed else 'above',
            format_ratio(limit),
        )
        return self.add(check_id, ratio, limit, passed=passed, message=message, observed_display=format_ratio(ratio), threshold_display=threshold_display)
