# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The JUnit XML report of the ``migration_health`` fact, built with ElementTree.

One ``testsuite`` per subject (sync task, dataset, ...) and one ``testcase``
per check, so a CI server shows the gate as a tree of subjects; each kind's
suite properties come from ``_gate/kinds.KINDS``.  Text goes through the
collection's one XML rule (``_values.xml_safe``), as in the fleet's report.
"""

import xml.etree.ElementTree as ET

from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import ms_to_iso
from ansible_collections.hwcloud.migration.plugins.module_utils._values import xml_safe
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.kinds import KINDS_BY_NAME
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.results import error_line


def _suite_properties(fact, kind_name, subject):
    """(name, value) of the kind's own suite properties of one subject (``SubjectKind.suite_properties``)."""
    kind = KINDS_BY_NAME.get(kind_name)
    if kind is None or not kind.suite_properties:
        return []
    entry = next((item for item in fact.get(kind.fact_key) or [] if item.get('id') == subject), None)
    if entry is None:
        return []
    deadline = (entry.get('thresholds') or {}).get('deadline_ms')
    pairs = [(name, entry.get(key)) for name, key in kind.suite_properties if entry.get(key) is not None]
    if deadline is not None:
        pairs.append(('deadline', ms_to_iso(deadline)))
    return pairs


def _code_cases(fact, check):
    """One test case per failure code of a failure-code check's subject: ``(name, passed, skipped, detail)``.

    A code the user allows passes, any other fails; all are skipped when the
    check is switched off (skip_checks).  The detail names the code's count
    and its first objects (``failed_object_details`` of the subject's entry).
    """
    if not check['id'].endswith('-failure-codes'):
        return []
    kind = KINDS_BY_NAME.get(check['kind'])
    entry = next((item for item in fact.get(kind.fact_key) or [] if item.get('id') == check['subject']), None) if kind else None
    details = (entry or {}).get('failed_object_details') or {}
    allowed = ((entry or {}).get('thresholds') or {}).get('allowed_failure_codes') or []
    cases = []
    for code, count in sorted((details.get('counts') or {}).items()):
        keys = [item.get('key') for item in details.get('objects') or [] if item.get('code') == code]
        detail = '%d failed object(s) with code %s (%s)\n%s' % (
            count,
            code,
            'allowed' if code in allowed else 'not allowed',
            '\n'.join(str(key) for key in keys),
        )
        skipped = check['skipped'] and check['passed']
        cases.append(('%s %s' % (check['id'], code), skipped or code in allowed, skipped, detail))
    return cases


def _element(parent, tag, text=None, **attributes):
    element = ET.SubElement(parent, tag, dict((key, xml_safe(value)) for key, value in attributes.items()))
    if text is not None:
        element.text = xml_safe(text)
    return element


def _suites(checks):
    """Checks grouped by (kind, subject) in first-seen order."""
    order = []
    grouped = {}
    for check in checks:
        key = (check['kind'], check['subject'])
        if key not in grouped:
            grouped[key] = []
            order.append(key)
        grouped[key].append(check)
    return [(key, grouped[key]) for key in order]


def render_junit(fact: dict) -> str:
    """Render the health fact as JUnit XML: a testsuite per subject, a testcase per check.

    A check that could not be evaluated is an ``<error>`` (not a ``<failure>``),
    and the gate's own errors (failed reads, unusable answers) come first, as a
    ``migration-health errors`` suite with one ``<error>`` per entry, so a CI
    server shows an ERROR verdict as errors, never as a clean run.
    """
    counts = fact['counts']
    window = fact.get('window') or {}
    timestamp = (fact.get('evaluated_at') or '').rstrip('Z')
    gate_errors = fact.get('errors') or []
    not_evaluated = counts.get('checks_not_evaluated', 0)
    # The failed-object details: a test case per failure code, after its check's.
    code_cases = {id(check): _code_cases(fact, check) for check in fact['checks']}
    every_code = [case for cases in code_cases.values() for case in cases]
    root = ET.Element(
        'testsuites',
        {
            'name': 'migration-health',
            'tests': str(counts['checks'] + len(gate_errors) + len(every_code)),
            'failures': str(counts['checks_failed'] - not_evaluated + sum(1 for case in every_code if not case[1])),
            'errors': str(not_evaluated + len(gate_errors)),
            'skipped': str(counts['checks_skipped'] + sum(1 for case in every_code if case[2])),
        },
    )
    if gate_errors:
        suite = _element(
            root,
            'testsuite',
            name='migration-health errors',
            tests=len(gate_errors),
            failures=0,
            errors=len(gate_errors),
            skipped=0,
            timestamp=timestamp,
            time='0',
        )
        properties = _element(suite, 'properties')
        _element(properties, 'property', name='verdict', value=fact.get('verdict'))
        for error in gate_errors:
            name = error['step'] + (' %s' % error['id'] if error.get('id') is not None else '')
            case = _element(suite, 'testcase', classname='migration_health.errors', name=name, time='0')
            detail = '\n'.join(
                '%s: %s' % (key, error.get(key))
                for key in ('step', 'id', 'field', 'status', 'error_code', 'request_id', 'message')
                if error.get(key) is not None
            )
            _element(case, 'error', detail, message=error_line(error), type=error['step'])
    for (kind, subject), checks in _suites(fact['checks']):
        label = KINDS_BY_NAME[kind].noun if kind in KINDS_BY_NAME else kind
        errored = sum(1 for check in checks if not check['passed'] and not check.get('evaluated', True))
        codes = [case for check in checks for case in code_cases[id(check)]]
        suite = _element(
            root,
            'testsuite',
            name='%s %s' % (label, subject),
            tests=len(checks) + len(codes),
            failures=sum(1 for check in checks if not check['passed']) - errored + sum(1 for case in codes if not case[1]),
            errors=errored,
            skipped=sum(1 for check in checks if check['passed'] and check['skipped']) + sum(1 for case in codes if case[2]),
            timestamp=timestamp,
            time='0',
        )
        properties = _element(suite, 'properties')
        for name, value in (
            ('verdict', fact.get('verdict')),
            ('kind', kind),
            ('subject', subject),
            ('window', window.get('duration')),
            ('window_start', window.get('start')),
            ('window_end', window.get('end')),
        ) + tuple(_suite_properties(fact, kind, subject)):
            _element(properties, 'property', name=name, value=value)
        for check in checks:
            case = _element(suite, 'testcase', classname='migration_health.%s.%s' % (kind, subject), name=check['id'], time='0')
            detail = 'observed: %s\nthreshold: %s\n%s' % (check['observed_display'], check['threshold_display'], check['message'])
            if not check['passed']:
                tag = 'failure' if check.get('evaluated', True) else 'error'
                _element(case, tag, detail, message=check['message'], type=check['id'])
            elif check['skipped']:
                _element(case, 'skipped', message=check['message'])
            _element(case, 'system-out', detail)
            for name, passed, skipped, code_detail in code_cases[id(check)]:
                code_case = _element(suite, 'testcase', classname='migration_health.%s.%s' % (kind, subject), name=name, time='0')
                if skipped:
                    _element(code_case, 'skipped', message=check['message'])
                elif not passed:
                    _element(code_case, 'failure', code_detail, message=code_detail.split('\n', 1)[0], type=check['id'])
                _element(code_case, 'system-out', code_detail)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding='unicode') + '\n'
