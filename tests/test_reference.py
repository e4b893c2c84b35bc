"""The committed spec reference is exactly what the models generate, and documents every field."""

from __future__ import annotations

from conftest import REPO
from generator.reference import spec_reference
from generator.spec import Environment


def test_committed_reference_is_current():
    committed = (REPO / "docs/spec-reference.md").read_text(encoding="utf-8")
    assert committed == spec_reference(), "docs/spec-reference.md is stale: run `gitops-gen reference > docs/spec-reference.md`"


def test_every_field_of_every_model_has_a_description():
    schema = Environment.model_json_schema(by_alias=True)
    missing = [
        f"{name}.{key}"
        for name, model in [("Environment", schema), *schema["$defs"].items()]
        for key, prop in model.get("properties", {}).items()
        if not prop.get("description")
    ]
    assert missing == []


def test_readme_shows_the_committed_production_spec():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert (REPO / "environments/production.yaml").read_text(encoding="utf-8") in readme
