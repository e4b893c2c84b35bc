"""`gitops-gen doctor`: every tool the repository checks use, found with its version or missing with how to
install it; exit 0 only when every required tool is there (kubeconform is optional: CI runs it)."""

from __future__ import annotations

from conftest import REPO
from generator import toolchain
from generator.errors import ToolMissing


def test_lists_each_tool_with_its_version(run_cli):
    outcome = run_cli("doctor", "--root", str(REPO))
    names = [line.split()[1] for line in outcome.out.splitlines() if line.startswith(("ok", "missing", "optional"))]
    assert names == ["kubectl", "helm", "checkov", "kubeconform"]
    assert "Kustomize Version: v5.8" in outcome.out
    checkov = next(line for line in outcome.out.splitlines() if line.split()[1:2] == ["checkov"])
    assert checkov.startswith("ok") and checkov.endswith(toolchain.CHECKOV_VERSION)
    assert outcome.out.splitlines()[-1] == "every tool `gitops-gen test` needs is installed"
    assert outcome.code == 0, outcome.out


def test_a_missing_required_tool_exits_3_with_how_to_install(run_cli, monkeypatch, tmp_path):
    def missing(repo):
        raise ToolMissing("checkov not found")

    monkeypatch.setattr(toolchain, "checkov", missing)
    outcome = run_cli("doctor", "--root", str(tmp_path))
    assert outcome.code == 3
    line = next(line for line in outcome.out.splitlines() if line.split()[1:2] == ["checkov"])
    assert line.startswith("missing")
    assert f"pipx install checkov=={toolchain.CHECKOV_VERSION}" in outcome.out
