"""What changes between two renders, object by object: pure comparison of two FileSets.

Only the ``rendered/`` tree is compared: it holds every object of every environment (and the Argo CD
objects under ``rendered/argocd/``), and the Kustomize and Helm trees are views of the same objects.
An object is identified by environment, kind, namespace and name; it is added, removed, or changed with
the paths of the fields that differ. List items that carry a unique ``name`` (containers, ports, env
vars) are matched by name, so inserting one does not report every later item as changed.

Reading git refs lives in ``gitbase``; turning a ``Report`` into text lives in ``diff_report``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator, Literal, Mapping

from generator import yamlio

ROOT = "rendered/"
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")

Key = tuple[str, str, str, str]  # environment, kind, namespace ("" when cluster-scoped), name


@dataclass(frozen=True, order=True)
class ObjectChange:
    """One object that differs between base and head."""

    env: str
    kind: str
    namespace: str
    name: str
    status: Literal["added", "removed", "changed"]
    fields: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.kind} {self.namespace}/{self.name}" if self.namespace else f"{self.kind} {self.name}"


@dataclass(frozen=True)
class Report:
    """Every change between two renders, in environment, kind, namespace, name order."""

    base: str
    head: str
    changes: tuple[ObjectChange, ...]
    environments: tuple[str, ...]

    def by_env(self) -> dict[str, list[ObjectChange]]:
        grouped: dict[str, list[ObjectChange]] = {}
        for change in self.changes:
            grouped.setdefault(change.env, []).append(change)
        return grouped

    def count(self, status: str) -> int:
        return sum(1 for c in self.changes if c.status == status)


def objects(files: Mapping[str, str]) -> dict[Key, dict]:
    """The objects of the ``rendered/`` files of a FileSet, by (tree, kind, namespace, name); a tree is an
    environment or one cluster of it (``<env>/<cluster>``)."""
    found: dict[Key, dict] = {}
    for path in sorted(files):
        if not (path.startswith(ROOT) and path.endswith(".yaml")):
            continue
        parts = path[len(ROOT):].split("/")  # <env>/<ns>/<file>, <env>/<cluster>/<ns>/<file>, argocd/[projects/]<file>
        env = "/".join(parts[:max(1, len(parts) - 2)])
        for o in yamlio.load_all(files[path]):
            if isinstance(o, dict) and "kind" in o and isinstance(o.get("metadata"), dict):
                meta = o["metadata"]
                found[(env, o["kind"], meta.get("namespace") or "", meta.get("name", ""))] = o
    return found


def compare(base: Mapping[str, str], head: Mapping[str, str], *, base_label: str, head_label: str) -> Report:
    """Objects added, removed and changed (with their changed field paths) from ``base`` to ``head``."""
    old, new = objects(base), objects(head)
    changes = []
    for key in sorted(old.keys() | new.keys()):
        if key not in new:
            changes.append(ObjectChange(*key, status="removed"))
        elif key not in old:
            changes.append(ObjectChange(*key, status="added"))
        else:
            fields = tuple(field_changes(old[key], new[key]))
            if fields:
                changes.append(ObjectChange(*key, status="changed", fields=fields))
    environments = tuple(sorted({k[0] for k in old.keys() | new.keys()}))
    return Report(base=base_label, head=head_label, changes=tuple(changes), environments=environments)


def field_changes(old: Any, new: Any, path: str = "") -> Iterator[str]:
    """Paths of the leaves (or whole lists) that differ, in document order; empty when equal."""
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            yield from field_changes(old.get(key), new.get(key), _join(path, key))
    elif isinstance(old, list) and isinstance(new, list) and _named(old) and _named(new):
        before = {item["name"]: item for item in old}
        after = {item["name"]: item for item in new}
        for name in [*before, *(n for n in after if n not in before)]:
            yield from field_changes(before.get(name), after.get(name), f"{path}[{name}]")
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, (a, b) in enumerate(zip(old, new)):
            yield from field_changes(a, b, f"{path}[{index}]")
    else:
        yield path or "(whole object)"


def _named(items: list) -> bool:
    names = [i.get("name") for i in items if isinstance(i, dict)]
    return len(names) == len(items) and all(isinstance(n, str) for n in names) and len(set(names)) == len(names)


def _join(path: str, key: Any) -> str:
    key = str(key)
    part = key if _PLAIN_KEY.match(key) else f'["{key}"]'
    if not path:
        return part
    return f"{path}{part}" if part.startswith("[") else f"{path}.{part}"
