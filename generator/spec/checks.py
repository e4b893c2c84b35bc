"""Checks across fields that a single model cannot make: references between services and stores, and
credentials written as literals. Each returns (field path, message) pairs; ``generator.load`` adds the
file and line. Pure functions of a validated ``Environment``.
"""

from __future__ import annotations

import re
from typing import Iterator

from generator.spec.environment import Environment, team_binding_name

Problem = tuple[tuple, str]

_CREDENTIAL_NAME = re.compile(r"(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|ACCESS_KEY|CREDENTIAL)", re.I)
_CREDENTIAL_VALUE = re.compile(
    r"(AKIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----|gh[pousr]_[A-Za-z0-9]{36}|xox[baprs]-[A-Za-z0-9-]{10,}"
    r"|sk_live_[A-Za-z0-9]{16,}|://[^/\s:@]+:[^/\s@]+@)"
)


PRODUCTION_NAMES = ("production", "prod")


def is_production(env: Environment, name: str) -> bool:
    """Whether the production rules apply: the spec says so, or the environment is named production/prod."""
    return env.production if env.production is not None else name in PRODUCTION_NAMES


def problems(env: Environment, name: str) -> list[Problem]:
    """Every cross-field problem of ``env`` (the environment called ``name``), in field order."""
    found = [*_references(env), *_literals(env), *_collisions(env), *_names(env), *_clusters(env)]
    if is_production(env, name):
        found += _production(env)
    return found


def _clusters(env: Environment) -> Iterator[Problem]:
    """A fleet has a primary (it syncs first), one kind of destination (one ApplicationSet template
    addresses them all), and no environment-wide destination beside its clusters'."""
    if env.clusters is None:
        return
    if not any(c.role == "primary" for c in env.clusters.values()):
        yield ("clusters",), "at least one cluster must have role 'primary' (it syncs first)"
    by_name = [name for name, c in env.clusters.items() if c.destination.name]
    if by_name and len(by_name) < len(env.clusters):
        odd = next(name for name in env.clusters if name not in by_name)
        yield ("clusters", odd, "destination"), ("give every cluster's destination by name or every one by "
                                                 "server, not a mix (one ApplicationSet template addresses them all)")
    if env.argocd is not None and "destination" in env.argocd.model_fields_set:
        yield ("argocd", "destination"), "argocd.destination and clusters exclude each other: each cluster names its destination"


def _production(env: Environment) -> Iterator[Problem]:
    for name, svc in env.services.items():
        base = ("services", name)
        if svc.autoscaling is not None:
            if svc.autoscaling.min_replicas < 2:
                yield base + ("autoscaling", "minReplicas"), "production needs autoscaling.minReplicas >= 2"
        elif svc.replicas < 2:
            yield base + ("replicas",), "production needs at least 2 replicas (or autoscaling with minReplicas >= 2)"
        if svc.disruption is None:
            yield base, "production needs a PodDisruptionBudget: set disruption (e.g. minAvailable: 1)"
        if svc.image.tag == "latest" or (svc.image.tag or "").endswith("-latest"):
            yield base + ("image", "tag"), "production refuses the 'latest' tag: pin a version or a digest"


def _names(env: Environment) -> Iterator[Problem]:
    """Generated names must not collide: a store's ServiceAccount and a service's share one namespace, and
    two teams may not map to one RoleBinding name."""
    bindings: dict[str, str] = {}
    for group in env.teams:
        name = team_binding_name(group)
        if name in bindings:
            yield ("teams", group), f"its RoleBinding name {name!r} is the same as group {bindings[name]!r}'s"
        bindings[name] = group
    for store in env.secret_stores:
        if store in env.services:
            yield ("secretStores", store), f"the store's ServiceAccount would clash with service {store!r}: rename one"
    for name, svc in env.services.items():
        if svc.restart_on_secret_change and not svc.secrets:
            yield ("services", name, "restartOnSecretChange"), "there is no synced Secret to watch: set secrets"
        if svc.alerts and svc.alerts.builtin and svc.metrics is None:
            yield ("services", name, "alerts"), "the built-in alerts need metrics (they watch the scrape target): set metrics"
    hosts: dict[tuple, str] = {}
    for name, svc in env.services.items():
        if svc.expose:
            key = (svc.expose.host, svc.expose.path)
            if key in hosts:
                yield ("services", name, "expose", "host"), f"{key[0]}{key[1]} is already exposed by {hosts[key]}"
            hosts[key] = name


def _references(env: Environment) -> Iterator[Problem]:
    for name, svc in env.services.items():
        base = ("services", name)
        for i, source in enumerate(svc.secrets):
            if source.store not in env.secret_stores:
                known = ", ".join(sorted(env.secret_stores)) or "none defined"
                yield base + ("secrets", i, "store"), f"unknown secret store {source.store!r} (secretStores: {known})"
        for direction, peer_key, rules in (("ingress", "from", svc.ingress), ("egress", "to", svc.egress)):
            for i, rule in enumerate(rules):
                peer = rule.from_ if direction == "ingress" else rule.to
                where = base + (direction, i, peer_key)
                if peer.service is not None and peer.service not in env.services:
                    known = ", ".join(sorted(env.services))
                    yield where + ("service",), f"unknown service {peer.service!r} (services: {known})"
                if peer.service is None and not rule.ports:
                    yield base + (direction, i), "ports are required unless the peer is a service"


def _literals(env: Environment) -> Iterator[Problem]:
    for name, svc in env.services.items():
        for key, value in svc.env.items():
            where = ("services", name, "env", key)
            if _CREDENTIAL_NAME.search(key) and value:
                yield where, "looks like a credential; reference it through 'secrets' instead of a literal value"
            elif _CREDENTIAL_VALUE.search(value):
                yield where, "the value looks like a credential; reference it through 'secrets' instead"


def _collisions(env: Environment) -> Iterator[Problem]:
    for name, svc in env.services.items():
        seen: dict[str, tuple] = {key: ("services", name, "env", key) for key in svc.env}
        for i, source in enumerate(svc.secrets):
            for key in source.keys:
                where = ("services", name, "secrets", i, "keys", key)
                if key in seen:
                    yield where, f"variable {key} is already set by {'.'.join(map(str, seen[key]))}"
                seen[key] = where
