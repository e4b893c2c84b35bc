"""What the build step hands the emitters: every environment with its objects, and the Argo CD objects.

The one input type of every emitter (``generator.emit``), so an emitter reads ``env.spec`` and
``env.source`` rather than reaching through the loader's record. Everything here is already validated:
the emitters only serialize.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator import layout, promotion
from generator.load import LoadedCluster, LoadedEnvironment
from generator.spec import Environment


@dataclass(frozen=True)
class BuiltEnvironment:
    """One environment's spec and the objects built from it, in install order; for an environment on
    several clusters, one of them per cluster (``cluster`` set), each with that cluster's spec."""

    loaded: LoadedEnvironment
    objects: tuple[dict, ...]
    cluster: LoadedCluster | None = None

    @property
    def name(self) -> str:
        return self.loaded.name

    @property
    def spec(self) -> Environment:
        return self.cluster.spec if self.cluster else self.loaded.spec

    @property
    def tree(self) -> str:
        """The folder of this tree under rendered/ and overlays/: ``<env>`` or ``<env>/<cluster>``."""
        return layout.tree(self.name, self.cluster.name if self.cluster else None)

    @property
    def unit(self) -> str:
        """The name of this tree in the Helm chart (values-<unit>.yaml): ``<env>`` or ``<env>.<cluster>``."""
        return layout.unit(self.name, self.cluster.name if self.cluster else None)

    @property
    def role(self) -> str:
        """The cluster's role (``primary`` or ``standby``); an environment on one cluster is its primary."""
        return self.loaded.spec.clusters[self.cluster.name].role if self.cluster else "primary"

    @property
    def source(self) -> str:
        """The environment's spec file, relative to the root."""
        return self.loaded.source


@dataclass(frozen=True)
class ArgoObject:
    """An Argo CD object and the spec files it comes from (for its generated-file header)."""

    object: dict
    source: str


@dataclass(frozen=True)
class BuiltRoot:
    """Every environment of a spec root, by name, and the Argo CD objects that deploy them."""

    environments: tuple[BuiltEnvironment, ...]
    argocd: tuple[ArgoObject, ...] = ()

    @property
    def system(self) -> str:
        """The system every environment names (the pipeline checks they agree)."""
        return self.environments[0].spec.system

    def latest_first(self) -> tuple[BuiltEnvironment, ...]:
        """The trees, the environment latest in promotion order first, and within an environment its
        primary clusters before its standbys (in spec order): who wins a tie in a shared file."""
        loaded = list({e.name: e.loaded for e in self.environments}.values())  # each environment once
        rank = {name: i for i, name in enumerate(reversed(promotion.order(loaded)))}
        return tuple(sorted(self.environments, key=lambda e: (rank[e.name], e.role != "primary")))
