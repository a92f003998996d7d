# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The JUnit XML report of the ``migration_health`` fact, built with ElementTree.

One ``testsuite`` per subject (sync task, dataset, ...) and one ``testcase``
per check, so a CI server shows the gate as a tree of subjects.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import xml.etree.ElementTree as ET

from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import ms_to_iso
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import KIND_MIGRATION_TASK, KIND_TASK_GROUP, KINDS_BY_NAME
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.results import error_line

# Suite properties of a migration task or task group: progress, ETA against the deadline, the API's error reason.
MIGRATION_PROPERTIES = (
    ('status', 'status_name'),
    ('progress_percent', 'percent'),
    ('eta', 'eta'),
    ('eta_unknown', 'eta_unknown'),
    ('deadline_margin_ms', 'deadline_margin_ms'),
    ('failed_objects', 'failed_objects'),
    ('failed_object_list', 'failed_object_list'),
    ('error_code', 'error_code'),
    ('error_msg', 'error_msg'),
)


def _migration_properties(fact, kind, subject):
    """(name, value) of the suite properties of one migration subject, [] for other kinds."""
    if kind not in (KIND_MIGRATION_TASK, KIND_TASK_GROUP):
        return []
    fact_key = KINDS_BY_NAME[kind]['fact_key']
    entry = next((item for item in fact.get(fact_key) or [] if item.get('id') == subject), None)
    if entry is None:
        return []
    thresholds = entry.get('thresholds') or {}
    deadline = thresholds.get('deadline_ms')
    pairs = [(name, entry.get(key)) for name, key in MIGRATION_PROPERTIES if entry.get(key) is not None]
    if deadline is not None:
        pairs.append(('deadline', ms_to_iso(deadline)))
    return pairs


# Characters XML 1.0 cannot carry at all, even escaped: ElementTree would write them as they are.
_XML_INVALID = re.compile('[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]')


def xml_safe(value):
    """``value`` as text XML can carry: characters it cannot are replaced by U+FFFD."""
    return _XML_INVALID.sub('\ufffd', '' if value is None else str(value))


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


def render_junit(fact):
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
    root = ET.Element(
        'testsuites',
        {
            'name': 'migration-health',
            'tests': str(counts['checks'] + len(gate_errors)),
            'failures': str(counts['checks_failed'] - not_evaluated),
            'errors': str(not_evaluated + len(gate_errors)),
            'skipped': str(counts['checks_skipped']),
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
        label = KINDS_BY_NAME.get(kind, {}).get('label', kind)
        errored = sum(1 for check in checks if not check['passed'] and not check.get('evaluated', True))
        suite = _element(
            root,
            'testsuite',
            name='%s %s' % (label, subject),
            tests=len(checks),
            failures=sum(1 for check in checks if not check['passed']) - errored,
            errors=errored,
            skipped=sum(1 for check in checks if check['passed'] and check['skipped']),
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
        ) + tuple(_migration_properties(fact, kind, subject)):
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
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding='unicode') + '\n'
