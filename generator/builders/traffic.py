"""Public exposure: an Ingress for the AWS Load Balancer Controller with TLS (ACM) and HTTP -> HTTPS, an
Ingress for an in-cluster controller (TLS from a Secret, optionally issued by cert-manager), or a Gateway
API HTTPRoute."""

from __future__ import annotations

import json

from generator.builders.meta import Context, metadata, obj, xdict
from generator.spec import Service

ALB = "alb.ingress.kubernetes.io/"


def ingress(ctx: Context, name: str, svc: Service) -> dict | None:
    if svc.expose is None or svc.expose.gateway is not None:
        return None
    e = svc.expose
    if not e.alb:
        return _in_cluster_ingress(ctx, name, svc)
    listen = [{"HTTP": 80}, {"HTTPS": 443}] if e.ssl_redirect else [{"HTTPS": 443}]
    annotations = xdict(
        (ALB + "scheme", e.scheme),
        (ALB + "target-type", "ip"),
        (ALB + "listen-ports", json.dumps(listen, separators=(",", ":"))),
        (ALB + "ssl-redirect", "443" if e.ssl_redirect else None),
        (ALB + "certificate-arn", e.certificate_arn),
        (ALB + "healthcheck-path", svc.probes.readiness.path if svc.probes.readiness else None),
    )
    annotations.update(sorted(e.annotations.items()))
    backend = _backend(name, svc)
    spec = {
        "ingressClassName": e.ingress_class_name,
        "tls": [{"hosts": [e.host]}],
        "rules": [{"host": e.host, "http": {"paths": [{"path": e.path, "pathType": e.path_type, "backend": backend}]}}],
    }
    return obj("networking.k8s.io/v1", "Ingress", metadata(name, ctx, service=name, annotations=annotations), spec=spec)


def _backend(name: str, svc: Service) -> dict:
    return {"service": {"name": name, "port": {"name": svc.port_name}}}


def _in_cluster_ingress(ctx: Context, name: str, svc: Service) -> dict:
    """An Ingress for a controller running in the cluster (nginx, Traefik...): no ALB annotations; TLS from
    a Secret, which cert-manager writes when an issuer is named."""
    e = svc.expose
    annotations = {}
    if e.issuer:
        key = "cert-manager.io/cluster-issuer" if e.issuer.kind == "ClusterIssuer" else "cert-manager.io/issuer"
        annotations[key] = e.issuer.name
    annotations.update(sorted(e.annotations.items()))
    spec = xdict(
        ingressClassName=e.ingress_class_name,
        tls=[{"hosts": [e.host], "secretName": e.tls_secret_name}] if e.tls_secret_name else None,
        rules=[{"host": e.host, "http": {"paths": [{"path": e.path, "pathType": e.path_type, "backend": _backend(name, svc)}]}}],
    )
    meta = metadata(name, ctx, service=name, annotations=annotations or None)
    return obj("networking.k8s.io/v1", "Ingress", meta, spec=spec)


GATEWAY_API = "gateway.networking.k8s.io/v1"


def http_route(ctx: Context, name: str, svc: Service) -> dict | None:
    """A Gateway API HTTPRoute from the host (and path) to the service's port, attached to the Gateway."""
    if svc.expose is None or svc.expose.gateway is None:
        return None
    e = svc.expose
    g = e.gateway
    match = {"path": {"type": "PathPrefix" if e.path_type == "Prefix" else "Exact", "value": e.path}}
    spec = {
        "parentRefs": [xdict(group="gateway.networking.k8s.io", kind="Gateway", name=g.name, namespace=g.namespace,
                             sectionName=g.section_name)],
        "hostnames": [e.host],
        "rules": [{"matches": [match], "backendRefs": [{"name": name, "port": svc.exposed_port}]}],
    }
    return obj(GATEWAY_API, "HTTPRoute", metadata(name, ctx, service=name), spec=spec)
