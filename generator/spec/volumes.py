"""Volumes a service mounts, by name: ConfigMap files written from the spec (inline text, or a file of the
spec root that the loader reads), PersistentVolumeClaims (a standalone claim, or a per-pod claim template
for a StatefulSet), and emptyDir scratch space with a size limit or in memory. The writable paths of
``security`` and mounted secrets are separate (``generator.spec.service``)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from generator.spec.common import MemoryQuantity, Model, require_one

FileName = Annotated[
    str,
    StringConstraints(pattern=r"^[-._a-zA-Z0-9]+$", max_length=253),
    Field(description="A file name (a ConfigMap key): letters, digits, '-', '_' and '.'."),
]
FileMode = Annotated[
    str,
    StringConstraints(pattern=r"^0[0-7]{3}$"),
    Field(description="Permission bits as an octal string, e.g. '0644' or '0755' (quoted, so YAML keeps it octal)."),
]


class ConfigFile(Model):
    """One file of a ConfigMap volume: its text inline, or read from a file of the spec root at render."""

    content: str | None = Field(
        None, description="The file's text (filled in by the loader when file is given)."
    )
    file: Annotated[str | None, StringConstraints(pattern=r"^[^/\s][^\s]*$")] = Field(
        None, description="Path of a file of the spec root (relative to it, inside it) whose text is the content."
    )
    mode: FileMode | None = Field(None, description="Permission bits of this file (e.g. '0755' for a script).")

    @model_validator(mode="after")
    def _text(self) -> "ConfigFile":
        if self.content is None:
            raise ValueError("give content or file")
        return self


class EmptyDir(Model):
    """Scratch space that lives as long as the pod."""

    size_limit: MemoryQuantity | None = Field(None, description="Most space it may use, e.g. '1Gi'.")
    medium: Literal["Memory"] | None = Field(None, description="'Memory' for a tmpfs (counts against the memory limit).")


class Claim(Model):
    """A PersistentVolumeClaim: standalone, or one per pod (volumeClaimTemplates) for a StatefulSet."""

    size: MemoryQuantity = Field(description="Requested storage, e.g. '1Gi'.")
    storage_class: Annotated[str | None, StringConstraints(pattern=r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")] = Field(
        None, description="StorageClass; the cluster default when unset."
    )
    access_modes: list[Literal["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"]] = Field(
        default_factory=lambda: ["ReadWriteOnce"], min_length=1, description="Access modes."
    )


class Volume(Model):
    """A named volume mounted into the main container: exactly one of files, emptyDir or claim."""

    mount_path: Annotated[str, StringConstraints(pattern=r"^/\S*$")] = Field(
        description="Where the main container sees it (a file path when subPath is set)."
    )
    sub_path: Annotated[str | None, StringConstraints(pattern=r"^[^/\s][^\s]*$")] = Field(
        None, description="Mount only this file or folder of the volume (e.g. one file of a ConfigMap)."
    )
    read_only: bool | None = Field(None, description="Mount read-only; files are always read-only, others default to writable.")
    files: dict[FileName, ConfigFile] | None = Field(
        None, min_length=1, description="A ConfigMap '<service>-<volume>' holding these files."
    )
    default_mode: FileMode | None = Field(None, description="With files: permission bits of every file.")
    empty_dir: EmptyDir | None = Field(None, description="An emptyDir.")
    claim: Claim | None = Field(None, description="A PersistentVolumeClaim.")

    @model_validator(mode="after")
    def _one_source(self) -> "Volume":
        require_one(self, "files", "empty_dir", "claim", message="give exactly one of files, emptyDir or claim")
        if self.default_mode is not None and self.files is None:
            raise ValueError("defaultMode goes with files")
        if self.files is not None and self.read_only is False:
            raise ValueError("a ConfigMap volume is always read-only")
        return self

    @property
    def writable(self) -> bool:
        return self.files is None and self.read_only is not True
