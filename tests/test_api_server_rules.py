"""Class 2 of the hostile-input review: what the Kubernetes API server would refuse (or silently read
differently) is a spec error at its line, before anything is written: YAML 1.1 numbers, int32 overflows,
zero and overflowing quantities, float rounding in quotas, oversized ConfigMaps, reserved Secret keys,
duplicate mount paths, CIDRs, label and annotation keys, Kubernetes versions without schemas, deep
nesting and ``.yml`` files. Each case edits one field of the committed staging spec in a temporary root."""

from __future__ import annotations

import pytest

from conftest import SECURENEXUS, REPO, copy_root, tree
from generator import validate
from generator.builders.guardrails import computed_quota
from generator.load import load_root
from generator.validate import apiserver

STAGING = "environments/staging.yaml"
QA = "environments/qa.yaml"
SERVICE = "services.securenexus"


def edited(tmp_path, old: str, new: str, *, count: int = 1) -> tuple:
    root = copy_root(SECURENEXUS, tmp_path / "root")
    spec = root / STAGING
    text = spec.read_text(encoding="utf-8")
    assert text.count(old) >= count, old
    spec.write_text(text.replace(old, new, count), encoding="utf-8")
    return root, tree(root)


def appended(tmp_path, lines: str) -> tuple:
    """A root with one more environment, qa, whose service sets ``lines`` (service-level YAML)."""
    root = copy_root(SECURENEXUS, tmp_path / "root")
    (root / QA).write_text(f"extends: _defaults.yaml\nservices:\n  securenexus:\n{lines}", encoding="utf-8")
    return root, tree(root)


def refused(run_cli, root, before, *fragments: str) -> str:
    outcome = run_cli("render", "--root", str(root))
    assert outcome.code == 2, outcome.out + outcome.err
    assert "Traceback" not in outcome.err
    for fragment in fragments:
        assert fragment in outcome.err, outcome.err
    assert tree(root) == before  # nothing written
    return outcome.err


SVC = "    "  # indentation of a service's fields in the staging spec

YAML_11 = [
    pytest.param("1:20", "reads as 80 in YAML 1.1 but '1:20' in YAML 1.2", id="sexagesimal"),
    pytest.param("010", "reads as 8 in YAML 1.1 but 10 in YAML 1.2", id="leading-zero-octal"),
    pytest.param("0b1010", "reads as 10 in YAML 1.1", id="binary"),
    pytest.param("8_080", "reads as 8080 in YAML 1.1", id="underscore"),
    pytest.param("0o17", "reads as '0o17' in YAML 1.1 but 15 in YAML 1.2", id="yaml12-octal"),
    pytest.param("1e3", "reads as '1e3' in YAML 1.1 but 1000.0 in YAML 1.2", id="exponent-without-dot"),
]


@pytest.mark.parametrize(("value", "message"), YAML_11)
def test_yaml_11_numbers_are_refused_with_quote_it(tmp_path, run_cli, value, message):
    root, before = appended(tmp_path, f"{SVC}port: {value}\n")
    err = refused(run_cli, root, before, f"{QA}:4:11: {SERVICE}.port: '{value}' {message}", "quote it")
    assert err.count("\n") == 1


@pytest.mark.parametrize("value", ["yes", "on", "Off", "n"])
def test_yaml_11_booleans_are_refused(tmp_path, run_cli, value):
    root, before = appended(tmp_path, f"{SVC}env:\n{SVC}  FEATURE: {value}\n")

    if value == "n":  # 'n' is text in both versions: a plain string
        assert run_cli("render", "--root", str(root)).code == 0
        return
    refused(run_cli, root, before, f"{SERVICE}.env.FEATURE: '{value}' reads as", "quote it")


INT32 = [
    pytest.param(f"{SVC}replicas: 2147483648\n", "replicas", id="replicas"),
    pytest.param(f"{SVC}security:\n{SVC}  runAsUser: 99999999999\n", "security.runAsUser", id="uid"),
    pytest.param(f"{SVC}terminationGracePeriodSeconds: 9223372036854775808\n", "terminationGracePeriodSeconds", id="grace-int64"),
    pytest.param(f"{SVC}autoscaling: {{minReplicas: 2, maxReplicas: 4294967296}}\n", "autoscaling.maxReplicas", id="hpa-bound"),
    pytest.param(f"{SVC}probes:\n{SVC}  liveness: {{path: /health, periodSeconds: 3000000000}}\n"
                 f"{SVC}  readiness: {{path: /health}}\n", "probes.liveness.periodSeconds", id="probe-period"),
]


@pytest.mark.parametrize(("lines", "field"), INT32)
def test_integers_beyond_int32_are_refused(tmp_path, run_cli, lines, field):
    root, before = appended(tmp_path, lines)
    refused(run_cli, root, before, f"{SERVICE}.{field}: ", "is out of range: Kubernetes integers are at most 2147483647")


def test_the_largest_int32_is_accepted_where_the_model_allows_it(tmp_path, run_cli):
    root, _ = appended(tmp_path, f"{SVC}terminationGracePeriodSeconds: 2147483647\n")
    assert run_cli("render", "--root", str(root)).code == 0


