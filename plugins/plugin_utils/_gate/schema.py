# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The JSON Schema of the ``migration_health`` fact, and its validation.

The schema ships next to this file, inside the collection, so an installed
collection can check a fact before writing it;
``docs/migration_health_fact.schema.json`` is the same document (a unit test
keeps the two identical).  A fact is first checked by the schema compiled into
plain Python (``_health_schema_fast``); jsonschema is imported, and its
validators built, only to word what is wrong with a fact that check refuses.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.schema_fast import compile_check

SCHEMA_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'migration_health_fact.schema.json')
with open(SCHEMA_PATH, 'rb') as _stream:
    FACT_SCHEMA = json.loads(_stream.read().decode('utf-8'))


def _inline(node, definitions):
    """The schema with every local ``$ref`` replaced by its definition: validation runs about twice as fast."""
    if isinstance(node, dict):
        if set(node) <= set(('$ref', 'description')) and '$ref' in node:
            return _inline(definitions[node['$ref'].rsplit('/', 1)[-1]], definitions)
        return dict((key, _inline(value, definitions)) for key, value in node.items() if key != '$defs')
    if isinstance(node, list):
        return [_inline(value, definitions) for value in node]
    return node


_VALIDATORS = {}
_FAST_CHECKS = {}


def _fast_check():
    if 'fact' not in _FAST_CHECKS:
        _FAST_CHECKS['fact'] = compile_check(FACT_SCHEMA)
    return _FAST_CHECKS['fact']


def _validator(schema):
    import jsonschema  # a runtime dependency of the collection; imported late so the filters load without it

    if 'fact' not in _VALIDATORS:
        _VALIDATORS['fact'] = jsonschema.Draft202012Validator(_inline(schema, schema.get('$defs') or {}))
        _VALIDATORS['points'] = jsonschema.Draft202012Validator(_inline(schema['$defs']['points'], schema.get('$defs') or {}))
    return _VALIDATORS['fact'], _VALIDATORS['points']


def _is_whole(value, minimum):
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def _plain_points(points):
    """True when ``points`` certainly matches ``$defs/points`` (the common case, checked without jsonschema)."""
    if not isinstance(points, list):
        return False
    for point in points:
        if not (isinstance(point, list) and len(point) == 2 and _is_whole(point[0], 0) and _is_whole(point[1], 0)):
            return False
    return True


def _path(prefix, error):
    path = prefix
    for part in error.absolute_path:
        path += '[%d]' % part if isinstance(part, int) else '.%s' % part
    return path


def fact_errors(fact, limit=5):
    """Up to ``limit`` problems of ``fact`` against the schema, each ``<field path>: <what is wrong>``.

    The statistics series (most of a large fact) are checked point by point in
    Python first; jsonschema sees them only when one is wrong, to say how.
    A fact the compiled schema accepts has no problem, and jsonschema is not
    even imported.
    """
    check = _fast_check()
    if check is not None and check(fact):
        return []
    fact_validator, points_validator = _validator(FACT_SCHEMA)
    errors = []
    shallow = fact
    tasks = fact.get('sync_tasks') if isinstance(fact, dict) else None
    if isinstance(tasks, list):
        shallow = dict(fact)
        shallow['sync_tasks'] = []
        for index, task in enumerate(tasks):
            series = task.get('series') if isinstance(task, dict) else None
            if isinstance(series, dict):
                light = {}
                for data_type, points in series.items():
                    if _plain_points(points):
                        light[data_type] = []
                        continue
                    light[data_type] = points if not isinstance(points, list) else []
                    if isinstance(points, list):
                        prefix = 'health.sync_tasks[%d].series.%s' % (index, data_type)
                        errors.extend('%s: %s' % (_path(prefix, error), error.message[:300]) for error in points_validator.iter_errors(points))
                task = dict(task, series=light)
            shallow['sync_tasks'].append(task)
    found = sorted(fact_validator.iter_errors(shallow), key=lambda error: list(error.absolute_path))
    errors.extend('%s: %s' % (_path('health', error), error.message[:300]) for error in found)
    return errors[:limit]
