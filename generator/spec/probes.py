"""Health probes of a container: one handler each (HTTP GET, gRPC, TCP socket or a command), with the
Kubernetes timings. Which probes a service needs is a rule of the service (``generator.spec.service``):
readiness when a Service sends it traffic, none for workers, Jobs and CronJobs; and a probe may only
target a port the container declares.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from generator.spec.common import Model, Port, require_one

PORT_NAME_PATTERN = r"^(?:[a-z0-9]+-+)*[a-z0-9]*[a-z][a-z0-9]*(?:-+[a-z0-9]+)*$"

PortName = Annotated[
    str,
    StringConstraints(pattern=PORT_NAME_PATTERN, max_length=15),
    Field(description="A port name (IANA service name): at most 15 lowercase letters, digits and '-', with a letter."),
]

PortRef = Annotated[
    Port | PortName,
    Field(description="A declared container port, by number or by name."),
]


class HttpHeader(Model):
    """One header sent with an HTTP probe."""

    name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")] = Field(
        description="Header name."
    )
    value: str = Field(description="Header value.")


class GrpcProbe(Model):
    """The gRPC health checking protocol (grpc.health.v1.Health/Check)."""

    port: Port = Field(description="Port number of the gRPC server (Kubernetes takes a number here, not a name).")
    service: str | None = Field(None, description="Service name sent in the health check request.")


class TcpProbe(Model):
    """Succeeds when a TCP connection to the port opens."""

    port: PortRef


class ExecProbe(Model):
    """Succeeds when the command exits 0 inside the container."""

    command: list[Annotated[str, StringConstraints(min_length=1)]] = Field(
        min_length=1, description="Command and arguments (no shell unless you run one)."
    )


class Probe(Model):
    """One probe: exactly one handler (path for HTTP GET, grpc, tcpSocket or exec). Unset timings keep the
    Kubernetes defaults and are not written."""

    path: Annotated[str | None, StringConstraints(pattern=r"^/\S*$")] = Field(
        None, description="HTTP GET path, starting with '/'."
    )
    port: PortRef | None = Field(None, description="With path: the port to probe; defaults to the main port.")
    scheme: Literal["HTTP", "HTTPS"] | None = Field(None, description="With path: HTTP (default) or HTTPS.")
    http_headers: list[HttpHeader] = Field(default_factory=list, description="With path: headers to send.")
    grpc: GrpcProbe | None = Field(None, description="A gRPC health check.")
    tcp_socket: TcpProbe | None = Field(None, description="A TCP connection check.")
    exec_: ExecProbe | None = Field(None, alias="exec", description="A command run in the container.")
    initial_delay_seconds: int | None = Field(None, ge=0, description="Seconds before the first probe.")
    period_seconds: int | None = Field(None, ge=1, description="Seconds between probes.")
    timeout_seconds: int | None = Field(None, ge=1, description="Seconds before a probe times out.")
    success_threshold: int | None = Field(None, ge=1, description="Successes needed after a failure.")
    failure_threshold: int | None = Field(None, ge=1, description="Failures before the probe gives up.")

    @model_validator(mode="after")
    def _one_handler(self) -> "Probe":
        require_one(self, "path", "grpc", "tcp_socket", "exec_",
                    message="give exactly one handler: path (HTTP GET), grpc, tcpSocket or exec")
        if self.path is None and (self.port is not None or self.scheme or self.http_headers):
            raise ValueError("port, scheme and httpHeaders go with path (HTTP GET)")
        return self

    @property
    def target_port(self) -> int | str | None:
        """The port the probe connects to (None for exec; the main port for an HTTP probe without one)."""
        if self.grpc:
            return self.grpc.port
        if self.tcp_socket:
            return self.tcp_socket.port
        return self.port


class Probes(Model):
    """Startup, liveness and readiness probes, each optional (a Service-backed workload needs readiness)."""

    startup: Probe | None = Field(None, description="Runs first; the others wait until it succeeds.")
    liveness: Probe | None = Field(None, description="Restarts the container when it fails.")
    readiness: Probe | None = Field(None, description="Takes the pod out of the Service endpoints when it fails.")

    def items(self) -> list[tuple[str, Probe]]:
        return [(k, p) for k, p in (("startup", self.startup), ("liveness", self.liveness),
                                    ("readiness", self.readiness)) if p is not None]
