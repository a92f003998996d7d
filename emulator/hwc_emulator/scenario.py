"""Reading and checking a scenario file (YAML).

The format is documented in docs/emulator.md; SCENARIO_SCHEMA below is its exact
shape, so a typo in a key is reported at load time instead of being ignored.
"""

import jsonschema
import yaml

from . import generate, migration, obs
from .timeexpr import TimeExprError, parse_duration_ms, parse_time_ms

_TIME = {'type': ['string', 'integer', 'number']}
_DURATION = {'type': ['string', 'integer', 'number']}
_NULLABLE_TEXT = {'type': ['string', 'null']}

FAULT_KINDS = (
    'latency',
    'throttle',
    'error',
    'connection_reset',
    'truncated_body',
    'non_json',
    'contract_break',
    'rate_limit',
    'trickle',
    'token_expired',
    'rewrite',
)

FAULT_SCHEMA = {
    'type': 'object',
    'required': ['kind'],
    'additionalProperties': False,
    'properties': {
        'id': {'type': 'string'},
        'route': {'type': 'string'},
        'method': {'type': 'string'},
        'kind': {'enum': list(FAULT_KINDS)},
        'every': {'type': 'integer', 'minimum': 1},
        'probability': {'type': 'number', 'minimum': 0, 'maximum': 1},
        'after': {'type': 'integer', 'minimum': 0},
        'times': {'type': 'integer', 'minimum': 1},
        'ms': {'type': 'integer', 'minimum': 0},
        'chunk_bytes': {'type': 'integer', 'minimum': 1},
        'status': {'type': 'integer', 'minimum': 100, 'maximum': 599},
        'retry_after': {'type': ['integer', 'string']},
        'limit': {'type': 'integer', 'minimum': 1},
        'error_code': {'type': 'string'},
        'error_msg': {'type': 'string'},
        'body': {'type': 'string'},
        'content_type': {'type': 'string'},
        'field': {'type': 'string'},
        'value': {},
        # kind rewrite: edits of the real answer (see docs/emulator.md, "Faults")
        'query': {'type': 'object', 'additionalProperties': {'type': ['string', 'integer']}},
        'set': {'type': 'object'},
        'set_raw': {'type': 'object', 'additionalProperties': {'type': 'string'}},
        'delete': {'type': 'array', 'items': {'type': 'string'}},
        'raw': {'type': 'string'},
        'pad_bytes': {'type': 'integer', 'minimum': 0, 'maximum': 1073741824},
        'gzip': {'type': 'boolean'},
        'headers': {'type': 'object', 'additionalProperties': {'type': 'string'}},
        'any_status': {'type': 'boolean'},
    },
}

_SERIES = {
    'type': 'object',
    'additionalProperties': False,
    'properties': {
        'seed': {'type': ['string', 'integer']},
        'start': _TIME,
        'end': {'type': ['string', 'integer', 'number', 'null']},
        'rates': {
            'type': 'object',
            'additionalProperties': False,
            'properties': {'request': {'type': 'number', 'minimum': 0}, 'skip': {'type': 'number', 'minimum': 0}},
        },
        'jitter': {'type': 'number', 'minimum': 0, 'maximum': 1},
        'failure_rate': {'type': 'number', 'minimum': 0, 'maximum': 1},
        'object_size': {'type': 'integer', 'minimum': 0},
        'bursts': {
            'type': 'array',
            'items': {
                'type': 'object',
                'required': ['start'],
                'additionalProperties': False,
                'properties': {
                    'start': _TIME,
                    'end': _TIME,
                    'failure_rate': {'type': 'number', 'minimum': 0, 'maximum': 1},
                    'request_factor': {'type': 'number', 'minimum': 0},
                },
            },
        },
        'gaps': {
            'type': 'array',
            'items': {'type': 'object', 'required': ['start', 'end'], 'additionalProperties': False, 'properties': {'start': _TIME, 'end': _TIME}},
        },
    },
}

