"""Where the plain manifests live in a repository: ``rendered/<tree>/<namespace>/<kind>-<name>.yaml``, one
object per file, cluster-scoped objects under ``rendered/<tree>/_cluster/`` (no namespace can start with
'_'), and the Argo CD objects under ``rendered/argocd/``: the Applications and ApplicationSets the
app-of-apps syncs at the top, the AppProjects in ``rendered/argocd/projects/``, which it does not sync
(an administrator applies them).

A tree is an environment (``<env>``), or for an environment on several clusters one of its clusters
(``<env>/<cluster>``); in the Helm chart the same tree is the unit ``<env>`` or ``<env>.<cluster>`` (a
values file name holds no '/'; environment and cluster names hold no '.', so a unit names one tree).

The one definition of these paths: the emitters write there, the committed-tree validation reads there.
"""

from __future__ import annotations

ROOT = "rendered"
CLUSTER_DIR = "_cluster"
ARGOCD_DIR = "argocd"  # reserved: no environment may be named so
ARGOCD_FOLDER = f"{ROOT}/{ARGOCD_DIR}"


PROJECTS_DIR = "projects"


def tree(env: str, cluster: str | None) -> str:
    return f"{env}/{cluster}" if cluster else env


def unit(env: str, cluster: str | None) -> str:
    return f"{env}.{cluster}" if cluster else env


def object_path(env_name: str, o: dict) -> str:
    meta = o["metadata"]
    folder = meta.get("namespace") or (meta["name"] if o["kind"] == "Namespace" else CLUSTER_DIR)
    return f"{ROOT}/{env_name}/{folder}/{o['kind'].lower()}-{meta['name']}.yaml"


def argocd_file_name(kind: str, name: str) -> str:
    """The file of an Argo CD object: ``<kind>-<name>.yaml``, lowercase kind."""
    return f"{kind.lower()}-{name}.yaml"


def argocd_object_path(o: dict) -> str:
    folder = f"{ARGOCD_FOLDER}/{PROJECTS_DIR}" if o["kind"] == "AppProject" else ARGOCD_FOLDER
    return f"{folder}/{argocd_file_name(o['kind'], o['metadata']['name'])}"


# The Helm chart, charts/<system>/: what every environment's release reads, and what only one does.
CHARTS = "charts"
CHART_SHARED = ("Chart.yaml", "values.yaml", "values.schema.json", "templates/_helpers.tpl", "templates/guard",
                "templates/shared")
CHART_GUARD = "templates/guard/runs/first/check.yaml"  # Helm renders the deepest templates first
CHART_SHARED_TEMPLATES = "templates/shared"


def chart_environment_paths(env_name: str) -> tuple[str, str]:
    """The values file and the templates folder only environment ``env_name`` reads."""
    return f"values-{env_name}.yaml", f"templates/environments/{env_name}"
