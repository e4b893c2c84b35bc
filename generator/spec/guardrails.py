"""Namespace guard rails: a ResourceQuota and a LimitRange. Unset quota amounts are computed from the
services (their peak pod count times their requests and limits, with headroom)."""

from __future__ import annotations

from pydantic import Field

from generator.spec.common import CpuQuantity, MemoryQuantity, Model


class Quota(Model):
    """The namespace's ResourceQuota; each unset amount is computed from the services."""

    enabled: bool = Field(True, description="Emit the ResourceQuota.")
    headroom_percent: int = Field(50, ge=0, le=1000, description="Margin added to computed amounts.")
    requests_cpu: CpuQuantity | None = Field(None, description="Total CPU requests.")
    requests_memory: MemoryQuantity | None = Field(None, description="Total memory requests.")
    limits_cpu: CpuQuantity | None = Field(None, description="Total CPU limits.")
    limits_memory: MemoryQuantity | None = Field(None, description="Total memory limits.")
    pods: int | None = Field(None, ge=1, description="Most pods at once.")


class LimitRange(Model):
    """Defaults for containers that do not set their own (none of ours: they protect the namespace)."""

    enabled: bool = Field(True, description="Emit the LimitRange.")
    default_request_cpu: CpuQuantity = Field("100m", description="CPU request of a container without one.")
    default_request_memory: MemoryQuantity = Field("128Mi", description="Memory request of a container without one.")
    default_limit_cpu: CpuQuantity = Field("500m", description="CPU limit of a container without one.")
    default_limit_memory: MemoryQuantity = Field("512Mi", description="Memory limit of a container without one.")
