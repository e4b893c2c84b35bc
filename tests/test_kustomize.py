"""The Kustomize tree is the same deployment as rendered/: for every environment of every spec root, and of
spec variants written to temporary roots, the real kustomize (``kubectl kustomize overlays/<env>``) builds
exactly the objects of ``rendered/<env>/``, compared as parsed data (the repository's own committed trees
are checked by `gitops-gen test`). ``render --check`` covers base/ and
overlays/ (drift by name, pruning, determinism)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

from conftest import REPO, SECURENEXUS, copy_root, tree
from generator import yamlio
from kustomize_equivalence import environments, overlay_difference, root_id, spec_roots

CASES = [pytest.param(r, env, id=f"{root_id(r)}-{env}") for r in spec_roots() for env in environments(r)]


@pytest.fixture
def rendered_roots(shared_renders) -> dict[Path, Path]:
    """Each fixture spec root, copied and rendered into a temporary folder (once per session)."""
    return {r: shared_renders(r)[0] for r in spec_roots()}


@pytest.mark.parametrize(("spec_root", "env"), CASES)
def test_overlay_builds_to_rendered_environment(shared_renders, spec_root, env):
    assert overlay_difference(shared_renders(spec_root)[0], env) is None


# --- variants: spec edits that exercise every kind of difference --------------------------------------------

def _worker() -> dict:
    return {
        "image": {"repository": "registry.example.com/worker", "tag": "2.0.1"},
        "port": 9000,
        "resources": {"requests": {"cpu": "50m", "memory": "64Mi"}, "limits": {"cpu": "250m", "memory": "256Mi"}},
        "probes": {"liveness": {"path": "/live"}, "readiness": {"path": "/ready"}},
        "ingress": [{"from": {"service": "securenexus"}, "ports": [9000]}],
    }


def _service(spec: dict, name: str = "securenexus") -> dict:
    return spec.setdefault("services", {}).setdefault(name, {})


def service_only_in_production(specs):
    # production rules: two replicas and a disruption budget
    _service(specs["production"], "worker").update(_worker(), replicas=2, disruption={"minAvailable": 1})


def field_differs_in_one_env(specs):
    _service(specs["uat"]).update(replicas=3, terminationGracePeriodSeconds=45)
    _service(specs["uat"])["probes"] = {"liveness": {"path": "/live", "timeoutSeconds": 9}, "readiness": {"path": "/ready"}}


def lists_grow(specs):
    keys = specs["production"]["services"]["securenexus"]["secrets"][0]["keys"]
    keys.append("STRIPE_KEY")
    _service(specs["staging"])["egress"] = [
        {"to": {"cidr": "10.0.0.0/8"}, "ports": [5432, 6379]},
        {"to": {"cidr": "0.0.0.0/0"}, "ports": [443]},
        {"to": {"namespace": "monitoring"}, "ports": [9090]},
    ]
    _service(specs["staging"])["security"] = {"writablePaths": ["/tmp", "/var/cache/app"]}


def lists_shrink_and_reorder(specs):
    uat = specs["uat"]["services"]["securenexus"]["secrets"][0]
    uat["keys"] = ["DATABASE_URL", "AWS_REGION"]
    production = specs["production"]["services"]["securenexus"]["secrets"][0]
    production["keys"] = ["AWS_REGION", "S3_BUCKET_NAME", "DATABASE_URL", "SESSION_SECRET"]
    _service(specs["staging"])["ingress"] = [{"from": {"cidr": "10.0.0.0/8"}, "ports": [5000]}]


def object_removed_in_one_env(specs):
    _service(specs["staging"])["secrets"] = []
    _service(specs["uat"])["disruption"] = {"minAvailable": 1}


def cluster_scoped_custom_kind(specs):
    for spec in specs.values():
        spec.setdefault("secretStores", {})["aws-secrets-manager"] = {
            "kind": "ClusterSecretStore",
            "aws": {"region": "us-east-1", "roleArn": "arn:aws:iam::123456789012:role/securenexus-external-secrets"},
        }
    specs["staging"]["secretStores"]["aws-secrets-manager"]["refreshInterval"] = "15m"


def one_environment_in_another_namespace(specs):
    specs["uat"]["namespace"] = "securenexus-uat"
    specs["uat"]["namespaceLabels"] = {"istio-injection": "enabled"}


VARIANTS: list[Callable[[dict], None]] = [
    service_only_in_production,
    field_differs_in_one_env,
    lists_grow,
    lists_shrink_and_reorder,
    object_removed_in_one_env,
    cluster_scoped_custom_kind,
    one_environment_in_another_namespace,
]


def _write_variant(root: Path, edit: Callable[[dict], None]) -> None:
    folder = root / "environments"
    specs = {p.stem: yamlio.load(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("[!_]*.yaml"))}
    edit(specs)
    for name, spec in specs.items():
        (folder / f"{name}.yaml").write_text(yamlio.dump(spec), encoding="utf-8")


def _variant_root(shared_renders, tmp_path: Path, edit: Callable[[dict], None]) -> Path:
    """The rendered variant, one render per session (both tests below only read it)."""
    specs = copy_root(SECURENEXUS, tmp_path / f"specs-{edit.__name__}")
    _write_variant(specs, edit)
    return shared_renders(specs)[0]


@pytest.mark.parametrize("edit", [pytest.param(v, id=v.__name__) for v in VARIANTS])
def test_variant_overlays_build_to_rendered(shared_renders, tmp_path, edit):
    root = _variant_root(shared_renders, tmp_path, edit)
    differences = {env: overlay_difference(root, env) for env in environments(root)}
    assert differences == {env: None for env in differences}


def test_variants_exercise_what_they_claim(shared_renders, tmp_path):
    """The variants reach the overlay features they are meant to test (else the equivalence proves little)."""
    seen = {}
    for edit in VARIANTS:
        root = _variant_root(shared_renders, tmp_path, edit)
        seen[edit.__name__] = {p.relative_to(root / "overlays").as_posix(): p.read_text() for p in (root / "overlays").rglob("*.yaml")}
    assert "production/resources/deployment-worker.yaml" in seen["service_only_in_production"]
    # staging and uat alone have the Deployment: the 1-1 tie goes to uat (later in promotionOrder), so the
    # base holds uat's fields and staging's overlay patches its own back
    differs = seen["field_differs_in_one_env"]
    assert "replicas: 1" in differs["staging/patches/deployment-securenexus.yaml"]
    assert "uat/patches/deployment-securenexus.yaml" not in differs
    assert "$patch: delete" in seen["object_removed_in_one_env"]["staging/patches/externalsecret-securenexus.yaml"]
    # the shrunk list reaches some overlay as element deletions (which one depends on the base's majority)
    shrink = seen["lists_shrink_and_reorder"]
    assert any("$patch: delete" in text for path, text in shrink.items() if path.endswith("patches/deployment-securenexus.yaml"))
    assert "PatchTransformer" in seen["cluster_scoped_custom_kind"][
        "production/transformers/cluster-scoped-clustersecretstore-aws-secrets-manager.yaml"]
    assert "namespace: securenexus-uat" in seen["one_environment_in_another_namespace"]["uat/transformers/namespace.yaml"]


# --- render --check covers base/ and overlays/ ---------------------------------------------------------------

def test_check_reports_a_hand_edited_overlay_file_by_name(root, run_cli):
    assert run_cli("render", "--root", str(root)).code == 0
    patch = sorted((root / "overlays/production/patches").glob("*.yaml"))[0]
    patch.write_text(patch.read_text() + "# hand edit\n", encoding="utf-8")
    outcome = run_cli("render", "--root", str(root), "--check")
    assert outcome.code == 1
    assert patch.relative_to(root).as_posix() in outcome.err
    assert "base/" not in outcome.err


def test_check_reports_a_missing_base_file(root, run_cli):
    assert run_cli("render", "--root", str(root)).code == 0
    (root / "base/service-securenexus.yaml").unlink()
    outcome = run_cli("render", "--root", str(root), "--check")
    assert outcome.code == 1
    assert "base/service-securenexus.yaml" in outcome.err


def test_removed_environment_loses_its_overlay_and_hand_written_files_stay(root, run_cli):
    assert run_cli("render", "--root", str(root)).code == 0
    notes = root / "overlays/uat/NOTES.md"
    notes.write_text("hand-written\n", encoding="utf-8")
    (root / "environments/uat.yaml").unlink()
    assert run_cli("render", "--root", str(root)).code == 0
    assert [p.relative_to(root).as_posix() for p in (root / "overlays/uat").rglob("*") if p.is_file()] == [
        "overlays/uat/NOTES.md"
    ]
    for env in ("production", "staging"):
        assert overlay_difference(root, env) is None


def test_kustomize_tree_is_byte_identical_across_hash_seeds_and_file_order(root, tmp_path, run_cli):
    assert run_cli("render", "--root", str(root)).code == 0
    expected = {k: v for k, v in tree(root).items() if k.startswith(("base/", "overlays/"))}
    other = tmp_path / "other"
    (other / "environments").mkdir(parents=True)
    for path in sorted((root / "environments").iterdir(), reverse=True):
        (other / "environments" / path.name).write_bytes(path.read_bytes())
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    subprocess.run([sys.executable, "-m", "generator", "render", "--root", str(other)], check=True, env=env,
                   capture_output=True, cwd=REPO)
    assert {k: v for k, v in tree(other).items() if k.startswith(("base/", "overlays/"))} == expected
    assert run_cli("render", "--root", str(root)).out.count("0 written, 0 removed") == 1


def test_every_kustomize_file_carries_the_generated_header_naming_its_specs(rendered_roots):
    for rendered in rendered_roots.values():
        for path in [*(rendered / "base").rglob("*.yaml"), *(rendered / "overlays").rglob("*.yaml")]:
            first = path.read_text(encoding="utf-8").splitlines()[0]
            assert first.startswith("# Generated by gitops-gen from environments/"), path


def test_overlays_use_no_costly_or_renaming_shorthands(rendered_roots):
    for rendered in rendered_roots.values():
        for path in (rendered / "overlays").rglob("kustomization.yaml"):
            kustomization = yamlio.load(path.read_text(encoding="utf-8"))
            assert not {"images", "namespace", "replicas", "patchesJson6902", "vars"} & kustomization.keys(), path
