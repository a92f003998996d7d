# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Jinja2 environment of the reports, with compiled templates kept on disk between Ansible workers.

Ansible runs each task in a new worker process, and compiling the report's
template costs that worker about as much as rendering a small report.  The
compiled template is therefore kept in a per-user cache directory,
``$XDG_CACHE_HOME/hwcloud.migration/templates`` (``~/.cache/...`` by
default), as Jinja2's bytecode cache: one file per template, checked against
the template's source (a changed template is compiled again), and named after
the Jinja2 version and the environment's options.

A cached template is code that the next worker runs, so the cache is only
used in a directory that nobody else can write into: the directory is the
user's, a real directory that group and others cannot write, and no directory
above it can be changed by anyone but the user or root (``/tmp`` with its
sticky bit is fine).  Otherwise, or when the cache cannot be read or written,
the template is compiled as if there were no cache: a cache never changes a
report and never fails one.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import os
import stat

import jinja2
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from jinja2.bccache import FileSystemBytecodeCache

CACHE_PATH = ('hwcloud.migration', 'templates')


def _changeable_by_others(status, uid):
    """True when someone other than ``uid`` or root could add, remove or rename entries of this directory."""
    if status.st_uid not in (uid, 0):
        return True
    if status.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        # Only the sticky bit stops others from renaming what is not theirs (as in /tmp).
        return not status.st_mode & stat.S_ISVTX
    return False


def cache_directory(environ=None):
    """The user's directory for compiled templates (created, 0700), or None when it is not certainly theirs alone."""
    environ = os.environ if environ is None else environ
    if not hasattr(os, 'getuid'):
        return None
    base = environ.get('XDG_CACHE_HOME') or ''
    if not os.path.isabs(base):  # the XDG rule: a relative path is ignored
        home = environ.get('HOME') or os.path.expanduser('~')
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, '.cache')
    directory = os.path.join(os.path.normpath(base), *CACHE_PATH)
    uid = os.getuid()
    try:
        # Every level this creates is the user's alone (os.makedirs gives its mode to the last one only).
        os.makedirs(os.path.dirname(directory), mode=0o700, exist_ok=True)
        os.makedirs(directory, mode=0o700, exist_ok=True)
        own = os.lstat(directory)
        if not stat.S_ISDIR(own.st_mode) or own.st_uid != uid or own.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return None
        parent = os.path.dirname(directory)
        while True:
            if _changeable_by_others(os.stat(parent), uid):
                return None
            if os.path.dirname(parent) == parent:
                return directory
            parent = os.path.dirname(parent)
    except (OSError, ValueError):
        return None


class _QuietBytecodeCache(FileSystemBytecodeCache):
    """Jinja2's file cache, where a file that cannot be read or written means "compile the template"."""

    def load_bytecode(self, bucket):
        try:
            super(_QuietBytecodeCache, self).load_bytecode(bucket)
        except Exception:  # pylint: disable=broad-except
            # A damaged file (cut short, an older format): compiled again and rewritten.
            bucket.reset()

    def dump_bytecode(self, bucket):
        try:
            super(_QuietBytecodeCache, self).dump_bytecode(bucket)
        except Exception:  # pylint: disable=broad-except
            pass  # a full disk or a read-only home costs the next worker a compilation, nothing else


def report_environment(template_dir, finalize=None, environ=None):
    """The autoescaping, strict Jinja2 environment of the templates in ``template_dir``, with the disk cache when it is safe.

    ``finalize`` is applied to every value a template prints (see Jinja2's
    ``Environment``); it is compiled into the template, so it is part of the
    cache files' name.
    """
    options = dict(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, finalize=finalize)
    directory = cache_directory(environ)
    cache = None
    if directory is not None:
        # Whatever changes the compiled code names the file: Jinja2's version, the options, the template folder.
        signature = repr((jinja2.__version__, sorted((key, repr(value) if key != 'finalize' else value is not None) for key, value in options.items())))
        signature += os.path.abspath(template_dir)
        cache = _QuietBytecodeCache(directory, 'report-%s-%%s.cache' % hashlib.sha256(signature.encode('utf-8')).hexdigest()[:16])
    return Environment(loader=FileSystemLoader(template_dir), bytecode_cache=cache, **options)
