"""Pure builders of the Argo CD objects: the environments' AppProject, one Application per environment
(``fleet`` builds the ApplicationSet of an environment on several clusters from the same pieces), and the
root app-of-apps (with its own narrow AppProject) that keeps all of them in sync.

Inputs are validated settings and the objects already built for each environment (the project allows
exactly the kinds those objects have); outputs are plain dicts in conventional key order. Whether the
settings agree across environments is ``checks``' job, not this module's.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.builders.meta import MANAGED_BY, obj, xdict
from generator.builders.waves import SYNC_WAVE
from generator.built import ArgoObject
from generator import layout
from generator.layout import ARGOCD_FOLDER as FOLDER
from generator.layout import CHART_SHARED, CHARTS, argocd_file_name
from generator.spec.argocd import IN_CLUSTER, ArgoCD, Destination
from generator.spec.clusters import Cluster

API_VERSION = "argoproj.io/v1alpha1"
CASCADE_FINALIZER = "resources-finalizer.argocd.argoproj.io"
# CreateNamespace=false: every tree carries its own hardened Namespace object (labels included).
# ServerSideApply: no last-applied annotation, so large objects fit and field ownership is tracked.
# PruneLast: removed objects go only after the new ones are healthy. FailOnSharedResource: refuse to take
# over an object another Application already manages.
SYNC_OPTIONS = ("CreateNamespace=false", "PruneLast=true", "ServerSideApply=true", "FailOnSharedResource=true")
# Which commits refresh an Application: only those touching these paths (';'-separated, '/' = repository
# root). Without it every commit to the monorepo refreshes every Application (argo-cd #18969).
GENERATE_PATHS = "argocd.argoproj.io/manifest-generate-paths"


@dataclass(frozen=True)
class Placement:
    """One cluster of a multi-cluster environment and the objects built for it."""

    name: str
    cluster: Cluster
    objects: tuple[dict, ...]


@dataclass(frozen=True)
class Target:
    """One environment as Argo CD sees it: its name, system, namespace, settings and built objects (of
    every cluster), and for an environment on several clusters, each cluster with its own objects."""

    env: str
    system: str
    namespace: str
    settings: ArgoCD
    objects: tuple[dict, ...]
    placements: tuple[Placement, ...] = ()

    @property
    def project(self) -> str:
        return self.settings.project or self.system


def application_name(target: Target) -> str:
    """``<project>-<env>``: unique in the Argo CD namespace, and never the root's name (``<project>``).
    For an environment on several clusters, the name of its ApplicationSet."""
    return f"{target.project}-{target.env}"


def cluster_application_name(target: Target, cluster: str) -> str:
    """``<project>-<env>-<cluster>``: the Application the ApplicationSet generates for one cluster."""
    return f"{application_name(target)}-{cluster}"


def _labels(system: str) -> dict[str, str]:
    return {"app.kubernetes.io/part-of": system, **MANAGED_BY}


def _meta(name: str, settings: ArgoCD, system: str, annotations: dict | None = None) -> dict:
    return xdict(name=name, namespace=settings.namespace, labels=_labels(system), annotations=annotations)


def _destination(destination: Destination, namespace: str) -> dict:
    cluster = {"name": destination.name} if destination.name else {"server": destination.server}
    return {**cluster, "namespace": namespace}


def _group_kinds(objects, *, namespaced: bool) -> list[dict]:
    pairs = {
        (o["apiVersion"].rpartition("/")[0], o["kind"])
        for o in objects
        if bool(o["metadata"].get("namespace")) == namespaced
    }
    return [{"group": group, "kind": kind} for group, kind in sorted(pairs)]


def _sync_policy(settings: ArgoCD, *, automated: bool) -> dict:
    retry = settings.retry
    policy = {"automated": {"prune": True, "selfHeal": True}} if automated else {}
    return {
        **policy,
        "syncOptions": list(SYNC_OPTIONS),
        "retry": {
            "limit": retry.limit,
            "backoff": {"duration": retry.duration, "factor": retry.factor, "maxDuration": retry.max_duration},
        },
    }


def _in_repo(settings: ArgoCD, folder: str) -> str:
    """A folder of the spec root as a path inside the repository."""
    return f"{settings.path}/{folder}" if settings.path else folder


def source(target: Target, cluster: str | None = None) -> dict:
    """Where the Application of the environment (or of one of its clusters) reads its tree: the rendered
    folder, the overlay, or the chart with the tree's values file (``generator.layout``)."""
    s = target.settings
    tree, unit = layout.tree(target.env, cluster), layout.unit(target.env, cluster)
    base = {"repoURL": s.repo_url, "targetRevision": s.target_revision}
    if s.source == "kustomize":
        return {**base, "path": _in_repo(s, f"overlays/{tree}")}
    if s.source == "helm":
        helm = {"releaseName": target.system, "valueFiles": [layout.chart_environment_paths(unit)[0]]}
        return {**base, "path": _in_repo(s, f"{CHARTS}/{target.system}"), "helm": helm}
    return {**base, "path": _in_repo(s, f"rendered/{tree}"), "directory": {"recurse": True}}


