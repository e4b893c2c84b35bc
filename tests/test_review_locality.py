"""Local changes stay local: a single-field edit of staging's spec changes only staging's files in every
tree (rendered/, overlays/staging/, values-staging.yaml), never base/ nor anything of uat or production,
because Kustomize base ties go to the environment latest in ``promotionOrder``. And the order itself is
checked across environments."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import review_roots
from generator import pipeline, yamlio
from generator.emit.kustomize import patch_keys
from generator.emit.kustomize import consensus

STAGING_ONLY = ("rendered/staging/", "rendered/argocd/", "overlays/staging/", "charts/shop/values-staging.yaml",
                "charts/shop/templates/environments/staging/")

# Each edit sets one staging field to a value neither uat nor production has, so it cannot form a new
# majority with them (that case legitimately moves base/, and the others' overlays with it).
EDITS = st.one_of(
    st.builds(lambda n: ("image", {"tag": f"3.0.{n}"}), st.integers(0, 99)),
    st.builds(lambda n: ("replicas", n), st.integers(4, 9)),
    st.builds(lambda v: ("env", {"LOG_LEVEL": v}), st.sampled_from(["trace", "warn", "error"])),
    st.builds(lambda k, v: ("env", {"LOG_LEVEL": "debug", k: v}), st.sampled_from(["FEATURE_X", "REGION"]),
              st.text("abcxyz", min_size=1, max_size=5)),
    st.builds(lambda m: ("resources", {"requests": {"cpu": "100m", "memory": "128Mi"},
                                       "limits": {"cpu": "500m", "memory": f"{m}Mi"}}), st.integers(300, 900)),
    st.builds(lambda p: ("probes", {"liveness": {"path": "/healthz"}, "readiness": {"path": f"/ready-{p}"}}),
              st.integers(0, 9)),
    st.builds(lambda s: ("terminationGracePeriodSeconds", s), st.integers(31, 120)),
    st.builds(lambda n: ("egress", [{"to": {"cidr": "10.0.0.0/8"}, "ports": [5432]},
                                    {"to": {"cidr": f"192.168.{n}.0/24"}, "ports": [6379]}]), st.integers(0, 255)),
    st.just(("dns", False)),
    st.just(("security", {"writablePaths": ["/tmp", "/cache"]})),
    st.builds(lambda n: ("disruption", {"maxUnavailable": n}), st.integers(2, 3)),
)


def _tree(root: Path) -> dict[str, str]:
    return pipeline.render(root).files


@pytest.mark.starts_first
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edit=EDITS)
def test_a_staging_edit_touches_no_uat_or_production_path(tmp_path_factory, edit):
    root = review_roots.write(tmp_path_factory.mktemp("shop"))
    before = _tree(root)
    field, value = edit
    staging = yamlio.load((root / "environments/staging.yaml").read_text(encoding="utf-8"))
    staging["services"]["web"][field] = value
    (root / "environments/staging.yaml").write_text(yamlio.dump(staging), encoding="utf-8")
    after = _tree(root)
    changed = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
    assert any(p.startswith("rendered/staging/") for p in changed), f"the edit {edit} changed nothing"
    assert [p for p in changed if not p.startswith(STAGING_ONLY)] == []


def test_the_tie_goes_to_the_environment_latest_in_promotion_order():
    cursor = patch_keys.cursor("1.33", "apps/v1", "Deployment")
    uat = {"spec": {"replicas": 2, "paused": False}}
    staging = {"spec": {"replicas": 1}}
    # values come latest in promotion order first: uat's replicas win the 1-1 tie, and its key stays
    assert consensus([uat, staging], cursor) == {"spec": {"replicas": 2, "paused": False}}
    assert consensus([staging, uat], cursor) == {"spec": {"replicas": 1}}


def test_without_the_order_the_staging_image_bump_would_rewrite_uat(tmp_path):
    """The case from the issue, on the shop root with and without promotionOrder."""
    root = review_roots.write(tmp_path / "shop")
    defaults = root / "environments/_defaults.yaml"
    declared = defaults.read_text(encoding="utf-8")
    before = _tree(root)
    staging = root / "environments/staging.yaml"
    staging.write_text(staging.read_text(encoding="utf-8").replace('"2.1.0"', '"2.2.0"'), encoding="utf-8")
    changed = {p for p, t in _tree(root).items() if before.get(p) != t}
    assert "overlays/staging/patches/deployment-web.yaml" in changed
    assert not any(p.startswith(("base/", "overlays/uat/")) for p in changed)
    # the same root, the order reversed: now staging is "latest" and takes base/ with it
    defaults.write_text(declared.replace("[staging, uat, production]", "[production, uat, staging]"), encoding="utf-8")
    files = _tree(root)
    assert "image: registry.example.com/shop/web:2.2.0" in files["base/deployment-web.yaml"]
    assert "overlays/uat/patches/deployment-web.yaml" in files


def test_environments_must_agree_on_the_order(tmp_path, run_cli):
    root = review_roots.write(tmp_path / "shop", {
        "uat.yaml": review_roots.ENVIRONMENTS["uat.yaml"] + "promotionOrder: [uat, staging, production]\n",
    })
    result = run_cli("render", "--root", str(root))
    assert result.code == 2
    assert result.err.splitlines() == [
        "environments/uat.yaml: promotionOrder: ['uat', 'staging', 'production'] differs from "
        "['staging', 'uat', 'production'] in environments/production.yaml; every environment must share it "
        "(set it once in a shared layer)"
    ]
    assert not (root / "rendered").exists()


def test_a_repeated_environment_is_a_spec_error(tmp_path, run_cli):
    text = review_roots.DEFAULTS.replace("[staging, uat, production]", "[staging, uat, uat, production]")
    root = review_roots.write(tmp_path / "shop", {"_defaults.yaml": text})
    result = run_cli("render", "--root", str(root))
    assert result.code == 2
    assert "environments/_defaults.yaml:3:1: promotionOrder: names uat more than once" in result.err
