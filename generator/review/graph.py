"""The allow graph the NetworkPolicies implement: who may reach whom, on which ports, as mermaid or dot.

Read from the generated NetworkPolicy objects, not the spec, so the picture is what the cluster enforces.
Nodes are the pods a policy selects (a service, by its ``app.kubernetes.io/name``), the pods or
namespaces its peers select (the DNS pods and the ingress controller among them) and IP blocks; each edge
points in the direction connections are opened and carries its ports. A service-to-service allow is
written on both sides (the caller's egress, the callee's ingress) and drawn once.

``changed_edges`` compares two sets of objects for the pull-request comment: the edges a change adds or
removes, drawn as one mermaid graph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Mapping

NAME = "app.kubernetes.io/name"
NS = "kubernetes.io/metadata.name"
FORMATS = ("mermaid", "dot")


@dataclass(frozen=True, order=True)
class Node:
    id: str
    label: str


@dataclass(frozen=True, order=True)
class Edge:
    env: str
    source: Node
    target: Node
    ports: str


def _labels(selector: dict | None) -> dict:
    return dict((selector or {}).get("matchLabels") or {})


def _pods(namespace: str, selector: dict | None, *, home: bool = True) -> Node:
    """Pods of a namespace by their labels: a service by name in its own namespace; the cluster DNS;
    otherwise 'namespace: labels'."""
    labels = _labels(selector)
    if home and set(labels) == {NAME}:
        return Node(f"{namespace}/{labels[NAME]}", labels[NAME])
    text = ",".join(f"{v}" if k == NAME else f"{k}={v}" for k, v in sorted(labels.items())) or "all pods"
    if labels == {"k8s-app": "kube-dns"}:
        return Node(f"{namespace}/{text}", f"DNS ({namespace})")
    return Node(f"{namespace}/{text}", f"{namespace}: {text}")


def _peer(namespace: str, peer: dict | None) -> Node:
    if peer is None:
        return Node("anywhere", "anywhere")
    if "ipBlock" in peer:
        block = peer["ipBlock"]
        excepted = f" except {', '.join(block['except'])}" if block.get("except") else ""
        return Node(f"cidr {block.get('cidr')}{excepted}", f"{block.get('cidr')}{excepted}")
    if "namespaceSelector" in peer:
        labels = _labels(peer["namespaceSelector"])
        named = labels.get(NS) if set(labels) == {NS} else None
        where = named or ",".join(f"{k}={v}" for k, v in sorted(labels.items())) or "any namespace"
        if _labels(peer.get("podSelector")):
            return _pods(where, peer["podSelector"], home=False)
        return Node(f"ns {where}", f"namespace {where}")
    return _pods(namespace, peer.get("podSelector"))


def _ports(ports: list | None) -> str:
    if not ports:
        return "all ports"
    return ", ".join(f"{p.get('protocol', 'TCP')} {p.get('port', 'all')}" + (f"-{p['endPort']}" if "endPort" in p else "")
                     for p in ports)


def edges(env: str, objects: Iterable[dict]) -> set[Edge]:
    """Every allowed connection of one environment's NetworkPolicies."""
    found = set()
    for o in objects:
        if o.get("kind") != "NetworkPolicy":
            continue
        namespace = o["metadata"].get("namespace", "")
        spec = o.get("spec") or {}
        subject = _pods(namespace, spec.get("podSelector"))
        for rule in spec.get("egress") or []:
            for peer in rule.get("to") or [None]:
                found.add(Edge(env, subject, _peer(namespace, peer), _ports(rule.get("ports"))))
        for rule in spec.get("ingress") or []:
            for peer in rule.get("from") or [None]:
                found.add(Edge(env, _peer(namespace, peer), subject, _ports(rule.get("ports"))))
    return found


def _by_env(objects: Mapping[tuple, dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for key, o in objects.items():
        grouped.setdefault(key[0], []).append(o)
    return grouped


def changed_edges(old: Mapping[tuple, dict], new: Mapping[tuple, dict]) -> tuple[set[Edge], set[Edge]]:
    """(added, removed) edges between two sets of objects keyed by (environment, kind, namespace, name)."""
    before = {e for env, objs in _by_env(old).items() for e in edges(env, objs)}
    after = {e for env, objs in _by_env(new).items() for e in edges(env, objs)}
    return after - before, before - after


def _id(text: str) -> str:
    return "n" + re.sub(r"[^A-Za-z0-9]", "_", text)


def _quote(text: str) -> str:
    return text.replace('"', "#quot;")


def mermaid(drawn: Iterable[Edge], removed: Iterable[Edge] = ()) -> str:
    """A left-to-right flowchart, one subgraph per environment; removed edges dashed and marked '−'."""
    styled = [(e, False) for e in sorted(drawn)] + [(e, True) for e in sorted(removed)]
    lines = ["flowchart LR"]
    for env in sorted({e.env for e, _ in styled}):
        lines.append(f'  subgraph {_id(env)}["{_quote(env)}"]')
        nodes = sorted({n for e, _ in styled if e.env == env for n in (e.source, e.target)})
        lines += [f'    {_id(env + n.id)}["{_quote(n.label)}"]' for n in nodes]
        lines.append("  end")
    for e, gone in styled:
        arrow = f'-. "− {_quote(e.ports)}" .->' if gone else f'-->|"{_quote(e.ports)}"|'
        lines.append(f"  {_id(e.env + e.source.id)} {arrow} {_id(e.env + e.target.id)}")
    return "\n".join(lines) + "\n"


def dot(drawn: Iterable[Edge]) -> str:
    """The same graph for Graphviz: one cluster per environment."""
    drawn = sorted(drawn)
    lines = ["digraph allow {", "  rankdir=LR;", '  node [shape=box, fontname="Helvetica"];']
    for env in sorted({e.env for e in drawn}):
        lines.append(f'  subgraph "cluster_{env}" {{')
        lines.append(f'    label="{env}";')
        for n in sorted({n for e in drawn if e.env == env for n in (e.source, e.target)}):
            lines.append(f'    "{env}:{n.id}" [label="{n.label}"];')
        lines.append("  }")
    lines += [f'  "{e.env}:{e.source.id}" -> "{e.env}:{e.target.id}" [label="{e.ports}"];' for e in drawn]
    return "\n".join(lines + ["}"]) + "\n"


def change_section(old: Mapping[tuple, dict], new: Mapping[tuple, dict]) -> str:
    """The markdown the pull-request comment embeds: a mermaid graph of the allows a change adds (solid)
    and removes (dashed); empty when the network does not change."""
    added, removed = changed_edges(old, new)
    if not added and not removed:
        return ""
    return (f"#### Network allows: {len(added)} added, {len(removed)} removed\n\n"
            f"```mermaid\n{mermaid(added, removed)}```")
