# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Several reads in one module call (``migration_state_info``).

A gate reads five kinds of resources.  As five module calls, each pays for a
process, the module's imports and (without ``project_id``) an IAM project
lookup, and each waits for the one before.  Here every requested read (a
:class:`.base.Read`, the same code the single modules run) is one *part*: the
parts run in threads of one process, share one session, one set of
credentials and one project lookup, and all their requests together stay
within one ``max_concurrency`` (a semaphore around each request).

Each part has its own :class:`.base.ReadContext` and ends as its module would:
with its result, or failed with its message, ``errors`` and the API's details.
One part failing never stops another; the call fails after every part has
ended, carrying every part's result, so the gate evaluates what was read and
names what was not.
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, Optional, Tuple

from ansible_collections.hwcloud.migration.plugins.module_utils._api.client import HuaweiCloudClient
from ansible_collections.hwcloud.migration.plugins.module_utils._api.options import OptionError
from ansible_collections.hwcloud.migration.plugins.module_utils._reads import names
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.base import Read, ReadContext, ReadError, finished_result
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.datasets import DATASET_SYNCS
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.failed_objects import FAILED_OBJECTS, read_failed_objects
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.migration import MIGRATION_TASKS, TASK_GROUPS
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.sync_tasks import SYNC_TASK_STATISTICS, SYNC_TASKS, task_ids

_BY_NAME = {read.name: read for read in (SYNC_TASKS, SYNC_TASK_STATISTICS, DATASET_SYNCS, MIGRATION_TASKS, TASK_GROUPS, FAILED_OBJECTS)}
# The parts, in the order of the result (the order of the read-name registry); each option is named after its read.
READS = tuple(_BY_NAME[name] for name in names.READ_NAMES)
MODULE_OF = {read.name: read.module for read in names.READS}
# Options of the statistics part that name its tasks; without them it reads the tasks sync_task_info found.
_STATISTICS_IDS = ('sync_task_id', 'sync_task_ids')
# Options of the failed-object part that name its subjects; without them it reads those of the other parts.
_FAILED_OBJECT_IDS = ('task_ids', 'group_ids', 'sync_task_ids', 'list_failed')
# The parts whose subjects the failed-object part reads: (part, items, id key, kind, failed-object count field).
_FAILING_FROM = (
    (MIGRATION_TASKS.name, 'migration_tasks', 'id', 'migration_task', 'failed_num'),
    (TASK_GROUPS.name, 'task_groups', 'group_id', 'task_group', 'fail_num'),
    (SYNC_TASKS.name, 'sync_tasks', 'sync_task_id', 'sync_task', 'monthly_failure_object'),
)


def has_failed_objects(body: Any, count_field: str) -> bool:
    """Whether a subject's answer says objects failed, or cannot say (fail closed: its list is read)."""
    count = body.get(count_field) if isinstance(body, dict) else None
    return not (isinstance(count, int) and not isinstance(count, bool) and count == 0)


