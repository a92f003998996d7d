# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The cutover deadline of OMS migration tasks and task groups: validated with the policy, resolved at each evaluation.

``_gate/policy`` parses it (the role's ``deadline`` or a per-subject one);
a deadline relative to now (``+6h``) is resolved by ``_gate/evaluate``.
Plain Python on plain data.
"""

import re

from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import TimeExpressionError, parse_duration, parse_time
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import MigrationHealthError

_RELATIVE_RE = re.compile(r'^([+-])\s*(.+)$')


def parse_deadline(value, name='deadline'):
    """Validate a cutover deadline: ISO 8601 with a zone, epoch ms, ``now``, or a time from now (``+6h``).

    Returns the threshold keys ``deadline`` (the text given), ``deadline_ms``
    (absolute) or ``deadline_offset_ms`` (relative to the evaluation time);
    ``None`` gives a disabled deadline.  Raises ``MigrationHealthError``.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return {'deadline': None, 'deadline_ms': None, 'deadline_offset_ms': None}
    text = str(value).strip()
    relative = _RELATIVE_RE.match(text) if isinstance(value, str) else None
    try:
        if text.lower() == 'now':
            return {'deadline': text, 'deadline_ms': None, 'deadline_offset_ms': 0}
        if relative and not relative.group(2).strip().isdigit():
            offset = parse_duration(relative.group(2), name=name)
            return {'deadline': text, 'deadline_ms': None, 'deadline_offset_ms': offset if relative.group(1) == '+' else -offset}
        return {'deadline': text, 'deadline_ms': parse_time(value, now=0, name=name), 'deadline_offset_ms': None}
    except TimeExpressionError as exc:
        raise MigrationHealthError(
            '%s; a deadline is an ISO 8601 time with a zone such as "2026-12-01T06:00:00Z", or a time from now such as "+6h" or "+1d12h"' % exc
        )


def resolve_deadline(thresholds, now):
    """``thresholds`` with ``deadline_ms`` set from a relative deadline at ``now`` (a copy)."""
    resolved = dict(thresholds)
    if resolved.get('deadline_offset_ms') is not None:
        resolved['deadline_ms'] = now + resolved['deadline_offset_ms']
    return resolved
