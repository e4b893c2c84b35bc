"""Secrets by reference only: SecretStores (AWS with its IRSA ServiceAccount, or Vault with the
ServiceAccount it logs in as), one ExternalSecret per service that syncs the keys it names into one Secret,
and the secretKeyRef variables or read-only files that read it.
No secret value ever appears in a spec or a manifest."""

from __future__ import annotations

from generator.builders.identity import service_account
from generator.builders.meta import Context, metadata, obj, xdict
from generator.spec import SecretStore, Service

ESO_API = "external-secrets.io/v1"


def secret_name(service: str) -> str:
    return f"{service}-secrets"


def secret_env(name: str, svc: Service) -> list[dict]:
    """One env var per secret key of the sources that are not mounted, read from the synced Secret."""
    return [
        {"name": key, "valueFrom": {"secretKeyRef": {"name": secret_name(name), "key": key}}}
        for source in svc.secrets
        if source.mount_path is None
        for key in source.keys
    ]


def secret_volumes(name: str, svc: Service) -> tuple[list[dict], list[dict]]:
    """Volumes and read-only mounts for the sources mounted as files (one file per key)."""
    volumes, mounts = [], []
    for index, source in enumerate(svc.secrets):
        if source.mount_path is None:
            continue
        volume = f"secret-{index}"
        items = [{"key": key, "path": key} for key in source.keys]
        volumes.append({"name": volume, "secret": {"secretName": secret_name(name), "items": items}})
        mounts.append({"name": volume, "mountPath": source.mount_path, "readOnly": True})
    return volumes, mounts


def secret_store(ctx: Context, name: str, store: SecretStore) -> list[dict]:
    """The store object and, when it has an IRSA role, the ServiceAccount it authenticates as."""
    if not store.create:
        return []
    namespaced = store.kind == "SecretStore"
    ref = xdict(name=name, namespace=None if namespaced else ctx.namespace)
    objects = []
    if store.vault:
        v = store.vault
        objects.append(service_account(ctx, name, None))
        auth = {"kubernetes": {"mountPath": v.auth_mount_path, "role": v.role, "serviceAccountRef": ref}}
        provider = {"vault": {"server": v.server, "path": v.path, "version": v.version, "auth": auth}}
    else:
        aws = store.aws
        auth = None
        if aws.role_arn:
            objects.append(service_account(ctx, name, aws.role_arn))
            auth = {"jwt": {"serviceAccountRef": ref}}
        provider = {"aws": xdict(service=aws.service, region=aws.region, auth=auth)}
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
