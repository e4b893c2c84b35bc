"""Rules within one service that its fields cannot check alone: what each workload kind accepts, which
probes it needs and that they target declared ports, that names of ports, containers, volumes and mounts
do not collide, that valueFrom secret keys exist, and that a setting checkov would fail carries a waiver.
Each rule yields (field path, message) pairs; ``generator.load`` adds file and line.
"""

from __future__ import annotations

from typing import Iterator

from generator.spec.kinds import BATCH_KINDS
from generator.spec.probes import Probes
from generator.spec.service import Service, writable_volume_name

Problem = tuple[tuple, str]

PULL_POLICY_CHECK = "CKV_K8S_15"
LIVENESS_CHECK = "CKV_K8S_8"
READINESS_CHECK = "CKV_K8S_9"


class ServiceProblems:
    """``service_problems`` of each (name, service model), worked out once: the environments and clusters of
    one load share the models of the services they do not change (``generator.spec.validator``). Each
    model is kept with its problems, so its identity is not reused."""

    def __init__(self) -> None:
        self._found: dict[tuple[str, int], tuple[Service, list[Problem]]] = {}

    def __call__(self, name: str, svc: Service) -> list[Problem]:
        entry = self._found.get((name, id(svc)))
        if entry is None or entry[0] is not svc:
            entry = self._found[(name, id(svc))] = (svc, list(service_problems(name, svc)))
        return entry[1]


def service_problems(name: str, svc: Service) -> Iterator[Problem]:
    base = ("services", name)
    for rule in (_kind, _probes, _ports, _volumes, _env, _policy):
        for path, message in rule(svc):
            yield base + path, message
    names = {svc.container_name or name}
    for i, extra in enumerate(svc.init_containers):
        if extra.name in names:
            yield base + ("initContainers", i, "name"), f"container name {extra.name!r} is already used"
        names.add(extra.name)


def _kind(svc: Service) -> Iterator[Problem]:
    kind = svc.kind
    if not svc.serves:
        for field in ("service_port", "app_protocol"):
            if getattr(svc, field) is not None:
                yield (_key(field),), f"a {kind} listens on no port and has no Service: remove {_key(field)}"
        if svc.expose or svc.external_service:
            yield (), f"a {kind} has no Service to expose"
        for p in svc.ports:
            if p.service_port is not None:
                yield ("ports",), f"a {kind} has no Service: remove servicePort from port {p.name!r}"
    if kind != "Deployment" and svc.rollout is not None:
        yield ("rollout",), f"a canary rollout needs kind Deployment, not {kind}"
    if kind in BATCH_KINDS or kind == "DaemonSet":
        for field in ("disruption", "autoscaling", "singleton"):
            if getattr(svc, field) is not None and (kind != "DaemonSet" or field != "disruption"):
                yield (_key(field),), f"a {kind} takes no {_key(field)}"
        if svc.replicas != 1:
            yield ("replicas",), f"a {kind} has no replica count" + (
                " (use job.parallelism)" if kind in BATCH_KINDS else " (one pod per node)")
    if (kind == "CronJob") != (svc.cron is not None):
        yield ("cron",), "a CronJob needs cron (its schedule)" if kind == "CronJob" else "cron goes with kind CronJob"
    for field, owner in (("stateful_set", ("StatefulSet",)), ("daemon_set", ("DaemonSet",)), ("job", BATCH_KINDS)):
        if getattr(svc, field) is not None and kind not in owner:
            yield (_key(field),), f"{_key(field)} goes with kind {' or '.join(owner)}"
    if kind == "Job" and svc.batch.ttl_seconds_after_finished is not None:
        yield ("job", "ttlSecondsAfterFinished"), (
            "Argo CD would recreate a Job deleted after it finishes and run it again: leave it unset "
            "(a CronJob's Jobs may set it)"
        )
    if kind == "StatefulSet" and svc.service_type == "None":
        yield ("serviceType",), "a StatefulSet needs its governing (headless) Service"
    if svc.singleton and (svc.replicas > 1 or svc.autoscaling):
        yield ("singleton",), "a singleton runs one pod: set replicas 1 and no autoscaling"


def _probes(svc: Service) -> Iterator[Problem]:
    if svc.has_service and svc.probes.readiness is None:
        yield ("probes", "readiness"), "a workload behind a Service needs a readiness probe (or serviceType: None)"
    yield from _probe_ports(("probes",), svc.probes, svc.declared_ports, svc.serves)
    for i, extra in enumerate(svc.init_containers):
        ports = {p.name: p.container_port for p in extra.ports}
        yield from _probe_ports(("initContainers", i, "probes"), extra.probes, ports, False)


