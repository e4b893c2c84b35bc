"""The repository checks, one function each: ``(repository, spec root) -> problems`` (empty: passed).

Each holds for any content of the specs, so a team that edits its environments and re-renders keeps them
green, and each fails on a hand-edited or stale generated file. They read the committed trees as they are
on disk; the real kustomize and Helm come from ``toolchain`` (a missing tool raises ``ToolMissing``).
"""

from __future__ import annotations

from pathlib import Path

import jsonschema

from generator import fileset, pipeline, toolchain, yamlio
from generator.argocd import fleet
from generator.load import SPEC_DIR, load_root
from generator.spec import editor_schema
from generator.validate.committed import validate_tree
from generator.verify.objects import difference, keyed, rendered_objects


def drift(repo: Path, root: Path) -> list[str]:
    """Every committed generated file is byte for byte what the specs render; none is missing or stale."""
    change = fileset.plan(root, pipeline.render(root).files, pipeline.MANAGED)
    return [f"stale: {path} (run `gitops-gen render` and commit the result)" for path in change.changed]


def specs(repo: Path, root: Path) -> list[str]:
    """Every spec file starts with the editor-schema line and is valid under that schema (what editors show)."""
    validator = jsonschema.Draft202012Validator(editor_schema.schema())
    problems = []
    for path in sorted((root / SPEC_DIR).glob("*.yaml")):
        rel = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        if text.split("\n", 1)[0] != editor_schema.MODELINE:
            problems.append(f"{rel}:1: the first line should be `{editor_schema.MODELINE}` (editor completion)")
        for error in validator.iter_errors(yamlio.load(text)):
            where = ".".join(str(p) for p in error.absolute_path)
            problems.append(f"{rel}: {where}: not valid under {editor_schema.FILE_NAME}: {error.message[:200]}")
    return problems


def schemas(repo: Path, root: Path) -> list[str]:
    """Every object under rendered/ validates strictly against its schema and Pod Security `restricted`."""
    count, _, found = validate_tree(root)
    return [str(f) for f in found] or ([] if count else ["rendered/ holds no objects"])


def _trees(root: Path) -> list[tuple[str, str]]:
    """(tree, chart unit) of every rendered tree of the root."""
    return [pair for env in load_root(root) for pair in env.trees()]


def kustomize(repo: Path, root: Path) -> list[str]:
    """`kubectl kustomize overlays/<env>` builds exactly the objects of rendered/<env>/, field by field."""
    problems = []
    for env, _ in _trees(root):
        overlay = root / "overlays" / env
        if not (overlay / "kustomization.yaml").is_file():
            problems.append(f"overlays/{env}/kustomization.yaml is missing")
            continue
        built = keyed(yamlio.load_all(toolchain.kustomize_build(overlay)))
        found = difference(rendered_objects(root, env), built, "kustomize")
        if found:
            problems.append(f"overlays/{env}: {found}")
    return problems


def helm(repo: Path, root: Path) -> list[str]:
    """For every chart under charts/: `helm lint` passes and `helm template -f values-<env>.yaml` renders
    exactly the objects of rendered/<env>/."""
    charts = sorted(p.parent for p in (root / "charts").glob("*/Chart.yaml"))
    if not charts:
        return ["no chart under charts/"]
    problems = []
    for chart in charts:
        rel = chart.relative_to(root).as_posix()
        for env, unit in _trees(root):
            values = chart / f"values-{unit}.yaml"
            if not values.is_file():
                problems.append(f"{rel}/values-{unit}.yaml is missing")
                continue
            problems += [f"{rel}/values-{unit}.yaml: helm lint: {e}" for e in toolchain.helm_lint(chart, values)]
            built = keyed(yamlio.load_all(toolchain.helm_template(chart, values, chart.name)))
            found = difference(rendered_objects(root, env), built, "helm")
            if found:
                problems.append(f"{rel} -f values-{unit}.yaml: {found}")
    return problems


def argocd(repo: Path, root: Path) -> list[str]:
    """Every Argo CD Application, and every Application an ApplicationSet generates, points at a folder of
    this repository holding the tree its source needs."""
    problems = []
    for path in sorted((root / "rendered/argocd").glob("application*-*.yaml")):
        rel = path.relative_to(repo).as_posix()
        o = yamlio.load(path.read_text(encoding="utf-8")) or {}
        for where, app in _applications(o):
            problems += [f"{rel}{where}: {p}" for p in _source_problems(repo, (app.get("spec") or {}).get("source") or {})]
    return problems


def _applications(o: dict) -> list[tuple[str, dict]]:
    """The Application itself, or each one an ApplicationSet's list generator makes (named by cluster)."""
    if o.get("kind") != "ApplicationSet":
        return [("", o)]
    elements = [e for g in o["spec"].get("generators", []) for e in (g.get("list") or {}).get("elements", [])]
    return [(f" (cluster {e.get('cluster')})", fleet.rendered_application(o, e)) for e in elements]


def _source_problems(repo: Path, source: dict) -> list[str]:
    folder = repo / source.get("path", "")
    if "path" not in source or not folder.is_dir():
        return [f"spec.source.path {source.get('path')!r} is no folder of the repository"]
    if "helm" in source:
        needed = ["Chart.yaml", *source["helm"].get("valueFiles", [])]
        return [f"{source['path']}/{n} does not exist" for n in needed if not (folder / n).is_file()]
    if not any(folder.rglob("*.yaml")):
        return [f"{source['path']} holds no YAML file"]
    return []
