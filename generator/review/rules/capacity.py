"""Rules about how much keeps running: fewer replicas, a weaker disruption budget, smaller or missing
limits, a probe gone, and deletions of what holds workloads or data."""

from __future__ import annotations

import re
from typing import Iterator

from generator.review.risk import rule
from generator.review.rules.objects import SCALED, WORKLOADS, get, paired, show
from generator.spec.common import cpu_millicores, memory_bytes

PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
REMOVABLE = WORKLOADS | {"Namespace", "PersistentVolumeClaim"}


@rule("replicas-reduced", "medium", kinds=SCALED | {"HorizontalPodAutoscaler"})
def replicas_reduced(before: dict | None, after: dict | None) -> Iterator[str]:
    """A workload's ``spec.replicas`` or an HPA's ``minReplicas`` goes down (an HPA taking over the
    count, which removes ``spec.replicas``, is not a reduction)."""
    if before is None or after is None:
        return
    field = "minReplicas" if after["kind"] == "HorizontalPodAutoscaler" else "replicas"
    default = 1 if field == "minReplicas" else None  # an HPA without minReplicas keeps at least 1
    old, new = get(before, "spec", field, default=default), get(after, "spec", field, default=default)
    if isinstance(old, int) and isinstance(new, int) and new < old:
        yield f"spec.{field} {old} -> {new}"


def _percent(value) -> float | None:
    if isinstance(value, int):
        return None
    match = re.fullmatch(r"([0-9]+)%", str(value))
    return float(match.group(1)) if match else None


def _less(a, b) -> bool:
    """a < b for two PDB amounts of the same form (both counts or both percentages)."""
    if isinstance(a, int) and isinstance(b, int):
        return a < b
    pa, pb = _percent(a), _percent(b)
    return pa is not None and pb is not None and pa < pb


@rule("disruption-weakened", "medium", kinds={"PodDisruptionBudget"})
def disruption_weakened(before: dict | None, after: dict | None) -> Iterator[str]:
    """A PDB's minAvailable goes down, its maxUnavailable goes up, or the PDB is removed."""
    if before is None:
        return
    if after is None:
        yield "PodDisruptionBudget removed: voluntary evictions may take every pod at once"
        return
    old_min, new_min = get(before, "spec", "minAvailable"), get(after, "spec", "minAvailable")
    old_max, new_max = get(before, "spec", "maxUnavailable"), get(after, "spec", "maxUnavailable")
    if old_min is not None and (new_min is None and new_max is None or new_min is not None and _less(new_min, old_min)):
        yield f"spec.minAvailable {show(old_min)} -> {show(new_min)}"
    if old_max is not None and new_max is not None and _less(old_max, new_max):
        yield f"spec.maxUnavailable {show(old_max)} -> {show(new_max)}"
    if old_max is None and new_max is not None and old_min is not None and new_min is None:
        yield f"spec.minAvailable {show(old_min)} replaced by spec.maxUnavailable {show(new_max)}"


def _amount(resource: str, quantity) -> float | None:
    try:
        return cpu_millicores(str(quantity)) if resource == "cpu" else memory_bytes(str(quantity))
    except (AttributeError, KeyError, ValueError):
        return None


@rule("resources-changed", "medium", kinds=WORKLOADS)
def resources_changed(before: dict | None, after: dict | None) -> Iterator[str]:
    """A container's CPU or memory limit is removed or lowered."""
    for name, old, new in paired(before, after):
        if old is None:
            continue
        old_limits = get(old, "resources", "limits", default={}) or {}
        new_limits = get(new, "resources", "limits", default={}) or {}
        for resource in sorted(old_limits):
            a, b = old_limits[resource], new_limits.get(resource)
            if b is None:
                yield f"container {name}: limits.{resource} {show(a)} -> unset"
            elif resource in ("cpu", "memory") and (x := _amount(resource, a)) is not None:
                y = _amount(resource, b)
                if y is not None and y < x:
                    yield f"container {name}: limits.{resource} {show(a)} -> {show(b)}"


@rule("probe-removed", "medium", kinds=WORKLOADS)
def probe_removed(before: dict | None, after: dict | None) -> Iterator[str]:
    """A container loses its liveness, readiness or startup probe."""
    for name, old, new in paired(before, after):
        for probe in PROBES:
            if old is not None and probe in old and probe not in new:
                yield f"container {name}: {probe} removed"


@rule("object-removed", "high", kinds=REMOVABLE)
def object_removed(before: dict | None, after: dict | None) -> Iterator[str]:
    """A workload, Namespace or PersistentVolumeClaim is deleted (Argo CD prunes it on sync)."""
    if before is not None and after is None:
        what = {"Namespace": "and everything in it", "PersistentVolumeClaim": "with its volume's data"}
        yield f"{before['kind']} deleted" + (f" {what[before['kind']]}" if before["kind"] in what else "")
