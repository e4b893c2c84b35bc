"""Rules about what a pod or a person may do: RBAC that grants more, pod security weakened (an API token
mounted, root, a writable root filesystem, seccomp off, capabilities, privilege escalation, host
namespaces), secrets referenced differently, and new policy waivers."""

from __future__ import annotations

from typing import Iterator

from generator.review.risk import rule
from generator.review.rules.objects import WORKLOADS, containers, get, paired, pod_spec, security, show

ROLES = {"view": 1, "edit": 2, "admin": 3, "cluster-admin": 4}  # the built-in ClusterRoles, narrow to wide
SAFE_SECCOMP = ("RuntimeDefault", "Localhost")
WAIVER_PREFIX = "checkov.io/skip"


def _grants(role: dict | None) -> set[tuple[str, str, str, str]]:
    """(apiGroup, resource, verb, resourceName or '*') for every permission of a Role or ClusterRole."""
    found = set()
    for r in get(role, "rules", default=[]) or []:
        names = r.get("resourceNames") or ["*"]
        resources = r.get("resources") or [f"url {u}" for u in r.get("nonResourceURLs") or []]
        for group in r.get("apiGroups") or [""]:
            found |= {(group, res, verb, n) for res in resources for verb in r.get("verbs") or [] for n in names}
    return found


def _covered(grant: tuple[str, str, str, str], old: set) -> bool:
    group, res, verb, name = grant
    return any(
        g in (group, "*") and r in (res, "*") and v in (verb, "*") and n in (name, "*") for g, r, v, n in old
    )


@rule("rbac-widened", "high", kinds={"Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"})
def rbac_widened(before: dict | None, after: dict | None) -> Iterator[str]:
    """A Role/ClusterRole gains verbs or resources; a binding appears, gains subjects or binds a wider role."""
    if after is None:
        return
    if after["kind"].endswith("Binding"):
        yield from _binding(before, after)
        return
    old = _grants(before)
    gained: dict[tuple[str, str], list[str]] = {}
    for group, res, verb, name in sorted(_grants(after)):
        if not _covered((group, res, verb, name), old):
            target = f"{group + '/' if group else ''}{res}" + ("" if name == "*" else f" {name}")
            gained.setdefault((target, ""), []).append(verb)
    for (target, _), verbs in gained.items():
        yield f"{'new role ' if before is None else ''}grants {','.join(verbs)} on {target}"


def _subject(s: dict) -> str:
    where = f" ({s['namespace']})" if s.get("namespace") else ""
    return f"{s.get('kind')} {s.get('name')}{where}"


def _binding(before: dict | None, after: dict) -> Iterator[str]:
    ref = after.get("roleRef") or {}
    role = f"{ref.get('kind')} {ref.get('name')}"
    subjects = [_subject(s) for s in after.get("subjects") or []]
    if before is None:
        yield f"new binding of {', '.join(subjects) or 'no subject'} to {role}"
        return
    old_ref = before.get("roleRef") or {}
    if old_ref != ref:
        wider = ROLES.get(str(ref.get("name")), 0) >= ROLES.get(str(old_ref.get("name")), 0)
        yield f"roleRef {old_ref.get('kind')} {old_ref.get('name')} -> {role}" + ("" if wider else " (check the new role)")
    old_subjects = {_subject(s) for s in before.get("subjects") or []}
    for s in subjects:
        if s not in old_subjects:
            yield f"{s} newly bound to {role}"


def _pod_weakened(old: dict, new: dict) -> Iterator[str]:
    """Pod-level settings: the API token, host namespaces."""
    old_token = old.get("automountServiceAccountToken", True) if old else False
    new_token = new.get("automountServiceAccountToken", True)
    if new_token and not old_token:
        was = "false" if old else "a new pod"
        yield f"automountServiceAccountToken {was} -> true: the pod's API token is mounted"
    for field in ("hostNetwork", "hostPID", "hostIPC"):
        if new.get(field) and not old.get(field):
            yield f"{field} {show(old.get(field, False))} -> true"


