# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The arguments of the event source ``hwcloud.migration.migration_events``, checked before the first request.

The source takes what it watches (``sync_tasks``, ``datasets``,
``migration_tasks``, ``task_groups``), how (``interval``, ``deadline``,
``max_stall_age``, ``initial_events``, ``max_backoff``, ``max_polls``) and the
modules' connection options under their names, with the same environment
fallbacks.  Everything goes through the checks the modules make:

* the arguments are typed and defaulted by Ansible's own argument-spec
  validator over the modules' specs (``common_argument_spec()`` and the
  ``migration_state_info`` parts), so an environment variable is read the same
  way and each read gets exactly the options its module would;
* the connection options pass ``validate_common_params`` and
  ``resolve_auth_mode``, as in the module base;
* the selection and thresholds become the gate's policy (``normalise_policy``),
  whose read plan says what each poll reads.

A wrong argument raises :class:`WatchSettingsError` naming it; an unknown one
names the closest known argument.  Pure apart from reading the environment.
"""

import difflib
import math
from dataclasses import dataclass
from typing import Any, Dict, FrozenSet, Mapping, Optional

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.hwcloud.migration.plugins.module_utils._api.options import OptionError, common_argument_spec, resolve_auth_mode, validate_common_params
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.base import INFO_ARGUMENT_SPEC
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.bundle import argument_spec as read_argument_spec
from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import ms_to_iso
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import MigrationHealthError
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.deadline import parse_deadline
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.policy import normalise_policy

SOURCE_NAME = 'hwcloud.migration.migration_events'
SELECTIONS = ('sync_tasks', 'datasets', 'migration_tasks', 'task_groups')
# (lowest, highest) of the numeric arguments, in seconds or polls.
RANGES = {'interval': (0.0, 86400.0), 'max_backoff': (0.0, 3600.0), 'max_polls': (1, 10**9)}

SOURCE_ARGUMENT_SPEC = dict(
    sync_tasks=dict(type='raw'),
    datasets=dict(type='raw'),
    migration_tasks=dict(type='raw'),
    task_groups=dict(type='raw'),
    interval=dict(type='float', default=60.0),
    deadline=dict(type='str'),
    max_stall_age=dict(type='str', default='30m'),
    initial_events=dict(type='bool', default=True),
    max_backoff=dict(type='float', default=600.0),
    max_polls=dict(type='int'),
)


class WatchSettingsError(ValueError):
    """An argument of the event source that cannot be used; the message names it and says what to write."""


@dataclass(frozen=True)
class WatchSettings:
    """What the source watches and how: the gate's ``policy``, the module ``params`` of each poll, the timing.

    ``params`` are the connection options plus one entry per read of the
    policy's read plan, typed and defaulted as ``migration_state_info`` has
    them; ``secrets`` the values never to show (every ``no_log`` option set);
    ``deadline_ms`` the cutover (None without one).
    """

    policy: Dict[str, Any]
    params: Dict[str, Any]
    secrets: FrozenSet[str]
    interval: float
    max_backoff: float
    max_polls: Optional[int]
    initial_events: bool
    max_stall_age_ms: Optional[int]
    deadline_ms: Optional[int]


def _unknown_message(names, known):
    hints = []
    for name in sorted(names):
        close = difflib.get_close_matches(name, known, n=1)
        hints.append('%r%s' % (name, ' (did you mean %s?)' % close[0] if close else ''))
    return '%s: unknown argument%s %s; the arguments are %s.' % (SOURCE_NAME, 's' if len(hints) > 1 else '', ', '.join(hints), ', '.join(sorted(known)))


def _check_range(name, value):
    low, high = RANGES[name]
    if value is None:
        return
    if isinstance(value, float) and not math.isfinite(value) or not low <= value <= high:
        raise WatchSettingsError('%s: %s must be from %s to %s, got %s.' % (SOURCE_NAME, name, low, high, value))


def _absolute_deadline(value, now):
    """The cutover as an absolute time: a relative deadline (``+6h``) counts from the start of the watch."""
    if value is None:
        return None, None
    try:
        parsed = parse_deadline(value)
    except MigrationHealthError as exc:
        raise WatchSettingsError('%s: %s' % (SOURCE_NAME, exc))
    if parsed['deadline_offset_ms'] is not None:
        deadline_ms = now + parsed['deadline_offset_ms']
    else:
        deadline_ms = parsed['deadline_ms']
    return ms_to_iso(deadline_ms), deadline_ms


def watch_settings(args: Optional[Mapping[str, Any]], *, now: int) -> WatchSettings:
    """The checked settings of the source from its ``args`` (the rulebook's arguments); ``now`` in epoch ms.

    Raises :class:`WatchSettingsError` before any request is sent.
    """
    if args is None:
        args = {}
    if not isinstance(args, Mapping):
        raise WatchSettingsError('%s: the arguments must be a mapping, got %s.' % (SOURCE_NAME, type(args).__name__))
    connection_spec = common_argument_spec()
    source_spec = dict(connection_spec, **SOURCE_ARGUMENT_SPEC)
    unknown = [name for name in args if name not in source_spec]
    if unknown:
        raise WatchSettingsError(_unknown_message(unknown, list(source_spec)))
    # A connection option given as null is one not given (its environment variable and default apply), as a
    # module option left out with omit: a rulebook can pass the options its variables have, and only those.
    args = {name: value for name, value in args.items() if value is not None or name not in connection_spec}
    checked = ArgumentSpecValidator(source_spec).validate(dict(args))
    if checked.error_messages:
        # The validator's messages name the argument and the type it wants; never a value of a no_log option.
        raise WatchSettingsError('%s: %s' % (SOURCE_NAME, '; '.join(checked.error_messages)))
    values = checked.validated_parameters
    for name in RANGES:
        _check_range(name, values[name])

    deadline, deadline_ms = _absolute_deadline(values['deadline'], now)
    settings = {name: values[name] for name in SELECTIONS if values[name] is not None}
    if isinstance(settings.get('datasets'), str):
        raise WatchSettingsError('%s: datasets must be a list of dataset ids; ModelArts has no listing to watch "all" datasets by.' % SOURCE_NAME)
    # null switches the stalls off; the validator would make it an empty text (ansible-core 2.19 and later).
    max_stall_age = None if 'max_stall_age' in args and args['max_stall_age'] is None else values['max_stall_age']
    settings.update(deadline=deadline, max_stall_age=max_stall_age)
    try:
        policy = normalise_policy(settings)
    except MigrationHealthError as exc:
        raise WatchSettingsError('%s: %s' % (SOURCE_NAME, exc))

    connection = {name: values[name] for name in connection_spec}
    try:
        validate_common_params(connection)
        resolve_auth_mode(connection)
    except OptionError as exc:
        raise WatchSettingsError('%s: %s' % (SOURCE_NAME, exc))

    # Each read's options typed and defaulted by the spec migration_state_info gives them.
    plan = policy['read_plan']
    module_spec = dict(connection_spec, **read_argument_spec())
    module_spec.update(INFO_ARGUMENT_SPEC)
    typed = ArgumentSpecValidator(module_spec).validate(dict(connection, **plan))
    if typed.error_messages:
        raise WatchSettingsError('%s: %s' % (SOURCE_NAME, '; '.join(typed.error_messages)))
    params = typed.validated_parameters
    # The plan names only the reads it needs; the others stay None, as in a module call without them.
    secrets = frozenset(value for value in checked._no_log_values | typed._no_log_values if isinstance(value, str) and value)
    return WatchSettings(
        policy=policy,
        params=params,
        secrets=secrets,
        interval=float(values['interval']),
        max_backoff=float(values['max_backoff']),
        max_polls=values['max_polls'],
        initial_events=values['initial_events'],
        max_stall_age_ms=policy['thresholds'].get('max_stall_age_ms'),
        deadline_ms=deadline_ms,
    )


def backoff_delay(settings: WatchSettings, failed_polls: int) -> float:
    """Seconds to wait before the next poll after ``failed_polls`` failed polls in a row (0: none failed).

    The interval while reads succeed; after failures it doubles from the
    interval (at least 1 s) up to ``max_backoff``, and is never shorter than
    the interval: a dead endpoint is asked less often, never more.
    """
    if failed_polls <= 0:
        return settings.interval
    grown = max(settings.interval, 1.0) * 2 ** min(failed_polls - 1, 20)
    return max(settings.interval, min(settings.max_backoff, grown))
