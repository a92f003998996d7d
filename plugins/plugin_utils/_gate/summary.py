# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lines a gate run prints about its verdict: what `make demo` shows is what production shows.

Pure Python on the fact's mapping: only the few keys the summary needs are
read (never the series), so a large gate's fact is not copied to print it.
"""

from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import ms_to_iso
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.kinds import KINDS

# Rows of the failed-check table; the reports list every check.
MAX_FAILED_ROWS = 50
TABLE_HEADER = ('SUBJECT', 'CHECK', 'OBSERVED', 'THRESHOLD', 'RESULT')


def _text(value):
    return '' if value is None else str(value)


def verdict_line(fact: dict) -> str:
    """``VERDICT: F of N checks failed (U of T <kind>, ... unhealthy)``, naming only the kinds the gate looked at."""
    counts = fact['counts']
    gated = [kind for kind in KINDS if counts.get(kind.fact_key)]
    unhealthy = ', '.join('%d of %d %s' % (counts.get(kind.fact_key + '_unhealthy', 0), counts[kind.fact_key], kind.plural) for kind in gated)
    line = '%s: %d of %d checks failed' % (_text(fact['verdict']), counts['checks_failed'], counts['checks'])
    if counts.get('checks_not_evaluated'):
        line += ', %d not evaluated' % counts['checks_not_evaluated']
    return line + (' (%s unhealthy)' % unhealthy if unhealthy else '')


def failed_check_table(checks: list, limit: int = MAX_FAILED_ROWS) -> list:
    """The failed checks as aligned plain-text lines (header, rule, one row each); [] when none failed."""
    failed = [check for check in checks or [] if not check.get('passed')]
    if not failed:
        return []
    rows = [
        (
            _text(check.get('subject')),
            _text(check.get('id')),
            _text(check.get('observed_display')),
            _text(check.get('threshold_display')),
            'FAIL' if check.get('evaluated', True) else 'NOT EVALUATED',
        )
        for check in failed[:limit]
    ]
    widths = [max(len(row[index]) for row in [TABLE_HEADER] + rows) for index in range(len(TABLE_HEADER))]
    lines = ['  '.join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in [TABLE_HEADER] + rows]
    lines.insert(1, '  '.join('-' * width for width in widths))
    if len(failed) > limit:
        lines.append('... and %d more failed checks (the reports list every check)' % (len(failed) - limit))
    return lines


def summary_lines(fact: dict) -> list:
    """The summary of a gate run: verdict, window, cutover, the error, then the table of failed checks."""
    lines = [verdict_line(fact)]
    window = fact.get('window') or {}
    if window:
        lines.append('Window: %s (%s to %s)' % (_text(window.get('duration')), _text(window.get('start')), _text(window.get('end'))))
    thresholds = fact.get('thresholds') or {}
    if thresholds.get('deadline_ms') is not None:
        lines.append('Cutover: %s (migration_health_deadline: %s)' % (ms_to_iso(int(thresholds['deadline_ms'])), _text(thresholds.get('deadline'))))
    if fact.get('error'):
        lines.append('Error: %s' % _text(fact['error']))
    table = failed_check_table(fact.get('checks'))
    if table:
        lines.append('Failed checks:')
        lines.extend(table)
    return lines
