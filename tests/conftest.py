"""Shared fixtures: the repository root, temporary copies of spec roots, and an in-process CLI runner."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator import cli

REPO = Path(__file__).resolve().parent.parent


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
def root(tmp_path, repo) -> Path:
    """A fresh copy of the repository's spec root, not yet rendered."""
    return copy_root(repo, tmp_path / "root")


def tree(path: Path) -> dict[str, bytes]:
    """Every file under ``path`` with its bytes (for before/after comparisons)."""
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def spec_roots() -> list[Path]:
    """Every spec root of the repository: the repository itself and each examples/<system>/."""
    examples = sorted(p.parent for p in (REPO / "examples").glob("*/environments") if p.is_dir())
    return [REPO, *examples]


def root_id(path: Path) -> str:
    return "securenexus" if path == REPO else path.name
