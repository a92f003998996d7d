# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleet verdict (plugin_utils/_reports/fleet.py): pure functions, no Ansible run."""

import json
import os
import xml.etree.ElementTree as ET

import pytest

from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports import fleet as _fleet

NOW_MS = 1764514800000  # 2025-11-30T15:00:00Z


def _fact(verdict='HEALTHY', failed=0, violations=()):
    return {
        'verdict': verdict,
        'healthy': verdict == 'HEALTHY',
        'counts': {
            'sync_tasks': 2,
            'sync_tasks_unhealthy': 1 if failed else 0,
            'datasets': 1,
            'datasets_unhealthy': 0,
            'checks': 10,
            'checks_passed': 10 - failed,
            'checks_failed': failed,
            'checks_skipped': 0,
        },
        'violations': list(violations),
        'checks': [],
    }


def _record(health, error=None, region='cn-north-4', project='cn-north-4', report_dir=None):
    return {'region': region, 'project': project, 'project_id': 'p1', 'health': health, 'error': error, 'report_dir': report_dir}


def test_all_healthy_targets_make_a_healthy_fleet():
    fleet = _fleet.build_fleet({'b': _record(_fact()), 'a': _record(_fact())}, now_ms=NOW_MS)
    assert fleet['verdict'] == 'HEALTHY' and fleet['healthy'] is True
    assert [entry['name'] for entry in fleet['targets']] == ['a', 'b']
    assert fleet['counts'] == {'targets': 2, 'healthy': 2, 'unhealthy': 0, 'error': 0}
    assert fleet['evaluated_at'] == '2025-11-30T15:00:00Z'


def test_one_unhealthy_target_makes_the_fleet_unhealthy():
    unhealthy = _record(_fact('UNHEALTHY', 1, ['- x']), error='Migration health gate FAILED')
    fleet = _fleet.build_fleet({'a': _record(_fact()), 'b': unhealthy})
    assert fleet['verdict'] == 'UNHEALTHY'
    entry = fleet['targets'][1]
    assert entry['verdict'] == 'UNHEALTHY' and entry['error'] is None and entry['violations'] == ['- x']
    assert entry['counts']['checks_failed'] == 1


@pytest.mark.parametrize(
    'record, why',
    [
        (None, 'recorded no result'),
        (_record(None, error='HTTP 403 OMS.0072'), 'HTTP 403 OMS.0072'),
        (_record(None), 'no migration_health fact'),
        (_record({'verdict': 'GREEN', 'counts': {}}), 'no known verdict'),
        (_record({'verdict': 'HEALTHY', 'counts': {}, 'healthy': False}), 'healthy is False'),
        (_record({'verdict': 'HEALTHY', 'healthy': True}), 'no counts'),
        (_record(['not', 'a', 'fact']), 'not a mapping'),
        (_record(_fact(), error='could not write the reports'), 'the checks passed but the target run failed'),
    ],
)
def test_a_target_the_fleet_cannot_vouch_for_is_error_never_healthy(record, why):
    fleet = _fleet.build_fleet({'a': _record(_fact()), 'b': record})
    entry = fleet['targets'][1]
    assert entry['verdict'] == 'ERROR' and entry['healthy'] is False
    assert why in entry['error']
    assert fleet['verdict'] == 'ERROR' and fleet['counts']['error'] == 1


def test_error_outranks_unhealthy():
    fleet = _fleet.build_fleet({'a': _record(_fact('UNHEALTHY', 2)), 'b': _record(None, error='boom')})
    assert fleet['verdict'] == 'ERROR'
    assert fleet['counts'] == {'targets': 2, 'healthy': 0, 'unhealthy': 1, 'error': 1}


def test_an_error_verdict_from_the_target_keeps_its_counts():
    fact = _fact('ERROR', 1)
    fact['healthy'] = False
    fact['error'] = 'statistics read failed'
    entry = _fleet.build_fleet({'a': _record(fact, error='gate failed')})['targets'][0]
    assert entry['verdict'] == 'ERROR' and entry['counts']['checks_failed'] == 1
    assert entry['error'] == 'statistics read failed'


