"""What the loader works out once and shares between environments, or only when a finding needs it, gives
the answers of working everything out every time: the leaf pre-checks never miss a scalar or credential
problem, containers known clean are left out only under the key they were checked under, reused Service
models equal fresh ones and never hide an error, marks built on demand are the marks, the remembered YAML
tags are the resolver's, and the schema folder is found without importing kubernetes-validate."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from importlib import resources
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO
from generator.errors import SpecError
from generator.load import load_root
from generator.spec import Environment, credentials, scalars
from generator.spec.leaves import Leaves
from generator.spec.service_rules import ServiceProblems, service_problems
from generator.validate import schemas
from generator.yamlnodes import parse

# keys and values that reach every rule: credential names and forms, references, exempt image fields,
# patch directives, invisible characters, out-of-range and non-finite numbers
KEYS = st.sampled_from(["image", "digest", "repository", "secrets", "keys", "valueFrom", "env", "DB_PASSWORD",
                        "apiKey", "tokenSecretName", "$patch", "a\u202eb", "name", "x", "AKIAIOSFODNN7EXAMPLE"])
TEXTS = st.sampled_from(["", "plain", "$(DB_PASSWORD)", "AKIAIOSFODNN7EXAMPLE", "postgres://app:s3cr3t@db:5432/app",
                         "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                         "q8Zr2mN5vXw9LpK3tY7hB4cF6gJ1dS0a", "tab\there", "bell\x07", "nel\x85"])
SCALARS = st.one_of(TEXTS, st.sampled_from([0, 2**31, -(2**31) - 1, 1.5, float("nan"), float("inf"), True, None]))
DOCUMENTS = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(KEYS, inner, max_size=4)), max_leaves=20)


@settings(max_examples=400, deadline=None)
@given(DOCUMENTS)
def test_a_document_with_a_problem_is_always_suspect(document):
    leaves = Leaves.of(document)
    assert scalars.suspect(leaves) or not scalars.problems(document)
    assert credentials.suspect(leaves) or not credentials.problems(document)
    assert credentials.secrets_in(document) <= leaves.strings()


def test_a_known_container_is_left_out_only_under_its_own_key():
    shared = {"digest": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}
    first = Leaves.of({"image": shared})
    assert not credentials.suspect(first)  # an image digest is exempt
    again = Leaves.of({"image": shared, "port": 8080}, first.containers)
    assert again.texts == frozenset() and again.numbers == {8080}
    elsewhere = Leaves.of({"sidecar": shared}, first.containers)  # the same mapping where no exemption holds
    assert credentials.suspect(elsewhere)
    assert credentials.problems({"sidecar": shared}) == [
        (("sidecar", "digest"), "looks like a credential (high-entropy hex string); reference it through "
                                "'secrets' (External Secrets) instead")
    ]


DEFAULTS = """\
system: shop
services:
  web:
    image: {repository: registry.example.com/web, tag: 1.4.2}
    port: 8080
    resources:
      requests: {cpu: 100m, memory: 128Mi}
      limits: {cpu: 500m, memory: 256Mi}
    probes:
      liveness: {path: /live}
      readiness: {path: /ready}
  api:
    image: {repository: registry.example.com/api, tag: 2.0.1}
    port: 8080
    resources:
      requests: {cpu: 100m, memory: 128Mi}
      limits: {cpu: 500m, memory: 256Mi}
    probes:
      liveness: {path: /live}
      readiness: {path: /ready}
"""


def shared_root(tmp_path: Path, **own: str) -> Path:
    """Three environments extending one layer (production without the production rules, so that all three
    share every service); ``own`` adds text to an environment's file."""
    folder = tmp_path / "environments"
    folder.mkdir(parents=True)
    (folder / "_defaults.yaml").write_text(DEFAULTS, encoding="utf-8")
    for env in ("production", "staging", "uat"):
        first = "production: false\n" if env == "production" else ""
        (folder / f"{env}.yaml").write_text(f"extends: _defaults.yaml\n{first}{own.get(env, '')}", encoding="utf-8")
    return tmp_path


def test_environments_share_the_service_models_of_their_layer(tmp_path):
    loaded = {e.name: e for e in load_root(shared_root(tmp_path))}
    for name in ("web", "api"):
        assert loaded["uat"].spec.services[name] is loaded["staging"].spec.services[name]
        assert loaded["uat"].spec.services[name] is loaded["production"].spec.services[name]
    for env in loaded.values():  # and each environment is what validating its document alone gives
        fresh = Environment.model_validate({**yaml.safe_load(DEFAULTS), "namespace": env.name,
                                            **({"production": False} if env.name == "production" else {})})
        assert env.spec == fresh
        assert env.spec.model_fields_set == fresh.model_fields_set


