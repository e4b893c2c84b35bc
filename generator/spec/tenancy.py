"""Tenancy and privilege a spec must not take: the namespaces of the cluster and its platform, identity
groups that Kubernetes itself defines, and metadata that steers a policy engine or a deployment tool.

- **namespaces**: ``default``, ``kube-*`` (kube-system, kube-public, kube-node-lease...), Argo CD's
  namespace, and the namespaces the spec itself names as platform peers (cluster DNS, ingress controller,
  Prometheus). A render owns its namespace: it rewrites its labels, puts a default-deny NetworkPolicy in
  it, quotas and RoleBindings; in kube-system that would cut the cluster's DNS;
- **groups**: ``system:`` groups are the API server's own (``system:authenticated`` is every identity,
  ``system:masters`` bypasses RBAC): a team binding to one grants a role to everyone or to the cluster;
- **metadata keys**: ``checkov.io/`` (waivers come only from ``waivers``, each with a reason),
  ``argocd.argoproj.io/`` (sync waves, hooks, sync and compare options), ``helm.sh/`` and
  ``meta.helm.sh/`` (hooks, resource policy, release ownership), Kustomize's ``config.kubernetes.io/``
  family, ``kubectl.kubernetes.io/`` and ``pod-security.kubernetes.io/``: the generator sets what it means.

Pure function of a validated ``Environment``; returns (field path, message) pairs like ``checks``.
"""

from __future__ import annotations

from typing import Iterator

from generator.spec.environment import Environment

Problem = tuple[tuple, str]

RESERVED_NAMESPACES = frozenset({"default", "argocd"})
STEERING_PREFIXES = (
    "checkov.io/", "argocd.argoproj.io/", "argoproj.io/", "helm.sh/", "meta.helm.sh/",
    "config.kubernetes.io/", "internal.config.kubernetes.io/", "kustomize.config.k8s.io/",
    "config.k8s.io/", "kubectl.kubernetes.io/", "pod-security.kubernetes.io/",
)


def _steering(key: str) -> bool:
    return any(key.startswith(p) for p in STEERING_PREFIXES) or key.startswith("kubernetes.io/")


def problems(env: Environment) -> Iterator[Problem]:
    """Every namespace, group or metadata key of ``env`` that takes what is not the spec's."""
    platform = {env.dns.namespace: "the cluster DNS", env.ingress_controller.namespace: "the ingress controller"}
    if env.argocd is not None:
        platform[env.argocd.namespace] = "Argo CD"
    for svc in env.services.values():
        if svc.metrics is not None:
            platform.setdefault(svc.metrics.scrape_namespace, "Prometheus")
    if env.namespace in RESERVED_NAMESPACES or env.namespace.startswith("kube-"):
        yield ("namespace",), f"{env.namespace} is a namespace of the cluster, not of an environment: choose its own"
    elif env.namespace in platform:
        yield ("namespace",), f"{env.namespace} is the namespace of {platform[env.namespace]}: an environment gets its own"
    for group in env.teams:
        if group.lower().startswith("system:"):
            yield ("teams", group), "system: groups are Kubernetes' own (system:authenticated is everyone): name a group of your identity provider"
    for key in env.namespace_labels:
        if _steering(key):
            yield ("namespaceLabels", key), "this label steers a policy or a deployment tool; the generator sets those"
    for name, svc in env.services.items():
        for key in svc.expose.annotations if svc.expose else ():
            if _steering(key):
                where = ("services", name, "expose", "annotations", key)
                hint = " (policy exceptions go in waivers, with a reason)" if key.startswith("checkov.io/") else ""
                yield where, f"this annotation steers a policy or a deployment tool; the generator sets those{hint}"
