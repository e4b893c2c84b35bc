"""Availability objects of one service: PodDisruptionBudget and HorizontalPodAutoscaler (when asked)."""

from __future__ import annotations

from generator.builders.meta import Context, metadata, obj, selector, xdict
from generator.spec import Service


def disruption_budget(ctx: Context, name: str, svc: Service) -> dict | None:
    if svc.disruption is None:
        return None
    d = svc.disruption
    spec = xdict(
        minAvailable=d.min_available,
        maxUnavailable=d.max_unavailable,
        selector={"matchLabels": selector(name)},
        unhealthyPodEvictionPolicy=d.unhealthy_pod_eviction_policy,
    )
    return obj("policy/v1", "PodDisruptionBudget", metadata(name, ctx, service=name), spec=spec)


def autoscaler(ctx: Context, name: str, svc: Service, workload: dict) -> dict | None:
    if svc.autoscaling is None:
        return None
    a = svc.autoscaling
    metrics = [
        {"type": "Resource", "resource": {"name": resource, "target": {"type": "Utilization", "averageUtilization": target}}}
        for resource, target in (("cpu", a.target_cpu_utilization), ("memory", a.target_memory_utilization))
        if target is not None
    ]
    spec = {
        "scaleTargetRef": {"apiVersion": workload["apiVersion"], "kind": workload["kind"], "name": name},
        "minReplicas": a.min_replicas,
        "maxReplicas": a.max_replicas,
        "metrics": metrics,
    }
    return obj("autoscaling/v2", "HorizontalPodAutoscaler", metadata(name, ctx, service=name), spec=spec)
