"""The ApplicationSet of an environment that runs on several clusters.

A list generator with one element per cluster (its name, destination, region, role and the tree it syncs,
all rendered and reviewed in full: the template substitutes only those strings, never object content),
and the RollingSync strategy: every primary cluster is synced and healthy before any standby, and on
removal standbys go first (``deletionOrder: Reverse``). The generated Applications are the plain
environment Application's, one per cluster, labelled with the cluster's name, role and region (what
the steps select on) and its own labels.

RollingSync turns autosync off on the Applications it manages and syncs them itself, respecting the
project's sync windows (Argo CD's Progressive Syncs documentation), so the template carries no
``automated`` policy; the ApplicationSet controller needs ``--enable-progressive-syncs``.
"""

from __future__ import annotations

import json

from generator.argocd.objects import (
    API_VERSION, CASCADE_FINALIZER, GENERATE_PATHS, Placement, Target, _labels, _meta, _sync_policy,
    application_name, cluster_application_name, generate_paths, source,
)

LABEL_PREFIX = "gitops-gen"
ROLE_LABEL = f"{LABEL_PREFIX}/cluster-role"
ROLES = ("primary", "standby")


def element(target: Target, placement: Placement) -> dict[str, str]:
    """The list-generator element of one cluster: every string its Application differs in."""
    cluster = placement.cluster
    where = cluster.destination.name or cluster.destination.server
    src = source(target, placement.name)
    item = {"cluster": placement.name, "destination": where, "region": cluster.region, "role": cluster.role,
            "path": src["path"], "generatePaths": generate_paths(target, placement.name)}
    if "helm" in src:
        item["valuesFile"] = src["helm"]["valueFiles"][0]
    return item


def _source(target: Target) -> dict:
    """The template's source: the cluster's own strings from the element, the rest as in ``source``."""
    src = {**source(target, target.placements[0].name), "path": "{{.path}}"}
    if "helm" in src:
        src["helm"] = {**src["helm"], "valueFiles": ["{{.valuesFile}}"]}
    return src


def _steps(target: Target) -> list[dict]:
    present = {p.cluster.role for p in target.placements}
    return [
        {"matchExpressions": [{"key": ROLE_LABEL, "operator": "In", "values": [role]}]}
        for role in ROLES
        if role in present
    ]


def _own_labels(target: Target) -> str | None:
    """A ``templatePatch`` writing each cluster's labels (the template's and its own) on its Application,
    or None when no cluster has labels of its own. The labels are data of the generator element (JSON,
    quoted), never template text; the patch always holds the template's labels, so it never empties them."""
    if not any(p.cluster.labels for p in target.placements):
        return None
    return (
        "metadata:\n  labels:\n"
        "    {{- range $key, $value := .labels }}\n"
        "    {{ $key | toJson }}: {{ $value | toJson }}\n"
        "    {{- end }}\n"
    )


def _application_labels(target: Target) -> dict[str, str]:
    return {
        **_labels(target.system),
        f"{LABEL_PREFIX}/environment": target.env,
        f"{LABEL_PREFIX}/cluster": "{{.cluster}}",
        ROLE_LABEL: "{{.role}}",
        f"{LABEL_PREFIX}/region": "{{.region}}",
    }


def _fill(value: str, item: dict) -> str:
    """``value`` with each ``{{.key}}`` replaced by the element's string, as the Go template does."""
    for key, text in item.items():
        if isinstance(text, str):
            value = value.replace("{{." + key + "}}", text)
    return value


def applicationset(target: Target) -> dict:
    """The ApplicationSet of one environment on several clusters."""
    s = target.settings
    patch = _own_labels(target)
    elements = [element(target, p) for p in target.placements]
    labels = _application_labels(target)
    if patch:
        elements = [
            {**item, "labels": {**p.cluster.labels, **{k: _fill(v, item) for k, v in labels.items()}}}
            for item, p in zip(elements, target.placements)
        ]
    where = "name" if target.placements[0].cluster.destination.name else "server"
    template = {
        "metadata": {
            "name": cluster_application_name(target, "{{.cluster}}"),
            "labels": labels,
            "annotations": {GENERATE_PATHS: "{{.generatePaths}}"},
            "finalizers": [CASCADE_FINALIZER],
        },
        "spec": {
            "project": target.project,
            "source": _source(target),
            "destination": {where: "{{.destination}}", "namespace": target.namespace},
            "syncPolicy": _sync_policy(s, automated=False),
            "revisionHistoryLimit": 10,
        },
    }
    spec = {
        "goTemplate": True,
        "goTemplateOptions": ["missingkey=error"],
        "generators": [{"list": {"elements": elements}}],
        "strategy": {"type": "RollingSync", "deletionOrder": "Reverse", "rollingSync": {"steps": _steps(target)}},
        "template": template,
        **({"templatePatch": patch} if patch else {}),
    }
    return {"apiVersion": API_VERSION, "kind": "ApplicationSet",
            "metadata": _meta(application_name(target), s, target.system), "spec": spec}


def rendered_application(appset: dict, item: dict) -> dict:
    """The Application Argo CD generates from ``appset`` for one element, substituting ``{{.key}}`` in
    every string as the Go template does for these plain strings (for tests and reviews)."""
    def fill(value):
        if isinstance(value, dict):
            return {k: fill(v) for k, v in value.items()}
        if isinstance(value, list):
            return [fill(v) for v in value]
        return _fill(value, item) if isinstance(value, str) else value
    template = appset["spec"]["template"]
    app = {"apiVersion": API_VERSION, "kind": "Application", **fill(template)}
    app["metadata"] = {**app["metadata"], "namespace": appset["metadata"]["namespace"]}
    app["metadata"]["labels"] = {**app["metadata"]["labels"], **item.get("labels", {})}
    return json.loads(json.dumps(app))
