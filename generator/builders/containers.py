"""Containers of a pod: the service's main container and its init containers and native sidecars, each
with the same hardened securityContext (no privilege escalation, every capability dropped, read-only root,
non-root), their ports, environment, probes and mounts. ``generator.builders.workloads`` puts them into the
pod template; ``generator.builders.volumes`` owns the volumes they mount."""

from __future__ import annotations

from generator.builders.meta import xdict
from generator.builders.secrets import secret_env, secret_name, secret_volumes
from generator.builders.volumes import main_mounts
from generator.spec import Service
from generator.spec.containers import EnvVar, ExtraContainer, Lifecycle
from generator.spec.probes import Probe, Probes
from generator.spec.resources import Resources

def hardened() -> dict:
    """The securityContext of every container (a new dict each time: objects never share parts)."""
    return {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "runAsNonRoot": True,
        "capabilities": {"drop": ["ALL"]},
    }


def config_name(service: str) -> str:
    return f"{service}-env"


def main_container(name: str, svc: Service) -> dict:
    default_port = svc.port_name if svc.serves else None
    return xdict(
        name=svc.container_name or name,
        image=svc.image.reference,
        imagePullPolicy=svc.image.pull_policy,
        command=list(svc.command) if svc.command is not None else None,
        args=list(svc.args) if svc.args is not None else None,
        workingDir=svc.working_dir,
        ports=_main_ports(svc) or None,
        envFrom=[{"configMapRef": {"name": config_name(name)}}] if svc.env else None,
        env=secret_env(name, svc) + [env_var(name, v) for v in svc.env_vars] or None,
        resources=resources(svc.resources),
        **probe_fields(svc.probes, default_port),
        lifecycle=lifecycle(svc.lifecycle) if svc.lifecycle else None,
        securityContext=hardened(),
        volumeMounts=main_mounts(svc, secret_volumes(name, svc)[1]) or None,
    )


def _main_ports(svc: Service) -> list[dict]:
    """The main port, the metrics port when it is none of the declared ones, then the declared ports."""
    ports = [{"name": svc.port_name, "containerPort": svc.port, "protocol": "TCP"}] if svc.serves else []
    declared = {p.container_port for p in svc.ports}
    if svc.metrics_port and svc.metrics_port not in declared:
        ports.append({"name": "metrics", "containerPort": svc.metrics_port, "protocol": "TCP"})
    return ports + [{"name": p.name, "containerPort": p.container_port, "protocol": p.protocol} for p in svc.ports]


def init_container(name: str, svc: Service, extra: ExtraContainer) -> dict:
    volumes = svc.volumes
    mounts = [
        xdict(
            name=m.volume,
            mountPath=m.mount_path,
            subPath=m.sub_path,
            readOnly=True if volumes[m.volume].files is not None else m.read_only,
        )
        for m in extra.mounts
    ]
    return xdict(
        name=extra.name,
        image=extra.image.reference,
        imagePullPolicy=extra.image.pull_policy,
        command=list(extra.command) if extra.command is not None else None,
        args=list(extra.args) if extra.args is not None else None,
        workingDir=extra.working_dir,
        ports=[{"name": p.name, "containerPort": p.container_port, "protocol": p.protocol} for p in extra.ports] or None,
        env=[env_var(name, v) for v in extra.env] or None,
        resources=resources(extra.resources),
        **probe_fields(extra.probes, None),
        restartPolicy="Always" if extra.sidecar else None,
        securityContext=hardened(),
        volumeMounts=mounts or None,
    )


def resources(r: Resources) -> dict:
    return {
        "requests": {"cpu": r.requests.cpu, "memory": r.requests.memory},
        "limits": {"cpu": r.limits.cpu, "memory": r.limits.memory},
    }


def env_var(service: str, var: EnvVar) -> dict:
    if var.value is not None:
        return {"name": var.name, "value": var.value}
    source = var.value_from
    if source.field_ref:
        ref = {"fieldRef": {"fieldPath": source.field_ref.field_path}}
    elif source.resource_field_ref:
        r = source.resource_field_ref
        ref = {"resourceFieldRef": xdict(resource=r.resource, divisor=r.divisor)}
    elif source.secret_key:
        ref = {"secretKeyRef": {"name": secret_name(service), "key": source.secret_key}}
    else:
        c = source.config_map_key
        ref = {"configMapKeyRef": xdict(name=c.name, key=c.key, optional=c.optional)}
    return {"name": var.name, "valueFrom": ref}


def probe_fields(probes: Probes, default_port: str | None) -> dict:
    return {
        "startupProbe": probe(probes.startup, default_port) if probes.startup else None,
        "livenessProbe": probe(probes.liveness, default_port) if probes.liveness else None,
        "readinessProbe": probe(probes.readiness, default_port) if probes.readiness else None,
    }


def probe(spec: Probe, default_port: str | None) -> dict:
    if spec.grpc:
        handler = ("grpc", xdict(port=spec.grpc.port, service=spec.grpc.service))
    elif spec.tcp_socket:
        handler = ("tcpSocket", {"port": spec.tcp_socket.port})
    elif spec.exec_:
        handler = ("exec", {"command": list(spec.exec_.command)})
    else:
        headers = [{"name": h.name, "value": h.value} for h in spec.http_headers] or None
        handler = ("httpGet", xdict(path=spec.path, port=spec.port or default_port, scheme=spec.scheme,
                                    httpHeaders=headers))
    return xdict(
        handler,
        initialDelaySeconds=spec.initial_delay_seconds,
        periodSeconds=spec.period_seconds,
        timeoutSeconds=spec.timeout_seconds,
        successThreshold=spec.success_threshold,
        failureThreshold=spec.failure_threshold,
    )


def lifecycle(spec: Lifecycle) -> dict:
    def hook(h):
        if h is None:
            return None
        return {"exec": {"command": list(h.exec_)}} if h.exec_ else {"sleep": {"seconds": h.sleep_seconds}}

    return xdict(postStart=hook(spec.post_start), preStop=hook(spec.pre_stop))
