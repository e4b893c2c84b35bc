"""Where a service's pods run and how they are labelled: pod labels and annotations, node selection,
tolerations, anti-affinity between its own pods, priority, image pull secrets, and the Deployment's
history and progress settings. Nothing here can weaken the pod's security."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from generator.spec.common import DnsLabel, LabelKey, LabelValue, Model


class Toleration(Model):
    """Lets pods run on nodes with a matching taint."""

    key: LabelKey | None = Field(None, description="Taint key; with operator Exists and no key, every taint.")
    operator: Literal["Equal", "Exists"] = Field("Equal", description="Equal compares value; Exists ignores it.")
    value: LabelValue | None = Field(None, description="Taint value (with Equal).")
    effect: Literal["NoSchedule", "PreferNoSchedule", "NoExecute"] | None = Field(
        None, description="Taint effect; every effect when unset."
    )
    toleration_seconds: int | None = Field(None, ge=0, description="With NoExecute: how long pods stay after the taint.")

    @model_validator(mode="after")
    def _consistent(self) -> "Toleration":
        if self.operator == "Exists" and self.value is not None:
            raise ValueError("operator Exists takes no value")
        if self.operator == "Equal" and self.key is None:
            raise ValueError("operator Equal needs a key")
        return self


class Placement(Model):
    """Scheduling and labelling of the pods."""

    pod_labels: dict[LabelKey, LabelValue] = Field(
        default_factory=dict, description="Extra labels on the pods (not in the selector)."
    )
    pod_annotations: dict[LabelKey, str] = Field(default_factory=dict, description="Extra annotations on the pods.")
    labels: dict[LabelKey, LabelValue] = Field(
        default_factory=dict, description="Extra labels on every object of the service."
    )
    node_selector: dict[LabelKey, LabelValue] = Field(default_factory=dict, description="Node labels pods need.")
    tolerations: list[Toleration] = Field(default_factory=list, description="Taints the pods tolerate.")
    anti_affinity: Literal["preferred", "required"] | None = Field(
        None, description="Keep the service's pods on different nodes: preferred, or required (pods stay pending)."
    )
    priority_class_name: DnsLabel | None = Field(None, description="PriorityClass of the pods.")
    image_pull_secrets: list[DnsLabel] = Field(
        default_factory=list, description="Names of existing registry Secrets of the namespace."
    )
    min_ready_seconds: int | None = Field(None, ge=0, description="Seconds a new pod must be ready to count as available.")
    revision_history_limit: int | None = Field(None, ge=0, description="Old ReplicaSets / revisions kept for rollback.")
    progress_deadline_seconds: int | None = Field(
        None, ge=1, description="Deployment: seconds before a stuck rollout is reported as failed."
    )

