"""The project's Pod Security Standards 'restricted' check: every pod template of every root complies, and
each kind of violation is caught, in any workload kind (a Rollout included), with its path."""

from __future__ import annotations

import copy

import pytest

from conftest import SECURENEXUS, root_id, spec_roots
from generator import pipeline
from generator.validate.policies import restricted_violations


@pytest.mark.parametrize("spec_root", spec_roots(), ids=root_id)
def test_every_pod_template_is_restricted(spec_root):
    workloads = 0
    for env in pipeline.build(spec_root).environments:
        for o in env.objects:
            assert restricted_violations(o) == [], (env.name, o["kind"], o["metadata"]["name"])
            workloads += "template" in o.get("spec", {})
    assert workloads > 0


def _rollout():
    built = pipeline.build(SECURENEXUS).environments
    prod = next(b for b in built if b.name == "production")
    return copy.deepcopy(next(o for o in prod.objects if o["kind"] == "Rollout"))


C = "spec.template.spec.containers[0]"
BREAKAGES = [
    ("privileged", lambda p, c: c["securityContext"].update(privileged=True), f"{C}.securityContext.privileged"),
    ("escalation", lambda p, c: c["securityContext"].pop("allowPrivilegeEscalation"), f"{C}.securityContext.allowPrivilegeEscalation"),
    ("root-allowed", lambda p, c: (c["securityContext"].pop("runAsNonRoot"), p["securityContext"].pop("runAsNonRoot")), f"{C}.securityContext.runAsNonRoot"),
    ("uid-0", lambda p, c: c["securityContext"].update(runAsUser=0), f"{C}.securityContext.runAsUser"),
    ("no-seccomp", lambda p, c: p["securityContext"].pop("seccompProfile"), f"{C}.securityContext.seccompProfile"),
    ("unconfined", lambda p, c: c["securityContext"].update(seccompProfile={"type": "Unconfined"}), f"{C}.securityContext.seccompProfile"),
    ("keeps-caps", lambda p, c: c["securityContext"].update(capabilities={"drop": ["NET_RAW"]}), f"{C}.securityContext.capabilities.drop"),
    ("adds-cap", lambda p, c: c["securityContext"]["capabilities"].update(add=["SYS_ADMIN"]), f"{C}.securityContext.capabilities.add"),
    ("host-network", lambda p, c: p.update(hostNetwork=True), "spec.template.spec.hostNetwork"),
    ("host-path", lambda p, c: p["volumes"].append({"name": "h", "hostPath": {"path": "/"}}), "spec.template.spec.volumes[1]"),
    ("host-port", lambda p, c: c["ports"][0].update(hostPort=80), f"{C}.ports[0].hostPort"),
    ("unsafe-sysctl", lambda p, c: p["securityContext"].update(sysctls=[{"name": "kernel.msgmax", "value": "1"}]), "spec.template.spec.securityContext.sysctls[0]"),
    ("proc-mount", lambda p, c: c["securityContext"].update(procMount="Unmasked"), f"{C}.securityContext.procMount"),
]


@pytest.mark.parametrize(("breakage", "path"), [(b, p) for _, b, p in BREAKAGES], ids=[i for i, _, _ in BREAKAGES])
def test_each_violation_is_caught_in_a_rollout(breakage, path):
    rollout = _rollout()
    pod = rollout["spec"]["template"]["spec"]
    breakage(pod, pod["containers"][0])
    assert path in [p for p, _ in restricted_violations(rollout)]


def test_render_refuses_a_non_compliant_pod(root, run_cli, monkeypatch):
    from generator.builders import workloads

    real = workloads.container

    def privileged(*args):
        c = real(*args)
        c["securityContext"]["privileged"] = True
        return c

    monkeypatch.setattr(workloads, "container", privileged)
    outcome = run_cli("render", "--root", str(root))
    assert outcome.code == 1
    assert "rendered/production/production/rollout-securenexus.yaml: spec.template.spec.containers[0].securityContext.privileged: PSS restricted" in outcome.err
