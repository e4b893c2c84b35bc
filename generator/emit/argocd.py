"""The Argo CD tree: ``rendered/argocd/<kind>-<name>.yaml``, one object per file, beside (never inside)
the environments' folders of ``rendered/``.

Builds the objects with ``generator.argocd.objects`` from the environments that have an ``argocd`` block,
refuses cross-environment problems (``SpecError``), validates every object strictly against the vendored
Argo CD CRD schemas (``ValidationFailed``), and serializes with the one YAML emitter. Nothing when no
environment asks for Argo CD.
"""

from __future__ import annotations

from generator import yamlio
from generator.argocd import checks
from generator.argocd.objects import Target, application_name, build, file_name
from generator.errors import Finding, SpecError, ValidationFailed
from generator.fileset import header
from generator.validate import schemas

FOLDER = f"rendered/{checks.RESERVED}"


def object_path(o: dict) -> str:
    return f"{FOLDER}/{file_name(o['kind'], o['metadata']['name'])}"


def targets(built) -> list[Target]:
    """The environments Argo CD deploys, in environment-name order."""
    return [
        Target(env.name, env.env.spec.system, env.env.spec.namespace, env.env.spec.argocd, env.objects)
        for env in sorted(built, key=lambda b: b.name)
        if env.env.spec.argocd is not None
    ]


def emit(built) -> dict[str, str]:
    """Every Argo CD file, validated; empty when no environment has ``argocd`` settings."""
    chosen = targets(built)
    if not chosen:
        return {}
    sources = {env.name: env.env.source for env in built}
    found = checks.problems(chosen, sources, [env.name for env in built])
    if found:
        raise SpecError(found)
    version = built[0].env.spec.kubernetes_version
    files: dict[str, str] = {}
    invalid: list[Finding] = []
    shared = ", ".join(sorted(sources[t.env] for t in chosen))
    own = {application_name(t): sources[t.env] for t in chosen}
    for o in build(chosen):
        path = object_path(o)
        if path in files:
            raise ValueError(f"two Argo CD objects would be written to {path}")
        invalid += [Finding(path, 0, 0, p, m) for p, m in schemas.errors(o, version)]
        origin = own.get(o["metadata"]["name"], shared) if o["kind"] == "Application" else shared
        files[path] = header(origin) + yamlio.dump(o)
    if invalid:
        raise ValidationFailed(invalid)
    return files
