"""Objects of a tree, keyed by identity, and the first readable difference between two sets of them.

The repository checks compare what the real kustomize and Helm build with ``rendered/<env>/`` as parsed
data (never as text): ``keyed`` indexes a YAML stream by apiVersion, kind, namespace and name, and
``difference`` names the first object and field path where two sets disagree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from generator import yamlio


def identity(o: dict) -> str:
    meta = o.get("metadata") or {}
    where = f"{meta['namespace']}/" if meta.get("namespace") else ""
    return f"{o.get('apiVersion')} {o.get('kind')} {where}{meta.get('name')}"


def keyed(documents: Iterable[Any]) -> dict[str, dict]:
    """Objects by identity; ValueError when two documents are the same object."""
    found: dict[str, dict] = {}
    for o in documents:
        if o is None:
            continue
        key = identity(o)
        if key in found:
            raise ValueError(f"two objects are {key}")
        found[key] = o
    return found


def rendered_objects(root: Path, env: str) -> dict[str, dict]:
    """Every object under ``root/rendered/<env>/`` as it is on disk."""
    files = sorted((root / "rendered" / env).rglob("*.yaml"))
    return keyed(d for p in files for d in yamlio.load_all(p.read_text(encoding="utf-8")))


def first_difference(expected: Any, actual: Any, path: str = "", tool: str = "kustomize") -> str | None:
    """The first place where two values differ, as 'path: expected X, <tool> gave Y'; None when equal."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in [*expected, *(k for k in actual if k not in expected)]:
            if key not in actual:
                return f"{path}.{key}: expected {expected[key]!r}, missing from {tool} output"
            if key not in expected:
                return f"{path}.{key}: not expected, {tool} gave {actual[key]!r}"
            found = first_difference(expected[key], actual[key], f"{path}.{key}", tool)
            if found:
                return found
        return None
    if isinstance(expected, list) and isinstance(actual, list):
        for i, (e, a) in enumerate(zip(expected, actual)):
            found = first_difference(e, a, f"{path}[{i}]", tool)
            if found:
                return found
        if len(expected) != len(actual):
            return f"{path}: expected {len(expected)} elements, {tool} gave {len(actual)}"
        return None
    same = expected == actual and type(expected) is type(actual)
    return None if same else f"{path or '.'}: expected {expected!r}, {tool} gave {actual!r}"


def difference(expected: dict[str, dict], actual: dict[str, dict], tool: str = "kustomize") -> str | None:
    """The first difference between two object sets keyed by identity, readable; None when equal."""
    missing = sorted(expected.keys() - actual.keys())
    if missing:
        return f"{tool} does not produce {missing[0]} ({len(missing)} missing)"
    extra = sorted(actual.keys() - expected.keys())
    if extra:
        return f"{tool} produces {extra[0]}, which rendered/ does not hold ({len(extra)} extra)"
    for key in expected:
        found = first_difference(expected[key], actual[key], tool=tool)
        if found:
            return f"{key}: {found}"
    return None
