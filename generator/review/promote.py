"""``gitops-gen promote``: copy each service's image (tag and digest) from one environment's merged spec
into another environment's own spec file, so that only that environment changes.

``plan`` compares the two merged specs and lists what would change; ``edit`` writes those values into the
target file's text with ruamel.yaml's round-trip mode, which keeps comments, key order, quoting and flow
style (PyYAML, the project's emitter for generated files, would drop every comment). A value the shared
layer gives and the source does not have (a digest) is removed with ``null``, the loader's removal rule.
``verify`` loads a temporary copy of the specs with the edited file before anything is written; reading
and writing the real file is ``cli``'s.
"""

from __future__ import annotations

import io
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString
from ruamel.yaml.util import load_yaml_guess_indent

from generator.errors import Finding, SpecError
from generator.load import SPEC_DIR, LoadedEnvironment, load_root

FIELDS = ("tag", "digest")


@dataclass(frozen=True)
class Promotion:
    """One service's image in the target before and after (tag and digest; None when unset)."""

    service: str
    old: tuple[str | None, str | None]
    new: tuple[str | None, str | None]

    def line(self) -> str:
        """``service: old -> new``, each as tag@digest."""
        return f"{self.service}: {_ref(self.old)} -> {_ref(self.new)}"


def _ref(image: tuple[str | None, str | None]) -> str:
    tag, digest = image
    return "@".join(part for part in (tag, digest) if part) or "unset"


def _environment(envs: Sequence[LoadedEnvironment], name: str, option: str) -> LoadedEnvironment:
    for env in envs:
        if env.name == name:
            return env
    known = ", ".join(sorted(e.name for e in envs))
    raise SpecError([Finding("environments/", 0, 0, option, f"unknown environment {name!r} (environments: {known})")])


def plan(envs: Sequence[LoadedEnvironment], source: str, target: str, services: Sequence[str] = ()) -> tuple[LoadedEnvironment, list[Promotion]]:
    """The target environment and every image change that promoting ``services`` (default: all the
    source's services that the target also runs) from ``source`` to ``target`` makes."""
    src, dst = _environment(envs, source, "--from"), _environment(envs, target, "--to")
    if src.name == dst.name:
        raise SpecError([Finding(dst.source, 0, 0, "--to", "promotes to the environment it comes from")])
    chosen = list(services) or [s for s in src.spec.services if s in dst.spec.services]
    missing = [
        Finding(env.source, 0, 0, f"services.{s}", f"unknown service {s!r} in {env.name} (services: {', '.join(env.spec.services)})")
        for s in chosen for env in (src, dst) if s not in env.spec.services
    ]
    if missing:
        raise SpecError(missing)
    changes = []
    for name in chosen:
        a, b = src.spec.services[name].image, dst.spec.services[name].image
        new, old = (a.tag, a.digest), (b.tag, b.digest)
        if new != old:
            changes.append(Promotion(name, old, new))
    return dst, changes


def edit(text: str, changes: Sequence[Promotion]) -> str:
    """The target spec file's ``text`` with each promoted tag and digest set under
    ``services.<name>.image``; everything else, comments included, as it was."""
    data, indent, block_seq_indent = load_yaml_guess_indent(text)
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    # the guess is the sequences' indent and their dashes' offset; mappings indent by the difference
    sequence, offset = indent or 2, block_seq_indent or 0
    yaml.indent(mapping=sequence - offset if offset else sequence, sequence=sequence, offset=offset)
    data = yaml.load(text) if data is not None else CommentedMap()
    for change in changes:
        image = _child(_child(_child(data, "services"), change.service), "image")
        for field, old, new in zip(FIELDS, change.old, change.new):
            if new is not None:
                image[field] = _like(image.get(field), new)
            elif old is not None:
                image[field] = None  # null removes it, whichever layer set it
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _child(parent: CommentedMap, key: str) -> CommentedMap:
    if not isinstance(parent.get(key), dict):
        parent[key] = CommentedMap()
    return parent[key]


def _like(previous, value: str):
    """``value`` in the quoting of the value it replaces (double quotes for a new one: tags like "1.20")."""
    if isinstance(previous, SingleQuotedScalarString):
        return SingleQuotedScalarString(value)
    if previous is None or isinstance(previous, DoubleQuotedScalarString):
        return DoubleQuotedScalarString(value)
    return value


def verify(root: Path, rel: str, text: str, source: str, target: str, services: Sequence[str]) -> None:
    """Load the root as it would be with ``text`` as ``rel`` (in a temporary copy of its specs) and
    check the promotion is complete there; raise SpecError with the findings otherwise."""
    with tempfile.TemporaryDirectory(prefix="gitops-gen-promote-") as folder:
        copy = Path(folder)
        shutil.copytree(root / SPEC_DIR, copy / SPEC_DIR, symlinks=True)
        (copy / rel).write_text(text, encoding="utf-8")
        _, left = plan(load_root(copy), source, target, services)
    if left:
        raise SpecError([Finding(rel, 0, 0, f"services.{p.service}.image", f"still {p.line()} after the edit") for p in left])


def message(source: str, target: str, changes: Sequence[Promotion]) -> str:
    """A commit message naming the versions: 'Promote staging -> production: web 1.9.3 -> 2.1.0'."""
    return f"Promote {source} -> {target}: " + ", ".join(c.line().replace(":", "", 1) for c in changes)
