"""Validate the committed ``rendered/`` tree as it is on disk (hand edits included), with the same checks
the render applies before writing. Reads files; prints nothing."""

from __future__ import annotations

from pathlib import Path

import yaml

from generator import layout, yamlio
from generator.errors import Finding
from generator.load import load_root
from generator.spec import Environment
from generator.validate import findings

DEFAULT_VERSION = Environment.model_fields["kubernetes_version"].default


def validate_tree(root: Path) -> tuple[int, int, list[Finding]]:
    """(objects checked, files read, findings) for every YAML file under ``root/rendered``."""
    loaded = load_root(root)
    versions = {env.name: env.spec.kubernetes_version for env in loaded}
    versions |= {f"{env.name}/{c.name}": c.spec.kubernetes_version for env in loaded for c in env.clusters}
    base = root / layout.ROOT
    files = sorted(base.rglob("*.yaml")) if base.is_dir() else []
    found: list[Finding] = []
    count = 0
    for path in files:
        rel = path.relative_to(root).as_posix()
        parts = rel.split("/")
        version = versions.get("/".join(parts[1:3]), versions.get(parts[1], DEFAULT_VERSION))
        try:
            documents = [d for d in yamlio.load_all(path.read_text(encoding="utf-8")) if d is not None]
        except (yaml.YAMLError, UnicodeDecodeError) as err:  # a broken committed file is a finding
            found.append(Finding(rel, 0, 0, "", f"cannot parse: {err}"))
            continue
        for document in documents:
            count += 1
            found += findings(rel, document, version)
    return count, len(files), found
