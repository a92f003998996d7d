# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The registry of subject kinds (plugin_utils/_gate/kinds.py) and the one XML rule of the reports."""

import dataclasses
import re
import xml.etree.ElementTree as ET

import pytest

from ansible_collections.hwcloud.migration.plugins.module_utils._reads.names import READS_BY_NAME
from ansible_collections.hwcloud.migration.plugins.module_utils._values import xml_safe
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate import evaluate as _health_evaluate
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate import kinds as _health_kinds
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate import summary as _health_summary
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.policy import normalise_policy
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.results import gate_error
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports import fleet as _fleet
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports import html as _health_html
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports import junit as _health_junit
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports.columns import Column

NOW = 1700157600000
# Characters XML 1.0 cannot carry (C0 controls, a lone surrogate, the two non-characters) among ones it can.
HOSTILE = 'a\x00b\x08c\x0bd\x1fe\ud800f\ufffeg\uffffh-\u00e9-\U0001f600'
CLEANED = 'a\ufffdb\ufffdc\ufffdd\ufffde\ufffdf\ufffdg\ufffdh-\u00e9-\U0001f600'


def _parse(text):
    # What a CI server does with the file: bytes in UTF-8, then an XML parser.
    return ET.fromstring(text.split('\n', 1)[1].encode('utf-8'))


def test_the_gate_and_the_fleet_junit_writers_drop_the_same_characters():
    fact = _health_evaluate.error_fact([gate_error('inputs', 'refused', subject_id=HOSTILE)], now_ms=NOW)
    gate_names = [case.get('name') for case in _parse(_health_junit.render_junit(fact)).iter('testcase')]
    fleet = _fleet.build_fleet({HOSTILE: None}, now_ms=NOW)
    fleet_names = [case.get('name') for case in _parse(_fleet.render_junit(fleet)).iter('testcase')]
    assert gate_names == ['inputs ' + CLEANED]
    assert fleet_names == [CLEANED]
    assert xml_safe(HOSTILE) == CLEANED


def test_the_html_page_drops_the_characters_xml_cannot_carry():
    fact = _health_evaluate.error_fact([gate_error('inputs', 'refused', subject_id=HOSTILE)], now_ms=NOW)
    html = _health_html.render_html(fact)
    assert CLEANED in html and '\ud800' not in html and '\x00' not in html
    html.encode('utf-8')


def test_every_kind_reads_registered_reads_and_puts_its_found_check_first():
    for kind in _health_kinds.KINDS:
        assert all(READS_BY_NAME[read.name] is read.read for read in kind.reads)
        assert kind.found_check.endswith('-found')
        assert kind.found_check not in _health_kinds.SKIPPABLE_CHECKS
        assert set(kind.checks[1:]) <= set(_health_kinds.SKIPPABLE_CHECKS)
        assert all(check in kind.checks for read in kind.reads for check in read.checks)
        assert set(kind.thresholds) <= set(kind.threshold_keys)
    assert len(set(_health_kinds.ALL_CHECKS)) == len(_health_kinds.ALL_CHECKS)


def test_the_fleet_page_has_one_column_per_kind_in_registry_order():
    fleet = _fleet.build_fleet({'a': None}, now_ms=NOW)
    headers = re.findall(r'<th>([^<]*)</th>', _fleet.render_html(fleet))
    kind_headers = [header for header in headers if header.endswith(' unhealthy')]
    assert kind_headers == ['%s unhealthy' % kind.title for kind in _health_kinds.KINDS]


def _samples_checks(subject, bodies, thresholds, *, now, window):
    count = bodies[0].get('total_sample_count')
    passed = isinstance(count, int) and count >= thresholds['min_samples']
    subject.add('import-samples', count, thresholds['min_samples'], passed=passed, message='%s sample(s)' % count)
    return {'samples': count}


# A kind the collection does not have: one entry and its check function.
IMPORTS = _health_kinds.SubjectKind(
    name='dataset_import',
    fact_key='dataset_imports',
    noun='dataset import',
    checks=('import-found', 'import-samples'),
    thresholds=('min_samples',),
    threshold_keys=('min_samples',),
    reads=(_health_kinds.KindRead(READS_BY_NAME['dataset_sync_info'], 'dataset import read', ('import-found', 'import-samples')),),
    evaluate=_samples_checks,
    unread=lambda: {'samples': None},
    columns=(Column('Samples', lambda entry: str(entry.get('samples')), True),),
)


@pytest.fixture
def with_imports(monkeypatch):
    kinds = _health_kinds.KINDS + (IMPORTS,)
    by_name = dict(_health_kinds.KINDS_BY_NAME, dataset_import=IMPORTS)
    for module in (_health_evaluate, _health_html, _health_summary):
        monkeypatch.setattr(module, 'KINDS', kinds)
    for module in (_health_evaluate, _health_junit):
        monkeypatch.setattr(module, 'KINDS_BY_NAME', by_name)
    policy = normalise_policy({'datasets': ['d1']})
    policy['thresholds']['min_samples'] = 10
    policy['dataset_imports'] = [{'id': 'd1', 'overrides': {}}, {'id': 'd2', 'overrides': {'min_samples': 1}}]
    return policy


def _dataset_result(*syncs):
    return {'dataset_sync_info': {'changed': False, 'dataset_syncs': list(syncs)}}


def test_a_new_kind_is_evaluated_counted_and_reported_from_its_entry(with_imports):
    results = _dataset_result(
        {'dataset_id': 'd1', 'status': 'COMPLETED', 'total_sample_count': 3}, {'dataset_id': 'd2', 'status': 'COMPLETED', 'total_sample_count': 3}
    )
    fact = _health_evaluate.evaluate(results, with_imports, now_ms=NOW)
    assert [(entry['id'], entry['samples'], entry['healthy'], entry['overridden']) for entry in fact['dataset_imports']] == [
        ('d1', 3, False, []),
        ('d2', 3, True, ['min_samples']),
    ]
    assert (fact['counts']['dataset_imports'], fact['counts']['dataset_imports_unhealthy']) == (2, 1)
    assert fact['verdict'] == 'UNHEALTHY'
    assert fact['violations'] == ['dataset import d1: import-samples observed 3, threshold 10 - 3 sample(s)']
    assert '1 of 2 dataset imports' in _health_summary.verdict_line(fact)
    suites = [suite.get('name') for suite in _parse(_health_junit.render_junit(fact)).iter('testsuite')]
    assert 'dataset import d1' in suites and 'dataset import d2' in suites
    html = _health_html.render_html(fact)
    assert '<h2>Dataset imports</h2>' in html and 'data-kind="dataset_import"' in html and '<th>Samples</th>' in html


def test_a_new_kind_fails_closed_when_its_read_failed(with_imports):
    results = {'dataset_sync_info': {'failed': True, 'msg': 'IAM token request failed', 'dataset_syncs': []}}
    fact = _health_evaluate.evaluate(results, with_imports, now_ms=NOW)
    found = [check for check in fact['checks'] if check['id'] == 'import-found']
    assert len(found) == 2 and not any(check['passed'] or check['evaluated'] for check in found)
    assert fact['verdict'] == 'ERROR'


def test_a_kind_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        IMPORTS.noun = 'import'
