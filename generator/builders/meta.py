"""Small helpers every builder shares: the ``Context`` of one environment, labels, metadata, and
``xdict`` (drop None, keep 0, "" and [])."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.spec import Environment

NAME_LABEL = "app.kubernetes.io/name"
MANAGED_BY = {"app.kubernetes.io/managed-by": "gitops-gen"}


@dataclass(frozen=True)
class Context:
    """What every builder needs to know about the environment it builds for."""

    env_name: str
    spec: Environment

    @property
    def namespace(self) -> str:
        return self.spec.namespace


def xdict(*pairs: tuple[str, Any], **fields: Any) -> dict[str, Any]:
    """A dict of the given fields in order, without the ones whose value is None."""
    return {k: v for k, v in [*pairs, *fields.items()] if v is not None}


def selector(service: str) -> dict[str, str]:
    """Labels that select the pods of one service (immutable once deployed)."""
    return {NAME_LABEL: service}


def labels(ctx: Context, service: str | None = None) -> dict[str, str]:
    """Labels on every object: the service it belongs to, the system, the generator, and the service's own
    extra labels (placement.labels)."""
    base = selector(service) if service else {}
    svc = ctx.spec.services.get(service) if service else None
    extra = dict(sorted(svc.placement.labels.items())) if svc else {}
    return {**base, "app.kubernetes.io/part-of": ctx.spec.system, **MANAGED_BY, **extra}


def metadata(
    name: str,
    ctx: Context | None = None,
    *,
    service: str | None = None,
    namespaced: bool = True,
    extra_labels: dict[str, str] | None = None,
    annotations: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Object metadata in a fixed key order: name, namespace, labels, annotations."""
    all_labels = {**(labels(ctx, service) if ctx else {}), **(extra_labels or {})}
    return xdict(
        name=name,
        namespace=ctx.namespace if (ctx and namespaced) else None,
        labels=all_labels or None,
        annotations=annotations or None,
    )


def obj(api_version: str, kind: str, meta: dict[str, Any], **body: Any) -> dict[str, Any]:
    """A Kubernetes object with keys in the conventional order."""
    return xdict(apiVersion=api_version, kind=kind, metadata=meta, **body)
