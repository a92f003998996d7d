"""ModelArts: GET /v2/{project_id}/datasets/{dataset_id}/sync-data/status"""

from .replies import Reply, service_error

FORBIDDEN_CODE = 'ModelArts.4336'


def show_dataset_sync_status(ctx, project_id, dataset_id):
    """Answer the dataset's current sync status; a scripted dataset advances per poll."""
    dataset = ctx.state.datasets.get(dataset_id)
    if dataset is None or dataset.project_id != project_id:
        return service_error(400, 'ModelArts.4352', 'The dataset %s does not exist.' % dataset_id)
    status = dataset.poll(ctx.now)
    return Reply(200, dataset.body(status), schema='ShowDatasetSyncStatusResponse')
