"""The plain-manifest tree: one file per object at ``generator.layout.object_path`` under its tree
(``rendered/<env>/``, or ``rendered/<env>/<cluster>/`` for each cluster of a multi-cluster environment),
each with a one-line header naming its spec."""

from __future__ import annotations

from generator import yamlio
from generator.built import BuiltRoot
from generator.fileset import header

from generator.layout import ROOT, object_path  # noqa: F401  (ROOT: the folder this emitter owns)


def emit(built: BuiltRoot) -> dict[str, str]:
    """One file per object of every built environment."""
    files: dict[str, str] = {}
    for env in built.environments:
        for o in env.objects:
            path = object_path(env.tree, o)
            if path in files:
                raise ValueError(f"two objects would be written to {path}")
            files[path] = header(env.source) + yamlio.dump(o)
    return files
