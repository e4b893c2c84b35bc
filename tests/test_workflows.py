"""The GitHub workflows are valid workflow files (checked offline against the GitHub workflow JSON schema
that check-jsonschema ships as ``vendor.github-workflows``), pin every action to a commit, grant each job
only what it needs, and validate against the same Kubernetes version and CRD schemas as the generator."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from generator import yamlio
from generator.review import report as diff_report
from generator.load import load_root

WORKFLOWS = sorted((REPO / ".github/workflows").glob("*.y*ml"))
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"
PINNED = re.compile(r"^\s*-?\s*uses:\s*([\w.-]+/[\w./-]+)@([0-9a-f]{40})\s+#\s*v\d+(\.\d+){0,2}\s*$")


def workflow(name: str) -> dict:
    data = yamlio.load((REPO / ".github/workflows" / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def check(paths: list[Path]) -> subprocess.CompletedProcess:
    assert CHECK_JSONSCHEMA.exists(), "check-jsonschema is missing: run `make test` (it is in the test extras)"
    return subprocess.run(
        [str(CHECK_JSONSCHEMA), "--builtin-schema", "vendor.github-workflows", *map(str, paths)],
        capture_output=True, text=True, check=False, timeout=120,
    )


def steps_text(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def test_there_are_workflows():
    assert [p.name for p in WORKFLOWS] == ["ci.yaml", "pr-diff.yaml"]


def test_every_workflow_matches_the_github_workflow_schema():
    result = check(WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("on: push\njobs:\n  a:\n    runs_on: ubuntu-24.04\n    steps: [{run: 'true'}]\n", encoding="utf-8")
    result = check([broken])
    assert result.returncode != 0 and "runs_on" in result.stdout + result.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version(path):
    uses = [line for line in path.read_text(encoding="utf-8").splitlines() if re.match(r"^\s*-?\s*uses:", line)]
    assert uses, "no action used at all"
    assert [line for line in uses if not PINNED.match(line)] == []


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_permissions_are_empty_by_default_and_granted_per_job(path):
    data = workflow(path.name)
    assert data["permissions"] == {}
    for name, job in data["jobs"].items():
        grants = job["permissions"]
        assert grants.get("contents") == "read", name
        writes = {scope for scope, level in grants.items() if level == "write"}
        assert writes == ({"pull-requests"} if path.name == "pr-diff.yaml" else set()), name


def test_ci_runs_on_pushes_and_pull_requests_with_every_check():
    data = workflow("ci.yaml")
    assert set(data["on"]) == {"push", "pull_request"}
    jobs = {name: steps_text(job) for name, job in data["jobs"].items()}
    assert "make test" in jobs["test"]
    assert "make check" in jobs["drift"] and "run make render" in jobs["drift"]
    assert "helm lint --strict" in jobs["helm-lint"] and "values-*.yaml" in jobs["helm-lint"]
    assert "checkov --directory" in jobs["checkov"] and "scanned == 0" in jobs["checkov"]
    # every spec root is covered, not only the repository's own
    for job in ("drift", "kubeconform", "helm-lint", "checkov"):
        assert "examples/*/" in jobs[job], job


def test_kubeconform_uses_the_declared_kubernetes_version_and_the_vendored_crd_schemas():
    command = steps_text(workflow("ci.yaml")["jobs"]["kubeconform"])
    assert "-strict" in command.split() and command.rstrip().endswith("rendered/")
    declared = {env.spec.kubernetes_version for env in load_root(REPO)}
    assert re.findall(r"-kubernetes-version (\S+)", command) == [f"{v}.0" for v in sorted(declared)]
    locations = re.findall(r"-schema-location '?([^' ]+)'?", command)
    assert locations[0] == "default"
    template = locations[1]
    custom = set()
    for path in sorted((REPO / "rendered").rglob("*.yaml")):
        o = yamlio.load(path.read_text(encoding="utf-8"))
        group, _, version = o["apiVersion"].rpartition("/")
        if "." in group and not group.endswith(".k8s.io"):  # not a built-in API group
            custom.add(template.replace("{{.Group}}", group).replace("{{.ResourceKind}}", o["kind"].lower())
                       .replace("{{.ResourceAPIVersion}}", version))
    assert custom, "rendered/ has no custom resources to resolve"
    assert [c for c in sorted(custom) if not (REPO / c).is_file()] == []


def test_pull_requests_get_one_updated_diff_comment():
    data = workflow("pr-diff.yaml")
    assert set(data["on"]) == {"pull_request"}
    (job,) = data["jobs"].values()
    checkout = job["steps"][0]
    assert checkout["with"]["fetch-depth"] == 0
    env = {k: v for step in job["steps"] for k, v in step.get("env", {}).items()}
    assert env["BASE_REF"] == "${{ github.base_ref }}"
    text = steps_text(job)
    assert 'gitops-gen diff --base "origin/${BASE_REF}" --format markdown > diff.md' in text
    assert f'startswith("{diff_report.MARKER}")' in text and "--method PATCH" in text
