# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The JUnit XML report of the ``migration_health`` fact, built with ElementTree.

One ``testsuite`` per subject (sync task, dataset, ...) and one ``testcase``
per check, so a CI server shows the gate as a tree of subjects.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import re
import xml.etree.ElementTree as ET

from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import ms_to_iso
from ansible_collections.hwcloud.migration.plugins.plugin_utils._health_constants import (
    KIND_MIGRATION_TASK,
    KIND_TASK_GROUP,
    KINDS_BY_NAME,
)

# Suite properties of a migration task or task group: progress, ETA against the deadline, the API's error reason.
MIGRATION_PROPERTIES = (
    ('status', 'status_name'), ('progress_percent', 'percent'), ('eta', 'eta'), ('eta_unknown', 'eta_unknown'),
    ('deadline_margin_ms', 'deadline_margin_ms'), ('failed_objects', 'failed_objects'),
    ('failed_object_list', 'failed_object_list'), ('error_code', 'error_code'), ('error_msg', 'error_msg'),
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
_XML_INVALID = re.compile(u'[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]')


def xml_safe(value):
    """``value`` as text XML can carry: characters it cannot are replaced by U+FFFD."""
    return _XML_INVALID.sub(u'\ufffd', u'' if value is None else str(value))


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
    """Render the health fact as JUnit XML: a testsuite per subject, a testcase per check."""
    counts = fact['counts']
    window = fact.get('window') or {}
    timestamp = (fact.get('evaluated_at') or '').rstrip('Z')
    root = ET.Element('testsuites', {
        'name': 'migration-health', 'tests': str(counts['checks']), 'failures': str(counts['checks_failed']),
        'errors': '0', 'skipped': str(counts['checks_skipped']),
    })
    for (kind, subject), checks in _suites(fact['checks']):
        label = KINDS_BY_NAME.get(kind, {}).get('label', kind)
        suite = _element(root, 'testsuite', name='%s %s' % (label, subject), tests=len(checks),
                         failures=sum(1 for check in checks if not check['passed']), errors=0,
                         skipped=sum(1 for check in checks if check['passed'] and check['skipped']),
                         timestamp=timestamp, time='0')
        properties = _element(suite, 'properties')
        for name, value in (('verdict', fact.get('verdict')), ('kind', kind), ('subject', subject),
                            ('window', window.get('duration')), ('window_start', window.get('start')),
                            ('window_end', window.get('end'))) + tuple(_migration_properties(fact, kind, subject)):
            _element(properties, 'property', name=name, value=value)
        for check in checks:
            case = _element(suite, 'testcase', classname='migration_health.%s.%s' % (kind, subject),
                            name=check['id'], time='0')
            detail = 'observed: %s\nthreshold: %s\n%s' % (
                check['observed_display'], check['threshold_display'], check['message'])
            if not check['passed']:
                _element(case, 'failure', detail, message=check['message'], type=check['id'])
            elif check['skipped']:
                _element(case, 'skipped', message=check['message'])
            _element(case, 'system-out', detail)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding='unicode') + '\n'
