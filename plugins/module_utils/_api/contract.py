# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Contract checking of API responses against the JSON Schemas in ``_api_schemas``.

A response that breaks the contract is not an API error: the data is still
returned, and each violation becomes a readable line that names the JSON path
of the field, for example::

    statistic_datas[0].data[3].statistic_num: 'x' is not of type 'integer'

Validators are compiled once per schema name and cached (thread-safe), because
``fetch_many`` checks many responses of the same kind, possibly from several
threads.  Each schema is also compiled into a plain-Python predicate for the
keywords the contract uses (:func:`compile_fast_check`): a body it accepts is
valid without a jsonschema walk (which costs milliseconds per statistics
answer); anything it does not accept, or a schema with other keywords, goes to
jsonschema, which stays the only source of the violation messages.  ``jsonschema`` is optional at import time: ``HAS_JSONSCHEMA`` says
whether it is there, and the module reports ``missing_required_lib`` when not.
"""

import re
import threading

from ansible_collections.hwcloud.migration.plugins.module_utils._api.schemas import SCHEMAS

# jsonschema is imported on first need, not here: valid bodies never need it
# (the compiled fast check accepts them), and importing it costs each module
# run tens of milliseconds.
try:
    from importlib.util import find_spec

    HAS_JSONSCHEMA = find_spec('jsonschema') is not None
except ImportError:  # pragma: no cover - Python 2 has no importlib.util
    HAS_JSONSCHEMA = False
JSONSCHEMA_IMPORT_ERROR = None if HAS_JSONSCHEMA else 'No module named jsonschema'

ROOT_PATH = '(response)'
_IDENTIFIER_RE = re.compile(r'^[A-Za-z_][A-Za-z0-9_-]*$')


class ContractUnavailableError(RuntimeError):
    """jsonschema is not installed, or the schema name is unknown."""


def format_path(path):
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


def _sort_key(error):
    # Paths mix ints and strings; tag them so sorting never compares the two.
    return [(0, part, '') if isinstance(part, int) else (1, 0, str(part)) for part in error.absolute_path]


def _describe(error):
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


# Keywords that carry no constraint.
_ANNOTATIONS = frozenset(['$schema', '$id', '$comment', 'title', 'description', 'default', 'examples'])


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


_TYPE_TESTS = {
    # Plain types only: anything unusual (a float 1.0 for an integer, a tuple for
    # an array, True for an integer) is left to jsonschema, which knows the draft's rules.
    'object': lambda value: isinstance(value, dict),
    'array': lambda value: isinstance(value, list),
    'string': lambda value: isinstance(value, str),
    'integer': _is_int,
    'boolean': lambda value: isinstance(value, bool),
    'null': lambda value: value is None,
}


def _numeric(value):
    return _is_int(value) or isinstance(value, float)


_TYPE_TESTS['number'] = _numeric


def _properties_check(checks):
    """A predicate applying ``checks`` (property name -> predicate) to an object's properties."""

    def properties(instance):
        if not isinstance(instance, dict):
            return True
        for name, item in instance.items():
            check = checks.get(name)
            if check is not None and not check(item):
                return False
        return True

    return properties


def compile_fast_check(schema):
    """A predicate ``check(instance) -> bool`` for ``schema``, or None when it uses other keywords.

    Supported: ``type`` (a name or a list), ``enum`` of strings and null,
    ``minimum``/``maximum``, ``minLength``/``maxLength``, ``minItems``/``maxItems``,
    ``required``, ``properties``, ``additionalProperties: true`` and ``items``
    (one schema), plus annotations.  The predicate only answers True for an
    instance the schema accepts; False means "ask jsonschema".
    """
    if schema is True or schema == {}:
        return lambda instance: True
    if not isinstance(schema, dict):
        return None
    tests = []
    for keyword, value in schema.items():
        if keyword in _ANNOTATIONS:
            continue
        if keyword == 'type':
            names = [value] if isinstance(value, str) else value
            if not isinstance(names, list) or not names or any(name not in _TYPE_TESTS for name in names):
                return None
            type_tests = tuple(_TYPE_TESTS[name] for name in names)
            tests.append(lambda instance, type_tests=type_tests: any(test(instance) for test in type_tests))
        elif keyword == 'enum':
            if not isinstance(value, list) or any(item is not None and not isinstance(item, str) for item in value):
                return None
            strings = frozenset(item for item in value if item is not None)
            allow_null = None in value
            tests.append(
                lambda instance, strings=strings, allow_null=allow_null: (
                    (isinstance(instance, str) and instance in strings) or (allow_null and instance is None)
                )
            )
        elif keyword in ('minimum', 'maximum'):
            if not _numeric(value):
                return None
            if keyword == 'minimum':
                tests.append(lambda instance, bound=value: not _numeric(instance) or instance >= bound)
            else:
                tests.append(lambda instance, bound=value: not _numeric(instance) or instance <= bound)
        elif keyword in ('minLength', 'maxLength', 'minItems', 'maxItems'):
            if not _is_int(value):
                return None
            kind = str if keyword.endswith('Length') else list
            if keyword.startswith('min'):
                tests.append(lambda instance, bound=value, kind=kind: not isinstance(instance, kind) or len(instance) >= bound)
            else:
                tests.append(lambda instance, bound=value, kind=kind: not isinstance(instance, kind) or len(instance) <= bound)
        elif keyword == 'required':
            if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
                return None
            names = tuple(value)
            tests.append(lambda instance, names=names: not isinstance(instance, dict) or all(name in instance for name in names))
        elif keyword == 'properties':
            if not isinstance(value, dict):
                return None
            checks = {}
            for name, subschema in value.items():
                check = compile_fast_check(subschema)
                if check is None:
                    return None
                checks[name] = check

            tests.append(_properties_check(checks))
        elif keyword == 'additionalProperties':
            if value is not True:
                return None
        elif keyword == 'items':
            check = compile_fast_check(value) if isinstance(value, dict) else None
            if check is None:
                return None
            tests.append(lambda instance, check=check: not isinstance(instance, list) or all(map(check, instance)))
        else:
            return None
    tests = tuple(tests)

    def fast_check(instance):
        for test in tests:
            if not test(instance):
                return False
        return True

    return fast_check