def test_an_empty_fleet_is_error():
    fleet = _fleet.build_fleet({})
    assert fleet['verdict'] == 'ERROR' and fleet['healthy'] is False
    assert _fleet.failure_message(fleet).endswith('no targets were evaluated')
    suite = ET.fromstring(_fleet.render_junit(fleet).split('\n', 1)[1]).find('testsuite')
    assert suite.find('testcase/error') is not None


@pytest.mark.parametrize('targets', [[], {'': _record(_fact())}, {'a': 'text'}])
def test_malformed_input_is_refused(targets):
    with pytest.raises(_fleet.FleetInputError):
        _fleet.build_fleet(targets)


def test_violations_are_capped_but_counted():
    lines = ['- v%d' % number for number in range(30)]
    entry = _fleet.build_fleet({'a': _record(_fact('UNHEALTHY', 30, lines))})['targets'][0]
    assert len(entry['violations']) == _fleet.MAX_VIOLATIONS_SHOWN and entry['violations_total'] == 30


def test_failure_message_names_each_target_that_is_not_healthy():
    fleet = _fleet.build_fleet({'a': _record(_fact()), 'b': _record(_fact('UNHEALTHY', 2)), 'c': _record(None, error='HTTP 403')})
    lines = _fleet.failure_message(fleet).splitlines()
    assert lines[0] == ('Migration health fleet gate FAILED: ERROR: 2 of 3 targets are not healthy (1 unhealthy, 1 error)')
    assert lines[1] == '- b: UNHEALTHY: 2 of 10 checks failed'
    assert lines[2].startswith('- c: ERROR: HTTP 403')
    assert len(lines) == 3


def test_junit_has_one_case_per_target_and_survives_hostile_text():
    fleet = _fleet.build_fleet(
        {'a': _record(_fact()), 'b': _record(_fact('UNHEALTHY', 1, ['<b>"&\x01'])), 'c': _record(None, error='bad <xml> & \x02 control')}
    )
    root = ET.fromstring(_fleet.render_junit(fleet).split('\n', 1)[1])
    assert root.get('tests') == '3' and root.get('failures') == '1' and root.get('errors') == '1'
    cases = dict((case.get('name'), case) for case in root.iter('testcase'))
    assert cases['a'].find('failure') is None and cases['a'].find('error') is None
    assert cases['b'].find('failure') is not None
    assert 'bad <xml> &' in cases['c'].find('error').get('message')


def test_html_is_autoescaped_and_links_each_target_report(tmp_path):
    own = tmp_path / 'b'
    own.mkdir()
    (own / 'migration-health.html').write_text('x')
    (own / 'migration-health.json').write_text('{}')
    fleet = _fleet.build_fleet({'a': _record(None, error='<script>alert(1)</script>'), 'b': _record(_fact(), report_dir=str(own))})
    html = _fleet.render_html(fleet, title='T <&>', dest=str(tmp_path))
    assert '<script>alert' not in html and '&lt;script&gt;alert(1)&lt;/script&gt;' in html
    assert '<title>T &lt;&amp;&gt;</title>' in html
    assert 'href="b/migration-health.html"' in html
    assert fleet['targets'][1]['reports'] == {'dir': str(own), 'html': str(own / 'migration-health.html'), 'json': str(own / 'migration-health.json')}
    assert fleet['targets'][0]['reports'] is None


def test_write_reports_writes_three_files_and_is_idempotent(tmp_path):
    fleet = _fleet.build_fleet({'a': _record(_fact())}, now_ms=NOW_MS)
    dest = tmp_path / 'reports'
    changed, paths = _fleet.write_reports(fleet, str(dest), check_mode=True)
    assert changed and not dest.exists()
    changed, paths = _fleet.write_reports(fleet, str(dest))
    assert changed and sorted(os.listdir(str(dest))) == sorted(_fleet.REPORT_NAMES.values())
    assert json.loads((dest / 'migration-health.json').read_text()) == fleet
    changed, _paths = _fleet.write_reports(fleet, str(dest))
    assert not changed


# -- host_record: what a target's host holds after its gate ------------------

STARTED_MS = NOW_MS - 60000


def _evaluated(verdict='HEALTHY', at_ms=NOW_MS, **extra):
    fact = _fact(verdict)
    fact.update(evaluated_at_ms=at_ms, series={'big': list(range(100))}, **extra)
    return fact


