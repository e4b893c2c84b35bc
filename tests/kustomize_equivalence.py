"""Helpers of the Kustomize tests: rendering a fixture root into a folder, and comparing what the real
kustomize builds from ``overlays/<env>`` with ``rendered/<env>/`` through the same comparison the
repository check uses (``generator.verify.objects``)."""

from __future__ import annotations

from pathlib import Path

from conftest import copy_root, root_id, spec_roots  # noqa: F401  (re-exported for the Kustomize tests)
from generator import fileset, pipeline, toolchain, yamlio
from generator.load import load_root
from generator.verify.objects import difference, keyed, rendered_objects


def environments(root: Path) -> list[str]:
    """Every tree of the root: each environment, or each cluster of a multi-cluster one (``<env>/<cluster>``)."""
    return [tree for env in load_root(root) for tree, _ in env.trees()]


def render_into(root: Path) -> None:
    result = pipeline.render(root)
    fileset.apply(root, fileset.plan(root, result.files, pipeline.MANAGED))


def overlay_difference(root: Path, env: str) -> str | None:
    built = keyed(yamlio.load_all(toolchain.kustomize_build(root / "overlays" / env)))
    return difference(rendered_objects(root, env), built, "kustomize")