class ContractChecker:
    """Validate bodies against a mapping of schema name to JSON Schema.

    ``schemas`` defaults to ``_api_schemas.SCHEMAS``; tests pass their own
    mapping.  Each validator is built once and reused.
    """

    def __init__(self, schemas=None):
        self._schemas = SCHEMAS if schemas is None else schemas
        self._validators = {}
        self._fast_checks = {}
        self._lock = threading.Lock()

    def validator(self, schema_name):
        """Return the compiled validator for ``schema_name`` (built once)."""
        compiled = self._validators.get(schema_name)
        if compiled is not None:
            return compiled
        if not HAS_JSONSCHEMA:
            raise ContractUnavailableError('contract checks need the jsonschema Python library: %s' % JSONSCHEMA_IMPORT_ERROR)
        with self._lock:
            compiled = self._validators.get(schema_name)
            if compiled is None:
                if schema_name not in self._schemas:
                    raise ContractUnavailableError('no API schema named %r' % (schema_name,))
                compiled = self._compile(self._schemas[schema_name])
                self._validators[schema_name] = compiled
        return compiled

    @staticmethod
    def _compile(schema):
        import jsonschema  # pylint: disable=import-outside-toplevel

        # The schema's own "$schema" picks the draft; Draft 7 when it names none.
        cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft7Validator)
        # A broken schema is a bug in this collection: fail loudly, once.
        cls.check_schema(schema)
        return cls(schema)

    def fast_check(self, schema_name):
        """The compiled plain-Python predicate of ``schema_name`` (None: jsonschema only), built once."""
        try:
            return self._fast_checks[schema_name]
        except KeyError:
            pass
        if not HAS_JSONSCHEMA:
            raise ContractUnavailableError('contract checks need the jsonschema Python library: %s' % JSONSCHEMA_IMPORT_ERROR)
        if schema_name not in self._schemas:
            raise ContractUnavailableError('no API schema named %r' % (schema_name,))
        with self._lock:
            if schema_name not in self._fast_checks:
                self._fast_checks[schema_name] = compile_fast_check(self._schemas[schema_name])
        return self._fast_checks[schema_name]

    def check(self, schema_name, body):
        """Return the list of violations of ``body`` against ``schema_name`` ([] when valid)."""
        fast = self.fast_check(schema_name)
        if fast is not None and fast(body):
            return []
        errors = sorted(self.validator(schema_name).iter_errors(body), key=_sort_key)
        violations = []
        for error in errors:
            for line in _describe(error):
                if line not in violations:
                    violations.append(line)
        return violations


_DEFAULT_CHECKER = ContractChecker()


def check_contract(schema_name, body, checker=None):
    """Check an API response body against the named schema.

    Returns a list of human-readable violations, each starting with the JSON
    path of the field (``statistic_datas[0].data[3].statistic_num: ...``);
    ``[]`` when the body honours the contract.  ``checker`` is a
    ``ContractChecker`` to use instead of the default one built on
    ``_api_schemas.SCHEMAS``.  Raises ``ContractUnavailableError`` when jsonschema
    is missing or the schema name is unknown.
    """
    return (checker or _DEFAULT_CHECKER).check(schema_name, body)


def limit_violations(violations, limit=10):
    """Keep the first ``limit`` violations and add one line counting the rest.

    A response with a thousand malformed buckets should not print a thousand
    warnings.
    """
    if limit is None or len(violations) <= limit:
        return list(violations)
    return list(violations[:limit]) + ['... and %d more violations' % (len(violations) - limit)]
