"""Strict schema validation of Kubernetes objects, offline, pinned to a declared Kubernetes version.

Built-in kinds use the ``*-local-strict`` schemas bundled with the ``kubernetes-validate`` package (the
family kubeconform uses); custom resources use the CRD schemas vendored under ``generator/schemas/crds``,
tightened at the root and on ``metadata`` (see SOURCES.md there). A kind with no schema is an error.
Validators are compiled once per (version, kind) and reused. Validation runs on ``jsonschema-rs`` (about
100x faster than the pure-Python ``jsonschema``, which the tests use as an independent cross-check through
``schema_for`` and ``definitions``).
"""

from __future__ import annotations

import functools
import importlib.util
import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema_rs

_K8S_BASE = "https://kubernetes.io/api/"
_OBJECT_META = _K8S_BASE + "_definitions.json#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
_MAX_MESSAGE = 240


class SchemaMissing(Exception):
    """No schema exists for an object's apiVersion and kind."""


@functools.lru_cache(maxsize=None)
def _package_folder(name: str) -> Path:
    """The folder of the installed package ``name``, found without importing it: the schemas are data files,
    and importing kubernetes-validate would load jsonschema (about 0.15 s) for nothing."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    return Path(next(iter(spec.submodule_search_locations)))


def kubernetes_schemas(version: str):
    """The folder of kubernetes-validate's strict JSON schemas for Kubernetes ``version`` (e.g. '1.33')."""
    folder = _package_folder("kubernetes_validate") / "kubernetes-json-schema" / f"v{version}.0-local-strict"
    if not folder.is_dir():
        raise SchemaMissing(f"kubernetes-validate has no schemas for Kubernetes {version}")
    return folder


def has_version(version: str) -> bool:
    """Whether schemas exist for Kubernetes ``version`` (e.g. '1.33')."""
    try:
        kubernetes_schemas(version)
    except SchemaMissing:
        return False
    return True


def _crd_dir():
    return resources.files("generator") / "schemas" / "crds"


DEFINITIONS_URI = _K8S_BASE + "_definitions.json"


@functools.lru_cache(maxsize=None)
def definitions(version: str) -> dict:
    """The shared Kubernetes definitions every built-in schema refers to (at ``DEFINITIONS_URI``)."""
    return json.loads((kubernetes_schemas(version) / "_definitions.json").read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=None)
def _registry(version: str) -> jsonschema_rs.Registry:
    return jsonschema_rs.Registry([(DEFINITIONS_URI, definitions(version))])


def _split(api_version: str) -> tuple[str, str]:
    group, _, version = api_version.rpartition("/")
    return group, version


@functools.lru_cache(maxsize=None)
def schema_for(version: str, api_version: str, kind: str) -> dict:
    """The strict schema of one kind; raises SchemaMissing when there is none."""
    group, gv = _split(api_version)
    crd = _crd_dir() / group / f"{kind.lower()}_{gv}.json" if group else None
    if crd is not None and crd.is_file():
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "required": ["apiVersion", "kind", "metadata"],
            "properties": {
                "apiVersion": {"const": api_version},
                "kind": {"const": kind},
                "metadata": {"$ref": _OBJECT_META},
                "spec": True,
                "status": True,
            },
            "additionalProperties": False,
            "allOf": [json.loads(crd.read_text(encoding="utf-8"))],
        }
    else:
        suffix = f"-{group.split('.')[0]}" if group else ""
        path = kubernetes_schemas(version) / f"{kind.lower()}{suffix}-{gv}.json"
        if not path.is_file():
            raise SchemaMissing(f"no schema for {kind} {api_version} (Kubernetes {version} or vendored CRDs)")
        schema = json.loads(path.read_text(encoding="utf-8"))
        if not _kind_matches(schema, group, gv, kind):
            raise SchemaMissing(f"no schema for {kind} {api_version} (Kubernetes {version})")
    return schema


@functools.lru_cache(maxsize=None)
def _validator(version: str, api_version: str, kind: str):
    schema = schema_for(version, api_version, kind)
    return jsonschema_rs.Draft202012Validator(schema, registry=_registry(version), validate_formats=False)


def _kind_matches(schema: dict, group: str, version: str, kind: str) -> bool:
    gvks = schema.get("x-kubernetes-group-version-kind") or []
    return any(g.get("group", "") == group and g["version"] == version and g["kind"] == kind for g in gvks)


def errors(obj: Any, kubernetes_version: str) -> list[tuple[str, str]]:
    """Every schema violation of ``obj`` as (field path, message); empty when valid."""
    if not isinstance(obj, dict) or not isinstance(obj.get("apiVersion"), str) or not isinstance(obj.get("kind"), str):
        return [("", "not a Kubernetes object: apiVersion and kind are required strings")]
    try:
        validator = _validator(kubernetes_version, obj["apiVersion"], obj["kind"])
    except SchemaMissing as err:
        return [("", str(err))]
    if validator.is_valid(obj):
        return []
    return sorted({(_path(error.instance_path), _short(error.message)) for error in validator.iter_errors(obj)})


def _path(parts) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _short(message: str) -> str:
    return message if len(message) <= _MAX_MESSAGE else message[: _MAX_MESSAGE - 3] + "..."
