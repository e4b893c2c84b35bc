"""Helpers of the Helm tests: rendering a root into a temporary folder, the objects of a rendered/<env>/
tree and of a `helm template` run (either engine), keyed for comparison, and a readable diff."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from generator import fileset, pipeline, toolchain, yamlio
from generator.emit import helm
from generator.objectref import ObjectRef

REPO = Path(__file__).resolve().parent.parent

Key = ObjectRef


def render_into(specs: Path, target: Path) -> tuple[Path, pipeline.Result]:
    """Copy ``specs``/environments to ``target`` and render every tree there."""
    shutil.copytree(specs / "environments", target / "environments")
    result = pipeline.render(target)
    fileset.apply(target, fileset.plan(target, result.files, pipeline.MANAGED))
    return target, result


def chart_dir(root: Path, result: pipeline.Result) -> Path:
    return root / helm.ROOT / result.built.system


def keyed(documents) -> dict[Key, dict]:
    objects: dict[Key, dict] = {}
    for document in documents:
        if document is None:
            continue
        ref = ObjectRef.of(document)
        assert ref not in objects, f"{ref} appears twice"
        objects[ref] = document
    return objects


def rendered_objects(root: Path, env: str) -> dict[Key, dict]:
    """The objects of a chart unit's tree: ``<env>``, or ``<env>.<cluster>`` at rendered/<env>/<cluster>/."""
    files = sorted((root / "rendered" / env.replace(".", "/")).rglob("*.yaml"))
    assert files, f"nothing under rendered/{env}"
    return keyed(d for p in files for d in yamlio.load_all(p.read_text(encoding="utf-8")))


def helm_objects(chart: Path, env: str, engine: str, values: Path | None = None, **options) -> dict[Key, dict]:
    values = values or chart / f"values-{env}.yaml"
    return keyed(yamlio.load_all(toolchain.helm_template(chart, values, chart.name, engine=engine, **options)))


def differences(got: dict[Key, dict], want: dict[Key, dict]) -> list[str]:
    """Every difference, as 'object: field path: helm value != rendered value'."""
    found = [f"{k}: only in helm output" for k in sorted(got.keys() - want.keys())]
    found += [f"{k}: missing from helm output" for k in sorted(want.keys() - got.keys())]
    for k in sorted(got.keys() & want.keys()):
        found += [f"{k}: {path}: {g!r} != {w!r}" for path, g, w in _diff(got[k], want[k], "")]
    return found


def changed_fields(before: dict[Key, dict], after: dict[Key, dict]) -> set[tuple[str, str, str]]:
    """(kind, name, field path) of every field that differs between two object sets with the same keys."""
    assert before.keys() == after.keys()
    return {(k[1], k[3], path.lstrip(".")) for k in before for path, _, _ in _diff(after[k], before[k], "")}


def _diff(got: Any, want: Any, path: str):
    if isinstance(got, dict) and isinstance(want, dict):
        for k in sorted(got.keys() | want.keys(), key=str):
            yield from _diff(got.get(k, "<absent>"), want.get(k, "<absent>"), f"{path}.{k}")
    elif isinstance(got, list) and isinstance(want, list) and len(got) == len(want):
        for i, (g, w) in enumerate(zip(got, want)):
            yield from _diff(g, w, f"{path}[{i}]")
    elif got != want or type(got) is not type(want):
        yield path or ".", got, want


def assert_equivalent(root: Path, chart: Path, envs, engine: str) -> None:
    problems = []
    for env in envs:
        problems += [f"{env}: {d}" for d in differences(helm_objects(chart, env, engine), rendered_objects(root, env))]
    assert not problems, "helm template differs from rendered/:\n" + "\n".join(problems[:40])
