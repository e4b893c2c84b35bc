"""What changes between two renders, object by object: pure comparison of two FileSets.

Only the ``rendered/`` tree is compared: it holds every object of every environment (and the Argo CD
objects under ``rendered/argocd/``), and the Kustomize and Helm trees are views of the same objects.
An object is identified by environment, kind, namespace and name; it is added, removed, or changed, with
every differing field as (path, before, after). List items that carry a unique ``name`` (containers,
ports, env vars) are matched by name, so inserting one does not report every later item as changed;
in other lists that grow or shrink (NetworkPolicy rules, RBAC rules) items are matched by value, so only
the added and removed ones are listed.

Each change keeps both whole objects, for the risk rules (``rules``); the report formats (``report``) show
only the fields. Reading git refs lives in ``gitref``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator, Literal, Mapping

from generator import yamlio
from generator import layout
from generator.layout import ARGOCD_DIR
from generator.objectref import Named, ObjectRef
from generator.pipeline import Result

ROOT = f"{layout.ROOT}/"
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")

Key = tuple[str, str, str, str]  # environment, kind, namespace ("" when cluster-scoped), name


@dataclass(frozen=True)
class FieldChange:
    """One field that differs: its path and its value on each side (None when absent there)."""

    path: str
    before: Any
    after: Any


@dataclass(frozen=True)
class ObjectChange(Named):
    """One object that differs between base and head, with both versions (None on the side it is missing)."""

    env: str
    kind: str
    namespace: str
    name: str
    status: Literal["added", "removed", "changed"]
    fields: tuple[FieldChange, ...] = ()
    before: dict | None = field(default=None, compare=False, repr=False)
    after: dict | None = field(default=None, compare=False, repr=False)


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
                found[_key(env, o)] = o
    return found


def rendered_objects(result: Result | None) -> dict[Key, dict]:
    """The objects a render writes under ``rendered/``, taken from the render itself (no YAML parsing but
    of the few Argo CD files); {} for None (a revision without specs)."""
    if result is None:
        return {}
    found = {_key(ARGOCD_DIR, a.object): a.object for a in result.built.argocd}
    for env in result.built.environments:
        found.update((_key(env.tree, o), o) for o in env.objects)
    return found


def _key(env: str, o: dict) -> Key:
    ref = ObjectRef.of(o)
    return (env, ref.kind, ref.namespace, ref.name)


def compare(old: Mapping[Key, dict], new: Mapping[Key, dict], *, base_label: str, head_label: str) -> Report:
    """Objects added, removed and changed (with their changed fields) from ``old`` to ``new``."""
    changes = []
    for key in sorted(old.keys() | new.keys()):
        before, after = old.get(key), new.get(key)
        if after is None:
            changes.append(ObjectChange(*key, status="removed", before=before))
        elif before is None:
            changes.append(ObjectChange(*key, status="added", after=after))
        else:
            fields = tuple(field_changes(before, after))
            if fields:
                changes.append(ObjectChange(*key, status="changed", fields=fields, before=before, after=after))
    environments = tuple(sorted({k[0] for k in old.keys() | new.keys()}))
    return Report(base=base_label, head=head_label, changes=tuple(changes), environments=environments)


def field_changes(old: Any, new: Any, path: str = "") -> Iterator[FieldChange]:
    """The leaves (or whole lists) that differ, in document order, with both values; empty when equal."""
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
    elif isinstance(old, list) and isinstance(new, list):
        yield from _list_items(old, new, path)
    else:
        yield FieldChange(path or "(whole object)", old, new)


def _list_items(old: list, new: list, path: str) -> Iterator[FieldChange]:
    """A list that grew or shrank: the items only the old one has (at their old index) and the items
    only the new one has (at their new index), matched by equality."""
    used = [False] * len(old)
    added = []
    for j, item in enumerate(new):
        match = next((i for i, o in enumerate(old) if not used[i] and o == item), None)
        if match is None:
            added.append(j)
        else:
            used[match] = True
    for i, item in enumerate(old):
        if not used[i]:
            yield FieldChange(f"{path}[{i}]", item, None)
    for j in added:
        yield FieldChange(f"{path}[{j}]", None, new[j])


def _named(items: list) -> bool:
    names = [i.get("name") for i in items if isinstance(i, dict)]
    return len(names) == len(items) and all(isinstance(n, str) for n in names) and len(set(names)) == len(names)


def _join(path: str, key: Any) -> str:
    key = str(key)
    part = key if _PLAIN_KEY.match(key) else f'["{key}"]'
    if not path:
        return part
    return f"{path}{part}" if part.startswith("[") else f"{path}.{part}"