_TASK = {
    'type': 'object',
    'required': ['sync_task_id'],
    'additionalProperties': False,
    'properties': {
        'sync_task_id': {'type': 'string'},
        'project_id': {'type': 'string'},
        'status': {'type': 'string'},
        'src_cloud_type': _NULLABLE_TEXT,
        'src_region': _NULLABLE_TEXT,
        'src_bucket': _NULLABLE_TEXT,
        'dst_bucket': _NULLABLE_TEXT,
        'dst_region': _NULLABLE_TEXT,
        'description': _NULLABLE_TEXT,
        'create_time': {'type': ['string', 'integer', 'null']},
        'last_start_time': {'type': ['string', 'integer', 'null']},
        'enable_kms': {'type': ['boolean', 'null']},
        'enable_metadata_migration': {'type': ['boolean', 'null']},
        'enable_restore': {'type': ['boolean', 'null']},
        'app_id': _NULLABLE_TEXT,
        'object_overwrite_mode': _NULLABLE_TEXT,
        'dst_storage_policy': _NULLABLE_TEXT,
        'consistency_check': _NULLABLE_TEXT,
        'source_cdn': {'type': ['object', 'null']},
        'series': _SERIES,
        'failed_object_list': obs.FAILED_LIST_SCHEMA,
    },
}

_DATASET = {
    'type': 'object',
    'required': ['dataset_id'],
    'additionalProperties': False,
    'properties': {
        'dataset_id': {'type': 'string'},
        'project_id': {'type': 'string'},
        'status': {'type': 'string'},
        'error_code': _NULLABLE_TEXT,
        'error_msg': _NULLABLE_TEXT,
        'task_id': _NULLABLE_TEXT,
        'create_time': {'type': ['string', 'integer', 'null']},
        'add_sample_count': {'type': ['integer', 'null']},
        'deleted_sample_count': {'type': ['integer', 'null']},
        'total_sample_count': {'type': ['integer', 'null']},
        'duration_time': {'type': ['integer', 'null']},
        'progress': {'type': 'array', 'items': {'type': 'string'}, 'minItems': 1},
        'advance_every_polls': {'type': 'integer', 'minimum': 1},
        'advance_every': _DURATION,
    },
}

SCENARIO_SCHEMA = {
    'type': 'object',
    'additionalProperties': False,
    'properties': {
        'version': {'const': 1},
        'seed': {'type': ['integer', 'string']},
        'domain': {'type': 'object', 'additionalProperties': False, 'properties': {'id': {'type': 'string'}, 'name': {'type': 'string'}}},
        'regions': {'type': 'object', 'additionalProperties': {'type': 'array', 'items': {'type': 'string'}}},
        'default_project': {'type': 'string'},
        'credentials': {
            'type': 'object',
            'additionalProperties': False,
            'properties': {
                'access_keys': {
                    'type': 'array',
                    'items': {
                        'type': 'object',
                        'required': ['access_key', 'secret_key'],
                        'additionalProperties': False,
                        'properties': {
                            'access_key': {'type': 'string', 'minLength': 1},
                            'secret_key': {'type': 'string', 'minLength': 1},
                            'security_token': {'type': 'string', 'minLength': 1},
                            'projects': {'type': 'array', 'items': {'type': 'string'}},
                        },
                    },
                },
                'users': {
                    'type': 'array',
                    'items': {
                        'type': 'object',
                        'required': ['name', 'password'],
                        'additionalProperties': False,
                        'properties': {
                            'name': {'type': 'string'},
                            'id': {'type': 'string'},
                            'password': {'type': 'string'},
                            'domain': {'type': 'string'},
                            'projects': {'type': 'array', 'items': {'type': 'string'}},
                        },
                    },
                },
                'tokens': {
                    'type': 'array',
                    'items': {
                        'type': 'object',
                        'required': ['token'],
                        'additionalProperties': False,
                        'properties': {'token': {'type': 'string', 'minLength': 1}, 'project_id': {'type': ['string', 'null']}, 'expires_at': _TIME},
                    },
                },
            },
        },
        'iam': {'type': 'object', 'additionalProperties': False, 'properties': {'token_lifetime': _DURATION}},
        'auth': {
            'type': 'object',
            'additionalProperties': False,
            'properties': {'max_clock_skew': _DURATION, 'lockout_after_failures': {'type': 'integer', 'minimum': 0}, 'lockout_duration': _DURATION},
        },
        'statistics': {
            'type': 'object',
            'additionalProperties': False,
            'properties': {
                'hourly_above': _DURATION,
                'max_points': {'type': 'integer', 'minimum': 1, 'maximum': 1000},
                'keep': {'enum': ['latest', 'earliest']},
                'omit_empty': {'enum': ['bucket', 'point']},
                'max_window': {'type': ['string', 'integer', 'null']},
            },
        },
        'generate': {
            'type': 'object',
            'additionalProperties': False,
            'properties': {
                'sync_tasks': {'type': 'integer', 'minimum': 0},
                'datasets': {'type': 'integer', 'minimum': 0},
                'migration_tasks': {'type': 'integer', 'minimum': 0},
                'task_groups': {'type': 'integer', 'minimum': 0},
                'seed': {'type': ['integer', 'string']},
            },
        },
        'sync_tasks': {'type': 'array', 'items': _TASK},
        'datasets': {'type': 'array', 'items': _DATASET},
        'faults': {'type': 'array', 'items': FAULT_SCHEMA},
        'migration': migration.SETTINGS_SCHEMA,
        'migration_tasks': {'type': 'array', 'items': migration.TASK_SCHEMA},
        'task_groups': {'type': 'array', 'items': migration.GROUP_SCHEMA},
        'obs': obs.SETTINGS_SCHEMA,
    },
}

