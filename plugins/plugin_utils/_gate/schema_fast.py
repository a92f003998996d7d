# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A JSON Schema (draft 2020-12) compiled into a plain-Python predicate, for the keywords the fact schema uses.

Every fact is checked against its schema before a report is written; with
jsonschema that costs its import, the building of a validator and a walk of
the whole fact in every Ansible worker.  The predicate built here answers
True only for an instance jsonschema would accept; False means "ask
jsonschema", which stays the only source of the wording of a problem.  The
schema file stays the single source: nothing here knows a field of the fact.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import numbers
import re

# Keywords that carry no constraint.
_ANNOTATIONS = frozenset(('$schema', '$id', '$comment', '$defs', 'title', 'description', 'default', 'examples'))


def _is_integer(value):
    # As jsonschema's draft 2020-12 type checker: a bool is not an integer, 1.0 is.
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def _is_number(value):
    kind = type(value)
    if kind is int or kind is float:
        return True
    return not isinstance(value, bool) and isinstance(value, numbers.Number)


# The type tests are jsonschema's own, so a False is as certain as a True: ``oneOf`` relies on it.
_TYPE_TESTS = {
    'array': lambda value: isinstance(value, list),
    'boolean': lambda value: isinstance(value, bool),
    'integer': _is_integer,
    'null': lambda value: value is None,
    'number': _is_number,
    'object': lambda value: isinstance(value, dict),
    'string': lambda value: isinstance(value, str),
}


# The Python types that certainly pass each test (subclasses and the rest go through the test).
_EXACT_TYPES = {'array': (list,), 'boolean': (bool,), 'integer': (int,), 'null': (type(None),), 'number': (int, float), 'object': (dict,), 'string': (str,)}


# Exactly these types (not a subclass, not bool for int): the common case decided in one test.
_INT = frozenset((int,))
_LIST = frozenset((list,))


class _Unsupported(Exception):
    """The schema uses a keyword (or a form of one) this compiler does not check."""


def _all(tests):
    tests = tuple(tests)
    if not tests:
        return lambda instance: True
    if len(tests) == 1:
        return tests[0]
    if len(tests) == 2:
        first, second = tests
        return lambda instance: first(instance) and second(instance)

    def every(instance):
        for test in tests:
            if not test(instance):
                return False
        return True

    return every


