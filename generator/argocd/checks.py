"""Checks across environments that no single spec can make: the Argo CD folder is not an environment's
name, the settings that describe the one repository agree everywhere, and no two environments deploy to
the same cluster namespace (their Applications would fight over the same objects), counting each cluster
of a multi-cluster environment, and every Application name is a label value (at most 63 characters: Argo
CD writes it into labels of what it deploys, and RollingSync and sync windows select by it).

Pure functions returning ``Finding``s. A finding about a file name points at line 1 of that file; a
disagreement between layered settings names the environment file (line unknown, so 0).
"""

from __future__ import annotations

from generator.argocd.objects import Target, application_name, cluster_application_name
from generator.errors import Finding
from generator.layout import ARGOCD_DIR as RESERVED

SHARED = (
    ("repoURL", "repo_url"), ("path", "path"), ("targetRevision", "target_revision"), ("namespace", "namespace"),
)


def problems(targets: list[Target], sources: dict[str, str], all_envs: list[str]) -> list[Finding]:
    """Every cross-environment problem; ``sources`` maps environment names to their spec files."""
    return [*_reserved(sources, all_envs), *_shared(targets, sources), *_shared_destinations(targets, sources),
            *_long_names(targets, sources)]


def _reserved(sources: dict[str, str], all_envs: list[str]) -> list[Finding]:
    if RESERVED not in all_envs:
        return []
    message = (
        f"the environment name {RESERVED!r} is reserved: rendered/{RESERVED}/ holds the Argo CD objects; "
        "rename the file"
    )
    return [Finding(sources[RESERVED], 1, 1, "", message)]


def _shared(targets: list[Target], sources: dict[str, str]) -> list[Finding]:
    first, found = targets[0], []
    for target in targets[1:]:
        for key, attr in SHARED:
            mine, theirs = getattr(target.settings, attr), getattr(first.settings, attr)
            if mine != theirs:
                found.append(_differs(sources, target, first, key, mine, theirs))
        if target.project != first.project:
            found.append(_differs(sources, target, first, "project", target.project, first.project))
    return found


def _differs(sources, target: Target, first: Target, key: str, mine, theirs) -> Finding:
    message = (
        f"{mine!r} differs from {theirs!r} in {sources[first.env]}; every environment must share it "
        "(set it once in a shared layer)"
    )
    return Finding(sources[target.env], 0, 0, f"argocd.{key}", message)


def _shared_destinations(targets: list[Target], sources: dict[str, str]) -> list[Finding]:
    seen: dict[tuple, str] = {}
    found = []
    for target in targets:
        places = [(p.cluster.destination, f"clusters.{p.name}.destination") for p in target.placements]
        for dest, field in places or [(target.settings.destination, "argocd.destination")]:
            key = (dest.name or dest.server, target.namespace)
            if key in seen:
                message = f"deploys to namespace {key[1]!r} of {key[0]} like {seen[key]}"
                found.append(Finding(sources[target.env], 0, 0, field, message))
            else:
                seen[key] = f"environment {target.env!r}"
    return found


NAME_LIMIT = 63


def _long_names(targets: list[Target], sources: dict[str, str]) -> list[Finding]:
    found = []
    for target in targets:
        names = [(cluster_application_name(target, p.name), f"clusters.{p.name}") for p in target.placements]
        for name, field in names or [(application_name(target), "argocd.project")]:
            if len(name) > NAME_LIMIT:
                message = (f"the Application name {name!r} is longer than {NAME_LIMIT} characters (a label "
                           "value): shorten the project, environment or cluster name")
                found.append(Finding(sources[target.env], 0, 0, field, message))
    return found
