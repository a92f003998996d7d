# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The JSON Schema of the ``migration_health`` fact, and the check of a fact that a user hands in.

The schema ships next to this file, inside the collection;
``docs/migration_health_fact.schema.json`` is the same document (a unit test
keeps the two identical).  jsonschema checks a fact given to the report action
(its ``health`` option) before any report is written.  The fact the collection
builds itself is not checked again at run time: the unit tests validate it
against this schema over many generated gate results.
"""

import json
import os
from typing import Any, List

SCHEMA_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'migration_health_fact.schema.json')
with open(SCHEMA_PATH, 'rb') as _stream:
    FACT_SCHEMA = json.loads(_stream.read().decode('utf-8'))

# Longest problem text kept: a oneOf error repeats the whole refused value.
MESSAGE_LIMIT = 300
_VALIDATORS: List[Any] = []


def fact_validator() -> Any:
    """The draft 2020-12 validator of ``FACT_SCHEMA``, built on first use and kept for the process.

    jsonschema is imported here, not when the module loads, so the gate's
    filters work on a controller that lacks it; a user's fact is then refused
    (see :func:`fact_errors`).
    """
    if not _VALIDATORS:
        import jsonschema  # pylint: disable=import-outside-toplevel

        _VALIDATORS.append(jsonschema.Draft202012Validator(FACT_SCHEMA))
    return _VALIDATORS[0]


def _path(error: Any) -> str:
    path = 'health'
    for part in error.absolute_path:
        path += '[%d]' % part if isinstance(part, int) else '.%s' % part
    return path


def _sort_key(error: Any) -> List[Any]:
    # Paths mix indexes and keys; tag them so sorting never compares the two.
    return [(0, part, '') if isinstance(part, int) else (1, 0, str(part)) for part in error.absolute_path]


def fact_errors(fact: Any, limit: int = 5) -> List[str]:
    """Up to ``limit`` problems of ``fact`` against the schema, each ``<field path>: <what is wrong>``; [] when it matches.

    Without jsonschema the fact cannot be checked, and that is the one problem
    returned: an unchecked fact is never taken as a valid one.
    """
    try:
        validator = fact_validator()
    except ImportError as exc:
        return ['health: cannot be checked against its schema without the jsonschema Python library (%s)' % exc]
    found = sorted(validator.iter_errors(fact), key=_sort_key)
    return ['%s: %s' % (_path(error), error.message[:MESSAGE_LIMIT]) for error in found[:limit]]
