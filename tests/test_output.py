"""The output contracts: deterministic bytes, pruning of exactly the generated files,
drift detection by name, and spec values that can never change YAML structure."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import REPO, tree
from generator import fileset, yamlio

DEPLOYMENT = "rendered/staging/staging/deployment-securenexus.yaml"


def test_render_twice_is_byte_identical(root, run_cli):
    assert run_cli("render", "--root", str(root)).code == 0
    first = tree(root / "rendered")
    outcome = run_cli("render", "--root", str(root))
    assert outcome.code == 0
    assert "0 written, 0 removed" in outcome.out
    assert tree(root / "rendered") == first


@pytest.mark.parametrize(("seed", "locale"), [("0", "C"), ("12345", "C.UTF-8"), ("random", "POSIX")])
def test_output_does_not_depend_on_hash_seed_or_locale(root, tmp_path, seed, locale, run_cli):
    assert run_cli("render", "--root", str(root)).code == 0
    expected = tree(root / "rendered")
    other = tmp_path / "other"
    (other / "environments").mkdir(parents=True)
    # copy the spec files in reverse order, so directory order differs too
    for path in sorted((root / "environments").iterdir(), reverse=True):
        (other / "environments" / path.name).write_bytes(path.read_bytes())
    env = {**os.environ, "PYTHONHASHSEED": seed, "LC_ALL": locale, "LANG": locale}
    subprocess.run([sys.executable, "-m", "generator", "render", "--root", str(other)], check=True, env=env,
                   capture_output=True, cwd=REPO)
    assert tree(other / "rendered") == expected


def test_removed_objects_are_pruned_and_hand_written_files_kept(root, run_cli):
    assert run_cli("render", "--root", str(root)).code == 0
    notes = root / "rendered/staging/NOTES.md"
    notes.write_text("hand-written, not generated\n", encoding="utf-8")
    staging = root / "environments/staging.yaml"
    assert (root / "rendered/staging/staging/ingress-securenexus.yaml").exists()
    text = staging.read_text()
    expose = text[text.index("    expose:\n"):text.index("    env:\n")]
    staging.write_text(text.replace(expose, ""), encoding="utf-8")
    (root / "environments/uat.yaml").unlink()
    outcome = run_cli("render", "--root", str(root))
    assert outcome.code == 0, outcome.err
    assert outcome.err.startswith("warning: stray: rendered/staging/NOTES.md: not produced by gitops-gen")
    assert not (root / "rendered/staging/staging/ingress-securenexus.yaml").exists()
    assert not (root / "rendered/uat").exists()  # files and their emptied folders
    assert notes.read_text() == "hand-written, not generated\n"
    assert (root / DEPLOYMENT).exists()


def test_check_names_every_stale_file_and_writes_nothing(root, run_cli):
    assert run_cli("render", "--root", str(root)).code == 0
    assert run_cli("render", "--check", "--root", str(root)).code == 0
    edited = root / DEPLOYMENT
    edited.write_text(edited.read_text().replace("replicas: 1", "replicas: 5"), encoding="utf-8")
    stale = root / "rendered/staging/staging/configmap-old.yaml"
    stale.write_text(fileset.header("environments/staging.yaml") + "kind: ConfigMap\n", encoding="utf-8")
    (root / "rendered/uat/uat/service-securenexus.yaml").unlink()
    before = tree(root)
    outcome = run_cli("render", "--check", "--root", str(root))
    assert outcome.code == 1
    assert outcome.err.splitlines()[:3] == [
        "drift: rendered/staging/staging/configmap-old.yaml",
        f"drift: {DEPLOYMENT}",
        "drift: rendered/uat/uat/service-securenexus.yaml",
    ]
    assert "run `gitops-gen render`" in outcome.err
    assert tree(root) == before


@pytest.mark.parametrize(
    "value",
    [
        "line one\nline two\n",
        "key: value",
        "---\nkind: Secret",
        "{{ .Values.evil }}",
        "- item",
        "a: b\n---\nc: d",
        "yes",
        "0755",
        "  leading and trailing spaces  ",
        "# not a comment",
        "x\n  indented: true\n",
    ],
)
def test_spec_values_stay_one_string(root, run_cli, value):
    staging = root / "environments/staging.yaml"
    staging.write_text(staging.read_text().replace("APP_ENV: staging", f"APP_ENV: {json.dumps(value)}"))
    assert run_cli("render", "--root", str(root)).code == 0
    config = yamlio.load((root / "rendered/staging/staging/configmap-securenexus-env.yaml").read_text())
    assert config["data"]["APP_ENV"] == value
    assert list(config) == ["apiVersion", "kind", "metadata", "data"]


def test_generated_files_carry_the_header_and_lf_endings(root, run_cli):
    assert run_cli("render", "--root", str(root)).code == 0
    for rel, data in tree(root / "rendered").items():
        text = data.decode("utf-8")
        assert text.startswith(fileset.MARKER + " from environments/"), rel
        assert "\r" not in text, rel
        assert len(list(yamlio.load_all(text))) == 1, rel
