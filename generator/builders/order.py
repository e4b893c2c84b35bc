"""Install order as data (after Helm's kind sorter): objects a workload depends on come first. Kinds the
table does not know go last. Within a kind, objects are ordered by namespace and name."""

from __future__ import annotations

from generator.objectref import ObjectRef

INSTALL_ORDER = (
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodDisruptionBudget",
    "ServiceAccount",
    "ClusterSecretStore",
    "SecretStore",
    "ExternalSecret",
    "Secret",
    "ConfigMap",
    "PersistentVolumeClaim",
    "ClusterRole",
    "ClusterRoleBinding",
    "Role",
    "RoleBinding",
    "Service",
    "DaemonSet",
    "Deployment",
    "Rollout",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "Ingress",
    "HTTPRoute",
    "AnalysisTemplate",
    "ServiceMonitor",
    "PrometheusRule",
    "AppProject",
    "Application",
)
_RANK = {kind: i for i, kind in enumerate(INSTALL_ORDER)}


def sort_key(o: dict) -> tuple:
    ref = ObjectRef.of(o)
    return (_RANK.get(ref.kind, len(_RANK)), ref.kind, ref.namespace, ref.name)


def ordered(objects: list[dict]) -> list[dict]:
    return sorted(objects, key=sort_key)