def failing_subjects(results: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    """``{kind: {id: body}}``: the subjects the other parts returned that have (or may have) failed objects."""
    known: Dict[str, Dict[str, Any]] = {}
    for part, items, id_key, kind, count_field in _FAILING_FROM:
        bodies = (results.get(part) or {}).get(items)
        for body in bodies if isinstance(bodies, list) else []:
            ident = body.get(id_key) if isinstance(body, dict) else None
            if isinstance(ident, bool) or not isinstance(ident, (str, int)) or ident == '':
                continue  # the gate names an item without its id; there is no list to read for it
            if has_failed_objects(body, count_field):
                known.setdefault(kind, {})[ident] = body
    return known


def argument_spec() -> Dict[str, Any]:
    """The module's options: one ``dict`` per read whose sub-options are that read's own options."""
    return {read.name: dict(type='dict', options=read.argument_spec, mutually_exclusive=read.mutually_exclusive or None) for read in READS}


class StateRead:
    """The parts one ``migration_state_info`` call reads, and their results."""

    def __init__(self, module, clients: Optional[Dict[str, Any]] = None) -> None:
        self.module = module
        self.parts: Dict[str, Dict[str, Any]] = {}
        self.results: Dict[str, Dict[str, Any]] = {}
        self._clients = clients
        self._lock = threading.Lock()
        self.statistics_from_listing = False
        self.failed_objects_from_parts = False

    def check_options(self) -> Dict[str, Tuple[ReadContext, Any]]:
        """Every part's options, checked before the first request of any (fails the module naming the part)."""
        steps = {}
        for read in READS:
            options = self.module.params.get(read.name)
            if options is None:
                continue
            from_listing = read is SYNC_TASK_STATISTICS and self.module.params.get(SYNC_TASKS.name) is not None
            from_listing = from_listing and not any(options.get(name) is not None for name in _STATISTICS_IDS)
            if read is FAILED_OBJECTS and not any(options.get(name) for name in _FAILED_OBJECT_IDS):
                self.failed_objects_from_parts = any(self.module.params.get(part) is not None for part, *_rest in _FAILING_FROM)
            # What the argument spec cannot say: the ids a read requires (unless they come from the listing).
            for group in [] if from_listing else read.required_one_of:
                if all(options.get(name) is None for name in group):
                    self.module.fail_json(msg='%s: one of the following is required: %s' % (read.name, ', '.join(group)))
            self.parts[read.name] = dict(options)
            self.statistics_from_listing = self.statistics_from_listing or from_listing
            # The statistics of listed tasks are checked now with no ids, and read later with the listing's.
            context = self._context(read, {'sync_task_ids': []} if from_listing else None)
            try:
                if read is FAILED_OBJECTS and self.failed_objects_from_parts:
                    # Checked now with no subject; read later with those the other parts returned.
                    read_failed_objects(context, known={})
                    steps[read.name] = (context, None)
                    continue
                steps[read.name] = (context, read.prepare(context))
            except ReadError as refused:
                self.module.fail_json(msg='%s: %s' % (read.name, refused.result['msg']))
        if not self.parts:
            self.module.fail_json(msg='name at least one read: %s.' % ', '.join(read.name for read in READS))
        clients = self.clients()
        for context, _step in steps.values():
            context.client = clients[context.service]
        return steps

    def clients(self) -> Dict[str, Any]:
        """One client per service the parts need, sharing a session, credentials, a project lookup and a bound."""
        if self._clients is not None:
            return self._clients
        limiter = threading.BoundedSemaphore(int(self.module.params['max_concurrency']))
        try:
            first = HuaweiCloudClient(
                self.module.params, 'oms', user_agent=self.module.user_agent, limiter=limiter, secrets=getattr(self.module, 'no_log_values', None)
            )
        except OptionError as err:
            self.module.fail_json(msg=str(err))
        # A token that expires may be renewed once per read, as when each read was a module of its own.
        if hasattr(first.auth, 'max_renewals'):
            first.auth.max_renewals = max(first.auth.max_renewals, len(self.parts))
        clients = {'oms': first}
        for read in READS:
            if read.name in self.parts and read.service not in clients:
                clients[read.service] = first.for_service(read.service, limiter=limiter)
        self._clients = clients
        return clients

    def _context(self, read: Read, extra: Optional[Dict[str, Any]] = None) -> ReadContext:
        params = {key: value for key, value in self.module.params.items() if key not in MODULE_OF}
        params.update(self.parts[read.name])
        params.update(extra or {})
        return ReadContext(params, read.service, lambda warning: self.module.warn('%s: %s' % (read.name, warning)))

    def _finish_part(self, read: Read, context: ReadContext, step) -> Dict[str, Any]:
        try:
            failed, result = finished_result(context, step())
            if failed:
                result['failed'] = True
        except ReadError as err:
            result = dict(err.result, failed=True)
        except Exception as exc:  # a bug must not lose the other parts' results; the type only (no data in a message)
            message = '%s stopped on an unexpected %s; run the module %s alone to see it' % (read.name, type(exc).__name__, MODULE_OF[read.name])
            result = {'failed': True, 'msg': message}
        with self._lock:
            self.results[read.name] = result
        return result

    def _sync_chain(self, steps) -> None:
        tasks = self._finish_part(SYNC_TASKS, *steps[SYNC_TASKS.name])
        if self.statistics_from_listing:
            ids = task_ids(tasks.get('sync_tasks'))
            if not ids:
                return
            context = self._context(SYNC_TASK_STATISTICS, {'sync_task_ids': ids})
            context.client = self.clients()[context.service]

            def read_listed():
                # The same options passed their check with no ids; the ids come from the listing, already checked there.
                return SYNC_TASK_STATISTICS.prepare(context)()

            self._finish_part(SYNC_TASK_STATISTICS, context, read_listed)

    def run(self) -> Tuple[bool, Dict[str, Any]]:
        """Check every part's options, read every part concurrently; ``(failed, result)``."""
        steps = self.check_options()
        jobs = []
        for read in READS:
            if read.name not in steps:
                continue
            if read is SYNC_TASKS:
                jobs.append((self._sync_chain, (steps,)))
            elif read is SYNC_TASK_STATISTICS and self.statistics_from_listing:
                continue  # read by the sync chain
            elif not (read is FAILED_OBJECTS and self.failed_objects_from_parts):
                jobs.append((self._finish_part, (read,) + steps[read.name]))
        if jobs:
            with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
                for future in [pool.submit(job, *args) for job, args in jobs]:
                    future.result()
        if self.failed_objects_from_parts:
            self._failed_objects_of_parts(steps[FAILED_OBJECTS.name][0])
        return self.finish()

    def _failed_objects_of_parts(self, context: ReadContext) -> None:
        """The failed-object part without ids: once the other parts ended, the lists of their failing subjects."""
        known = failing_subjects(self.results)

        def read_known():
            # The same options passed their check with no subject; the subjects come from the answers just read.
            return read_failed_objects(context, known=known)()

        self._finish_part(FAILED_OBJECTS, context, read_known)

    def finish(self):
        """The module's result: each part's under its name, plus ``complete``, ``problems`` and, on failure, ``msg``."""
        parts = [(read.name, self.results[read.name]) for read in READS if read.name in self.results]
        failed = [name for name, part in parts if part.get('failed')]
        result = dict(parts, changed=False)
        result['problems'] = [dict(problem, read=name) for name, part in parts for problem in part.get('problems') or [] if isinstance(problem, dict)]
        result['complete'] = not failed and all(part.get('complete') is True for _name, part in parts)
        if failed:
            result['msg'] = 'Could not read everything (%s); every part that was read is in the result. %s' % (
                ', '.join(failed),
                ' '.join('%s: %s' % (name, self.results[name].get('msg')) for name in failed),
            )
        return bool(failed), result
