"""The pieces that run one service: its ConfigMap, pod template and Service (the workload object around
the pod template is ``generator.build.delivery``'s).

The pod template carries the hardened defaults: non-root identity, RuntimeDefault seccomp, no privilege
escalation, every capability dropped, a read-only root with emptyDir volumes for the writable paths, no
service account token, requests and limits, and the probes of the spec.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Mapping

from generator.build.meta import Context, metadata, obj, selector, xdict
from generator.build.monitoring import pod_annotations
from generator.build.secrets import secret_env, secret_volumes
from generator.spec import Probe, Service

def config_map(ctx: Context, name: str, svc: Service) -> dict | None:
    """Non-secret configuration as a ConfigMap (keys sorted), or None when the service has none."""
    if not svc.env:
        return None
    return obj("v1", "ConfigMap", metadata(config_name(name), ctx, service=name), data=dict(sorted(svc.env.items())))


def config_name(service: str) -> str:
    return f"{service}-env"


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


TOKEN_MOUNT_CHECK = "CKV_K8S_38"


def waiver_annotations(svc: Service) -> dict[str, str]:
    """checkov.io/skipN annotations, one per waiver in spec order; API access adds its token-mount reason."""
    waivers = [(w.check, w.reason) for w in svc.waivers]
    if svc.access and all(check != TOKEN_MOUNT_CHECK for check, _ in waivers):
        waivers.append((TOKEN_MOUNT_CHECK, svc.access.reason))
    return {f"checkov.io/skip{i}": f"{check}={reason}" for i, (check, reason) in enumerate(waivers, start=1)}


def pod_template(ctx: Context, name: str, svc: Service) -> dict:
    sec = svc.security
    annotations = pod_annotations(svc)
    if svc.env:
        annotations = {"checksum/config": config_checksum(svc.env), **annotations}
    secret_vols, _ = secret_volumes(name, svc)
    volumes = [{"name": volume_name(p), "emptyDir": {}} for p in sec.writable_paths] + secret_vols
    pod_spec = xdict(
        serviceAccountName=name,
        automountServiceAccountToken=svc.access is not None,
        securityContext={
            "runAsNonRoot": True,
            "runAsUser": sec.run_as_user,
            "runAsGroup": sec.run_as_group,
            "fsGroup": sec.fs_group,
            "seccompProfile": {"type": "RuntimeDefault"},
        },
        terminationGracePeriodSeconds=svc.termination_grace_period_seconds,
        topologySpreadConstraints=_spread(name, svc),
        containers=[container(name, svc)],
        volumes=volumes or None,
    )
    meta = xdict(labels=metadata(name, ctx, service=name)["labels"], annotations=annotations or None)
    return {"metadata": meta, "spec": pod_spec}


def _spread(name: str, svc: Service) -> list[dict] | None:
    if not svc.spread.zones or svc.max_pods < 2:
        return None
    return [{
        "maxSkew": svc.spread.max_skew,
        "topologyKey": "topology.kubernetes.io/zone",
        "whenUnsatisfiable": svc.spread.when_unsatisfiable,
        "labelSelector": {"matchLabels": selector(name)},
    }]


def container(name: str, svc: Service) -> dict:
    return xdict(
        name=name,
        image=svc.image.reference,
        imagePullPolicy=svc.image.pull_policy,
        ports=[{"name": "http", "containerPort": svc.port, "protocol": "TCP"}] + (
            [{"name": "metrics", "containerPort": svc.metrics_port, "protocol": "TCP"}] if svc.metrics_port else []
        ),
        envFrom=[{"configMapRef": {"name": config_name(name)}}] if svc.env else None,
        env=secret_env(name, svc) or None,
        resources={
            "requests": {"cpu": svc.resources.requests.cpu, "memory": svc.resources.requests.memory},
            "limits": {"cpu": svc.resources.limits.cpu, "memory": svc.resources.limits.memory},
        },
        startupProbe=probe(svc.probes.startup, svc) if svc.probes.startup else None,
        livenessProbe=probe(svc.probes.liveness, svc),
        readinessProbe=probe(svc.probes.readiness, svc),
        securityContext={
            "allowPrivilegeEscalation": False,
            "readOnlyRootFilesystem": True,
            "runAsNonRoot": True,
            "capabilities": {"drop": ["ALL"]},
        },
        volumeMounts=[{"name": volume_name(p), "mountPath": p} for p in svc.security.writable_paths]
        + secret_volumes(name, svc)[1] or None,
    )


def probe(spec: Probe, svc: Service) -> dict:
    return xdict(
        httpGet={"path": spec.path, "port": spec.port or "http"},
        initialDelaySeconds=spec.initial_delay_seconds,
        periodSeconds=spec.period_seconds,
        timeoutSeconds=spec.timeout_seconds,
        successThreshold=spec.success_threshold,
        failureThreshold=spec.failure_threshold,
    )


def volume_name(path: str) -> str:
    """'/var/cache/nginx' -> 'var-cache-nginx' (a valid volume name)."""
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")[:63] or "root"


def service(ctx: Context, name: str, svc: Service) -> dict:
    """A ClusterIP Service on the exposed port, targeting the container's 'http' port."""
    spec = {
        "type": "ClusterIP",
        "selector": selector(name),
        "ports": [{"name": "http", "port": svc.exposed_port, "targetPort": "http", "protocol": "TCP"}] + (
            [{"name": "metrics", "port": svc.metrics_port, "targetPort": "metrics", "protocol": "TCP"}]
            if svc.metrics_port else []
        ),
    }
    return obj("v1", "Service", metadata(name, ctx, service=name), spec=spec)
