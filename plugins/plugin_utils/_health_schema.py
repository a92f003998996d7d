# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The JSON Schema of the ``migration_health`` fact, and its validation.

The schema is kept here, inside the collection, so an installed collection can
check a fact before writing it; ``docs/migration_health_fact.schema.json`` is the
same document (a unit test keeps the two equal).
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json

FACT_SCHEMA = json.loads(r'''
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://example.invalid/hwcloud/migration/docs/migration_health_fact.schema.json",
  "title": "migration_health fact",
  "description": "The fact set by the hwcloud.migration.migration_health role (and written to migration-health.json). Produced by plugins/plugin_utils/_health_evaluate.py, behind the hwcloud.migration.migration_health_evaluate filter and the hwcloud.migration.migration_health_report action. The action validates every fact against this schema (shipped as plugins/plugin_utils/_health_schema.py) before writing a report.",
  "type": "object",
  "additionalProperties": false,
  "required": [
    "schema_version",
    "healthy",
    "verdict",
    "evaluated_at_ms",
    "evaluated_at",
    "window",
    "selection",
    "thresholds",
    "skip_checks",
    "counts",
    "sync_tasks",
    "datasets",
    "checks",
    "violations"
  ],
  "properties": {
    "schema_version": {
      "const": 1,
      "description": "Bumped on any incompatible change of this shape."
    },
    "healthy": {
      "type": "boolean",
      "description": "True when no check failed (skipped checks count as passed)."
    },
    "verdict": {
      "enum": [
        "HEALTHY",
        "UNHEALTHY",
        "ERROR"
      ],
      "description": "ERROR is reserved for a gate that could not be evaluated; the reports are still written."
    },
    "evaluated_at_ms": {
      "$ref": "#/$defs/epoch_ms",
      "description": "Reference time for ages, epoch milliseconds."
    },
    "evaluated_at": {
      "$ref": "#/$defs/iso"
    },
    "window": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "duration",
        "duration_ms",
        "start_time",
        "end_time",
        "start",
        "end"
      ],
      "properties": {
        "duration": {
          "type": "string",
          "description": "migration_health_window as given, e.g. 1h."
        },
        "duration_ms": {
          "type": "integer",
          "minimum": 1
        },
        "start_time": {
          "$ref": "#/$defs/epoch_ms"
        },
        "end_time": {
          "$ref": "#/$defs/epoch_ms"
        },
        "start": {
          "$ref": "#/$defs/iso"
        },
        "end": {
          "$ref": "#/$defs/iso"
        }
      }
    },
    "selection": {
      "enum": [
        "all",
        "list"
      ],
      "description": "all: every sync task of the project was gated."
    },
    "thresholds": {
      "$ref": "#/$defs/thresholds",
      "description": "The role-wide defaults."
    },
    "skip_checks": {
      "type": "array",
      "items": {
        "$ref": "#/$defs/check_id"
      },
      "description": "Check ids switched off by migration_health_skip_checks: still evaluated, reported as passed and skipped."
    },
    "counts": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "sync_tasks",
        "sync_tasks_unhealthy",
        "datasets",
        "datasets_unhealthy",
        "checks",
        "checks_passed",
        "checks_failed",
        "checks_skipped"
      ],
      "properties": {
        "sync_tasks": {
          "$ref": "#/$defs/count"
        },
        "sync_tasks_unhealthy": {
          "$ref": "#/$defs/count"
        },
        "datasets": {
          "$ref": "#/$defs/count"
        },
        "datasets_unhealthy": {
          "$ref": "#/$defs/count"
        },
        "checks": {
          "$ref": "#/$defs/count"
        },
        "checks_passed": {
          "$ref": "#/$defs/count",
          "description": "Includes skipped checks."
        },
        "checks_failed": {
          "$ref": "#/$defs/count"
        },
        "checks_skipped": {
          "$ref": "#/$defs/count"
        }
      }
    },
    "sync_tasks": {
      "type": "array",
      "items": {
        "$ref": "#/$defs/sync_task"
      }
    },
    "datasets": {
      "type": "array",
      "items": {
        "$ref": "#/$defs/dataset"
      }
    },
    "checks": {
      "type": "array",
      "items": {
        "$ref": "#/$defs/check"
      }
    },
    "violations": {
      "type": "array",
      "description": "One line per failed check: kind, subject, check id, observed, threshold, message.",
      "items": {
        "type": "string",
        "pattern": "^[^\\n]*$"
      }
    }
  },
  "$defs": {
    "count": {
      "type": "integer",
      "minimum": 0
    },
    "optional_count": {
      "type": [
        "integer",
        "null"
      ],
      "minimum": 0
    },
    "ratio": {
      "type": [
        "number",
        "null"
      ],
      "minimum": 0
    },
    "epoch_ms": {
      "type": "integer",
      "minimum": 0
    },
    "iso": {
      "type": "string",
      "pattern": "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$"
    },
    "statuses": {
      "type": "array",
      "items": {
        "type": "string"
      },
      "minItems": 1
    },
    "points": {
      "type": "array",
      "description": "Buckets as [time_stamp (epoch ms, bucket start), statistic_num], oldest first; empty buckets omitted as the API does.",
      "items": {
        "type": "array",
        "prefixItems": [
          {
            "$ref": "#/$defs/epoch_ms"
          },
          {
            "$ref": "#/$defs/count"
          }
        ],
        "minItems": 2,
        "maxItems": 2
      }
    },
    "thresholds": {
      "type": "object",
      "additionalProperties": false,
      "description": "A null threshold disables its check.",
      "properties": {
        "allowed_task_statuses": {
          "$ref": "#/$defs/statuses"
        },
        "max_window_failure_ratio": {
          "type": [
            "number",
            "null"
          ],
          "minimum": 0,
          "maximum": 1
        },
        "max_window_failed_objects": {
          "$ref": "#/$defs/optional_count"
        },
        "max_monthly_failure_ratio": {
          "type": [
            "number",
            "null"
          ],
          "minimum": 0,
          "maximum": 1
        },
        "max_stall_age": {
          "type": [
            "string",
            "null"
          ]
        },
        "max_stall_age_ms": {
          "type": [
            "integer",
            "null"
          ],
          "minimum": 1
        },
        "allowed_dataset_statuses": {
          "$ref": "#/$defs/statuses"
        }
      }
    },
    "sync_task": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "id",
        "found",
        "healthy",
        "status",
        "src_bucket",
        "dst_bucket",
        "description",
        "statistic_time_type",
        "window_request_total",
        "window_success_total",
        "window_failure_total",
        "window_skip_total",
        "window_failure_ratio",
        "window_failed_objects",
        "bytes_synchronized",
        "monthly_acceptance_request",
        "monthly_success_object",
        "monthly_failure_object",
        "monthly_skip_object",
        "monthly_size",
        "monthly_failure_ratio",
        "last_success_time",
        "last_success",
        "last_success_age_ms",
        "last_success_age",
        "series",
        "thresholds",
        "overridden",
        "failed_checks"
      ],
      "properties": {
        "id": {
          "type": "string"
        },
        "found": {
          "type": "boolean",
          "description": "False when the task does not exist; its observed values are then null."
        },
        "healthy": {
          "type": "boolean"
        },
        "status": {
          "type": [
            "string",
            "null"
          ],
          "description": "SYNCHRONIZING or STOPPED; null when not found."
        },
        "src_bucket": {
          "type": [
            "string",
            "null"
          ]
        },
        "dst_bucket": {
          "type": [
            "string",
            "null"
          ]
        },
        "description": {
          "type": [
            "string",
            "null"
          ]
        },
        "statistic_time_type": {
          "type": [
            "string",
            "null"
          ],
          "description": "FIVE_MINUTES or ONE_HOUR; null without statistics."
        },
        "window_request_total": {
          "$ref": "#/$defs/optional_count"
        },
        "window_success_total": {
          "$ref": "#/$defs/optional_count"
        },
        "window_failure_total": {
          "$ref": "#/$defs/optional_count"
        },
        "window_skip_total": {
          "$ref": "#/$defs/optional_count"
        },
        "window_failure_ratio": {
          "$ref": "#/$defs/ratio",
          "description": "FAILURE / REQUEST over the window; null without requests."
        },
        "window_failed_objects": {
          "$ref": "#/$defs/optional_count"
        },
        "bytes_synchronized": {
          "$ref": "#/$defs/optional_count"
        },
        "monthly_acceptance_request": {
          "$ref": "#/$defs/optional_count"
        },
        "monthly_success_object": {
          "$ref": "#/$defs/optional_count"
        },
        "monthly_failure_object": {
          "$ref": "#/$defs/optional_count"
        },
        "monthly_skip_object": {
          "$ref": "#/$defs/optional_count"
        },
        "monthly_size": {
          "$ref": "#/$defs/optional_count"
        },
        "monthly_failure_ratio": {
          "$ref": "#/$defs/ratio",
          "description": "monthly_failure_object / monthly_acceptance_request; null when no requests this month."
        },
        "last_success_time": {
          "type": [
            "integer",
            "null"
          ],
          "minimum": 0,
          "description": "Start of the newest SUCCESS bucket with a count in the window."
        },
        "last_success": {
          "oneOf": [
            {
              "$ref": "#/$defs/iso"
            },
            {
              "type": "null"
            }
          ]
        },
        "last_success_age_ms": {
          "type": [
            "integer",
            "null"
          ],
          "minimum": 0,
          "description": "evaluated_at_ms minus the END of the newest SUCCESS bucket, at least 0."
        },
        "last_success_age": {
          "type": [
            "string",
            "null"
          ]
        },
        "series": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "REQUEST",
            "SUCCESS",
            "FAILURE"
          ],
          "properties": {
            "REQUEST": {
              "$ref": "#/$defs/points"
            },
            "SUCCESS": {
              "$ref": "#/$defs/points"
            },
            "FAILURE": {
              "$ref": "#/$defs/points"
            }
          }
        },
        "thresholds": {
          "$ref": "#/$defs/thresholds",
          "description": "Effective thresholds for this task (defaults plus overrides)."
        },
        "overridden": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "failed_checks": {
          "type": "array",
          "items": {
            "$ref": "#/$defs/check_id"
          }
        },
        "series_downsampled": {
          "type": "boolean",
          "description": "True when the series keep, per chart pixel column, only the lowest and highest bucket (empty buckets then appear as zeros); false or absent when they hold every non-empty bucket the API returned (migration_health_full_series: true, or a series short enough already)."
        }
      }
    },
    "dataset": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "id",
        "found",
        "healthy",
        "status",
        "error_code",
        "error_msg",
        "finished",
        "succeeded",
        "task_id",
        "total_sample_count",
        "thresholds",
        "overridden",
        "failed_checks"
      ],
      "properties": {
        "id": {
          "type": "string"
        },
        "found": {
          "type": "boolean"
        },
        "healthy": {
          "type": "boolean"
        },
        "status": {
          "type": [
            "string",
            "null"
          ],
          "description": "QUEUING, STARTING, RUNNING, COMPLETED, FAILED or NOT_EXIST; null when not found."
        },
        "error_code": {
          "type": [
            "string",
            "null"
          ]
        },
        "error_msg": {
          "type": [
            "string",
            "null"
          ]
        },
        "finished": {
          "type": [
            "boolean",
            "null"
          ]
        },
        "succeeded": {
          "type": [
            "boolean",
            "null"
          ]
        },
        "task_id": {
          "type": [
            "string",
            "null"
          ]
        },
        "total_sample_count": {
          "$ref": "#/$defs/optional_count"
        },
        "thresholds": {
          "$ref": "#/$defs/thresholds"
        },
        "overridden": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "failed_checks": {
          "type": "array",
          "items": {
            "$ref": "#/$defs/check_id"
          }
        }
      }
    },
    "check_id": {
      "enum": [
        "task-found",
        "task-status",
        "window-statistics",
        "window-failure-ratio",
        "window-failed-objects",
        "monthly-failure-ratio",
        "stall",
        "dataset-found",
        "dataset-status"
      ]
    },
    "check": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "id",
        "subject",
        "kind",
        "observed",
        "threshold",
        "passed",
        "skipped",
        "message",
        "observed_display",
        "threshold_display"
      ],
      "properties": {
        "id": {
          "$ref": "#/$defs/check_id",
          "description": "Unique per subject."
        },
        "subject": {
          "type": "string",
          "description": "The sync task id or dataset id."
        },
        "kind": {
          "enum": [
            "sync_task",
            "dataset"
          ]
        },
        "observed": {
          "type": [
            "string",
            "number",
            "boolean",
            "null"
          ],
          "description": "Machine value: status, ratio, count, age in ms, or found (bool); null when there was nothing to observe."
        },
        "threshold": {
          "type": [
            "string",
            "number",
            "boolean",
            "array",
            "null"
          ],
          "description": "Machine value: allowed statuses, maximum ratio or count, maximum age in ms, or true for found; null when the check is disabled."
        },
        "passed": {
          "type": "boolean",
          "description": "Skipped checks are passed."
        },
        "skipped": {
          "type": "boolean",
          "description": "Not applicable (no requests) or disabled (null threshold)."
        },
        "message": {
          "type": "string",
          "pattern": "^[^\\n]*$",
          "minLength": 1
        },
        "observed_display": {
          "type": "string"
        },
        "threshold_display": {
          "type": "string"
        }
      }
    }
  }
}
''')