QUANTITIES = [
    pytest.param("{cpu: 100m, memory: 128Mi}", "{cpu: 0m, memory: 512Mi}", "limits.cpu: Value error, 0m is zero", id="cpu-limit-zero"),
    pytest.param("{cpu: '0', memory: 128Mi}", "{cpu: 500m, memory: 512Mi}", "requests.cpu: Value error, 0 is zero", id="cpu-request-zero"),
    pytest.param("{cpu: 100m, memory: 0Mi}", "{cpu: 500m, memory: 512Mi}", "requests.memory: Value error, 0Mi is zero", id="memory-zero"),
    pytest.param("{cpu: 100m, memory: 128Mi}", "{cpu: 500m, memory: 99999999999999999999999Ei}", "larger than any quantity", id="memory-overflow"),
    pytest.param("{cpu: 100m, memory: '1.5'}", "{cpu: 500m, memory: 512Mi}", None, id="fractional-bytes-accepted"),
]


@pytest.mark.parametrize(("requests", "limits", "message"), QUANTITIES)
def test_zero_and_overflowing_quantities_are_refused(tmp_path, run_cli, requests, limits, message):
    root, before = appended(tmp_path, f"{SVC}resources:\n{SVC}  requests: {requests}\n{SVC}  limits: {limits}\n")
    if message is None:
        assert run_cli("render", "--root", str(root)).code == 0
        return
    refused(run_cli, root, before, f"{SERVICE}.resources.", message.replace("Value error, ", ""))


def test_quota_arithmetic_is_exact(tmp_path):
    """In floats 0.1 core x 3 pods x 1.1 is 330.00000000000006m, rounded up to 331m; exactly it is 330m."""
    root, _ = appended(tmp_path, f"{SVC}replicas: 2\n{SVC}resources:\n{SVC}  requests: {{cpu: '0.1', memory: 100Mi}}\n"
                                 f"{SVC}  limits: {{cpu: 333m, memory: 100Mi}}\n")
    (root / QA).write_text((root / QA).read_text() + "quota:\n  headroomPercent: 10\n", encoding="utf-8")
    env = next(e for e in load_root(root) if e.name == "qa")
    quota = computed_quota(env.spec)
    # peak pods 3 (2 + surge 1): requests 3 x 100m x 1.1 = 330m exactly; limits 3 x 333m x 1.1 = 1098.9m -> 1099m
    assert quota["requests.cpu"] == "330m"
    assert quota["limits.cpu"] == "1099m"
    assert 0.1 * 3 * 1.1 * 1000 > 330  # the float arithmetic this replaces would have said 331m


def test_a_configmap_over_one_mebibyte_is_refused(tmp_path, run_cli):
    big = "x" * (600 * 1024)
    root, before = appended(tmp_path, f"{SVC}env:\n{SVC}  A: {big}\n{SVC}  B: {big}\n")
    refused(run_cli, root, before, f"{QA}:4:5: {SERVICE}.env: ", "a ConfigMap holds at most 1 MiB")


@pytest.mark.parametrize("key", ["..data", "..", ".", "..2024_01_01"])
def test_reserved_secret_keys_and_item_paths_are_refused(tmp_path, run_cli, key):
    root, before = appended(tmp_path, f"{SVC}secrets:\n{SVC}- store: aws-secrets-manager\n{SVC}  path: securenexus/staging\n"
                                      f"{SVC}  mountPath: /etc/secrets\n{SVC}  keys: ['{key}']\n")
    refused(run_cli, root, before, f"{SERVICE}.secrets[0].keys", "Secret key cannot be")


def test_a_mount_path_used_twice_is_refused(tmp_path, run_cli):
    root, before = appended(tmp_path, f"{SVC}security:\n{SVC}  writablePaths: [/tmp, /var/cache, /tmp/]\n")
    # /tmp and /tmp/ are one mount (and one volume name: the volume rule names it first)
    refused(run_cli, root, before, f"{SERVICE}.security: /tmp and /tmp/ would share the volume name 'tmp'")
    root, before = appended(tmp_path / "b", f"{SVC}security:\n{SVC}  writablePaths: [/etc/app]\n{SVC}secrets:\n"
                                           f"{SVC}- store: aws-secrets-manager\n{SVC}  path: x\n{SVC}  mountPath: /etc/app\n{SVC}  keys: [a.pem]\n")
    refused(run_cli, root, before, f"{SERVICE}.secrets[0].mountPath: /etc/app is already mounted")


CIDRS = [
    pytest.param("10.0.0.1", [], "has no prefix length", id="no-prefix"),
    pytest.param("10.0.0.0/8", ["192.168.0.0/16"], "must be a strict subset", id="except-outside"),
    pytest.param("10.0.0.0/8", ["10.0.0.0/8"], "must be a strict subset", id="except-equal"),
    pytest.param("10.0.0.0/8", ["fd00::/8"], "is IPv6 but cidr 10.0.0.0/8 is IPv4", id="mixed-families"),
    pytest.param("10.0.0.1/8", [], "has host bits set", id="host-bits"),
    pytest.param("10.0.0.0/8", ["10.1.0.0/16"], None, id="valid"),
]


