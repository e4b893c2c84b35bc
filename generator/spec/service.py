"""The spec of one service: its workload kind, main container, replicas, pod security, configuration,
secret references, network allows, disruption budget, autoscaling and policy waivers. The parts with a
domain of their own live next to it: ``containers`` (ports, env, init containers and sidecars),
``probes``, ``volumes``, ``kinds``, ``placement``, ``resources`` (image, requests and limits), ``traffic``,
``availability`` (PDB, HPA, spread, singleton), ``secrets``.

These models hold what a service *is*; how it becomes Kubernetes objects lives in ``generator.builders``.
Defaults are the hardened ones: a non-root uid 10001, a read-only root with ``/tmp`` writable, DNS
egress only, and no API token.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from generator.spec.access import Access
from generator.spec.availability import Autoscaling, Disruption, Singleton, Spread
from generator.spec.secrets import SecretSource
from generator.spec.common import DnsLabel, EnvName, Model, Port
from generator.spec.containers import Arg, ContainerPort, EnvVar, ExtraContainer, Lifecycle
from generator.spec.kinds import (
    BATCH_KINDS,
    SERVING_KINDS,
    CronSettings,
    DaemonSetSettings,
    JobSettings,
    Kind,
    StatefulSetSettings,
)
from generator.spec.delivery import RollingUpdate, Rollout
from generator.spec.network import EgressRule, IngressRule
from generator.spec.monitoring import Alerts, Metrics
from generator.spec.placement import Placement
from generator.spec.probes import PortName, Probes
from generator.spec.resources import Image, Resources
from generator.spec.traffic import Expose, ExternalService
from generator.spec.volumes import Volume



class PodSecurity(Model):
    """Identity and filesystem of the pod. runAsNonRoot, drop ALL, no privilege escalation, a read-only
    root filesystem and the RuntimeDefault seccomp profile are always set and cannot be turned off."""

    run_as_user: int = Field(10001, ge=1, description="UID of every container (non-root).")
    run_as_group: int = Field(10001, ge=1, description="Primary GID of every container.")
    fs_group: int = Field(10001, ge=1, description="GID owning mounted volumes.")
    writable_paths: list[Annotated[str, StringConstraints(pattern=r"^/\S+$")]] = Field(
        default_factory=lambda: ["/tmp"],
        description="Paths that get a writable emptyDir volume on top of the read-only root filesystem.",
    )

    @model_validator(mode="after")
    def _distinct_volumes(self) -> "PodSecurity":
        seen: dict[str, str] = {}
        for path in self.writable_paths:
            name = writable_volume_name(path)
            if name in seen:
                raise ValueError(f"{seen[name]} and {path} would share the volume name {name!r}: keep one")
            seen[name] = path
        return self


def writable_volume_name(path: str) -> str:
    """'/var/cache/nginx' -> 'var-cache-nginx' (a valid volume name)."""
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")[:63] or "root"


class ServiceAccount(Model):
    """The service's ServiceAccount: its own by default, or one shared by several services (the same name).
