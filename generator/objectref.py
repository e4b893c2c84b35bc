"""An object's identity: apiVersion, kind, namespace ("" when cluster-scoped) and name.

The one definition: the install order sorts by it, the review matches objects by it (with their
environment), the tests key objects by it, and the Kustomize tree's identity across environments (the
namespace relative to each environment's own) is made from it.
"""

from __future__ import annotations

from typing import NamedTuple


def short_ref(namespace: str, name: str) -> str:
    """'shop/web', or 'shop' for a cluster-scoped object."""
    return f"{namespace}/{name}" if namespace else name


class Named:
    """Mixin of the review's records that carry an object's kind, namespace and name."""

    kind: str
    namespace: str
    name: str

    @property
    def ref(self) -> str:
        return short_ref(self.namespace, self.name)

    @property
    def label(self) -> str:
        return f"{self.kind} {self.ref}"


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
        return f"{self.kind} {short_ref(self.namespace, self.name)}"
