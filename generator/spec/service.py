"""The spec of one service: image, ports, replicas, resources, probes, pod security, configuration,
secret references, network allows, disruption budget, autoscaling and policy waivers.

These models hold what a service *is*; how it becomes Kubernetes objects lives in ``generator.build``.
Defaults are the hardened ones: a non-root uid 10001, a read-only root with ``/tmp`` writable, DNS
egress only, and no API token.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints, model_validator

from generator.spec.access import Access
from generator.spec.common import (
    CpuQuantity,
    DnsLabel,
    EnvName,
    MemoryQuantity,
    Model,
    Port,
    cpu_millicores,
    memory_bytes,
    require_one,
)
from generator.spec.delivery import RollingUpdate, Rollout
from generator.spec.network import EgressRule, IngressRule
from generator.spec.monitoring import Alerts, Metrics
from generator.spec.traffic import Expose



class Image(Model):
    """A container image: repository plus a tag, a digest, or both (the digest wins at pull time)."""

    repository: Annotated[
        str,
        StringConstraints(pattern=r"^[a-z0-9]+([._/:-][a-z0-9]+)*$"),
        Field(description="Registry and repository, e.g. '123456789012.dkr.ecr.us-east-1.amazonaws.com/app'."),
    ]
    tag: Annotated[
        str | None,
        StringConstraints(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$"),
        Field(description="Image tag; quote versions such as \"1.20\" so YAML keeps them strings."),
    ] = None
    digest: Annotated[
        str | None,
        StringConstraints(pattern=r"^sha256:[a-f0-9]{64}$"),
        Field(description="Content digest 'sha256:<64 hex>' pinning the exact image."),
    ] = None
    pull_policy: Literal["Always", "IfNotPresent", "Never"] = Field(
        "Always", description="Kubernetes imagePullPolicy."
    )

    @model_validator(mode="after")
    def _tag_or_digest(self) -> "Image":
        if self.tag is None and self.digest is None:
            raise ValueError("an image needs a tag or a digest")
        return self

    @property
    def reference(self) -> str:
        ref = self.repository
        if self.tag:
            ref += f":{self.tag}"
        if self.digest:
            ref += f"@{self.digest}"
        return ref


class Amounts(Model):
    """CPU and memory amounts."""

    cpu: CpuQuantity
    memory: MemoryQuantity


class Resources(Model):
    """Requests and limits; both are required, and a request may not exceed its limit."""

    requests: Amounts = Field(description="What the scheduler reserves for each pod.")
    limits: Amounts = Field(description="The most each container may use.")

    @model_validator(mode="after")
    def _requests_within_limits(self) -> "Resources":
        if cpu_millicores(self.requests.cpu) > cpu_millicores(self.limits.cpu):
            raise ValueError(f"requests.cpu {self.requests.cpu} exceeds limits.cpu {self.limits.cpu}")
        if memory_bytes(self.requests.memory) > memory_bytes(self.limits.memory):
            raise ValueError(f"requests.memory {self.requests.memory} exceeds limits.memory {self.limits.memory}")
        return self


class Probe(Model):
    """An HTTP GET probe. Unset timings keep the Kubernetes defaults and are not written."""

    path: Annotated[str, StringConstraints(pattern=r"^/\S*$"), Field(description="HTTP path, starting with '/'.")]
    port: Port | None = Field(None, description="Port to probe; defaults to the service's container port.")
    initial_delay_seconds: int | None = Field(None, ge=0, description="Seconds before the first probe.")
    period_seconds: int | None = Field(None, ge=1, description="Seconds between probes.")
    timeout_seconds: int | None = Field(None, ge=1, description="Seconds before a probe times out.")
    success_threshold: int | None = Field(None, ge=1, description="Successes needed after a failure.")
    failure_threshold: int | None = Field(None, ge=1, description="Failures before the probe gives up.")


class Probes(Model):
    """Liveness and readiness are required; a startup probe protects slow cold starts."""

    startup: Probe | None = Field(None, description="Runs first; the others wait until it succeeds.")
    liveness: Probe = Field(description="Restarts the container when it fails.")
    readiness: Probe = Field(description="Takes the pod out of the Service endpoints when it fails.")


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


class Disruption(Model):
    """A PodDisruptionBudget: exactly one of minAvailable or maxUnavailable."""

    min_available: int | str | None = Field(None, description="Pods that must stay up (count or 'N%').")
    max_unavailable: int | str | None = Field(None, description="Pods that may be down (count or 'N%').")
    unhealthy_pod_eviction_policy: Literal["AlwaysAllow", "IfHealthyBudget"] = Field(
        "AlwaysAllow", description="AlwaysAllow lets node drains evict pods that are not ready anyway."
    )

    @model_validator(mode="after")
    def _one_bound(self) -> "Disruption":
        require_one(self, "min_available", "max_unavailable")
        for value in (self.min_available, self.max_unavailable):
            if isinstance(value, str) and not re.fullmatch(r"(100|[1-9]?[0-9])%", value):
                raise ValueError(f"{value!r} is neither a count nor a percentage like '50%'")
            if isinstance(value, int) and value < 0:
                raise ValueError("a pod count cannot be negative")
        return self


class Autoscaling(Model):
    """A HorizontalPodAutoscaler (autoscaling/v2). The workload then carries no replica count."""

    min_replicas: int = Field(ge=1, description="Lowest replica count.")
    max_replicas: int = Field(ge=1, description="Highest replica count.")
    target_cpu_utilization: int | None = Field(70, ge=1, le=100, description="Average CPU % of requests.")
    target_memory_utilization: int | None = Field(None, ge=1, le=100, description="Average memory % of requests.")

    @model_validator(mode="after")
    def _range(self) -> "Autoscaling":
        if self.min_replicas > self.max_replicas:
            raise ValueError(f"minReplicas {self.min_replicas} exceeds maxReplicas {self.max_replicas}")
        if self.target_cpu_utilization is None and self.target_memory_utilization is None:
            raise ValueError("give a CPU or a memory target")
        return self


def _secret_key(key: str) -> str:
    if key in (".", "..") or key.startswith(".."):
        raise ValueError(f"{key!r}: a Secret key cannot be '.' or '..' or start with '..' (the kubelet's own names)")
    return key


SecretKey = Annotated[
    str,
    StringConstraints(pattern=r"^[-._a-zA-Z0-9]+$", max_length=253),
    AfterValidator(_secret_key),
    Field(description="A Secret key: an environment variable name, or a file name when mounted."),
]


def _names_to_mapping(value):
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return {v: v for v in value}
    return value


class SecretSource(Model):
    """Keys read from one path of one secret store, given to the container as environment variables, or as
    files (one per key, named after it) when mountPath is set."""

    store: DnsLabel = Field(description="Name of an entry of the environment's secretStores.")
    path: Annotated[str, StringConstraints(min_length=1, pattern=r"^\S+$")] = Field(
        description="Path of the secret in the store, e.g. 'securenexus/production' or 'secret/data/stripe'."
    )
    keys: Annotated[dict[SecretKey, Annotated[str, StringConstraints(min_length=1)]], BeforeValidator(_names_to_mapping)] = Field(
        description="Variables (or, with mountPath, file names) to set: a list of names, each read from the "
        "property of the same name, or a mapping of name to property in the secret.",
        min_length=1,
    )
    mount_path: Annotated[str | None, StringConstraints(pattern=r"^/\S+$")] = Field(
        None, description="Mount the keys as read-only files in this folder instead of environment variables."
    )

    @model_validator(mode="after")
    def _env_names(self) -> "SecretSource":
        if self.mount_path is None:
            bad = [k for k in self.keys if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", k)]
            if bad:
                raise ValueError(f"{bad} are not environment variable names (set mountPath to mount them as files)")
        return self


class ServiceAccount(Model):
    """The service's dedicated ServiceAccount. Its API token is never mounted."""

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


