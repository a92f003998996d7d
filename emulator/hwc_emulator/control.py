"""The control API under /_emulator/: no authentication, never part of the emulated APIs."""

import json
from urllib.parse import unquote

import jsonschema

from . import migration
from . import scenario as scenario_format
from .replies import Reply
from .scenario import ScenarioError
from .timeexpr import TimeExprError, now_ms

_TASK_CHANGES = dict(scenario_format._TASK, required=[])
_DATASET_CHANGES = dict(scenario_format._DATASET, required=[])
# The id comes from the path; everything else a scenario entry may hold may change.
_MIGRATION_TASK_CHANGES = dict(migration.TASK_SCHEMA, required=[], properties={k: v for k, v in migration.TASK_SCHEMA['properties'].items() if k != 'id'})
_VALIDATORS = {
    'task': jsonschema.Draft7Validator(_TASK_CHANGES),
    'dataset': jsonschema.Draft7Validator(_DATASET_CHANGES),
    'migration_task': jsonschema.Draft7Validator(_MIGRATION_TASK_CHANGES),
    'fault': jsonschema.Draft7Validator(scenario_format.FAULT_SCHEMA),
}


def _answer(status, body):
    return Reply(status, body, schema=None)


def _bad(message):
    return _answer(400, {'error': message})


def _json_body(ctx, what):
    try:
        document = json.loads(ctx.body.decode('utf-8') or '{}')
    except (UnicodeDecodeError, ValueError):
        raise ValueError('the body must be a JSON object')
    if not isinstance(document, dict):
        raise ValueError('the body must be a JSON object')
    errors = list(_VALIDATORS[what].iter_errors(document))
    if errors:
        where = '/'.join(str(p) for p in errors[0].absolute_path) or '(body)'
        raise ValueError('%s: %s' % (where, errors[0].message))
    return document


def handle(emulator, ctx, segments):
    """Dispatch /_emulator/<segments...>; returns a Reply."""
    method = ctx.method
    state = ctx.state
    name = segments[0] if segments else ''
    try:
        if name == 'health' and method == 'GET':
            return _answer(200, emulator.health())
        if name == 'reset' and method == 'POST':
            emulator.reset()
            return _answer(200, {'reset': True, 'health': emulator.health()})
        if name == 'requests' and method == 'GET':
            limit = int(ctx.query.get('limit', '0') or 0)
            entries = list(emulator.request_log)
            if limit > 0:
                entries = entries[-limit:]
            return _answer(200, {'requests': entries})
        if name == 'requests' and method == 'DELETE':
            emulator.request_log.clear()
            return _answer(200, {'cleared': True})
        if name == 'sync-tasks' and len(segments) == 2 and method == 'POST':
            changes = _json_body(ctx, 'task')
            task = state.upsert_task(unquote(segments[1]), changes)
            return _answer(200, {'sync_task_id': task.task_id, 'project_id': task.project_id, 'fields': task.fields, 'source_cdn': task.source_cdn})
        if name == 'datasets' and len(segments) == 2 and method == 'POST':
            changes = _json_body(ctx, 'dataset')
            dataset = state.upsert_dataset(unquote(segments[1]), changes)
            return _answer(200, {'dataset_id': dataset.dataset_id, 'project_id': dataset.project_id, 'fields': dataset.fields, 'progress': dataset.progress})
        if name == 'migration-tasks' and len(segments) == 2:
            return _migration_task(state, method, unquote(segments[1]), ctx)
        if name == 'faults' and len(segments) == 1:
            if method == 'GET':
                return _answer(200, {'faults': [f.describe() for f in state.faults]})
            if method == 'POST':
                fault = state.add_fault(_json_body(ctx, 'fault'))
                return _answer(201, fault.describe())
            if method == 'DELETE':
                return _answer(200, {'removed': state.clear_faults()})
        if name == 'faults' and len(segments) == 2 and method == 'DELETE':
            removed = state.clear_faults(unquote(segments[1]))
            return _answer(200 if removed else 404, {'removed': removed})
    except (ValueError, ScenarioError, TimeExprError) as exc:
        return _bad(str(exc))
    return _answer(404, {'error': 'no control route %s %s' % (method, ctx.raw_path)})


def _migration_task(state, method, raw_id, ctx):
    """POST /_emulator/migration-tasks/<id> creates or changes a task; DELETE removes it."""
    if not raw_id.isdigit():
        return _bad('a migration task id is a whole number, got %r' % raw_id)
    task_id = int(raw_id)
    if method == 'POST':
        changes = _json_body(ctx, 'migration_task')
        migration.check_entries([dict(changes, id=task_id)], [])
        with state.lock:
            task = state.migration.upsert_task(task_id, changes, now_ms())
        return _answer(200, task.body(now_ms()))
    if method == 'DELETE':
        with state.lock:
            removed = state.migration.remove_task(task_id)
        return _answer(200 if removed else 404, {'removed': removed})
    return _answer(404, {'error': 'no control route %s %s' % (method, ctx.raw_path)})
