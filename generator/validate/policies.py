"""The project's own policy check: every pod template (Deployment, Rollout, or any object carrying
``spec.template.spec``, and bare Pods) meets the Pod Security Standards 'restricted' profile.

checkov cannot see inside custom kinds such as Argo Rollouts, so this check runs on every object at render
time, whatever its kind. Each rule returns (field path, message) pairs; an empty list means compliant.
The rules follow the Kubernetes Pod Security Standards (baseline + restricted, v1.33).
"""

from __future__ import annotations

from typing import Iterator

_ALLOWED_VOLUMES = {"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"}
_SAFE_SYSCTLS = {
    "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
}
_CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")

Problem = tuple[str, str]


def pod_spec_of(obj: dict) -> tuple[str, dict] | None:
    """The pod spec an object would run, with its path, or None when it runs no pods."""
    spec = obj.get("spec") or {}
    if obj.get("kind") == "Pod":
        return "spec", spec
    template = spec.get("template") or {}
    if isinstance(template.get("spec"), dict):
        return "spec.template.spec", template["spec"]
    job = (spec.get("jobTemplate") or {}).get("spec", {}).get("template", {}).get("spec")
    if isinstance(job, dict):
        return "spec.jobTemplate.spec.template.spec", job
    return None


def restricted_violations(obj: dict) -> list[Problem]:
    """Every PSS 'restricted' violation of the object's pod template."""
    found = pod_spec_of(obj)
    if found is None:
        return []
    base, pod = found
    return list(_pod_level(base, pod)) + [
        problem
        for key in _CONTAINER_LISTS
        for index, container in enumerate(pod.get(key) or [])
        for problem in _container(f"{base}.{key}[{index}]", pod, container)
    ]


def _pod_level(base: str, pod: dict) -> Iterator[Problem]:
    for key in ("hostNetwork", "hostPID", "hostIPC"):
        if pod.get(key):
            yield f"{base}.{key}", "host namespaces are not allowed"
    psc = pod.get("securityContext") or {}
    if psc.get("runAsUser") == 0:
        yield f"{base}.securityContext.runAsUser", "must not run as root (uid 0)"
    for i, sysctl in enumerate(psc.get("sysctls") or []):
        if sysctl.get("name") not in _SAFE_SYSCTLS:
            yield f"{base}.securityContext.sysctls[{i}]", f"unsafe sysctl {sysctl.get('name')}"
    for i, volume in enumerate(pod.get("volumes") or []):
        kinds = set(volume) - {"name"}
        if not kinds <= _ALLOWED_VOLUMES:
            yield f"{base}.volumes[{i}]", f"volume type {sorted(kinds - _ALLOWED_VOLUMES)} is not allowed"


def _container(path: str, pod: dict, container: dict) -> Iterator[Problem]:
    psc = pod.get("securityContext") or {}
    csc = container.get("securityContext") or {}
    if csc.get("privileged"):
        yield f"{path}.securityContext.privileged", "privileged containers are not allowed"
    if csc.get("allowPrivilegeEscalation") is not False:
        yield f"{path}.securityContext.allowPrivilegeEscalation", "must be false"
    non_root = csc.get("runAsNonRoot", psc.get("runAsNonRoot"))
    if non_root is not True:
        yield f"{path}.securityContext.runAsNonRoot", "must be true (in the container or the pod)"
    if csc.get("runAsUser") == 0:
        yield f"{path}.securityContext.runAsUser", "must not run as root (uid 0)"
    seccomp = (csc.get("seccompProfile") or psc.get("seccompProfile") or {}).get("type")
    if seccomp not in ("RuntimeDefault", "Localhost"):
        yield f"{path}.securityContext.seccompProfile", "must be RuntimeDefault or Localhost (in the container or the pod)"
    caps = csc.get("capabilities") or {}
    if "ALL" not in (caps.get("drop") or []):
        yield f"{path}.securityContext.capabilities.drop", "must drop ALL"
    extra = sorted(set(caps.get("add") or []) - {"NET_BIND_SERVICE"})
    if extra:
        yield f"{path}.securityContext.capabilities.add", f"may add only NET_BIND_SERVICE, not {extra}"
    if csc.get("procMount", "Default") != "Default":
        yield f"{path}.securityContext.procMount", "must be Default"
    for i, port in enumerate(container.get("ports") or []):
        if port.get("hostPort"):
            yield f"{path}.ports[{i}].hostPort", "host ports are not allowed"
