"""The project's one YAML emitter and its plain loader.

Output is deterministic: key order is the order the builders chose (never sorted here, never taken from a
hash), multi-line strings use literal blocks, nothing is folded. Dumper and loader are private
subclasses, so no representer is registered on PyYAML's globals. Spec files are not read here but in
``generator.load``, which needs line numbers.

``dump`` writes the block structure itself and asks PyYAML only how to write each distinct scalar and key
(cached), which is about 7x faster than PyYAML's own Python-side representer on large renders. Its output
is byte-identical to ``dump_with_pyyaml`` (the tests prove it on every committed file and on random data);
the few values whose layout depends on their position (keep-chomping blocks, Unicode line breaks) make
the whole document go through PyYAML.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Iterator

import yaml

_BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Dumper(_BaseDumper):  # type: ignore[misc, valid-type]
    """Safe dumper whose multi-line strings become literal blocks and that never writes anchors or aliases
    (a value shared by two places in a builder's output is written out twice)."""

    def ignore_aliases(self, data) -> bool:
        return True


# Plain scalars that PyYAML writes bare but Go's YAML readers (sigs.k8s.io/yaml in kubectl, Helm, Argo CD)
# take for a number or a boolean: '1e3', '0o17', '09', 'y', 'n'. They are quoted so every reader sees a string.
_GO_NUMBER = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?0[bBoOxX][0-9a-fA-F]+")
_GO_BOOL = frozenset({"y", "Y", "n", "N"})


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    if "\n" in data:
        style = "|"
    elif data in _GO_BOOL or _GO_NUMBER.fullmatch(data.replace("_", "")):
        style = "'"
    else:
        style = None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_with_pyyaml(obj: Any) -> str:
    """The reference serialization: block style, builder key order, LF endings, no line folding."""
    return yaml.dump(
        obj,
        Dumper=_Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=2**31 - 1,
        indent=2,
    )


_INDENT = "  "
_UNICODE_BREAKS = ("\x85", "\u2028", "\u2029", "\r")


class _Fallback(Exception):
    """This document needs PyYAML's own layout."""


def _render_scalar(value: Any) -> tuple[str, tuple[str, ...]]:
    """How PyYAML writes ``value`` as a mapping value: its first line, and the continuation lines without
    the two-space indent they have at the top level."""
    if isinstance(value, str) and any(b in value for b in _UNICODE_BREAKS):
        raise _Fallback
    lines = dump_with_pyyaml({"k": value}).split("\n")[:-1]
    first, rest = lines[0][3:], tuple(line[2:] for line in lines[1:])
    if first[:1] in "|>" and "+" in first:
        raise _Fallback  # keep-chomping blocks end the document with '...' depending on their position
    return first, rest


@functools.lru_cache(maxsize=65536)
def _cached_scalar(kind: type, value: Any) -> tuple[str, tuple[str, ...]]:
    return _render_scalar(value)


@functools.lru_cache(maxsize=65536)
def _key(key: str) -> str:
    text = dump_with_pyyaml({key: 0})
    if "\n" in text[:-1] or not text.endswith(": 0\n"):
        raise _Fallback
    return text[: -len(": 0\n")]


def _scalar(value: Any, prefix: str, indent: str, out: list[str]) -> None:
    kind = type(value)
    if kind is dict or kind is list:
        out.append(prefix + ("{}" if kind is dict else "[]"))
        return
    # floats are not cached: -0.0 == 0.0 and they hash alike, yet they are written differently
    first, rest = _render_scalar(value) if kind is float else _cached_scalar(kind, value)
    out.append(prefix + first)
    if rest:
        out.extend(indent + _INDENT + line if line else "" for line in rest)


def _mapping(value: dict, indent: str, prefix: str, out: list[str]) -> None:
    """A non-empty mapping whose first line starts with ``prefix``; its other keys start with ``indent``."""
    head_prefix = prefix
    inner = indent + _INDENT
    for k, v in value.items():
        if type(k) is not str:
            raise _Fallback
        head = head_prefix + _key(k) + ":"
        head_prefix = indent
        kind = type(v)
        if kind is dict and v:
            out.append(head)
            _mapping(v, inner, inner, out)
        elif kind is list and v:
            out.append(head)
            _sequence(v, indent, out)
        elif kind is dict or kind is list or kind is str or kind is int or kind is bool or v is None or kind is float:
            _scalar(v, head + " ", indent, out)
        else:
            raise _Fallback  # subclasses and other types: PyYAML decides


def _sequence(items: list, indent: str, out: list[str]) -> None:
    """A sequence under a mapping key at ``indent``: its items start at the key's column."""
    inner = indent + _INDENT
    dash = indent + "- "
    for item in items:
        kind = type(item)
        if kind is dict and item:
            _mapping(item, inner, dash, out)
        elif kind is list and item:
            raise _Fallback
        elif kind is dict or kind is list or kind is str or kind is int or kind is bool or item is None or kind is float:
            _scalar(item, dash, indent, out)
        else:
            raise _Fallback


def dump(obj: Any) -> str:
    """Serialize one document exactly as ``dump_with_pyyaml`` does, faster."""
    if not isinstance(obj, dict) or not obj:
        return dump_with_pyyaml(obj)
    out: list[str] = []
    try:
        _mapping(obj, "", "", out)
    except _Fallback:
        return dump_with_pyyaml(obj)
    return "\n".join(out) + "\n"


def load_all(text: str) -> Iterator[Any]:
    """Parse every document of a multi-document stream (for generated files and tool output)."""
    return yaml.load_all(text, Loader=_BaseLoader)


def load(text: str) -> Any:
    """Parse a single document."""
    return yaml.load(text, Loader=_BaseLoader)
