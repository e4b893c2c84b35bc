"""The plain-manifest tree: ``rendered/<env>/<namespace>/<kind>-<name>.yaml``, one object per file, each
with a one-line header naming its spec. Cluster-scoped objects go under ``rendered/<env>/_cluster/``
(no namespace can start with '_')."""

from __future__ import annotations

from generator import yamlio
from generator.built import BuiltRoot
from generator.fileset import header

ROOT = "rendered"
CLUSTER_DIR = "_cluster"


def object_path(env_name: str, o: dict) -> str:
    meta = o["metadata"]
    folder = meta.get("namespace") or (meta["name"] if o["kind"] == "Namespace" else CLUSTER_DIR)
    return f"{ROOT}/{env_name}/{folder}/{o['kind'].lower()}-{meta['name']}.yaml"


def emit(built: BuiltRoot) -> dict[str, str]:
    """One file per object of every built environment."""
    files: dict[str, str] = {}
    for env in built.environments:
        for o in env.objects:
            path = object_path(env.name, o)
            if path in files:
                raise ValueError(f"two objects would be written to {path}")
            files[path] = header(env.source) + yamlio.dump(o)
    return files