def _inline(node, definitions):
    """The schema with every local ``$ref`` replaced by its definition: validation runs about twice as fast."""
    if isinstance(node, dict):
        if set(node) <= set(('$ref', 'description')) and '$ref' in node:
            return _inline(definitions[node['$ref'].rsplit('/', 1)[-1]], definitions)
        return dict((key, _inline(value, definitions)) for key, value in node.items() if key != '$defs')
    if isinstance(node, list):
        return [_inline(value, definitions) for value in node]
    return node


_VALIDATORS = {}


def _validator(schema):
    import jsonschema  # a runtime dependency of the collection; imported late so the filters load without it

    if 'fact' not in _VALIDATORS:
        _VALIDATORS['fact'] = jsonschema.Draft202012Validator(_inline(schema, schema.get('$defs') or {}))
        _VALIDATORS['points'] = jsonschema.Draft202012Validator(
            _inline(schema['$defs']['points'], schema.get('$defs') or {}))
    return _VALIDATORS['fact'], _VALIDATORS['points']


def _is_whole(value, minimum):
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def _plain_points(points):
    """True when ``points`` certainly matches ``$defs/points`` (the common case, checked without jsonschema)."""
    if not isinstance(points, list):
        return False
    for point in points:
        if not (isinstance(point, list) and len(point) == 2 and _is_whole(point[0], 0) and _is_whole(point[1], 0)):
            return False
    return True


