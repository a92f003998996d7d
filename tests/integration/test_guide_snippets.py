"""The guides' snippets run as printed (docs/*.md).

A fenced block preceded by an HTML comment is a snippet:

* ``<!-- snippet: file NAME -->``: the block is written to the file NAME;
* ``<!-- snippet: run -->``: the block is run: ``console`` blocks line by line (the
  lines after ``$ ``, without the prompt; other lines are sample output), ``sh`` and
  ``bash`` blocks as one bash script with ``-e``, ``python`` blocks with Python;
* ``<!-- snippet: not run: REASON -->``: shown only, for the reason given.

Each guide's snippets run in order in one empty folder, with this virtual
environment's tools first on PATH, the collection from this checkout, and no
credential variables. Guides in FULLY_RUN must mark every fenced block.
"""

import re
import subprocess
import sys

import pytest
from conftest import REPO, ansible_env

DOCS = REPO / 'docs'
FULLY_RUN = ('testing-with-the-emulator.md',)
MARKER = re.compile(r'<!--\s*snippet:\s*(.*?)\s*-->')
FENCE = re.compile(r'^```(\S*)\s*$')


class Snippet:
    def __init__(self, guide, line, action, language, text):
        self.guide, self.line, self.action, self.language, self.text = guide, line, action, language, text

    def where(self):
        return '%s:%d' % (self.guide, self.line)


def fenced_blocks(path):
    """(line, marker or None, language, text) of every fenced block of a Markdown file.

    A marker belongs to a block only when it stands on the line right above the fence.
    """
    lines = path.read_text(encoding='utf-8').splitlines()
    blocks, index, marker = [], 0, None
    while index < len(lines):
        match = FENCE.match(lines[index])
        comment = MARKER.search(lines[index])
        if comment:
            marker = (index + 1, comment.group(1))
        elif match:
            start = index
            index += 1
            while index < len(lines) and lines[index].rstrip() != '```':
                index += 1
            own = marker[1] if marker and marker[0] == start else None
            blocks.append((start + 1, own, match.group(1), '\n'.join(lines[start + 1 : index]) + '\n'))
            marker = None
        index += 1
    return blocks


def snippets(path):
    found = []
    for line, marker, language, text in fenced_blocks(path):
        if marker is None:
            continue
        if marker == 'run':
            if language not in ('console', 'sh', 'bash', 'python'):
                raise AssertionError('%s:%d: cannot run a %r block' % (path.name, line, language))
            found.append(Snippet(path.name, line, 'run', language, text))
        elif marker.startswith('file '):
            found.append(Snippet(path.name, line, marker, language, text))
        elif marker.startswith('not run:') and marker[len('not run:') :].strip():
            found.append(Snippet(path.name, line, 'not run', language, text))
        else:
            raise AssertionError('%s:%d: unknown snippet marker %r' % (path.name, line, marker))
    return found


def guides():
    return sorted(path for path in DOCS.glob('*.md') if MARKER.search(path.read_text(encoding='utf-8')))


def console_commands(text):
    """The commands of a console block: `$ ` lines, with backslash continuations."""
    commands, current = [], None
    for line in text.splitlines():
        if current is not None:
            current += '\n' + line
        elif line.startswith('$ '):
            current = line[2:]
        if current is not None and not current.endswith('\\'):
            commands.append(current)
            current = None
    return commands


def run_snippet(snippet, folder, env):
    if snippet.action.startswith('file '):
        (folder / snippet.action[len('file ') :]).write_text(snippet.text, encoding='utf-8')
        return
    if snippet.action == 'not run':
        return
    if snippet.language == 'python':
        commands = [[sys.executable, '-c', snippet.text]]
    elif snippet.language == 'console':
        commands = [['bash', '-e', '-o', 'pipefail', '-c', command] for command in console_commands(snippet.text)]
        assert commands, '%s: a console block without a `$ ` command' % snippet.where()
    else:
        commands = [['bash', '-e', '-o', 'pipefail', '-c', snippet.text]]
    for command in commands:
        process = subprocess.run(command, cwd=str(folder), env=env, capture_output=True, text=True, timeout=600, check=False)
        assert process.returncode == 0, '%s failed (exit %d):\n%s\n--- stdout\n%s\n--- stderr\n%s' % (
            snippet.where(),
            process.returncode,
            command[-1],
            process.stdout[-6000:],
            process.stderr[-6000:],
        )


def test_fully_run_guides_mark_every_block():
    for name in FULLY_RUN:
        unmarked = [line for line, marker, _language, _text in fenced_blocks(DOCS / name) if marker is None]
        assert unmarked == [], '%s: fenced blocks without a snippet marker at lines %s' % (name, unmarked)
        assert any(snippet.action == 'run' for snippet in snippets(DOCS / name)), name


def test_the_marker_parser_reads_files_runs_and_reasons(tmp_path):
    guide = tmp_path / 'guide.md'
    guide.write_text(
        'text\n<!-- snippet: file a.yml -->\n```yaml\nx: 1\n```\n\n```sh\nnot marked\n```\n'
        '<!-- snippet: run -->\n```console\n$ echo one \\\n  two\none two\n$ true\n```\n'
        '<!-- snippet: not run: needs a cloud -->\n```sh\nexit 1\n```\n'
    )
    found = snippets(guide)
    assert [(snippet.line, snippet.action, snippet.language) for snippet in found] == [(3, 'file a.yml', 'yaml'), (11, 'run', 'console'), (18, 'not run', 'sh')]
    assert console_commands(found[1].text) == ['echo one \\\n  two', 'true']
    assert [marker for _line, marker, _language, _text in fenced_blocks(guide)][1] is None


@pytest.mark.parametrize('guide', guides(), ids=lambda path: path.name)
def test_guide_snippets_run_as_printed(guide, tmp_path):
    found = snippets(guide)
    assert any(snippet.action == 'run' for snippet in found), '%s marks snippets but runs none' % guide.name
    env = ansible_env()
    for name in ('ANSIBLE_CALLBACK_PLUGINS', 'ANSIBLE_CALLBACKS_ENABLED'):
        env.pop(name, None)  # the guides run ansible-playbook as users do
    env['NO_PROXY'] = env['no_proxy'] = '127.0.0.1,localhost'
    for snippet in found:
        run_snippet(snippet, tmp_path, env)
