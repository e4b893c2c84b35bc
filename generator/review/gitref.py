"""Render the specs of a git revision: the other end of ``gitops-gen diff``.

The ``environments/`` folder of the root, as it is at ``ref``, is read with ``git archive`` (nothing in
the checkout, its index or its worktrees changes), unpacked into a temporary folder and rendered there by
this generator, so base and head differ only by their specs. A ref without ``environments/`` renders to
nothing (everything in the head is then "added").
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import replace
from pathlib import Path

from generator import pipeline
from generator.errors import FindingsError, GeneratorError, ToolMissing
from generator.load import SPEC_DIR


class GitError(GeneratorError):
    """A git command failed: not a repository, an unknown ref (exit 2, like other input problems)."""

    exit_code = 2


def _git(root: Path, *args: str) -> bytes:
    if shutil.which("git") is None:
        raise ToolMissing("git is not installed; `gitops-gen diff` reads the base revision with git")
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {' '.join(args)}: {message[-1] if message else f'exit {done.returncode}'}")
    return done.stdout


def _commit(root: Path, ref: str) -> str:
    if ref.startswith("-"):
        raise GitError(f"{ref!r} is not a git revision")
    try:
        return _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").decode().strip()
    except GitError:
        raise GitError(f"{ref!r} is not a commit of the repository at {root}") from None


def extract_specs(root: Path, ref: str, target: Path) -> bool:
    """Write ``environments/`` of ``root`` as of ``ref`` under ``target``; False when the ref has none."""
    commit = _commit(root, ref)
    prefix = _git(root, "rev-parse", "--show-prefix").decode().strip()
    folder = f"{prefix}{SPEC_DIR}"
    if not _git(root, "ls-tree", "-d", "--name-only", commit, "--", folder).strip():
        return False
    top = Path(_git(root, "rev-parse", "--show-toplevel").decode().strip())
    data = _git(top, "archive", "--format=tar", commit, "--", folder)
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        members = []
        for member in archive.getmembers():
            member.name = member.name[len(prefix):]
            members.append(member)
        archive.extractall(target, members=members, filter="data")
    return True


def render_ref(root: Path, ref: str) -> pipeline.Result | None:
    """The render of the specs at ``ref`` (None when the ref has no specs)."""
    with tempfile.TemporaryDirectory(prefix="gitops-gen-base-") as folder:
        if not extract_specs(root, ref, Path(folder)):
            return None
        try:
            return pipeline.render(Path(folder))
        except FindingsError as err:
            raise type(err)([replace(f, file=f"{ref}:{f.file}") for f in err.findings]) from None


def commit(root: Path, paths: list[str], message: str) -> str:
    """Commit exactly ``paths`` (relative to ``root``) with ``message``; returns the new commit's id."""
    _git(root, "add", "--", *paths)
    _git(root, "commit", "--quiet", "--message", message, "--", *paths)
    return _git(root, "rev-parse", "HEAD").decode().strip()
