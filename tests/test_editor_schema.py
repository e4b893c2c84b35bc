"""The editor schema (``gitops-gen schema``, committed as ``environments.schema.json`` by every render): a
valid draft 2020-12 schema that accepts every fixture spec file, environments and partial layers alike,
rejects unknown keys, documents every field, and is what each spec file's first line points at."""

from __future__ import annotations

import json

import jsonschema
import pytest

from conftest import FIXTURES
from generator import yamlio
from generator.spec import editor_schema

SPEC_FILES = sorted(FIXTURES.glob("*/environments/*.yaml"))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = editor_schema.schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("path", SPEC_FILES, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_every_fixture_spec_file_is_valid_and_points_at_the_schema(validator, path):
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../environments.schema.json"
    assert [e.message for e in validator.iter_errors(yamlio.load(text))] == []


@pytest.mark.parametrize(
    ("document", "where", "message"),
    [
        pytest.param({"services": {"web": {"replicaz": 2}}}, ["services", "web"], "'replicaz' was unexpected",
                     id="unknown-service-key"),
        pytest.param({"namespce": "x"}, [], "'namespce' was unexpected", id="unknown-top-level-key"),
        pytest.param({"services": {"Web_1": {}}}, ["services"], "'Web_1' does not match any of the regexes", id="service-name-not-a-label"),
        pytest.param({"services": {"web": {"replicas": "2"}}}, ["services", "web", "replicas"], "'2' is not valid",
                     id="string-for-a-number"),
        pytest.param({"extends": 3}, ["extends"], "3 is not", id="extends-not-a-file"),
    ],
)
def test_mistakes_are_rejected_where_they_are(validator, document, where, message):
    best = jsonschema.exceptions.best_match(validator.iter_errors(document))
    assert best is not None, document
    assert (list(best.absolute_path), message in best.message) == (where, True), best.message


@pytest.mark.parametrize(
    "document",
    [
        pytest.param({"services": {"web": {"replicas": 3}}}, id="partial-layer"),
        pytest.param({"extends": ["_a.yaml", "_b.yaml"], "services": {"web": {"disruption": None}}}, id="null-removes"),
        pytest.param({"services": {"web": {"secrets": [{"store": "s", "path": "p", "keys": ["A", "B"]}]}}},
                     id="secret-keys-as-list"),
        pytest.param({"services": {"web": {"secrets": [{"store": "s", "path": "p", "keys": {"A": "a"}}]}}},
                     id="secret-keys-as-mapping"),
    ],
)
def test_layers_may_be_partial(validator, document):
    assert [e.message for e in validator.iter_errors(document)] == []


def test_every_property_carries_its_description():
    schema = editor_schema.schema()
    missing = [f"{name}.{key}" for name, model in [("root", schema), *schema["$defs"].items()]
               for key, prop in model.get("properties", {}).items() if not prop.get("description")]
    assert missing == []
    assert "replicas" in schema["$defs"]["Service"]["properties"]


def test_the_command_prints_the_file_a_render_writes(run_cli, root):
    printed = run_cli("schema")
    assert printed.code == 0
    assert run_cli("render", "--root", str(root)).code == 0
    assert (root / editor_schema.FILE_NAME).read_text(encoding="utf-8") == printed.out
    assert json.loads(printed.out) == editor_schema.schema()
