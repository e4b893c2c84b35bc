"""API-server rules that the JSON schemas cannot express, checked on every object (built or committed):
names that must be unique in a pod (volumes, containers, each container's ports, env variables and mount
paths), Secret and ConfigMap keys the kubelet reserves, and the size limits of data and annotations. A
spec that passed the loader never trips these; they keep any builder honest."""

from __future__ import annotations

from typing import Any, Iterator

MAX_DATA_BYTES = 1024 * 1024
MAX_ANNOTATIONS_BYTES = 256 * 1024


def _duplicates(items: list[dict], key: str, where: str) -> Iterator[tuple[str, str]]:
    seen: set = set()
    for index, item in enumerate(items or []):
        value = item.get(key) if isinstance(item, dict) else None
        if value is not None and value in seen:
            yield f"{where}[{index}].{key}", f"{value!r} appears twice (must be unique)"
        seen.add(value)


def _pod_spec(obj: dict) -> dict | None:
    spec = obj.get("spec")
    template = spec.get("template") if isinstance(spec, dict) else None
    pod = template.get("spec") if isinstance(template, dict) else None
    return pod if isinstance(pod, dict) else None


def violations(obj: Any) -> list[tuple[str, str]]:
    """(field path, message) of every rule ``obj`` breaks."""
    if not isinstance(obj, dict):
        return []
    found: list[tuple[str, str]] = []
    metadata = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    notes = metadata.get("annotations") or {}
    if isinstance(notes, dict) and sum(len(str(k)) + len(str(v)) for k, v in notes.items()) > MAX_ANNOTATIONS_BYTES:
        found.append(("metadata.annotations", f"larger than {MAX_ANNOTATIONS_BYTES} bytes"))
    if obj.get("kind") in ("ConfigMap", "Secret"):
        data = {**(obj.get("data") or {}), **(obj.get("stringData") or {})}
        if sum(len(str(k)) + len(str(v).encode()) for k, v in data.items()) > MAX_DATA_BYTES:
            found.append(("data", f"larger than {MAX_DATA_BYTES} bytes"))
        found += [(f"data.{k}", "a key cannot be '.' or '..' or start with '..'") for k in data if str(k).startswith("..") or k == "."]
    pod = _pod_spec(obj)
    if pod is None:
        return found
    base = "spec.template.spec"
    found += _duplicates(pod.get("volumes"), "name", f"{base}.volumes")
    for volume in pod.get("volumes") or []:
        for item in (volume.get("secret") or volume.get("configMap") or {}).get("items") or []:
            path = str(item.get("path", ""))
            if path.startswith("..") or "/../" in f"/{path}/" or path.startswith("/"):
                found.append((f"{base}.volumes.{volume.get('name')}.items", f"item path {path!r} leaves the volume"))
    containers = [*(pod.get("initContainers") or []), *(pod.get("containers") or [])]
    found += _duplicates(containers, "name", f"{base}.containers")
    for index, container in enumerate(pod.get("containers") or []):
        where = f"{base}.containers[{index}]"
        found += _duplicates(container.get("ports"), "name", f"{where}.ports")
        found += _duplicates(container.get("ports"), "containerPort", f"{where}.ports")
        found += _duplicates(container.get("env"), "name", f"{where}.env")
        found += _duplicates(container.get("volumeMounts"), "mountPath", f"{where}.volumeMounts")
    return found