_SCENARIO_VALIDATOR = jsonschema.Draft7Validator(SCENARIO_SCHEMA)


class ScenarioError(ValueError):
    """A scenario that cannot be loaded, with the place that is wrong."""


def load_file(path):
    """Read a scenario file and return its checked, still unresolved, data."""
    loader = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)
    try:
        with open(path, 'r', encoding='utf-8') as handle:
            data = yaml.load(handle, Loader=loader)  # nosec: safe loader
    except OSError as exc:
        raise ScenarioError('cannot read scenario %s: %s' % (path, exc))
    except yaml.YAMLError as exc:
        raise ScenarioError('scenario %s is not valid YAML: %s' % (path, exc))
    return check(data or {}, str(path))


def check(data, origin='scenario'):
    """Validate scenario data against SCENARIO_SCHEMA and the time expressions."""
    errors = sorted(_SCENARIO_VALIDATOR.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = '/'.join(str(p) for p in first.absolute_path) or '(top level)'
        raise ScenarioError('%s: %s: %s' % (origin, where, first.message))
    _check_times(data, origin)
    gen = data.get('generate') or {}
    if gen:
        seed = gen.get('seed', data.get('seed', 0))
        data = dict(data)
        data['sync_tasks'] = list(data.get('sync_tasks') or []) + generate.make_sync_tasks(gen.get('sync_tasks', 0), seed=seed)
        data['datasets'] = list(data.get('datasets') or []) + generate.make_datasets(gen.get('datasets', 0), seed=seed)
        tasks, groups = migration.make_migration(gen.get('migration_tasks', 0), gen.get('task_groups', 0), seed)
        data['migration_tasks'] = list(data.get('migration_tasks') or []) + tasks
        data['task_groups'] = list(data.get('task_groups') or []) + groups
    return data


def _check_times(data, origin):
    try:
        for key in ('token_lifetime',):
            if key in (data.get('iam') or {}):
                parse_duration_ms(data['iam'][key])
        for key in ('max_clock_skew', 'lockout_duration'):
            if key in (data.get('auth') or {}):
                parse_duration_ms(data['auth'][key])
        stats = data.get('statistics') or {}
        if 'hourly_above' in stats:
            parse_duration_ms(stats['hourly_above'])
        if stats.get('max_window') is not None:
            parse_duration_ms(stats['max_window'])
        for task in data.get('sync_tasks') or []:
            for key in ('create_time', 'last_start_time'):
                if task.get(key) is not None:
                    parse_time_ms(task[key], 0)
            series = task.get('series') or {}
            for key in ('start', 'end'):
                if series.get(key) is not None:
                    parse_time_ms(series[key], 0)
            for window in list(series.get('bursts') or []) + list(series.get('gaps') or []):
                for key in ('start', 'end'):
                    if window.get(key) is not None:
                        parse_time_ms(window[key], 0)
        for dataset in data.get('datasets') or []:
            if dataset.get('advance_every') is not None:
                parse_duration_ms(dataset['advance_every'])
            if dataset.get('create_time') is not None:
                parse_time_ms(dataset['create_time'], 0)
        migration.check_entries(data.get('migration_tasks') or [], data.get('task_groups') or [])
        for token in (data.get('credentials') or {}).get('tokens') or []:
            if token.get('expires_at') is not None:
                parse_time_ms(token['expires_at'], 0)
    except (TimeExprError, ValueError) as exc:
        raise ScenarioError('%s: %s' % (origin, exc))
