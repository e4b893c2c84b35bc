"""``argocd.argoproj.io/manifest-generate-paths``: each Application is refreshed by exactly the generated
files it syncs, for every source tree and with the spec root inside a monorepo folder, so a commit to one
environment does not refresh the others. Matching is Argo CD's: a changed file counts when it is a named
path or lies inside one (paths starting with '/' are from the repository root)."""

from __future__ import annotations

import pytest

import review_roots
from generator import pipeline, yamlio
from generator.argocd.objects import GENERATE_PATHS

ENVS = ("staging", "uat", "production")


def refreshes(annotation: str, changed: str) -> bool:
    """Argo CD's rule (util/app/path AppFilesHaveChanged) for absolute paths."""
    return any(changed == p.lstrip("/") or changed.startswith(p.lstrip("/") + "/") for p in annotation.split(";"))


def reads(source: str, env: str, path: str) -> bool:
    """Does the ``env`` Application's source read this generated file (spec-root-relative)?"""
    if source == "rendered":
        return path.startswith(f"rendered/{env}/")
    if source == "kustomize":
        return path.startswith((f"overlays/{env}/", "base/"))
    chart = "charts/shop/"
    other_values = path.startswith(chart + "values-") and path != f"{chart}values-{env}.yaml"
    other_templates = path.startswith(chart + "templates/environments/") and not path.startswith(
        f"{chart}templates/environments/{env}/")
    return path.startswith(chart) and not other_values and not other_templates and path != chart + "README.md"


@pytest.mark.parametrize("folder", ["", "deploy/shop"], ids=["repository-root", "monorepo-folder"])
@pytest.mark.parametrize("source", ["rendered", "kustomize", "helm"])
def test_each_application_is_refreshed_by_exactly_what_it_syncs(tmp_path, source, folder):
    settings = f"  source: {source}\n" + (f"  path: {folder}\n" if folder else "")
    defaults = review_roots.DEFAULTS.replace("  targetRevision: main\n", f"  targetRevision: main\n{settings}")
    root = review_roots.write(tmp_path / "shop", {"_defaults.yaml": defaults})
    files = pipeline.render(root).files
    prefix = f"{folder}/" if folder else ""
    generated = [p for p in files if not p.startswith("rendered/argocd/")]
    assert any(p.startswith("charts/shop/templates/") for p in generated)
    for env in ENVS:
        app = yamlio.load(files[f"rendered/argocd/application-shop-{env}.yaml"])
        annotation = app["metadata"]["annotations"][GENERATE_PATHS]
        for named in annotation.split(";"):  # each names a generated file or folder
            assert any(refreshes(named, prefix + p) for p in generated), named
        wrong = [p for p in generated if refreshes(annotation, prefix + p) != reads(source, env, p)]
        assert wrong == [], f"{env}: {annotation}"
        # a commit to another environment's spec-driven files leaves this one alone
        others = [p for p in generated for other in ENVS if other != env and f"/{other}/" in f"/{p}"]
        assert others and not any(refreshes(annotation, prefix + p) for p in others)
    root_app = yamlio.load(files["rendered/argocd/application-shop.yaml"])
    assert root_app["metadata"]["annotations"][GENERATE_PATHS] == f"/{prefix}rendered/argocd"
