"""The render pipeline as one function of a root: load specs -> build objects -> validate -> emit files.

Reads the specs (through ``load``) and nothing else; writes nothing. ``cli`` decides whether the returned
FileSet is written or compared. Each emitter is a pure function from the built environments to a FileSet;
``MANAGED`` lists the folders whose generated files a render owns (and may prune).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from generator import validate
from generator.build import build_environment
from generator.emit import argocd, editor_schema, helm, kustomize, rendered
from generator.errors import Finding, ValidationFailed
from generator.load import LoadedEnvironment, load_root


@dataclass(frozen=True)
class BuiltEnvironment:
    """One environment's spec and the objects built from it, in install order."""

    env: LoadedEnvironment
    objects: tuple[dict, ...]

    @property
    def name(self) -> str:
        return self.env.name


Emitter = Callable[[list[BuiltEnvironment]], dict[str, str]]

EMITTERS: tuple[Emitter, ...] = (rendered.emit, argocd.emit, helm.emit, kustomize.emit, editor_schema.emit)
MANAGED: tuple[str, ...] = (rendered.ROOT, helm.ROOT, kustomize.BASE, kustomize.OVERLAYS)


@dataclass(frozen=True)
class Result:
    """What a render produces: every generated file, and the built environments (for reports and tests)."""

    files: dict[str, str]
    built: tuple[BuiltEnvironment, ...]


def build(root: Path) -> list[BuiltEnvironment]:
    """Load and build every environment of ``root``; raise SpecError or ValidationFailed."""
    built = []
    findings: list[Finding] = []
    for env in load_root(root):
        objects = build_environment(env.name, env.spec)
        for o in objects:
            where = rendered.object_path(env.name, o)
            findings += validate.findings(where, o, env.spec.kubernetes_version)
        built.append(BuiltEnvironment(env=env, objects=tuple(objects)))
    if findings:
        raise ValidationFailed(findings)
    return built


def render(root: Path) -> Result:
    """Every generated file of ``root``, validated; nothing is written."""
    built = build(root)
    files: dict[str, str] = {}
    for emit in EMITTERS:
        produced = emit(built)
        clash = files.keys() & produced.keys()
        if clash:
            raise ValueError(f"two emitters produce {sorted(clash)[0]}")
        files.update(produced)
    return Result(files=files, built=tuple(built))
