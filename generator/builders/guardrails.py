"""Namespace guard rails: a ResourceQuota sized from the services (peak pods x requests and limits, plus
headroom) unless the spec gives amounts, and a LimitRange with defaults for containers that set none."""

from __future__ import annotations

import math
from decimal import ROUND_CEILING, Decimal

from generator.builders.meta import Context, metadata, obj
from generator.spec import Environment, Service
from generator.spec.common import cpu_millicores, memory_bytes


def peak_pods(svc: Service) -> int:
    """Most pods at once: the steady-state maximum plus the rollout surge (Deployments, Rollouts and
    DaemonSets surge; a StatefulSet replaces pods one by one), and for a CronJob that may overlap its
    previous run (concurrencyPolicy Allow or Replace) two runs."""
    if svc.kind in ("Job", "CronJob"):
        overlap = 2 if svc.kind == "CronJob" and svc.cron.concurrency_policy != "Forbid" else 1
        return svc.max_pods * overlap
    if svc.kind == "StatefulSet":
        return svc.max_pods
    surge = svc.rolling_update.max_surge
    extra = math.ceil(svc.max_pods * int(surge[:-1]) / 100) if isinstance(surge, str) else surge
    return svc.max_pods + extra


def pod_amount(svc: Service, pick, unit) -> Decimal:
    """What one pod reserves of an amount: its main container and sidecars together, or more while the
    largest init container runs next to the sidecars started before it (Kubernetes' effective request)."""
    sidecars = [c for c in svc.init_containers if c.sidecar]
    running = unit(pick(svc.resources)) + sum(unit(pick(c.resources)) for c in sidecars)
    started = Decimal(0)
    largest_init = Decimal(0)
    for c in svc.init_containers:
        if c.sidecar:
            started += unit(pick(c.resources))
        else:
            largest_init = max(largest_init, started + unit(pick(c.resources)))
    return max(running, largest_init)


def _ceil(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_CEILING))


def _cpu(millicores: Decimal) -> str:
    whole = _ceil(millicores)
    return str(whole // 1000) if whole % 1000 == 0 else f"{whole}m"


def _memory(size: Decimal) -> str:
    mib = _ceil(size / 2**20)
    return f"{mib // 1024}Gi" if mib % 1024 == 0 else f"{mib}Mi"


def computed_quota(spec: Environment) -> dict[str, str]:
    """The quota amounts from the services, in exact decimal arithmetic (quantities never pass through float)."""
    factor = 1 + Decimal(spec.quota.headroom_percent) / 100
    pods = {name: peak_pods(svc) for name, svc in spec.services.items()}

    def total(pick, unit) -> Decimal:
        return sum((pods[name] * pod_amount(svc, pick, unit) for name, svc in spec.services.items()), Decimal(0)) * factor

    return {
        "requests.cpu": _cpu(total(lambda r: r.requests.cpu, cpu_millicores)),
        "requests.memory": _memory(total(lambda r: r.requests.memory, memory_bytes)),
        "limits.cpu": _cpu(total(lambda r: r.limits.cpu, cpu_millicores)),
        "limits.memory": _memory(total(lambda r: r.limits.memory, memory_bytes)),
        "pods": str(_ceil(sum(pods.values()) * factor)),
    }


def resource_quota(ctx: Context) -> dict | None:
    q = ctx.spec.quota
    if not q.enabled:
        return None
    given = {
        "requests.cpu": q.requests_cpu, "requests.memory": q.requests_memory,
        "limits.cpu": q.limits_cpu, "limits.memory": q.limits_memory,
        "pods": str(q.pods) if q.pods is not None else None,
    }
    computed = computed_quota(ctx.spec) if None in given.values() else {}
    hard = {k: computed[k] if v is None else v for k, v in given.items()}
    return obj("v1", "ResourceQuota", metadata("compute", ctx), spec={"hard": hard})


def limit_range(ctx: Context) -> dict | None:
    lr = ctx.spec.limit_range
    if not lr.enabled:
        return None
    limit = {
        "type": "Container",
        "default": {"cpu": lr.default_limit_cpu, "memory": lr.default_limit_memory},
        "defaultRequest": {"cpu": lr.default_request_cpu, "memory": lr.default_request_memory},
    }
    return obj("v1", "LimitRange", metadata("container-defaults", ctx), spec={"limits": [limit]})
