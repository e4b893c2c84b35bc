"""The GitHub workflows are valid workflow files (checked offline against the GitHub workflow JSON schema
that check-jsonschema ships as ``vendor.github-workflows``), pin every action to a commit, grant each job
only what it needs, pass zizmor's pedantic audit offline, install Python dependencies from the hash-pinned
lock file, and validate against the same Kubernetes version and CRD schemas as the generator. The
pull-request diff is split: an unprivileged job runs the pull request's code and uploads the report, a
privileged ``workflow_run`` job only posts it."""

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
ZIZMOR = Path(sys.executable).parent / "zizmor"
LOCK = REPO / ".ci/requirements.lock"
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
    assert [p.name for p in WORKFLOWS] == ["ci.yaml", "pr-diff-comment.yaml", "pr-diff.yaml"]


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
        if path.name == "pr-diff-comment.yaml":  # reads an artifact, writes a comment, reads no code
            assert grants == {"actions": "read", "pull-requests": "write"}, name
            continue
        assert grants == {"contents": "read"}, name


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


def test_the_pull_request_diff_is_rendered_unprivileged_and_uploaded():
    data = workflow("pr-diff.yaml")
    assert set(data["on"]) == {"pull_request"}
    (job,) = data["jobs"].values()
    checkout = job["steps"][0]
    assert checkout["with"]["fetch-depth"] == 0 and checkout["with"]["persist-credentials"] is False
    env = {k: v for step in job["steps"] for k, v in step.get("env", {}).items()}
    assert env["BASE_REF"] == "${{ github.base_ref }}"
    text = steps_text(job)
    assert "--require-hashes --no-deps -r .ci/requirements.lock" in text
    assert 'generator diff --base "origin/${BASE_REF}" --format markdown > report/diff.md' in text
    upload = [s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert [u["with"]["name"] for u in upload] == ["pr-diff"] and upload[0]["with"]["path"] == "report/"


def test_the_comment_is_posted_by_a_workflow_run_job_that_runs_no_pull_request_code():
    data = workflow("pr-diff-comment.yaml")
    assert data["on"] == {"workflow_run": {"workflows": ["pr-diff"], "types": ["completed"]}}
    (job,) = data["jobs"].values()
    assert "workflow_run.conclusion == 'success'" in job["if"] and "workflow_run.event == 'pull_request'" in job["if"]
    uses = [s["uses"].split("@")[0] for s in job["steps"] if "uses" in s]
    assert uses == ["actions/download-artifact"]  # no checkout: nothing of the pull request is executed
    download = job["steps"][0]["with"]
    assert download["name"] == "pr-diff" and download["run-id"] == "${{ github.event.workflow_run.id }}"
    text = steps_text(job)
    assert "python" not in text and "make" not in text and "pip" not in text
    env = {k: v for step in job["steps"] for k, v in step.get("env", {}).items()}
    assert env["MARKER"] == diff_report.MARKER
    assert "grep -Eq '^[0-9]{1,10}$'" in text and '--jq .head.sha)" != "$HEAD_SHA"' in text
    assert "startswith(env.MARKER)" in text and "--method PATCH" in text


def zizmor(paths: list[Path]) -> subprocess.CompletedProcess:
    assert ZIZMOR.exists(), "zizmor is missing: run `make test` (it is in the test extras)"
    return subprocess.run([str(ZIZMOR), "--offline", "--persona", "pedantic", "--no-progress", *map(str, paths)],
                          capture_output=True, text=True, check=False, timeout=120)


def test_zizmor_pedantic_finds_nothing():
    result = zizmor([REPO / ".github/workflows"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr
    ignores = [line.strip() for p in WORKFLOWS for line in p.read_text(encoding="utf-8").splitlines() if "zizmor: ignore" in line]
    assert ignores == ["workflow_run: # zizmor: ignore[dangerous-triggers] nothing from the triggering run is executed, see above"]


def test_zizmor_catches_the_old_privileged_pull_request_job(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "on: pull_request_target\npermissions: write-all\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - uses: actions/checkout@v4\n        with: {ref: '${{ github.event.pull_request.head.sha }}'}\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n", encoding="utf-8")
    result = zizmor([bad])
    assert result.returncode != 0
    for audit in ("dangerous-triggers", "excessive-permissions", "template-injection", "unpinned-uses"):
        assert audit in result.stdout, audit


def _requirement_names(lines) -> set[str]:
    """Project names normalized as PEP 503 does (ruamel.yaml and ruamel-yaml are one project)."""
    return {re.sub(r"[-_.]+", "-", re.split(r"[<>=!~ ;\[]", line.strip().strip('",'), maxsplit=1)[0].lower())
            for line in lines}


def test_the_lock_file_pins_every_runtime_dependency_with_hashes():
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    text = LOCK.read_text(encoding="utf-8")
    pinned = dict(re.findall(r"^([a-z0-9][a-z0-9._-]*)==(\S+) \\$", text, re.M))
    assert _requirement_names(project["dependencies"]) <= set(pinned)
    entries = re.split(r"\n(?=[a-z0-9])", text.split("\n", 2)[2])
    assert len(entries) == len(pinned) and all("--hash=sha256:" in e for e in entries)
