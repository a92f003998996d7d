# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Contract checking of API responses against the JSON Schemas in ``_api.schemas``.

A response that breaks the contract is not an API error: the data is still
returned, and each violation becomes a readable line that names the JSON path
of the field, for example::

    statistic_datas[0].data[3].statistic_num: 'x' is not of type 'integer'

jsonschema does the checking, with one validator per schema name, built on
first use and kept for the process (``fetch_many`` checks many responses of the
same kind, possibly from several threads).  ``jsonschema`` is optional at import
time: ``HAS_JSONSCHEMA`` says whether it is there, and the module reports
``missing_required_lib`` when not.
"""

import re
import threading
from typing import Any, Dict, Iterator, List, Optional, Sequence

from ansible_collections.hwcloud.migration.plugins.module_utils._api.schemas import SCHEMAS

try:
    import jsonschema

    HAS_JSONSCHEMA = True
    JSONSCHEMA_IMPORT_ERROR = None
except ImportError as _exc:
    jsonschema = None
    HAS_JSONSCHEMA = False
    JSONSCHEMA_IMPORT_ERROR = str(_exc)

ROOT_PATH = '(response)'
_IDENTIFIER_RE = re.compile(r'^[A-Za-z_][A-Za-z0-9_-]*$')


class ContractUnavailableError(RuntimeError):
    """jsonschema is not installed, or the schema name is unknown."""


def format_path(path: Sequence[Any]) -> str:
    """Render a jsonschema path (a sequence of keys and indexes) as ``a.b[0].c``."""
    text = ''
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            text += '[%d]' % part
        elif _IDENTIFIER_RE.match(str(part)):
            text += ('.' if text else '') + str(part)
        else:
            text += '[%r]' % (str(part),)
    return text or ROOT_PATH


def _sort_key(error: Any) -> List[Any]:
    # Paths mix ints and strings; tag them so sorting never compares the two.
    return [(0, part, '') if isinstance(part, int) else (1, 0, str(part)) for part in error.absolute_path]


def _describe(error: Any) -> Iterator[str]:
    """Yield the violation lines for one jsonschema error."""
    path = list(error.absolute_path)
    if error.validator == 'required' and isinstance(error.instance, dict):
        # Name the absent field in the path itself, so every line points at a field.
        required = error.validator_value if isinstance(error.validator_value, list) else []
        missing = [name for name in required if name not in error.instance]
        if missing:
            for name in missing:
                yield '%s: is required but absent' % format_path(path + [name])
            return
    yield '%s: %s' % (format_path(path), error.message)


class ContractChecker:
    """Validate bodies against a mapping of schema name to JSON Schema.

    ``schemas`` defaults to ``_api.schemas.SCHEMAS``; tests pass their own
    mapping.  Each validator is built once and reused.  A schema of the
    mapping given is checked against its draft's metaschema when its
    validator is built; the collection's own schemas are not checked again in
    every module run: the unit tests hold each of them to its draft.
    """

    def __init__(self, schemas: Optional[Dict[str, Any]] = None) -> None:
        self._schemas = SCHEMAS if schemas is None else schemas
        self._check_schemas = schemas is not None
        self._validators: Dict[str, Any] = {}
        self._lock = threading.Lock()

    def validator(self, schema_name: str) -> Any:
        """Return the jsonschema validator for ``schema_name`` (built once)."""
        built = self._validators.get(schema_name)
        if built is not None:
            return built
        if not HAS_JSONSCHEMA:
            raise ContractUnavailableError('contract checks need the jsonschema Python library: %s' % JSONSCHEMA_IMPORT_ERROR)
        with self._lock:
            built = self._validators.get(schema_name)
            if built is None:
                if schema_name not in self._schemas:
                    raise ContractUnavailableError('no API schema named %r' % (schema_name,))
                built = self._build(self._schemas[schema_name], checked=self._check_schemas)
                self._validators[schema_name] = built
        return built

    @staticmethod
    def _build(schema: Any, checked: bool) -> Any:
        # The schema's own "$schema" picks the draft; Draft 7 when it names none.
        cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft7Validator)
        if checked:
            # A broken schema is a bug in its caller: fail loudly, once.
            cls.check_schema(schema)
        return cls(schema)

    def check(self, schema_name: str, body: Any) -> List[str]:
        """Return the list of violations of ``body`` against ``schema_name`` ([] when valid)."""
        errors = sorted(self.validator(schema_name).iter_errors(body), key=_sort_key)
        violations: List[str] = []
        for error in errors:
            for line in _describe(error):
                if line not in violations:
                    violations.append(line)
        return violations


_DEFAULT_CHECKER = ContractChecker()


def check_contract(schema_name: str, body: Any, checker: Optional[ContractChecker] = None) -> List[str]:
    """The violations of ``body`` against the named schema, one line each (see the module docstring); ``[]`` when none.

    ``checker`` replaces the default one built on ``_api.schemas.SCHEMAS``.
    Raises ``ContractUnavailableError`` when jsonschema is missing or the
    schema name is unknown.
    """
    return (checker or _DEFAULT_CHECKER).check(schema_name, body)


def limit_violations(violations: Sequence[str], limit: Optional[int] = 10) -> List[str]:
    """The first ``limit`` violations and one line counting the rest (a thousand malformed buckets are not a thousand warnings)."""
    if limit is None or len(violations) <= limit:
        return list(violations)
    return list(violations[:limit]) + ['... and %d more violations' % (len(violations) - limit)]
