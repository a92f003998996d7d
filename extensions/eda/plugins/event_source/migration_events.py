# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Event-Driven Ansible source ``hwcloud.migration.migration_events``: migration state changes as events.

A thin door: the arguments are checked by ``plugin_utils/_events/settings``,
each poll (the gate's reads and evaluation) is ``plugin_utils/_events/poller``
run in a thread, and the events come from ``plugin_utils/_events/tracker``.
"""

import asyncio
import logging
import os
import sys
from typing import Any, Dict

DOCUMENTATION = r"""
---
short_description: Events from the state of Huawei Cloud OMS migrations and ModelArts dataset syncs.
description:
  - Polls the reads the C(hwcloud.migration.migration_health) gate makes (OMS sync tasks and their statistics,
    ModelArts dataset syncs, OMS migration tasks and task groups) every O(interval) seconds, with the collection's
    own client, and puts one event on the queue per change.
  - Every event has C(kind) (C(sync_task), C(dataset), C(migration_task), C(task_group), C(gate) or C(source)),
    C(id), C(event), C(previous), C(current), C(summary) (the gate's observed values of the resource) and the
    time (C(time), ISO 8601 UTC, and C(time_ms)).
  - C(event) is one of C(observed) (the first poll, one per resource and one for the gate's verdict, unless
    O(initial_events=false); also a resource that appears later), C(status_changed) (status and status name before
    and after), C(failed_objects_increased) (C(by) how many, and the C(failed_object_list) key in the destination
    bucket), C(stalled) and C(recovered), C(deadline_at_risk) and C(deadline_ok), C(deleted), C(read_failed) and
    C(read_recovered), C(verdict_changed) (the gate's verdict over the same reads, C(HEALTHY), C(UNHEALTHY) or
    C(ERROR)).
  - Fail closed and nothing lost. A read that fails is a C(read_failed) event, never the end of the source; the
    resource keeps its last known state, so what changed meanwhile shows on the next poll that reads it. After a
    failed poll the next waits longer, doubling up to O(max_backoff). A resource is C(deleted) only when the service
    answers that it does not exist, or a complete listing (V(all)) no longer holds it.
  - The connection options are those of the modules, with the same environment variables and checks (see the
    C(hwcloud.migration.huaweicloud) documentation fragment). No credential appears in an event or a log line.
  - No template reaches a playbook. ansible-rulebook hands an event to a playbook as extra vars, which Ansible
    templates, so every text of C(previous), C(current) and C(summary) (names, descriptions, error reasons, object
    keys, dictionary keys) is defanged before it is put on the queue, by one rule. A space follows every C({) that
    opens a Jinja delimiter, so C({{), C({%) and C({#) become C({ {), C({ %) and C({ #) and nothing else changes.
  - C(id) is the resource's id only when it is one the modules accept for its kind (a migration task's is a whole
    number, a sync task's, a dataset's or a task group's 1 to 255 characters without control characters) and holds
    no Jinja opener; otherwise it is V(null), and the summary still shows the text, defanged.
options:
  sync_tasks:
    description: OMS sync task ids to watch, or V(all) for every sync task of the project.
    type: raw
  datasets:
    description: A list of ModelArts dataset ids whose sync to watch.
    type: raw
  migration_tasks:
    description: OMS migration task ids to watch, or V(all) for every migration task of the project.
    type: raw
  task_groups:
    description: OMS task group ids to watch, or V(all) for every task group of the project.
    type: raw
  interval:
    description: Seconds between two polls (V(0) polls again at once).
    type: float
    default: 60
  deadline:
    description:
      - The cutover, an ISO 8601 time with a zone, or a time from the start of the source such as V(+6h).
      - A running migration task or group whose ETA passes it is C(deadline_at_risk).
    type: str
  max_stall_age:
    description:
      - How long a running resource may go without one more successful object before it is C(stalled)
        (a sync task by the gate's stall check, a migration task or group by its count of successful objects).
      - V(null) switches the stall events off.
    type: str
    default: 30m
  initial_events:
    description: Whether the first poll emits one C(observed) event per resource and one for the verdict.
    type: bool
    default: true
  max_backoff:
    description: The longest wait in seconds between polls after failed polls (never shorter than O(interval)).
    type: float
    default: 600
  max_polls:
    description: Stop after this many polls (tests and bounded runs); without it the source runs until cancelled.
    type: int
  region:
    description: The region id, such as V(cn-north-4) (or C(HW_REGION_NAME)).
    type: str
  project_id:
    description: The project id (or C(HUAWEICLOUD_SDK_PROJECT_ID), C(HW_PROJECT_ID)); looked up from the region once when absent.
    type: str
  access_key:
    description: The access key (or C(HUAWEICLOUD_SDK_AK), C(HW_ACCESS_KEY)).
    type: str
  secret_key:
    description: The secret key (or C(HUAWEICLOUD_SDK_SK), C(HW_SECRET_KEY)); better in the environment than in a rulebook.
    type: str
  security_token:
    description: The security token of temporary keys (or C(HUAWEICLOUD_SDK_SECURITY_TOKEN), C(HW_SECURITY_TOKEN)).
    type: str
  auth_token:
    description: An IAM token, instead of keys.
    type: str
  username:
    description: An IAM user name, with O(password) and O(domain_name), instead of keys.
    type: str
  password:
    description: The IAM user's password.
    type: str
  domain_name:
    description: The IAM user's account (domain) name.
    type: str
  endpoint:
    description: The service endpoint URL, instead of the one made from O(region) and O(cloud) (the emulator, a private cloud).
    type: str
  iam_endpoint:
    description: The IAM endpoint URL (or C(HUAWEICLOUD_SDK_IAM_ENDPOINT), C(HW_AUTH_URL)).
    type: str
  cloud:
    description: The cloud's domain name (or C(HW_CLOUD)).
    type: str
    default: myhuaweicloud.com
  validate_certs:
    description: Whether the TLS certificates of the endpoints are checked.
    type: bool
    default: true
  ca_path:
    description: A CA bundle for the endpoints' certificates.
    type: path
  timeout:
    description: Seconds one request may take.
    type: float
    default: 30
  retries:
    description: How often a failed read is sent again before the poll reports it (or C(HW_MAX_RETRIES)).
    type: int
    default: 4
  max_concurrency:
    description: Requests in flight at once in one poll.
    type: int
    default: 8
  rate_limit:
    description: Requests per second at most (none when absent).
    type: float
  max_response_bytes:
    description: The largest answer read.
    type: int
    default: 33554432
"""

EXAMPLES = r"""
- name: React to migration events
  hosts: localhost
  sources:
    - hwcloud.migration.migration_events:
        migration_tasks: all
        task_groups: all
        deadline: "2026-12-24T06:00:00Z"
        interval: 60
        region: cn-north-4
  rules:
    - name: A migration task failed
      condition: event.kind == "migration_task" and event.event == "status_changed" and event.current.status_name == "failed"
      action:
        debug:
"""

LOG = logging.getLogger(__name__)


def _import_collection():
    """The collection's own code; ansible-rulebook runs this file by path, so its collections root may not be importable yet."""
    try:
        from ansible_collections.hwcloud.migration.plugins.plugin_utils._events import poller, settings
    except ImportError:
        here = os.path.abspath(__file__)
        parts = here.split(os.sep)
        if 'ansible_collections' not in parts:
            raise
        root = os.sep.join(parts[: len(parts) - 1 - parts[::-1].index('ansible_collections')]) or os.sep
        if root not in sys.path:
            sys.path.append(root)
        from ansible_collections.hwcloud.migration.plugins.plugin_utils._events import poller, settings
    return poller, settings


async def main(queue: asyncio.Queue, args: Dict[str, Any]) -> None:
    """Poll until cancelled (or ``max_polls``), putting each poll's events on ``queue`` in order."""
    poller_module, settings_module = _import_collection()
    from ansible_collections.hwcloud.migration.plugins.module_utils._timeexpr import now_ms

    # A wrong argument ends the source here, before any request, with a message naming it.
    settings = settings_module.watch_settings(args, now=now_ms())
    watch = poller_module.Poller(settings)
    while True:
        # The reads block: a thread keeps the rulebook's event loop free.
        events = await asyncio.to_thread(watch.poll)
        for event in events:
            await queue.put(event)
        if settings.max_polls is not None and watch.polls >= settings.max_polls:
            return
        await asyncio.sleep(watch.delay())