Its API token is mounted only with access."""

    name: DnsLabel | None = Field(
        None, description="ServiceAccount name; the service's name when unset. Services naming the same one share it."
    )

    role_arn: Annotated[
        str | None,
        StringConstraints(pattern=r"^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]+$"),
        Field(description="AWS IAM role for IRSA (eks.amazonaws.com/role-arn annotation)."),
    ] = None


class Waiver(Model):
    """A documented exception to one policy check, written as a checkov.io/skip annotation."""

    check: Annotated[str, StringConstraints(pattern=r"^CKV2?_[A-Z0-9]+_[0-9]+$")] = Field(
        description="The check id, e.g. 'CKV_K8S_40'."
    )
    reason: Annotated[str, StringConstraints(min_length=10, pattern=r"^[^\n=]+$")] = Field(
        description="Why the exception is acceptable (one line, at least 10 characters)."
    )


class Service(Model):
    """One deployable service of the environment: one workload (its kind), its main container and the
    objects around it."""

    kind: Kind = Field(
        "Deployment",
        description="Workload kind: Deployment (default; an Argo Rollout with rollout), StatefulSet, DaemonSet, "
        "Job, CronJob, or Worker (a Deployment with no port and no Service).",
    )
    image: Image = Field(description="Container image.")
    container_name: DnsLabel | None = Field(None, description="Name of the main container; the service's name when unset.")
    command: list[Arg] | None = Field(None, description="Entrypoint of the main container (replaces ENTRYPOINT).")
    args: list[Arg] | None = Field(None, description="Arguments of the main container (replace CMD).")
    working_dir: Annotated[str | None, StringConstraints(pattern=r"^/\S*$")] = Field(
        None, description="Working directory of the main container."
    )
    lifecycle: Lifecycle | None = Field(None, description="postStart / preStop hooks of the main container.")
    port: Port = Field(8080, description="Main port the container listens on (serving kinds only; ignored by a Worker, Job or CronJob).")
    port_name: PortName = Field("http", description="Name of the main port (e.g. 'grpc', 'redis').")
    app_protocol: Annotated[str | None, StringConstraints(pattern=r"^[a-z0-9]([-a-z0-9./]*[a-z0-9])?$")] = Field(
        None, description="Application protocol of the main Service port (e.g. 'kubernetes.io/h2c' for gRPC)."
    )
    service_port: Port | None = Field(None, description="Port of the Kubernetes Service; defaults to port.")
    ports: list[ContainerPort] = Field(
        default_factory=list, description="More named container ports, each optionally on the Service."
    )
    service_type: Literal["ClusterIP", "Headless", "None"] = Field(
        "ClusterIP",
        description="The service's own Service: ClusterIP, Headless (clusterIP None; always for a StatefulSet), "
        "or None (no Service). Public load balancers are externalService.",
    )
    external_service: ExternalService | None = Field(
        None, description="A second Service of type LoadBalancer or NodePort on the main port."
    )
    replicas: int = Field(1, ge=1, description="Pod count when autoscaling is not set (Deployment, StatefulSet, Worker).")
    singleton: Singleton | None = Field(None, description="Must never run two pods; production accepts one replica.")
    resources: Resources = Field(description="CPU and memory requests and limits (required).")
    probes: Probes = Field(
        default_factory=Probes,
        description="Health probes, each optional; a workload behind a Service needs readiness.",
    )
    termination_grace_period_seconds: int = Field(30, ge=0, description="Time to finish in-flight requests.")
    security: PodSecurity = Field(default_factory=PodSecurity, description="Pod identity and writable paths.")
    env: dict[EnvName, str] = Field(
        default_factory=dict, description="Non-secret configuration, delivered through a ConfigMap."
    )
    env_vars: list[EnvVar] = Field(
        default_factory=list,
        description="Ordered variables set on the container after the secrets: literals composing earlier "
        "ones with $(VAR), or valueFrom (pod fields, resources, the synced Secret, a ConfigMap key).",
    )
    volumes: dict[DnsLabel, Volume] = Field(
        default_factory=dict, description="ConfigMap files, claims and emptyDirs, by volume name."
    )
    init_containers: list[ExtraContainer] = Field(
        default_factory=list, description="Init containers, in order; sidecar: true makes one a native sidecar."
    )
    secrets: list[SecretSource] = Field(default_factory=list, description="Secrets, by reference only.")
    restart_on_secret_change: bool = Field(
        False,
        description="Roll the pods when the synced Secret changes (rotation), through the Reloader controller "
        "(secret.reloader.stakater.com/reload on the workload). Needs secrets.",
    )
    service_account: ServiceAccount = Field(default_factory=ServiceAccount, description="Dedicated identity.")
    placement: Placement = Field(default_factory=Placement, description="Pod labels, scheduling and history.")
    ingress: list[IngressRule] = Field(default_factory=list, description="Allowed inbound traffic.")
    egress: list[EgressRule] = Field(default_factory=list, description="Allowed outbound traffic (DNS aside).")
    dns: bool = Field(True, description="Allow DNS lookups to the cluster DNS (UDP and TCP 53).")
    disruption: Disruption | None = Field(None, description="PodDisruptionBudget; none when unset.")
    autoscaling: Autoscaling | None = Field(None, description="HorizontalPodAutoscaler; none when unset.")
    waivers: list[Waiver] = Field(default_factory=list, description="Documented policy exceptions.")
    rolling_update: RollingUpdate = Field(default_factory=RollingUpdate, description="Surge and unavailability.")
    rollout: Rollout | None = Field(None, description="Deliver as an Argo Rollout canary instead of a Deployment.")
    stateful_set: StatefulSetSettings | None = Field(
        None, description="With kind StatefulSet: ordering, updates, claim retention (defaults when unset)."
    )
    daemon_set: DaemonSetSettings | None = Field(
        None, description="With kind DaemonSet: its node count for the quota (defaults when unset)."
    )
    job: JobSettings | None = Field(
        None, description="With kind Job or CronJob: retries and clean-up (defaults when unset)."
    )
    cron: CronSettings | None = Field(None, description="With kind CronJob (required): the schedule.")
    expose: Expose | None = Field(None, description="Public HTTP(S) exposure through an Ingress.")
    metrics: Metrics | None = Field(None, description="Prometheus scraping; none when unset.")
    alerts: Alerts | None = Field(None, description="Prometheus alert rules; none when unset.")
    access: Access | None = Field(None, description="Kubernetes API access (Role); the token is mounted only then.")
    spread: Spread = Field(default_factory=Spread, description="Zone spread of multi-pod services.")

    @property
    def sts(self) -> StatefulSetSettings:
        return self.stateful_set or StatefulSetSettings()

    @property
    def batch(self) -> JobSettings:
        return self.job or JobSettings()

    @property
    def serves(self) -> bool:
        """Whether the main container listens on its port (Deployment, StatefulSet, DaemonSet)."""
        return self.kind in SERVING_KINDS

    @property
    def has_service(self) -> bool:
        """Whether a Service of its own routes to it (a StatefulSet always gets its headless one)."""
        return self.serves and (self.kind == "StatefulSet" or self.service_type != "None")

    @property
    def replicated(self) -> bool:
        """Whether it has a replica count (not a DaemonSet, Job or CronJob)."""
        return self.kind in ("Deployment", "StatefulSet", "Worker")

    @property
    def exposed_port(self) -> int:
        return self.service_port or self.port

    @property
    def max_pods(self) -> int:
        """Most pods the service runs in steady state (replicas, the autoscaler's maximum, a DaemonSet's
        nodes, a Job's parallelism)."""
        if self.kind == "DaemonSet":
            return (self.daemon_set or DaemonSetSettings()).max_nodes
        if self.kind in BATCH_KINDS:
            return self.batch.parallelism
        return self.autoscaling.max_replicas if self.autoscaling else self.replicas

    @property
    def metrics_port(self) -> int | None:
        """The container port Prometheus scrapes, when it differs from the service port."""
        if self.metrics and self.metrics.port and self.metrics.port != self.port:
            return self.metrics.port
        return None

    @property
    def declared_ports(self) -> dict[str, int]:
        """Every port the main container declares, by name, in order."""
        ports = {self.port_name: self.port} if self.serves else {}
        ports.update((p.name, p.container_port) for p in self.ports)
        if self.metrics_port and self.metrics_port not in ports.values():
            ports["metrics"] = self.metrics_port
        return ports
