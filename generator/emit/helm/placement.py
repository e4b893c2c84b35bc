"""Where each object's template goes, so that a change to one environment changes only its own chart files.

An object's shared template, ``templates/shared/<kind>-<name>.yaml``, holds it as the environment latest in
promotion order (production, usually) has it, and renders for every environment that does not skip it.
An environment whose object differs, or which lacks it, skips it (in its own ``templates/environments/<env>/_expected.tpl``)
and, when it has the object, renders its own ``templates/environments/<env>/<kind>-<name>.yaml``; an object the latest
environment does not have is only ever an environment's own. So an edit to an earlier environment
(staging) never touches a shared file or another environment's (unlike a majority, which one edit can
break), and everything promoted converges on the shared templates.

Pure: template texts in, file placement out.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Placement:
    """Shared templates by file name, each environment's own templates, and the shared ones it skips."""

    shared: dict[str, str] = field(default_factory=dict)
    own: dict[str, dict[str, str]] = field(default_factory=dict)
    skipped: dict[str, list[str]] = field(default_factory=dict)


def place(texts: dict[str, dict[str, str]], latest_first: list[str]) -> Placement:
    """``texts``: file name -> environment -> template text; ``latest_first``: every environment, the
    latest in promotion order first."""
    placement = Placement(own={env: {} for env in latest_first}, skipped={env: [] for env in latest_first})
    latest = latest_first[0]
    for name, by_env in sorted(texts.items()):
        shared = by_env.get(latest)
        if shared is not None:
            placement.shared[name] = shared
        for env in latest_first:
            if shared is not None and by_env.get(env) == shared:
                continue
            if shared is not None:
                placement.skipped[env].append(name)
            if env in by_env:
                placement.own[env][name] = by_env[env]
    return placement
