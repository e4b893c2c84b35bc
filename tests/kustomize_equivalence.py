"""Helpers of the Kustomize tests: the spec roots of the repository, rendering a root into a folder, and
comparing what the real kustomize builds from ``overlays/<env>`` with ``rendered/<env>/`` as parsed data,
reporting the first difference by object and field path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import REPO, copy_root
from generator import fileset, layout, pipeline, toolchain, yamlio
from generator.load import load_root


def spec_roots() -> list[Path]:
    """The repository root and every ``examples/<system>/`` that holds ``environments/``."""
    return [REPO, *sorted(p.parent for p in (REPO / "examples").glob("*/environments") if p.is_dir())]


def root_id(root: Path) -> str:
    return "repo" if root == REPO else root.relative_to(REPO).as_posix()


def environments(root: Path) -> list[str]:
    """Every tree of the root: each environment, or each cluster of a multi-cluster one (``<env>/<cluster>``)."""
    return [layout.tree(env.name, c.name if c else None) for env in load_root(root) for c in (env.clusters or (None,))]


def render_copy(source: Path, target: Path) -> Path:
    """A rendered copy of the spec root ``source`` at ``target`` (specs copied, every tree generated)."""
    copy_root(source, target)
    render_into(target)
    return target


def render_into(root: Path) -> None:
    result = pipeline.render(root)
    fileset.apply(root, fileset.plan(root, result.files, pipeline.MANAGED))


def _identity(o: dict) -> str:
    meta = o.get("metadata") or {}
    where = f"{meta['namespace']}/" if meta.get("namespace") else ""
    return f"{o.get('apiVersion')} {o.get('kind')} {where}{meta.get('name')}"


def by_identity(documents: list[Any]) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for o in documents:
        if o is None:
            continue
        key = _identity(o)
        assert key not in found, f"two objects are {key}"
        found[key] = o
    return found


def rendered_objects(root: Path, env: str) -> dict[str, dict]:
    files = sorted((root / "rendered" / env).rglob("*.yaml"))
    return by_identity([d for p in files for d in yamlio.load_all(p.read_text(encoding="utf-8"))])


def kustomize_objects(directory: Path) -> dict[str, dict]:
    return by_identity(list(yamlio.load_all(toolchain.kustomize_build(directory))))


def first_difference(expected: Any, actual: Any, path: str = "") -> str | None:
    """The first place where two values differ, as 'path: expected X, kustomize gave Y'; None when equal."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in [*expected, *(k for k in actual if k not in expected)]:
            if key not in actual:
                return f"{path}.{key}: expected {expected[key]!r}, missing from kustomize output"
            if key not in expected:
                return f"{path}.{key}: not expected, kustomize gave {actual[key]!r}"
            found = first_difference(expected[key], actual[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(expected, list) and isinstance(actual, list):
        for i, (e, a) in enumerate(zip(expected, actual)):
            found = first_difference(e, a, f"{path}[{i}]")
            if found:
                return found
        if len(expected) != len(actual):
            return f"{path}: expected {len(expected)} elements, kustomize gave {len(actual)}"
        return None
    return None if expected == actual else f"{path or '.'}: expected {expected!r}, kustomize gave {actual!r}"


def object_difference(expected: dict[str, dict], actual: dict[str, dict]) -> str | None:
    """The first difference between two object sets keyed by identity, readable; None when equal."""
    missing = sorted(expected.keys() - actual.keys())
    if missing:
        return f"kustomize does not produce {missing[0]} ({len(missing)} missing)"
    extra = sorted(actual.keys() - expected.keys())
    if extra:
        return f"kustomize produces {extra[0]}, which rendered/ does not hold ({len(extra)} extra)"
    for key in expected:
        found = first_difference(expected[key], actual[key])
        if found:
            return f"{key}: {found}"
    return None


def overlay_difference(root: Path, env: str) -> str | None:
    return object_difference(rendered_objects(root, env), kustomize_objects(root / "overlays" / env))
