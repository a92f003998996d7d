"""The emulator of the migration module tests: modules.yml's projects and credentials plus migration.yml."""

import pytest
import yaml
from conftest import SCENARIOS, Emulator
from modules_harness import SCENARIO as MODULES_SCENARIO

MIGRATION_SCENARIO = SCENARIOS / 'migration.yml'


def migration_data():
    """The migration scenario's own data."""
    with open(str(MIGRATION_SCENARIO), encoding='utf-8') as handle:
        return yaml.safe_load(handle)


def modules_identities():
    """modules.yml's regions, projects and credentials, without its resources and faults."""
    with open(str(MODULES_SCENARIO), encoding='utf-8') as handle:
        data = yaml.safe_load(handle)
    for key in ('sync_tasks', 'datasets', 'generate', 'faults'):
        data.pop(key, None)
    return data


def start_emulator(tmp_path_factory, data, name):
    """An emulator on scenario ``data``, written to a temporary file named after ``name``."""
    path = tmp_path_factory.mktemp(name) / 'scenario.yml'
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return Emulator(path)


@pytest.fixture(scope='module', name='migration_emulator')
def migration_emulator_fixture(tmp_path_factory):
    """One emulator for the whole test file, on modules.yml's identities and migration.yml's tasks."""
    data = modules_identities()
    data.update(migration_data())
    emulator = start_emulator(tmp_path_factory, data, 'migration-scenario')
    yield emulator
    emulator.stop()


@pytest.fixture(name='emulator')
def emulator_fixture(migration_emulator):
    """The file's emulator, reset: faults and the request log start over."""
    migration_emulator.control('POST', 'reset')
    return migration_emulator
