"""A container's image and its CPU and memory: shared by the main container and the init containers and
sidecars (``generator.spec.containers``)."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from generator.spec.common import CpuQuantity, MemoryQuantity, Model, validated_cpu_millicores, validated_memory_bytes


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
        # Built with + rather than an f-string, so the Helm chart can follow the tag and digest values.
        ref = self.repository
        if self.tag:
            ref = ref + ":" + self.tag
        if self.digest:
            ref = ref + "@" + self.digest
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
        if validated_cpu_millicores(self.requests.cpu) > validated_cpu_millicores(self.limits.cpu):
            raise ValueError(f"requests.cpu {self.requests.cpu} exceeds limits.cpu {self.limits.cpu}")
        if validated_memory_bytes(self.requests.memory) > validated_memory_bytes(self.limits.memory):
            raise ValueError(f"requests.memory {self.requests.memory} exceeds limits.memory {self.limits.memory}")
        return self


_FLOATING = {"latest", "stable", "lts", "alpine", "slim", "edge", "main", "master", "mainline", "nightly", "dev"}


def floating_tag(image: Image) -> bool:
    """Whether the image is a moving target: no digest and a tag such as 'latest', 'alpine', 'stable', 'lts',
    a bare major ('7', 'v7') or a bare major with a variant ('7-alpine'). A release carries a version or a digest."""
    if image.digest is not None:
        return False
    tag = (image.tag or "").lower()
    if tag in _FLOATING or tag.endswith("-latest"):
        return True
    return bool(re.fullmatch(r"v?[0-9]+(-[a-z]+)?", tag))