def _path(prefix, error):
    path = prefix
    for part in error.absolute_path:
        path += '[%d]' % part if isinstance(part, int) else '.%s' % part
    return path


def fact_errors(fact, limit=5):
    """Up to ``limit`` problems of ``fact`` against the schema, each ``<field path>: <what is wrong>``.

    The statistics series (most of a large fact) are checked point by point in
    Python first; jsonschema sees them only when one is wrong, to say how.
    """
    fact_validator, points_validator = _validator(FACT_SCHEMA)
    errors = []
    shallow = fact
    tasks = fact.get('sync_tasks') if isinstance(fact, dict) else None
    if isinstance(tasks, list):
        shallow = dict(fact)
        shallow['sync_tasks'] = []
        for index, task in enumerate(tasks):
            series = task.get('series') if isinstance(task, dict) else None
            if isinstance(series, dict):
                light = {}
                for data_type, points in series.items():
                    if _plain_points(points):
                        light[data_type] = []
                        continue
                    light[data_type] = points if not isinstance(points, list) else []
                    if isinstance(points, list):
                        prefix = 'health.sync_tasks[%d].series.%s' % (index, data_type)
                        errors.extend('%s: %s' % (_path(prefix, error), error.message[:300])
                                      for error in points_validator.iter_errors(points))
                task = dict(task, series=light)
            shallow['sync_tasks'].append(task)
    found = sorted(fact_validator.iter_errors(shallow), key=lambda error: list(error.absolute_path))
    errors.extend('%s: %s' % (_path('health', error), error.message[:300]) for error in found)
    return errors[:limit]
