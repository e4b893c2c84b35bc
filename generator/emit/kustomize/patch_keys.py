"""Where strategic merge patches merge lists element by element: the patch merge keys of Kubernetes kinds.

Kustomize (like ``kubectl patch --type strategic``) merges a list element by element only when the OpenAPI
schema of the field says ``x-kubernetes-patch-strategy: merge`` with a ``x-kubernetes-patch-merge-key``
(containers by ``name``, ports by ``containerPort``, volumeMounts by ``mountPath``...). Every other list,
and every list of a custom resource (kustomize has no schema for CRDs), is replaced whole by a patch.

This module answers that question offline from the Kubernetes JSON schemas bundled with
``kubernetes-validate`` (the same files ``validate.schemas`` uses). A ``Cursor`` walks an object's schema
alongside the object; ``patch`` asks it, at each list, which key (if any) the list merges on.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field as dataclass_field
from typing import Any, Mapping

from generator.validate.schemas import kubernetes_schemas

_REF = "#/$defs/"


@functools.lru_cache(maxsize=None)
def _definitions(version: str) -> dict[str, Any]:
    folder = kubernetes_schemas(version)
    return json.loads((folder / "_definitions.json").read_text(encoding="utf-8"))["$defs"]


@functools.lru_cache(maxsize=None)
def _kinds(version: str) -> dict[tuple[str, str], str]:
    """(apiVersion, kind) -> definition name, for every top-level kind of the schema set."""
    found = {}
    for name, schema in _definitions(version).items():
        for gvk in schema.get("x-kubernetes-group-version-kind", ()):
            api_version = f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]
            found[(api_version, gvk["kind"])] = name
    return found


_COMBINATORS = ("allOf", "anyOf", "oneOf")


@dataclass(frozen=True, eq=False)
class Cursor:
    """A position in a kind's schema; the empty cursor (no schema) knows no merge keys."""

    version: str = ""
    node: Mapping[str, Any] = dataclass_field(default_factory=dict)

    def _resolve(self, node: Mapping[str, Any] | None) -> "Cursor":
        node = node or {}
        while True:
            refs = [node.get("$ref")] + [n.get("$ref") for c in _COMBINATORS for n in node.get(c, ())]
            ref = next((r for r in refs if r), None)
            if ref is None or not ref.startswith(_REF):
                return Cursor(self.version, node)
            extras = {k: v for k, v in node.items() if k != "$ref" and k not in _COMBINATORS}
            node = {**_definitions(self.version)[ref[len(_REF):]], **extras}

    def field(self, name: str) -> "Cursor":
        """The schema of property ``name`` (empty when unknown)."""
        return self._resolve((self.node.get("properties") or {}).get(name))

    def item(self) -> "Cursor":
        """The schema of this list's elements."""
        return self._resolve(self.node.get("items"))

    def merge_key(self) -> str | None:
        """The key this list merges on under a strategic merge patch, or None when a patch replaces it."""
        strategy = str(self.node.get("x-kubernetes-patch-strategy", "")).split(",")
        return self.node.get("x-kubernetes-patch-merge-key") if "merge" in strategy else None


@functools.lru_cache(maxsize=None)
def cursor(version: str, api_version: str, kind: str) -> Cursor:
    """The schema cursor at the root of ``kind``; empty for kinds the Kubernetes schemas do not define."""
    name = _kinds(version).get((api_version, kind))
    if name is None:
        return Cursor()
    return Cursor(version, _definitions(version)[name])


def is_builtin(version: str, api_version: str, kind: str) -> bool:
    """Whether the Kubernetes schemas (and so kustomize's built-in schema) define this kind."""
    return (api_version, kind) in _kinds(version)
