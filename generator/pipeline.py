"""The render pipeline as one function of a root: load specs -> check across environments -> build objects
-> validate -> emit files.

Reads the specs (through ``load``) and nothing else; writes nothing. ``cli`` decides whether the returned
FileSet is written or compared. Every check runs in ``build``, before any emitter; each emitter is a pure
function from the ``BuiltRoot`` to a FileSet. ``MANAGED`` lists the folders whose generated files a
render owns (and may prune).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from generator import layout, validate
from generator.argocd.objects import attributed
from generator.builders import build_environment
from generator.built import BuiltEnvironment, BuiltRoot
from generator.emit import argocd, editor_schema, helm, kustomize, rendered
from generator.errors import Finding, SpecError, ValidationFailed
from generator.load import load_root
from generator.validate import environments

Emitter = Callable[[BuiltRoot], dict[str, str]]

# The chart first: its traced builds are the render's largest transient memory, and what they free is then
# reused by the other trees' files instead of adding to them (peak RSS of a full check at 1,000 services: about
# 20 MB less, bench/targets.py).
EMITTERS: tuple[Emitter, ...] = (helm.emit, rendered.emit, argocd.emit, kustomize.emit, editor_schema.emit)
MANAGED: tuple[str, ...] = (rendered.ROOT, helm.ROOT, kustomize.BASE, kustomize.OVERLAYS)


@dataclass(frozen=True)
class Result:
    """What a render produces: every generated file, and what was built (for reports and tests)."""

    files: dict[str, str]
    built: BuiltRoot


def build(root: Path) -> BuiltRoot:
    """Load, check and build every environment of ``root`` and its Argo CD objects; raise SpecError or
    ValidationFailed with every finding."""
    loaded = load_root(root)
    problems = environments.problems(loaded)
    if problems:
        raise SpecError(problems)
    built = tuple(
        BuiltEnvironment(env, tuple(build_environment(env.name, spec)), cluster)
        for env in loaded
        for cluster, spec in ([(c, c.spec) for c in env.clusters] or [(None, env.spec)])
    )
    chosen = environments.targets(loaded, {env.tree: env.objects for env in built})
    argo = tuple(attributed(chosen, {env.name: env.source for env in loaded})) if chosen else ()
    version = loaded[0].spec.kubernetes_version
    findings: list[Finding] = [
        finding
        for env in built
        for o in env.objects
        for finding in validate.findings(layout.object_path(env.tree, o), o, env.spec.kubernetes_version)
    ]
    findings += [f for a in argo for f in validate.findings(layout.argocd_object_path(a.object), a.object, version)]
    if findings:
        raise ValidationFailed(findings)
    return BuiltRoot(environments=built, argocd=argo)


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
    return Result(files=files, built=built)
