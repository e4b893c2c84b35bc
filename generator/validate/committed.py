"""Validate the committed ``rendered/`` tree as it is on disk (hand edits included), with the same checks
the render applies before writing, and refuse files in the generated folders that the generator does not
produce (a hand-written AppProject in rendered/argocd/ would be synced by the app-of-apps). Reads files
through ``generator.rootfs`` (no symlink followed, bounded sizes); prints nothing."""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from generator import fileset, layout, pipeline, rootfs, yamlio
from generator.errors import Finding, SpecError
from generator.spec import Environment
from generator.validate import findings

DEFAULT_VERSION = Environment.model_fields["kubernetes_version"].default


def validate_tree(root: Path) -> tuple[int, int, list[Finding]]:
    """(objects checked, files read, findings) for every YAML file under ``root/rendered``."""
    if not (root / layout.ROOT).is_dir():
        raise SpecError([Finding(f"{layout.ROOT}/", 0, 0, "", "no such folder: run `gitops-gen render` first")])
    result = pipeline.render(root)
    versions = {env.tree: env.spec.kubernetes_version for env in result.built.environments}
    found = [
        Finding(rel, 0, 0, "", "not produced by gitops-gen: generated folders hold only generated files")
        for rel in fileset.strays(root, pipeline.MANAGED, result.files)
    ]
    count = files = 0
    root_fd = rootfs.open_root(root)
    try:
        for prefix, names, dir_fd in rootfs.walk(root_fd, layout.ROOT):
            for name in names:
                if not name.endswith(".yaml"):
                    continue
                rel = f"{prefix}/{name}"
                files += 1
                parts = rel.split("/")  # rendered/<env>/..., or rendered/<env>/<cluster>/...
                version = versions.get("/".join(parts[1:3]), versions.get(parts[1], DEFAULT_VERSION))
                try:
                    text = rootfs.read_at(dir_fd, name, rel, fileset.MAX_GENERATED_BYTES).decode("utf-8")
                    documents = [d for d in yamlio.load_all(text) if d is not None]
                except (OSError, yaml.YAMLError, UnicodeDecodeError, RecursionError) as err:
                    found.append(Finding(rel, 0, 0, "", f"cannot read: {err}"))
                    continue
                for document in documents:
                    count += 1
                    found += findings(rel, document, version)
    finally:
        os.close(root_fd)
    return count, files, found
