"""How a service's new versions roll out: a Deployment's rolling update, or an Argo Rollouts canary with
optional Prometheus analysis."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator

from generator.spec.common import Duration, Model

IntOrPercent = int | Annotated[str, StringConstraints(pattern=r"^(100|[1-9]?[0-9])%$")]


class RollingUpdate(Model):
    """Surge and unavailability while pods are replaced (Deployment rolling update and canary)."""

    max_surge: IntOrPercent = Field(1, description="Extra pods allowed during a rollout (count or 'N%').")
    max_unavailable: IntOrPercent = Field(0, description="Pods that may be unavailable during a rollout.")


class Analysis(Model):
    """An AnalysisTemplate that aborts the canary when the HTTP success rate drops."""

    prometheus_address: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] = Field(
        "http://prometheus-operated.monitoring.svc:9090", description="Prometheus the analysis queries."
    )
    success_rate: float = Field(0.95, gt=0, le=1, description="Lowest acceptable share of non-5xx responses.")
    interval: Duration = Field("1m", description="Time between measurements.")
    count: int = Field(5, ge=1, description="Measurements per analysis run.")
    failure_limit: int = Field(1, ge=0, description="Failed measurements tolerated before the canary aborts.")
    query: str | None = Field(
        None,
        description="PromQL returning the success rate (0-1); defaults to non-5xx over all requests of the "
        "service's requests metric (monitoring.requestsMetric) in its namespace over 5m.",
    )
    starting_step: int | None = Field(None, ge=0, description="Canary step at which the background analysis starts.")


class Canary(Model):
    """Canary steps: shift the given weights one after the other, pausing after each."""

    steps: list[int] = Field(min_length=1, description="Increasing traffic weights in percent, e.g. [20, 50, 80].")
    pause: Duration | Literal["manual"] = Field(
        "5m", description="Pause after each weight: a duration, or 'manual' to wait for a promotion."
    )
    analysis: Analysis | None = Field(None, description="Background success-rate analysis; none when unset.")

    @field_validator("steps")
    @classmethod
    def _increasing(cls, steps: list[int]) -> list[int]:
        if any(not 0 < w < 100 for w in steps) or steps != sorted(set(steps)):
            raise ValueError("weights must be strictly increasing, each between 1 and 99")
        return steps


class Rollout(Model):
    """Deliver the service as an Argo Rollout (argoproj.io/v1alpha1) instead of a Deployment."""

    canary: Canary = Field(description="The canary strategy.")
