"""Access: a service's Role with the spec's least-privilege rules and its RoleBinding to the service's
ServiceAccount (nothing when the spec grants no access), and the teams' RoleBindings to Kubernetes'
built-in view/edit/admin ClusterRoles, scoped to the environment's namespace."""

from __future__ import annotations

from generator.builders.meta import Context, metadata, obj, xdict
from generator.spec import Service
from generator.spec.environment import team_binding_name

API = "rbac.authorization.k8s.io/v1"


def role(ctx: Context, name: str, svc: Service) -> dict | None:
    if svc.access is None:
        return None
    rules = [
        xdict(
            apiGroups=list(rule.api_groups),
            resources=list(rule.resources),
            resourceNames=list(rule.resource_names) or None,
            verbs=list(rule.verbs),
        )
        for rule in svc.access.rules
    ]
    return obj(API, "Role", metadata(name, ctx, service=name), rules=rules)


def role_binding(ctx: Context, name: str, svc: Service) -> dict | None:
    if svc.access is None:
        return None
    return obj(
        API, "RoleBinding", metadata(name, ctx, service=name),
        roleRef={"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": name},
        subjects=[{"kind": "ServiceAccount", "name": svc.service_account.name or name, "namespace": ctx.namespace}],
    )


def team_bindings(ctx: Context) -> list[dict]:
    """One RoleBinding per team (identity-provider group), in team-name order."""
    return [
        obj(
            API, "RoleBinding", metadata(team_binding_name(group), ctx),
            roleRef={"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
            subjects=[{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": group}],
        )
        for group, role in sorted(ctx.spec.teams.items())
    ]
