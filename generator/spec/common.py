"""Shared building blocks of the spec models: the strict base model and the constrained scalar types.

Every spec model derives from ``Model``: unknown keys are errors (``extra="forbid"``), values are not
coerced between types (``strict``: ``"3"`` is not a number, ``yes`` is not a string), instances are
frozen, and YAML keys are camelCase like the Kubernetes fields they become.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic.alias_generators import to_camel


def require_one(model: BaseModel, *fields: str, message: str | None = None) -> None:
    """Raise unless exactly one of ``fields`` (attribute names) is set; the message names their YAML keys."""
    if sum(getattr(model, f) is not None for f in fields) != 1:
        keys = [to_camel(f.rstrip("_")) for f in fields]
        raise ValueError(message or f"give exactly one of {', '.join(keys)}")


class Model(BaseModel):
    """Base of every spec model: strict, frozen, camelCase keys, unknown keys rejected."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        strict=True,
        alias_generator=to_camel,
        populate_by_name=True,
        use_attribute_docstrings=False,
    )


DNS_LABEL_PATTERN = r"^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$"

DnsLabel = Annotated[
    str,
    StringConstraints(pattern=DNS_LABEL_PATTERN),
    Field(description="A DNS-1123 label that starts with a letter: lowercase letters, digits and '-', at most 63."),
]

Port = Annotated[int, Field(ge=1, le=65535, description="A TCP/UDP port number, 1-65535.")]

Duration = Annotated[
    str,
    StringConstraints(pattern=r"^([0-9]+(ms|s|m|h))+$"),
    Field(description="A duration such as '30s', '5m' or '1h30m'."),
]

EnvName = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$"),
    Field(description="An environment variable name (letters, digits, '_'; not starting with a digit)."),
]

LabelValue = Annotated[
    str,
    StringConstraints(pattern=r"^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$"),
    Field(description="A Kubernetes label value: at most 63 characters, alphanumeric at both ends."),
]

LabelKey = Annotated[
    str,
    StringConstraints(pattern=r"^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$"),
    Field(description="A Kubernetes label key, optionally prefixed by a DNS subdomain and '/'."),
]

_CPU = r"^([0-9]+m|[0-9]+(\.[0-9]{1,3})?)$"
_MEMORY = r"^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$"

CpuQuantity = Annotated[
    str,
    StringConstraints(pattern=_CPU),
    Field(description="CPU as a Kubernetes quantity string: millicores ('250m') or cores ('1', '0.5')."),
]
MemoryQuantity = Annotated[
    str,
    StringConstraints(pattern=_MEMORY),
    Field(description="Memory as a Kubernetes quantity string, e.g. '128Mi', '1Gi'."),
]

_SUFFIX = {
    "": 1, "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12, "P": 10**15, "E": 10**18,
    "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60,
}


def cpu_millicores(quantity: str) -> float:
    """'250m' -> 250, '1' -> 1000, '0.5' -> 500."""
    return float(quantity[:-1]) if quantity.endswith("m") else float(quantity) * 1000


def memory_bytes(quantity: str) -> float:
    """'128Mi' -> 134217728."""
    number, suffix = re.fullmatch(r"([0-9.]+)([A-Za-z]*)", quantity).groups()  # type: ignore[union-attr]
    return float(number) * _SUFFIX[suffix]
