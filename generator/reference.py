"""The spec reference (docs/spec-reference.md), generated from the Pydantic models' JSON schema.

One table per model: YAML key, type, default and the field's own description, so the reference cannot
drift from what the loader accepts. Pure: returns markdown text; jinja2 lays it out.
"""

from __future__ import annotations

import json
from typing import Any

import jinja2

from generator.spec.json_schema import environment_schema

_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("generator", "templates"),
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
    autoescape=False,
)


def _anchor(name: str) -> str:
    return name.lower()


def _type(prop: dict | bool) -> str:
    if prop is True or prop == {}:  # any value (a spec layer, e.g. a cluster's overrides)
        return "any"
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#{_anchor(name)})"
    if "anyOf" in prop:
        return " or ".join(_type(p) for p in prop["anyOf"])
    if "enum" in prop:
        return " \\| ".join(f"`{v}`" for v in prop["enum"])
    if "const" in prop:
        return f"`{prop['const']}`"
    kind = prop.get("type", "any")
    if kind == "array":
        return f"list of {_type(prop.get('items', {}))}"
    if kind == "object":
        patterned = list(prop.get("patternProperties", {}).values())
        values = patterned[0] if patterned else prop.get("additionalProperties", {"type": "any"})
        keys = "name" if patterned else "string"
        return f"map of {keys} to {_type(values)}"
    return {"integer": "integer", "string": "string", "boolean": "boolean", "null": "null"}.get(kind, kind)


def _constraints(prop: dict) -> str:
    parts = []
    for key, label in (("minimum", ">="), ("maximum", "<="), ("minLength", "min length"), ("minItems", "min items"),
                       ("minProperties", "min entries")):
        if key in prop:
            parts.append(f"{label} {prop[key]}")
    if "pattern" in prop:
        parts.append(f"pattern `{prop['pattern']}`")
    for option in prop.get("anyOf", []):
        extra = _constraints(option)
        if extra:
            parts.append(extra)
    return "; ".join(parts)


def _default(prop: dict, required: bool) -> str:
    if "x-default" in prop:
        return prop["x-default"]
    if required:
        return "**required**"
    if "default" not in prop:
        return ""
    return f"`{json.dumps(prop['default'])}`"


def _rows(model: dict) -> list[dict[str, Any]]:
    required = set(model.get("required", []))
    rows = []
    for key, prop in model.get("properties", {}).items():
        description = prop.get("description", "")
        constraints = _constraints(prop)
        rows.append({
            "key": key,
            "type": _type(prop),
            "default": _default(prop, key in required),
            "description": (description + (f" ({constraints})" if constraints else "")).replace("\n", " "),
        })
    return rows


def spec_reference() -> str:
    """Markdown reference of every spec model, the environment first, then the others alphabetically."""
    schema = environment_schema()
    models = [("Environment", schema)] + sorted(schema.get("$defs", {}).items())
    sections = [
        {"name": name, "anchor": _anchor(name), "doc": (model.get("description") or "").strip(), "rows": _rows(model)}
        for name, model in models
    ]
    return _TEMPLATES.get_template("spec-reference.md.j2").render(sections=sections)
