"""The API contract the emulator answers by, and the response guard.

The contract is the collection's ``plugins/module_utils/_api/schemas.py``, shipped
inside this package as ``_api_schemas.py`` so that an installed emulator needs no
checkout. In the repository that file is a symbolic link to the collection's, so
there is one contract to edit; building the sdist puts the file itself in the
package. Every JSON body the emulator is about to send is
checked against its schema; a body that would break the contract is replaced by a
500 that says so. Schemas are compiled once, at start.
"""

import importlib.util
import os
from itertools import islice
from pathlib import Path

import fastjsonschema
import jsonschema

ENV_VAR = 'HWC_EMULATOR_SCHEMAS'
BUNDLED_PATH = Path(__file__).resolve().parent / '_api_schemas.py'


class ContractError(RuntimeError):
    """The schema file cannot be found or loaded."""


def default_schema_path():
    """The schema file: $HWC_EMULATOR_SCHEMAS, else the copy shipped in this package."""
    return Path(os.environ.get(ENV_VAR) or BUNDLED_PATH)


def load_schemas(path=None):
    """Import the schema file by path and return its SCHEMAS dict."""
    path = Path(path) if path else default_schema_path()
    if not path.is_file():
        raise ContractError('API schema file not found: %s (set %s)' % (path, ENV_VAR))
    spec = importlib.util.spec_from_file_location('hwc_emulator_api_schemas', str(path))
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # a broken contract file must stop the start-up clearly
        raise ContractError('cannot load API schemas from %s: %s' % (path, exc))
    schemas = getattr(module, 'SCHEMAS', None)
    if not isinstance(schemas, dict):
        raise ContractError('%s has no SCHEMAS dict' % path)
    return schemas


class Contract(object):
    """Every schema compiled twice: a fast pass/fail check, and jsonschema to explain a failure.

    fastjsonschema turns each schema into Python code once, so checking a body
    costs tens of microseconds instead of the milliseconds a jsonschema walk of a
    statistics answer takes; the emulator checks every body it sends, and its
    own speed must never be what a benchmark of the modules measures.
    jsonschema only runs for a body the fast check refused, to word the
    messages. (The collection checks responses with code of its own: sharing
    the schema data, not the checker, keeps a bug in one from hiding the same
    bug in the other.)
    """

    def __init__(self, schemas):
        self.schemas = schemas
        self.validators = {}
        self._checks = {}
        for name, schema in schemas.items():
            jsonschema.Draft7Validator.check_schema(schema)
            self.validators[name] = jsonschema.Draft7Validator(schema)
            self._checks[name] = fastjsonschema.compile(schema)

    def violations(self, schema_name, document, raw=None):
        """Return a list of messages (empty when ``document`` honours the schema).

        ``raw``, the encoded body, is accepted for the callers' convenience and unused.
        """
        del raw
        check = self._checks.get(schema_name)
        if check is None:
            return ['no schema named %s' % schema_name]
        try:
            check(document)
        except fastjsonschema.JsonSchemaException as exc:
            errors = islice(self.validators[schema_name].iter_errors(document), 5)
            return ['%s: %s' % ('/'.join(map(str, error.absolute_path)) or '(root)', error.message) for error in errors] or [exc.message]
        return []
