"""Checks across the environments of one root that no single spec can make, run by the pipeline before
anything is built: they name one system (it names the Helm chart, and so the release, which Helm limits
to 53 characters), they declare one promotion order (``generator.promotion``), and their Argo CD settings
agree (``generator.argocd.checks``).

Pure: loaded environments in, findings out. A disagreement between layered settings names the
environment file (line unknown, so 0).
"""

from __future__ import annotations

from generator import promotion
from generator.argocd import checks
from generator.argocd.objects import Placement, Target
from generator.layout import tree
from generator.errors import Finding
from generator.load import LoadedEnvironment

RELEASE_NAME_LIMIT = 53


def targets(loaded: list[LoadedEnvironment], objects: dict[str, tuple[dict, ...]]) -> list[Target]:
    """The environments Argo CD deploys, in environment-name order; ``objects`` maps each tree
    (``generator.layout.tree``) to its built objects."""
    return [
        Target(
            env.name, env.spec.system, env.spec.namespace, env.spec.argocd,
            tuple(o for c in env.clusters for o in objects.get(tree(env.name, c.name), ()))
            or objects.get(env.name, ()),
            tuple(
                Placement(name, cluster, objects.get(tree(env.name, name), ()))
                for name, cluster in (env.spec.clusters or {}).items()
            ),
        )
        for env in sorted(loaded, key=lambda e: e.name)
        if env.spec.argocd is not None
    ]


def problems(loaded: list[LoadedEnvironment]) -> list[Finding]:
    """Every cross-environment problem of these environments."""
    found = _system(loaded) + promotion.problems(loaded)
    chosen = targets(loaded, {})
    if chosen:
        found += checks.problems(chosen, {env.name: env.source for env in loaded}, [env.name for env in loaded])
    return found


def _system(loaded: list[LoadedEnvironment]) -> list[Finding]:
    first = loaded[0]
    found = [
        Finding(env.source, 0, 0, "system", f"is {env.spec.system!r} but {first.source} says {first.spec.system!r}: "
                "every environment of a root must name the same system (it names the Helm chart)")
        for env in loaded[1:]
        if env.spec.system != first.spec.system
    ]
    if not found and len(first.spec.system) > RELEASE_NAME_LIMIT:
        found.append(Finding(first.source, 0, 0, "system", f"{first.spec.system!r} is longer than "
                             f"{RELEASE_NAME_LIMIT} characters, the limit of a Helm release name"))
    return found
