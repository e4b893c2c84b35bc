"""Repository checks: what `gitops-gen test` verifies on the committed trees of any repository.

Unlike the generator's own tests (which run on fixture specs), these run on whatever spec roots a
repository holds (the root and each ``examples/<system>/`` with an ``environments/`` folder) and hold for
any content: drift, spec files under the editor schema, strict schemas and Pod Security, Kustomize and Helm trees equal to ``rendered/`` with
the real tools, Argo CD paths, checkov. ``run`` yields one ``Outcome`` per root and check; it prints nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import yaml

from generator.errors import GeneratorError, ToolMissing
from generator.verify import checkov, checks

Check = Callable[[Path, Path], list[str]]

CHECKS: dict[str, Check] = {
    "drift": checks.drift,
    "specs": checks.specs,
    "schemas": checks.schemas,
    "kustomize": checks.kustomize,
    "helm": checks.helm,
    "argocd": checks.argocd,
    "checkov": checkov.check,
}


@dataclass(frozen=True)
class Outcome:
    """One check on one spec root: its problems, or the tool it could not find."""

    check: str
    root: str
    problems: tuple[str, ...] = ()
    missing: str = ""

    @property
    def passed(self) -> bool:
        return not self.problems and not self.missing


def spec_roots(repo: Path) -> list[Path]:
    """The repository itself when it holds environments/, then every examples/<system>/ that does."""
    own = [repo] if (repo / "environments").is_dir() else []
    return own + sorted(p.parent for p in (repo / "examples").glob("*/environments") if p.is_dir())


def run(repo: Path, only: list[str] | None = None) -> Iterator[Outcome]:
    """Every selected check on every spec root of ``repo``, in order; problems are collected, not raised."""
    for root in spec_roots(repo):
        label = root.relative_to(repo).as_posix() if root != repo else "."
        for name, check in CHECKS.items():
            if only and name not in only:
                continue
            try:
                yield Outcome(name, label, tuple(check(repo, root)))
            except ToolMissing as err:
                yield Outcome(name, label, missing=str(err))
            except GeneratorError as err:  # broken specs fail the check with their findings
                yield Outcome(name, label, tuple(err.lines()))
            except (RuntimeError, ValueError, yaml.YAMLError) as err:  # a tool refused a tree, an object repeats
                yield Outcome(name, label, (str(err),))
