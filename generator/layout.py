"""Where the plain manifests live in a repository: ``rendered/<env>/<namespace>/<kind>-<name>.yaml``, one
object per file, cluster-scoped objects under ``rendered/<env>/_cluster/`` (no namespace can start with
'_'), and the Argo CD objects under ``rendered/argocd/``.

The one definition of these paths: the emitters write there, the committed-tree validation reads there.
"""

from __future__ import annotations

ROOT = "rendered"
CLUSTER_DIR = "_cluster"
ARGOCD_DIR = "argocd"  # reserved: no environment may be named so
ARGOCD_FOLDER = f"{ROOT}/{ARGOCD_DIR}"


def object_path(env_name: str, o: dict) -> str:
    meta = o["metadata"]
    folder = meta.get("namespace") or (meta["name"] if o["kind"] == "Namespace" else CLUSTER_DIR)
    return f"{ROOT}/{env_name}/{folder}/{o['kind'].lower()}-{meta['name']}.yaml"


def argocd_object_path(o: dict) -> str:
    return f"{ARGOCD_FOLDER}/{o['kind'].lower()}-{o['metadata']['name']}.yaml"
