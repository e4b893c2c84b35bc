"""How a service is reached from outside: an Ingress (AWS ALB, or an in-cluster controller such as
nginx), a Gateway API HTTPRoute, or a LoadBalancer / NodePort Service."""

from __future__ import annotations

import ipaddress
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from generator.spec.common import Annotations, DnsLabel, Model, Port

Hostname = Annotated[
    str,
    StringConstraints(pattern=r"^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$", max_length=253),
    Field(description="A fully qualified DNS name, e.g. 'nexus.example.com'."),
]


def _camel(field: str) -> str:
    head, *rest = field.split("_")
    return head + "".join(part.capitalize() for part in rest)


class Issuer(Model):
    """A cert-manager issuer that provisions the TLS certificate (cert-manager.io annotations)."""

    name: DnsLabel = Field(description="Issuer name.")
    kind: Literal["ClusterIssuer", "Issuer"] = Field("ClusterIssuer", description="Issuer kind.")


class Gateway(Model):
    """A Gateway API Gateway the service attaches to with an HTTPRoute (instead of an Ingress)."""

    name: DnsLabel = Field(description="Gateway name.")
    namespace: DnsLabel = Field(description="Namespace of the Gateway (it must allow routes from this one).")
    section_name: DnsLabel | None = Field(None, description="Listener of the Gateway to attach to.")
    proxy_namespace: DnsLabel | None = Field(
        None, description="Namespace of the Gateway's proxy pods, allowed in by NetworkPolicy; the Gateway's by default."
    )
    proxy_pod_labels: dict[str, str] = Field(default_factory=dict, description="Labels of the proxy pods; all when empty.")


class Expose(Model):
    """Public HTTP(S) exposure of the main port: an Ingress for the AWS Load Balancer Controller (class
    alb: ALB annotations, TLS from ACM, traffic from the VPC's addresses in ip target mode), for any
    in-cluster controller (another class: no ALB annotations, its pods allowed in, TLS from a Secret or a
    cert-manager issuer), or a Gateway API HTTPRoute (gateway)."""

    host: Hostname
    path: Annotated[str, StringConstraints(pattern=r"^/\S*$")] = Field("/", description="Path routed to the service.")
    path_type: Literal["Prefix", "Exact"] = Field("Prefix", description="How the path matches.")
    ingress_class_name: DnsLabel = Field("alb", description="IngressClass handling the Ingress.")
    controller: Literal["alb", "in-cluster"] = Field(
        "alb",
        description="What serves the class: the AWS Load Balancer Controller (alb: ALB annotations, traffic from "
        "the VPC) or a controller whose pods forward the traffic (in-cluster: nginx, Traefik...).",
    )
    scheme: Literal["internet-facing", "internal"] = Field("internet-facing", description="ALB scheme.")
    certificate_arn: Annotated[
        str | None,
        StringConstraints(pattern=r"^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[A-Za-z0-9-]+$"),
        Field(description="ACM certificate for TLS; when unset the controller discovers one by host."),
    ] = None
    ssl_redirect: bool = Field(True, description="ALB: listen on 80 and 443 and redirect HTTP to HTTPS.")
    annotations: Annotations = Field(
        default_factory=dict, description="Extra Ingress annotations (e.g. alb.ingress.kubernetes.io/wafv2-acl-arn)."
    )
    tls_secret_name: DnsLabel | None = Field(
        None, description="In-cluster controller: the TLS Secret of the host (written by cert-manager with issuer)."
    )
    issuer: Issuer | None = Field(None, description="In-cluster controller: cert-manager issues the host's certificate.")
    gateway: Gateway | None = Field(None, description="Attach to this Gateway with an HTTPRoute instead of an Ingress.")

    @property
    def alb(self) -> bool:
        return self.gateway is None and self.controller == "alb"

    @model_validator(mode="after")
    def _fits_the_controller(self) -> "Expose":
        alb_only = [f for f, default in (("scheme", "internet-facing"), ("certificate_arn", None))
                    if getattr(self, f) != default]
        ingress_only = ["annotations"] if self.annotations else []
        in_cluster = [f for f in ("tls_secret_name", "issuer") if getattr(self, f) is not None]
        if not self.alb and alb_only:
            raise ValueError(f"{', '.join(_camel(f) for f in alb_only)}: ALB settings, not for controller in-cluster")
        if self.alb and in_cluster:
            raise ValueError("tlsSecretName and issuer go with an in-cluster controller; the ALB takes certificateArn")
        if self.gateway and ingress_only:
            raise ValueError("a Gateway route takes no Ingress annotations")
        if self.issuer and self.tls_secret_name is None:
            raise ValueError("issuer needs tlsSecretName (the Secret cert-manager writes)")
        return self


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
