"""Public exposure: an Ingress for the AWS Load Balancer Controller with TLS (ACM) and HTTP -> HTTPS."""

from __future__ import annotations

import json

from generator.build.meta import Context, metadata, obj, xdict
from generator.spec import Service

ALB = "alb.ingress.kubernetes.io/"


def ingress(ctx: Context, name: str, svc: Service) -> dict | None:
    if svc.expose is None:
        return None
    e = svc.expose
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
    backend = {"service": {"name": name, "port": {"name": svc.port_name}}}
    spec = {
        "ingressClassName": e.ingress_class_name,
        "tls": [{"hosts": [e.host]}],
        "rules": [{"host": e.host, "http": {"paths": [{"path": e.path, "pathType": e.path_type, "backend": backend}]}}],
    }
    return obj("networking.k8s.io/v1", "Ingress", metadata(name, ctx, service=name, annotations=annotations), spec=spec)
