"""Pure builders: one validated environment in, its Kubernetes objects (plain dicts) out, in install order.

One module per concern: ``namespace``, ``identity`` (ServiceAccounts), ``workloads`` (ConfigMap, Deployment, Service),
``scaling`` (PDB, HPA), ``network`` (NetworkPolicies), ``secrets`` (stores, ExternalSecrets).
Nothing here reads files, prints, or mutates its input.
"""

from __future__ import annotations

from generator.build import network, scaling, secrets, workloads
from generator.build.identity import service_account
from generator.build.meta import Context
from generator.build.namespace import namespace
from generator.build.order import ordered
from generator.spec import Environment


def build_environment(env_name: str, spec: Environment) -> list[dict]:
    """All objects of one environment, in install order."""
    ctx = Context(env_name=env_name, spec=spec)
    objects = [namespace(ctx), network.default_deny(ctx)]
    for store_name, store in spec.secret_stores.items():
        objects.extend(secrets.secret_store(ctx, store_name, store))
    edges = network.service_edges(ctx)
    for name, svc in spec.services.items():
        workload = workloads.deployment(ctx, name, svc)
        objects += [
            service_account(ctx, name, svc.service_account.role_arn, service=name),
            workloads.config_map(ctx, name, svc),
            secrets.external_secret(ctx, name, svc),
            workload,
            workloads.service(ctx, name, svc),
            network.service_policy(ctx, name, edges),
            scaling.disruption_budget(ctx, name, svc),
            scaling.autoscaler(ctx, name, svc, workload),
        ]
    return ordered([o for o in objects if o is not None])