def _probe_ports(base: tuple, probes: Probes, declared: dict[str, int], main_port: bool) -> Iterator[Problem]:
    for which, probe in probes.items():
        target = probe.target_port
        if target is None:
            if probe.path is not None and not main_port:
                yield base + (which, "port"), "this container has no main port: give the port to probe"
            continue
        if target not in declared and target not in declared.values():
            known = ", ".join(f"{n} ({p})" for n, p in declared.items()) or "none"
            yield base + (which,), f"probes port {target!r}, which the container does not declare (ports: {known})"


def _ports(svc: Service) -> Iterator[Problem]:
    names: set[str] = {svc.port_name} if svc.serves else set()
    numbers: set[tuple[int, str]] = {(svc.port, "TCP")} if svc.serves else set()
    published = {svc.exposed_port} if svc.has_service else set()
    for i, p in enumerate(svc.ports):
        if p.name in names:
            yield ("ports", i, "name"), f"port name {p.name!r} is already used"
        if (p.container_port, p.protocol) in numbers:
            yield ("ports", i, "containerPort"), f"port {p.container_port}/{p.protocol} is already declared"
        if p.service_port is not None and p.service_port in published:
            yield ("ports", i, "servicePort"), f"Service port {p.service_port} is already used"
        names.add(p.name)
        numbers.add((p.container_port, p.protocol))
        published.add(p.service_port)
    if svc.metrics and svc.metrics.port and not svc.serves and svc.metrics.port not in {n for n, _ in numbers}:
        yield ("metrics", "port"), "declare the metrics port in ports (this kind has no main port)"


def _volumes(svc: Service) -> Iterator[Problem]:
    taken = {writable_volume_name(p): ("security", "writablePaths") for p in svc.security.writable_paths}
    taken.update({f"secret-{i}": ("secrets", i) for i, s in enumerate(svc.secrets) if s.mount_path})
    paths = {p: ("security", "writablePaths") for p in svc.security.writable_paths}
    paths.update({s.mount_path: ("secrets", i) for i, s in enumerate(svc.secrets) if s.mount_path})
    for name, volume in svc.volumes.items():
        where = ("volumes", name)
        if name in taken:
            yield where, f"volume name {name!r} is already used by {'.'.join(map(str, taken[name]))}"
        if volume.mount_path in paths:
            yield where + ("mountPath",), f"{volume.mount_path} is already mounted by {'.'.join(map(str, paths[volume.mount_path]))}"
        paths[volume.mount_path] = where
        if volume.files and volume.sub_path and volume.sub_path not in volume.files:
            yield where + ("subPath",), f"{volume.sub_path!r} is not one of its files ({', '.join(volume.files)})"
    for i, extra in enumerate(svc.init_containers):
        for j, mount in enumerate(extra.mounts):
            if mount.volume not in svc.volumes:
                known = ", ".join(svc.volumes) or "none"
                yield ("initContainers", i, "mounts", j, "volume"), f"unknown volume {mount.volume!r} (volumes: {known})"


def _env(svc: Service) -> Iterator[Problem]:
    synced = {key for source in svc.secrets for key in source.keys}
    seen = set(svc.env) | {key for source in svc.secrets if source.mount_path is None for key in source.keys}
    for i, var in enumerate(svc.env_vars):
        if var.name in seen:
            yield ("envVars", i, "name"), f"variable {var.name} is already set (env or secrets)"
        seen.add(var.name)
    lists = [(("envVars",), svc.env_vars)] + [(("initContainers", i, "env"), c.env) for i, c in enumerate(svc.init_containers)]
    for base, variables in lists:
        for i, var in enumerate(variables):
            key = var.value_from.secret_key if var.value_from else None
            if key is not None and key not in synced:
                known = ", ".join(sorted(synced)) or "the service has no secrets"
                yield base + (i, "valueFrom", "secretKey"), f"{key} is not a key of the synced Secret ({known})"


def _policy(svc: Service) -> Iterator[Problem]:
    """What checkov would fail is refused unless the spec waives it with a reason."""
    waived = {w.check for w in svc.waivers}
    images = [(("image", "pullPolicy"), svc.image)] + [
        (("initContainers", i, "image", "pullPolicy"), c.image) for i, c in enumerate(svc.init_containers)
    ]
    for where, image in images:
        if image.pull_policy != "Always" and PULL_POLICY_CHECK not in waived:
            yield where, f"imagePullPolicy {image.pull_policy} fails {PULL_POLICY_CHECK}: waive it with a reason or use Always"
    if svc.kind not in BATCH_KINDS:
        for probe, check in (("liveness", LIVENESS_CHECK), ("readiness", READINESS_CHECK)):
            if getattr(svc.probes, probe) is None and check not in waived:
                yield ("probes", probe), f"no {probe} probe fails {check}: add one or waive it with a reason"


def _key(field: str) -> str:
    head, *rest = field.split("_")
    return head + "".join(part.capitalize() for part in rest)
