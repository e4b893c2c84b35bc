"""Secrets by reference only: SecretStores (with their IRSA ServiceAccount), one ExternalSecret per service
that syncs the keys it names into a Secret of the same name, and the secretKeyRef variables that read it.
No secret value ever appears in a spec or a manifest."""

from __future__ import annotations

from generator.build.identity import service_account
from generator.build.meta import Context, metadata, obj, xdict
from generator.spec import SecretStore, Service

ESO_API = "external-secrets.io/v1"


def secret_name(service: str) -> str:
    return f"{service}-secrets"


def secret_env(name: str, svc: Service) -> list[dict]:
    """One env var per secret key, read from the service's synced Secret."""
    return [
        {"name": key, "valueFrom": {"secretKeyRef": {"name": secret_name(name), "key": key}}}
        for source in svc.secrets
        for key in source.keys
    ]


def secret_store(ctx: Context, name: str, store: SecretStore) -> list[dict]:
    """The store object and, when it has an IRSA role, the ServiceAccount it authenticates as."""
    if not store.create:
        return []
    aws = store.aws
    objects = []
    auth = None
    if aws.role_arn:
        objects.append(service_account(ctx, name, aws.role_arn))
        ref = xdict(name=name, namespace=ctx.namespace if store.kind == "ClusterSecretStore" else None)
        auth = {"jwt": {"serviceAccountRef": ref}}
    provider = {"aws": xdict(service=aws.service, region=aws.region, auth=auth)}
    namespaced = store.kind == "SecretStore"
    objects.append(obj(ESO_API, store.kind, metadata(name, ctx, namespaced=namespaced), spec={"provider": provider}))
    return objects


def external_secret(ctx: Context, name: str, svc: Service) -> dict | None:
    """One ExternalSecret for all of a service's secret keys; keys from a second store name it per item."""
    if not svc.secrets:
        return None
    stores = ctx.spec.secret_stores
    first = svc.secrets[0].store
    data = []
    for source in svc.secrets:
        for key, prop in source.keys.items():
            item = {"secretKey": key, "remoteRef": {"key": source.path, "property": prop}}
            if source.store != first:
                item["sourceRef"] = {"storeRef": {"name": source.store, "kind": stores[source.store].kind}}
            data.append(item)
    spec = {
        "refreshInterval": stores[first].refresh_interval,
        "secretStoreRef": {"name": first, "kind": stores[first].kind},
        "target": {"name": secret_name(name), "creationPolicy": "Owner"},
        "data": data,
    }
    return obj(ESO_API, "ExternalSecret", metadata(name, ctx, service=name), spec=spec)
