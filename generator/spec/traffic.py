"""Public HTTP exposure of a service: an Ingress for the AWS Load Balancer Controller (ALB), with TLS from
an ACM certificate and HTTP redirected to HTTPS."""

from __future__ import annotations

import ipaddress
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator

from generator.spec.common import DnsLabel, Model, Port

Hostname = Annotated[
    str,
    StringConstraints(pattern=r"^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$", max_length=253),
    Field(description="A fully qualified DNS name, e.g. 'nexus.example.com'."),
]


class Expose(Model):
    """An Ingress routing a host (and path) to the service's port."""

    host: Hostname
    path: Annotated[str, StringConstraints(pattern=r"^/\S*$")] = Field("/", description="Path routed to the service.")
    path_type: Literal["Prefix", "Exact"] = Field("Prefix", description="How the path matches.")
    ingress_class_name: DnsLabel = Field("alb", description="IngressClass handling the Ingress.")
    scheme: Literal["internet-facing", "internal"] = Field("internet-facing", description="ALB scheme.")
    certificate_arn: Annotated[
        str | None,
        StringConstraints(pattern=r"^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[A-Za-z0-9-]+$"),
        Field(description="ACM certificate for TLS; when unset the controller discovers one by host."),
    ] = None
    ssl_redirect: bool = Field(True, description="Listen on 80 and 443 and redirect HTTP to HTTPS.")
    annotations: dict[str, str] = Field(
        default_factory=dict, description="Extra Ingress annotations (e.g. alb.ingress.kubernetes.io/wafv2-acl-arn)."
    )


class ExternalService(Model):
    """A second Service that publishes the main port outside the cluster (e.g. Online Boutique's
    frontend-external): a cloud load balancer or a port on every node. Its allowed sources become the
    NetworkPolicy's ingress allow."""

    name: DnsLabel | None = Field(None, description="Service name; '<service>-external' when unset.")
    type: Literal["LoadBalancer", "NodePort"] = Field("LoadBalancer", description="How it is published.")
    port: Port | None = Field(None, description="Published port; defaults to the Service port.")
    node_port: Annotated[int | None, Field(ge=30000, le=32767)] = Field(None, description="Fixed node port (NodePort range).")
    annotations: dict[str, str] = Field(
        default_factory=dict,
        description="Annotations of the load balancer controller, e.g. "
        "service.beta.kubernetes.io/aws-load-balancer-type: external.",
    )
    load_balancer_source_ranges: list[str] = Field(
        default_factory=lambda: ["0.0.0.0/0"],
        min_length=1,
        description="Client CIDRs allowed (the load balancer's allow list and the NetworkPolicy's ipBlocks).",
    )
    load_balancer_class: Annotated[str | None, StringConstraints(pattern=r"^[a-z0-9.-]+(/[a-z0-9.-]+)?$")] = Field(
        None, description="Load balancer implementation, e.g. 'service.k8s.aws/nlb'."
    )

    @field_validator("load_balancer_source_ranges")
    @classmethod
    def _cidrs(cls, value: list[str]) -> list[str]:
        for block in value:
            ipaddress.ip_network(block, strict=True)
        return value
