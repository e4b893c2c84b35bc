"""Pure builders: one validated environment in, its Kubernetes objects (plain dicts) out, in install order.

One module per concern: ``namespace``, ``guardrails`` (ResourceQuota, LimitRange), ``identity``
(ServiceAccounts), ``access`` (Role, RoleBinding), ``workloads`` (ConfigMap, pod template, Service),
``containers`` and ``volumes`` (ConfigMap files, claims), ``delivery`` (the workload by kind: Deployment,
Rollout, StatefulSet, DaemonSet, Job, CronJob; AnalysisTemplate), ``scaling`` (PDB, HPA), ``network``
(NetworkPolicies), ``secrets`` (stores, ExternalSecrets), ``traffic`` (Ingress), ``monitoring``
(ServiceMonitor, PrometheusRule; the alert table is data in ``alerts``). ``waves`` adds each kind's
Argo CD sync wave; ``safety`` keeps Namespaces and volumes out of Argo CD's prune and delete.
Nothing here reads files, prints, or mutates its input.
"""

from __future__ import annotations

from generator.builders import (
    access, delivery, guardrails, monitoring, network, safety, scaling, secrets, traffic, volumes, waves, workloads,
)
from generator.builders.identity import service_account
from generator.builders.meta import Context
from generator.builders.namespace import namespace
from generator.builders.order import ordered
from generator.spec import Environment


def build_environment(env_name: str, spec: Environment) -> list[dict]:
    """All objects of one environment, in install order."""
    ctx = Context(env_name=env_name, spec=spec)
    objects = [namespace(ctx), network.default_deny(ctx), guardrails.resource_quota(ctx), guardrails.limit_range(ctx)]
    objects += access.team_bindings(ctx)
    for store_name, store in spec.secret_stores.items():
        objects.extend(secrets.secret_store(ctx, store_name, store))
    edges = network.service_edges(ctx)
    accounts: set[str] = set()
    for name, svc in spec.services.items():
        workload = delivery.workload(ctx, name, svc)
        account = workloads.account_name(name, svc)
        if account not in accounts:
            accounts.add(account)
            objects.append(service_account(
                ctx, account, svc.service_account.role_arn, service=name if account == name else None,
                api_access=svc.access is not None,
            ))
        objects += volumes.config_maps(ctx, name, svc) + volumes.claims(ctx, name, svc)
        objects += [
            access.role(ctx, name, svc),
            access.role_binding(ctx, name, svc),
            workloads.config_map(ctx, name, svc),
            secrets.external_secret(ctx, name, svc),
            workload,
            workloads.service(ctx, name, svc),
            workloads.external_service(ctx, name, svc),
            network.service_policy(ctx, name, edges),
            scaling.disruption_budget(ctx, name, svc),
            scaling.autoscaler(ctx, name, svc, workload),
            delivery.analysis_template(ctx, name, svc),
            traffic.ingress(ctx, name, svc),
            traffic.http_route(ctx, name, svc),
            monitoring.service_monitor(ctx, name, svc),
            monitoring.prometheus_rule(ctx, name, svc),
        ]
    return ordered([safety.protect(waves.annotate(o)) for o in objects if o is not None])
