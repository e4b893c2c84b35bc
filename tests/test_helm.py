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


@pytest.mark.parametrize("specs", ROOTS)
def test_committed_chart_equals_committed_rendered(specs):
    charts = sorted(p for p in (specs / "charts").iterdir() if p.is_dir())
    assert len(charts) == 1, charts
    envs = sorted(p.name.removeprefix("values-").removesuffix(".yaml") for p in charts[0].glob("values-*.yaml"))
    want = sorted(p.stem for p in (specs / "environments").glob("*.yaml") if not p.name.startswith("_"))
    assert envs == want
    assert_equivalent(specs, charts[0], envs)


def _write_spec(root, spec: dict, env: str = "dev"):
    (root / "environments").mkdir(parents=True, exist_ok=True)
    (root / "environments" / f"{env}.yaml").write_text(yamlio.dump(spec), encoding="utf-8")
    return root


def _base() -> dict:
    return yamlio.load((REPO / "charts/securenexus/values-staging.yaml").read_text(encoding="utf-8"))


def _variant(change) -> dict:
    """The staging values as a spec (the computed quota amounts left out, so they are computed again), changed."""
    spec = _base()
    spec.pop("argocd", None)
    spec["quota"] = {k: spec["quota"][k] for k in ("enabled", "headroomPercent")}
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
        web={**_svc(s), "secrets": [], "expose": None, "egress": [{"to": {"service": "securenexus"}}], "servicePort": 80},
        worker={**_svc(s), "secrets": [], "expose": None, "ingress": [{"from": {"service": "web"}, "ports": [7000, 7001],
                                                                       "protocols": ["UDP", "TCP"]}]},
    ), id="service-to-service-edges"),
    # delivery: Rollout canaries
    pytest.param(lambda s: _svc(s).update(rollout={"canary": {"steps": [25, 50], "pause": "manual"}}),
                 id="rollout-manual-pause-no-analysis"),
    pytest.param(lambda s: _svc(s).update(
        rollout={"canary": {"steps": [10, 90], "analysis": {"successRate": 1, "startingStep": 0, "count": 2}}},
        rollingUpdate={"maxSurge": "25%", "maxUnavailable": 1},
        autoscaling={"minReplicas": 2, "maxReplicas": 5}), id="rollout-analysis-under-hpa"),
    pytest.param(lambda s: _svc(s).update(
        rollout={"canary": {"steps": [50], "pause": "1h30m", "analysis": {"successRate": 0.00001, "query": "x\n---\n{{ y }}"}}}),
                 id="rollout-analysis-own-query"),
    pytest.param(lambda s: _svc(s).update(
        rollout={"canary": {"steps": [50], "analysis": {"query": ""}}}, alerts={"requestsMetric": "reqs_total"}),
                 id="rollout-analysis-empty-query-and-own-metric"),
    # traffic: Ingress
    pytest.param(lambda s: _svc(s)["expose"].update(sslRedirect=False, certificateArn=None, scheme="internal", path="/api",
                                                    pathType="Exact", ingressClassName="internal-alb",
                                                    annotations={"alb.ingress.kubernetes.io/scheme": "internet-facing",
                                                                 "z/last": "a: b\n---", "a/first": "{{ x }}"}),
                 id="expose-internal-no-redirect-extra-annotations"),
    pytest.param(lambda s: (_svc(s).pop("expose"), s["ingressController"].update(podLabels={})), id="not-exposed"),
    pytest.param(lambda s: s["ingressController"].update(namespace="ingress", podLabels={}), id="controller-all-pods"),
    # monitoring
    pytest.param(lambda s: _svc(s).update(metrics={"port": 9090, "podAnnotations": True, "scrapeNamespace": "prom",
                                                   "path": "/m", "interval": "1m"}), id="metrics-own-port"),
    pytest.param(lambda s: _svc(s).update(metrics={"port": 5000, "serviceMonitor": False, "podAnnotations": True}),
                 id="metrics-port-equal-to-service-port"),
    pytest.param(lambda s: _svc(s).update(alerts={"disable": ["HighCpuUsage", "PodRestartLooping"], "rules": [
        {"alert": "HighErrorRate", "expr": "x > 1", "severity": "critical"},
        {"alert": "Own", "expr": "a: b\n---\n{{ .x }}", "for": "1m", "description": "é \u00a0"},
        {"alert": "PodRestartLooping", "expr": "restarts > 9", "summary": "appended, not in place"},
        {"alert": "Own", "expr": "second definition wins"},
    ]}), id="alerts-disable-replace-extra"),
    pytest.param(lambda s: s["services"].update(**{"video-up-loader": {**_svc(s), "secrets": [], "expose": None,
                                                                        "alerts": {}}}), id="alerts-display-name"),
    pytest.param(lambda s: _svc(s).update(alerts={"builtin": False}), id="alerts-nothing-left"),
    pytest.param(lambda s: _svc(s).update(metrics=None, alerts={"builtin": False, "rules": [{"alert": "A", "expr": "1"}]}),
                 id="alerts-own-only-no-metrics"),
    # access
    pytest.param(lambda s: _svc(s).update(access={"reason": "reads its own ConfigMap: {{ x }} --- y", "rules": [
        {"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get", "watch"], "resourceNames": ["securenexus-env"]},
        {"apiGroups": ["apps", "batch"], "resources": ["jobs"], "verbs": ["list"]},
    ]}), id="access"),
    pytest.param(lambda s: _svc(s).update(access={"reason": "lists pods for leader election", "rules": [
        {"apiGroups": [""], "resources": ["pods"], "verbs": ["list"]}]},
        waivers=[{"check": "CKV_K8S_38", "reason": "a waiver of its own for the token mount"}]), id="access-waived"),
    # secrets
    pytest.param(lambda s: (s["secretStores"].update(vault={"kind": "ClusterSecretStore", "vault": {
        "server": "https://vault.example.com:8200", "role": "r", "version": "v1", "authMountPath": "k8s/prod"}}),
        _svc(s)["secrets"].append({"store": "vault", "path": "secret/data/tls", "keys": {"tls.crt": "crt", "ca-bundle": "ca"},
                                   "mountPath": "/etc/tls"})), id="vault-store-and-mounted-secret"),
    pytest.param(lambda s: _svc(s).update(secrets=[
        {"store": "aws-secrets-manager", "path": "a", "keys": ["k.pem"], "mountPath": "/etc/a"},
        {"store": "aws-secrets-manager", "path": "b", "keys": ["B_VAR"]},
        {"store": "aws-secrets-manager", "path": "c", "keys": {"c.json": "C"}, "mountPath": "/etc/c"},
    ]), id="mounted-and-variable-secrets-interleaved"),
    pytest.param(lambda s: s["secretStores"].update(vault={"create": False, "vault": {"server": "http://v", "role": "r"}}),
                 id="vault-store-not-created"),
    # guardrails
    pytest.param(lambda s: s["quota"].update(requestsCpu="3", limitsMemory="1.5Gi", pods=12, headroomPercent=0),
                 id="quota-overrides"),
    pytest.param(lambda s: (s["quota"].update(headroomPercent=33), _svc(s).update(
        replicas=3, rollingUpdate={"maxSurge": "34%", "maxUnavailable": 0},
        resources={"requests": {"cpu": "0.007", "memory": "1.1Gi"}, "limits": {"cpu": "1.5", "memory": "1200M"}})),
                 id="quota-computed-with-rounding"),
    pytest.param(lambda s: (s["quota"].update(enabled=False), s["limitRange"].update(enabled=False)), id="no-guardrails"),
    pytest.param(lambda s: s["limitRange"].update(defaultLimitCpu="2", defaultRequestMemory="64Mi"), id="limit-range"),
    # spread
    pytest.param(lambda s: _svc(s).update(replicas=3, spread={"zones": False}), id="spread-off"),
    pytest.param(lambda s: _svc(s).update(replicas=2, spread={"maxSkew": 2, "whenUnsatisfiable": "DoNotSchedule"}),
                 id="spread-do-not-schedule"),
    pytest.param(lambda s: _svc(s).update(autoscaling={"minReplicas": 1, "maxReplicas": 1}), id="spread-single-pod-hpa"),
    # secret rotation: the Reloader annotation, after the waivers' and before the sync wave
    pytest.param(lambda s: _svc(s).update(restartOnSecretChange=True), id="reload-on-secret-change"),
    pytest.param(lambda s: _svc(s).update(restartOnSecretChange=True, rollout={"canary": {"steps": [50]}},
                                          waivers=[]), id="reload-rollout-without-waivers"),
    pytest.param(lambda s: _svc(s).update(restartOnSecretChange=True, rollout={"canary": {"steps": [20, 60]}},
                                          waivers=[{"check": "CKV_K8S_40", "reason": "r: {{ x }}"}]),
                 id="reload-rollout-with-waiver"),
    pytest.param(lambda s: s["services"].update(
        reloaded={**_svc(s), "expose": None, "restartOnSecretChange": True},
        kept={**_svc(s), "expose": None, "restartOnSecretChange": False},
    ), id="reload-on-one-service-off-on-another"),
    # teams: RoleBindings to the built-in ClusterRoles, names slugged as spec.environment.team_binding_name
    pytest.param(lambda s: s.update(teams={"platform:gitops@corp": "edit", "A.B": "view", "9": "admin",
                                           "x" * 70: "view", "dev_team": "view"}), id="teams-odd-group-names"),
    pytest.param(lambda s: s.update(teams={"a" * 57 + ".b": "view", "Z" * 58 + "@x": "edit", "q--__..::@@r": "admin",
                                           "ops@": "view", "B": "view", "b1": "edit", "Ab": "admin"}),
                 id="teams-cut-ending-in-dash-separator-runs-and-ends-case-order"),
    pytest.param(lambda s: s.update(teams={}), id="teams-none"),
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
        pytest.param(lambda v: _svc(v)["secrets"][0].update(keys=["db.pem"]), "keys", id="file-name-without-mount-path"),
        pytest.param(lambda v: _svc(v)["secrets"][0].update(keys=["a/b"], mountPath="/etc/x"), "keys",
                     id="bad-file-name"),
        pytest.param(lambda v: _svc(v).update(restartOnSecretChange="yes"), "restartOnSecretChange",
                     id="mistyped-restart-on-secret-change"),
        pytest.param(lambda v: v.update(teams={"équipe": "view"}), "équipe", id="non-ascii-team-group"),
        pytest.param(lambda v: v.update(teams={"platform:gitops@corp": "cluster-admin"}), "teams",
                     id="team-role-not-built-in"),
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


@pytest.mark.parametrize("name", ["values-staging.yaml", "values.schema.json", "templates/delivery.yaml", "templates/_alerts.tpl"])
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
