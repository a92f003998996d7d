# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What changed between two polls: the events of ``hwcloud.migration.migration_events``.

Each poll hands :meth:`Tracker.update` the reads' results (as
``migration_state_info`` returns them) and the gate's fact evaluated from
them (``_gate/evaluate``): the statuses, failed objects, ETA against the
deadline and the stall of each subject are the gate's own observations and
checks, so the events and the gate never disagree.  The tracker keeps a few
scalars per resource and none of the answers, so its memory grows with the
resources watched, not with the polls.

Fail closed, and no event lost: a resource that could not be read keeps the
state it had (its changes show on the next poll that reads it); "deleted" only
when the service says the resource does not exist, or when a complete listing
(``all``) no longer holds it; a value the gate could not evaluate is unknown,
never a change.  Events are dicts with ``kind``, ``id``, ``event``,
``previous``, ``current``, ``summary``, ``time`` and ``time_ms``.
"""

from typing import Any, Dict, List, Optional, Tuple

from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import ms_to_iso
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import KIND_DATASET, KIND_MIGRATION_TASK, KIND_SYNC_TASK, KIND_TASK_GROUP
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.kinds import KINDS
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.results import read_outcomes

GATE_KIND = 'gate'
GATE_ID = 'migration_health'
# The events, in the order a poll emits them for one resource.
EVENTS = (
    'observed',
    'read_recovered',
    'read_failed',
    'status_changed',
    'failed_objects_increased',
    'stalled',
    'recovered',
    'deadline_at_risk',
    'deadline_ok',
    'deleted',
    'verdict_changed',
)
# Fact keys too large or too internal for an event's summary.
_SUMMARY_LEFT_OUT = frozenset(['series', 'series_downsampled', 'thresholds', 'overridden'])
# The violations a verdict event carries; the counts say how many there are in all.
VIOLATIONS_IN_EVENT = 20
# The counter of objects done, and the statuses in which it should grow, of the kinds the gate has no stall check for.
_PROGRESS = {KIND_MIGRATION_TASK: ('successful_num', frozenset([2, 6])), KIND_TASK_GROUP: ('success_num', frozenset([1, 2]))}
# The failed objects of each kind in the fact (a sync task counts them per month).
_FAILED_OBJECTS = {KIND_SYNC_TASK: 'monthly_failure_object', KIND_MIGRATION_TASK: 'failed_objects', KIND_TASK_GROUP: 'failed_objects'}
_STALL_CHECK = {KIND_SYNC_TASK: 'stall'}
_DEADLINE_CHECK = {kind.name: check for kind in KINDS for check in kind.checks if check.endswith('-deadline')}
_STATE_KEYS = ('found', 'status', 'status_name', 'failed_objects', 'failed_object_list', 'stalled', 'deadline_at_risk', 'healthy')


def make_event(kind: str, subject_id: Optional[str], name: str, previous: Any, current: Any, summary: Any, now: int) -> Dict[str, Any]:
    """One event as the source puts it on the queue."""
    return {'kind': kind, 'id': subject_id, 'event': name, 'previous': previous, 'current': current, 'summary': summary, 'time': ms_to_iso(now), 'time_ms': now}


def _check_flag(check: Optional[dict], previous: Optional[bool]) -> Optional[bool]:
    """True when ``check`` failed, False when it passed or was skipped; ``previous`` when it could not be evaluated."""
    if check is None:
        return previous
    if check.get('skipped'):
        return False
    if not check.get('evaluated', True):
        return previous
    return not check.get('passed')


def _status_name(kind: str, entry: dict) -> Optional[str]:
    if kind in (KIND_SYNC_TASK, KIND_DATASET):
        return entry.get('status')
    return entry.get('status_name')


class Tracker:
    """The last known state of each watched resource, and the events that lead from it to a new poll."""

    def __init__(self, policy: dict, *, initial_events: bool = True, max_stall_age_ms: Optional[int] = None) -> None:
        self.policy = policy
        self.initial_events = initial_events
        self.max_stall_age_ms = max_stall_age_ms
        self.polls = 0
        self.resources: Dict[Tuple[str, str], Dict[str, Any]] = {}
        self.failing: Dict[Tuple[str, Optional[str]], dict] = {}
        self.verdict: Optional[str] = None

    def update(self, results: dict, fact: dict, now: int) -> List[Dict[str, Any]]:
        """The events from the last known state to this poll's ``results`` and ``fact``; the state moves on."""
        initial = self.polls == 0
        self.polls += 1
        outcomes = read_outcomes(results, KINDS)
        checks = {}
        for check in fact.get('checks') or []:
            checks.setdefault((check['kind'], check['subject']), {})[check['id']] = check
        events: List[Dict[str, Any]] = []
        failing: Dict[Tuple[str, Optional[str]], dict] = {}
        for kind in KINDS:
            events.extend(self._read_events(kind, outcomes, failing, now))
            events.extend(self._kind_events(kind, outcomes, fact.get(kind.fact_key) or [], checks, now, initial))
        self.failing = failing
        events.extend(self._verdict_events(fact, now, initial))
        return events

    # -- reads that failed and came back ------------------------------------------------

    def _read_events(self, kind, outcomes, failing, now):
        events = []
        for read in kind.reads:
            outcome = outcomes[read.key]
            errors = dict(outcome.failed)
            if outcome.whole_error is not None:
                whole = next((error for error in outcome.errors if error.get('id') is None), {'message': outcome.whole_error})
                errors[None] = whole
            for subject_id, error in errors.items():
                key = (read.key, subject_id)
                failing[key] = error
                if key not in self.failing:
                    current = dict(error, read=read.name)
                    events.append(make_event(kind.name, subject_id, 'read_failed', None, current, None, now))
            for key, error in self.failing.items():
                if key[0] == read.key and key not in failing:
                    events.append(make_event(kind.name, key[1], 'read_recovered', dict(error, read=read.name), {'read': read.name}, None, now))
        return events

    # -- the resources of one kind -------------------------------------------------------

    def _kind_events(self, kind, outcomes, entries, checks, now, initial):
        primary = outcomes[kind.reads[0].key]
        events = []
        seen = set()
        for entry in entries:
            subject_id = str(entry['id'])
            seen.add(subject_id)
            key = (kind.name, subject_id)
            previous = self.resources.get(key)
            if subject_id in primary.items:
                current = self._observe(kind.name, entry, primary.items[subject_id], checks.get(key, {}), previous, now)
            elif subject_id in primary.missing:
                current = dict(previous or dict.fromkeys(_STATE_KEYS), found=False)
            else:
                continue  # not read this poll: its read_failed says so, and its state waits for the next read
            self.resources[key] = current
            events.extend(self._changes(kind.name, subject_id, previous, current, entry, now, initial))
        if self.policy.get('all_' + kind.fact_key) and primary.present and not primary.incomplete and not primary.errors:
            # A complete listing that no longer holds a resource: the service deleted it.
            for key in [key for key in self.resources if key[0] == kind.name and key[1] not in seen]:
                previous = self.resources.pop(key)
                if previous.get('found'):
                    events.append(make_event(kind.name, key[1], 'deleted', _public(previous), _public(dict(previous, found=False)), None, now))
        return events

    def _observe(self, kind, entry, body, checks, previous, now):
        previous = previous or {}
        failed_key = _FAILED_OBJECTS.get(kind)
        current = {
            'found': True,
            'status': entry.get('status'),
            'status_name': _status_name(kind, entry),
            'failed_objects': entry.get(failed_key) if failed_key else None,
            'failed_object_list': entry.get('failed_object_list'),
            'healthy': entry.get('healthy'),
            'deadline_at_risk': _check_flag(checks.get(_DEADLINE_CHECK.get(kind)), previous.get('deadline_at_risk')) if kind in _DEADLINE_CHECK else None,
        }
        if kind in _STALL_CHECK:
            current['stalled'] = _check_flag(checks.get(_STALL_CHECK[kind]), previous.get('stalled'))
        elif kind in _PROGRESS:
            current.update(self._progress(kind, body, current['status'], previous, now))
        else:
            current['stalled'] = None
        return current

    def _progress(self, kind, body, status, previous, now):
        """Whether a running task or group has gone ``max_stall_age`` without one more successful object."""
        field, running = _PROGRESS[kind]
        done = body.get(field) if isinstance(body, dict) else None
        if not isinstance(done, int) or isinstance(done, bool):
            return {'stalled': previous.get('stalled'), 'progress': previous.get('progress'), 'progress_ms': previous.get('progress_ms', now)}
        since = previous.get('progress_ms', now)
        if previous.get('progress') is None or done > previous['progress'] or status not in running:
            # Progress, or not meant to progress now: the stall clock starts over.
            since = now
        stalled = status in running and self.max_stall_age_ms is not None and now - since >= self.max_stall_age_ms
        return {'stalled': stalled, 'progress': done, 'progress_ms': since}

    def _changes(self, kind, subject_id, previous, current, entry, now, initial):
        summary = {key: value for key, value in entry.items() if key not in _SUMMARY_LEFT_OUT}
        shown = _public(current)
        if previous is None or (current['found'] and not previous.get('found') and previous.get('status') is None):
            if previous is None and initial and not self.initial_events:
                return []
            return [make_event(kind, subject_id, 'observed', None, shown, summary, now)]
        if not current['found']:
            return [make_event(kind, subject_id, 'deleted', _public(previous), shown, summary, now)] if previous.get('found') else []
        events = []

        def changed(name, before, after):
            events.append(make_event(kind, subject_id, name, before, after, summary, now))

        if not previous.get('found'):
            changed('observed', _public(previous), shown)
        if current['status'] is not None and previous.get('status') is not None and current['status'] != previous['status']:
            changed(
                'status_changed',
                {'status': previous['status'], 'status_name': previous.get('status_name')},
                {'status': current['status'], 'status_name': current['status_name']},
            )
        before, after = previous.get('failed_objects'), current['failed_objects']
        if isinstance(before, int) and isinstance(after, int) and after > before:
            changed(
                'failed_objects_increased',
                {'failed_objects': before},
                {'failed_objects': after, 'by': after - before, 'failed_object_list': current['failed_object_list']},
            )
        for flag, raised, cleared in (('stalled', 'stalled', 'recovered'), ('deadline_at_risk', 'deadline_at_risk', 'deadline_ok')):
            if previous.get(flag) is not None and current[flag] is not None and previous[flag] != current[flag]:
                changed(raised if current[flag] else cleared, {flag: previous[flag]}, {flag: current[flag]})
        return events

    # -- the gate's verdict ---------------------------------------------------------------

    def _verdict_events(self, fact, now, initial):
        verdict = fact.get('verdict')
        current = {
            'verdict': verdict,
            'error': fact.get('error'),
            'counts': fact.get('counts'),
            'violations': list(fact.get('violations') or [])[:VIOLATIONS_IN_EVENT],
        }
        previous, self.verdict = self.verdict, verdict
        if previous is None:
            if initial and not self.initial_events:
                return []
            return [make_event(GATE_KIND, GATE_ID, 'observed', None, current, None, now)]
        if verdict == previous:
            return []
        return [make_event(GATE_KIND, GATE_ID, 'verdict_changed', {'verdict': previous}, current, None, now)]


def _public(state: dict) -> dict:
    """A resource's state as events show it (without the tracker's own bookkeeping)."""
    return {key: state.get(key) for key in _STATE_KEYS}
