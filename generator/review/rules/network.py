"""Rules about who can reach what: a NetworkPolicy that admits more (peers, CIDRs, ports), a default-deny
removed, and new ways in from outside (Ingress hosts and paths, LoadBalancer or NodePort Services,
Gateway API routes).

A policy's rules are flattened into (peer, port) pairs; a pair of ``after`` is new unless a pair of
``before`` covers it (same peer or a CIDR containing it with no fewer exceptions, and the same port or all
ports). So a narrower CIDR or a port removed is not reported; a wider one is.
"""

from __future__ import annotations

import ipaddress
import json
from typing import Iterator

from generator.review.risk import rule
from generator.review.rules.objects import get, labels

ANY = None
NAMESPACE_NAME = "kubernetes.io/metadata.name"  # the label Kubernetes puts on every namespace
DIRECTIONS = {"egress": ("Egress", "to"), "ingress": ("Ingress", "from")}


def _pairs(policy: dict | None, direction: str) -> list[tuple[dict | None, dict | None]]:
    _, peer_key = DIRECTIONS[direction]
    pairs = []
    for r in get(policy, "spec", direction, default=[]) or []:
        peers = r.get(peer_key) or [ANY]
        ports = r.get("ports") or [ANY]
        pairs += [(peer, port) for peer in peers for port in ports]
    return pairs


def _isolates(policy: dict | None, direction: str) -> bool:
    """Does the policy restrict this direction (it lists the type, or has such rules)?"""
    types = get(policy, "spec", "policyTypes")
    if types is None:
        return direction == "ingress" or bool(get(policy, "spec", direction))
    return DIRECTIONS[direction][0] in types


def _network(cidr: str):
    try:
        return ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        return None


def _peer_covers(old: dict | None, new: dict | None) -> bool:
    if old is ANY or old == new:
        return True
    if new is ANY or "ipBlock" not in old or "ipBlock" not in new:
        return False
    a, b = _network(old["ipBlock"].get("cidr", "")), _network(new["ipBlock"].get("cidr", ""))
    if a is None or b is None or a.version != b.version or not b.subnet_of(a):  # type: ignore[arg-type]
        return False
    kept = {e for e in old["ipBlock"].get("except") or [] if (n := _network(e)) and n.version == b.version and n.overlaps(b)}
    return kept <= set(new["ipBlock"].get("except") or [])


def _port_covers(old: dict | None, new: dict | None) -> bool:
    if old is ANY:
        return True
    if new is ANY or old.get("protocol", "TCP") != new.get("protocol", "TCP"):
        return False
    if "port" not in old:
        return True
    low, high = old["port"], old.get("endPort", old["port"])
    if not isinstance(new.get("port"), int) or not isinstance(low, int):
        return new.get("port") == low and "endPort" not in new
    return low <= new["port"] and new.get("endPort", new["port"]) <= high


def describe_peer(peer: dict | None) -> str:
    if peer is ANY:
        return "anywhere"
    if "ipBlock" in peer:
        block = peer["ipBlock"]
        excepted = f" except {','.join(block['except'])}" if block.get("except") else ""
        return f"{block.get('cidr')}{excepted}"
    parts = []
    if "namespaceSelector" in peer:
        match = peer["namespaceSelector"].get("matchLabels") or {}
        selected = labels(peer["namespaceSelector"])
        if list(match) == [NAMESPACE_NAME] and selected.count("=") == 1:
            parts.append(f"namespace {match[NAMESPACE_NAME]}")
        else:
            parts.append("every namespace" if selected == "all" else f"namespaces {selected}")
    if "podSelector" in peer:
        selected = labels(peer["podSelector"])
        parts.append("all pods" if selected == "all" else f"pods {selected}")
    return " ".join(parts) or json.dumps(peer, sort_keys=True)


def describe_port(port: dict | None) -> str:
    if port is ANY:
        return "all ports"
    end = f"-{port['endPort']}" if "endPort" in port else ""
    return f"{port.get('protocol', 'TCP')}/{port.get('port', 'all')}{end}"


def widened(before: dict | None, after: dict | None, direction: str) -> Iterator[str]:
    """Messages for every (peer, port) ``after`` admits that ``before`` did not, and for isolation lost."""
    verb = "to" if direction == "egress" else "from"
    if before is not None and _isolates(before, direction) and (after is None or not _isolates(after, direction)):
        what = "removed" if after is None else f"no longer restricts {direction}"
        deny = " (a default-deny)" if not get(before, "spec", direction) else ""
        yield f"policy{deny} {what}: {direction} of pods {labels(get(before, 'spec', 'podSelector'))} no longer isolated"
        return
    if after is None or not _isolates(after, direction):
        return
    old = _pairs(before, direction) if before is not None and _isolates(before, direction) else []
    for peer, port in _pairs(after, direction):
        if not any(_peer_covers(p, peer) and _port_covers(q, port) for p, q in old):
            yield f"{direction} {verb} {describe_peer(peer)} on {describe_port(port)} newly allowed"


@rule("egress-widened", "high", kinds={"NetworkPolicy"})
def egress_widened(before: dict | None, after: dict | None) -> Iterator[str]:
    """A NetworkPolicy admits more destinations or ports, or stops isolating egress (default-deny removed)."""
    yield from widened(before, after, "egress")


@rule("ingress-widened", "high", kinds={"NetworkPolicy"})
def ingress_widened(before: dict | None, after: dict | None) -> Iterator[str]:
    """A NetworkPolicy admits more sources or ports, or stops isolating ingress (default-deny removed)."""
    yield from widened(before, after, "ingress")


def _routes(o: dict | None) -> set[str]:
    """What an exposing object answers to: 'host/path' for an Ingress, hostnames for a route."""
    if not o:
        return set()
    if o["kind"] == "Ingress":
        found = set()
        for r in get(o, "spec", "rules", default=[]) or []:
            paths = get(r, "http", "paths", default=[]) or [{}]
            found |= {f"{r.get('host', '*')}{p.get('path', '/')}" for p in paths}
        if get(o, "spec", "defaultBackend"):
            found.add("default backend")
        return found
    if o["kind"] == "Service":
        kind = get(o, "spec", "type", default="ClusterIP")
        return {f"type {kind}"} if kind in ("LoadBalancer", "NodePort") else set()
    return set(get(o, "spec", "hostnames", default=[]) or ["(all hostnames)"])


@rule("exposure-added", "medium", kinds={"Ingress", "Service", "HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute"})
def exposure_added(before: dict | None, after: dict | None) -> Iterator[str]:
    """A new Ingress host or path, a Service turned LoadBalancer/NodePort, or a new Gateway API route."""
    for route in sorted(_routes(after) - _routes(before)):
        yield f"{after['kind'] if after else ''} newly exposes {route}"
