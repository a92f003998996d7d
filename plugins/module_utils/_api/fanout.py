# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Many reads at once: :func:`fetch_many` runs one function per distinct item on a bounded pool of threads.

It knows nothing about HTTP: the function does the call, and a
:class:`HuaweiCloudError` it raises takes the place of its result.  With
``fail_fast_after`` N, a service that failed N times in a row (no answer, 429
or 5xx, after each call's own retries) is not asked about the items left.
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Hashable, Iterable, List, Optional, Tuple

from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError, NotAttemptedError, ParameterError


def unique(items: Iterable[Hashable]) -> List[Hashable]:
    """``items`` without repeats, in the order of first appearance (items must be hashable)."""
    return list(dict.fromkeys(items))


def server_failure(err: BaseException) -> bool:
    """Whether ``err`` is the service (or the way to it) failing, not an answer about one resource."""
    return (
        isinstance(err, HuaweiCloudError)
        and not isinstance(err, (ParameterError, NotAttemptedError))
        and (err.status is None or err.status == 429 or err.status >= 500)
    )


def fetch_many(
    fn: Callable[[Any], Any],
    items: Iterable[Hashable],
    *,
    max_concurrency: int,
    fail_fast_after: Optional[int] = None,
    is_server_failure: Optional[Callable[[HuaweiCloudError], bool]] = None,
) -> List[Tuple[Any, Any]]:
    """Run ``fn(item)`` for each distinct item, at most ``max_concurrency`` at a time.

    Returns a list of ``(item, result)`` pairs, one per distinct item, in the
    order items first appear in ``items``.  When ``fn`` raises
    :class:`HuaweiCloudError`, the exception takes the place of the result
    (check with ``isinstance``); any other exception propagates.  Items
    must be hashable.

    With ``fail_fast_after`` N, once N items in a row (in completion order)
    failed with a server failure (``is_server_failure(err)``, default:
    :func:`server_failure`), no new item is started: the rest get a
    :class:`NotAttemptedError`.
    """
    distinct = unique(items)
    if not distinct:
        return []
    is_server_failure = is_server_failure or server_failure
    outcomes = {}
    lock = threading.Lock()
    pending = iter(distinct)
    streak = [0, None]  # consecutive server failures, the last of them

    def next_item():
        with lock:
            for item in pending:
                if fail_fast_after and streak[0] >= fail_fast_after:
                    outcomes[item] = NotAttemptedError.after_server_failures(streak[0], streak[1])
                    continue
                return True, item
            return False, None

    def record(item, outcome):
        with lock:
            outcomes[item] = outcome
            if isinstance(outcome, HuaweiCloudError) and is_server_failure(outcome):
                streak[0] += 1
                streak[1] = outcome
            elif not isinstance(outcome, NotAttemptedError):
                streak[0] = 0

    def work():
        while True:
            more, item = next_item()
            if not more:
                return
            try:
                outcome = fn(item)
            except HuaweiCloudError as err:
                outcome = err
            record(item, outcome)

    workers = min(int(max_concurrency), len(distinct))
    if workers == 1:
        work()
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(work) for _worker in range(workers)]
            for future in futures:
                future.result()
    return [(item, outcomes[item]) for item in distinct]
