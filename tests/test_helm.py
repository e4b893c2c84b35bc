"""The Helm chart with real Helm (a `helm` CLI on PATH, else helm-python-sdk in-process): it lints, it renders
exactly the objects of rendered/<env>/ for every environment of every spec root, for a table of variants and
for generated specs; its schema rejects unknown or mistyped keys by name; the drift check covers it."""

from __future__ import annotations

import json
import shutil

import pytest
from hypothesis import HealthCheck, given, reject, settings

from generator import pipeline, toolchain, yamlio
from generator.emit import helm
from generator.errors import SpecError
from helm_support import REPO, assert_equivalent, chart_dir, render_into, root_id, spec_roots
from spec_strategies import HOSTILE, environment_specs

ROOTS = [pytest.param(r, id=root_id(r)) for r in spec_roots()]


def test_engine_is_named():
    engine = toolchain.helm_engine()
    assert engine.startswith(("helm CLI ", "helm-python-sdk ")), engine


@pytest.mark.parametrize("specs", ROOTS)
def test_lint_passes_for_every_values_file(specs, tmp_path):
    root, result = render_into(specs, tmp_path / "root")
    chart = chart_dir(root, result)
    assert toolchain.helm_lint(chart) == []
    for env in result.built:
        assert toolchain.helm_lint(chart, chart / f"values-{env.name}.yaml") == [], env.name


@pytest.mark.parametrize("specs", ROOTS)
def test_helm_template_equals_rendered(specs, tmp_path):
    root, result = render_into(specs, tmp_path / "root")
    assert_equivalent(root, chart_dir(root, result), [env.name for env in result.built])


def test_committed_chart_equals_committed_rendered():
    charts = sorted(p for p in (REPO / "charts").iterdir() if p.is_dir())
    assert [c.name for c in charts] == ["securenexus"]
    envs = sorted(p.name.removeprefix("values-").removesuffix(".yaml") for p in charts[0].glob("values-*.yaml"))
    assert envs == ["production", "staging", "uat"]
    assert_equivalent(REPO, charts[0], envs)


def _write_spec(root, spec: dict, env: str = "dev"):
    (root / "environments").mkdir(parents=True, exist_ok=True)
    (root / "environments" / f"{env}.yaml").write_text(yamlio.dump(spec), encoding="utf-8")
    return root


def _base() -> dict:
    return yamlio.load((REPO / "charts/securenexus/values-staging.yaml").read_text(encoding="utf-8"))


def _variant(change) -> dict:
    spec = _base()
    spec.pop("argocd", None)
    change(spec)
    return spec


def _svc(spec):
    return spec["services"]["securenexus"]


VARIANTS = [
    pytest.param(lambda s: _svc(s).update(env={"V": "\n".join(HOSTILE)}), id="hostile-config-value"),
    pytest.param(lambda s: _svc(s).update(env={f"K{i}": v for i, v in enumerate(HOSTILE)}), id="hostile-config-values"),
    pytest.param(lambda s: _svc(s).update(env={}), id="no-config"),
    pytest.param(lambda s: _svc(s)["secrets"][0].update(keys={"B_VAR": "prop: x\n---\n{{ y }}", "A_VAR": "A_VAR"}),
                 id="renamed-secret-keys-keep-order"),
    pytest.param(lambda s: _svc(s)["image"].update(tag="1e3"), id="tag-that-looks-like-a-number"),
    pytest.param(lambda s: _svc(s)["image"].update(digest="sha256:" + "0" * 64), id="tag-and-digest"),
    pytest.param(lambda s: _svc(s).update(autoscaling={"minReplicas": 2, "maxReplicas": 4, "targetCpuUtilization": None,
                                                       "targetMemoryUtilization": 80}), id="autoscaling-memory-only"),
    pytest.param(lambda s: _svc(s).update(disruption={"maxUnavailable": "50%"}), id="disruption-percent"),
    pytest.param(lambda s: _svc(s).update(disruption={"minAvailable": 0}), id="disruption-zero"),
    pytest.param(lambda s: _svc(s)["probes"]["liveness"].update(initialDelaySeconds=0, port=9000),
                 id="probe-zero-delay-and-port"),
    pytest.param(lambda s: _svc(s)["security"].update(writablePaths=[]), id="no-writable-paths"),
    pytest.param(lambda s: _svc(s).update(dns=False, ingress=[], egress=[], waivers=[]), id="no-allows"),
    pytest.param(lambda s: s["secretStores"]["aws-secrets-manager"].update(kind="ClusterSecretStore"), id="cluster-store"),
    pytest.param(lambda s: s["secretStores"]["aws-secrets-manager"].update(create=False), id="store-not-created"),
    pytest.param(lambda s: s.update(namespaceLabels={"app.kubernetes.io/part-of": "platform", "team": "a"}),
                 id="namespace-label-overrides"),
    pytest.param(lambda s: s["services"].update(
        web={**_svc(s), "secrets": [], "egress": [{"to": {"service": "securenexus"}}], "servicePort": 80},
        worker={**_svc(s), "secrets": [], "ingress": [{"from": {"service": "web"}, "ports": [7000, 7001],
                                                        "protocols": ["UDP", "TCP"]}]},
    ), id="service-to-service-edges"),
]


