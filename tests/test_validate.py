"""Strict schema validation: every rendered object is valid; invalid ones are rejected with their path;
kinds without a schema are errors; the vendored CRD files are the upstream ones (one documented patch)."""

from __future__ import annotations

import copy
import hashlib
import json

import jsonschema
import pytest
from referencing import Registry, Resource

from conftest import REPO, SECURENEXUS, root_id, spec_roots
from generator import pipeline
from generator.validate import schemas

CRDS = REPO / "generator/schemas/crds"
PATCH = ("^(?i)(abort|warn)?$", "^(?i:abort|warn)?$")  # the one documented change (SOURCES.md)


def test_every_rendered_object_validates(root, run_cli):
    assert run_cli("render", "--root", str(root)).code == 0
    outcome = run_cli("validate", "--root", str(root))
    assert outcome.code == 0, outcome.err
    assert outcome.out.startswith("valid: ")
    assert int(outcome.out.split()[1]) > 0


def test_validate_without_rendered_tree_says_so(root, run_cli):
    outcome = run_cli("validate", "--root", str(root))
    assert outcome.code == 2
    assert "rendered/: no such folder: run `gitops-gen render` first" in outcome.err


def _deployment() -> dict:
    built = pipeline.build(SECURENEXUS).environments
    return copy.deepcopy(next(o for env in built for o in env.objects if o["kind"] == "Deployment"))


def test_unknown_field_is_rejected_with_its_path():
    bad = _deployment()
    bad["spec"]["template"]["spec"]["containers"][0]["securityContext"]["privilegd"] = True
    assert schemas.errors(bad, "1.33") == [
        ("spec.template.spec.containers[0].securityContext",
         "Additional properties are not allowed ('privilegd' was unexpected)"),
    ]


def test_wrong_type_is_rejected_with_its_path():
    bad = _deployment()
    bad["spec"]["replicas"] = "two"
    (path, message), = schemas.errors(bad, "1.33")
    assert path == "spec.replicas"
    assert '"two" is not of types "null", "integer"' == message


def test_crd_objects_are_strict_at_the_root_and_in_metadata():
    built = pipeline.build(SECURENEXUS).environments
    external = copy.deepcopy(next(o for o in built[0].objects if o["kind"] == "ExternalSecret"))
    assert schemas.errors(external, "1.33") == []
    external["specc"] = {}
    external["metadata"]["lables"] = {}
    external["spec"]["target"]["creationPolicy"] = "Sometimes"
    found = dict(schemas.errors(external, "1.33"))
    assert "specc" in found[""]
    assert "lables" in found["metadata"]
    assert '"Sometimes" is not one of' in found["spec.target.creationPolicy"]


@pytest.mark.parametrize(
    "obj",
    [
        {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}},
        {"apiVersion": "apps/v1", "kind": "Deploymnt", "metadata": {"name": "w"}},
        {"apiVersion": "external-secrets.io/v1beta1", "kind": "ExternalSecret", "metadata": {"name": "w"}},
    ],
    ids=["unknown-crd", "misspelled-kind", "unserved-version"],
)
def test_a_kind_without_schema_is_an_error(obj):
    (path, message), = schemas.errors(obj, "1.33")
    assert message.startswith("no schema for")


def test_validate_command_reports_a_hand_broken_file_by_path(root, run_cli):
    assert run_cli("render", "--root", str(root)).code == 0
    target = root / "rendered/production/production/service-securenexus.yaml"
    target.write_text(target.read_text().replace("type: ClusterIP", "typ: ClusterIP"), encoding="utf-8")
    outcome = run_cli("validate", "--root", str(root))
    assert outcome.code == 1
    assert outcome.err.startswith("rendered/production/production/service-securenexus.yaml: spec: Additional properties")


def test_render_refuses_to_write_invalid_output(root, run_cli, monkeypatch):
    from generator.builders import workloads

    real = workloads.service

    def broken_service(*args):
        o = real(*args)
        o["spec"]["ports"][0]["port"] = "eighty"
        return o

    monkeypatch.setattr(workloads, "service", broken_service)
    outcome = run_cli("render", "--root", str(root))
    assert outcome.code == 1
    assert "rendered/staging/staging/service-securenexus.yaml: spec.ports[0].port: \"eighty\" is not of type \"integer\"" in outcome.err
    assert not (root / "rendered").exists()


def _git_blob(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def test_vendored_crds_are_the_catalog_files_except_the_documented_patch():
    """Each file, with the documented patch undone, has the catalog's git blob id that SOURCES.md records."""
    sources = (CRDS / "SOURCES.md").read_text()
    for path in sorted(CRDS.rglob("*.json")):
        rel = path.relative_to(CRDS).as_posix()
        data = path.read_bytes()
        if rel == "monitoring.coreos.com/prometheusrule_v1.json":
            original = data.replace(PATCH[1].encode(), PATCH[0].encode())
            assert original != data and PATCH[0].encode() not in data
            data = original
        listed = [line for line in sources.splitlines() if line.startswith(f"| `{rel}` |")]
        assert len(listed) == 1, f"{rel} is not listed in SOURCES.md"
        assert listed[0].endswith(f"| `{_git_blob(data)}` |"), f"{rel} differs from the catalog blob"
        json.loads(path.read_text(encoding="utf-8"))


def _reference_validator(version: str, obj: dict) -> jsonschema.Draft202012Validator:
    registry = Resource.from_contents(schemas.definitions(version)) @ Registry()
    return jsonschema.Draft202012Validator(schemas.schema_for(version, obj["apiVersion"], obj["kind"]), registry=registry)


BREAKAGES = {
    "unknown-field": lambda o: o.setdefault("spec", {}).__setitem__("unexpectedField", 1),
    "wrong-type-in-metadata": lambda o: o["metadata"].__setitem__("labels", ["not", "a", "map"]),
    "unknown-metadata-field": lambda o: o["metadata"].__setitem__("lables", {}),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
@pytest.mark.parametrize("spec_root", spec_roots(), ids=root_id)
def test_fast_validator_agrees_with_the_reference_implementation(spec_root, breakage):
    """jsonschema-rs (used to render) and the pure-Python jsonschema agree on every object, valid or broken."""
    for env in pipeline.build(spec_root).environments:
        version = env.spec.kubernetes_version
        for original in env.objects:
            reference = _reference_validator(version, original)
            assert schemas.errors(original, version) == [] and reference.is_valid(original)
            broken = copy.deepcopy(original)
            BREAKAGES[breakage](broken)
            fast = {path for path, _ in schemas.errors(broken, version)}
            slow = {schemas._path(e.absolute_path) for e in reference.iter_errors(broken)}
            assert fast == slow != set(), (original["kind"], breakage)
