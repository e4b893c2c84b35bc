"""Reading Kubernetes objects the way the rules need: the pod spec of any workload kind, its containers
matched by name, their effective security settings, and values shown compactly in messages.

Pure helpers over plain dicts; no rule lives here.
"""

from __future__ import annotations

import json
from typing import Any, Iterator

WORKLOADS = frozenset({"Deployment", "Rollout", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"})
SCALED = frozenset({"Deployment", "Rollout", "StatefulSet", "ReplicaSet"})


def get(o: Any, *path: str | int, default: Any = None) -> Any:
    """``o[path[0]][path[1]]...``, or ``default`` as soon as a step is missing."""
    for step in path:
        if isinstance(o, dict) and isinstance(step, str) and step in o:
            o = o[step]
        elif isinstance(o, list) and isinstance(step, int) and -len(o) <= step < len(o):
            o = o[step]
        else:
            return default
    return o


def pod_spec(o: dict | None) -> dict:
    """The pod spec of a workload (CronJob included); {} for anything else or None."""
    if not o or o.get("kind") not in WORKLOADS:
        return {}
    spec = o.get("spec") or {}
    if o["kind"] == "CronJob":
        spec = get(spec, "jobTemplate", "spec", default={})
    return get(spec, "template", "spec", default={}) or {}


def containers(o: dict | None) -> dict[str, dict]:
    """Every container (init containers included) of a workload, by name."""
    pod = pod_spec(o)
    found: dict[str, dict] = {}
    for field in ("initContainers", "containers", "ephemeralContainers"):
        for c in pod.get(field) or []:
            if isinstance(c, dict):
                found[str(c.get("name", ""))] = c
    return found


def paired(before: dict | None, after: dict | None) -> Iterator[tuple[str, dict | None, dict]]:
    """(name, container before or None, container after) for every container of ``after``."""
    old = containers(before)
    for name, c in containers(after).items():
        yield name, old.get(name), c


def security(pod: dict, container: dict | None, field: str) -> Any:
    """The effective value of a security setting: the container's, else the pod's (for fields both have)."""
    value = get(container, "securityContext", field)
    return get(pod, "securityContext", field) if value is None else value


def show(value: Any) -> str:
    """A value as a reviewer reads it: strings bare, absent as 'unset', anything else as compact JSON."""
    if value is None:
        return "unset"
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def labels(selector: dict | None) -> str:
    """A label selector as 'k=v,k2=v2' ('all' when it selects everything)."""
    selector = selector or {}
    parts = [f"{k}={v}" for k, v in sorted((selector.get("matchLabels") or {}).items())]
    parts += [f"{e.get('key')} {e.get('operator')} {show(e.get('values'))}" for e in selector.get("matchExpressions") or []]
    return ",".join(parts) or "all"
