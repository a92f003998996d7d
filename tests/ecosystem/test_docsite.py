# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The docsite that `make docs` builds has a page for everything the collection holds.

antsibull-docs renders whatever plugins and roles it finds, so nothing lists them by
hand; these tests find them independently (plugin files, ansible-doc's listing, role
directories) and look for their pages in build/docs/html, which `make docs` (and so
`make docs-check`, `make ecosystem`) builds first. They also keep the Markdown guides,
their placeholders for antsibull-docs and extra-docs.yml in step, and check that the
repository's own Markdown links resolve, since GitHub shows those files as they are.
"""

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
COLLECTION = 'hwcloud.migration'
SITE = Path(os.environ.get('DOCSITE_HTML') or REPO / 'build' / 'docs' / 'html')
DOCSITE = REPO / 'docs' / 'docsite'
# plugins/ directories whose plugins get a page, and their plugin type. Action
# plugins share their module's page; module_utils, plugin_utils and doc fragments
# are no plugins of their own.
PAGE_TYPES = {
    'modules': 'module',
    'filter': 'filter',
    'test': 'test',
    'inventory': 'inventory',
    'lookup': 'lookup',
    'callback': 'callback',
    'connection': 'connection',
    'become': 'become',
    'cache': 'cache',
    'vars': 'vars',
    'strategy': 'strategy',
    'shell': 'shell',
}
NO_PAGE = {'action', 'module_utils', 'plugin_utils', 'doc_fragments', 'templates'}


@pytest.fixture(scope='module')
def site():
    index = SITE / 'index.html'
    assert index.is_file(), 'no docsite in %s: build it with `make docs` (make docs-check and make ecosystem do)' % SITE
    return SITE


def listed(plugin_type):
    """Short names of the collection's plugins of one type, as ansible-doc finds them."""
    env = dict(os.environ)
    env.setdefault('ANSIBLE_COLLECTIONS_PATH', str(REPO / '.venv' / 'collections'))
    process = subprocess.run(
        [str(Path(sys.executable).parent / 'ansible-doc'), '-t', plugin_type, '--list', '--json', COLLECTION],
        capture_output=True,
        text=True,
        cwd=str(REPO),
        env=env,
        check=False,
    )
    assert process.returncode == 0, process.stdout + process.stderr
    return {name.split('.')[-1] for name in json.loads(process.stdout)}


def expected_pages():
    pages = {}
    plugin_dirs = sorted(path for path in (REPO / 'plugins').iterdir() if path.is_dir() and path.name != '__pycache__')
    unknown = [path.name for path in plugin_dirs if path.name not in PAGE_TYPES and path.name not in NO_PAGE]
    assert not unknown, 'plugins/%s: say in PAGE_TYPES or NO_PAGE whether these plugins get pages' % unknown
    for path in plugin_dirs:
        if path.name not in PAGE_TYPES:
            continue
        plugin_type = PAGE_TYPES[path.name]
        names = listed(plugin_type)
        assert names or not any(path.glob('*.py')), (
            'ansible-doc lists no %s plugins of %s although plugins/%s has some: ANSIBLE_COLLECTIONS_PATH must '
            'lead to this checkout (make sets it)' % (plugin_type, COLLECTION, path.name)
        )
        if plugin_type != 'filter' and plugin_type != 'test':
            # One plugin per file: a file ansible-doc does not list is a plugin without a page too.
            names |= {file.stem for file in path.glob('*.py') if not file.name.startswith('_')}
        for name in names:
            pages['%s_%s.html' % (name, plugin_type)] = '%s.%s %s' % (COLLECTION, name, plugin_type)
    for role in sorted(path for path in (REPO / 'roles').iterdir() if (path / 'tasks').is_dir()):
        pages['%s_role.html' % role.name] = '%s.%s role' % (COLLECTION, role.name)
    return pages


def heading(page):
    """The text of a docsite page's title, as Sphinx wrote it (typographic quotes undone)."""
    match = re.search(r'<h1>(.*?)<a class="headerlink"', page.read_text(encoding='utf-8'), re.S)
    assert match, 'no title in %s' % page
    return html.unescape(re.sub(r'<[^>]+>', '', match.group(1))).replace('\u2019', "'").replace('\u2013', '-').strip()