@pytest.mark.parametrize("change", VARIANTS)
def test_variants_render_identically(change, tmp_path):
    spec = _variant(change)
    root, result = render_into(_write_spec(tmp_path / "specs", spec), tmp_path / "root")
    assert_equivalent(root, chart_dir(root, result), ["dev"])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(spec=environment_specs())
def test_generated_specs_render_identically(spec, tmp_path_factory):
    specs = _write_spec(tmp_path_factory.mktemp("specs"), spec)
    try:
        root, result = render_into(specs, tmp_path_factory.mktemp("out") / "root")
    except SpecError:
        reject()  # e.g. a generated value that looks like a credential: the loader refuses it, rightly
    assert_equivalent(root, chart_dir(root, result), ["dev"])


@pytest.mark.parametrize(
    ("change", "named"),
    [
        pytest.param(lambda v: _svc(v).update(replica=3), "replica", id="unknown-key"),
        pytest.param(lambda v: _svc(v).update(replicas="two"), "replicas", id="mistyped-value"),
        pytest.param(lambda v: _svc(v)["image"].update(tagg="1.0"), "tagg", id="unknown-nested-key"),
        pytest.param(lambda v: v["services"].update(Bad_Name=_svc(v)), "Bad_Name", id="bad-service-name"),
        pytest.param(lambda v: _svc(v)["secrets"][0].update(keys={"DATABASE_URL": "x"}), "keys", id="keys-not-a-list"),
    ],
)
def test_schema_rejects_bad_values_naming_the_key(change, named, tmp_path):
    chart = tmp_path / "securenexus"
    shutil.copytree(REPO / "charts/securenexus", chart)
    values = yamlio.load((chart / "values-staging.yaml").read_text(encoding="utf-8"))
    change(values)
    (chart / "values-staging.yaml").write_text(yamlio.dump(values), encoding="utf-8")
    errors = toolchain.helm_lint(chart, chart / "values-staging.yaml")
    assert errors and any(named in e for e in errors), errors
    with pytest.raises(RuntimeError, match=named):
        toolchain.helm_template(chart, chart / "values-staging.yaml", "securenexus")


def test_schema_is_the_spec_schema():
    schema = json.loads((REPO / "charts/securenexus/values.schema.json").read_text(encoding="utf-8"))
    assert schema["additionalProperties"] is False
    assert schema["$defs"]["Service"]["additionalProperties"] is False
    assert schema["properties"]["services"]["additionalProperties"] is False


@pytest.mark.parametrize("name", ["values-staging.yaml", "values.schema.json", "templates/deployments.yaml"])
def test_check_detects_a_hand_edit(name, tmp_path, run_cli):
    root, _ = render_into(REPO, tmp_path / "root")
    target = root / "charts/securenexus" / name
    target.write_text(target.read_text(encoding="utf-8") + " ", encoding="utf-8")
    run = run_cli("render", "--check", "--root", str(root))
    assert run.code == 1
    assert f"charts/securenexus/{name}" in run.err


def test_environments_must_agree_on_the_system(tmp_path):
    root = tmp_path / "root"
    shutil.copytree(REPO / "environments", root / "environments")
    uat = root / "environments/uat.yaml"
    uat.write_text(uat.read_text(encoding="utf-8") + "system: other\n", encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        helm.emit(pipeline.build(root))
    assert [(f.file, f.path) for f in caught.value.findings] == [("environments/uat.yaml", "system")]
