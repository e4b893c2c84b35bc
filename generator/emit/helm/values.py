"""The Helm chart's values and their schema, both derived from the spec models.

A ``values-<env>.yaml`` is the environment's validated spec, serialized by alias with every default filled
in (so templates hold no defaulting logic) and ``None`` dropped (so templates test presence with
``hasKey``, and 0, "" and [] survive). ``values.schema.json`` is ``Environment``'s JSON schema, so Helm
rejects an unknown or mistyped key in a values file and names it.

Two deliberate differences from the spec:

- Helm holds values in Go maps, which forget key order, while a container's environment and an
  ExternalSecret's data keep the order the spec gives. So a secret source's ``keys`` is a list in the
  values: a name (read from the property of the same name) or a one-entry mapping ``{NAME: property}``.
- The ResourceQuota amounts the spec leaves unset have a default computed from the services
  (``generator.builders.guardrails.computed_quota``); like every other default it is written out, in
  ``quota``. Computing it in Go templates would need Kubernetes quantity parsing, and sprig's float
  functions round in decimal where Python rounds in binary, so the two could disagree by a millicore.

The schema says both.
"""

from __future__ import annotations

from typing import Any

from generator.builders.guardrails import computed_quota
from generator.spec import Environment
from generator.spec.json_schema import environment_schema

_ENV_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
_FILE_NAME = r"^[-._a-zA-Z0-9]+$"
_QUOTA_FIELDS = {
    "requests_cpu": "requests.cpu", "requests_memory": "requests.memory",
    "limits_cpu": "limits.cpu", "limits_memory": "limits.memory", "pods": "pods",
}


ENVIRONMENT_KEY = "environment"


def chart_spec(spec: Environment) -> Environment:
    """The spec the chart deploys: ``spec`` with the quota amounts it leaves unset computed."""
    if not spec.quota.enabled:
        return spec
    computed = computed_quota(spec)
    filled = {
        field: (int(computed[hard]) if field == "pods" else computed[hard])
        for field, hard in _QUOTA_FIELDS.items()
        if getattr(spec.quota, field) is None
    }
    return spec.model_copy(update={"quota": spec.quota.model_copy(update=filled)}) if filled else spec


def values(env_name: str, chart: Environment) -> dict[str, Any]:
    """The values file of one environment: the environment's name, then its full spec with every default
    filled in (``chart``: its ``chart_spec``), keys lists kept in order."""
    data = chart.model_dump(mode="json", by_alias=True, exclude_none=True)
    for service in data["services"].values():
        for source in service.get("secrets", []):
            source["keys"] = [var if var == prop else {var: prop} for var, prop in source["keys"].items()]
    return {ENVIRONMENT_KEY: env_name, **data}


def safe_defaults(system: str) -> dict[str, Any]:
    """``values.yaml``: no services, so the chart alone renders nothing until a values-<env>.yaml is given.

    Only keys every values-<env>.yaml sets again: Helm merges maps key by key, so a default map here
    would leak keys into environments that do not have them.
    """
    return {"system": system, "namespace": system, "services": {}}


def schema(environments: list[str]) -> dict[str, Any]:
    """``values.schema.json``: the spec's JSON schema, with the changes the values need.

    - ``services`` may be empty (the safe defaults); every other constraint stays.
    - A mapping whose keys are constrained by a pattern also rejects keys that do not match it (the JSON
      schema Pydantic writes would let them through unchecked), so a misspelled service name is an error.
    - A secret source's ``keys`` is a list (see the module docstring); its names are file names when the
      source has a ``mountPath``, environment variable names otherwise.
    - The quota amounts say that the generator writes the computed ones.
    """
    result = environment_schema()
    _close_pattern_maps(result)
    result["properties"]["services"].pop("minProperties", None)
    source = result["$defs"]["SecretSource"]
    keys = source["properties"]["keys"]
    source["properties"]["keys"] = {
        "description": keys["description"] + " In Helm values, always a list (Go maps forget order): a name, "
        "or a one-entry mapping {NAME: property}.",
        "type": "array",
        "minItems": 1,
        "items": _key_items(_FILE_NAME),
    }
    source["if"] = {"not": {"required": ["mountPath"]}}
    source["then"] = {"properties": {"keys": {"items": _key_items(_ENV_NAME)}}}
    result["properties"] = {
        ENVIRONMENT_KEY: {
            "description": "The environment these values deploy (the chart holds each environment's objects).",
            "enum": environments,
        },
        **result["properties"],
    }
    quota = result["$defs"]["Quota"]["properties"]
    for key in ("requestsCpu", "requestsMemory", "limitsCpu", "limitsMemory", "pods"):
        quota[key]["description"] += (" In Helm values always set while the quota is enabled: when the spec leaves "
                                      "it unset, the amount the generator computed from the services.")
    return result


def _key_items(pattern: str) -> dict[str, Any]:
    return {
        "anyOf": [
            {"type": "string", "pattern": pattern},
            {
                "type": "object",
                "minProperties": 1,
                "maxProperties": 1,
                "patternProperties": {pattern: {"type": "string", "minLength": 1}},
                "additionalProperties": False,
            },
        ]
    }


def _close_pattern_maps(node: Any) -> None:
    if isinstance(node, dict):
        if "patternProperties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for value in node.values():
            _close_pattern_maps(value)
    elif isinstance(node, list):
        for value in node:
            _close_pattern_maps(value)
