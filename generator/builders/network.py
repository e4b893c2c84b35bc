"""NetworkPolicies: one default-deny (ingress and egress) per namespace, then one policy per service that
allows exactly what the spec names: its ingress and egress rules, the ingress controller on the
service port when the service is exposed (the VPC for an ALB, the controller's or the Gateway's pods
otherwise), the external Service's source ranges, and Prometheus on the
metrics port. A service-to-service allow declared on either side (the caller's
egress or the callee's ingress) is written on both sides, so the two policies can never disagree."""

from __future__ import annotations

from dataclasses import dataclass

from generator.builders.meta import Context, metadata, obj, selector, xdict
from generator.spec import Peer

API = "networking.k8s.io/v1"
NAMESPACE_LABEL = "kubernetes.io/metadata.name"


@dataclass(frozen=True, order=True)
class Edge:
    """Traffic from one service's pods to another's, on the callee's container ports."""

    caller: str
    callee: str
    ports: tuple[int, ...]
    protocols: tuple[str, ...]


def default_deny(ctx: Context) -> dict:
    spec = {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
    return obj(API, "NetworkPolicy", metadata("default-deny-all", ctx), spec=spec)


@dataclass(frozen=True)
class ServiceEdges:
    """Every service-to-service allow of the environment, sorted, and the ones into and out of each service."""

    all: tuple[Edge, ...]
    incoming: dict[str, tuple[Edge, ...]]
    outgoing: dict[str, tuple[Edge, ...]]

    @classmethod
    def of(cls, edges: list[Edge]) -> "ServiceEdges":
        incoming: dict[str, list[Edge]] = {}
        outgoing: dict[str, list[Edge]] = {}
        for e in edges:
            incoming.setdefault(e.callee, []).append(e)
            outgoing.setdefault(e.caller, []).append(e)
        return cls(tuple(edges), {k: tuple(v) for k, v in incoming.items()}, {k: tuple(v) for k, v in outgoing.items()})


def service_edges(ctx: Context) -> ServiceEdges:
    """Every service-to-service allow of the environment, deduplicated and sorted."""
    services = ctx.spec.services
    edges = set()
    for name, svc in services.items():
        for rule in svc.ingress:
            if rule.from_.service:
                edges.add(Edge(rule.from_.service, name, tuple(rule.ports or [svc.port]), tuple(rule.protocols)))
        for rule in svc.egress:
            if rule.to.service:
                callee = services[rule.to.service]
                edges.add(Edge(name, rule.to.service, tuple(rule.ports or [callee.port]), tuple(rule.protocols)))
    return ServiceEdges.of(sorted(edges))


def service_policy(ctx: Context, name: str, edges: ServiceEdges) -> dict:
    svc = ctx.spec.services[name]
    ingress = [
        _rule("from", _peer(ctx, r.from_), r.ports, r.protocols) for r in svc.ingress if not r.from_.service
    ] + [_rule("from", _service_peer(e.caller), e.ports, e.protocols) for e in edges.incoming.get(name, ())]
    if svc.expose:
        ingress.append(_rule("from", _exposure_peer(ctx, svc), [svc.port], ["TCP"]))
    if svc.external_service:
        for block in svc.external_service.load_balancer_source_ranges:
            ingress.append(_rule("from", {"ipBlock": {"cidr": block}}, [svc.port], ["TCP"]))
    if svc.metrics:
        peer = _namespace_peer(svc.metrics.scrape_namespace, {})
        ingress.append(_rule("from", peer, [svc.metrics_port or svc.port], ["TCP"]))
    egress = [_rule("to", _peer(ctx, r.to), r.ports, r.protocols) for r in svc.egress if not r.to.service] + [
        _rule("to", _service_peer(e.callee), e.ports, e.protocols) for e in edges.outgoing.get(name, ())
    ]
    if svc.dns:
        dns_peer = {
            "namespaceSelector": {"matchLabels": {NAMESPACE_LABEL: ctx.spec.dns.namespace}},
            "podSelector": {"matchLabels": dict(sorted(ctx.spec.dns.pod_labels.items()))},
        }
        egress.append(_rule("to", dns_peer, [53], ["UDP", "TCP"]))
    spec = xdict(
        podSelector={"matchLabels": selector(name)},
        policyTypes=["Ingress", "Egress"],
        ingress=ingress or None,
        egress=egress or None,
    )
    return obj(API, "NetworkPolicy", metadata(name, ctx, service=name), spec=spec)


def _exposure_peer(ctx: Context, svc) -> dict:
    """Where exposed traffic arrives from: the VPC's addresses for an ALB (ip targets), the Gateway's proxy
    pods for an HTTPRoute, the controller's pods for an in-cluster Ingress controller."""
    e = svc.expose
    controller = ctx.spec.ingress_controller
    if e.gateway:
        return _namespace_peer(e.gateway.proxy_namespace or e.gateway.namespace, e.gateway.proxy_pod_labels)
    if e.alb:
        return {"ipBlock": {"cidr": controller.vpc_cidr}}
    return _namespace_peer(controller.namespace, controller.pod_labels)


def _rule(direction: str, peer: dict, ports, protocols) -> dict:
    return {direction: [peer], "ports": [{"protocol": proto, "port": port} for port in ports for proto in protocols]}


def _service_peer(service: str) -> dict:
    return {"podSelector": {"matchLabels": selector(service)}}


def _peer(ctx: Context, peer: Peer) -> dict:
    if peer.cidr is not None:
        return {"ipBlock": xdict(cidr=peer.cidr, **{"except": list(peer.except_) or None})}
    return _namespace_peer(peer.namespace, peer.pod_labels or {})


def _namespace_peer(namespace: str, pod_labels: dict[str, str]) -> dict:
    result = {"namespaceSelector": {"matchLabels": {NAMESPACE_LABEL: namespace}}}
    if pod_labels:
        result["podSelector"] = {"matchLabels": dict(sorted(pod_labels.items()))}
    return result
