"""The clusters of one environment: where Argo CD deploys it when it runs on more than one cluster.

An environment without ``clusters`` runs on its one ``argocd.destination`` and renders as before
(``rendered/<env>/``). With ``clusters``, each cluster is rendered in full as its own tree
(``rendered/<env>/<cluster>/``) from the environment's spec with that cluster's ``overrides`` merged on
top (the same merge rules as ``extends``), and Argo CD deploys them through one ApplicationSet that syncs
the primaries before the standbys. The loader validates each cluster's merged spec like an environment.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, model_validator

from generator.spec.argocd import Destination
from generator.spec.common import Labels, Model

# Keys a cluster layer may not change: they name the system, the namespace Argo CD's project allows, the
# Argo CD settings of the one repository, and the cluster list itself.
FIXED_KEYS = ("system", "namespace", "argocd", "clusters", "extends")


class Cluster(Model):
    """One cluster an environment runs on."""

    destination: Destination = Field(description="The cluster as Argo CD knows it: its registered name or API server URL.")
    region: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-[a-z]+)+-[0-9]$")] = Field(
        description="Cloud region of the cluster, e.g. 'us-west-2' (a label of its Application)."
    )
    role: Literal["primary", "standby"] = Field(
        "primary", description="Progressive sync order: every primary is synced and healthy before any standby."
    )
    labels: Labels = Field(
        default_factory=dict, description="Extra labels of this cluster's Application (e.g. tier: critical)."
    )
    overrides: dict[str, Any] = Field(
        default_factory=dict,
        description="A spec layer merged onto the environment for this cluster only (replicas, secret store "
        "settings, hosts, certificate ARNs...), with the merge rules of 'extends'; it may not set "
        f"{', '.join(FIXED_KEYS)}.",
    )

    @model_validator(mode="after")
    def _fixed_keys(self) -> "Cluster":
        fixed = [key for key in FIXED_KEYS if key in self.overrides]
        if fixed:
            raise ValueError(f"overrides may not set {', '.join(fixed)}: every cluster of an environment shares them")
        return self