def test_a_fact_of_this_run_is_the_targets_health_without_its_series():
    record = _fleet.host_record(STARTED_MS, _evaluated('UNHEALTHY'), report_dir='/r/a', region='cn-north-4', project='p', project_id='p1')
    assert record['health']['verdict'] == 'UNHEALTHY' and record['health']['counts']['checks'] == 10
    assert sorted(record['health']) == ['counts', 'error', 'healthy', 'verdict', 'violations']
    assert (record['region'], record['project'], record['project_id'], record['report_dir'], record['error']) == ('cn-north-4', 'p', 'p1', '/r/a', None)
    assert _fleet.target_entry('a', record)['verdict'] == 'UNHEALTHY'


@pytest.mark.parametrize(
    'fact',
    [
        _evaluated(at_ms=STARTED_MS - 1),  # an earlier play's, or a fact cache's
        _evaluated(at_ms=None),
        _evaluated(at_ms='soon'),
        {'verdict': 'HEALTHY', 'healthy': True, 'counts': {}},  # no evaluated_at_ms at all
        ['not', 'a', 'fact'],
        None,
    ],
)
def test_a_fact_not_evaluated_in_this_run_never_counts(fact):
    record = _fleet.host_record(STARTED_MS, fact, error='the role could not start')
    assert record['health'] is None
    entry = _fleet.target_entry('a', record)
    assert entry['verdict'] == 'ERROR' and entry['counts'] is None
    assert entry['error'].startswith('the role could not start')


@pytest.mark.parametrize('started_ms', [None, '', 'later'])
def test_a_target_whose_gate_never_started_recorded_nothing(started_ms):
    assert _fleet.host_record(started_ms, _evaluated()) is None
    assert 'recorded no result' in _fleet.target_entry('a', None)['error']


def test_a_host_that_left_the_play_recorded_nothing_even_with_a_fresh_healthy_fact():
    assert _fleet.host_record(STARTED_MS, _evaluated(), active=False) is None


def test_the_start_time_may_come_as_text():
    # Without Jinja2 native types (ansible-core < 2.19) a templated fact is text.
    record = _fleet.host_record(str(STARTED_MS), _evaluated(at_ms=str(NOW_MS)))
    assert record['health']['verdict'] == 'HEALTHY'
    assert _fleet.target_entry('a', record)['healthy'] is True


def _fact_of_every_kind():
    fact = _fact('UNHEALTHY', 3, ['- task-group-%d: task-group-failed-tasks failed' % index for index in range(3)])
    fact['counts'].update(migration_tasks=7, migration_tasks_unhealthy=2, task_groups=3, task_groups_unhealthy=1, checks_not_evaluated=1)
    return fact


def test_html_shows_migration_tasks_and_task_groups_per_target():
    # Issue 20, item 7: the fleet page has a column per kind the gate reads, not only sync tasks and datasets.
    fleet = _fleet.build_fleet({'a': _record(_fact_of_every_kind()), 'b': _record(_fact())}, now_ms=NOW_MS)
    assert fleet['targets'][0]['counts']['task_groups_unhealthy'] == 1
    html = _fleet.render_html(fleet)
    headers = [
        header.strip()
        for header in html.split('<thead>', 1)[1].split('</thead>', 1)[0].replace('<tr>', '').replace('</tr>', '').split('</th>')
        if header.strip()
    ]
    headers = [header.replace('<th>', '') for header in headers]
    assert headers[4:10] == [
        'Checks failed',
        'Not evaluated',
        'Sync tasks unhealthy',
        'Datasets unhealthy',
        'Migration tasks unhealthy',
        'Task groups unhealthy',
    ]
    row = html.split('data-target="a"', 1)[1].split('</tr>', 1)[0]
    assert '<td class="num">2 of 7</td>' in row and '<td class="num">1 of 3</td>' in row and '<td class="num">1</td>' in row
    # A fact without the kinds (an older gate) shows '-', never '0 of 0'.
    row = html.split('data-target="b"', 1)[1].split('</tr>', 1)[0]
    assert row.count('<td class="num">-</td>') == 3  # not evaluated, migration tasks, task groups
