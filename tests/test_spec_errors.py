"""Every kind of bad input gives `file:line:col: field: message`, all problems at once, exit code 2,
no traceback, and no file changed."""

from __future__ import annotations

import pytest

from conftest import tree

STAGING = "environments/staging.yaml"
DEFAULTS = "environments/_defaults.yaml"

# (id, file to write, its new text, expected fragment of an error line)
CASES = [
    pytest.param(STAGING, "extends: _defaults.yaml\nservices: [\n", f"{STAGING}:3:1: invalid YAML", id="broken-yaml"),
    pytest.param(
        STAGING, "extends: _defaults.yaml\nservices:\n  securenexus:\n    replicaz: 3\n",
        f"{STAGING}:4:5: services.securenexus.replicaz: unknown field 'replicaz'; did you mean 'replicas'?",
        id="unknown-key",
    ),
    pytest.param(
        STAGING, "extends: _defaults.yaml\nservices:\n  securenexus:\n    replicas: three\n",
        f"{STAGING}:4:5: services.securenexus.replicas: Input should be a valid integer",
        id="wrong-type",
    ),
    pytest.param(
        STAGING, "extends: _defaults.yaml\nservices:\n  securenexus:\n    replicas: 0\n",
        f"{STAGING}:4:5: services.securenexus.replicas: Input should be greater than or equal to 1",
        id="out-of-range",
    ),
    pytest.param(
        STAGING, "extends: _defaults.yaml\nservices:\n  securenexus:\n    port: 70000\n",
        f"{STAGING}:4:5: services.securenexus.port: Input should be less than or equal to 65535",
        id="port-out-of-range",
    ),
    pytest.param(
        STAGING, "extends: _defaults.yaml\nsystem: a\nsystem: b\n",
        f"{STAGING}:3:1: system: duplicate key 'system' (first set on line 2)",
        id="duplicate-key",
    ),
    pytest.param(
        STAGING, "extends: _missing.yaml\n",
        f"{STAGING}:1:1: extends: extends '_missing.yaml', but environments/_missing.yaml does not exist",
        id="missing-extends-target",
    ),
    pytest.param(STAGING, "", f"{STAGING}:1:1: the file is empty", id="empty-file"),
    pytest.param(STAGING, "# only a comment\n", f"{STAGING}:1:1: the file is empty", id="comment-only-file"),
    pytest.param(
        STAGING,
        "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
        "(an alias bomb?)",
        id="alias-bomb",
    ),
    pytest.param(
        STAGING, "extends: _defaults.yaml\nservices:\n  Secure_Nexus: {}\n",
        f"{STAGING}:3:3: services.Secure_Nexus: the name 'Secure_Nexus': must be a DNS-1123 label",
        id="invalid-dns-name",
    ),
    pytest.param(
        STAGING,
        "extends: _defaults.yaml\nservices:\n  securenexus:\n    egress:\n      - to: {service: billing}\n",
        f"{STAGING}:5:14: services.securenexus.egress[0].to.service: unknown service 'billing' (services: securenexus)",
        id="unknown-service-reference",
    ),
    pytest.param(
        STAGING,
        "extends: _defaults.yaml\nservices:\n  securenexus:\n    secrets:\n      - {store: vault, path: a/b, keys: [X]}\n",
        f"{STAGING}:5:10: services.securenexus.secrets[0].store: unknown secret store 'vault'",
        id="unknown-secret-store",
    ),
    pytest.param(
        STAGING, "extends: _defaults.yaml\nservices:\n  securenexus:\n    env:\n      DB_PASSWORD: hunter2\n",
        f"{STAGING}:5:7: services.securenexus.env.DB_PASSWORD: looks like a credential",
        id="credential-literal",
    ),
    pytest.param(
        STAGING, "extends: _defaults.yaml\nservices:\n  securenexus:\n    image: {repository: x/y, tag: 1.20}\n",
        "services.securenexus.image.tag: Input should be a valid string, got float 1.2 (quote it to keep it a string)",
        id="unquoted-version-tag",
    ),
    pytest.param(
        STAGING,
        "extends: _defaults.yaml\nservices:\n  securenexus:\n    resources:\n      requests: {cpu: '2', memory: 1Gi}\n",
        f"{STAGING}:4:5: services.securenexus.resources: requests.cpu 2 exceeds limits.cpu 500m",
        id="request-above-limit",
    ),
    pytest.param(
        STAGING, "extends: staging.yaml\n", "makes a cycle", id="extends-cycle",
    ),
    pytest.param(STAGING, "- a\n- b\n", f"{STAGING}:1:1: a spec file must be a YAML mapping", id="not-a-mapping"),
    pytest.param(
        STAGING, "extends: _defaults.yaml\nfoo: !!python/object:os.system x\n",
        f"{STAGING}:2:6: foo: unsupported YAML tag", id="custom-tag",
    ),
    *(pytest.param(
        STAGING, f"extends: _defaults.yaml\nnamespace: !!{tag} abc\n",
        f"{STAGING}:2:12: namespace: 'abc' is not a valid {tag} (tag tag:yaml.org,2002:{tag})", id=f"bad-{tag}-tag",
    ) for tag in ("int", "float", "bool")),
]


@pytest.fixture
def rendered_root(root, run_cli):
    assert run_cli("render", "--root", str(root)).code == 0
    return root


