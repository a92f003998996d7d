# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""docs/reference/ must match what tools/gen_docs.py makes of the current documentation."""
import difflib
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO / 'docs' / 'reference'


def test_reference_is_current(tmp_path):
    process = subprocess.run([sys.executable, str(REPO / 'tools' / 'gen_docs.py'), '--dest', str(tmp_path)],
                             capture_output=True, text=True, cwd=str(REPO), check=False)
    assert process.returncode == 0, process.stdout + process.stderr
    fresh = {path.name: path.read_text() for path in tmp_path.glob('*.md')}
    committed = {path.name: path.read_text() for path in REFERENCE.glob('*.md')}
    problems = []
    for name in sorted(set(fresh) | set(committed)):
        if name not in committed:
            problems.append('missing: docs/reference/%s' % name)
        elif name not in fresh:
            problems.append('stale: docs/reference/%s (nothing documents it any more)' % name)
        elif fresh[name] != committed[name]:
            diff = difflib.unified_diff(committed[name].splitlines(), fresh[name].splitlines(),
                                        'docs/reference/%s' % name, 'regenerated', lineterm='', n=1)
            problems.append('\n'.join(list(diff)[:20]))
    assert not problems, 'docs/reference is out of date: run `make docs`.\n\n' + '\n\n'.join(problems)


def test_reference_covers_every_module_and_role():
    index = (REFERENCE / 'README.md').read_text()
    for module in sorted((REPO / 'plugins' / 'modules').glob('*.py')):
        assert '(%s_module.md)' % module.stem in index, module.stem
    for role in sorted(path.parent.parent.name for path in (REPO / 'roles').glob('*/meta/argument_specs.yml')):
        assert '(%s_role.md)' % role in index, role


def test_reference_links_resolve():
    pages = {path.name: path.read_text() for path in REFERENCE.glob('*.md')}
    broken = []
    for name, text in sorted(pages.items()):
        for page, target in re.findall(r'\]\(([A-Za-z0-9_.]*\.md)?(?:#([^)]+))?\)', text):
            page = page or name
            if page not in pages:
                broken.append('%s -> %s' % (name, page))
            elif target and 'id="%s"' % target not in pages[page]:
                broken.append('%s -> %s#%s' % (name, page, target))
    assert not broken, broken
