"""A ``diff.Report`` as text: compact markdown for a pull-request comment, or plain lines for a terminal.

The wording lives in jinja2 templates (``templates/diff.md.j2``, ``templates/diff.txt.j2``); this module
only groups the report and passes it in. The markdown starts with ``MARKER``, an HTML comment by which
the pull-request workflow finds and updates its one comment instead of adding another.
"""

from __future__ import annotations

import functools

import jinja2

from generator.diff import Report

MARKER = "<!-- gitops-gen-diff -->"
FORMATS = ("markdown", "text")
MAX_FIELDS = 8
_TEMPLATES = {"markdown": "diff.md.j2", "text": "diff.txt.j2"}
_SYMBOLS = {
    "markdown": {"added": "added", "removed": "removed", "changed": "changed"},
    "text": {"added": "+", "removed": "-", "changed": "~"},
}


@functools.lru_cache(maxsize=None)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )


def render(report: Report, fmt: str = "markdown") -> str:
    """``report`` in ``fmt`` (one of ``FORMATS``); ends with exactly one newline."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    grouped = report.by_env()
    text = _environment().get_template(_TEMPLATES[fmt]).render(
        report=report,
        grouped=grouped,
        unchanged=[env for env in report.environments if env not in grouped],
        symbols=_SYMBOLS[fmt],
        max_fields=MAX_FIELDS,
        marker=MARKER,
    )
    return text.rstrip("\n") + "\n"