def generate_paths(target: Target, cluster: str | None = None) -> str:
    """Exactly what the Application of the environment (or of one of its clusters) reads: its rendered
    folder; its overlay and the base; or the chart without the other trees' values files and templates."""
    s = target.settings
    tree, unit = layout.tree(target.env, cluster), layout.unit(target.env, cluster)
    if s.source == "kustomize":
        folders = [f"overlays/{tree}", "base"]
    elif s.source == "helm":
        chart = f"{CHARTS}/{target.system}"
        folders = [f"{chart}/{name}" for name in (*CHART_SHARED, *layout.chart_environment_paths(unit))]
    else:
        folders = [f"rendered/{tree}"]
    return ";".join("/" + _in_repo(s, folder) for folder in folders)


def project(targets: list[Target]) -> dict:
    """The environments' AppProject: this repository only, the namespaces the environments' objects live in
    on their clusters only, and only the kinds those objects have (cluster-scoped and namespaced apart)."""
    first = targets[0]
    objects = [o for t in targets for o in t.objects]
    destinations = sorted({
        tuple(_destination(where, namespace).items())
        for t in targets
        for where, placed in _placed(t)
        for namespace in {t.namespace, *(o["metadata"].get("namespace") or t.namespace for o in placed)}
    })
    windows = [window for t in targets for window in _sync_windows(t)]
    spec = {
        "description": f"Environments of {first.system}, generated by gitops-gen from environments/.",
        "sourceRepos": [first.settings.repo_url],
        "destinations": [dict(d) for d in destinations],
        "clusterResourceWhitelist": _group_kinds(objects, namespaced=False),
        "namespaceResourceWhitelist": _group_kinds(objects, namespaced=True),
        "orphanedResources": {"warn": True},
        **({"syncWindows": windows} if windows else {}),
    }
    meta = _meta(first.project, first.settings, first.system, annotations={SYNC_WAVE: "-1"})
    return obj(API_VERSION, "AppProject", meta, spec=spec)


def application(target: Target) -> dict:
    """The Application of one environment: its tree, its destination, auto-sync unless the spec says no.
    The cascade finalizer deletes the environment's objects when its Application is removed."""
    s = target.settings
    meta = _meta(application_name(target), s, target.system, annotations={GENERATE_PATHS: generate_paths(target)})
    meta["finalizers"] = [CASCADE_FINALIZER]
    spec = {
        "project": target.project,
        "source": source(target),
        "destination": _destination(s.destination, target.namespace),
        "syncPolicy": _sync_policy(s, automated=s.auto_sync),
        "revisionHistoryLimit": 10,
    }
    return obj(API_VERSION, "Application", meta, spec=spec)


def _placed(target: Target) -> list[tuple[Destination, tuple[dict, ...]]]:
    """Each cluster the target deploys to, with the objects it deploys there."""
    if target.placements:
        return [(p.cluster.destination, p.objects) for p in target.placements]
    return [(target.settings.destination, target.objects)]


