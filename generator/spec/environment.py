"""The spec of one environment (staging, UAT, production...): its namespace, cluster-wide settings,
secret stores and services. One validated ``Environment`` is what every builder receives.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from generator.spec.argocd import ArgoCD
from generator.spec.clusters import Cluster
from generator.spec.common import DnsLabel, LabelKey, Labels, LabelValue, Model, require_one
from generator.spec.guardrails import LimitRange, Quota
from generator.spec.service import Service


class AwsSecretsManager(Model):
    """AWS Secrets Manager (or Parameter Store) through External Secrets, authenticated with IRSA."""

    region: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-[a-z]+)+-[0-9]$")] = Field(
        description="AWS region of the secrets, e.g. 'us-east-1'."
    )
    service: Literal["SecretsManager", "ParameterStore"] = Field("SecretsManager", description="AWS service.")
    role_arn: Annotated[
        str | None,
        StringConstraints(pattern=r"^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]+$"),
        Field(
            description="IAM role allowed secretsmanager:GetSecretValue on these secrets. When set, a dedicated "
            "ServiceAccount named after the store carries it (IRSA) and the store authenticates as it; when "
            "unset, the External Secrets controller's own identity is used."
        ),
    ] = None


class Vault(Model):
    """HashiCorp Vault's KV engine through External Secrets, authenticated with the Kubernetes auth method
    as a dedicated ServiceAccount named after the store."""

    server: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] = Field(description="Vault address.")
    path: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-][A-Za-z0-9_/-]*$")] = Field(
        "secret", description="Mount path of the KV engine; secret paths may include it ('secret/data/stripe')."
    )
    version: Literal["v1", "v2"] = Field("v2", description="KV engine version.")
    auth_mount_path: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_/-]+$")] = Field(
        "kubernetes", description="Mount path of Vault's Kubernetes auth method."
    )
    role: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]+$")] = Field(
        description="Vault role bound to the store's ServiceAccount and namespace."
    )


class SecretStore(Model):
    """Where ExternalSecrets read from: exactly one provider. A ClusterSecretStore is shared by every namespace."""

    kind: Literal["SecretStore", "ClusterSecretStore"] = Field("SecretStore", description="Store kind.")
    create: bool = Field(
        True, description="Emit the store object; false when the platform team provides it and we only refer to it."
    )
    refresh_interval: Annotated[str, StringConstraints(pattern=r"^([0-9]+(s|m|h))+$")] = Field(
        "1h", description="How often ExternalSecrets using this store re-read their values."
    )
    aws: AwsSecretsManager | None = Field(None, description="AWS Secrets Manager / Parameter Store provider.")
    vault: Vault | None = Field(None, description="HashiCorp Vault provider.")

    @model_validator(mode="after")
    def _one_provider(self) -> "SecretStore":
        require_one(self, "aws", "vault", message="give exactly one provider: aws or vault")
        return self


class DnsTarget(Model):
    """Where pods resolve names: the cluster DNS pods that every service may reach on port 53."""

    namespace: DnsLabel = Field("kube-system", description="Namespace of the cluster DNS.")
    pod_labels: Labels = Field(
        default_factory=lambda: {"k8s-app": "kube-dns"}, description="Labels of the DNS pods."
    )


class IngressController(Model):
    """Where Ingress traffic comes from, allowed in by NetworkPolicy on exposed ports only: the VPC's
    addresses for the ALB, the controller's pods for an in-cluster controller."""

    namespace: DnsLabel = Field("kube-system", description="Namespace of the ingress controller.")
    pod_labels: Labels = Field(default_factory=dict, description="Labels of its pods; all pods when empty.")
    vpc_cidr: str | None = Field(
        None,
        description="The VPC's CIDR: an ALB in ip target mode sends from its VPC addresses, not from the "
        "controller's pods, so services exposed through the ALB allow it in. Required when one is.",
    )

    @field_validator("vpc_cidr")
    @classmethod
    def _cidr(cls, value):
        if value is not None:
            ipaddress.ip_network(value, strict=True)
        return value


class Environment(Model):
    """One environment after its layers are merged."""

    system: DnsLabel = Field(description="Name of the system these services form (label part-of).")
    namespace: DnsLabel = Field(
        description="Namespace of every service.",
        json_schema_extra={"x-default": "the environment's name (filled in by the loader)"},
    )
    kubernetes_version: Annotated[str, StringConstraints(pattern=r"^1\.[0-9]{2}$")] = Field(
        "1.33", description="Kubernetes minor version the output is validated against, e.g. '1.33'."
    )
    namespace_labels: dict[LabelKey, LabelValue] = Field(
        default_factory=dict, description="Extra labels on the Namespace (e.g. istio-injection: enabled)."
    )
    dns: DnsTarget = Field(default_factory=DnsTarget, description="The cluster DNS every service may query.")
    secret_stores: dict[DnsLabel, SecretStore] = Field(
        default_factory=dict, description="Secret stores, by name, that services' secrets refer to."
    )
    services: dict[DnsLabel, Service] = Field(min_length=1, description="The services, by name.")
    production: bool | None = Field(
        None,
        description="Apply the production rules (>= 2 replicas or autoscaling.minReplicas >= 2, a PDB, no "
        "'latest' tag); defaults to true for an environment named 'production' or 'prod'.",
    )
    ingress_controller: IngressController = Field(
        default_factory=IngressController, description="Where exposed traffic comes from."
    )
    teams: dict[
        Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][-A-Za-z0-9_.:@]{0,127}$")],
        Literal["view", "edit", "admin"],
    ] = Field(
        default_factory=dict,
        description="People's access to the namespace: identity-provider group -> built-in ClusterRole "
        "(view, edit or admin; never cluster-admin), each a RoleBinding in this namespace only.",
    )
    quota: Quota = Field(default_factory=Quota, description="The namespace's ResourceQuota.")
    limit_range: LimitRange = Field(default_factory=LimitRange, description="The namespace's LimitRange.")
    argocd: ArgoCD | None = Field(
        None, description="How Argo CD deploys this environment; no ArgoCD objects are generated when unset."
    )
    promotion_order: list[DnsLabel] | None = Field(
        None,
        description="The environments in the order changes are promoted (e.g. [staging, uat, production]); "
        "set once in a shared layer (every environment must agree). Where environments tie, the Kustomize "
        "base/ takes the value of the one latest in this order, so edits to earlier environments stay in "
        "their overlays. Environments not listed come first. Unset: environments with the production rules "
        "come last, the others in name order.",
    )
    clusters: dict[DnsLabel, Cluster] | None = Field(
        None,
        min_length=2,
        description="The clusters this environment runs on, by name, when more than one: each is rendered in "
        "full (rendered/<env>/<cluster>/) and Argo CD deploys them with one ApplicationSet, primaries first. "
        "Unset: the one cluster of argocd.destination.",
    )

    @field_validator("promotion_order")
    @classmethod
    def _unique_promotion_order(cls, order: list[str] | None) -> list[str] | None:
        repeated = sorted({e for e in order or [] if order.count(e) > 1})  # type: ignore[union-attr]
        if repeated:
            raise ValueError(f"names {', '.join(repeated)} more than once")
        return order


def team_binding_name(group: str) -> str:
    """The RoleBinding of a team: 'platform:gitops@corp' -> 'team-platform-gitops-corp'."""
    slug = "-".join(part for part in re.split(r"[^a-z0-9]+", group.lower()) if part)[:58]
    return f"team-{slug or 'group'}"
