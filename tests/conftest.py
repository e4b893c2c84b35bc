"""Shared fixtures: the fixture spec roots under tests/fixtures/, temporary copies of them, and an in-process
CLI runner.

Generator tests never read the repository's own specs (environments/, examples/): a team edits those, and its
tests must stay green. They use the fixture roots here instead; the repository's own trees are checked by
`gitops-gen test`, whose checks hold for any content.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator import cli

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests/fixtures"
SECURENEXUS = FIXTURES / "securenexus"


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def run_cli(capsys):
    """Run the CLI in-process: run_cli('render', '--root', str(path)) -> Run(code, out, err)."""

    def run(*args: str) -> Run:
        code = cli.main(list(args))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def copy_root(source: Path, target: Path) -> Path:
    """Copy a spec root's environments/ (and only that) into ``target``."""
    shutil.copytree(source / "environments", target / "environments")
    return target


@pytest.fixture
def root(tmp_path) -> Path:
    """A fresh copy of the SecureNexus fixture root, not yet rendered."""
    return copy_root(SECURENEXUS, tmp_path / "root")


def tree(path: Path) -> dict[str, bytes]:
    """Every file under ``path`` with its bytes (for before/after comparisons)."""
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def spec_roots() -> list[Path]:
    """Every fixture spec root: tests/fixtures/<system>/ holding environments/."""
    return sorted(p.parent for p in FIXTURES.glob("*/environments") if p.is_dir())


def root_id(path: Path) -> str:
    return path.name
