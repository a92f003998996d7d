# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The read names: one registry for ``migration_state_info``, the gate's action and the role.

Each read is one info module.  Its ``name`` is the option of
``migration_state_info`` that runs it, the key of its result in that module's
result, and the key the gate's read plan uses; ``items`` and ``id_key`` say
where its subjects are in the result.  Every other list of reads is derived
from :data:`READS`.
"""

from __future__ import annotations

from typing import NamedTuple


class ReadName(NamedTuple):
    name: str
    module: str
    items: str
    id_key: str


READS = (
    ReadName('sync_task_info', 'hwcloud.migration.oms_sync_task_info', 'sync_tasks', 'sync_task_id'),
    ReadName('sync_task_statistics_info', 'hwcloud.migration.oms_sync_task_statistics_info', 'sync_task_statistics', 'sync_task_id'),
    ReadName('dataset_sync_info', 'hwcloud.migration.modelarts_dataset_sync_info', 'dataset_syncs', 'dataset_id'),
    ReadName('migration_task_info', 'hwcloud.migration.oms_migration_task_info', 'migration_tasks', 'id'),
    ReadName('task_group_info', 'hwcloud.migration.oms_task_group_info', 'task_groups', 'group_id'),
    # Items of three kinds (each has its ``kind``); without ids, read after the parts above, for their failing subjects.
    ReadName('failed_objects_info', 'hwcloud.migration.oms_failed_objects_info', 'failed_objects', 'id'),
)
READ_NAMES = tuple(read.name for read in READS)
READS_BY_NAME = {read.name: read for read in READS}
