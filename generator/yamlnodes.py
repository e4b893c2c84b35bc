"""Turn one YAML spec file into plain data plus the line and column of every key and list item.

Safer and stricter than ``yaml.safe_load``: duplicate keys, merge keys (``<<``), custom tags, recursive
aliases, alias bombs and nesting deeper than ``MAX_DEPTH`` are errors; keys stay the text that was written
(``on:`` is the key "on", not True); timestamps stay strings. Used only by ``generator.load``.

PyYAML resolves plain scalars by YAML 1.1 (``010`` is 8, ``1:20`` is 80, ``yes`` is true, ``1e3`` is
text). Rather than switch parsers (PyYAML's C composer gives the line marks and the node budget), every
plain scalar is also resolved by the YAML 1.2 core schema, and one that the two versions read differently
is refused with "quote it": no reader of the spec can take it for something else.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Mapping

import yaml

from generator.errors import Finding
from generator.marks import Mark, Marks, Path

__all__ = ["MAX_DEPTH", "NODE_BUDGET", "Mark", "Path", "dotted", "parse"]

NODE_BUDGET = 100_000  # constructed nodes per file, aliases counted every time they are expanded
MAX_DEPTH = 48  # nested mappings and lists; the deepest spec field is about 10 levels down


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader (C when built), remembering within one document the tag its resolver gives each
    (kind, text, implicit) (a spec repeats its keys and values hundreds of times)."""

    def __init__(self, stream):
        super().__init__(stream)
        self._tags: dict = {}

    def resolve(self, kind, value, implicit):
        if self.yaml_path_resolvers:  # tags that depend on the position: nothing to remember
            return super().resolve(kind, value, implicit)
        key = (kind, value, implicit)
        tag = self._tags.get(key)
        if tag is None:
            tag = self._tags[key] = super().resolve(kind, value, implicit)
        return tag


_SCALARS = yaml.constructor.SafeConstructor()
_CONSTRUCT = {
    "tag:yaml.org,2002:null": lambda node: None,
    "tag:yaml.org,2002:bool": _SCALARS.construct_yaml_bool,
    "tag:yaml.org,2002:int": _SCALARS.construct_yaml_int,
    "tag:yaml.org,2002:float": _SCALARS.construct_yaml_float,
    "tag:yaml.org,2002:str": lambda node: node.value,
    "tag:yaml.org,2002:timestamp": lambda node: node.value,
}


