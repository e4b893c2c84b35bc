"""An object's identity: apiVersion, kind, namespace ("" when cluster-scoped) and name.

The one definition: the install order sorts by it, the review matches objects by it (with their
environment), the tests key objects by it, and the Kustomize tree's identity across environments (the
namespace relative to each environment's own) is made from it.
"""

from __future__ import annotations

from typing import NamedTuple


class ObjectRef(NamedTuple):
    api_version: str
    kind: str
    namespace: str
    name: str

    @classmethod
    def of(cls, o: dict) -> "ObjectRef":
        meta = o["metadata"]
        return cls(o["apiVersion"], o["kind"], meta.get("namespace") or "", meta["name"])

    @property
    def label(self) -> str:
        """'Deployment shop/web', or 'Namespace shop' for a cluster-scoped object."""
        return f"{self.kind} {self.namespace}/{self.name}" if self.namespace else f"{self.kind} {self.name}"
