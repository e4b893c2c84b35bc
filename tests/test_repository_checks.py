"""`gitops-gen test`, the repository checks shipped in the package: they pass on a rendered repository,
each fails on the hand edit it exists for (naming the file), a missing tool exits 3, and the scenario of
the issue holds: in a temporary clone of this repository, a team adds a service and bumps a tag, re-renders,
and both its repository checks and the generator tests stay green, while a hand edit still fails them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, SECURENEXUS, copy_root
from generator import fileset, pipeline, toolchain, yamlio
from generator.errors import ToolMissing
from generator.load import load_root
from generator.spec.checks import is_production
from generator.spec.editor_schema import MODELINE

FAST = [f"--only={c}" for c in ("drift", "specs", "schemas", "kustomize", "helm", "argocd")]  # checkov: test_checkov


def _render(root: Path) -> Path:
    fileset.apply(root, fileset.plan(root, pipeline.render(root).files, pipeline.MANAGED))
    return root


@pytest.fixture
def repository(tmp_path) -> Path:
    """A rendered repository: the SecureNexus fixture at its root."""
    return _render(copy_root(SECURENEXUS, tmp_path / "repo"))


def test_a_rendered_repository_passes_every_check(repository, run_cli):
    _render(copy_root(FIXTURES / "financehub", repository / "examples/financehub"))
    outcome = run_cli("test", "--root", str(repository), *FAST)
    assert outcome.code == 0, outcome.out
    lines = outcome.out.splitlines()
    assert lines[-1] == "12 passed, 0 failed, 0 missing a tool (2 spec roots)"
    assert "ok      helm      examples/financehub" in lines


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


HAND_EDITS = [
    pytest.param("rendered/staging/staging/deployment-securenexus.yaml", "replicas: 1", "replicas: 4",
                 {"drift", "kustomize", "helm"}, id="rendered-value"),
    pytest.param("rendered/uat/uat/service-securenexus.yaml", "type: ClusterIP", "typ: ClusterIP",
                 {"drift", "schemas", "kustomize", "helm"}, id="rendered-schema"),
    pytest.param("rendered/argocd/application-securenexus-uat.yaml", "path: rendered/uat", "path: rendered/qa",
                 {"drift", "argocd"}, id="argocd-path"),
    pytest.param("environments/uat.yaml", MODELINE + "\n", "", {"specs"}, id="spec-without-schema-line"),
    pytest.param("environments.schema.json", '"title"', '"titel"', {"drift"}, id="editor-schema"),
]


@pytest.mark.parametrize(("rel", "old", "new", "failing"), HAND_EDITS)
def test_each_check_fails_on_its_hand_edit_and_names_the_file(repository, run_cli, rel, old, new, failing):
    _edit(repository / rel, old, new)
    outcome = run_cli("test", "--root", str(repository), *FAST)
    assert outcome.code == 1
    failed = {line.split()[1] for line in outcome.out.splitlines() if line.startswith("FAIL")}
    assert failed == failing, outcome.out
    assert f"{rel}" in outcome.out or "overlays/" in outcome.out


def test_a_missing_tool_exits_3_and_says_how_to_install_it(repository, run_cli, monkeypatch):
    def missing(repo):
        raise ToolMissing("checkov not found: run `make test`")

    monkeypatch.setattr(toolchain, "checkov", missing)
    outcome = run_cli("test", "--root", str(repository), "--only=checkov")
    assert outcome.code == 3
    assert "missing checkov   ." in outcome.out and "checkov not found" in outcome.out


def test_a_folder_without_specs_is_an_error(tmp_path, run_cli):
    outcome = run_cli("test", "--root", str(tmp_path))
    assert outcome.code == 2
    assert "no spec root" in outcome.err


# --- the scenario of the issue, on a temporary clone ---------------------------------------------------------

# the modules that failed after such an edit when the generator was tested through the repository's specs
GENERATOR_TESTS = ["test_render_snapshots.py", "test_capabilities.py", "test_review_diff.py", "test_reference.py", "test_helm.py"]


def _clone(target: Path) -> Path:
    """The repository's files as git sees them (tracked and new, not ignored), without examples/ (not edited)."""
    listed = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z", "--cached", "--others", "--exclude-standard"], capture_output=True, check=True).stdout
    for rel in sorted(p for p in listed.decode().split("\0") if p and not p.startswith("examples/")):
        source = REPO / rel
        if source.is_file() and not source.is_symlink():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target / rel)
    # what `make test` installed beside the clone's specs (checkov has its own virtual environment)
    (target / toolchain.CHECKOV_VENV).symlink_to(REPO / toolchain.CHECKOV_VENV, target_is_directory=True)
    return target


def _add_a_service_and_bump_a_tag(clone: Path) -> str:
    """What the README describes, for whatever the specs hold: a new service and a new image tag in one
    environment that is not production."""
    env = next(e for e in load_root(clone) if not is_production(e.spec, e.name))
    path = clone / env.source
    data = yamlio.load(path.read_text(encoding="utf-8"))
    services = data.setdefault("services", {}) or {}
    first = sorted(env.spec.services)[0]
    services.setdefault(first, {}).setdefault("image", {})["tag"] = "9.9.1"
    services["report-worker"] = {
        "image": {"repository": "registry.example.com/report-worker", "tag": "1.0.0", "digest": "sha256:" + "ab" * 32},
        "port": 8080,
        "resources": {"requests": {"cpu": "50m", "memory": "64Mi"}, "limits": {"cpu": "250m", "memory": "256Mi"}},
        "probes": {"liveness": {"path": "/healthz"}, "readiness": {"path": "/ready"}},
    }
    data["services"] = services
    path.write_text(MODELINE + "\n" + yamlio.dump(data), encoding="utf-8")
    return env.name


def test_a_team_edits_its_specs_and_its_tests_stay_green(tmp_path):
    clone = _clone(tmp_path / "clone")
    env = _add_a_service_and_bump_a_tag(clone)

    def gitops_gen(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "generator", *args, "--root", str(clone)], cwd=clone,
                              capture_output=True, text=True, check=False)

    rendered = gitops_gen("render")
    assert rendered.returncode == 0, rendered.stderr
    assert (clone / f"rendered/{env}").is_dir()
    assert any((clone / "rendered").rglob("deployment-report-worker.yaml"))
    checks = gitops_gen("test")
    assert checks.returncode == 0, checks.stdout
    tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
                            *(f"tests/{name}" for name in GENERATOR_TESTS)],
                           cwd=clone, capture_output=True, text=True, check=False)
    assert tests.returncode == 0, tests.stdout[-3000:]

    deployment = next((clone / "rendered").rglob("deployment-report-worker.yaml"))
    _edit(deployment, "registry.example.com/report-worker:1.0.0@", "registry.example.com/report-worker:6.6.6@")
    after_edit = gitops_gen("test")
    assert after_edit.returncode == 1
    assert f"stale: {deployment.relative_to(clone).as_posix()}" in after_edit.stdout
