"""From objects built over a traced spec to chart templates, and what the chart must check of its values.

``environment_templates`` turns one environment's traced objects into template texts: the object is
written by the one YAML emitter, with every traced leaf replaced by a reference to the values
(``{{ include "gitops.json" (index $.Values ...) }}``), a ``Concat`` by ``print`` of its parts and a
``Derived`` by the Helm function that computes it; everything else is the literal the builders computed.

``expectations`` is the other half: the values this environment's templates were generated for, as a tree
the chart's guard compares with the values it is given. A map keeps its keys, a list its length, a free
leaf its type, a pinned leaf (or a subtree without free leaves) its value; the constraints that held for
the free leaves (``replicas >= 2``) must still hold. So a value set at install time either flows into the
objects exactly as the builders would have used it, or ``helm template`` fails naming it.

Pure: objects and values in, text and data out.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from generator import yamlio
from generator.emit.helm.trace import (
    Concat, Constraint, Derived, Path, Recorder, Traced, TracedFloat, TracedInt, TracedStr, at, evaluated, plain,
)

_HELM_FUNCTIONS = {"sha256-json": "toJson | sha256sum"}
_LEAVES = (TracedStr, TracedInt, TracedFloat)
_SYMBOLS = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
_NEGATION = {"eq": "ne", "ne": "eq", "lt": "ge", "le": "gt", "gt": "le", "ge": "lt"}


@dataclass(frozen=True)
class EnvironmentTemplates:
    """One environment's templates by object (kind, name), the values paths they read, and each object's
    kind and name as the builders returned them (traced, when a name is a spec value)."""

    texts: dict[tuple[str, str], str]
    free: frozenset[Path]
    names: tuple[tuple[str, Any], ...]

    def under(self, values: dict) -> "EnvironmentTemplates | None":
        """The same templates for an environment whose builders took the same steps over other ``values``
        (``trace.same_build``): only the object names that are values change. None when a name is not a
        value or a ``+`` of values and literals."""
        names = [(kind, evaluated(name, values)) for kind, name in self.names]
        if any(name is None for _, name in names):
            return None
        return EnvironmentTemplates(dict(zip(names, self.texts.values())), self.free, self.names)


@functools.lru_cache(maxsize=4096)
def go_string(text: str) -> str:
    """A Go string literal of ``text``, ASCII only."""
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif 0x20 <= code < 0x7F:
            out.append(char)
        else:
            out.append(f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


@functools.lru_cache(maxsize=None)
def values_path(path: Path) -> str:
    """``(index $.Values "services" "web" "replicas")``."""
    return "(index $.Values " + " ".join(str(p) if isinstance(p, int) else go_string(p) for p in path) + ")"


def dotted(path: Path) -> str:
    """``services.web.probes.liveness`` / ``services.web.rollout.canary.steps[1]``."""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


class _Writer:
    """Writes the objects of one environment, collecting the values paths they read."""

    def __init__(self) -> None:
        self.read: set[Path] = set()

    def expression(self, value: Any) -> str | None:
        # A pinned value is read from the values too: the guard holds it to the spec's value, and a
        # reference keeps the text the same in every environment that has the object.
        if isinstance(value, Traced):
            self.read.add(value.path)
            return values_path(value.path)
        if isinstance(value, Concat):
            parts = [self.expression(p) for p in value.parts]
            return "(print " + " ".join(e or go_string(plain(p)) for e, p in zip(parts, value.parts)) + ")"
        if isinstance(value, Derived):
            return values_path(value.source)[:-1] + " | " + _HELM_FUNCTIONS[value.function] + ")"
        return None

    def text(self, o: dict) -> str:
        written = yamlio.dump_special(o, _References(self))
        return written if written is not None else self._placeholders(o)

    def _placeholders(self, o: dict) -> str:
        """``text`` through the plain emitter: references as placeholders, replaced in the written text
        (for the documents ``dump_special`` leaves to PyYAML's layout; the same text either way)."""
        prefix = "GITOPSREF"
        while True:  # a placeholder no string of the object contains (checked on the written text)
            expressions: list[str] = []
            text = yamlio.dump(self._tokenized(o, prefix, expressions))
            pattern = re.compile(re.escape(prefix) + r"([0-9]+)X")
            if [int(m) for m in pattern.findall(text)] == list(range(len(expressions))):
                break
            prefix += "Z"
        return pattern.sub(lambda m: '{{ include "gitops.json" ' + expressions[int(m.group(1))] + " }}", text)

    def _tokenized(self, o: dict, prefix: str, expressions: list[str]) -> dict:
        def token(expression: str) -> str:
            expressions.append(expression)
            return f"{prefix}{len(expressions) - 1}X"

        def literal(value: Any) -> Any:
            value = plain(value)
            # Go's template parser would read '{{' in the text as an action: such strings are Go literals.
            return token(go_string(value)) if isinstance(value, str) and "{{" in value else value

        def walk(value: Any) -> Any:
            if isinstance(value, dict):
                return {literal(k): walk(v) for k, v in value.items()}
            if isinstance(value, list):
                return [walk(v) for v in value]
            expression = self.expression(value)
            return literal(value) if expression is None else token(expression)

        return walk(o)


class _References(yamlio.Special):
    """Traced values as references to the values, strings holding '{{' as Go literals (as ``_tokenized``)."""

    leaves = frozenset(_LEAVES)

    def __init__(self, writer: _Writer) -> None:
        self.writer = writer

    def leaf(self, value: Any) -> str:
        self.writer.read.add(value.path)
        return _reference(value.path)

    def text(self, value: Any) -> str | None:
        expression = self.writer.expression(value)
        return None if expression is None else '{{ include "gitops.json" ' + expression + " }}"

    def braces(self, text: str) -> str:
        return '{{ include "gitops.json" ' + go_string(text) + " }}"


@functools.lru_cache(maxsize=1 << 16)
def _reference(path: Path) -> str:
    """The template text of the traced leaf at ``path``: ``_Writer.expression`` of it, included as JSON."""
    return '{{ include "gitops.json" ' + values_path(path) + " }}"


def environment_templates(objects: list[dict], recorder: Recorder) -> EnvironmentTemplates:
    """The template text of every traced object of one environment."""
    writer = _Writer()
    texts: dict[tuple[str, str], str] = {}
    names: dict[tuple[str, str], Any] = {}
    for o in objects:
        key = (o["kind"], plain(o["metadata"]["name"]))
        texts[key] = writer.text(o)
        names.setdefault(key, o["metadata"]["name"])
    return EnvironmentTemplates(texts, frozenset(writer.read - recorder.pinned),
                                tuple((kind, name) for (kind, _), name in names.items()))


def expectations(values: dict, free: frozenset[Path], recorder: Recorder) -> dict:
    """What the chart's guard checks of the values of this environment (see the module docstring)."""
    return {"values": _shape(values, _tree(free)), "constraints": _constraints(values, free, recorder.constraints)}


def _tree(paths: frozenset[Path]) -> dict:
    """The paths as nested dicts, each path ending in None."""
    tree: dict = {}
    for path in paths:
        node = tree
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = None
    return tree


def _shape(node: Any, free: dict | None) -> dict:
    """``node`` with the free leaves (``free``: those under it, as a ``_tree``; None: ``node`` is one) as
    their type, any part without a free leaf as its value."""
    if free is None:
        return {"t": "string" if isinstance(node, str) else "number"}
    if not free:
        return {"v": node}
    if isinstance(node, dict):
        return {"m": {k: _shape(v, free[k]) if k in free else {"v": v} for k, v in node.items()}}
    return {"l": [_shape(v, free[i]) if i in free else {"v": v} for i, v in enumerate(node)]}


def _constraints(values: dict, free: frozenset[Path], found: set[Constraint]) -> list[dict]:
    checks = {}
    for c in found:
        if c.left not in free:
            continue  # the value is pinned, which says more
        right = c.right
        right_free = c.right_is_path and c.right in free
        if c.right_is_path and not right_free:
            right = at(values, c.right)
        op = c.op if c.want else _NEGATION[c.op]
        says = f"must be {_SYMBOLS[op]} " + (dotted(right) if right_free else repr(right))
        check = {"name": dotted(c.left), "left": list(c.left), "op": op, "right": list(right) if right_free else right,
                 "rightIsPath": right_free, "says": says}
        checks[(check["name"], op, repr(check["right"]))] = check
    return [checks[k] for k in sorted(checks)]