def test_a_page_for_every_plugin_and_role(site):
    pages = expected_pages()
    assert any(page.endswith('_module.html') for page in pages) and any(page.endswith('_role.html') for page in pages)
    missing = sorted('%s (%s)' % (what, page) for page, what in pages.items() if not (site / page).is_file())
    assert not missing, 'no docsite page for: %s' % ', '.join(missing)
    index = (site / 'index.html').read_text(encoding='utf-8')
    unlinked = sorted(page for page in pages if 'href="%s"' % page not in index)
    assert not unlinked, 'the docsite index does not link to: %s' % unlinked


def test_every_page_has_its_documentation(site):
    for page, what in sorted(expected_pages().items()):
        assert heading(site / page).startswith(what + ' - '), (page, heading(site / page))
        text = (site / page).read_text(encoding='utf-8')
        assert 'Synopsis' in text, page


def guide_title(path):
    first = path.read_text(encoding='utf-8').splitlines()[0]
    assert first.startswith('# '), '%s must start with its title (# ...)' % path.relative_to(REPO)
    return first[2:].strip()


def test_guides_placeholders_and_extra_docs_agree():
    guides = {path.stem: path for path in (REPO / 'docs').glob('*.md')}
    placeholders = {path.stem: path for path in (DOCSITE / 'rst').glob('*.rst')}
    index = yaml.safe_load((DOCSITE / 'extra-docs.yml').read_text(encoding='utf-8'))
    listed_guides = [entry for section in index['sections'] for entry in section['toctree']]
    assert sorted(guides) == sorted(placeholders), 'every docs/NAME.md needs docs/docsite/rst/NAME.rst (and the reverse)'
    assert sorted(listed_guides) == sorted(guides), 'docs/docsite/extra-docs.yml must list every guide once'
    for name, placeholder in sorted(placeholders.items()):
        lines = placeholder.read_text(encoding='utf-8').splitlines()
        assert lines[0] == '.. _ansible_collections.%s.docsite.%s:' % (COLLECTION, name.replace('-', '_')), name
        assert lines[2] == guide_title(guides[name]), 'title of %s differs from docs/%s.md' % (placeholder.name, name)
        assert 'docs/%s.md' % name in placeholder.read_text(encoding='utf-8'), name


def test_a_page_for_every_guide(site):
    for path in sorted((REPO / 'docs').glob('*.md')):
        page = site / 'docsite' / ('%s.html' % path.stem)
        assert page.is_file(), 'no docsite page for docs/%s' % path.name
        # The Markdown was rendered, not the placeholder that holds its place.
        assert 'in place of this page' not in page.read_text(encoding='utf-8'), page
        assert heading(page) == guide_title(path), page


def test_repository_markdown_links_resolve():
    """README.md and the guides, as GitHub shows them: every relative link finds its file."""
    broken = []
    for path in [REPO / 'README.md'] + sorted((REPO / 'docs').glob('*.md')):
        text = re.sub(r'```.*?```', '', path.read_text(encoding='utf-8'), flags=re.S)
        for target in re.findall(r'\]\(([^)\s#]+)(?:#[^)]*)?\)', text):
            if re.match(r'^[a-z]+:', target):
                continue
            if not (path.parent / target).exists():
                broken.append('%s -> %s' % (path.relative_to(REPO), target))
    assert not broken, broken


def test_the_docs_sources_load_without_a_warning():
    """What antsibull-docs reads (ansible-doc's metadata dump) loads without a warning.

    ansible-doc prints a warning about a collection file (a duplicate YAML key in a
    role's argument spec, say) on stderr and goes on, so the docs build would not fail on it.
    """
    env = dict(os.environ)
    env.setdefault('ANSIBLE_COLLECTIONS_PATH', str(REPO / '.venv' / 'collections'))
    process = subprocess.run(
        [str(Path(sys.executable).parent / 'ansible-doc'), '--metadata-dump', '--no-fail-on-errors', COLLECTION],
        capture_output=True,
        text=True,
        cwd=str(REPO),
        env=env,
        check=False,
    )
    assert process.returncode == 0, process.stderr
    assert '[WARNING]' not in process.stderr and '[DEPRECATION WARNING]' not in process.stderr, process.stderr
    assert json.loads(process.stdout)['all']['role']['%s.migration_health' % COLLECTION]['entry_points'].keys() == {'main', 'gate'}
