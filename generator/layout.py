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


# The Helm chart, charts/<system>/: what every environment's release reads, and what only one does.
CHARTS = "charts"
CHART_SHARED = ("Chart.yaml", "values.yaml", "values.schema.json", "templates/_helpers.tpl", "templates/guard",
                "templates/shared")
CHART_GUARD = "templates/guard/runs/first/check.yaml"  # Helm renders the deepest templates first
CHART_SHARED_TEMPLATES = "templates/shared"


def chart_environment_paths(env_name: str) -> tuple[str, str]:
    """The values file and the templates folder only environment ``env_name`` reads."""
    return f"values-{env_name}.yaml", f"templates/environments/{env_name}"
