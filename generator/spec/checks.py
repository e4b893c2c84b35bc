"""Checks across fields that a single model cannot make: references between services and stores, name
collisions, the production rules (credentials are found in ``credentials``, before the models). Each returns (field path, message) pairs; ``generator.load`` adds the
file and line. Pure functions of a validated ``Environment``.
"""

from __future__ import annotations

from typing import Callable, Iterable, Iterator

from generator.spec import tenancy
from generator.spec.environment import Environment, team_binding_name
from generator.spec.resources import floating_tag
from generator.spec.service import Service
from generator.spec.service_rules import service_problems
from generator.validate.schemas import has_version
from generator.yamlnodes import dotted

MAX_CONFIGMAP_BYTES = 1024 * 1024  # the API server refuses a ConfigMap whose data is larger

Problem = tuple[tuple, str]

PRODUCTION_NAMES = ("production", "prod")


def is_production(env: Environment, name: str) -> bool:
    """Whether the production rules apply: the spec says so, or the environment is named production/prod."""
    return env.production if env.production is not None else name in PRODUCTION_NAMES


def problems(env: Environment, name: str,
             services: Callable[[str, Service], Iterable[Problem]] = service_problems) -> list[Problem]:
    """Every cross-field problem of ``env`` (the environment called ``name``), in field order; ``services``
    gives the problems within one service (``service_rules.ServiceProblems`` remembers them)."""
    found = [*_references(env), *_collisions(env), *_names(env), *_accounts(env), *_exposure(env),
             *_api_server(env), *_clusters(env), *tenancy.problems(env)]
    for service_name, svc in env.services.items():
        found += services(service_name, svc)
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
        if svc.replicated and svc.singleton is None:
            if svc.autoscaling is not None:
                if svc.autoscaling.min_replicas < 2:
                    yield base + ("autoscaling", "minReplicas"), "production needs autoscaling.minReplicas >= 2"
            elif svc.replicas < 2:
                yield base + ("replicas",), "production needs at least 2 replicas (or autoscaling with minReplicas >= 2, or singleton with its reason)"
        if svc.replicated and svc.singleton is None and svc.disruption is None:
            yield base, "production needs a PodDisruptionBudget: set disruption (e.g. minAvailable: 1)"
        images = [(("image", "tag"), svc.image)] + [
            (("initContainers", i, "image", "tag"), c.image) for i, c in enumerate(svc.init_containers)
        ]
        for where, image in images:
            if floating_tag(image):
                yield base + where, (
                    f"production refuses the {image.tag!r} tag (it floats): pin a version (e.g. '7.4.2') or a digest"
                )


def _exposure(env: Environment) -> Iterator[Problem]:
    """An ALB in ip target mode sends from the VPC's addresses: the NetworkPolicy needs the VPC CIDR."""
    if env.ingress_controller.vpc_cidr is None:
        for name, svc in env.services.items():
            if svc.expose and svc.expose.alb:
                yield ("services", name, "expose"), (
                    "the ALB sends from the VPC's addresses (ip targets): set ingressController.vpcCidr"
                )


def _accounts(env: Environment) -> Iterator[Problem]:
    """Services sharing a ServiceAccount must agree on its IAM role and API access (one object, one token
    setting); a service that receives traffic from another needs a port."""
    owners: dict[str, str] = {}
    for name, svc in env.services.items():
        account = svc.service_account.name or name
        if account in owners:
            first = env.services[owners[account]]
            if first.service_account.role_arn != svc.service_account.role_arn:
                yield ("services", name, "serviceAccount"), (
                    f"shares ServiceAccount {account!r} with {owners[account]} but names another roleArn"
                )
            if (first.access is None) != (svc.access is None):
                yield ("services", name, "serviceAccount"), (
                    f"shares ServiceAccount {account!r} with {owners[account]}; both or neither need access"
                )
        else:
            owners[account] = name
        if account != name and account in env.secret_stores:
            yield ("services", name, "serviceAccount", "name"), f"{account!r} is the ServiceAccount of a secret store"
    for name, svc in env.services.items():
        for direction, rules in (("ingress", svc.ingress), ("egress", svc.egress)):
            for i, rule in enumerate(rules):
                peer = rule.from_ if direction == "ingress" else rule.to
                callee = name if direction == "ingress" else peer.service
                if peer.service in env.services and not env.services[callee].serves and not rule.ports:
                    yield ("services", name, direction, i), f"{callee} ({env.services[callee].kind}) has no port: give ports"


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


def _api_server(env: Environment) -> Iterator[Problem]:
    """What the API server would refuse and no single model sees: schemas for the version, object sizes,
    mount paths used twice in one container."""
    if not has_version(env.kubernetes_version):
        yield ("kubernetesVersion",), f"no Kubernetes schemas for {env.kubernetes_version} in this gitops-gen: pick a supported version"
    for name, svc in env.services.items():
        size = sum(len(k.encode()) + len(v.encode()) for k, v in svc.env.items())
        if size > MAX_CONFIGMAP_BYTES - 4096:  # the rest of the object needs room too
            yield ("services", name, "env"), f"{size} bytes of configuration: a ConfigMap holds at most 1 MiB"
        mounts: dict[str, tuple] = {}
        paths = [(p.rstrip("/") or "/", ("services", name, "security", "writablePaths", i)) for i, p in enumerate(svc.security.writable_paths)]
        paths += [(s.mount_path.rstrip("/") or "/", ("services", name, "secrets", i, "mountPath"))
                  for i, s in enumerate(svc.secrets) if s.mount_path]
        for path, where in paths:
            if path in mounts:
                yield where, f"{path} is already mounted by {dotted(mounts[path])}"
            mounts.setdefault(path, where)


def _collisions(env: Environment) -> Iterator[Problem]:
    for name, svc in env.services.items():
        seen: dict[str, tuple] = {key: ("services", name, "env", key) for key in svc.env}
        for i, source in enumerate(svc.secrets):
            for key in source.keys:
                where = ("services", name, "secrets", i, "keys", key)
                if key in seen:
                    yield where, f"variable {key} is already set by {'.'.join(map(str, seen[key]))}"
                seen[key] = where
