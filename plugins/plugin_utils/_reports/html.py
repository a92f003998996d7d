# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTML report of the ``migration_health`` fact: a view model here, the markup in a template.

``templates/migration_health.html.j2`` lays the page out with autoescaping on,
so no text of the fact (ids, API error messages) can become markup.  This
module decides what the page shows and in which order (failing subjects first,
their checks grouped under them, healthy ones as one row with a sparkline) and
asks ``_reports/charts`` for the chart numbers.  Each kind's table and its
columns come from ``_gate/kinds.KINDS``.
"""

import os

from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import ms_to_iso
from ansible_collections.hwcloud.migration.plugins.module_utils._values import xml_safe
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks.settings import SETTING_CHECK_IDS
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import (
    DEFAULT_TITLE,
    HTML_POINT_BUDGET,
    VERDICT_ERROR,
    VERDICT_HEALTHY,
    VERDICT_UNHEALTHY,
)
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.kinds import ALL_CHECKS, KINDS, KINDS_BY_NAME
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.results import error_line
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports.charts import SPARKLINE_TYPES, chart, chart_styles, sparkline
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports.downsample import chart_columns
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports.jinja_env import report_environment

TEMPLATE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'templates')
TEMPLATE = 'migration_health.html.j2'
MAX_CHARTS_WITH_MARKERS = 20


def _not_read(error):
    """``not read (HTTP 401 APIGW.0301)``: why the gate has no answer about a subject."""
    parts = [part for part in ('HTTP %s' % error['status'] if error.get('status') is not None else None, error.get('error_code')) if part]
    return 'not read (%s)' % ' '.join(parts) if parts else 'not read (%s)' % error_line(error)


def _read_failure(fact, kind, entry, checks):
    """For a subject the gate did not find: the read that failed on it, as ``not read (...)``, else None.

    A subject whose own read failed, or that a read failing as a whole did not
    return, was not seen: "NOT FOUND" would claim the API said it does not exist.
    """
    if entry.get('found'):
        return None
    steps = set(read.step for read in kind.reads)
    errors = [error for error in fact.get('errors') or [] if error.get('step') in steps]
    own = [error for error in errors if error.get('id') == entry['id']]
    if own:
        return _not_read(own[0])
    found_check = next((check for check in checks if check['id'] == kind.found_check), None)
    if found_check is None or found_check.get('evaluated', True):
        return None
    whole = [error for error in errors if error.get('id') is None]
    return _not_read(whole[0]) if whole else 'not read'


def _iso(ms):
    return None if ms is None else ms_to_iso(ms)


def subject_label(entry: dict) -> str:
    """What a person recognises a subject by: its name or description, else its id."""
    for key in ('name', 'description', 'dataset_name'):
        if entry.get(key):
            return str(entry[key])
    return str(entry['id'])


def subject_route(entry: dict) -> str:
    """``source -> destination`` when the subject says where data moves, else ''."""
    source = entry.get('src_bucket')
    destination = entry.get('dst_bucket')
    if source or destination:
        return '%s \u2192 %s' % (source or '?', destination or '?')
    return ''


def _check_summary(fact):
    """Per check id: subjects, failed (on data the gate saw), not evaluated and skipped, most failed first; only checks that ran."""
    rows = []
    by_id = {}
    for check in fact['checks']:
        row = by_id.get(check['id'])
        if row is None:
            row = by_id[check['id']] = {'id': check['id'], 'kind': check['kind'], 'subjects': 0, 'failed': 0, 'not_evaluated': 0, 'skipped': 0}
            rows.append(row)
        row['subjects'] += 1
        if not check['passed'] and not check.get('evaluated', True):
            row['not_evaluated'] += 1
        elif not check['passed']:
            row['failed'] += 1
        elif check['skipped']:
            row['skipped'] += 1
    order = {check_id: index for index, check_id in enumerate(ALL_CHECKS)}
    rows.sort(key=lambda row: (-row['failed'] - row['not_evaluated'], order.get(row['id'], len(order))))
    return rows


def _settings_rows(fact):
    """Every setting check, passed ones too: a compliance reader wants the observed settings of each subject."""
    rows = []
    for check in fact['checks']:
        if check['id'] not in SETTING_CHECK_IDS:
            continue
        if not check['passed']:
            result = 'FAIL' if check.get('evaluated', True) else VERDICT_ERROR
        else:
            result = 'SKIPPED' if check['skipped'] else 'PASS'
        kind = KINDS_BY_NAME.get(check['kind'])
        rows.append(dict(check, result=result, noun=kind.noun if kind else check['kind']))
    return rows


def _tally(counts):
    """The page's check counts: a check that could not be evaluated is neither passed nor failed on data."""
    not_evaluated = counts.get('checks_not_evaluated', 0)
    return {
        'checks': counts['checks'],
        'passed': counts['checks_passed'],
        'skipped': counts['checks_skipped'],
        'failed': counts['checks_failed'] - not_evaluated,
        'not_evaluated': not_evaluated,
    }