@pytest.mark.parametrize(("rel", "text", "expected"), CASES)
def test_bad_input_is_reported_and_changes_nothing(rendered_root, run_cli, rel, text, expected):
    (rendered_root / rel).write_text(text, encoding="utf-8")
    before = tree(rendered_root)
    outcome = run_cli("render", "--root", str(rendered_root))
    assert outcome.code == 2, outcome.err
    assert expected in outcome.err, outcome.err
    assert "Traceback" not in outcome.err
    assert outcome.out == ""
    assert tree(rendered_root) == before


def test_all_problems_are_reported_at_once(rendered_root, run_cli):
    (rendered_root / STAGING).write_text(
        "extends: _defaults.yaml\nservices:\n  securenexus:\n    replicas: 0\n    port: 0\n    colour: blue\n",
        encoding="utf-8",
    )
    (rendered_root / "environments/uat.yaml").write_text("extends: _defaults.yaml\nsystem: Not-A-Label\n")
    outcome = run_cli("render", "--root", str(rendered_root))
    assert outcome.code == 2
    lines = outcome.err.splitlines()
    assert any(line.startswith(f"{STAGING}:4:5: services.securenexus.replicas:") for line in lines)
    assert any(line.startswith(f"{STAGING}:5:5: services.securenexus.port:") for line in lines)
    assert any(line.startswith(f"{STAGING}:6:5: services.securenexus.colour: unknown field") for line in lines)
    assert any(line.startswith("environments/uat.yaml:2:1: system:") for line in lines)


def test_missing_required_field_points_at_its_parent(root, run_cli):
    (root / DEFAULTS).write_text(
        (root / DEFAULTS).read_text().replace("    resources:\n", "    resourcez:\n"), encoding="utf-8"
    )
    outcome = run_cli("render", "--root", str(root))
    assert outcome.code == 2
    assert "services.securenexus.resources: required field is missing" in outcome.err
    assert "services.securenexus.resourcez: unknown field 'resourcez'; did you mean 'resources'?" in outcome.err


def test_a_service_behind_a_service_needs_readiness_but_not_liveness(root, run_cli):
    (root / DEFAULTS).write_text(
        (root / DEFAULTS).read_text().replace("    probes:\n", "    probez:\n"), encoding="utf-8"
    )
    outcome = run_cli("render", "--root", str(root))
    assert outcome.code == 2
    assert "services.securenexus.probez: unknown field 'probez'; did you mean 'probes'?" in outcome.err
    text = (root / DEFAULTS).read_text().replace("probez:", "probes:")
    start = text.index("      liveness:")
    end = text.index("\n", start)
    (root / DEFAULTS).write_text(text[:start] + text[end + 1:], encoding="utf-8")
    outcome = run_cli("render", "--root", str(root))
    assert outcome.code == 2
    assert "services.securenexus.probes.liveness: no liveness probe fails CKV_K8S_8" in outcome.err
    text = (root / DEFAULTS).read_text()
    start = text.index("      readiness:")
    end = text.index("\n", start)
    (root / DEFAULTS).write_text(text[:start] + text[end + 1:], encoding="utf-8")
    outcome = run_cli("render", "--root", str(root))
    assert "services.securenexus.probes.readiness: a workload behind a Service needs a readiness probe" in outcome.err


def test_error_in_a_shared_layer_names_the_layer(root, run_cli):
    text = (root / DEFAULTS).read_text().replace('kubernetesVersion: "1.33"', "kubernetesVersion: 1.33")
    (root / DEFAULTS).write_text(text, encoding="utf-8")
    outcome = run_cli("render", "--root", str(root))
    assert outcome.code == 2
    # reported once, at the layer's line, although three environments extend it
    assert outcome.err.splitlines() == [
        f"{DEFAULTS}:5:1: kubernetesVersion: Input should be a valid string, got float 1.33 (quote it to keep it a string)"
    ]


def test_null_in_a_later_layer_removes_the_key(root, run_cli):
    uat = root / "environments/uat.yaml"
    uat.write_text(uat.read_text() + "    serviceAccount: null\n", encoding="utf-8")
    assert run_cli("render", "--root", str(root)).code == 0
    irsa = "eks.amazonaws.com/role-arn"
    assert irsa in (root / "rendered/staging/staging/serviceaccount-securenexus.yaml").read_text()
    assert irsa not in (root / "rendered/uat/uat/serviceaccount-securenexus.yaml").read_text()


def test_no_environments_folder_is_an_error(tmp_path, run_cli):
    outcome = run_cli("render", "--root", str(tmp_path))
    assert outcome.code == 2
    assert "environments/: no such folder" in outcome.err


def test_an_unreadable_spec_is_a_finding_not_a_traceback(rendered_root, run_cli):
    (rendered_root / "environments/qa.yaml").mkdir()
    outcome = run_cli("render", "--root", str(rendered_root))
    assert outcome.code == 2
    assert outcome.err.startswith("environments/qa.yaml: cannot read: not a regular file")


def test_a_file_that_is_not_utf8_is_a_finding(rendered_root, run_cli):
    (rendered_root / STAGING).write_bytes(b"extends: _defaults.yaml\nsystem: \xff\xfe\n")
    outcome = run_cli("render", "--root", str(rendered_root))
    assert outcome.code == 2
    assert outcome.err.startswith(f"{STAGING}:1:1: not UTF-8 text")
