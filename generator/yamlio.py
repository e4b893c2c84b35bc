"""The project's one YAML emitter and its plain loader.

Output is deterministic: key order is the order the builders chose (never sorted here, never taken from a
hash), multi-line strings use literal blocks, nothing is folded. Dumper and loader are private
subclasses, so no representer is registered on PyYAML's globals. Spec files are not read here but in
``generator.load``, which needs line numbers.

``dump`` writes the block structure itself and asks PyYAML only how to write each distinct scalar and key
(cached), which is about 7x faster than PyYAML's own Python-side representer on large renders. Its output
is byte-identical to ``dump_with_pyyaml`` (the tests prove it on every committed file and on random data);
the few values whose layout depends on their position (keep-chomping blocks, Unicode line breaks) make
the whole document go through PyYAML. The walk over the blocks (``_mapping``, ``_sequence``) also exists
compiled (``generator/_yamlwalk.c``, about 2x faster), used when the install built it: it reads the same
caches and hands every scalar it has not cached back to the functions here.
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


# How each distinct scalar and key is written, by exact type (True == 1 and -0.0 == 0.0, yet each is
# written its own way, so bools and ints never share a table and floats are not cached). Bounded: a table
# that outgrows _CACHE_LIMIT starts again.
_CACHE_LIMIT = 1 << 17
_STRS: dict[str, tuple[str, tuple[str, ...]]] = {}
_INTS: dict[int, tuple[str, tuple[str, ...]]] = {}
_CONSTANTS: dict[Any, tuple[str, tuple[str, ...]]] = {}  # True, False, None
_KEYS: dict[str, str] = {}
_PLAIN = frozenset({str, int, bool, float, type(None), dict, list})


# Strings PyYAML writes bare, as they are, without asking it: a letter, then letters, digits and '._/-'
# (no indicator, no space, nothing its resolver or Go's reads as a number, a date or a float), unless the
# word is a YAML 1.1 boolean or null, or Go's 'y' / 'n'. Everything else goes through PyYAML.
_BARE = re.compile(r"[A-Za-z][A-Za-z0-9._/-]*")
_WORDS = frozenset({"y", "n", "yes", "no", "true", "false", "on", "off", "null"})


def _bare(text: str) -> bool:
    return _BARE.fullmatch(text) is not None and text.lower() not in _WORDS


def _str_lines(value: str) -> tuple[str, tuple[str, ...]]:
    return (value, ()) if _bare(value) else _render_scalar(value)


def _remember(table: dict, value: Any, made: Any) -> Any:
    if len(table) >= _CACHE_LIMIT:
        table.clear()
    table[value] = made
    return made


def _key(key: str) -> str:
    found = _KEYS.get(key)
    if found is None:
        if len(key) < 100 and _bare(key):  # longer keys may become '? ' complex keys
            return _remember(_KEYS, key, key)
        text = dump_with_pyyaml({key: 0})
        if "\n" in text[:-1] or not text.endswith(": 0\n"):
            raise _Fallback
        found = _remember(_KEYS, key, text[: -len(": 0\n")])
    return found


def _scalar(value: Any, prefix: str, indent: str, out: list[str]) -> None:
    kind = type(value)
    if kind is str:
        lines = _STRS.get(value)
        if lines is None:
            lines = _remember(_STRS, value, _str_lines(value))
    elif kind is int:
        lines = _INTS.get(value)
        if lines is None:
            lines = _remember(_INTS, value, (int.__repr__(value), ()))  # PyYAML's represent_int: str(data)
    elif kind is dict or kind is list:
        out.append(prefix + ("{}" if kind is dict else "[]"))
        return
    elif kind is float:
        lines = _render_scalar(value)
    else:
        lines = _CONSTANTS.get(value)
        if lines is None:
            lines = _remember(_CONSTANTS, value, _render_scalar(value))
    out.append(prefix + lines[0])
    if lines[1]:
        out.extend(indent + _INDENT + line if line else "" for line in lines[1])


class Special:
    """How ``dump_special`` writes what is not plain data (chart templates: values references).

    ``leaf(value)`` is the text written for a value whose type is one of ``leaves``; ``text(value)`` is asked
    for every other scalar whose type is not exactly str, int, float, bool or None and returns the text to
    write in its place, or None to write the value as its base type; ``braces(text)`` writes a plain string
    (value or key) that holds ``{{``."""

    leaves: frozenset[type] = frozenset()

    def leaf(self, value: Any) -> str:
        raise NotImplementedError

    def text(self, value: Any) -> str | None:
        raise NotImplementedError

    def braces(self, text: str) -> str:
        raise NotImplementedError


def _plain(value: Any) -> Any:
    """A str, int or float subclass as its exact base type; anything else raises _Fallback."""
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, float):
        return float.__float__(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return int.__int__(value)
    raise _Fallback


def _special_scalar(value: Any, prefix: str, indent: str, out: list[str], special: Special) -> None:
    """A scalar of a type that is not plain data, in ``dump_special``."""
    if isinstance(value, (dict, list)):
        raise _Fallback  # subclasses of containers: handled by the callers when they are dicts
    text = special.text(value)
    if text is not None:
        out.append(prefix + text)
        return
    value = _plain(value)
    if type(value) is str and "{{" in value:
        out.append(prefix + special.braces(value))
    else:
        _scalar(value, prefix, indent, out)


def _mapping(value: dict, indent: str, prefix: str, out: list[str], special: Special | None = None) -> None:
    """A non-empty mapping whose first line starts with ``prefix``; its other keys start with ``indent``."""
    head_prefix = prefix
    inner = indent + _INDENT
    for k, v in value.items():
        if type(k) is not str:
            if special is None or not isinstance(k, str):
                raise _Fallback
            k = str.__str__(k)
        if special is not None and "{{" in k:
            head = head_prefix + special.braces(k) + ":"
        else:
            text = _KEYS.get(k)  # _key, inlined: this loop is the emitter's hot path
            head = head_prefix + (_key(k) if text is None else text) + ":"
        head_prefix = indent
        kind = type(v)
        if kind is str:
            lines = _STRS.get(v)
            if special is not None and "{{" in v:
                out.append(head + " " + special.braces(v))
            elif lines is not None and not lines[1]:
                out.append(head + " " + lines[0])
            else:
                _scalar(v, head + " ", indent, out)
        elif kind is dict and v:
            out.append(head)
            _mapping(v, inner, inner, out, special)
        elif kind is list and v:
            out.append(head)
            _sequence(v, indent, out, special)
        elif kind in _PLAIN:
            _scalar(v, head + " ", indent, out)
        elif special is None:
            raise _Fallback  # subclasses and other types: PyYAML decides
        elif kind in special.leaves:
            out.append(head + " " + special.leaf(v))
        elif isinstance(v, dict) and type(v).__iter__ is dict.__iter__:
            if v:
                out.append(head)
                _mapping(v, inner, inner, out, special)
            else:
                out.append(head + " {}")
        else:
            _special_scalar(v, head + " ", indent, out, special)


def _sequence(items: list, indent: str, out: list[str], special: Special | None = None) -> None:
    """A sequence under a mapping key at ``indent``: its items start at the key's column."""
    inner = indent + _INDENT
    dash = indent + "- "
    for item in items:
        kind = type(item)
        if kind is str:
            lines = _STRS.get(item)
            if special is not None and "{{" in item:
                out.append(dash + special.braces(item))
            elif lines is not None and not lines[1]:
                out.append(dash + lines[0])
            else:
                _scalar(item, dash, indent, out)
        elif kind is dict and item:
            _mapping(item, inner, dash, out, special)
        elif kind is list and item:
            raise _Fallback
        elif kind in _PLAIN:
            _scalar(item, dash, indent, out)
        elif special is None:
            raise _Fallback
        elif kind in special.leaves:
            out.append(dash + special.leaf(item))
        elif isinstance(item, dict) and type(item).__iter__ is dict.__iter__:
            if item:
                _mapping(item, inner, dash, out, special)
            else:
                out.append(dash + "{}")
        else:
            _special_scalar(item, dash, indent, out, special)


try:  # the same walk compiled (generator/_yamlwalk.c), when it is built; the tests compare the two
    from generator import _yamlwalk
except ImportError:  # pragma: no cover - a build without a C compiler
    _walk = _mapping
else:
    _yamlwalk.configure(_KEYS, _STRS, _INTS, _key, _scalar, _special_scalar, _Fallback)
    _walk = _yamlwalk.mapping


def dump(obj: Any) -> str:
    """Serialize one document exactly as ``dump_with_pyyaml`` does, faster."""
    if not isinstance(obj, dict) or not obj:
        return dump_with_pyyaml(obj)
    out: list[str] = []
    try:
        _walk(obj, "", "", out, None)
    except _Fallback:
        return dump_with_pyyaml(obj)
    return "\n".join(out) + "\n"


def dump_special(obj: dict, special: Special) -> str | None:
    """``dump`` of a non-empty mapping holding values that are not plain data, each written as
    ``special`` says; None when the document needs PyYAML's layout (the caller then writes it as plain
    data with placeholders, through ``dump``)."""
    if type(obj) is not dict or not obj:
        return None
    out: list[str] = []
    try:
        _walk(obj, "", "", out, special)
    except _Fallback:
        return None
    return "\n".join(out) + "\n"


def load_all(text: str) -> Iterator[Any]:
    """Parse every document of a multi-document stream (for generated files and tool output)."""
    return yaml.load_all(text, Loader=_BaseLoader)


def load(text: str) -> Any:
    """Parse a single document."""
    return yaml.load(text, Loader=_BaseLoader)
