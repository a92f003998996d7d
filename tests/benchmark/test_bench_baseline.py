# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bookkeeping of `make bench`: the baseline checkout, the comparison and the fleet's per-extra figures.

No timing is asserted: these tests feed fixed figures in and check the verdicts,
the worktree handling and the ping-relative fleet figure.
"""

import subprocess
from pathlib import Path

import bench_baseline
import bench_fleet
import bench_overhead
import pytest

REPO = Path(__file__).resolve().parents[2]


# -- compare ------------------------------------------------------------------------


@pytest.mark.parametrize(
    'baseline, now, higher, within',
    [
        (10.0, 10.99, False, True),
        (10.0, 11.01, False, False),
        (10.0, 5.0, False, True),  # faster is always within
        (60.0, 54.6, True, True),  # a speed-up 10% lower (60 / 1.1 = 54.5)
        (60.0, 54.0, True, False),
        (60.0, 90.0, True, True),
    ],
)
def test_compare_tolerance_follows_the_direction_of_the_figure(baseline, now, higher, within):
    result = bench_baseline.compare(baseline, now, higher_is_better=higher)
    assert result['within'] is within
    assert result['ratio'] == pytest.approx(now / baseline)


@pytest.mark.parametrize('baseline, now', [(None, 1.0), (1.0, None), (0.0, 1.0), (None, None)])
def test_compare_without_both_figures_never_holds(baseline, now):
    assert bench_baseline.compare(baseline, now) == {'ratio': None, 'within': None}


def _rows():
    return [
        bench_baseline.Row('gate', ' s', lambda view: view['role']['wall_s'], target='gate'),
        bench_baseline.Row('speed-up', 'x', lambda view: view['speedup'], higher_is_better=True),
        bench_baseline.Row('missing', ' s', lambda view: view['absent']['value']),
    ]


def test_table_takes_the_target_of_the_current_side_and_marks_a_missing_figure():
    sides = {'baseline': {'role': {'wall_s': 10.0}, 'speedup': 50.0}, 'current': {'role': {'wall_s': 12.0}, 'speedup': 49.0}}
    targets = {
        'baseline': {'gate': {'key': 'gate', 'name': 'gate <= 3x floor', 'limit': '<= 3x floor', 'met': True, 'figure': '2.0x'}},
        'current': {'gate': {'key': 'gate', 'name': 'gate <= 3x floor', 'limit': '<= 3x floor', 'met': False, 'figure': '3.2x'}},
    }
    gate, speedup, missing = bench_baseline.table(_rows(), sides, targets)
    assert (gate['within'], gate['met'], gate['target'], gate['target_figure']) == (False, False, '<= 3x floor', '3.2x')
    assert (speedup['within'], speedup['met'], speedup['target']) == (True, None, '-')
    assert (missing['baseline'], missing['current'], missing['within']) == (None, None, None)
    both = [bench_baseline.Side('baseline', Path('b'), 'a' * 40), bench_baseline.Side('current', Path('c'), 'c' * 40)]
    text = bench_baseline.render([gate, speedup, missing], both)
    assert 'OUTSIDE 10% (+20%), TARGET NOT MET' in text
    assert 'within 10%' in text and 'no baseline' in text
    assert '1 of 3 rows within 10% of the baseline; 0 of 1 targets met by the current side' in text


def test_table_without_a_baseline_side_reports_no_baseline():
    (gate,) = bench_baseline.table(_rows()[:1], {'current': {'role': {'wall_s': 12.0}}}, {})
    assert (gate['baseline'], gate['current'], gate['ratio'], gate['within']) == (None, 12.0, None, None)
    text = bench_baseline.render([gate], [bench_baseline.Side('current', Path('c'), 'c' * 40)])
    assert 'no baseline side (BENCH_BASELINE=none)' in text and 'no baseline, ' not in text


@pytest.mark.parametrize('value, expected', [(None, '25d231b'), ('', None), ('none', None), ('NONE', None), ('abc123', 'abc123'), (' v1 ', 'v1')])
def test_baseline_ref_comes_from_bench_baseline(value, expected):
    environ = {} if value is None else {'BENCH_BASELINE': value}
    assert bench_baseline.baseline_ref(environ) == expected


# -- the baseline worktree --------------------------------------------------------------


def _git(repo, *args):
    return subprocess.run(['git', '-C', str(repo)] + list(args), check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def repo(tmp_path):
    """A small repository with two commits."""
    path = tmp_path / 'repo'
    path.mkdir()
    _git(path, 'init', '--quiet')
    _git(path, 'config', 'user.email', 'bench@example.invalid')
    _git(path, 'config', 'user.name', 'bench')
    for text in ('first', 'second'):
        (path / 'galaxy.yml').write_text(text + '\n')
        _git(path, 'add', 'galaxy.yml')
        _git(path, 'commit', '--quiet', '-m', text)
    return path


def test_prepare_checks_the_ref_out_with_its_own_collections_path(repo, tmp_path):
    first = _git(repo, 'rev-parse', 'HEAD~1')
    side = bench_baseline.prepare(repo, 'HEAD~1', tmp_path / 'build')
    tree = tmp_path / 'build' / 'bench-baseline'
    assert side.commit == first and side.name == 'baseline'
    assert _git(tree, 'rev-parse', 'HEAD') == first
    assert (tree / 'galaxy.yml').read_text() == 'first\n'
    link = side.collections / 'ansible_collections' / 'hwcloud' / 'migration'
    assert link.is_symlink() and link.resolve() == tree.resolve()
    assert (repo / 'galaxy.yml').read_text() == 'second\n'  # the working tree is untouched


def test_prepare_reuses_the_worktree_and_moves_it_to_another_ref(repo, tmp_path):
    build = tmp_path / 'build'
    bench_baseline.prepare(repo, 'HEAD~1', build)
    marker = build / 'bench-baseline' / 'untracked-marker'
    marker.write_text('kept\n')
    again = bench_baseline.prepare(repo, 'HEAD~1', build)
    assert marker.exists(), 'a worktree already at the commit is reused, not made again'
    moved = bench_baseline.prepare(repo, 'HEAD', build)
    assert moved.commit == _git(repo, 'rev-parse', 'HEAD') != again.commit
    assert (build / 'bench-baseline' / 'galaxy.yml').read_text() == 'second\n'
    assert (moved.collections / 'ansible_collections' / 'hwcloud' / 'migration').resolve() == (build / 'bench-baseline').resolve()


def test_prepare_undoes_an_edit_of_the_baseline_checkout(repo, tmp_path):
    build = tmp_path / 'build'
    bench_baseline.prepare(repo, 'HEAD~1', build)
    (build / 'bench-baseline' / 'galaxy.yml').write_text('edited\n')
    bench_baseline.prepare(repo, 'HEAD~1', build)
    assert (build / 'bench-baseline' / 'galaxy.yml').read_text() == 'first\n'


def test_prepare_refuses_a_ref_that_is_no_commit(repo, tmp_path):
    with pytest.raises(subprocess.CalledProcessError):
        bench_baseline.prepare(repo, 'no-such-ref', tmp_path / 'build')
    assert not (tmp_path / 'build' / 'bench-baseline').exists()


def test_current_side_names_a_changed_working_tree(repo):
    head = _git(repo, 'rev-parse', 'HEAD')
    assert bench_baseline.current(repo, Path('c')).commit == head
    (repo / 'galaxy.yml').write_text('changed\n')
    assert bench_baseline.current(repo, Path('c')).commit == head + '+'


# -- the fleet row -----------------------------------------------------------------------


def test_fleet_regions_are_the_collections_oms_regions():
    import importlib.util

    spec = importlib.util.spec_from_file_location('regions_under_test', str(REPO / 'plugins' / 'module_utils' / '_api' / 'regions.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert bench_fleet.REGIONS == tuple(module.SERVICE_REGIONS['oms'])


def test_fleet_scenario_refuses_more_targets_than_regions(tmp_path):
    with pytest.raises(ValueError, match='one per OMS region'):
        bench_fleet.write_scenario(tmp_path / 'fleet.yml', len(bench_fleet.REGIONS) + 1, 1, 0)


def test_per_extra_and_median_by_cpu():
    runs = [(9.0, 3.0), (1.0, 5.0), (5.0, 4.0)]
    assert bench_fleet.median_cpu(runs) == (5.0, 4.0)
    assert bench_fleet.per_extra((2.0, 3.0), (4.0, 11.0), 8) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        bench_fleet.per_extra((2.0, 3.0), (4.0, 11.0), 0)


@pytest.mark.parametrize('ratio, met', [(1.99, True), (2.0, True), (2.01, False), (None, False)])
def test_fleet_target_is_twice_a_ping_and_fails_without_a_figure(ratio, met):
    (target,) = bench_fleet.targets({'sides': {'current': {'vs_ping': ratio}}})
    assert (target['key'], target['met']) == ('fleet', met)
    assert target['limit'] == '<= 2x ping'


class _Emulator:
    url = 'http://127.0.0.1:9'


def test_fleet_inventory_gives_each_target_its_region_and_project(tmp_path):
    import json

    path = bench_fleet.write_inventory(tmp_path / 'inventory.json', _Emulator(), 3, tmp_path / 'reports')
    hosts = json.loads(path.read_text())['all']['children']['migration_health_targets']['hosts']
    assert sorted(hosts) == ['target-00', 'target-01', 'target-02']
    connections = [hosts[name]['migration_health_connection'] for name in sorted(hosts)]
    assert [entry['region'] for entry in connections] == list(bench_fleet.REGIONS[:3])
    assert len({entry['project_id'] for entry in connections}) == 3
    assert all('access_key' not in entry and 'secret_key' not in entry for entry in connections)


def test_ping_playbook_runs_one_ping_per_fleet_target():
    import yaml

    (play,) = yaml.safe_load(bench_fleet.PING_PLAYBOOK.read_text())
    assert play['hosts'] == 'migration_health_targets'
    assert (play['connection'], play['gather_facts']) == ('local', False)
    assert [list(task)[-1] for task in play['tasks']] == ['ansible.builtin.ping']


# -- client overhead ---------------------------------------------------------------------


def test_overhead_summary_adds_the_alternating_parts():
    parts = [
        {'requests_each': 100, 'seconds': {'client': 0.11, 'bare': 0.12, 'bare_no_env': 0.10}},
        {'requests_each': 100, 'seconds': {'client': 0.13, 'bare': 0.12, 'bare_no_env': 0.10}},
    ]
    summary = bench_overhead.summarise(parts)
    assert summary['requests_each'] == 200
    assert summary['client_us'] == pytest.approx(1200.0)
    assert summary['bare_no_env_us'] == pytest.approx(1000.0)
    assert summary['overhead_pct'] == pytest.approx(20.0)
    assert summary['overhead_vs_default_session_pct'] == pytest.approx(0.0)
