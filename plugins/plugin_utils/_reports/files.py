# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Writing the three reports of a ``migration_health`` fact (JSON, JUnit, HTML) into one directory."""

import json
import os
import tempfile

from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import DEFAULT_TITLE
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports.html import render_html
from ansible_collections.hwcloud.migration.plugins.plugin_utils._reports.junit import render_junit

REPORT_FILES = (('json', 'migration-health.json'), ('junit', 'migration-health.xml'), ('html', 'migration-health.html'))


# json.dumps(value, separators=(',', ':')), built once: json.dumps builds an encoder per call when given separators.
_COMPACT = json.JSONEncoder(separators=(',', ':')).encode


def render_json(fact: dict) -> str:
    """The JSON report: the fact, one subject or check per line so a diff stays readable and the file small."""
    lines = ['{']
    keys = list(fact)
    for index, key in enumerate(keys):
        value = fact[key]
        comma = ',' if index < len(keys) - 1 else ''
        if isinstance(value, list) and value:
            lines.append('  %s: [' % json.dumps(key))
            items = [_COMPACT(item) for item in value]
            lines.append(',\n'.join('    ' + item for item in items))
            lines.append('  ]%s' % comma)
        else:
            lines.append('  %s: %s%s' % (json.dumps(key), _COMPACT(value), comma))
    lines.append('}')
    return '\n'.join(lines) + '\n'


def render_reports(fact: dict, title: str = DEFAULT_TITLE) -> dict:
    """The text of each report, keyed ``json``, ``junit`` and ``html``."""
    return {'json': render_json(fact), 'junit': render_junit(fact), 'html': render_html(fact, title=title)}


def _current(path):
    try:
        with open(path, 'rb') as handle:
            return handle.read()
    except (IOError, OSError):
        return None


def _file_mode():
    """The mode a new file gets under the process's umask (as ``open()`` would create it)."""
    # os.umask only reads by setting: put it back at once (the controller's
    # action runs in a worker process of its own, no thread between the calls).
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _write_atomically(path, data):
    directory = os.path.dirname(path)
    # mkstemp makes the file 0600 whatever the umask: the report is given the
    # mode any other new file would get (0644 under umask 022, 0600 under 077).
    handle, temp_path = tempfile.mkstemp(prefix='.migration-health-', dir=directory)
    try:
        with os.fdopen(handle, 'wb') as stream:
            stream.write(data)
        os.chmod(temp_path, _file_mode())
        os.replace(temp_path, path)
    except BaseException:
        if os.path.exists(temp_path):
            os.unlink(temp_path)
        raise


def write_texts(texts: dict, dest: str, names=REPORT_FILES, *, check_mode: bool = False) -> tuple:
    """Write ``texts`` (keyed as ``names``: ``(key, file name)`` pairs) into directory ``dest``, atomically.

    The one writer of the collection's reports (the gate's and the fleet's): a
    reader (a CI job collecting artifacts) never sees half a report, and a file
    whose content is unchanged is left alone.  New files and directories get the
    modes the umask gives.  Returns ``(changed, paths)``;
    in check mode nothing is written, but ``changed`` says what would happen.
    """
    dest = os.path.abspath(os.path.expanduser(dest))
    paths = {}
    changed = False
    if not check_mode and not os.path.isdir(dest):
        os.makedirs(dest)
    for key, name in names:
        path = os.path.join(dest, name)
        paths[key] = path
        data = texts[key].encode('utf-8')
        if _current(path) == data:
            continue
        changed = True
        if not check_mode:
            _write_atomically(path, data)
    return changed, paths


def write_reports(fact: dict, dest: str, title: str = DEFAULT_TITLE, *, check_mode: bool = False) -> tuple:
    """Write the three reports of ``fact`` into directory ``dest``.

    Returns ``(changed, paths)``: whether any file is new or different, and the
    path of each report keyed ``json``, ``junit`` and ``html``.  In check mode
    nothing is written, but ``changed`` says what would happen.
    """
    return write_texts(render_reports(fact, title=title), dest, check_mode=check_mode)
