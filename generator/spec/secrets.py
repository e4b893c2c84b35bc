"""Secrets of a service, by reference only: which keys to read from which path of which store, given to
the container as variables or mounted as files (``generator.builders.secrets`` turns them into an
ExternalSecret and the references that read it)."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints, model_validator

from generator.spec.common import DnsLabel, Model


def _secret_key(key: str) -> str:
    if key in (".", "..") or key.startswith(".."):
        raise ValueError(f"{key!r}: a Secret key cannot be '.' or '..' or start with '..' (the kubelet's own names)")
    return key


SecretKey = Annotated[
    str,
    StringConstraints(pattern=r"^[-._a-zA-Z0-9]+$", max_length=253),
    AfterValidator(_secret_key),
    Field(description="A Secret key: an environment variable name, or a file name when mounted."),
]


def _names_to_mapping(value):
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return {v: v for v in value}
    return value


class SecretSource(Model):
    """Keys read from one path of one secret store, given to the container as environment variables, or as
    files (one per key, named after it) when mountPath is set."""

    store: DnsLabel = Field(description="Name of an entry of the environment's secretStores.")
    path: Annotated[str, StringConstraints(min_length=1, pattern=r"^\S+$")] = Field(
        description="Path of the secret in the store, e.g. 'securenexus/production' or 'secret/data/stripe'."
    )
    keys: Annotated[dict[SecretKey, Annotated[str, StringConstraints(min_length=1)]], BeforeValidator(_names_to_mapping)] = Field(
        description="Variables (or, with mountPath, file names) to set: a list of names, each read from the "
        "property of the same name, or a mapping of name to property in the secret.",
        min_length=1,
    )
    mount_path: Annotated[str | None, StringConstraints(pattern=r"^/\S+$")] = Field(
        None, description="Mount the keys as read-only files in this folder instead of environment variables."
    )

    @model_validator(mode="after")
    def _env_names(self) -> "SecretSource":
        if self.mount_path is None:
            bad = [k for k in self.keys if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", k)]
            if bad:
                raise ValueError(f"{bad} are not environment variable names (set mountPath to mount them as files)")
        return self
