"""Fleet inventories for the integration tests: targets of the fleet scenario, one emulator URL."""

import yaml
from conftest import SCENARIOS

FLEET_SCENARIO = SCENARIOS / 'fleet.yml'
FLEET_KEY = ('FLEETTESTAK000000001', 'fleettest-secret-key-value-0001')
LIMITED_KEY = ('FLEETTESTAK000000002', 'fleettest-secret-key-value-0002')
REPORTS = ('migration-health.json', 'migration-health.xml', 'migration-health.html')

# Target name -> (region, project id, datasets) in the fleet scenario.
TARGETS = {
    'north': ('cn-north-4', 'f1ee7000000000000000000000000001', ['northDataset0000001']),
    'east': ('cn-east-3', 'f1ee7000000000000000000000000002', ['eastDataset00000001']),
    'southeast': ('ap-southeast-1', 'f1ee7000000000000000000000000003', []),
    # Every OMS call of this project is refused (a 403 fault in the scenario).
    'south': ('cn-south-1', 'f1ee7000000000000000000000000004', []),
}


def credential_env(key=FLEET_KEY):
    """The environment that carries the credentials, as AWX and CI inject them."""
    return {'HUAWEICLOUD_SDK_AK': key[0], 'HUAWEICLOUD_SDK_SK': key[1]}


def fleet_inventory(emulator, names, report_dir, **group_vars):
    """A static inventory (as a dict) with one host per target in migration_health_targets.

    Credentials are left to the environment (:func:`credential_env`); each
    target has its own region, project and datasets.
    """
    hosts = {}
    for name in names:
        region, project_id, datasets = TARGETS[name]
        hosts[name] = {
            'migration_health_connection': {'region': region, 'project_id': project_id, 'endpoint': emulator.url, 'iam_endpoint': emulator.url, 'retries': 0},
            'migration_health_datasets': datasets,
        }
    variables = {'migration_health_sync_tasks': 'all', 'migration_health_report_dir': str(report_dir)}
    variables.update(group_vars)
    return {'all': {'vars': variables, 'children': {'migration_health_targets': {'hosts': hosts}}}}


def write_inventory(path, inventory):
    path.write_text(yaml.safe_dump(inventory, sort_keys=False))
    return path