class Spread(Model):
    """Topology spread of a service's pods across zones (applied when it can run more than one pod)."""

    zones: bool = Field(True, description="Spread pods across topology.kubernetes.io/zone.")
    max_skew: int = Field(1, ge=1, description="Largest allowed difference of pod counts between zones.")
    when_unsatisfiable: Literal["ScheduleAnyway", "DoNotSchedule"] = Field(
        "ScheduleAnyway", description="Whether an unbalanced placement blocks scheduling."
    )


class Service(Model):
    """One deployable service of the environment."""

    image: Image = Field(description="Container image.")
    port: Port = Field(8080, description="Port the container listens on (named 'http').")
    service_port: Port | None = Field(None, description="Port of the Kubernetes Service; defaults to port.")
    replicas: int = Field(1, ge=1, description="Pod count when autoscaling is not set.")
    resources: Resources = Field(description="CPU and memory requests and limits (required).")
    probes: Probes = Field(description="Health probes; liveness and readiness are required.")
    termination_grace_period_seconds: int = Field(30, ge=0, description="Time to finish in-flight requests.")
    security: PodSecurity = Field(default_factory=PodSecurity, description="Pod identity and writable paths.")
    env: dict[EnvName, str] = Field(
        default_factory=dict, description="Non-secret configuration, delivered through a ConfigMap."
    )
    secrets: list[SecretSource] = Field(default_factory=list, description="Secrets, by reference only.")
    restart_on_secret_change: bool = Field(
        False,
        description="Roll the pods when the synced Secret changes (rotation), through the Reloader controller "
        "(secret.reloader.stakater.com/reload on the workload). Needs secrets.",
    )
    service_account: ServiceAccount = Field(default_factory=ServiceAccount, description="Dedicated identity.")
    ingress: list[IngressRule] = Field(default_factory=list, description="Allowed inbound traffic.")
    egress: list[EgressRule] = Field(default_factory=list, description="Allowed outbound traffic (DNS aside).")
    dns: bool = Field(True, description="Allow DNS lookups to the cluster DNS (UDP and TCP 53).")
    disruption: Disruption | None = Field(None, description="PodDisruptionBudget; none when unset.")
    autoscaling: Autoscaling | None = Field(None, description="HorizontalPodAutoscaler; none when unset.")
    waivers: list[Waiver] = Field(default_factory=list, description="Documented policy exceptions.")
    rolling_update: RollingUpdate = Field(default_factory=RollingUpdate, description="Surge and unavailability.")
    rollout: Rollout | None = Field(None, description="Deliver as an Argo Rollout canary instead of a Deployment.")
    expose: Expose | None = Field(None, description="Public HTTP(S) exposure through an Ingress.")
    metrics: Metrics | None = Field(None, description="Prometheus scraping; none when unset.")
    alerts: Alerts | None = Field(None, description="Prometheus alert rules; none when unset.")
    access: Access | None = Field(None, description="Kubernetes API access (Role); the token is mounted only then.")
    spread: Spread = Field(default_factory=Spread, description="Zone spread of multi-pod services.")

    @property
    def exposed_port(self) -> int:
        return self.service_port or self.port

    @property
    def max_pods(self) -> int:
        """Most pods the service runs in steady state (replicas, or the autoscaler's maximum)."""
        return self.autoscaling.max_replicas if self.autoscaling else self.replicas

    @property
    def metrics_port(self) -> int | None:
        """The container port Prometheus scrapes, when it differs from the service port."""
        if self.metrics and self.metrics.port and self.metrics.port != self.port:
            return self.metrics.port
        return None
