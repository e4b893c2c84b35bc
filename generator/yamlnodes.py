"""Turn one YAML spec file into plain data plus the line and column of every key and list item.

Safer and stricter than ``yaml.safe_load``: duplicate keys, merge keys (``<<``), custom tags, recursive
aliases and alias bombs are errors; keys stay the text that was written (``on:`` is the key "on", not
True); timestamps stay strings. Used only by ``generator.load``.
"""

from __future__ import annotations

from typing import Any

import yaml

from generator.errors import Finding

Path = tuple  # a field path: keys (str) and list indexes (int)
Mark = tuple[str, int, int]  # (file, line, column), 1-based

NODE_BUDGET = 100_000  # constructed nodes per file, aliases counted every time they are expanded

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
        return construct(node)

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
