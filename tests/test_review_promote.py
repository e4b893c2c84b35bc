"""``gitops-gen promote`` on the shop root: the target's own spec file gets the source's tag and digest
with its comments and layout intact, a second run changes nothing, bad names are exit 2 with nothing
written, and the next render shows the promotion as an ordinary diff of the target alone."""

from __future__ import annotations

import pytest

import review_roots
from conftest import tree
from generator import pipeline
from generator.review import promote

DIGEST = "sha256:" + "ab" * 32


@pytest.fixture
def shop(tmp_path):
    return review_roots.write(tmp_path / "shop")


def test_promote_edits_only_the_tag_line_and_keeps_comments(shop, run_cli):
    production = shop / "environments/production.yaml"
    original = production.read_text(encoding="utf-8")
    result = run_cli("promote", "--from", "staging", "--to", "production", "--root", str(shop))
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == "web: 1.9.3 -> 2.1.0"
    expected = original.replace('      tag: "1.9.3"   # the last promoted release\n', '      tag: "2.1.0"   # the last promoted release\n')
    assert expected != original
    assert production.read_text(encoding="utf-8") == expected
    again = run_cli("promote", "--from", "staging", "--to", "production", "--root", str(shop))
    assert (again.code, again.out) == (0, "nothing to promote: production already runs the images of staging\n")
    assert production.read_text(encoding="utf-8") == expected


def test_promote_into_a_file_that_inherits_the_image_adds_it_there(shop, run_cli):
    staging = shop / "environments/staging.yaml"
    staging.write_text(staging.read_text(encoding="utf-8").replace(
        '      tag: "2.1.0"   # release candidate\n', f'      tag: "2.1.0"   # release candidate\n      digest: {DIGEST}\n'),
        encoding="utf-8")
    uat = shop / "environments/uat.yaml"
    original = uat.read_text(encoding="utf-8")
    others = {p: b for p, b in tree(shop / "environments").items() if p != "uat.yaml"}
    result = run_cli("promote", "--from", "staging", "--to", "uat", "--service", "web", "--root", str(shop))
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == f"web: 2.0.0 -> 2.1.0@{DIGEST}"
    assert uat.read_text(encoding="utf-8") == original.replace(
        "    disruption: {minAvailable: 1}\n",
        f'    disruption: {{minAvailable: 1}}\n    image:\n      tag: "2.1.0"\n      digest: "{DIGEST}"\n')
    assert {p: b for p, b in tree(shop / "environments").items() if p != "uat.yaml"} == others
    # and back: the digest uat now has and staging drops is removed with null
    staging.write_text(staging.read_text(encoding="utf-8").replace(f"      digest: {DIGEST}\n", ""), encoding="utf-8")
    back = run_cli("promote", "--from", "staging", "--to", "uat", "--root", str(shop))
    assert back.out.splitlines()[0] == f"web: 2.1.0@{DIGEST} -> 2.1.0"
    assert f'      tag: "2.1.0"\n      digest:\n' in uat.read_text(encoding="utf-8")  # YAML null: removed
    (env,) = [e for e in pipeline.build(shop).environments if e.name == "uat"]
    assert env.spec.services["web"].image.digest is None


def test_the_next_render_shows_the_promotion_in_the_target_only(shop, run_cli):
    assert run_cli("render", "--root", str(shop)).code == 0
    review_roots.commit_all(shop, "rendered")
    assert run_cli("promote", "--from", "staging", "--to", "production", "--root", str(shop), "--commit").code == 0
    assert review_roots.git(shop, "log", "-1", "--format=%s").strip() == "Promote staging -> production: web 1.9.3 -> 2.1.0"
    assert review_roots.git(shop, "status", "--porcelain") == ""
    diff = run_cli("diff", "--base", "HEAD~1", "--root", str(shop))
    assert diff.out.splitlines()[:3] == [
        "HEAD~1 -> working tree: 1 changed, 0 added, 0 removed",
        "risks:",
        "  low image-changed production Rollout production/web: container web: "
        "registry.example.com/shop/web:1.9.3 -> registry.example.com/shop/web:2.1.0",
    ]
    assert run_cli("render", "--root", str(shop)).code == 0
    changed = review_roots.git(shop, "status", "--porcelain").split()
    assert changed and all("production" in p for p in changed[1::2]), changed


def test_dry_run_writes_nothing(shop, run_cli):
    before = tree(shop)
    result = run_cli("promote", "--from", "staging", "--to", "production", "--dry-run", "--root", str(shop))
    assert result.out.splitlines() == ["web: 1.9.3 -> 2.1.0", "dry run: environments/production.yaml not changed"]
    assert tree(shop) == before


@pytest.mark.parametrize(
    ("args", "error"),
    [
        pytest.param(["--from", "stagin", "--to", "production"],
                     "environments/: --from: unknown environment 'stagin' (environments: production, staging, uat)",
                     id="unknown-source"),
        pytest.param(["--from", "staging", "--to", "prod"],
                     "environments/: --to: unknown environment 'prod' (environments: production, staging, uat)",
                     id="unknown-target"),
        pytest.param(["--from", "staging", "--to", "uat", "--service", "api"],
                     "environments/staging.yaml: services.api: unknown service 'api' in staging (services: web)",
                     id="unknown-service"),
        pytest.param(["--from", "uat", "--to", "uat"],
                     "environments/uat.yaml: --to: promotes to the environment it comes from", id="same-environment"),
    ],
)
def test_bad_names_are_exit_2_and_write_nothing(shop, run_cli, args, error):
    before = tree(shop)
    result = run_cli("promote", *args, "--root", str(shop))
    assert (result.code, result.err.splitlines()[0]) == (2, error)
    assert tree(shop) == before


def test_a_promotion_the_target_refuses_is_exit_2_and_writes_nothing(shop, run_cli):
    staging = shop / "environments/staging.yaml"
    staging.write_text(staging.read_text(encoding="utf-8").replace('"2.1.0"', "latest"), encoding="utf-8")
    before = tree(shop)
    result = run_cli("promote", "--from", "staging", "--to", "production", "--root", str(shop))
    assert result.code == 2
    assert "environments/production.yaml:" in result.err and "latest" in result.err
    assert tree(shop) == before


def test_commit_message_names_the_versions():
    changes = [promote.Promotion("web", ("1.0", None), ("1.1", None)), promote.Promotion("api", ("2", None), ("3", DIGEST))]
    assert promote.message("uat", "production", changes) == f"Promote uat -> production: web 1.0 -> 1.1, api 2 -> 3@{DIGEST}"
