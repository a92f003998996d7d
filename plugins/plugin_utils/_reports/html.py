# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTML report of the ``migration_health`` fact: a view model here, the markup in a template.

``templates/migration_health.html.j2`` lays the page out with autoescaping on,
so no text of the fact (ids, API error messages) can become markup.  This
module decides what the page shows and in which order (failing subjects first,
their checks grouped under them, healthy ones as one row with a sparkline) and
asks ``_health_charts`` for the chart numbers.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import ms_to_iso
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks.common import format_duration, format_ratio
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import DEFAULT_TITLE, HTML_POINT_BUDGET, SUBJECT_KINDS, VERDICT_HEALTHY
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.results import error_line
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports.charts import SPARKLINE_TYPES, chart, chart_columns, chart_styles, sparkline
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports.jinja_env import report_environment
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports.junit import xml_safe

TEMPLATE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'templates')
TEMPLATE = 'migration_health.html.j2'
MAX_CHARTS_WITH_MARKERS = 20


def _text(value):
    return '' if value is None else value


def _not_found(entry):
    """What the status cell says of a subject the gate has no answer for: read and absent, or not read at all."""
    return entry.get('not_read') or 'NOT FOUND'


def _task_status(entry):
    return _text(entry.get('status')) if entry.get('found') else _not_found(entry)


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
    steps = set(read['step'] for read in kind.get('reads') or ())
    errors = [error for error in fact.get('errors') or [] if error.get('step') in steps]
    own = [error for error in errors if error.get('id') == entry['id']]
    if own:
        return _not_read(own[0])
    found_check = next((check for check in checks if check['id'] == kind['checks'][0]), None)
    if found_check is None or found_check.get('evaluated', True):
        return None
    whole = [error for error in errors if error.get('id') is None]
    return _not_read(whole[0]) if whole else 'not read'


def _dataset_error(entry):
    return ': '.join(str(part) for part in (entry.get('error_code'), entry.get('error_msg')) if part)


def _iso(ms):
    return None if ms is None else ms_to_iso(ms)


def _migration_status(entry):
    if not entry.get('found'):
        return _not_found(entry)
    name = entry.get('status_name')
    return '%s (%s)' % (name, entry.get('status')) if name else 'unknown (%s)' % _text(entry.get('status'))


def _percent(entry):
    return '' if entry.get('percent') is None else '%.1f%%' % entry['percent']


def _eta(entry):
    if entry.get('eta'):
        return entry['eta']
    return 'unknown' if entry.get('eta_unknown') else ''


def _against_deadline(entry):
    """How the ETA stands against the deadline: ``2h 5m early``, ``30m late``, ``no ETA``."""
    margin = entry.get('deadline_margin_ms')
    if margin is not None:
        return '%s %s' % (format_duration(abs(margin)), 'early' if margin >= 0 else 'LATE')
    if (entry.get('thresholds') or {}).get('deadline_ms') is None or not entry.get('active'):
        return ''
    return 'no ETA' if entry.get('eta_unknown') or entry.get('eta') is None else ''


def _failed_objects(entry):
    failed = entry.get('failed_objects')
    if failed is None:
        return ''
    if failed and entry.get('failed_object_list'):
        return '%d (list: %s)' % (failed, entry['failed_object_list'])
    return str(failed)


def _migration_columns(*extra):
    return (
        (('Status', _migration_status, False), ('Progress', _percent, True), ('ETA', _eta, False), ('Against the deadline', _against_deadline, False))
        + extra
        + (('Failed objects', _failed_objects, True), ('Error reason', _dataset_error, False))
    )


# The columns each kind adds after its common ones: (header, value of an entry, numeric).
KIND_COLUMNS = {
    'sync_task': (
        ('Status', _task_status, False),
        ('Requested', lambda entry: _text(entry.get('window_request_total')), True),
        ('Succeeded', lambda entry: _text(entry.get('window_success_total')), True),
        ('Failed', lambda entry: _text(entry.get('window_failure_total')), True),
        ('Window failure ratio', lambda entry: format_ratio(entry.get('window_failure_ratio')), True),
        ('Monthly failure ratio', lambda entry: format_ratio(entry.get('monthly_failure_ratio')), True),
        ('Last success', lambda entry: _text(entry.get('last_success')), False),
        ('Age', lambda entry: _text(entry.get('last_success_age')), False),
    ),
    'dataset': (('Status', _task_status, False), ('Error', _dataset_error, False)),
    'migration_task': _migration_columns(),
    'task_group': _migration_columns(
        (
            'Failed tasks',
            lambda entry: '' if entry.get('failed_tasks') is None else '%s of %s' % (entry['failed_tasks'], _text(entry.get('total_task_num'))),
            True,
        )
    ),
}