class _Compiler:
    def __init__(self, root):
        self.definitions = root.get('$defs') or {} if isinstance(root, dict) else {}
        self.compiled_refs = {}
        self.compiling = set()

    def reference(self, ref):
        """The compiled ``(check, type_test)`` of a local ``#/$defs/<name>`` reference, built once per name."""
        if not isinstance(ref, str) or not ref.startswith('#/$defs/'):
            raise _Unsupported(ref)
        name = ref[len('#/$defs/') :]
        if name not in self.definitions or '/' in name or '~' in name:
            raise _Unsupported(ref)
        if name not in self.compiled_refs:
            if name in self.compiling:
                raise _Unsupported('recursive %s' % ref)  # no recursive definitions in the fact schema
            self.compiling.add(name)
            self.compiled_refs[name] = self.compile(self.definitions[name])
            self.compiling.discard(name)
        return self.compiled_refs[name]

    def compile(self, schema):
        """``(check, type_test)``: the predicate of ``schema``, and a test of the type it requires (None: any type).

        ``type_test`` is one of jsonschema's own type tests, so its False is
        certain: an instance it refuses is invalid (``oneOf`` relies on it).
        """
        if schema is True or schema == {}:
            return (lambda instance: True), None
        if not isinstance(schema, dict):
            raise _Unsupported(schema)
        tests = []
        type_test = None
        for keyword, value in schema.items():
            if keyword in _ANNOTATIONS:
                continue
            if keyword == '$ref':
                check, referenced_type = self.reference(value)
                tests.append(check)
                # Whatever the reference requires of the type, this schema requires too.
                type_test = type_test or referenced_type
                continue
            handler = getattr(self, '_keyword_' + keyword, None)
            if handler is None:
                raise _Unsupported(keyword)
            test = handler(value, schema)
            if keyword == 'type':
                type_test = test
                # The type first: the other tests then see the kind of value they expect.
                tests.insert(0, test)
            elif test is not None:
                tests.append(test)
        check = _all(tests)
        return self._fused(schema, check) or check, type_test

    def _fused(self, schema, check):
        """One closure for the shapes that make most of a fact's values (counts, epoch ms, points), or None.

        It decides the common case (an exact ``int``, an exact ``list``) in
        one call and hands anything else to ``check``, the keyword by keyword
        predicate, so the answer is the same in fewer calls.
        """
        keywords = set(schema) - _ANNOTATIONS
        if schema.get('type') == 'integer' and keywords <= set(('type', 'minimum', 'maximum')):
            low = schema.get('minimum', float('-inf'))
            high = schema.get('maximum', float('inf'))
            return lambda instance: (low <= instance <= high) if type(instance) in _INT else check(instance)
        if schema.get('type') != 'array' or not keywords <= set(('type', 'minItems', 'maxItems', 'prefixItems', 'items')):
            return None
        if not isinstance(schema.get('items', {}), dict):
            return None
        low = schema.get('minItems', 0)
        high = schema.get('maxItems')
        prefix = tuple(self.compile(subschema)[0] for subschema in schema.get('prefixItems') or ())
        rest = self.compile(schema['items'])[0] if 'items' in schema else None
        start = len(prefix)

        def array(instance):
            if type(instance) not in _LIST:
                return check(instance)
            size = len(instance)
            if size < low or (high is not None and size > high):
                return False
            for test, item in zip(prefix, instance):
                if not test(item):
                    return False
            if rest is not None:
                for item in instance[start:] if start else instance:
                    if not rest(item):
                        return False
            return True

        return array

    @staticmethod
    def _keyword_type(value, schema):
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list) or not names or any(name not in _TYPE_TESTS for name in names):
            raise _Unsupported(value)
        tests = tuple(_TYPE_TESTS[name] for name in names)
        if len(tests) == 1:
            return tests[0]
        exact = frozenset(kind for name in names for kind in _EXACT_TYPES[name])
        return lambda instance: type(instance) in exact or any(test(instance) for test in tests)

    @staticmethod
    def _keyword_enum(value, schema):
        # Strings and null only: jsonschema's equality of numbers and bools has rules of its own.
        if not isinstance(value, list) or any(item is not None and not isinstance(item, str) for item in value):
            raise _Unsupported(value)
        strings = frozenset(item for item in value if item is not None)
        allow_null = None in value
        return lambda instance: (instance is None and allow_null) or (isinstance(instance, str) and instance in strings)

    @staticmethod
    def _keyword_const(value, schema):
        if value is None:
            return lambda instance: instance is None
        if isinstance(value, str):
            return lambda instance: isinstance(instance, str) and instance == value
        if isinstance(value, int) and not isinstance(value, bool):
            # Only an exact int: a float or another number that equals it goes to jsonschema.
            return lambda instance: type(instance) in _INT and instance == value
        raise _Unsupported(value)

    @staticmethod
    def _keyword_minimum(value, schema):
        if not _is_number(value):
            raise _Unsupported(value)
        return lambda instance: not _is_number(instance) or instance >= value

    @staticmethod
    def _keyword_maximum(value, schema):
        if not _is_number(value):
            raise _Unsupported(value)
        return lambda instance: not _is_number(instance) or instance <= value

    @staticmethod
    def _bound(value, kind, at_least):
        if not isinstance(value, int) or isinstance(value, bool):
            raise _Unsupported(value)
        if at_least:
            return lambda instance: not isinstance(instance, kind) or len(instance) >= value
        return lambda instance: not isinstance(instance, kind) or len(instance) <= value

    def _keyword_minLength(self, value, schema):
        return self._bound(value, str, True)

    def _keyword_maxLength(self, value, schema):
        return self._bound(value, str, False)

    def _keyword_minItems(self, value, schema):
        return self._bound(value, list, True)

    def _keyword_maxItems(self, value, schema):
        return self._bound(value, list, False)

    @staticmethod
    def _keyword_pattern(value, schema):
        if not isinstance(value, str):
            raise _Unsupported(value)
        # re.search, as jsonschema does: the same dialect and the same anchoring.
        search = re.compile(value).search
        return lambda instance: not isinstance(instance, str) or search(instance) is not None

    @staticmethod
    def _keyword_required(value, schema):
        if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
            raise _Unsupported(value)
        names = tuple(value)
        return lambda instance: not isinstance(instance, dict) or all(name in instance for name in names)

    def _keyword_properties(self, value, schema):
        if not isinstance(value, dict):
            raise _Unsupported(value)
        checks = dict((name, self.compile(subschema)[0]) for name, subschema in value.items())
        extra = schema.get('additionalProperties', True)
        if extra is True or extra == {}:
            extra_check = None
        elif extra is False:
            extra_check = False
        else:
            extra_check = self.compile(extra)[0]
        if 'patternProperties' in schema:
            raise _Unsupported('patternProperties')

        def properties(instance):
            if not isinstance(instance, dict):
                return True
            for name, item in instance.items():
                check = checks.get(name)
                if check is None:
                    if extra_check is None:
                        continue
                    if extra_check is False or not extra_check(item):
                        return False
                elif not check(item):
                    return False
            return True

        return properties

    def _keyword_additionalProperties(self, value, schema):
        if 'properties' in schema:
            return None  # applied with the properties, which say what is additional
        return self._keyword_properties({}, schema)

    def _keyword_prefixItems(self, value, schema):
        if not isinstance(value, list):
            raise _Unsupported(value)
        checks = tuple(self.compile(subschema)[0] for subschema in value)

        def prefix_items(instance):
            if not isinstance(instance, list):
                return True
            for check, item in zip(checks, instance):
                if not check(item):
                    return False
            return True

        return prefix_items

    def _keyword_items(self, value, schema):
        # Draft 2020-12: ``items`` is one schema, for the items after ``prefixItems``.
        if not isinstance(value, (dict, bool)):
            raise _Unsupported(value)
        check = self.compile(value)[0] if value is not False else (lambda instance: False)
        start = len(schema.get('prefixItems') or ())
        if start:
            return lambda instance: not isinstance(instance, list) or all(map(check, instance[start:]))
        return lambda instance: not isinstance(instance, list) or all(map(check, instance))

    def _keyword_oneOf(self, value, schema):
        if not isinstance(value, list) or not value:
            raise _Unsupported(value)
        branches = tuple(self.compile(subschema) for subschema in value)
        if any(type_test is None for _check, type_test in branches):
            # Without a type per branch, "no other branch matches" cannot be told for sure.
            raise _Unsupported('oneOf branch without a type')

        def one_of(instance):
            candidates = [check for check, type_test in branches if type_test(instance)]
            return len(candidates) == 1 and candidates[0](instance)

        return one_of


def compile_check(schema):
    """``check(instance) -> bool`` for ``schema`` (True: jsonschema would accept it), or None when it uses other keywords.

    Supported: ``type``, ``enum`` and ``const`` of strings (``const`` also of
    null and integers), ``minimum``/``maximum``, ``minLength``/``maxLength``,
    ``minItems``/``maxItems``, ``pattern``, ``required``, ``properties``,
    ``additionalProperties``, ``prefixItems``, ``items``, ``oneOf`` whose
    branches each have a ``type``, local ``$ref`` to ``$defs``, and annotations.
    """
    try:
        compiler = _Compiler(schema)
        return compiler.compile(schema)[0]
    except (_Unsupported, re.error):
        return None
