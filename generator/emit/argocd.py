"""The Argo CD tree: ``rendered/argocd/<kind>-<name>.yaml``, one object per file, beside (never inside)
the environments' folders of ``rendered/``.

The objects are built and validated by the pipeline (``generator.argocd``); this emitter only serializes
them, each with a header naming the spec files it comes from. Nothing when no environment asks for Argo CD.
"""

from __future__ import annotations

from generator import yamlio
from generator.built import BuiltRoot
from generator.fileset import header
from generator.layout import argocd_object_path as object_path


def emit(built: BuiltRoot) -> dict[str, str]:
    """Every Argo CD file; empty when no environment has ``argocd`` settings."""
    files: dict[str, str] = {}
    for a in built.argocd:
        path = object_path(a.object)
        if path in files:
            raise ValueError(f"two Argo CD objects would be written to {path}")
        files[path] = header(a.source) + yamlio.dump(a.object)
    return files
