"""How many pods a service runs and how they survive disruption: a PodDisruptionBudget, a
HorizontalPodAutoscaler, zone spread, and the singleton declaration for what must never run twice."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from generator.spec.common import Model, require_one


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


class Spread(Model):
    """Topology spread of a service's pods across zones (applied when it can run more than one pod)."""

    zones: bool = Field(True, description="Spread pods across topology.kubernetes.io/zone.")
    max_skew: int = Field(1, ge=1, description="Largest allowed difference of pod counts between zones.")
    when_unsatisfiable: Literal["ScheduleAnyway", "DoNotSchedule"] = Field(
        "ScheduleAnyway", description="Whether an unbalanced placement blocks scheduling."
    )


class Singleton(Model):
    """A service that must never run two pods (an in-memory cache, a database on a ReadWriteOnce volume)."""

    reason: Annotated[str, StringConstraints(min_length=10, pattern=r"^[^\n=]+$")] = Field(
        description="Why a second pod would be wrong; production then accepts one replica, and a PDB protects nothing."
    )
