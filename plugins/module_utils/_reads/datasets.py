# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The read of ModelArts dataset syncs (``modelarts_dataset_sync_info``), a :class:`.base.Read`."""

import time

from ansible_collections.hwcloud.migration.plugins.module_utils._api.fanout import unique
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.answers import ContractReport, Shown, shown
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.base import Read, ReadError, fetch_each, report_problem, requested_ids
from ansible_collections.hwcloud.migration.plugins.module_utils._values import is_one_line

STATUS_PATH = '/v2/{project_id}/datasets/{dataset_id}/sync-data/status'
FINISHED_STATUSES = ('COMPLETED', 'FAILED', 'NOT_EXIST')
KNOWN_STATUSES = ('QUEUING', 'STARTING', 'RUNNING') + FINISHED_STATUSES
# A status outside KNOWN_STATUSES is a problem too.
SHOWN = Shown(path=STATUS_PATH, param='dataset_id', schema='ShowDatasetSyncStatusResponse', noun='dataset', id_field='dataset_id', fields={'status': 'str'})


def dataset_sync(dataset_id, body):
    """The API's fields, with the requested ID when the API omits it, plus finished/succeeded."""
    entry = dict(body) if isinstance(body, dict) else {}
    if entry.get('dataset_id') is None:
        entry['dataset_id'] = dataset_id
    status = entry.get('status')
    entry['finished'] = status in FINISHED_STATUSES
    entry['succeeded'] = status == 'COMPLETED'
    return entry


def read_dataset_syncs(context):
    """``modelarts_dataset_sync_info``: the sync status of the named datasets, waiting for them when asked."""
    if context.params['wait_timeout'] < 0:
        raise ReadError('wait_timeout must be 0 or more seconds, got %d.' % context.params['wait_timeout'])
    if context.params['wait_sleep'] < 1:
        raise ReadError('wait_sleep must be 1 second or more, got %d.' % context.params['wait_sleep'])
    ids = unique(requested_ids(context, 'dataset_id', 'dataset_ids'))

    def read():
        report = ContractReport(context.params['strict_contract'])

        def read_status(dataset_id):
            body, meta = shown(context, report, SHOWN, dataset_id)
            if isinstance(body, dict) and is_one_line(body.get('status')) and body['status'] not in KNOWN_STATUSES:
                report_problem(context, dataset_id, 'status', 'status is %r, not one of %s' % (body['status'], ', '.join(KNOWN_STATUSES)))
            return body, meta

        syncs = {}
        missing = set()

        def read(dataset_ids):
            found, gone = fetch_each(context, dataset_ids, read_status, 'the sync status of dataset', 'dataset_id')
            for dataset_id, body, _meta in found:
                syncs[dataset_id] = dataset_sync(dataset_id, body)
            for dataset_id in gone:
                missing.add(dataset_id)
                syncs.pop(dataset_id, None)
            report.apply(context)

        def result():
            return dict(
                dataset_syncs=[syncs[dataset_id] for dataset_id in ids if dataset_id in syncs],
                missing=[dataset_id for dataset_id in ids if dataset_id in missing],
            )

        def unfinished():
            return [dataset_id for dataset_id in ids if dataset_id in syncs and not syncs[dataset_id]['finished']]

        read(ids)
        # A failed read ends the wait: the run fails with what it read (see base.fetch_each).
        if context.params['wait'] and not context.read_errors:
            deadline = time.monotonic() + context.params['wait_timeout']
            pending = unfinished()
            while pending:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise ReadError(
                        'Timed out after %d seconds waiting for %d of %d dataset syncs to finish; last status: %s.'
                        % (context.params['wait_timeout'], len(pending), len(ids), _last_statuses(ids, syncs, missing)),
                        **result(),
                    )
                time.sleep(min(context.params['wait_sleep'], remaining))
                read(pending)
                if context.read_errors:
                    break
                pending = unfinished()

        return result()

    return read


def _last_statuses(ids, syncs, missing):
    described = []
    for dataset_id in ids:
        if dataset_id in missing:
            described.append('%s not found' % dataset_id)
        else:
            status = syncs[dataset_id].get('status')
            described.append('%s %s' % (dataset_id, status if status is not None else 'without status'))
    return ', '.join(described)


DATASET_SYNCS = Read(
    'dataset_sync_info',
    'modelarts',
    dict(
        dataset_id=dict(type='str'),
        dataset_ids=dict(type='list', elements='str'),
        wait=dict(type='bool', default=False),
        wait_timeout=dict(type='int', default=600),
        wait_sleep=dict(type='int', default=10),
    ),
    read_dataset_syncs,
    mutually_exclusive=[('dataset_id', 'dataset_ids')],
    required_one_of=[('dataset_id', 'dataset_ids')],
)
