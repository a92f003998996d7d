# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The baseline side of `make bench`: the code before the restructure, measured in the same run.

Issue 21 asks that every gate row stays within 10% of the figures of the code
before the restructure and still meets its target. Figures of another day on a
shared machine say little, so ``bench.py`` checks the baseline commit out beside
the working tree and measures both sides in one run, alternating:

* ``prepare(ref)`` makes (or reuses) the detached worktree ``build/bench-baseline``
  at ``ref`` (default ``25d231b``, the last commit before the restructure;
  ``BENCH_BASELINE=<ref>`` overrides it, ``BENCH_BASELINE=none`` measures the current
  side only) and the collections path ``build/bench-baseline-collections`` whose
  ``ansible_collections/hwcloud/migration`` links to it;
* ``compare(rows)`` and ``render(...)`` turn both sides' figures into one table:
  row, baseline, current, ratio, target, verdict.
"""

import os
import subprocess
from pathlib import Path
from typing import Callable, Dict, List, NamedTuple, Optional

DEFAULT_REF = '25d231b'
TOLERANCE = 0.10
NAMESPACE, NAME = 'hwcloud', 'migration'


class Side(NamedTuple):
    """One checkout the bench measures: its name, its collections path and the commit it is at."""

    name: str
    collections: Path
    commit: str


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(['git', '-C', str(repo)] + list(args), check=True, capture_output=True, text=True, timeout=120).stdout.strip()


def baseline_ref(environ: Optional[Dict[str, str]] = None) -> Optional[str]:
    """The baseline ref to measure, or None when ``BENCH_BASELINE`` is ``none`` (or empty after the name)."""
    value = (environ if environ is not None else os.environ).get('BENCH_BASELINE', DEFAULT_REF).strip()
    return None if value.lower() in ('', 'none') else value


def prepare(repo: Path, ref: str, build: Optional[Path] = None) -> Side:
    """The baseline side: a detached worktree of ``ref`` under build/, reused when it is already at that commit.

    A worktree left at another commit is moved to ``ref``, and edits of its tracked
    files are undone (it is the bench's own checkout). Raises ``subprocess.CalledProcessError`` when
    ``ref`` is not a commit of the repository.
    """
    build = build or (repo / 'build')
    commit = _git(repo, 'rev-parse', '--verify', ref + '^{commit}')
    tree = build / 'bench-baseline'
    if (tree / '.git').exists():
        if _git(tree, 'rev-parse', 'HEAD') != commit:
            _git(tree, 'checkout', '--quiet', '--force', '--detach', commit)
        if _git(tree, 'status', '--porcelain', '--untracked-files=no'):
            _git(tree, 'reset', '--quiet', '--hard', commit)  # measure the commit, not an edit of it
    else:
        build.mkdir(parents=True, exist_ok=True)
        _git(repo, 'worktree', 'prune')
        _git(repo, 'worktree', 'add', '--quiet', '--detach', str(tree), commit)
    collections = build / 'bench-baseline-collections'
    link = collections / 'ansible_collections' / NAMESPACE / NAME
    link.parent.mkdir(parents=True, exist_ok=True)
    if not (link.is_symlink() and link.resolve() == tree.resolve()):
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(tree.resolve(), target_is_directory=True)
    return Side('baseline', collections, commit)


def current(repo: Path, collections: Path) -> Side:
    """The side of the working tree (its commit, with ``+`` when files are changed)."""
    try:
        commit = _git(repo, 'rev-parse', 'HEAD') + ('+' if _git(repo, 'status', '--porcelain', '--untracked-files=no') else '')
    except (OSError, subprocess.CalledProcessError):
        commit = 'unknown'
    return Side('current', collections, commit)


class Row(NamedTuple):
    """One row of the comparison: how to read the figure from a side's results, and its target there."""

    label: str
    unit: str
    figure: Callable[[dict], Optional[float]]
    higher_is_better: bool = False
    target: Optional[str] = None  # the key of the target in bench.targets()


def compare(baseline: Optional[float], now: Optional[float], higher_is_better: bool = False, tolerance: float = TOLERANCE) -> Dict[str, object]:
    """Ratio of the current figure to the baseline's and whether it is within ``tolerance`` of it.

    ``within`` is None when either figure is missing (no baseline side, or a row
    the side could not measure): such a row is never reported as holding.
    """
    if baseline is None or now is None or baseline <= 0:
        return {'ratio': None, 'within': None}
    ratio = now / baseline
    within = ratio >= 1.0 / (1.0 + tolerance) if higher_is_better else ratio <= 1.0 + tolerance
    return {'ratio': ratio, 'within': within}


def _figure(value: Optional[float], unit: str) -> str:
    if value is None:
        return 'n/a'
    return ('%.0f' if abs(value) >= 100 else '%.2f') % value + unit


def table(rows: List[Row], sides: Dict[str, dict], targets: Dict[str, Dict[str, dict]]) -> List[dict]:
    """Every row's figures on both sides, ratio, the current side's target and the verdict."""
    out = []
    for row in rows:
        figures = {}
        for name in ('baseline', 'current'):
            try:
                figures[name] = row.figure(sides[name]) if name in sides else None
            except (KeyError, TypeError, IndexError, ValueError):
                figures[name] = None
        verdict = compare(figures['baseline'], figures['current'], row.higher_is_better)
        target = targets.get('current', {}).get(row.target) if row.target else None
        out.append(
            dict(
                verdict,
                label=row.label,
                unit=row.unit,
                baseline=figures['baseline'],
                current=figures['current'],
                target=target.get('limit', target['name']) if target else '-',
                target_figure=target['figure'] if target else '',
                met=target['met'] if target else None,
            )
        )
    return out


def _verdict(entry: dict) -> str:
    if entry['within'] is None:
        drift = 'no baseline'
    elif entry['within']:
        drift = 'within 10%'
    else:
        drift = 'OUTSIDE 10%% (%+.0f%%)' % ((entry['ratio'] - 1.0) * 100.0)
    if entry['met'] is None:
        return drift
    return drift + ', ' + ('meets target' if entry['met'] else 'TARGET NOT MET')


def render(entries: List[dict], sides: List[Side]) -> str:
    """The comparison table, with the commit of each side above it."""
    header = ('row', 'baseline', 'current', 'ratio', 'target', 'verdict')
    lines = [
        (
            entry['label'],
            _figure(entry['baseline'], entry['unit']),
            _figure(entry['current'], entry['unit']),
            '%.2f' % entry['ratio'] if entry['ratio'] is not None else 'n/a',
            ('%s (%s)' % (entry['target'], entry['target_figure'])) if entry['target_figure'] else entry['target'],
            _verdict(entry),
        )
        for entry in entries
    ]
    widths = [max(len(line[index]) for line in [header] + lines) for index in range(len(header))]
    how = 'measured in this run, alternating' if len(sides) > 1 else 'no baseline side (BENCH_BASELINE=none)'
    out = ['Baseline vs current (%s), %s:' % (', '.join('%s %s' % (side.name, side.commit[:12]) for side in sides), how), '']
    for position, line in enumerate([header] + lines):
        cells = [line[0].ljust(widths[0])] + [line[index].rjust(widths[index]) for index in (1, 2, 3)] + [line[4].ljust(widths[4]), line[5]]
        out.append('  '.join(cells).rstrip())
        if position == 0:
            out.append('  '.join('-' * width for width in widths))
    held = [entry for entry in entries if entry['within'] is not None]
    out += [
        '',
        '%d of %d rows within 10%% of the baseline; %d of %d targets met by the current side'
        % (
            sum(1 for entry in held if entry['within']),
            len(entries),
            sum(1 for entry in entries if entry['met']),
            sum(1 for entry in entries if entry['met'] is not None),
        ),
    ]
    return '\n'.join(out)
