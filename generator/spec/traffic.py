"""Public HTTP exposure of a service: an Ingress for the AWS Load Balancer Controller (ALB), with TLS from
an ACM certificate and HTTP redirected to HTTPS."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from generator.spec.common import Annotations, DnsLabel, Model

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
    annotations: Annotations = Field(
        default_factory=dict, description="Extra Ingress annotations (e.g. alb.ingress.kubernetes.io/wafv2-acl-arn)."
    )
