"""Argo CD sync waves as data: what an object's kind needs to exist (and be healthy) before it is applied.

Argo CD syncs wave by wave, lowest first, and starts a wave only when every object of the earlier waves is
synced and healthy; within a wave it orders by kind (namespaces first) and name. Objects without the
annotation are in wave 0. So the namespace and its guard rails (quotas, limits, default-deny policies),
then identities and secret stores, then what the workloads read (ExternalSecrets, ConfigMaps, analysis
templates) come before the workloads, which stay in wave 0 and carry no annotation.

``install_order`` in ``order.py`` sorts the files; this table orders the live sync. ``annotate`` is the
pure function a builder applies to each finished object.
"""

from __future__ import annotations

SYNC_WAVE = "argocd.argoproj.io/sync-wave"

WAVES: dict[str, int] = {
    "Namespace": -4,
    "ResourceQuota": -3,
    "LimitRange": -3,
    "NetworkPolicy": -3,
    "ServiceAccount": -2,
    "ClusterRole": -2,
    "ClusterRoleBinding": -2,
    "Role": -2,
    "RoleBinding": -2,
    "ClusterSecretStore": -2,
    "SecretStore": -2,
    "ExternalSecret": -1,
    "Secret": -1,
    "ConfigMap": -1,
    "PersistentVolumeClaim": -1,
    "AnalysisTemplate": -1,
}


def sync_wave(kind: str) -> int | None:
    """The sync wave of ``kind``, or None for wave 0 (workloads and everything that follows them)."""
    return WAVES.get(kind)


def annotate(o: dict) -> dict:
    """A copy of ``o`` whose metadata carries its kind's sync wave; ``o`` itself when the wave is 0.

    Annotations keep their order with the wave added last, and an explicit wave already on the object wins.
    """
    wave = sync_wave(o["kind"])
    meta = o["metadata"]
    if wave is None or SYNC_WAVE in meta.get("annotations", {}):
        return o
    annotations = {**meta.get("annotations", {}), SYNC_WAVE: str(wave)}
    return {**o, "metadata": {**meta, "annotations": annotations}}
