"""The gate's summary lines (plugins/plugin_utils/_gate/summary.py) and the report writer's file modes."""

import os
import stat

from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate import summary
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports.files import write_texts


def _check(subject, check_id, passed, evaluated=True):
    return {
        'subject': subject,
        'id': check_id,
        'passed': passed,
        'skipped': False,
        'evaluated': evaluated,
        'observed_display': 'o-%s' % check_id,
        'threshold_display': 't-%s' % check_id,
    }


def _fact(checks, **extra):
    fact = {
        'verdict': 'UNHEALTHY',
        'counts': {
            'sync_tasks': 2,
            'sync_tasks_unhealthy': 1,
            'datasets': 0,
            'datasets_unhealthy': 0,
            'checks': len(checks),
            'checks_failed': sum(1 for check in checks if not check['passed']),
            'checks_not_evaluated': 0,
        },
        'window': {'duration': '1h', 'start': '2026-12-03T05:00:00.000Z', 'end': '2026-12-03T06:00:00.000Z'},
        'thresholds': {'deadline': None, 'deadline_ms': None},
        'error': None,
        'checks': checks,
    }
    fact.update(extra)
    return fact


def test_summary_names_only_the_kinds_gated_and_tables_only_failed_checks():
    checks = [_check('a', 'task-status', True), _check('b', 'stall', False), _check('b', 'window-statistics', False, evaluated=False)]
    lines = summary.summary_lines(_fact(checks))
    assert lines[0] == 'UNHEALTHY: 2 of 3 checks failed (1 of 2 sync tasks unhealthy)'
    assert lines[1] == 'Window: 1h (2026-12-03T05:00:00.000Z to 2026-12-03T06:00:00.000Z)'
    assert lines[2] == 'Failed checks:'
    assert lines[3].split() == list(summary.TABLE_HEADER)
    assert set(lines[4].replace(' ', '')) == {'-'}
    assert lines[5].split() == ['b', 'stall', 'o-stall', 't-stall', 'FAIL']
    assert lines[6].split() == ['b', 'window-statistics', 'o-window-statistics', 't-window-statistics', 'NOT', 'EVALUATED']
    assert len(lines) == 7
    # Columns line up.
    assert lines[5].index('stall') == lines[3].index('CHECK')


def test_summary_of_a_healthy_gate_with_a_deadline_and_an_error():
    lines = summary.summary_lines(_fact([_check('a', 'task-status', True)], thresholds={'deadline': '+1h', 'deadline_ms': 1764741600000}))
    assert lines == [
        'UNHEALTHY: 0 of 1 checks failed (1 of 2 sync tasks unhealthy)',
        'Window: 1h (2026-12-03T05:00:00.000Z to 2026-12-03T06:00:00.000Z)',
        'Cutover: 2025-12-03T06:00:00.000Z (migration_health_deadline: +1h)',
    ]
    lines = summary.summary_lines(_fact([], verdict='ERROR', error='sync task read: HTTP 403'))
    assert 'Error: sync task read: HTTP 403' in lines


def test_the_failed_check_table_is_capped():
    checks = [_check('s%03d' % index, 'stall', False) for index in range(summary.MAX_FAILED_ROWS + 5)]
    table = summary.failed_check_table(checks)
    assert len(table) == 2 + summary.MAX_FAILED_ROWS + 1
    assert table[-1] == '... and 5 more failed checks (the reports list every check)'


def test_reports_get_the_mode_the_umask_gives(tmp_path):
    previous = os.umask(0o077)
    try:
        write_texts({'json': '{}\n'}, str(tmp_path / 'out'), names=(('json', 'r.json'),))
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / 'out' / 'r.json').stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / 'out').stat().st_mode) == 0o700
    assert os.listdir(str(tmp_path / 'out')) == ['r.json']
