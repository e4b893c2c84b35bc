"""Volumes of a service's pods and the objects behind them: an emptyDir per writable path, the mounted
secret files, and the spec's volumes (a ConfigMap per files volume, a PersistentVolumeClaim per claim, or
for a StatefulSet a claim template per pod; emptyDirs with their size limit and medium)."""

from __future__ import annotations

import hashlib
import json

from generator.builders.meta import Context, metadata, obj, xdict
from generator.spec import Service
from generator.spec.service import writable_volume_name
from generator.spec.volumes import Claim, Volume

def files_name(service: str, volume: str) -> str:
    return f"{service}-{volume}"


def claim_name(service: str, volume: str) -> str:
    return f"{service}-{volume}"


def _templated(svc: Service, volume: Volume) -> bool:
    """A StatefulSet's claims are per-pod templates, not standalone claims."""
    return volume.claim is not None and svc.kind == "StatefulSet"


def pod_volumes(name: str, svc: Service, secret_vols: list[dict]) -> list[dict]:
    volumes = [{"name": writable_volume_name(p), "emptyDir": {}} for p in svc.security.writable_paths] + secret_vols
    for vol_name, volume in svc.volumes.items():
        if _templated(svc, volume):
            continue
        if volume.files is not None:
            items = [xdict(key=f, path=f, mode=_mode(spec.mode)) for f, spec in volume.files.items() if spec.mode]
            source = {"configMap": xdict(
                name=files_name(name, vol_name),
                defaultMode=_mode(volume.default_mode),
                items=[xdict(key=f, path=f, mode=_mode(spec.mode)) for f, spec in volume.files.items()] if items else None,
            )}
        elif volume.empty_dir is not None:
            e = volume.empty_dir
            source = {"emptyDir": xdict(medium=e.medium, sizeLimit=e.size_limit)}
        else:
            source = {"persistentVolumeClaim": {"claimName": claim_name(name, vol_name)}}
        volumes.append({"name": vol_name, **source})
    return volumes


def main_mounts(svc: Service, secret_mounts: list[dict]) -> list[dict]:
    mounts = [{"name": writable_volume_name(p), "mountPath": p} for p in svc.security.writable_paths] + secret_mounts
    for vol_name, volume in svc.volumes.items():
        read_only = True if volume.files is not None else volume.read_only
        mounts.append(xdict(name=vol_name, mountPath=volume.mount_path, subPath=volume.sub_path, readOnly=read_only))
    return mounts


def _mode(mode: str | None) -> int | None:
    return int(mode, 8) if mode is not None else None


def config_maps(ctx: Context, name: str, svc: Service) -> list[dict]:
    """One ConfigMap per files volume, its files in spec order."""
    return [
        obj("v1", "ConfigMap", metadata(files_name(name, vol_name), ctx, service=name),
            data={f: spec.content for f, spec in volume.files.items()})
        for vol_name, volume in svc.volumes.items()
        if volume.files is not None
    ]


def files_checksum(svc: Service) -> str | None:
    """A digest of every mounted file, so a changed file rolls the pods (ConfigMap volumes alone do not)."""
    # str() is the content's use in a digest (the Helm chart's tracer pins a value a builder reads so).
    files = {v: {f: str(s.content) for f, s in vol.files.items()} for v, vol in svc.volumes.items() if vol.files}
    return hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest() if files else None


def claims(ctx: Context, name: str, svc: Service) -> list[dict]:
    """Standalone PersistentVolumeClaims (not those of a StatefulSet's templates)."""
    return [
        obj("v1", "PersistentVolumeClaim",
            metadata(claim_name(name, vol_name), ctx, service=name),
            spec=claim_spec(volume.claim))
        for vol_name, volume in svc.volumes.items()
        if volume.claim is not None and not _templated(svc, volume)
    ]


def claim_templates(svc: Service) -> list[dict] | None:
    """A StatefulSet's volumeClaimTemplates, one per claim volume (pod claims are '<volume>-<pod>')."""
    templates = [
        {"metadata": {"name": vol_name}, "spec": claim_spec(volume.claim)}
        for vol_name, volume in svc.volumes.items()
        if _templated(svc, volume)
    ]
    return templates or None


def claim_spec(claim: Claim) -> dict:
    return xdict(
        accessModes=list(claim.access_modes),
        storageClassName=claim.storage_class,
        resources={"requests": {"storage": claim.size}},
    )