def errors(root: Path) -> list[str]:
    with pytest.raises(SpecError) as caught:
        load_root(root)
    return caught.value.lines()


def test_a_reused_service_model_hides_no_error_of_a_later_environment(tmp_path):
    root = shared_root(tmp_path, uat="system: Not-A-Label\nservices:\n  web:\n    replicas: 0\n")
    assert errors(root) == [
        "environments/uat.yaml:2:1: system: must be a DNS-1123 label: lowercase letters, digits and '-', starting "
        "with a letter, at most 63",
        "environments/uat.yaml:5:5: services.web.replicas: Input should be greater than or equal to 1",
    ]


def test_a_clean_shared_layer_hides_no_problem_of_a_later_environment(tmp_path):
    root = shared_root(tmp_path, uat="services:\n  api:\n    env: {DB_PASSWORD: hunter2, NOTE: \"bell\\a\"}\n")
    assert errors(root) == [
        "environments/uat.yaml:4:11: services.api.env.DB_PASSWORD: looks like a credential (its name says so); "
        "reference it through 'secrets' instead of a literal",
        "environments/uat.yaml:4:33: services.api.env.NOTE: the value holds the control or invisible character "
        "U+0007: remove it",
    ]


def test_a_key_removed_by_a_later_layer_is_located_at_its_nearest_written_ancestor(tmp_path):
    root = shared_root(tmp_path, staging="services:\n  web:\n    image: {tag: null}\n")
    assert errors(root) == ["environments/staging.yaml:4:5: services.web.image: an image needs a tag or a digest"]


def test_marks_are_built_on_the_first_lookup_and_are_the_marks():
    data, marks, findings = parse("a:\n  b: 1\n  c: [x, y]\n", "f.yaml")
    assert data == {"a": {"b": 1, "c": ["x", "y"]}} and findings == []
    assert dict(marks) == {
        ("a",): ("f.yaml", 1, 1), ("a", "b"): ("f.yaml", 2, 3), ("a", "c"): ("f.yaml", 3, 3),
        ("a", "c", 0): ("f.yaml", 3, 7), ("a", "c", 1): ("f.yaml", 3, 10),
    }


def test_a_duplicate_key_names_the_line_of_its_first_accepted_occurrence():
    _, _, findings = parse("'<<': 1\n<<: {a: 1}\nb: 2\n'<<': 2\n", "f.yaml")
    assert [str(f) for f in findings] == [
        "f.yaml:2:1: YAML merge keys ('<<') are not supported; use 'extends' to share settings",
        "f.yaml:4:1: <<: duplicate key '<<' (first set on line 1)",
    ]


SCALAR_FORMS = ["~", "null", "yes", "No", "on", "010", "0o17", "0x1F", "1_000", "1:20", "1e3", "1.5", ".inf", "-.inf",
                ".nan", "2001-12-14", "'010'", '"yes"', "!!str 1", "plain text", "=", "<<", "[]", "{}"]


def test_the_remembered_tags_are_the_resolvers():
    text = "".join(f"k{i}: {form}\nl{i}: [{form}, {form}]\n" for i, form in enumerate(SCALAR_FORMS))

    def tags(node):
        children = node.value if isinstance(node, yaml.SequenceNode) else [
            n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else []
        return [node.tag, [tags(child) for child in children]]

    from generator.yamlnodes import _Loader
    assert tags(yaml.compose(text, Loader=_Loader)) == tags(yaml.compose(text, Loader=yaml.SafeLoader))


def test_service_problems_are_worked_out_once_per_model(monkeypatch):
    svc = Environment.model_validate({**yaml.safe_load(DEFAULTS), "namespace": "x"}).services["web"]
    calls = []
    monkeypatch.setattr("generator.spec.service_rules.service_problems",
                        lambda name, s: calls.append(name) or service_problems(name, s))
    memo = ServiceProblems()
    assert memo("web", svc) == memo("web", svc) == list(service_problems("web", svc))
    assert memo("other", svc) == list(service_problems("other", svc))
    assert calls == ["web", "other"]


def test_the_schema_folder_is_found_without_importing_kubernetes_validate(tmp_path):
    assert schemas._package_folder("kubernetes_validate") == Path(str(resources.files("kubernetes_validate")))
    with pytest.raises(ModuleNotFoundError):
        schemas._package_folder("no_such_package_here")
    root = shared_root(tmp_path)
    script = textwrap.dedent(f"""\
        import sys
        from pathlib import Path
        from generator.load import load_root
        load_root(Path({str(root)!r}))
        print(sorted(m for m in ("kubernetes_validate", "jsonschema") if m in sys.modules))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REPO,
                         env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert out.stdout.strip() == "[]"