def _container_weakened(name: str, old_pod: dict, old: dict | None, new_pod: dict, new: dict) -> Iterator[str]:
    """Container-level settings, each compared with its effective value (container over pod)."""
    had = old is not None
    checks = (
        ("runAsNonRoot", lambda v: v is True),
        ("readOnlyRootFilesystem", lambda v: v is True),
        ("allowPrivilegeEscalation", lambda v: v is False),
        ("privileged", lambda v: not v),
    )
    for field, safe in checks:
        a = security(old_pod, old, field) if had else None
        b = security(new_pod, new, field)
        if not safe(b) and (not had or safe(a)):
            yield f"container {name}: {field} {show(a) if had else 'new container'} -> {show(b)}"
    a = (get(security(old_pod, old, "seccompProfile"), "type") if had else None)
    b = get(security(new_pod, new, "seccompProfile"), "type")
    if b not in SAFE_SECCOMP and (not had or a in SAFE_SECCOMP):
        yield f"container {name}: seccompProfile {show(a) if had else 'new container'} -> {show(b)}"
    old_caps = set(get(old, "securityContext", "capabilities", "add", default=[]) or [])
    for cap in get(new, "securityContext", "capabilities", "add", default=[]) or []:
        if cap not in old_caps:
            yield f"container {name}: capability {cap} added"


@rule("privilege-raised", "high", kinds=WORKLOADS)
def privilege_raised(before: dict | None, after: dict | None) -> Iterator[str]:
    """A pod gets its API token or a host namespace; a container loses runAsNonRoot, a read-only root
    filesystem, seccomp or the privilege-escalation block, turns privileged, or adds a capability.
    A new workload is compared with the restricted baseline."""
    if after is None:
        return
    old_pod, new_pod = pod_spec(before), pod_spec(after)
    yield from _pod_weakened(old_pod, new_pod)
    for name, old, new in paired(before, after):
        yield from _container_weakened(name, old_pod, old, new_pod, new)


def _secret_refs(o: dict | None) -> dict[str, str]:
    """Where each secret value of a workload comes from: 'container/VAR' -> 'secret/key', and mounts."""
    refs: dict[str, str] = {}
    for name, c in containers(o).items():
        for var in c.get("env") or []:
            ref = get(var, "valueFrom", "secretKeyRef")
            if ref:
                refs[f"{name} env {var.get('name')}"] = f"{ref.get('name')}/{ref.get('key')}"
        for source in c.get("envFrom") or []:
            if "secretRef" in source:
                refs[f"{name} envFrom {source['secretRef'].get('name')}"] = str(source["secretRef"].get("name"))
    for volume in pod_spec(o).get("volumes") or []:
        if "secret" in volume:
            refs[f"volume {volume.get('name')}"] = str(volume["secret"].get("secretName"))
    return refs


def _external_refs(o: dict | None) -> dict[str, str]:
    """An ExternalSecret's sources: its store, and 'secretKey' -> 'remote key[.property]'."""
    spec = get(o, "spec", default={}) or {}
    refs = {"secretStoreRef": show(spec.get("secretStoreRef"))} if spec.get("secretStoreRef") else {}
    for item in spec.get("data") or []:
        remote = item.get("remoteRef") or {}
        prop = f".{remote['property']}" if remote.get("property") else ""
        refs[f"data {item.get('secretKey')}"] = f"{remote.get('key')}{prop}"
    for index, item in enumerate(spec.get("dataFrom") or []):
        refs[f"dataFrom[{index}]"] = show(item)
    return refs


@rule("secret-ref-changed", "medium", kinds=WORKLOADS | {"ExternalSecret"})
def secret_ref_changed(before: dict | None, after: dict | None) -> Iterator[str]:
    """An existing object reads a secret from somewhere else: another secret, key, store or remote path."""
    if before is None or after is None:
        return
    read = _external_refs if after["kind"] == "ExternalSecret" else _secret_refs
    old, new = read(before), read(after)
    for where in [*old, *(w for w in new if w not in old)]:
        if old.get(where) != new.get(where):
            yield f"{where}: {show(old.get(where))} -> {show(new.get(where))}"


def _waivers(o: dict | None) -> dict[str, str]:
    """checkov check id -> reason, from the checkov.io/skipN annotations of the object and its pods."""
    found = {}
    for annotations in (get(o, "metadata", "annotations"), get(o, "spec", "template", "metadata", "annotations")):
        for key, value in (annotations or {}).items():
            if key.startswith(WAIVER_PREFIX) and isinstance(value, str):
                check, _, reason = value.partition("=")
                found[check] = reason
    return found


@rule("waiver-added", "medium")
def waiver_added(before: dict | None, after: dict | None) -> Iterator[str]:
    """A checkov check is newly skipped on an object (``checkov.io/skipN``)."""
    old = _waivers(before)
    for check, reason in _waivers(after).items():
        if check not in old:
            yield f"checkov {check} skipped: {reason}"
