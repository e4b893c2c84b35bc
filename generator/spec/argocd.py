"""The ArgoCD settings of one environment: which generated tree ArgoCD syncs, from which repository and
revision, to which cluster, and whether it syncs by itself.

Repository, revision, the Argo CD namespace and the project name describe the one repository that holds
every environment's tree, so they are normally set once in a shared layer (``_defaults.yaml``) and must be
the same in every environment; ``generator.argocd.checks`` enforces that. Source, destination, auto-sync
and retry may differ per environment. How these settings become objects lives in ``generator.argocd``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from generator.spec.common import DnsLabel, Duration, Model, require_one

IN_CLUSTER = "https://kubernetes.default.svc"

RepoUrl = Annotated[
    str,
    StringConstraints(pattern=r"^(https://[^\s@/]+/\S+|ssh://[^\s/]+/\S+|git@[^\s:]+:\S+)$"),
    Field(description="Git repository URL: https://host/path, ssh://user@host/path or git@host:path."),
]



class Destination(Model):
    """The cluster an environment is deployed to: exactly one of ``name`` or ``server``."""

    name: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")] | None = Field(
        None, description="Name of a cluster registered in Argo CD, e.g. 'prod-eu-1'."
    )
    server: Annotated[str, StringConstraints(pattern=r"^https://\S+$")] | None = Field(
        None, description=f"API server URL of the cluster; '{IN_CLUSTER}' is the cluster Argo CD runs in."
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> "Destination":
        require_one(self, "name", "server")
        return self


class Retry(Model):
    """How a failed sync is retried: up to ``limit`` times, waiting ``duration`` x ``factor``^n, capped."""

    limit: int = Field(5, ge=0, le=20, description="Retries after a failed sync (0: none).")
    duration: Duration = Field("10s", description="Wait before the first retry.")
    factor: int = Field(2, ge=1, le=10, description="Multiplier of the wait after each failed retry.")
    max_duration: Duration = Field("5m", description="Longest wait between two retries.")


class SyncWindow(Model):
    """When Argo CD may (allow) or may not (deny) sync this environment's Applications: a cron schedule and
    a duration, written into the AppProject's ``syncWindows`` for these Applications only."""

    kind: Literal["allow", "deny"] = Field(description="allow: sync only inside the window; deny: never inside it.")
    schedule: Annotated[str, StringConstraints(pattern=r"^\S+( \S+){4}$")] = Field(
        description="Cron schedule of the window's start, five fields, e.g. '0 22 * * 1-5'."
    )
    duration: Annotated[str, StringConstraints(pattern=r"^([0-9]+(m|h))+$")] = Field(
        description="How long the window lasts from each start, e.g. '8h' or '1h30m'."
    )
    time_zone: Annotated[str, StringConstraints(pattern=r"^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$")] = Field(
        "UTC", description="IANA time zone of the schedule, e.g. 'America/New_York'."
    )
    manual_sync: bool = Field(
        True, description="Whether a person may still sync by hand while automated syncs are held."
    )


class ArgoCD(Model):
    """How Argo CD deploys this environment (one Application per environment, or one ApplicationSet for an
    environment on several ``clusters``)."""

    repo_url: RepoUrl = Field(alias="repoURL", description="This repository, as Argo CD reaches it. Same in every environment.")
    path: Annotated[str, StringConstraints(pattern=r"^([A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*)?$")] = Field(
        "",
        description="Folder of this spec root inside the repository ('' for the repository root, e.g. "
        "'examples/financehub'); the Applications' paths start there. Same in every environment.",
    )
    target_revision: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,254}$")] = Field(
        "main",
        description="Branch, tag or commit Argo CD follows. Same in every environment: environments are "
        "folders of one reviewed revision, promoted by changing their spec, not by branches.",
    )
    namespace: DnsLabel = Field(
        "argocd", description="Namespace Argo CD runs in, where its Applications and AppProjects live."
    )
    project: DnsLabel | None = Field(
        None, description="Name of the AppProject of the environments; defaults to the system name."
    )
    source: Literal["rendered", "kustomize", "helm"] = Field(
        "rendered",
        description="Tree Argo CD syncs: 'rendered' (rendered/<env>/, exactly what the pull request showed), "
        "'kustomize' (overlays/<env>/) or 'helm' (charts/<system>/ with values-<env>.yaml).",
    )
    destination: Destination = Field(
        default_factory=lambda: Destination(server=IN_CLUSTER),
        description="Cluster to deploy to; defaults to the cluster Argo CD runs in.",
    )
    auto_sync: bool = Field(
        True,
        description="Sync every reviewed change automatically, pruning removed objects and reverting manual "
        "edits (prune and selfHeal). On unless an environment sets it to false explicitly.",
    )
    retry: Retry = Field(default_factory=Retry, description="Retries of a failed sync, with exponential backoff.")
    sync_windows: list[SyncWindow] | None = Field(
        None,
        description="Sync windows of this environment's Applications (e.g. production changes only in a "
        "maintenance window); none by default.",
    )
