"""A general structural diff: from a base object to an environment's object, as a strategic merge patch.

``strategic_patch(base, target, schema)`` returns the smallest readable patch that kustomize's strategic
merge turns ``base`` into ``target`` with, field by field, with no knowledge of particular fields:

- maps merge key by key: a changed or new key carries its new value (recursively for maps), a key the
  target lacks becomes ``key: null`` (delete), and a map emptied by the target is ``{$patch: replace}``;
- a list that the Kubernetes schema merges by key (``patch_keys``: containers by name, env by name...)
  is patched element by element: changed elements carry only their changes (plus the key), new elements
  come whole, dropped ones as ``{key: k, $patch: delete}``. Kustomize puts the patch's elements first, in
  patch order, then the base's untouched elements in base order; so the patch lists the shortest head of
  the target list after which the target is exactly the base's untouched elements (an unchanged element
  may appear as a bare ``{key: k}`` to hold its place);
- a merge list whose elements cannot be matched (a key missing or repeated) is replaced whole with the
  ``$patch: replace`` directive; every other list (schema says atomic, or a custom resource) is replaced
  whole by giving the new list;
- scalars carry their new value.

Pure functions of plain data; ``emit.kustomize`` adds the object's identity (apiVersion, kind, name).
"""

from __future__ import annotations

from typing import Any

from generator.emit.kustomize.patch_keys import Cursor

DIRECTIVE = "$patch"


def strategic_patch(base: dict, target: dict, schema: Cursor) -> dict:
    """The strategic merge patch turning ``base`` into ``target`` (both plain objects, neither mutated)."""
    return _map(base, target, schema)


def _map(base: dict, target: dict, schema: Cursor) -> dict:
    patch: dict[str, Any] = {}
    for key, value in target.items():
        if key not in base:
            patch[key] = value
        elif base[key] != value:
            patch[key] = _value(base[key], value, schema.field(key))
    for key in base:
        if key not in target:
            patch[key] = None
    return patch


def _value(base: Any, target: Any, schema: Cursor) -> Any:
    if isinstance(base, dict) and isinstance(target, dict):
        return _map(base, target, schema) if target else {DIRECTIVE: "replace"}
    if isinstance(base, list) and isinstance(target, list):
        key = schema.merge_key()
        if key is None:
            return target
        if keyed(base, key) and keyed(target, key):
            return _merge_list(base, target, key, schema.item())
        if all(isinstance(element, dict) for element in target):
            return [{DIRECTIVE: "replace"}, *target]
    return target


def keyed(elements: list, key: str) -> bool:
    """Every element is a map holding ``key`` with a scalar value, and no two share it."""
    values = [e.get(key) if isinstance(e, dict) else None for e in elements]
    scalar = all(isinstance(v, (str, int, float, bool)) for v in values)
    return scalar and len(set(values)) == len(values)


def _merge_list(base: list[dict], target: list[dict], key: str, item: Cursor) -> list[dict]:
    by_key = {element[key]: element for element in base}
    kept = {element[key] for element in target}
    head = _head_length(base, target, key, kept)
    patch = []
    for element in target[:head]:
        old = by_key.get(element[key])
        patch.append(element if old is None else {key: element[key], **_map(old, element, item)})
    patch += [{key: element[key], DIRECTIVE: "delete"} for element in base if element[key] not in kept]
    return patch


def _head_length(base: list[dict], target: list[dict], key: str, kept: set) -> int:
    """Shortest k such that target[k:] is exactly the base elements kept and not among target[:k]."""
    for k in range(len(target) + 1):
        head = {element[key] for element in target[:k]}
        rest = [element for element in base if element[key] in kept and element[key] not in head]
        if target[k:] == rest:
            return k
    return len(target)
