# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the registered module results say about each read of the gate, failing closed.

Each read a subject kind declares in ``_gate/kinds.KINDS`` (``reads``) is looked
at here once: the subjects it returned (by id), the ids it could not read (a
module that failed on some ids names each in ``errors``), a read that failed
as a whole (a listing, the IAM token, a killed module), and the answers the
module flagged as unusable (``problems``).  Nothing here is skipped silently:

* a result whose list is absent or not a list, an item without its id, a
  failed module that names no id, a problem tied to no subject (a listing that
  could not be read whole) are errors of the gate: the verdict is ERROR;
* a failed id, or a flagged field of one subject, fails the checks that read
  feeds for that subject as "not evaluated" (see :func:`subject_issues`).

Plain Python on plain data; the messages come from the modules, which never
put a credential in them.
"""

from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import one_line
from ansible_collections.hwcloud.migration.plugins.module_utils._values import is_integer
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import MigrationHealthError


def _text(value):
    return None if value is None else str(value)


def _status(value):
    return value if is_integer(value) else None


def describe(value: object) -> str:
    """How an unusable value is named in a message: ``absent``/``null``, or its type and a short repr."""
    if value is None:
        return 'null'
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + '...'
    return 'a %s (%s)' % (type(value).__name__, text)


def gate_error(step: str, message: str, subject_id=None, field=None, status=None, error_code=None, request_id=None, attempted=None) -> dict:
    """One entry of the fact's ``errors``: a read that failed, or an answer the gate could not use."""
    return {
        'step': one_line(step) or 'gate',
        'id': _text(subject_id),
        'field': _text(field),
        'status': _status(status),
        'error_code': _text(error_code),
        'request_id': _text(request_id),
        'message': one_line(message) if message else 'no message',
        'attempted': attempted if isinstance(attempted, bool) else None,
    }


def error_from_entry(entry: object) -> dict:
    """A :func:`gate_error` from a dict a caller gives (``step`` and ``message`` required, the rest optional)."""
    if not isinstance(entry, dict) or not entry.get('step') or not entry.get('message'):
        raise MigrationHealthError('each entry needs a step and a message, got %r' % (entry,))
    return gate_error(
        entry['step'],
        entry['message'],
        subject_id=entry.get('id'),
        field=entry.get('field'),
        status=entry.get('status'),
        error_code=entry.get('error_code'),
        request_id=entry.get('request_id'),
    )


def error_line(error: dict) -> str:
    """One line naming a gate error: its step, subject and field, then the message."""
    where = error['step']
    if error.get('id') is not None:
        where += ' %s' % error['id']
    if error.get('field') and error['field'] not in error['message']:
        where += ' (%s)' % error['field']
    return '%s: %s' % (where, error['message'])


class ReadOutcome:
    """What one registered module result says: subjects by id, failed ids, whole-read failure, problems.

    ``read`` is a ``_gate/kinds.KindRead`` (its ``step``, ``items``, ``id_key``, ``checks``, ``fields``).
    """

    def __init__(self, read):
        self.read = read
        self.step = read.step
        self.present = False
        self.items = {}
        self.order = []
        self.failed = {}
        self.whole_error = None
        self.problems = {}
        self.errors = []
        # A result that failed or says it is not complete, and the ids it named as not existing.
        self.incomplete = False
        self.missing = frozenset()

    def _add_error(self, error):
        self.errors.append(error)
        return error

    def load(self, result: object) -> 'ReadOutcome':
        """Read ``result`` (a registered result, or None when there is none); returns self."""
        if result is None:
            return self
        if isinstance(result, dict) and result.get('skipped') and not result.get('failed'):
            # The role skips a read that has nothing to read; a subject asked
            # for anyway is then reported "not read" by subject_issues.
            return self
        self.present = True
        if not isinstance(result, dict):
            error = self._add_error(gate_error(self.step, 'the registered result is %s, not a module result' % describe(result)))
            self.whole_error = error['message']
            return self
        failed = bool(result.get('failed'))
        self.incomplete = failed or result.get('complete') is False
        missing = result.get('missing')
        self.missing = frozenset(str(item) for item in missing) if isinstance(missing, list) else frozenset()
        self._load_items(result, failed)
        if failed:
            self._load_failure(result)
        self._load_problems(result, failed)
        return self

    def _load_items(self, result, failed):
        key = self.read.items
        id_key = self.read.id_key
        items = result.get(key)
        if items is None and failed:
            items = []
        if not isinstance(items, list):
            error = self._add_error(gate_error(self.step, '%s is %s, not a list' % (key, describe(items)), field=key))
            self.whole_error = error['message']
            return
        select = getattr(self.read, 'select', None)
        for index, item in enumerate(items):
            if select is not None and isinstance(item, dict) and item.get('kind') != select:
                continue  # a read of several kinds (failed objects): another kind's item, maybe with an equal id
            subject_id = item.get(id_key) if isinstance(item, dict) else None
            if isinstance(subject_id, bool) or not isinstance(subject_id, (str, int)) or not str(subject_id):
                self._add_error(
                    gate_error(
                        self.step,
                        '%s[%d].%s is %s, not an id'
                        % (key, index, id_key, describe(subject_id) if isinstance(item, dict) else 'absent (the item is ' + describe(item) + ')'),
                        field='%s[%d].%s' % (key, index, id_key),
                    )
                )
                continue
            subject_id = str(subject_id)
            if subject_id not in self.items:
                self.order.append(subject_id)
            self.items[subject_id] = item

    def _load_failure(self, result):
        per_id = result.get('errors')
        named = False
        if isinstance(per_id, list):
            select = getattr(self.read, 'select', None)
            for entry in per_id:
                if not isinstance(entry, dict) or entry.get('id') is None:
                    continue
                named = True
                if select is not None and entry.get('kind') not in (None, select):
                    continue  # another kind's id
                subject_id = str(entry['id'])
                error = self._add_error(
                    gate_error(
                        self.step,
                        entry.get('message') or 'could not be read',
                        subject_id=subject_id,
                        status=entry.get('status'),
                        error_code=entry.get('error_code'),
                        request_id=entry.get('request_id'),
                        attempted=entry.get('attempted'),
                    )
                )
                self.failed.setdefault(subject_id, error)
        if not named:
            # A listing, the IAM token, a refused option, a killed module: the read failed as a whole.
            error = self._add_error(
                gate_error(
                    self.step,
                    result.get('msg') or 'the module failed without a message',
                    status=result.get('status'),
                    error_code=result.get('error_code'),
                    request_id=result.get('request_id'),
                )
            )
            self.whole_error = error['message']

    def _load_problems(self, result, failed):
        problems = result.get('problems')
        if problems is None:
            problems = []
        if not isinstance(problems, list):
            self._add_error(gate_error(self.step, 'problems is %s, not a list' % describe(problems), field='problems'))
            problems = []
        listing_flagged = False
        for problem in problems:
            if not isinstance(problem, dict):
                self._add_error(gate_error(self.step, 'a problem is %s, not an object' % describe(problem), field='problems'))
                continue
            field = _text(problem.get('field')) or '(response)'
            message = _text(problem.get('message')) or 'the answer cannot be used'
            if problem.get('id') is None:
                # Not one subject's answer: a listing that could not be read whole.
                listing_flagged = True
                self._add_error(gate_error(self.step, message, field=field))
            else:
                self.problems.setdefault(str(problem['id']), []).append((field, one_line(message)))
        if result.get('truncated') is True and not listing_flagged:
            # A listing cut short hides subjects the gate was asked to see, whether or not the module said so.
            self._add_error(
                gate_error(self.step, 'the listing held more than the API lets a client read (truncated: true), so some were not read', field='truncated')
            )
        elif result.get('complete') is False and not failed and not problems:
            self._add_error(gate_error(self.step, 'the module says its result is not complete (complete: false) without naming a problem', field='complete'))


