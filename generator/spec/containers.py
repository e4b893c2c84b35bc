"""What runs in a container besides its image: command and args, named ports, ordered environment
variables with ``valueFrom``, lifecycle hooks, and the init containers and native sidecars next to the
service's main container. Every container gets the same hardened securityContext (``generator.builders``);
nothing here can loosen it.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from generator.spec.common import DnsLabel, EnvName, Model, Port, require_one
from generator.spec.probes import PortName, Probes
from generator.spec.resources import Image, Resources

Protocol = Literal["TCP", "UDP", "SCTP"]
Arg = Annotated[str, Field(description="One argument, passed as is (Kubernetes expands $(VAR) references).")]
Path = Annotated[str, StringConstraints(pattern=r"^/\S*$"), Field(description="An absolute path.")]


class ContainerPort(Model):
    """A port the container listens on besides its main one, optionally published on the Service."""

    name: PortName
    container_port: Port = Field(description="Port number in the container.")
    protocol: Protocol = Field("TCP", description="Transport protocol.")
    app_protocol: Annotated[str | None, StringConstraints(pattern=r"^[a-z0-9]([-a-z0-9./]*[a-z0-9])?$")] = Field(
        None, description="Application protocol on the Service port (e.g. 'http', 'kubernetes.io/h2c')."
    )
    service_port: Port | None = Field(
        None, description="Publish it on the Service at this port (same name, targetPort by name); unset: not published."
    )


class FieldRef(Model):
    """A field of the pod, through the downward API."""

    field_path: Literal[
        "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName",
        "status.hostIP", "status.podIP", "status.podIPs",
    ] = Field(description="The pod field.")


class ResourceFieldRef(Model):
    """A resource request or limit of this container."""

    resource: Literal["limits.cpu", "limits.memory", "requests.cpu", "requests.memory",
                      "limits.ephemeral-storage", "requests.ephemeral-storage"] = Field(description="Which amount.")
    divisor: Annotated[str | None, StringConstraints(pattern=r"^[0-9]+(m|Ki|Mi|Gi|k|M|G)?$")] = Field(
        None, description="Unit of the value (e.g. '1Mi', '1m')."
    )


class ConfigMapKey(Model):
    """One key of an existing ConfigMap of the namespace."""

    name: DnsLabel = Field(description="ConfigMap name.")
    key: Annotated[str, StringConstraints(pattern=r"^[-._a-zA-Z0-9]+$")] = Field(description="Key in it.")
    optional: bool | None = Field(None, description="Start the container even when the key is missing.")


class ValueFrom(Model):
    """Where a variable's value comes from: exactly one source."""

    field_ref: FieldRef | None = Field(None, description="A pod field (downward API).")
    resource_field_ref: ResourceFieldRef | None = Field(None, description="A resource amount of this container.")
    secret_key: EnvName | None = Field(
        None, description="A key of the service's synced Secret (one of its secrets' keys)."
    )
    config_map_key: ConfigMapKey | None = Field(None, description="A key of an existing ConfigMap.")

    @model_validator(mode="after")
    def _one(self) -> "ValueFrom":
        require_one(self, "field_ref", "resource_field_ref", "secret_key", "config_map_key")
        return self


class EnvVar(Model):
    """One environment variable, in order: a literal value (which may compose earlier variables with $(VAR),
    expanded by Kubernetes) or a valueFrom source."""

    name: EnvName
    value: str | None = Field(None, description="Literal value; $(NAME) expands an earlier variable.")
    value_from: ValueFrom | None = Field(None, description="Read the value from the pod, the Secret or a ConfigMap.")

    @model_validator(mode="after")
    def _one(self) -> "EnvVar":
        require_one(self, "value", "value_from", message="give exactly one of value or valueFrom")
        return self


class Hook(Model):
    """A lifecycle handler: a command, or a pause of some seconds (the Kubernetes sleep action)."""

    exec_: list[Annotated[str, StringConstraints(min_length=1)]] | None = Field(
        None, alias="exec", min_length=1, description="Command run in the container."
    )
    sleep_seconds: int | None = Field(None, ge=1, description="Seconds to sleep (lets endpoints drain before SIGTERM).")

    @model_validator(mode="after")
    def _one(self) -> "Hook":
        require_one(self, "exec_", "sleep_seconds", message="give exactly one of exec or sleepSeconds")
        return self


class Lifecycle(Model):
    """Hooks run after the container starts and before it is stopped."""

    post_start: Hook | None = Field(None, description="Runs right after the container is created.")
    pre_stop: Hook | None = Field(None, description="Runs before the container gets SIGTERM.")


class Mount(Model):
    """A volume of the service (by its name in volumes) mounted into an init container or sidecar."""

    volume: DnsLabel = Field(description="Name of an entry of the service's volumes.")
    mount_path: Path
    sub_path: Annotated[str | None, StringConstraints(pattern=r"^[^/\s][^\s]*$")] = Field(
        None, description="Mount only this file or folder of the volume."
    )
    read_only: bool | None = Field(None, description="Mount read-only (defaults to the volume's own setting).")


class ExtraContainer(Model):
    """An init container (runs to completion before the main container) or, with sidecar, a native sidecar
    (an init container with restartPolicy Always that runs for the pod's whole life)."""

    name: DnsLabel = Field(description="Container name, unique in the pod.")
    image: Image = Field(description="Container image.")
    sidecar: bool = Field(False, description="Keep it running next to the main container (native sidecar).")
    command: list[Arg] | None = Field(None, description="Entrypoint (replaces the image's ENTRYPOINT).")
    args: list[Arg] | None = Field(None, description="Arguments (replace the image's CMD).")
    working_dir: Path | None = Field(None, description="Working directory.")
    env: list[EnvVar] = Field(default_factory=list, description="Environment variables, in order.")
    resources: Resources = Field(description="CPU and memory requests and limits (required).")
    mounts: list[Mount] = Field(default_factory=list, description="Volumes of the service mounted here.")
    ports: list[ContainerPort] = Field(default_factory=list, description="With sidecar: ports it listens on.")
    probes: Probes = Field(default_factory=Probes, description="With sidecar: its probes.")

    @model_validator(mode="after")
    def _sidecar_only(self) -> "ExtraContainer":
        if not self.sidecar and (self.ports or self.probes.items()):
            raise ValueError("ports and probes go with sidecar: true (an init container runs to completion)")
        return self
