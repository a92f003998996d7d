"""The API contract, loaded by path from the collection, and the response guard.

The emulator shares only this data file with the collection. Every JSON body the
emulator is about to send is checked against its schema; a body that would break
the contract is replaced by a 500 that says so. Validators are compiled once and
the outcome is remembered per exact body, so repeated answers cost a dict lookup.
"""

import hashlib
import importlib.util
import os
import threading
from collections import OrderedDict
from pathlib import Path

import jsonschema

ENV_VAR = "HWC_EMULATOR_SCHEMAS"
RELATIVE_PATH = Path("plugins") / "module_utils" / "_api_schemas.py"


class ContractError(RuntimeError):
    """The schema file cannot be found or loaded."""


def default_schema_path():
    """The schema file: $HWC_EMULATOR_SCHEMAS, else the collection this package sits in."""
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override)
    repo_root = Path(__file__).resolve().parents[2]
    return repo_root / RELATIVE_PATH


def load_schemas(path=None):
    """Import the schema file by path and return its SCHEMAS dict."""
    path = Path(path) if path else default_schema_path()
    if not path.is_file():
        raise ContractError("API schema file not found: %s (set %s)" % (path, ENV_VAR))
    spec = importlib.util.spec_from_file_location("hwc_emulator_api_schemas", str(path))
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # a broken contract file must stop the start-up clearly
        raise ContractError("cannot load API schemas from %s: %s" % (path, exc))
    schemas = getattr(module, "SCHEMAS", None)
    if not isinstance(schemas, dict):
        raise ContractError("%s has no SCHEMAS dict" % path)
    return schemas


# Bodies whose array items are long-lived objects the emulator reuses (the task
# listing): the envelope and each item are checked apart, and an item already
# found valid is not checked again. Together this is the whole schema.
ITEM_SPLITS = {"ListSyncTasksResponse": "tasks"}


class Contract(object):
    """Compiled validators plus a bounded cache of bodies already found valid."""

    def __init__(self, schemas, cache_size=4096):
        self.schemas = schemas
        self.validators = {}
        for name, schema in schemas.items():
            jsonschema.Draft7Validator.check_schema(schema)
            self.validators[name] = jsonschema.Draft7Validator(schema)
        self._splits = {}
        for name, field in ITEM_SPLITS.items():
            schema = schemas.get(name)
            prop = (schema or {}).get("properties", {}).get(field)
            if not prop or "items" not in prop:
                continue
            envelope = dict(schema, properties=dict(schema["properties"]))
            envelope["properties"][field] = dict((k, v) for k, v in prop.items() if k != "items")
            self._splits[name] = (field, jsonschema.Draft7Validator(envelope),
                                  jsonschema.Draft7Validator(prop["items"]))
        self._cache = OrderedDict()
        self._cache_size = cache_size
        self._items = OrderedDict()  # id(item) -> item, kept alive so the id stays unique
        self._lock = threading.Lock()

    def violations(self, schema_name, document, raw=None):
        """Return a list of messages (empty when ``document`` honours the schema).

        ``raw`` is the encoded body; when given it keys the cache of valid bodies.
        """
        validator = self.validators.get(schema_name)
        if validator is None:
            return ["no schema named %s" % schema_name]
        key = None
        if raw is not None:
            # A digest, not the body: the cache must stay small whatever is sent.
            key = (schema_name, len(raw), hashlib.blake2b(raw, digest_size=16).digest())
            with self._lock:
                if key in self._cache:
                    self._cache.move_to_end(key)
                    return []
        split = self._splits.get(schema_name)
        if split is not None and isinstance(document, dict) and isinstance(document.get(split[0]), list):
            problems = self._split_violations(document, *split)
        else:
            problems = _messages(validator.iter_errors(document))
        if not problems and key is not None:
            with self._lock:
                self._cache[key] = True
                if len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return problems

    def _split_violations(self, document, field, envelope, item_validator):
        problems = _messages(envelope.iter_errors(document))
        for index, item in enumerate(document[field]):
            with self._lock:
                if self._items.get(id(item)) is item:
                    continue
            found = _messages(item_validator.iter_errors(item), prefix="%s/%d/" % (field, index))
            if found:
                problems.extend(found)
                break
            if isinstance(item, dict):
                with self._lock:
                    self._items[id(item)] = item
                    if len(self._items) > 4 * self._cache_size:
                        self._items.popitem(last=False)
        return problems[:5]


def _messages(errors, prefix=""):
    problems = []
    for error in errors:
        where = prefix + "/".join(str(p) for p in error.absolute_path)
        problems.append("%s: %s" % (where or "(root)", error.message))
        if len(problems) >= 5:
            break
    return problems
