"""Network allows of a service: the peer at the other end (a service, a namespace or an IP block) and the
ports. ``generator.builders.network`` turns them into NetworkPolicies on both sides of each service edge."""

from __future__ import annotations

import functools
import ipaddress
from typing import Literal

from pydantic import Field, field_validator, model_validator

from generator.spec.common import DnsLabel, Labels, Model, Port, require_one

Protocol = Literal["TCP", "UDP", "SCTP"]


@functools.lru_cache(maxsize=4096)
def _network(block: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    """A parsed block, strict (no host bits); cached: specs repeat the same few blocks in every service."""
    return ipaddress.ip_network(block, strict=True)


class Peer(Model):
    """The other end of a network allow: exactly one of service, namespace or cidr."""

    service: DnsLabel | None = Field(None, description="Another service of this environment, by name.")
    namespace: DnsLabel | None = Field(None, description="Every pod of a namespace, e.g. the ingress controller's.")
    pod_labels: Labels | None = Field(
        None, description="With namespace: only pods carrying these labels."
    )
    cidr: str | None = Field(None, description="An IP block, e.g. '10.0.0.0/8'.")
    except_: list[str] = Field(default_factory=list, alias="except", description="With cidr: blocks to exclude.")

    @model_validator(mode="after")
    def _exactly_one(self) -> "Peer":
        require_one(self, "service", "namespace", "cidr")
        if self.pod_labels is not None and self.namespace is None:
            raise ValueError("podLabels only goes with namespace")
        if self.except_ and self.cidr is None:
            raise ValueError("except only goes with cidr")
        return self

    @field_validator("cidr", "except_")
    @classmethod
    def _valid_cidr(cls, value):
        for block in [value] if isinstance(value, str) else value or []:
            if "/" not in block:
                raise ValueError(f"{block!r} has no prefix length: write it as a block, e.g. '{block}/32'")
            _network(block)
        return value

    @model_validator(mode="after")
    def _except_inside(self) -> "Peer":
        if self.cidr is None:
            return self
        outer = _network(self.cidr)
        for block in self.except_:
            inner = _network(block)
            if inner.version != outer.version:
                raise ValueError(f"except {block} is IPv{inner.version} but cidr {self.cidr} is IPv{outer.version}")
            if inner == outer or not inner.subnet_of(outer):  # type: ignore[arg-type]
                raise ValueError(f"except {block} must be a strict subset of cidr {self.cidr}")
        return self


class Allow(Model):
    """Ports of one network allow. For a service peer, ports default to the callee's service port."""

    ports: list[Port] | None = Field(None, description="Allowed ports; required unless the peer is a service.")
    protocols: list[Protocol] = Field(default_factory=lambda: ["TCP"], description="Protocols for every port.")


class IngressRule(Allow):
    """Traffic allowed into this service."""

    from_: Peer = Field(alias="from", description="Who may connect.")


class EgressRule(Allow):
    """Traffic allowed out of this service."""

    to: Peer = Field(description="Where it may connect.")