def _subjects(fact, kind, checks_by_subject, columns, markers):
    """The rows of one kind, failing first (most failed checks first), each with its view data."""
    window = fact.get('window') or {}
    rows = []
    for position, entry in enumerate(fact.get(kind.fact_key) or []):
        checks = checks_by_subject.get((kind.name, entry['id']), [])
        not_read = _read_failure(fact, kind, entry, checks)
        cell_entry = dict(entry, not_read=not_read) if not_read else entry
        row = {
            'id': entry['id'],
            'anchor': '%s-%d' % (kind.name, position),
            'label': subject_label(entry),
            'route': subject_route(entry),
            'healthy': entry['healthy'],
            # ERROR when a failed check could not be evaluated: the data was not seen, not found bad.
            'result': 'PASS'
            if entry['healthy']
            else (VERDICT_ERROR if any(not check['passed'] and not check.get('evaluated', True) for check in checks) else 'FAIL'),
            'failed_checks': entry.get('failed_checks') or [],
            'not_read': not_read,
            'cells': [{'text': column.text(cell_entry), 'num': column.numeric} for column in kind.columns],
            'checks': checks,
            'chart': None,
            'sparkline': None,
            'position': position,
        }
        if kind.charted and entry.get('found'):
            if entry['healthy']:
                row['sparkline'] = sparkline(entry, window)
            else:
                ratio = (entry.get('thresholds') or {}).get('max_window_failure_ratio')
                row['chart'] = chart(entry, window, threshold_ratio=ratio, columns=columns, markers=markers)
                row['time_type'] = entry.get('statistic_time_type')
        rows.append(row)
    rows.sort(key=lambda row: (row['healthy'], -len(row['failed_checks']), row['position']))
    return rows


def _failed_objects(fact):
    """The failed-object details of every subject that has them (migration_health_failed_object_details), in report order."""
    sections = []
    for kind in KINDS:
        for entry in fact.get(kind.fact_key) or []:
            details = entry.get('failed_object_details')
            if not details:
                continue
            allowed = (entry.get('thresholds') or {}).get('allowed_failure_codes') or []
            sections.append(
                {
                    'label': kind.noun,
                    'id': entry['id'],
                    'name': subject_label(entry),
                    'where': '%s/%s' % (details.get('bucket') or '?', details.get('list_file_key') or '?'),
                    'codes': [{'code': code, 'count': count, 'allowed': code in allowed} for code, count in sorted((details.get('counts') or {}).items())],
                    'objects': details.get('objects') or [],
                    'total': details.get('total'),
                    'complete': details.get('complete'),
                    'unparsable': details.get('unparsable_count'),
                }
            )
    return sections


def view_model(fact: dict, title: str = DEFAULT_TITLE) -> dict:
    """Everything the template shows, computed from the fact."""
    checks_by_subject = {}
    for check in fact['checks']:
        checks_by_subject.setdefault((check['kind'], check['subject']), []).append(check)
    charted = [entry for kind in KINDS if kind.charted for entry in fact.get(kind.fact_key) or [] if entry.get('found')]
    failing = sum(1 for entry in charted if not entry['healthy'])
    columns = chart_columns(failing, len(charted) - failing, HTML_POINT_BUDGET, healthy_types=len(SPARKLINE_TYPES))
    # A tooltip per point helps on a few charts; on hundreds it would outweigh the lines.
    markers = failing <= MAX_CHARTS_WITH_MARKERS
    kinds = []
    frames = {}
    for kind in KINDS:
        rows = _subjects(fact, kind, checks_by_subject, columns, markers)
        for row in rows:
            if row['chart']:
                frame = row['chart']['frame']
                if frame['key'] not in frames:
                    frame['id'] = 'chart-frame-%d' % len(frames)
                    frames[frame['key']] = frame
                row['chart']['frame_id'] = frames[frame['key']]['id']
        kinds.append(
            {
                'kind': kind.name,
                'title': kind.title,
                'label': kind.noun,
                'plural': kind.plural,
                'charted': kind.charted,
                'headers': [column.header for column in kind.columns],
                'rows': rows,
                'failing': [row for row in rows if not row['healthy']],
                'total': len(rows),
                'unhealthy': sum(1 for row in rows if not row['healthy']),
            }
        )
    verdict = fact.get('verdict') or (VERDICT_HEALTHY if fact.get('healthy') else VERDICT_UNHEALTHY)
    return {
        'title': title,
        'verdict': verdict,
        'verdict_class': verdict.lower(),
        'error': fact.get('error'),
        'errors': [dict(error, line=error_line(error)) for error in fact.get('errors') or []],
        'fact': fact,
        'window': fact.get('window') or {},
        'deadline': _iso((fact.get('thresholds') or {}).get('deadline_ms')),
        'deadline_text': (fact.get('thresholds') or {}).get('deadline'),
        'counts': fact['counts'],
        'tally': _tally(fact['counts']),
        'kinds': kinds,
        'check_summary': _check_summary(fact),
        'settings_checks': _settings_rows(fact),
        'failed_objects': _failed_objects(fact),
        'frames': list(frames.values()),
        'chart_styles': chart_styles(),
        'healthy_checks': sum(len(row['checks']) for kind in kinds for row in kind['rows'] if row['healthy']),
    }


# Compiled once per process, at import: Ansible imports the action plugins before it
# forks its workers, so a fleet run compiles the page once, not in each target's two
# report steps. Text XML cannot carry is replaced before escaping (a browser would
# reject the page otherwise).
_PAGE = report_environment(TEMPLATE_DIR, finalize=lambda value: xml_safe(value) if isinstance(value, str) else value).get_template(TEMPLATE)


def render_html(fact: dict, title: str = DEFAULT_TITLE) -> str:
    """Render the health fact as one self-contained HTML page (inline CSS and SVG, no script)."""
    return _PAGE.render(view_model(fact, title=title))
