"""The committed spec reference is exactly what the models generate and documents every field; the README's
example spec is one the generator accepts."""

from __future__ import annotations

from conftest import REPO
from generator import pipeline
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


def test_the_readme_example_is_a_valid_production_spec(root):
    """The spec the README shows renders as the production environment of the fixture root (whatever a team
    later writes in its own environments/)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("```yaml\n# environments/production.yaml") + len("```yaml\n")
    example = readme[start:readme.index("```\n", start)]
    (root / "environments/production.yaml").write_text(example, encoding="utf-8")
    built = {env.name: env for env in pipeline.build(root).environments}
    kinds = {o["kind"] for o in built["production"].objects}
    assert {"Rollout", "PodDisruptionBudget", "Ingress", "ExternalSecret"} <= kinds