def state_results(state: object, keys) -> dict:
    """The per-read results in one registered ``migration_state_info`` result, by key of ``keys``.

    A call that failed without any read's result (its options were refused,
    the module was killed, the IAM token could not be had) stands for each
    read: every subject asked for is then "not read" with that failure.  A
    skipped call reads nothing.  A read the call did not make is absent.
    """
    if not isinstance(state, dict) or (state.get('skipped') and not state.get('failed')):
        return {}
    parts = dict((key, state[key]) for key in keys if state.get(key) is not None)
    if parts or not state.get('failed'):
        return parts
    whole = dict((key, state[key]) for key in ('failed', 'msg', 'status', 'error_code', 'request_id') if key in state)
    whole.setdefault('msg', 'the module failed without a message')
    return dict((key, dict(whole)) for key in keys)


def read_outcomes(results: object, kinds) -> dict:
    """A :class:`ReadOutcome` per read name every kind of ``kinds`` reads, from the registered ``results``."""
    results = results if isinstance(results, dict) else {}
    outcomes = {}
    for kind in kinds:
        for read in kind.reads:
            # Keyed by the read and the kind it selects (``KindRead.key``): a read of several kinds is one outcome per kind.
            key = getattr(read, 'key', read.name)
            if key not in outcomes:
                outcomes[key] = ReadOutcome(read).load(results.get(read.name))
    return outcomes


def subject_issues(outcome: ReadOutcome, subject_id: str, found_check: str, *, read=None) -> list:
    """Why checks of ``subject_id`` fed by this read cannot be evaluated: a list of ``(reason, check ids)``.

    A subject absent from an ``optional`` read (one that reads only some
    subjects, such as the failed-object lists of failing ones) is left to its
    check, which knows whether the subject needed it.

    ``found_check`` is the kind's found check, which a flagged field does not
    affect (the subject was found; one of its fields cannot be used).  ``read``
    is the kind's ``KindRead`` of this result (which checks it feeds), when
    kinds share a read; else the read the outcome was loaded for.
    """
    read = read or outcome.read
    fed = tuple(read.checks)
    issues = []
    if subject_id in outcome.failed:
        issues.append(('the %s failed: %s' % (outcome.step, outcome.failed[subject_id]['message']), fed))
    elif subject_id not in outcome.items and not getattr(read, 'optional', False):
        if outcome.whole_error is not None:
            issues.append(('not read, the %s failed: %s' % (outcome.step, outcome.whole_error), fed))
        elif not outcome.present:
            issues.append(('not read: there is no result of the %s' % outcome.step, fed))
        elif outcome.incomplete and subject_id not in outcome.missing:
            # Not returned by a result that is not whole, nor named missing: unseen, not "not found".
            issues.append(('not read: the %s is incomplete and neither returned it nor named it missing' % outcome.step, fed))
    fields = read.fields or {}
    for field, message in outcome.problems.get(subject_id, ()):
        # A nested field (failed_object_record.list_file_key, items[0]) feeds what its top-level field feeds.
        affected = fields.get(field) or fields.get(field.split('.', 1)[0].split('[', 1)[0]) or tuple(check for check in fed if check != found_check)
        text = message if field in message else '%s: %s' % (field, message)
        issues.append(('the %s answer cannot be used: %s' % (outcome.step.replace(' read', ''), text), affected))
    return issues
