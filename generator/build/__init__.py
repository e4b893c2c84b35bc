"""Pure builders: one validated environment in, its Kubernetes objects (plain dicts) out, in install order.

One module per concern: ``namespace``, ``guardrails`` (ResourceQuota, LimitRange), ``identity``
(ServiceAccounts), ``access`` (Role, RoleBinding), ``workloads`` (ConfigMap, pod template, Service),
``delivery`` (Deployment or Rollout, AnalysisTemplate), ``scaling`` (PDB, HPA), ``network``
(NetworkPolicies), ``secrets`` (stores, ExternalSecrets), ``traffic`` (Ingress), ``monitoring``
(ServiceMonitor, PrometheusRule; the alert table is data in ``alerts``). ``waves`` adds each kind's
Argo CD sync wave; ``safety`` keeps Namespaces and volumes out of Argo CD's prune and delete.
Nothing here reads files, prints, or mutates its input.
"""

from __future__ import annotations

from generator.build import access, delivery, guardrails, monitoring, network, safety, scaling, secrets, traffic, waves, workloads
from generator.build.identity import service_account
from generator.build.meta import Context
from generator.build.namespace import namespace
from generator.build.order import ordered
from generator.spec import Environment


def build_environment(env_name: str, spec: Environment) -> list[dict]:
    """All objects of one environment, in install order."""
    ctx = Context(env_name=env_name, spec=spec)
    objects = [namespace(ctx), network.default_deny(ctx), guardrails.resource_quota(ctx), guardrails.limit_range(ctx)]
    objects += access.team_bindings(ctx)
    for store_name, store in spec.secret_stores.items():
        objects.extend(secrets.secret_store(ctx, store_name, store))
    edges = network.service_edges(ctx)
    for name, svc in spec.services.items():
        workload = delivery.workload(ctx, name, svc)
        objects += [
            service_account(ctx, name, svc.service_account.role_arn, service=name, api_access=svc.access is not None),
            access.role(ctx, name, svc),
            access.role_binding(ctx, name, svc),
            workloads.config_map(ctx, name, svc),
            secrets.external_secret(ctx, name, svc),
            workload,
            workloads.service(ctx, name, svc),
            network.service_policy(ctx, name, edges),
            scaling.disruption_budget(ctx, name, svc),
            scaling.autoscaler(ctx, name, svc, workload),
            delivery.analysis_template(ctx, name, svc),
            traffic.ingress(ctx, name, svc),
            monitoring.service_monitor(ctx, name, svc),
            monitoring.prometheus_rule(ctx, name, svc),
        ]
    return ordered([safety.protect(waves.annotate(o)) for o in objects if o is not None])
