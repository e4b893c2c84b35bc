"""Shared building blocks of the spec models: the strict base model and the constrained scalar types.

Every spec model derives from ``Model``: unknown keys are errors (``extra="forbid"``), values are not
coerced between types (``strict``: ``"3"`` is not a number, ``yes`` is not a string), instances are
frozen, and YAML keys are camelCase like the Kubernetes fields they become.
"""

from __future__ import annotations

import decimal
import functools
import re
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
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

_LABEL_KEY = re.compile(r"([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?")
_LABEL_VALUE = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?")
MAX_ANNOTATIONS_BYTES = 256 * 1024  # the API server's limit on all annotations of one object


def _labels(value: dict[str, str]) -> dict[str, str]:
    for key, label in value.items():
        if not _LABEL_KEY.fullmatch(key):
            raise ValueError(f"label key {key!r} is not a qualified name ([prefix/]name, name at most 63 characters)")
        if not _LABEL_VALUE.fullmatch(label):
            raise ValueError(f"the value of label {key!r} is not a label value (at most 63 characters, alphanumeric at both ends)")
    return value


def _annotations(value: dict[str, str]) -> dict[str, str]:
    for key in value:
        if not _LABEL_KEY.fullmatch(key):
            raise ValueError(f"annotation key {key!r} is not a qualified name ([prefix/]name, name at most 63 characters)")
    if sum(len(k.encode()) + len(v.encode()) for k, v in value.items()) > MAX_ANNOTATIONS_BYTES // 2:
        raise ValueError(f"the annotations are larger than {MAX_ANNOTATIONS_BYTES // 2} bytes")
    return value


Labels = Annotated[dict[str, str], AfterValidator(_labels)]
"""Labels or label selectors written by users: keys qualified names, values label values (API-server rules)."""
Annotations = Annotated[dict[str, str], AfterValidator(_annotations)]
"""Annotations written by users: qualified-name keys, half the API server's size limit at most (the rest is ours)."""

_CPU = r"^([0-9]+m|[0-9]+(\.[0-9]{1,3})?)$"
_MEMORY = r"^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$"

# Exact quantity arithmetic with ``decimal`` (no float rounding: three pods of 333m with 50% headroom are
# 1500m, not 1499.9999m). A maintained quantity library would add a dependency for two small parsers; the
# suffixes are fixed by Kubernetes. Every amount is positive, and at most what the API server's int64
# milli-units hold.
_DECIMAL = decimal.Context(prec=60, traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow])
_MAX_MILLI = Decimal(2**63 - 1)


def _positive_quantity(text: str, value: Decimal) -> str:
    if value <= 0:
        raise ValueError(f"{text} is zero: a request or limit must be more than nothing")
    if value * 1000 > _MAX_MILLI:
        raise ValueError(f"{text} is larger than any quantity Kubernetes can hold")
    return text


CpuQuantity = Annotated[
    str,
    StringConstraints(pattern=_CPU),
    AfterValidator(lambda q: _positive_quantity(q, validated_cpu_millicores(q) / 1000)),
    Field(description="CPU as a Kubernetes quantity string: millicores ('250m') or cores ('1', '0.5')."),
]
MemoryQuantity = Annotated[
    str,
    StringConstraints(pattern=_MEMORY),
    AfterValidator(lambda q: _positive_quantity(q, validated_memory_bytes(q))),
    Field(description="Memory as a Kubernetes quantity string, e.g. '128Mi', '1Gi'."),
]

_SUFFIX = {
    "": 1, "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12, "P": 10**15, "E": 10**18,
    "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60,
}


def cpu_millicores(quantity: str) -> Decimal:
    """'250m' -> 250, '1' -> 1000, '0.5' -> 500 (exact)."""
    if quantity.endswith("m"):
        return Decimal(quantity[:-1])
    return _DECIMAL.multiply(Decimal(quantity), 1000)


def memory_bytes(quantity: str) -> Decimal:
    """'128Mi' -> 134217728 (exact)."""
    number, suffix = re.fullmatch(r"([0-9.]+)([A-Za-z]*)", quantity).groups()  # type: ignore[union-attr]
    return _DECIMAL.multiply(Decimal(number), _SUFFIX[suffix])


# A spec repeats a few quantities hundreds of times: validators remember what each one parses to. Only
# validators use these (they see plain strings); builders call the functions above, also on traced
# strings (generator.emit.helm.trace), which must see every use.
validated_cpu_millicores = functools.lru_cache(maxsize=4096)(cpu_millicores)
validated_memory_bytes = functools.lru_cache(maxsize=4096)(memory_bytes)