def subject_label(entry):
    """What a person recognises a subject by: its name or description, else its id."""
    for key in ('name', 'description', 'dataset_name'):
        if entry.get(key):
            return str(entry[key])
    return str(entry['id'])


def subject_route(entry):
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
    order = dict((check_id, index) for index, check_id in enumerate(check for kind in SUBJECT_KINDS for check in kind['checks']))
    rows.sort(key=lambda row: (-row['failed'] - row['not_evaluated'], order.get(row['id'], len(order))))
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
    for position, entry in enumerate(fact.get(kind['fact_key']) or []):
        checks = checks_by_subject.get((kind['kind'], entry['id']), [])
        not_read = _read_failure(fact, kind, entry, checks)
        cell_entry = dict(entry, not_read=not_read) if not_read else entry
        row = {
            'id': entry['id'],
            'anchor': '%s-%d' % (kind['kind'], position),
            'label': subject_label(entry),
            'route': subject_route(entry),
            'healthy': entry['healthy'],
            # ERROR when a failed check could not be evaluated: the data was not seen, not found bad.
            'result': 'PASS'
            if entry['healthy']
            else ('ERROR' if any(not check['passed'] and not check.get('evaluated', True) for check in checks) else 'FAIL'),
            'failed_checks': entry.get('failed_checks') or [],
            'not_read': not_read,
            'cells': [{'text': getter(cell_entry), 'num': numeric} for _header, getter, numeric in KIND_COLUMNS.get(kind['kind'], ())],
            'checks': checks,
            'chart': None,
            'sparkline': None,
            'position': position,
        }
        if kind['charted'] and entry.get('found'):
            if entry['healthy']:
                row['sparkline'] = sparkline(entry, window)
            else:
                ratio = (entry.get('thresholds') or {}).get('max_window_failure_ratio')
                row['chart'] = chart(entry, window, threshold_ratio=ratio, columns=columns, markers=markers)
                row['time_type'] = entry.get('statistic_time_type')
        rows.append(row)
    rows.sort(key=lambda row: (row['healthy'], -len(row['failed_checks']), row['position']))
    return rows


def view_model(fact, title=DEFAULT_TITLE):
    """Everything the template shows, computed from the fact."""
    checks_by_subject = {}
    for check in fact['checks']:
        checks_by_subject.setdefault((check['kind'], check['subject']), []).append(check)
    charted = [entry for kind in SUBJECT_KINDS if kind['charted'] for entry in fact.get(kind['fact_key']) or [] if entry.get('found')]
    failing = sum(1 for entry in charted if not entry['healthy'])
    columns = chart_columns(failing, len(charted) - failing, HTML_POINT_BUDGET, healthy_types=len(SPARKLINE_TYPES))
    # A tooltip per point helps on a few charts; on hundreds it would outweigh the lines.
    markers = failing <= MAX_CHARTS_WITH_MARKERS
    kinds = []
    frames = {}
    for kind in SUBJECT_KINDS:
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
                'kind': kind['kind'],
                'title': kind['title'],
                'label': kind['label'],
                'plural': kind['plural'],
                'charted': kind['charted'],
                'headers': [header for header, _getter, _numeric in KIND_COLUMNS.get(kind['kind'], ())],
                'rows': rows,
                'failing': [row for row in rows if not row['healthy']],
                'total': len(rows),
                'unhealthy': sum(1 for row in rows if not row['healthy']),
            }
        )
    verdict = fact.get('verdict') or (VERDICT_HEALTHY if fact.get('healthy') else 'UNHEALTHY')
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
        'frames': list(frames.values()),
        'chart_styles': chart_styles(),
        'healthy_checks': sum(len(row['checks']) for kind in kinds for row in kind['rows'] if row['healthy']),
    }


_ENVIRONMENT = []


def _environment():
    if not _ENVIRONMENT:
        # Text XML cannot carry is replaced before escaping (a browser would reject the page otherwise).
        _ENVIRONMENT.append(report_environment(TEMPLATE_DIR, finalize=lambda value: xml_safe(value) if isinstance(value, str) else value))
    return _ENVIRONMENT[0]


def render_html(fact, title=DEFAULT_TITLE):
    """Render the health fact as one self-contained HTML page (inline CSS and SVG, no script)."""
    return _environment().get_template(TEMPLATE).render(view_model(fact, title=title))