_CORE_12 = (  # YAML 1.2 core schema: https://yaml.org/spec/1.2.2/#1023-core-schema
    ("tag:yaml.org,2002:null", re.compile(r"~|null|Null|NULL|")),
    ("tag:yaml.org,2002:bool", re.compile(r"true|True|TRUE|false|False|FALSE")),
    ("tag:yaml.org,2002:int", re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")),
    ("tag:yaml.org,2002:float", re.compile(
        r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.nan|\.NaN|\.NAN")),
)


def _core_12(text: str) -> tuple[str, Any]:
    """(tag, value) of a plain scalar under the YAML 1.2 core schema."""
    for tag, pattern in _CORE_12:
        if pattern.fullmatch(text):
            if tag == "tag:yaml.org,2002:int":
                base = 8 if text.startswith("0o") else 16 if text.startswith("0x") else 10
                return tag, int(text[2:] if base != 10 else text, base)
            if tag == "tag:yaml.org,2002:float":
                return tag, float(text.lower().replace(".inf", "inf").replace(".nan", "nan"))
            return tag, None if tag.endswith("null") else text.lower() == "true" if tag.endswith("bool") else text
    return "tag:yaml.org,2002:str", text


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and (a == b or a != a and b != b)  # NaN is NaN


@functools.lru_cache(maxsize=65536)
def _scalar_value(tag: str, text: str, plain: bool) -> tuple[Any, str | None]:
    """The value of a scalar with ``tag`` written as ``text`` (``plain``: not quoted, no block style), and
    what is wrong with it, if anything."""
    construct = _CONSTRUCT.get(tag)
    if construct is None:
        return None, f"unsupported YAML tag {tag}"
    try:
        value = construct(yaml.ScalarNode(tag, text))
    except (KeyError, ValueError, TypeError, yaml.YAMLError):  # an explicit tag over a value it cannot take: !!int abc
        return None, f"{text!r} is not a valid {tag.rsplit(':', 1)[-1]} (tag {tag})"
    if plain:  # resolved by the schema, not written as a string
        tag_12, value_12 = _core_12(text)
        if not _same(value, value_12) and not (tag.endswith("timestamp") and tag_12.endswith("str")):
            return value, (f"{text!r} reads as {value!r} in YAML 1.1 but {value_12!r} in YAML 1.2: "
                           "quote it if it is text, or write the number or true/false plainly")
    return value, None


class _Stop(Exception):
    """Construction cannot go on (alias bomb, recursion)."""


def parse(text: str, file: str) -> tuple[Any, Mapping[Path, Mark], list[Finding]]:
    """Parse ``text`` (the content of ``file``). Returns data, marks and findings; data is None on error.
    The marks are worked out on the first lookup, by building the document again: a spec without errors
    never needs them."""
    document, findings = _document(text, file)
    if document is None:
        return None, {}, findings
    builder = _Builder(file, None)
    try:
        data = builder.node(document, ())
    except _Stop:
        return None, {}, builder.findings
    return data, Marks(lambda: _marks(text, file)), builder.findings


def _document(text: str, file: str) -> tuple[yaml.Node | None, list[Finding]]:
    """The one YAML document of ``text``, composed, or why there is none."""
    try:
        documents = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        return None, [Finding(file, line, col, "", f"invalid YAML: {err.problem or err.context}")]
    except yaml.reader.ReaderError as err:
        before = text[: err.position]
        line, col = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        return None, [Finding(file, line, col, "", f"invalid YAML: {err.reason} (#x{ord(err.character) if isinstance(err.character, str) else err.character:04x})")]
    except yaml.YAMLError as err:
        return None, [Finding(file, 1, 1, "", f"invalid YAML: {str(err).splitlines()[0]}")]
    if not documents:
        return None, [Finding(file, 1, 1, "", "the file is empty; a spec file holds one YAML mapping")]
    if len(documents) > 1:
        second = documents[1].start_mark
        return None, [Finding(file, second.line + 1, 1, "", "one YAML document per spec file, found several")]
    return documents[0], []


def _marks(text: str, file: str) -> dict[Path, Mark]:
    """The line and column of every key and list item of ``text``, which ``parse`` built without a stop."""
    document, _ = _document(text, file)
    builder = _Builder(file, {})
    builder.node(document, ())
    return builder.marks


def _merge_key(node: yaml.ScalarNode) -> bool:
    return node.value == "<<" and node.tag == "tag:yaml.org,2002:merge"


class _Builder:
    """Plain data from a composed document, and the marks when ``marks`` is a dict to fill."""

    def __init__(self, file: str, marks: dict[Path, Mark] | None):
        self.file = file
        self.marks = marks
        self.findings: list[Finding] = []
        self.count = 0
        self.active: set[int] = set()

    def _mark(self, node: yaml.Node) -> Mark:
        return (self.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def _fail(self, node: yaml.Node, path: Path, message: str) -> None:
        _, line, col = self._mark(node)
        self.findings.append(Finding(self.file, line, col, dotted(path), message))

    def node(self, node: yaml.Node, path: Path) -> Any:
        if len(path) > MAX_DEPTH:
            self._fail(node, path[:MAX_DEPTH], f"nested deeper than {MAX_DEPTH} levels")
            raise _Stop
        self.count += 1
        if self.count > NODE_BUDGET:
            self._fail(node, path, f"the document expands to more than {NODE_BUDGET} nodes (an alias bomb?)")
            raise _Stop
        if isinstance(node, yaml.ScalarNode):  # a scalar is never among the active collections
            value, problem = _scalar_value(node.tag, node.value, not node.style)
            if problem:
                self._fail(node, path, problem)
            return value
        ident = id(node)
        if ident in self.active:
            self._fail(node, path, "an alias refers to a node that contains it (recursive alias)")
            raise _Stop
        self.active.add(ident)
        try:
            if isinstance(node, yaml.SequenceNode):
                return self._sequence(node, path)
            return self._mapping(node, path)
        finally:
            self.active.discard(ident)

    def _sequence(self, node: yaml.SequenceNode, path: Path) -> list:
        items = []
        marks, file = self.marks, self.file
        for index, item in enumerate(node.value):
            sub = path + (index,)
            if marks is not None:
                start = item.start_mark
                marks[sub] = (file, start.line + 1, start.column + 1)
            items.append(self.node(item, sub))
        return items

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self._fail(key_node, path, "mapping keys must be plain strings")
                continue
            key = key_node.value
            if _merge_key(key_node):
                self._fail(key_node, path, "YAML merge keys ('<<') are not supported; use 'extends' to share settings")
                continue
            if key in result:
                first = next(k for k, _ in node.value if isinstance(k, yaml.ScalarNode) and k.value == key and not _merge_key(k))
                self._fail(key_node, path + (key,), f"duplicate key {key!r} (first set on line {first.start_mark.line + 1})")
                continue
            sub = path + (key,)
            if self.marks is not None:
                start = key_node.start_mark
                self.marks[sub] = (self.file, start.line + 1, start.column + 1)
            result[key] = self.node(value_node, sub)
        return result


def dotted(path: Path) -> str:
    """('services', 'web', 'egress', 0, 'ports') -> 'services.web.egress[0].ports'."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
