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

from conftest import FIXTURES, REPO, SECURENEXUS, copy_rendered
from generator import toolchain, yamlio
from generator.errors import ToolMissing
from generator.load import load_root
from generator.spec.checks import is_production
from generator.spec.editor_schema import MODELINE

FAST = [f"--only={c}" for c in ("drift", "specs", "schemas", "kustomize", "helm", "argocd")]  # checkov: test_checkov


@pytest.fixture
def repository(tmp_path, shared_renders) -> Path:
    """A rendered repository: the SecureNexus fixture at its root (a copy of the session's render of it)."""
    return copy_rendered(shared_renders(SECURENEXUS)[0], tmp_path / "repo")


def test_a_rendered_repository_passes_every_check(repository, run_cli, shared_renders):
    copy_rendered(shared_renders(FIXTURES / "financehub")[0], repository / "examples/financehub")
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
# They run in four pytest processes in the edited clone, so that pytest-xdist spreads them over the workers:
# test_helm.py's Hypothesis test, its variants table, the rest of test_helm.py, and the four other modules.
# Together they run every test of the modules once, as one run of all of them did.
APART = ["test_helm.py::test_generated_specs_render_identically", "test_helm.py::test_variants_render_identically"]
GENERATOR_RUNS = [
    *(pytest.param([f"tests/{test}"], id=test.split("::")[1], marks=pytest.mark.starts_first) for test in APART),
    pytest.param(["tests/test_helm.py", *(f"--deselect=tests/{test}" for test in APART)], id="test_helm.py-rest",
                 marks=pytest.mark.starts_first),
    pytest.param([f"tests/{name}" for name in GENERATOR_TESTS if name != "test_helm.py"], id="other-modules",
                 marks=pytest.mark.starts_first),
]


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


def _gitops_gen(clone: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args, "--root", str(clone)], cwd=clone,
                          capture_output=True, text=True, check=False)


def _edited_and_rendered(clone: Path) -> str:
    """The team's edit in a fresh clone at ``clone``, rendered; the environment it edited."""
    env = _add_a_service_and_bump_a_tag(_clone(clone))
    rendered = _gitops_gen(clone, "render")
    assert rendered.returncode == 0, rendered.stderr
    assert (clone / f"rendered/{env}").is_dir()
    assert any((clone / "rendered").rglob("deployment-report-worker.yaml"))
    return env


@pytest.fixture(scope="session")
def edited_clone(tmp_path_factory) -> Path:
    """A clone with the team's edit, rendered, shared by the generator test runs below (one per test process;
    they only run tests in it)."""
    clone = tmp_path_factory.mktemp("edited") / "clone"
    _edited_and_rendered(clone)
    return clone


@pytest.mark.starts_first
def test_a_team_edits_its_specs_and_its_checks_stay_green_while_a_hand_edit_fails_them(tmp_path):
    clone = tmp_path / "clone"
    _edited_and_rendered(clone)
    checks = _gitops_gen(clone, "test")
    assert checks.returncode == 0, checks.stdout

    deployment = next((clone / "rendered").rglob("deployment-report-worker.yaml"))
    _edit(deployment, "registry.example.com/report-worker:1.0.0@", "registry.example.com/report-worker:6.6.6@")
    after_edit = _gitops_gen(clone, "test")
    assert after_edit.returncode == 1
    assert f"stale: {deployment.relative_to(clone).as_posix()}" in after_edit.stdout


@pytest.mark.parametrize("tests", GENERATOR_RUNS)
def test_a_team_edits_its_specs_and_the_generator_tests_stay_green(edited_clone, tests):
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests],
                         cwd=edited_clone, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout[-3000:]


def test_the_generator_test_runs_cover_every_test_of_the_modules():
    """The runs above, taken together, are one run of GENERATOR_TESTS: every module, every test once."""
    runs = [p.values[0] for p in GENERATOR_RUNS]
    selected = [arg for run in runs for arg in run if not arg.startswith("--deselect=")]
    deselected = [arg.split("=", 1)[1] for run in runs for arg in run if arg.startswith("--deselect=")]
    assert sorted(a for a in selected if "::" not in a) == sorted(f"tests/{name}" for name in GENERATOR_TESTS)
    assert sorted(a for a in selected if "::" in a) == sorted(deselected) == sorted(f"tests/{t}" for t in APART)
