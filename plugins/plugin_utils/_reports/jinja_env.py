# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Jinja2 environment of the reports: autoescaping, strict about undefined names, templates from one folder."""

from typing import Any, Callable, Optional

from jinja2 import Environment, FileSystemLoader, StrictUndefined


def report_environment(template_dir: str, finalize: Optional[Callable[[Any], Any]] = None) -> Environment:
    """The autoescaping, strict Jinja2 environment of the templates in ``template_dir``.

    ``finalize`` is applied to every value a template prints (see Jinja2's
    ``Environment``).  Templates are compiled in memory (the HTML report's
    once per process, at import); nothing is kept on disk.
    """
    return Environment(
        loader=FileSystemLoader(template_dir), autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, finalize=finalize
    )