@pytest.mark.parametrize(("cidr", "excepted", "message"), CIDRS)
def test_cidr_blocks_follow_the_networkpolicy_rules(tmp_path, run_cli, cidr, excepted, message):
    root, before = appended(tmp_path, f"{SVC}egress:\n{SVC}- to: {{cidr: '{cidr}', except: {excepted}}}\n{SVC}  ports: [5432]\n")
    if message is None:
        assert run_cli("render", "--root", str(root)).code == 0
        return
    refused(run_cli, root, before, f"{SERVICE}.egress[0].to", message)


LABELS = [
    pytest.param("namespaceLabels:\n  'bad key!': x\n", "namespaceLabels", id="namespace-label-key"),
    pytest.param("dns:\n  podLabels: {k8s-app: 'kube dns'}\n", "not a label value", id="dns-label-value"),
    pytest.param("ingressController:\n  podLabels: {'-x': y}\n", "is not a qualified name", id="controller-label-key"),
    pytest.param(f"services:\n  securenexus:\n    egress:\n    - to: {{namespace: db, podLabels: {{app: '{'x' * 64}'}}}}\n      ports: [5432]\n",
                 "not a label value", id="peer-label-value-too-long"),
    pytest.param("services:\n  securenexus:\n    expose:\n      host: qa.example.com\n      annotations: {'alb ingress/x': y}\n", "annotation key", id="annotation-key"),
    pytest.param(f"services:\n  securenexus:\n    expose:\n      host: qa.example.com\n      annotations: {{'{'a' * 64}': y}}\n", "annotation key", id="annotation-name-too-long"),
]


@pytest.mark.parametrize(("lines", "message"), LABELS)
def test_label_and_annotation_keys_and_values_follow_the_api_server(tmp_path, run_cli, lines, message):
    root = copy_root(SECURENEXUS, tmp_path / "root")
    (root / QA).write_text("extends: _defaults.yaml\n" + lines, encoding="utf-8")
    refused(run_cli, root, tree(root), message)


def test_a_kubernetes_version_without_schemas_is_one_error_at_its_line(tmp_path, run_cli):
    root = copy_root(SECURENEXUS, tmp_path / "root")
    (root / QA).write_text("extends: _defaults.yaml\nkubernetesVersion: '1.99'\n", encoding="utf-8")
    err = refused(run_cli, root, tree(root), f"{QA}:2:1: kubernetesVersion: no Kubernetes schemas for 1.99")
    assert err.count("\n") == 1


def test_nesting_deeper_than_the_bound_is_a_finding_not_a_recursion_error(tmp_path, run_cli):
    deep = "".join(f"{' ' * i}k{i}:\n" for i in range(400)) + " " * 400 + "x: 1\n"
    root, before = appended(tmp_path, "")
    (root / "environments/deep.yaml").write_text(deep, encoding="utf-8")
    before = tree(root)
    refused(run_cli, root, before, "environments/deep.yaml:", "nested deeper than 48 levels")
    (root / "environments/deep.yaml").write_text("a: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    refused(run_cli, root, tree(root), "environments/deep.yaml:1:", "invalid YAML")


@pytest.mark.parametrize("name", ["qa.yml", "qa.YAML"])
def test_yml_files_are_refused_not_ignored(tmp_path, run_cli, name):
    root = copy_root(SECURENEXUS, tmp_path / "root")
    (root / "environments" / name).write_text((root / "environments/uat.yaml").read_text(), encoding="utf-8")
    refused(run_cli, root, tree(root), f"environments/{name}: spec files end in .yaml: rename it to qa.yaml")


def test_the_output_check_catches_what_a_builder_might_get_wrong():
    pod = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x", "annotations": {"a": "b" * 300_000}},
           "spec": {"template": {"spec": {
               "volumes": [{"name": "tmp", "emptyDir": {}}, {"name": "tmp", "emptyDir": {}},
                           {"name": "s", "secret": {"secretName": "s", "items": [{"key": "k", "path": "../k"}]}}],
               "containers": [{"name": "a", "image": "x", "ports": [{"name": "http", "containerPort": 80}, {"name": "http", "containerPort": 80}],
                               "env": [{"name": "A"}, {"name": "A"}],
                               "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}, {"name": "s", "mountPath": "/tmp"}]}]}}}}
    found = dict(apiserver.violations(pod))
    assert set(found) == {
        "metadata.annotations", "spec.template.spec.volumes[1].name", "spec.template.spec.volumes.s.items",
        "spec.template.spec.containers[0].ports[1].name", "spec.template.spec.containers[0].ports[1].containerPort",
        "spec.template.spec.containers[0].env[1].name", "spec.template.spec.containers[0].volumeMounts[1].mountPath",
    }
    config = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"..data": "x", "k": "v" * (1 << 20)}}
    assert {p for p, _ in apiserver.violations(config)} == {"data", "data...data"}
    assert [f.message for f in validate.findings("x.yaml", config, "1.33") if f.message.startswith("API server")]
