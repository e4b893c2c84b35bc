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

import re
from typing import Any

import yaml

from generator.errors import Finding

Path = tuple  # a field path: keys (str) and list indexes (int)
Mark = tuple[str, int, int]  # (file, line, column), 1-based

NODE_BUDGET = 100_000  # constructed nodes per file, aliases counted every time they are expanded
MAX_DEPTH = 48  # nested mappings and lists; the deepest spec field is about 10 levels down

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
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


class _Stop(Exception):
    """Construction cannot go on (alias bomb, recursion)."""


def parse(text: str, file: str) -> tuple[Any, dict[Path, Mark], list[Finding]]:
    """Parse ``text`` (the content of ``file``). Returns data, marks and findings; data is None on error."""
    try:
        documents = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        return None, {}, [Finding(file, line, col, "", f"invalid YAML: {err.problem or err.context}")]
    except yaml.reader.ReaderError as err:
        before = text[: err.position]
        line, col = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        return None, {}, [Finding(file, line, col, "", f"invalid YAML: {err.reason} (#x{ord(err.character) if isinstance(err.character, str) else err.character:04x})")]
    except yaml.YAMLError as err:
        return None, {}, [Finding(file, 1, 1, "", f"invalid YAML: {str(err).splitlines()[0]}")]
    if not documents:
        return None, {}, [Finding(file, 1, 1, "", "the file is empty; a spec file holds one YAML mapping")]
    if len(documents) > 1:
        second = documents[1].start_mark
        return None, {}, [Finding(file, second.line + 1, 1, "", "one YAML document per spec file, found several")]
    builder = _Builder(file)
    try:
        data = builder.node(documents[0], ())
    except _Stop:
        return None, {}, builder.findings
    return data, builder.marks, builder.findings


class _Builder:
    def __init__(self, file: str):
        self.file = file
        self.marks: dict[Path, Mark] = {}
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
        if id(node) in self.active:
            self._fail(node, path, "an alias refers to a node that contains it (recursive alias)")
            raise _Stop
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path)
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return self._sequence(node, path)
            return self._mapping(node, path)
        finally:
            self.active.discard(id(node))

    def _scalar(self, node: yaml.ScalarNode, path: Path) -> Any:
        construct = _CONSTRUCT.get(node.tag)
        if construct is None:
            self._fail(node, path, f"unsupported YAML tag {node.tag}")
            return None
        value = construct(node)
        if not node.style:  # plain: resolved by the schema, not written as a string
            tag_12, value_12 = _core_12(node.value)
            if not _same(value, value_12) and not (node.tag.endswith("timestamp") and tag_12.endswith("str")):
                self._fail(node, path, f"{node.value!r} reads as {value!r} in YAML 1.1 but {value_12!r} in YAML 1.2: "
                           "quote it if it is text, or write the number or true/false plainly")
        return value

    def _sequence(self, node: yaml.SequenceNode, path: Path) -> list:
        items = []
        for index, item in enumerate(node.value):
            self.marks[path + (index,)] = self._mark(item)
            items.append(self.node(item, path + (index,)))
        return items

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self._fail(key_node, path, "mapping keys must be plain strings")
                continue
            key = key_node.value
            if key == "<<" and key_node.tag == "tag:yaml.org,2002:merge":
                self._fail(key_node, path, "YAML merge keys ('<<') are not supported; use 'extends' to share settings")
                continue
            if key in result:
                first = self.marks[path + (key,)]
                self._fail(key_node, path + (key,), f"duplicate key {key!r} (first set on line {first[1]})")
                continue
            self.marks[path + (key,)] = self._mark(key_node)
            result[key] = self.node(value_node, path + (key,))
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
