"""pre-commit: `.pre-commit-hooks.yaml` is a valid hook manifest offering gitops-gen-check and
gitops-gen-validate, the project's `.pre-commit-config.yaml` is valid and runs those commands, and the
hooks really run (with pre-commit itself) on a copy of this repository (its root; the examples' roots go
through the same loop): they pass, and fail on a hand edit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from generator import yamlio

GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main"]


def _pre_commit(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, check=False, timeout=600)


def test_the_manifest_and_the_config_are_valid(tmp_path):
    for command, name in (("validate-manifest", ".pre-commit-hooks.yaml"), ("validate-config", ".pre-commit-config.yaml")):
        proc = _pre_commit(command, str(REPO / name), cwd=REPO, home=tmp_path)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    hooks = {h["id"]: h for h in yamlio.load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert hooks["gitops-gen-check"]["entry"] == "gitops-gen render --check"
    assert hooks["gitops-gen-validate"]["entry"] == "gitops-gen validate"
    config = yamlio.load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    local = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    assert sorted(local) == sorted(hooks)
    assert "gitops-gen render --check" in local["gitops-gen-check"]["entry"]
    assert "gitops-gen validate" in local["gitops-gen-validate"]["entry"]


@pytest.mark.starts_first
def test_the_hooks_run_on_a_copy_of_this_repository(tmp_path):
    copy = tmp_path / "copy"
    listed = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            capture_output=True, check=True).stdout
    for rel in sorted(p for p in listed.decode().split("\0") if p and not p.startswith("examples/")):
        source = REPO / rel
        if source.is_file() and not source.is_symlink():
            (copy / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, copy / rel)
    (copy / ".venv").symlink_to(Path(sys.executable).parent.parent, target_is_directory=True)
    subprocess.run([*GIT, "init", "-q"], cwd=copy, check=True)
    subprocess.run([*GIT, "add", "-A"], cwd=copy, check=True)
    passed = _pre_commit("run", "--all-files", cwd=copy, home=tmp_path / "home")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert passed.stdout.count("Passed") == 2
    edited = sorted((copy / "rendered").rglob("service-*.yaml"))[0]
    edited.write_text(edited.read_text(encoding="utf-8").replace("type: ClusterIP", "typ: ClusterIP"), encoding="utf-8")
    subprocess.run([*GIT, "add", "-A"], cwd=copy, check=True)
    failed = _pre_commit("run", "--all-files", cwd=copy, home=tmp_path / "home")
    assert failed.returncode == 1
    rel = edited.relative_to(copy).as_posix()
    assert f"drift: {rel}" in failed.stdout and f"{rel}: spec: Additional properties" in failed.stdout