def _sync_windows(target: Target) -> list[dict]:
    """The target's sync windows, each for exactly its Applications (one per cluster)."""
    apps = [cluster_application_name(target, p.name) for p in target.placements] or [application_name(target)]
    return [
        {
            "kind": w.kind, "schedule": w.schedule, "duration": w.duration, "applications": apps,
            "manualSync": w.manual_sync, "timeZone": w.time_zone,
        }
        for w in target.settings.sync_windows or ()
    ]


def root_project(targets: list[Target]) -> dict:
    """The root's AppProject: this repository, and only Applications (and ApplicationSets when an
    environment runs on several clusters) in Argo CD's namespace. Never AppProjects: a project that may
    create projects may create a wildcard one, so the projects (``rendered/argocd/projects/``) are applied
    by whoever administers Argo CD, not synced from git."""
    first = targets[0]
    s = first.settings
    kinds = ["Application", *(["ApplicationSet"] if any(t.placements for t in targets) else [])]
    spec = {
        "description": f"The app-of-apps of {first.system}: Argo CD objects generated in {FOLDER}/.",
        "sourceRepos": [s.repo_url],
        "destinations": [{"server": IN_CLUSTER, "namespace": s.namespace}],
        "clusterResourceWhitelist": [],
        "namespaceResourceWhitelist": [{"group": "argoproj.io", "kind": kind} for kind in kinds],
    }
    meta = _meta(root_project_name(first), s, first.system, annotations={SYNC_WAVE: "-1"})
    return obj(API_VERSION, "AppProject", meta, spec=spec)


OWN_KINDS = ("Application", "ApplicationSet")


def root_project_name(target: Target) -> str:
    return f"{target.project}-argocd"


def root_application(targets: list[Target]) -> dict:
    """The app-of-apps: syncs the generated Applications and ApplicationSets at the top of
    ``rendered/argocd/`` (itself included; never ``projects/``), named one by one, so a file added to the
    folder by hand is never synced. Applied once by an administrator, after the projects; from then on
    every Application change arrives through git."""
    first = targets[0]
    s = first.settings
    own = [("ApplicationSet" if t.placements else "Application", application_name(t)) for t in targets]
    files = sorted(argocd_file_name(kind, name) for kind, name in [("Application", first.project), *own])
    include = "{" + ",".join(files) + "}"
    spec = {
        "project": root_project_name(first),
        "source": {
            "repoURL": s.repo_url, "targetRevision": s.target_revision, "path": _in_repo(s, FOLDER),
            "directory": {"recurse": False, "include": include},
        },
        "destination": {"server": IN_CLUSTER, "namespace": s.namespace},
        "syncPolicy": _sync_policy(s, automated=True),
        "revisionHistoryLimit": 10,
    }
    meta = _meta(first.project, s, first.system, annotations={GENERATE_PATHS: "/" + _in_repo(s, FOLDER)})
    return obj(API_VERSION, "Application", meta, spec=spec)


def build(targets: list[Target]) -> list[dict]:
    """Every Argo CD object: the two projects first (sync wave -1), then the root and environment apps
    (an ApplicationSet for an environment on several clusters)."""
    from generator.argocd.fleet import applicationset  # fleet builds on this module's pieces

    return [
        project(targets),
        root_project(targets),
        root_application(targets),
        *(applicationset(t) if t.placements else application(t) for t in targets),
    ]


def attributed(targets: list[Target], sources: dict[str, str]) -> list[ArgoObject]:
    """``build``'s objects, each with the spec files it comes from: an environment's Application its own
    spec, the shared objects every deployed environment's."""
    shared = ", ".join(sorted(sources[t.env] for t in targets))
    own = {application_name(t): sources[t.env] for t in targets}
    return [
        ArgoObject(o, own.get(o["metadata"]["name"], shared) if o["kind"] in OWN_KINDS else shared)
        for o in build(targets)
    ]
