"""A ``compare.Report`` and its risks as text: JSON (everything, values whole), markdown for one
pull-request comment (risks first, then a table per environment, always under GitHub's comment limit), or
plain lines for a terminal.

The wording of markdown and text lives in jinja2 templates (``templates/diff.md.j2``, ``diff.txt.j2``);
this module chooses what they show. Past ``BUDGET`` characters the markdown keeps the risk lines that fit
in three quarters of it (highest severity first, the rest counted by rule), counts the objects per environment and kind, shows the first objects in full and says how many it left
out (the workflow uploads the JSON as an artifact). It starts with ``MARKER``, an HTML comment by which
the workflow finds and updates its one comment.
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from typing import Any

import jinja2

from generator.review.compare import ObjectChange, Report
from generator.review.risk import Risk, rank

MARKER = "<!-- gitops-gen-diff -->"
FORMATS = ("text", "markdown", "json")
BUDGET = 60_000  # GitHub refuses comments over 65,536 characters; leave room for the workflow's footer
VALUE_WIDTH = 100
_TEMPLATES = {"markdown": "diff.md.j2", "text": "diff.txt.j2"}
_SYMBOLS = {
    "markdown": {"added": "added", "removed": "removed", "changed": "changed"},
    "text": {"added": "+", "removed": "-", "changed": "~"},
}


def short(value: Any, width: int = VALUE_WIDTH) -> str:
    """A value on one line (absent: 'unset'; scalars as YAML shows them; else compact JSON), cut to
    ``width`` characters with an ellipsis."""
    if value is None:
        text = "unset"
    elif isinstance(value, str):
        text = value
    else:
        text = json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    text = " ".join(text.split("\n"))
    return text if len(text) <= width else text[: width - 1] + "…"


def code(text: str) -> str:
    """``text`` as a markdown code span that is safe inside a table cell."""
    text = text.replace("|", "\\|")
    fence = "`"
    while fence in text:
        fence += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def as_json(report: Report, risks: list[Risk]) -> str:
    """One JSON object: base, head, every change with every field (values whole, absent as null), risks."""
    data = {
        "base": report.base,
        "head": report.head,
        "changes": [
            {
                "env": c.env, "kind": c.kind, "namespace": c.namespace, "name": c.name, "status": c.status,
                "fields": [{"path": f.path, "before": f.before, "after": f.after} for f in c.fields],
            }
            for c in report.changes
        ],
        "risks": [
            {"rule": r.rule, "severity": r.severity, "env": r.env, "kind": r.kind, "namespace": r.namespace,
             "name": r.name, "message": r.message}
            for r in risks
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


@functools.lru_cache(maxsize=None)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["short"] = short
    env.filters["code"] = code
    return env


def _text(fmt: str, report: Report, risks: list[Risk], *, shown: int, risks_shown: int, extra: str) -> str:
    changes = report.changes[:shown]
    grouped: dict[str, list[ObjectChange]] = {}
    for change in changes:
        grouped.setdefault(change.env, []).append(change)
    touched = {c.env for c in report.changes}
    left_out = len(report.changes) - len(changes)
    kinds = Counter((c.env, c.kind, c.status) for c in report.changes) if left_out else Counter()
    text = _environment().get_template(_TEMPLATES[fmt]).render(
        report=report,
        grouped=grouped,
        touched=sorted(touched),
        unchanged=[env for env in report.environments if env not in touched],
        risks=risks[:risks_shown],
        risks_left_out=Counter(r.rule for r in risks[risks_shown:]),
        highest=risks[0].severity if risks else None,
        left_out=left_out,
        kinds=sorted(kinds.items()),
        symbols=_SYMBOLS[fmt],
        marker=MARKER,
        extra=extra,
    )
    return text.rstrip("\n") + "\n"


def render(report: Report, risks: list[Risk], fmt: str = "markdown", *, budget: int = BUDGET, extra: str = "") -> str:
    """``report`` in ``fmt`` (one of ``FORMATS``); ends with exactly one newline. The markdown never
    exceeds ``budget`` characters; ``extra`` is markdown appended to it (the changed network edges)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    risks = sorted(risks, key=lambda r: rank(r.severity))
    if fmt == "json":
        return as_json(report, risks)
    full = _text(fmt, report, risks, shown=len(report.changes), risks_shown=len(risks), extra=extra)
    if fmt == "text" or len(full) <= budget:
        return full
    return _fitted(report, risks, budget, extra)


def _fitted(report: Report, risks: list[Risk], budget: int, extra: str) -> str:
    """The longest summary under ``budget``: the risks, highest first, in up to three quarters of it, then
    as many objects as the rest holds (the network graph only when it takes at most half)."""
    def attempt(shown: int, risks_shown: int, with_extra: bool = True) -> str:
        return _text("markdown", report, risks, shown=shown, risks_shown=risks_shown, extra=extra if with_extra else "")

    with_extra = len(attempt(0, 0)) <= budget // 2
    fits = lambda shown, kept, room: len(attempt(shown, kept, with_extra)) <= room  # noqa: E731
    kept = _largest(len(risks), lambda n: fits(0, n, budget * 3 // 4))  # risks first, leaving room for objects
    shown = _largest(len(report.changes), lambda n: fits(n, kept, budget))
    text = attempt(shown, kept, with_extra)
    if len(text) > budget:  # even the counts alone do not fit: keep the head, cut at a line
        text = text[: budget - 80].rsplit("\n", 1)[0] + "\n\n_The summary itself is too long; see the full report._\n"
    return text


def _largest(limit: int, ok) -> int:
    """The largest n in [0, limit] with ok(n), for an ok that holds up to some n and fails after."""
    low, high = 0, limit
    while low < high:
        mid = (low + high + 1) // 2
        if ok(mid):
            low = mid
        else:
            high = mid - 1
    return low
