# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The fleet verdict: many gated targets (project x region) folded into one answer.

Pure Python, no Ansible objects: the ``migration_health_fleet_report`` action
hands over what each target recorded (its ``migration_health`` fact, or the
error that kept it from having one) and writes what :func:`render_reports`
returns.

A target counts as HEALTHY only when its fact is present, well formed and says
HEALTHY, and its run did not fail; anything the fleet cannot vouch for is
ERROR, never HEALTHY.  The fleet verdict is the worst target verdict
(HEALTHY < UNHEALTHY < ERROR): an ERROR means part of the fleet was not seen,
which no other target's result can make up for.  A fleet with no targets is
ERROR too: a gate that looked at nothing has nothing to say.
"""

import json
import os
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

from ansible_collections.hwcloud.migration.plugins.module_utils._values import xml_safe
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import VERDICT_ERROR as ERROR
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import VERDICT_HEALTHY as HEALTHY
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import VERDICT_UNHEALTHY as UNHEALTHY
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.kinds import COUNT_KEYS, KINDS
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports.files import REPORT_FILES, write_texts
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports.jinja_env import report_environment

VERDICT_RANK = {HEALTHY: 0, UNHEALTHY: 1, ERROR: 2}

FLEET_SCHEMA_VERSION = 1
TEMPLATE_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'templates', 'migration_health_fleet.html.j2')
REPORT_NAMES = dict(REPORT_FILES)
# Violations listed per target in the fleet reports; the target's own reports have all of them.
MAX_VIOLATIONS_SHOWN = 20


class FleetInputError(ValueError):
    """The targets handed to :func:`build_fleet` are not what the gate records."""


def _text(value):
    return None if value is None else str(value)


def _usable_fact(health):
    """(fact, None) when ``health`` is a migration_health fact the fleet can trust, else (None, why)."""
    if health is None:
        return None, 'the target produced no migration_health fact'
    if not isinstance(health, dict):
        return None, 'the migration_health fact is a %s, not a mapping' % type(health).__name__
    verdict = health.get('verdict')
    if verdict not in VERDICT_RANK:
        return None, 'the migration_health fact has no known verdict (got %r)' % (verdict,)
    counts = health.get('counts')
    if not isinstance(counts, dict):
        return None, 'the migration_health fact has no counts'
    if verdict == HEALTHY and health.get('healthy') is not True:
        return None, 'the migration_health fact says HEALTHY but healthy is %r' % (health.get('healthy'),)
    return health, None


def _report_paths(report_dir):
    if not report_dir:
        return None
    report_dir = os.path.abspath(report_dir)
    paths = dict((key, os.path.join(report_dir, name)) for key, name in REPORT_NAMES.items() if os.path.isfile(os.path.join(report_dir, name)))
    if not paths:
        return None
    paths['dir'] = report_dir
    return paths


def _whole_number(value):
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def host_record(started_ms: object, fact: object, *, error=None, report_dir=None, region=None, project=None, project_id=None, active=True) -> dict | None:
    """The record (see :func:`target_entry`) of a target from what its host holds after its gate.

    ``started_ms`` is when this run's gate of the target started (None when it
    never got that far); ``fact`` the host's ``migration_health`` fact. The
    fact is the target's health only when it was evaluated at or after
    ``started_ms``: a fact left by an earlier play or a fact cache must never
    stand in for this run's. A host that never started its gate, or is no
    longer ``active`` (it failed outside the gate's rescue), recorded no
    result: None, which the fleet counts as ERROR.
    """
    started_ms = _whole_number(started_ms)
    if started_ms is None or not active:
        return None
    health = None
    if isinstance(fact, dict):
        evaluated_ms = _whole_number(fact.get('evaluated_at_ms'))
        if evaluated_ms is not None and evaluated_ms >= started_ms:
            # What the fleet needs of the fact: its series stay with the target's own reports.
            health = dict((key, fact.get(key)) for key in ('verdict', 'healthy', 'counts', 'violations', 'error'))
            health['violations'] = health['violations'] or []
    return {'region': region, 'project': project, 'project_id': project_id, 'health': health, 'error': error, 'report_dir': report_dir or None}


def target_entry(name: str, record: dict | None) -> dict:
    """The fleet's entry for the target ``name`` from what its run recorded.

    ``record`` is None (the target recorded nothing: it is ERROR) or a dict
    with ``region``, ``project``, ``project_id`` (any may be None), ``health``
    (its ``migration_health`` fact or None), ``error`` (the message of the
    failure that ended its role run, or None) and ``report_dir`` (where its own
    reports were written, or None).
    """
    if not isinstance(name, str) or not name:
        raise FleetInputError('every target needs a non-empty name, got %r' % (name,))
    if record is None:
        record = {'error': 'the target recorded no result (its run ended before the gate finished)'}
    if not isinstance(record, dict):
        raise FleetInputError('the record of target %s must be a mapping, got %s' % (name, type(record).__name__))
    fact, why = _usable_fact(record.get('health'))
    error = _text(record.get('error')) or None
    entry = {
        'name': name,
        'region': _text(record.get('region')),
        'project': _text(record.get('project')),
        'project_id': _text(record.get('project_id')),
        'verdict': ERROR,
        'healthy': False,
        'counts': None,
        'violations': [],
        'error': None,
        'reports': _report_paths(record.get('report_dir')),
    }
    if fact is None:
        entry['error'] = error or why
        if error and why:
            entry['error'] = '%s (%s)' % (error, why)
        return entry
    entry['counts'] = {key: fact['counts'].get(key) for key in COUNT_KEYS if key in fact['counts']}
    violations = [str(line) for line in fact.get('violations') or []]
    entry['violations'] = violations[:MAX_VIOLATIONS_SHOWN]
    entry['violations_total'] = len(violations)
    if fact['verdict'] == HEALTHY and error:
        # The checks passed but the run failed afterwards (for example its reports
        # could not be written): the gate did not complete, so it is not a pass.
        entry['error'] = 'the checks passed but the target run failed: %s' % error
        return entry
    entry['verdict'] = fact['verdict']
    entry['healthy'] = fact['verdict'] == HEALTHY
    if fact['verdict'] == ERROR:
        entry['error'] = _text(fact.get('error')) or error or 'the target gate says ERROR'
    return entry


def build_fleet(targets: dict, now_ms: int | None = None) -> dict:
    """The fleet fact from ``targets``: a mapping of target name to its record (see :func:`target_entry`).

    Returns ``{"schema_version", "verdict", "healthy", "evaluated_at", "counts",
    "targets"}``; ``targets`` is sorted by name so reports are stable.
    """
    if not isinstance(targets, dict):
        raise FleetInputError('targets must be a mapping of target name to its record, got %s' % type(targets).__name__)
    entries = [target_entry(name, targets[name]) for name in sorted(targets)]
    if entries:
        verdict = max((entry['verdict'] for entry in entries), key=VERDICT_RANK.get)
    else:
        verdict = ERROR
    if now_ms is None:
        now = datetime.now(timezone.utc)
    else:
        now = datetime.fromtimestamp(now_ms / 1000.0, timezone.utc)
    return {
        'schema_version': FLEET_SCHEMA_VERSION,
        'verdict': verdict,
        'healthy': verdict == HEALTHY,
        'evaluated_at': now.strftime('%Y-%m-%dT%H:%M:%S') + 'Z',
        'counts': {
            'targets': len(entries),
            'healthy': sum(1 for entry in entries if entry['verdict'] == HEALTHY),
            'unhealthy': sum(1 for entry in entries if entry['verdict'] == UNHEALTHY),
            'error': sum(1 for entry in entries if entry['verdict'] == ERROR),
        },
        'targets': entries,
    }


def failure_message(fleet: dict) -> str:
    """One line for the fleet, then one per target that is not healthy."""
    counts = fleet['counts']
    if not counts['targets']:
        return 'Migration health fleet gate FAILED: ERROR: no targets were evaluated'
    lines = [
        'Migration health fleet gate FAILED: %s: %d of %d targets are not healthy (%d unhealthy, %d error)'
        % (fleet['verdict'], counts['unhealthy'] + counts['error'], counts['targets'], counts['unhealthy'], counts['error'])
    ]
    for entry in fleet['targets']:
        if entry['verdict'] == HEALTHY:
            continue
        if entry['verdict'] == ERROR:
            lines.append('- %s: ERROR: %s' % (entry['name'], entry['error']))
        else:
            counts = entry['counts'] or {}
            lines.append('- %s: UNHEALTHY: %s of %s checks failed' % (entry['name'], counts.get('checks_failed'), counts.get('checks')))
    return '\n'.join(lines)


# -- reports ----------------------------------------------------------------


def render_junit(fleet: dict) -> str:
    """JUnit XML: one testsuite, one testcase per target (failure: UNHEALTHY, error: ERROR)."""
    counts = fleet['counts']
    # An empty fleet is one error: its suite would otherwise read as a pass.
    totals = {'tests': str(counts['targets']), 'failures': str(counts['unhealthy']), 'errors': str(counts['error'] + (0 if counts['targets'] else 1))}
    root = ET.Element('testsuites', dict(totals, name='migration-health-fleet'))
    suite = ET.SubElement(root, 'testsuite', dict(totals, name='migration-health-fleet', skipped='0', timestamp=fleet['evaluated_at'].rstrip('Z'), time='0'))
    properties = ET.SubElement(suite, 'properties')
    ET.SubElement(properties, 'property', {'name': 'verdict', 'value': fleet['verdict']})
    if not counts['targets']:
        # An empty suite would read as a pass in most CI systems.
        case = ET.SubElement(suite, 'testcase', {'classname': 'migration_health.fleet', 'name': 'targets', 'time': '0'})
        ET.SubElement(case, 'error', {'message': 'no targets were evaluated', 'type': ERROR})
    for entry in fleet['targets']:
        case = ET.SubElement(
            suite,
            'testcase',
            {'classname': 'migration_health.fleet.%s' % xml_safe(entry['region'] or 'unknown-region'), 'name': xml_safe(entry['name']), 'time': '0'},
        )
        detail = _target_detail(entry)
        if entry['verdict'] == ERROR:
            ET.SubElement(case, 'error', {'message': xml_safe(entry['error']), 'type': ERROR}).text = detail
        elif entry['verdict'] == UNHEALTHY:
            ET.SubElement(case, 'failure', {'message': xml_safe(_summary(entry)), 'type': UNHEALTHY}).text = detail
        ET.SubElement(case, 'system-out').text = detail
    body = ET.tostring(root, encoding='unicode')
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + '\n'


def _summary(entry):
    counts = entry['counts'] or {}
    if entry['verdict'] == ERROR:
        return 'ERROR: %s' % entry['error']
    return '%s: %s of %s checks failed' % (entry['verdict'], counts.get('checks_failed'), counts.get('checks'))


def _target_detail(entry):
    lines = ['target: %s' % entry['name'], 'region: %s' % entry['region'], 'project: %s' % entry['project'], 'verdict: %s' % _summary(entry)]
    lines.extend(entry['violations'])
    if entry['reports']:
        lines.append('reports: %s' % entry['reports']['dir'])
    return xml_safe('\n'.join(lines))


def render_json(fleet: dict) -> str:
    """The fleet fact as JSON text."""
    return json.dumps(fleet, indent=2, sort_keys=False) + '\n'


# The fleet page's columns per target: one per kind of subject the gate reads.
FLEET_KIND_COLUMNS = tuple((kind.title + ' unhealthy', kind.fact_key) for kind in KINDS)


def _kind_cells(entry):
    """``N of M`` per kind; '-' where the target has no counts or its fact predates the kind."""
    counts = entry.get('counts')
    cells = []
    for _header, key in FLEET_KIND_COLUMNS:
        total = (counts or {}).get(key)
        unhealthy = (counts or {}).get(key + '_unhealthy')
        cells.append('-' if total is None or unhealthy is None else '%s of %s' % (unhealthy, total))
    return cells


def render_html(fleet: dict, title: str = 'Migration health fleet', dest: str | None = None) -> str:
    """One self-contained HTML page; links to each target's own report are relative to ``dest``."""
    rows = []
    for entry in fleet['targets']:
        link = None
        html = (entry['reports'] or {}).get('html')
        if html:
            link = os.path.relpath(html, dest) if dest else html
            link = link.replace(os.sep, '/')
        rows.append({'entry': entry, 'summary': _summary(entry), 'link': link, 'kinds': _kind_cells(entry)})
    template = report_environment(os.path.dirname(TEMPLATE_PATH)).get_template(os.path.basename(TEMPLATE_PATH))
    return template.render(fleet=fleet, rows=rows, title=title, kind_headers=[header for header, _key in FLEET_KIND_COLUMNS])


def render_reports(fleet: dict, title: str = 'Migration health fleet', dest: str | None = None) -> dict:
    """The text of each fleet report, keyed ``json``, ``junit`` and ``html``."""
    return {'json': render_json(fleet), 'junit': render_junit(fleet), 'html': render_html(fleet, title=title, dest=dest)}


def write_reports(fleet: dict, dest: str, title: str = 'Migration health fleet', *, check_mode: bool = False) -> tuple:
    """Write the three fleet reports into directory ``dest``; returns ``(changed, paths)``.

    The reports sit beside the targets' own directories (``dest/<target>/``),
    written by the gate's own writer (atomic, unchanged files left alone).  In
    check mode nothing is written, but ``changed`` says what would happen.
    """
    dest = os.path.abspath(os.path.expanduser(dest))
    return write_texts(render_reports(fleet, title=title, dest=dest), dest, check_mode=check_mode)
