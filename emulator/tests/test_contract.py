"""The contract: seed examples, the schema file's shape, its copy in the package, and the emulator's guard."""

import ast
import hashlib
import json

import pytest
from conftest import DATA, PROJECT, REPO, SEEDS, task_path

from hwc_emulator import contract

SCHEMA_FILE = REPO / 'plugins' / 'module_utils' / '_api' / 'schemas.py'
EXAMPLES = sorted((DATA / 'seed_examples').glob('*.json'))
# Which documented example each fixture was extracted from, in order, with the
# digest of the document it came from (the documents are not ours to copy here).
SOURCES = json.loads((DATA / 'seed_sources.json').read_text())
REQUIRED = ('ShowSyncTaskResponse', 'ListSyncTasksResponse', 'ListSyncTaskStatisticResponse', 'ShowDatasetSyncStatusResponse', 'OmsErrorResponse')


def json_objects(text):
    """Every top-level JSON object embedded in a seed document's text."""
    decoder = json.JSONDecoder()
    found, position = [], 0
    while True:
        start = text.find('{', position)
        if start < 0:
            return found
        try:
            document, end = decoder.raw_decode(text, start)
        except ValueError:
            position = start + 1
            continue
        if isinstance(document, dict) and document:
            found.append(document)
        position = end


def test_fixtures_exist():
    assert len(EXAMPLES) == 7


@pytest.mark.parametrize('path', EXAMPLES, ids=lambda p: p.stem)
def test_seed_examples_validate(path, validators):
    schema = path.stem.split('_')[-1]
    document = json.loads(path.read_text())
    assert not [e.message for e in validators[schema].iter_errors(document)]


def test_every_fixture_is_recorded_with_its_source_in_order():
    listed = [name for source in SOURCES.values() for name in source['examples']]
    assert sorted(listed) == [path.name for path in EXAMPLES]
    for document, source in SOURCES.items():
        stem = document[: -len('.txt')]
        assert [name.split('_')[:3] for name in source['examples']] == [stem.split('_') + [str(index)] for index in range(len(source['examples']))], document


def test_extraction_finds_each_example_between_prose_and_uri_templates():
    # A document shaped like the API reference pages: URI templates in braces,
    # tables, then the examples; the extraction must return the examples alone.
    examples = [json.loads(path.read_text()) for path in EXAMPLES]
    text = 'GET /v2/{project_id}/sync-tasks/{sync_task_id}/statistics\n| a | {b} |\n'
    text += ''.join('Example %d\n%s\n{ not json }\n' % (index, json.dumps(example, indent=1)) for index, example in enumerate(examples))
    assert json_objects(text) == examples


def test_fixtures_match_the_seed_documents():
    """The fixtures are the documents' examples; checked against the documents wherever they are at hand.

    The documents live in the project's shared folder beside the repository (CI
    has it); without it the recorded digests and order still pin the fixtures.
    """
    documents = sorted(SEEDS.glob('*.txt')) if SEEDS.is_dir() else []
    if documents:
        assert [path.name for path in documents] == sorted(SOURCES)
    for path in documents:
        assert hashlib.sha256(path.read_bytes()).hexdigest() == SOURCES[path.name]['sha256'], (
            '%s changed: extract its examples again and update seed_sources.json' % path.name
        )
        fixtures = [json.loads((DATA / 'seed_examples' / name).read_text()) for name in SOURCES[path.name]['examples']]
        assert json_objects(path.read_text(encoding='utf-8')) == fixtures, path.name
    for source in SOURCES.values():
        assert len(source['sha256']) == 64 and source['examples']


def test_schema_file_is_plain_python_38_data(schemas):
    source = SCHEMA_FILE.read_text()
    assert 'GPL-3.0-or-later' in source.split('\n\n')[0]
    tree = ast.parse(source, feature_version=(3, 8))
    imports = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert [getattr(n, 'module', None) for n in imports] in ([], ['__future__'])
    for name in REQUIRED:
        assert schemas[name]['$schema'].startswith('http://json-schema.org/draft-07')


def test_nullable_optional_fields(validators):
    show = json.loads((DATA / 'seed_examples' / '004_6b4e5041273a57d1_0_ShowSyncTaskResponse.json').read_text())
    for field in ('app_id', 'dst_storage_policy', 'src_region', 'monthly_size', 'enable_restore'):
        assert not list(validators['ShowSyncTaskResponse'].iter_errors(dict(show, **{field: None})))
    for bad in (
        {'status': 'RUNNING'},
        {'monthly_size': -1},
        {'src_cloud_type': 'Mars'},
        {'description': 'x' * 256},
        {'monthly_size': '1'},
        {'enable_kms': 'no'},
    ):
        assert list(validators['ShowSyncTaskResponse'].iter_errors(dict(show, **bad))), bad
    stats = {
        'sync_task_id': 't',
        'statistic_time_type': 'FIVE_MINUTES',
        'statistic_datas': [{'data_type': 'REQUEST', 'data': [{'time_stamp': 0, 'statistic_num': 1}] * 1001}],
    }
    assert list(validators['ListSyncTaskStatisticResponse'].iter_errors(stats))


def test_guard_refuses_an_answer_that_breaks_the_contract(emu):
    emu.control('POST', 'sync-tasks/task-healthy', {'src_cloud_type': 'Mars'})
    response = emu.get(task_path('task-healthy'), {'query_time': '0'})
    assert response.status_code == 500
    body = response.json()
    assert body['error_code'] == 'EMULATOR.CONTRACT'
    assert 'ShowSyncTaskResponse' in body['error_msg'] and 'Mars' in body['error_msg']
    listing = emu.get('/v2/%s/sync-tasks' % PROJECT)
    assert listing.status_code == 500


def test_the_package_ships_the_collections_contract(monkeypatch):
    monkeypatch.delenv(contract.ENV_VAR, raising=False)
    assert contract.default_schema_path() == contract.BUNDLED_PATH
    assert contract.BUNDLED_PATH.read_bytes() == SCHEMA_FILE.read_bytes(), (
        'emulator/hwc_emulator/_api_schemas.py must be the symbolic link to plugins/module_utils/_api/schemas.py'
    )


def test_schemas_path_override(monkeypatch, tmp_path):
    from hwc_emulator.contract import ContractError, load_schemas

    other = tmp_path / 'schemas.py'
    other.write_text("SCHEMAS = {'X': {'type': 'object'}}\n")
    monkeypatch.setenv('HWC_EMULATOR_SCHEMAS', str(other))
    assert list(load_schemas()) == ['X']
    monkeypatch.setenv('HWC_EMULATOR_SCHEMAS', str(tmp_path / 'missing.py'))
    with pytest.raises(ContractError):
        load_schemas()
