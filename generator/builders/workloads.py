"""The pieces that run one service: its configuration ConfigMap, its pod template, and its Services (the
workload object around the pod template is ``generator.builders.delivery``'s; containers are
``generator.builders.containers``', volumes ``generator.builders.volumes``').

The pod template carries the hardened defaults: non-root identity, RuntimeDefault seccomp, no service
account token unless the service has API access, and the spec's placement.
"""

from __future__ import annotations

import hashlib
import json
from typing import Mapping

from generator.builders.containers import config_name, init_container
from generator.builders.containers import main_container as container
from generator.builders.meta import Context, metadata, obj, selector, xdict
from generator.builders.monitoring import pod_annotations
from generator.builders.secrets import secret_volumes
from generator.builders.volumes import files_checksum, pod_volumes
from generator.spec import Service

TOKEN_MOUNT_CHECK = "CKV_K8S_38"
SINGLETON_ANNOTATION = "gitops-gen/singleton"

# Go's encoding/json (Helm's toJson) escapes these where Python's json.dumps writes them as they are.
_GO_JSON_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def config_checksum(env: Mapping[str, str]) -> str:
    """sha256 of the configuration as Go's encoding/json writes it (keys sorted, compact), which is what
    Helm's ``toJson`` gives: a chart computes the same digest for the same values, and one changed with
    ``--set`` rolls the pods. A traced mapping (the chart's tracer) says how the digest was made."""
    text = json.dumps(dict(sorted(env.items())), ensure_ascii=False, separators=(",", ":"))
    for char, escape in _GO_JSON_ESCAPES:
        text = text.replace(char, escape)
    digest = hashlib.sha256(text.encode()).hexdigest()
    derived = getattr(env, "derived", None)
    return derived(digest, "sha256-json") if derived else digest


def config_map(ctx: Context, name: str, svc: Service) -> dict | None:
    """Non-secret configuration as a ConfigMap (keys sorted), or None when the service has none."""
    if not svc.env:
        return None
    return obj("v1", "ConfigMap", metadata(config_name(name), ctx, service=name), data=dict(sorted(svc.env.items())))


def waiver_annotations(svc: Service) -> dict[str, str]:
    """checkov.io/skipN annotations, one per waiver in spec order; API access adds its token-mount reason."""
    waivers = [(w.check, w.reason) for w in svc.waivers]
    if svc.access and all(check != TOKEN_MOUNT_CHECK for check, _ in waivers):
        waivers.append((TOKEN_MOUNT_CHECK, svc.access.reason))
    return {f"checkov.io/skip{i}": f"{check}={reason}" for i, (check, reason) in enumerate(waivers, start=1)}


def account_name(name: str, svc: Service) -> str:
    return svc.service_account.name or name


def pod_template(ctx: Context, name: str, svc: Service) -> dict:
    sec = svc.security
    place = svc.placement
    annotations = pod_annotations(svc)
    if svc.env:
        annotations = {"checksum/config": config_checksum(svc.env), **annotations}
    files = files_checksum(svc)
    if files:
        annotations["checksum/files"] = files
    annotations.update(sorted(place.pod_annotations.items()))
    secret_vols, _ = secret_volumes(name, svc)
    volumes = pod_volumes(name, svc, secret_vols)
    pod_spec = xdict(
        serviceAccountName=account_name(name, svc),
        automountServiceAccountToken=svc.access is not None,
        securityContext={
            "runAsNonRoot": True,
            "runAsUser": sec.run_as_user,
            "runAsGroup": sec.run_as_group,
            "fsGroup": sec.fs_group,
            "seccompProfile": {"type": "RuntimeDefault"},
        },
        restartPolicy=svc.batch.restart_policy if svc.kind in ("Job", "CronJob") else None,
        priorityClassName=place.priority_class_name,
        imagePullSecrets=[{"name": s} for s in place.image_pull_secrets] or None,
        nodeSelector=dict(sorted(place.node_selector.items())) or None,
        tolerations=[
            xdict(key=t.key, operator=t.operator, value=t.value, effect=t.effect, tolerationSeconds=t.toleration_seconds)
            for t in place.tolerations
        ] or None,
        affinity=_anti_affinity(name, svc),
        terminationGracePeriodSeconds=svc.termination_grace_period_seconds,
        topologySpreadConstraints=_spread(name, svc),
        initContainers=[init_container(name, svc, c) for c in svc.init_containers] or None,
        containers=[container(name, svc)],
        volumes=volumes or None,
    )
    labels = {**metadata(name, ctx, service=name)["labels"], **dict(sorted(place.pod_labels.items()))}
    meta = xdict(labels=labels, annotations=annotations or None)
    return {"metadata": meta, "spec": pod_spec}


