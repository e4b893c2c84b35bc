"""Nothing lost in the cluster: the objects that hold data or everything else (Namespaces, and
PersistentVolumeClaims, standalone or a StatefulSet's ``volumeClaimTemplates``) carry Argo CD's
``Prune=false,Delete=false`` sync options, so neither a prune nor the cascade deletion of a removed
Application or cluster deletes them: a person does, on purpose. StatefulSets keep their claims when
deleted or scaled down unless their spec sets ``whenDeleted``/``whenScaled`` to Delete (Retain by default,
``generator.spec.kinds``).

A post-build step over every built object, whatever builder made it: options already set on an object are
kept (in their order), an earlier ``Prune=`` or ``Delete=`` replaced, and the two added after them.
"""

from __future__ import annotations

SYNC_OPTIONS = "argocd.argoproj.io/sync-options"
KEEP = ("Prune=false", "Delete=false")
PROTECTED_KINDS = frozenset({"Namespace", "PersistentVolumeClaim"})


def protect(o: dict) -> dict:
    """A copy of ``o`` with the data-safety settings its kind needs; ``o`` itself when it needs none."""
    if o["kind"] in PROTECTED_KINDS:
        return keep(o)
    if o["kind"] == "StatefulSet":
        claims = o["spec"].get("volumeClaimTemplates")
        if claims:
            return {**o, "spec": {**o["spec"], "volumeClaimTemplates": [keep(claim) for claim in claims]}}
    return o


def keep(o: dict) -> dict:
    """``o`` with ``Prune=false`` and ``Delete=false`` merged into its sync-options annotation."""
    meta = o.get("metadata", {})
    annotations = meta.get("annotations", {})
    options = [opt.strip() for opt in annotations.get(SYNC_OPTIONS, "").split(",") if opt.strip()]
    ours = {opt.split("=", 1)[0] for opt in KEEP}
    options = [opt for opt in options if opt.split("=", 1)[0] not in ours] + list(KEEP)
    return {**o, "metadata": {**meta, "annotations": {**annotations, SYNC_OPTIONS: ",".join(options)}}}
