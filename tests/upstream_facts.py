"""Facts of upstream manifests kept under tests/upstream/, and the same facts read from rendered objects,
in one comparable shape: what a faithful port must keep (images, commands, ports, probe handlers and
timings, env, resources, volumes, schedules), leaving out what the platform adds (labels, hardening,
ServiceAccounts, NetworkPolicies) and names that differ only in form (a targetPort by number upstream
is the same port by name here)."""

from __future__ import annotations

from pathlib import Path

import yaml

UPSTREAM = Path(__file__).resolve().parent / "upstream"
_POD_KINDS = ("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Rollout")


def load_upstream(*parts: str) -> list[dict]:
    path = UPSTREAM.joinpath(*parts)
    return [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]


def pod_spec(o: dict) -> dict:
    spec = o["spec"]
    return spec["jobTemplate"]["spec"]["template"]["spec"] if o["kind"] == "CronJob" else spec["template"]["spec"]


def _port_number(container: dict, port):
    """A probe or Service port as a number, resolving names through the container's ports."""
    if isinstance(port, int):
        return port
    for p in container.get("ports", []):
        if p.get("name") == port:
            return p["containerPort"]
    raise AssertionError(f"port {port!r} is not declared by {container['name']}")


def _probe(container: dict, probe: dict | None) -> dict | None:
    if probe is None:
        return None
    timings = {k: v for k, v in probe.items() if k.endswith("Seconds") or k.endswith("Threshold")}
    if "grpc" in probe:
        handler = ("grpc", _port_number(container, probe["grpc"]["port"]), probe["grpc"].get("service"))
    elif "tcpSocket" in probe:
        handler = ("tcpSocket", _port_number(container, probe["tcpSocket"]["port"]))
    elif "exec" in probe:
        handler = ("exec", tuple(probe["exec"]["command"]))
    else:
        http = probe["httpGet"]
        headers = tuple((h["name"], h["value"]) for h in http.get("httpHeaders", []))
        handler = ("httpGet", http["path"], _port_number(container, http["port"]), http.get("scheme", "HTTP"), headers)
    return {"handler": handler, **timings}


def _env(container: dict, config_maps: dict[str, dict]) -> dict:
    """Every variable's literal value (or its valueFrom), whether set in env or through envFrom."""
    values = {}
    for source in container.get("envFrom", []):
        values.update(config_maps[source["configMapRef"]["name"]])
    for var in container.get("env", []):
        values[var["name"]] = var.get("value", var.get("valueFrom"))
    return values


def _mounts(pod: dict, container: dict, templates: list[dict]) -> dict:
    """mountPath -> (volume type, ConfigMap or claim detail), leaving out the platform's writable /tmp."""
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    volumes.update({t["metadata"]["name"]: {"name": t["metadata"]["name"], "persistentVolumeClaim": t["spec"]}
                    for t in templates})
    found = {}
    for m in container.get("volumeMounts", []):
        volume = volumes[m["name"]]
        kind = next(k for k in volume if k != "name")
        detail = volume[kind]
        mode = detail.get("defaultMode") if kind == "configMap" else None
        found[m["mountPath"] + ("/" + m["subPath"] if m.get("subPath") else "")] = (kind, mode)
    return found


def container_facts(pod: dict, container: dict, config_maps: dict[str, dict], templates=()) -> dict:
    return {
        "image": container["image"],
        "command": container.get("command"),
        "args": container.get("args"),
        "ports": sorted((p["containerPort"], p.get("protocol", "TCP")) for p in container.get("ports", [])),
        "env": _env(container, config_maps),
        "resources": container.get("resources"),
        "liveness": _probe(container, container.get("livenessProbe")),
        "readiness": _probe(container, container.get("readinessProbe")),
        "startup": _probe(container, container.get("startupProbe")),
        "mounts": _mounts(pod, container, list(templates)),
    }


def workload_facts(o: dict, config_maps: dict[str, dict]) -> dict:
    pod = pod_spec(o)
    templates = o["spec"].get("volumeClaimTemplates", [])
    facts = {
        "kind": o["kind"],
        "containers": {c["name"]: container_facts(pod, c, config_maps, templates) for c in pod["containers"]},
        "initContainers": {c["name"]: container_facts(pod, c, config_maps, templates) for c in pod.get("initContainers", [])},
        "terminationGracePeriodSeconds": pod.get("terminationGracePeriodSeconds", 30),
    }
    spec = o["spec"]
    if o["kind"] == "CronJob":
        job = spec["jobTemplate"]["spec"]
        facts["schedule"] = {k: spec.get(k) for k in ("schedule", "concurrencyPolicy", "successfulJobsHistoryLimit",
                                                      "failedJobsHistoryLimit")}
        facts["job"] = {k: job.get(k) for k in ("backoffLimit", "ttlSecondsAfterFinished")}
        facts["restartPolicy"] = pod.get("restartPolicy")
    for key in ("minReadySeconds", "revisionHistoryLimit", "progressDeadlineSeconds"):
        if key in spec:
            facts[key] = spec[key]
    return facts


def service_facts(service: dict, workload: dict) -> dict:
    """A Service's type, headlessness and ports (name, port, target port as a number)."""
    container = pod_spec(workload)["containers"][0]
    spec = service["spec"]
    return {
        "type": spec.get("type", "ClusterIP"),
        "headless": spec.get("clusterIP") == "None",
        "ports": sorted(
            (p["port"], _port_number(container, p.get("targetPort", p["port"])), p.get("protocol", "TCP"))
            for p in spec["ports"]
        ),
    }


def config_map_data(objects: list[dict]) -> dict[str, dict]:
    return {o["metadata"]["name"]: o.get("data", {}) for o in objects if o["kind"] == "ConfigMap"}


def workloads(objects: list[dict]) -> dict[str, dict]:
    return {o["metadata"]["name"]: o for o in objects if o["kind"] in _POD_KINDS}