def _anti_affinity(name: str, svc: Service) -> dict | None:
    mode = svc.placement.anti_affinity
    if mode is None:
        return None
    term = {"labelSelector": {"matchLabels": selector(name)}, "topologyKey": "kubernetes.io/hostname"}
    if mode == "required":
        rules = {"requiredDuringSchedulingIgnoredDuringExecution": [term]}
    else:
        rules = {"preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 100, "podAffinityTerm": term}]}
    return {"podAntiAffinity": rules}


def _spread(name: str, svc: Service) -> list[dict] | None:
    if not svc.spread.zones or svc.max_pods < 2 or svc.kind == "DaemonSet":
        return None
    return [{
        "maxSkew": svc.spread.max_skew,
        "topologyKey": "topology.kubernetes.io/zone",
        "whenUnsatisfiable": svc.spread.when_unsatisfiable,
        "labelSelector": {"matchLabels": selector(name)},
    }]


def _service_ports(svc: Service) -> list[dict]:
    ports = [xdict(name=svc.port_name, port=svc.exposed_port, targetPort=svc.port_name, protocol="TCP",
                   appProtocol=svc.app_protocol)]
    declared = {p.container_port: p for p in svc.ports}
    if svc.metrics_port and svc.metrics_port not in declared:
        ports.append({"name": "metrics", "port": svc.metrics_port, "targetPort": "metrics", "protocol": "TCP"})
    for p in svc.ports:
        scraped = svc.metrics is not None and svc.metrics.service_monitor and p.container_port == svc.metrics_port
        published = p.service_port or (p.container_port if scraped else None)
        if published is not None:
            ports.append(xdict(name=p.name, port=published, targetPort=p.name, protocol=p.protocol,
                               appProtocol=p.app_protocol))
    return ports


def service(ctx: Context, name: str, svc: Service) -> dict | None:
    """The service's own Service (ClusterIP, or headless for a StatefulSet or when asked), targeting the
    container's ports by name; None for a workload with no Service."""
    if not svc.has_service:
        return None
    headless = svc.kind == "StatefulSet" or svc.service_type == "Headless"
    spec = xdict(
        type="ClusterIP",
        clusterIP="None" if headless else None,
        selector=selector(name),
        ports=_service_ports(svc),
    )
    return obj("v1", "Service", metadata(name, ctx, service=name), spec=spec)


def external_name(name: str, svc: Service) -> str:
    return svc.external_service.name or f"{name}-external"


def external_service(ctx: Context, name: str, svc: Service) -> dict | None:
    """A LoadBalancer or NodePort Service on the main port. externalTrafficPolicy Local keeps the client's
    address, so the NetworkPolicy's ipBlocks (the allowed source ranges) see it."""
    e = svc.external_service
    if e is None:
        return None
    port = xdict(name=svc.port_name, port=e.port or svc.exposed_port, targetPort=svc.port_name, protocol="TCP",
                 nodePort=e.node_port)
    load_balancer = e.type == "LoadBalancer"
    spec = xdict(
        type=e.type,
        loadBalancerClass=e.load_balancer_class if load_balancer else None,
        externalTrafficPolicy="Local",
        loadBalancerSourceRanges=list(e.load_balancer_source_ranges) if load_balancer else None,
        selector=selector(name),
        ports=[port],
    )
    meta = metadata(external_name(name, svc), ctx, service=name, annotations=dict(sorted(e.annotations.items())))
    return obj("v1", "Service", meta, spec=spec)
