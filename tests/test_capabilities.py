"""What the seed platforms need, checked on the objects the fixture specs (tests/fixtures/) produce: canary rollouts,
ingress, monitoring and alerts, Vault secrets and mounted files, RBAC, namespace guard rails, zone spread,
the service graph, and the production rules."""

from __future__ import annotations

import pytest

from conftest import FIXTURES, SECURENEXUS
from generator import pipeline

EXAMPLES = FIXTURES


def objects(root, env):
    built = {b.name: b.objects for b in pipeline.build(root).environments}
    return built[env]


def find(objs, kind, name=None):
    found = [o for o in objs if o["kind"] == kind and (name is None or o["metadata"]["name"] == name)]
    assert len(found) == 1, f"expected one {kind} {name or ''}, found {len(found)}"
    return found[0]


def kinds(objs):
    return sorted(o["kind"] for o in objs)


def test_production_is_a_canary_rollout_with_the_seed_steps():
    prod = objects(SECURENEXUS, "production")
    rollout = find(prod, "Rollout", "securenexus")
    canary = rollout["spec"]["strategy"]["canary"]
    assert (canary["maxSurge"], canary["maxUnavailable"]) == (1, 0)
    weights = [s["setWeight"] for s in canary["steps"] if "setWeight" in s]
    assert weights == [20, 50, 80]
    assert [list(s) for s in canary["steps"]] == [["setWeight"], ["pause"]] * 3
    assert canary["analysis"]["templates"] == [{"templateName": "securenexus-success-rate"}]
    template = find(prod, "AnalysisTemplate", "securenexus-success-rate")
    metric = template["spec"]["metrics"][0]
    assert metric["successCondition"] == "result[0] >= 0.99"
    assert 'namespace="production",job="securenexus"' in metric["provider"]["prometheus"]["query"]
    assert "Deployment" not in kinds(prod)
    assert find(prod, "PodDisruptionBudget")["spec"]["selector"] == rollout["spec"]["selector"]
    assert rollout["spec"]["replicas"] == 2
    for env in ("staging", "uat"):
        deployment = find(objects(SECURENEXUS, env), "Deployment", "securenexus")
        assert deployment["spec"]["strategy"]["rollingUpdate"] == {"maxSurge": 1, "maxUnavailable": 0}


def test_autoscaler_targets_the_rollout():
    prod = objects(EXAMPLES / "financehub", "production")
    assert find(prod, "Rollout", "payment-service")
    video = objects(EXAMPLES / "video-pipeline", "production")
    hpa = find(video, "HorizontalPodAutoscaler", "processor")
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "processor"}
    assert "replicas" not in find(video, "Deployment", "processor")["spec"]


def test_ingress_per_environment_and_the_alb_vpc_is_allowed_on_exactly_the_port():
    hosts = {}
    for env in ("staging", "uat", "production"):
        objs = objects(SECURENEXUS, env)
        ingresses = [o for o in objs if o["kind"] == "Ingress"]
        hosts[env] = [rule["host"] for o in ingresses for rule in o["spec"]["rules"]]
        policy = find(objs, "NetworkPolicy", "securenexus")
        controller = [rule for rule in policy["spec"]["ingress"] if rule["from"][0] == {"ipBlock": {"cidr": "10.0.0.0/16"}}]
        assert len(controller) == (1 if ingresses else 0)
        for rule in controller:
            assert rule["ports"] == [{"protocol": "TCP", "port": 5000}]
    assert hosts == {"staging": ["staging.aricatech.xyz"], "uat": [], "production": ["nexus.aricatech.xyz"]}
    annotations = find(objects(SECURENEXUS, "production"), "Ingress")["metadata"]["annotations"]
    assert annotations["alb.ingress.kubernetes.io/ssl-redirect"] == "443"
    assert annotations["alb.ingress.kubernetes.io/certificate-arn"].startswith("arn:aws:acm:")
    assert find(objects(SECURENEXUS, "production"), "Ingress")["spec"]["tls"] == [{"hosts": ["nexus.aricatech.xyz"]}]


SEED_ALERTS = {
    "SecureNexusDown": ("2m", "critical"),
    "HighErrorRate": ("5m", "warning"),
    "HighResponseLatency": ("5m", "warning"),
    "HighMemoryUsage": ("5m", "warning"),
    "HighCpuUsage": ("10m", "warning"),
    "PodRestartLooping": (None, "critical"),
    "SLOAvailabilityBreach": (None, "critical"),
}


def test_prometheus_rule_is_the_seed_alert_table():
    rule = find(objects(SECURENEXUS, "production"), "PrometheusRule", "securenexus")
    rules = rule["spec"]["groups"][0]["rules"]
    assert {r["alert"]: (r.get("for"), r["labels"]["severity"]) for r in rules} == SEED_ALERTS
    exprs = {r["alert"]: r["expr"] for r in rules}
    assert exprs["HighErrorRate"].endswith("> 0.05")
    assert exprs["HighResponseLatency"].startswith("histogram_quantile(0.95,") and exprs["HighResponseLatency"].endswith("> 2")
    assert exprs["HighMemoryUsage"].endswith("> 0.85") and exprs["HighCpuUsage"].endswith("> 0.8")
    assert "[1h]) > 3" in exprs["PodRestartLooping"] and exprs["SLOAvailabilityBreach"].endswith("< 0.999")


def test_alerts_can_be_replaced_disabled_and_extended(root):
    defaults = root / "environments/_defaults.yaml"
    defaults.write_text(defaults.read_text().replace(
        "    alerts:\n      name: SecureNexus\n",
        "    alerts:\n      name: SecureNexus\n      disable: [HighCpuUsage]\n      rules:\n"
        "        - {alert: HighErrorRate, expr: 'vector(1) > 0', for: 1m, severity: critical}\n"
        "        - {alert: Custom, expr: 'vector(0) > 1'}\n",
    ))
    rules = find(objects(root, "uat"), "PrometheusRule")["spec"]["groups"][0]["rules"]
    names = [r["alert"] for r in rules]
    assert "HighCpuUsage" not in names and names[-1] == "Custom"
    replaced = next(r for r in rules if r["alert"] == "HighErrorRate")
    assert (replaced["expr"], replaced["for"], replaced["labels"]["severity"]) == ("vector(1) > 0", "1m", "critical")


def test_metrics_scraping():
    objs = objects(SECURENEXUS, "staging")
    monitor = find(objs, "ServiceMonitor", "securenexus")
    assert monitor["spec"]["endpoints"] == [{"port": "http", "path": "/metrics", "interval": "15s"}]
    pod = find(objs, "Deployment")["spec"]["template"]["metadata"]["annotations"]
    assert (pod["prometheus.io/scrape"], pod["prometheus.io/port"], pod["prometheus.io/path"]) == ("true", "5000", "/metrics")


def test_vault_store_and_mounted_secret_files():
    objs = objects(EXAMPLES / "financehub", "production")
    store = find(objs, "SecretStore", "vault")["spec"]["provider"]["vault"]
    assert store["auth"]["kubernetes"] == {
        "mountPath": "kubernetes", "role": "financehub-external-secrets", "serviceAccountRef": {"name": "vault"},
    }
    assert (store["path"], store["version"]) == ("secret", "v2")
    external = find(objs, "ExternalSecret", "payment-service")
    refs = {d["secretKey"]: (d["remoteRef"]["key"], d["remoteRef"]["property"]) for d in external["spec"]["data"]}
    assert refs["STRIPE_SECRET_KEY"] == ("secret/data/stripe", "secret_key")
    pod = find(objs, "Rollout", "payment-service")["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert "jwt-public.pem" not in [e["name"] for e in container["env"]]
    mount = next(m for m in container["volumeMounts"] if m["mountPath"] == "/etc/financehub/jwt")
    assert mount["readOnly"] is True
    volume = next(v for v in pod["volumes"] if v["name"] == mount["name"])
    assert volume["secret"] == {"secretName": "payment-service-secrets", "items": [{"key": "jwt-public.pem", "path": "jwt-public.pem"}]}
    namespace = find(objs, "Namespace")
    assert namespace["metadata"]["labels"]["istio-injection"] == "enabled"


def test_rbac_only_where_granted_with_the_token_and_its_waiver():
    objs = objects(EXAMPLES / "supabase", "production")
    role = find(objs, "Role", "auth")
    assert role["rules"] == [{"apiGroups": [""], "resources": ["secrets"], "resourceNames": ["auth-secrets"], "verbs": ["get"]}]
    binding = find(objs, "RoleBinding", "auth")
    assert binding["subjects"] == [{"kind": "ServiceAccount", "name": "auth", "namespace": "supabase"}]
    assert find(objs, "ServiceAccount", "auth")["automountServiceAccountToken"] is True
    auth = find(objs, "Deployment", "auth")
    assert auth["spec"]["template"]["spec"]["automountServiceAccountToken"] is True
    assert any(v.startswith("CKV_K8S_38=") for v in auth["metadata"]["annotations"].values())
    kong = find(objs, "Deployment", "kong")
    assert kong["spec"]["template"]["spec"]["automountServiceAccountToken"] is False
    assert not [o for o in objs if o["kind"] in ("Role", "RoleBinding") and o["metadata"]["name"] == "kong"]


def test_supabase_autoscaling_ranges_from_the_seed():
    ranges = {
        o["metadata"]["name"]: (o["spec"]["minReplicas"], o["spec"]["maxReplicas"], o["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"])
        for o in objects(EXAMPLES / "supabase", "staging") if o["kind"] == "HorizontalPodAutoscaler"
    }
    assert ranges == {"auth": (1, 5, 70), "rest": (1, 10, 70), "realtime": (1, 5, 70), "storage": (1, 3, 70), "kong": (1, 5, 70)}


def test_namespace_guard_rails():
    prod = objects(SECURENEXUS, "production")
    quota = find(prod, "ResourceQuota", "compute")["spec"]["hard"]
    # (2 replicas + 1 surge) x 200m requests x 1.5 headroom
    assert quota == {"requests.cpu": "900m", "requests.memory": "1152Mi", "limits.cpu": "4500m",
                     "limits.memory": "4608Mi", "pods": "5"}
    limits = find(prod, "LimitRange")["spec"]["limits"][0]
    assert limits["defaultRequest"] == {"cpu": "100m", "memory": "128Mi"}


def test_multi_replica_services_spread_across_zones():
    spread = find(objects(SECURENEXUS, "production"), "Rollout")["spec"]["template"]["spec"]["topologySpreadConstraints"]
    assert spread == [{"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "ScheduleAnyway",
                       "labelSelector": {"matchLabels": {"app.kubernetes.io/name": "securenexus"}}}]
    assert "topologySpreadConstraints" not in find(objects(SECURENEXUS, "staging"), "Deployment")["spec"]["template"]["spec"]


def test_service_graph_is_written_on_both_sides():
    objs = objects(EXAMPLES / "video-pipeline", "production")
    policies = {o["metadata"]["name"]: o["spec"] for o in objs if o["kind"] == "NetworkPolicy"}
    frontend_to = [r["to"][0] for r in policies["frontend"]["egress"] if "podSelector" in r["to"][0] and "namespaceSelector" not in r["to"][0]]
    assert frontend_to == [{"podSelector": {"matchLabels": {"app.kubernetes.io/name": "uploader"}}}]
    uploader_from = [r for r in policies["uploader"]["ingress"] if "podSelector" in r["from"][0]]
    assert uploader_from == [{"from": [{"podSelector": {"matchLabels": {"app.kubernetes.io/name": "frontend"}}}],
                              "ports": [{"protocol": "TCP", "port": 8000}]}]
    assert "ingress" not in policies["processor"]
    assert policies["default-deny-all"] == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}


PRODUCTION = "environments/production.yaml"


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("replicas: 2", "replicas: 1"), "services.securenexus.replicas: production needs at least 2 replicas"),
        (("    disruption:\n      minAvailable: 1\n", ""), "services.securenexus: production needs a PodDisruptionBudget"),
        (("    replicas: 2\n", "    replicas: 2\n    image: {tag: latest}\n"), "services.securenexus.image.tag: production refuses the 'latest' tag"),
        (("    replicas: 2\n", "    replicas: 2\n    autoscaling: {minReplicas: 1, maxReplicas: 4}\n"),
         "services.securenexus.autoscaling.minReplicas: production needs autoscaling.minReplicas >= 2"),
        (("    replicas: 2\n", "    replicas: 2\n    image: {tag: alpine}\n"), "services.securenexus.image.tag: production refuses the 'alpine' tag"),
        (("    replicas: 2\n", '    replicas: 2\n    image: {tag: "7"}\n'), "services.securenexus.image.tag: production refuses the '7' tag"),
        (("    replicas: 2\n", '    replicas: 2\n    image: {tag: 7-alpine}\n'), "production refuses the '7-alpine' tag"),
        (("    replicas: 2\n", "    replicas: 1\n    singleton: {reason: solo}\n"), "services.securenexus.singleton.reason:"),
    ],
    ids=["one-replica", "no-pdb", "latest-tag", "autoscaling-min-1", "alpine-tag", "bare-major-tag",
         "major-variant-tag", "singleton-reason-too-short"],
)
def test_production_rules_refuse_a_spec(root, run_cli, edit, expected):
    path = root / PRODUCTION
    path.write_text(path.read_text().replace(*edit), encoding="utf-8")
    outcome = run_cli("render", "--root", str(root))
    assert outcome.code == 2
    assert f"{PRODUCTION}:" in outcome.err and expected in outcome.err, outcome.err
    assert not (root / "rendered").exists()


def test_production_accepts_an_image_pinned_by_digest_only(root, run_cli):
    digest = "sha256:" + "a" * 64
    defaults = root / "environments/_defaults.yaml"
    defaults.write_text(defaults.read_text().replace('tag: "1.4.2"', f"digest: {digest}"))
    assert run_cli("render", "--root", str(root)).code == 0, "digest-only images are allowed in production"
    rollout = (root / "rendered/production/production/rollout-securenexus.yaml").read_text()
    assert f"securenexus@{digest}" in rollout


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ("    access:\n      rules: [{apiGroups: ['*'], resources: [pods], verbs: [get]}]\n      reason: needs to list pods for peers\n",
         "services.securenexus.access.rules[0].apiGroups: wildcards ('*') are not allowed"),
        ("    access:\n      rules: [{apiGroups: [''], resources: [pods], verbs: ['*']}]\n      reason: needs to list pods for peers\n",
         "services.securenexus.access.rules[0].verbs: wildcards ('*') are not allowed"),
        ("    access:\n      rules: [{apiGroups: [''], resources: [roles], verbs: [escalate]}]\n      reason: needs to list pods for peers\n",
         "services.securenexus.access.rules[0].verbs: verbs ['escalate'] let a workload raise its own privileges"),
        ("    rollout: {canary: {steps: [50, 20]}}\n", "weights must be strictly increasing"),
        ("    alerts: {name: X}\n    metrics: null\n", "the built-in alerts need metrics"),
    ],
    ids=["wildcard-group", "wildcard-verb", "escalate", "decreasing-canary", "alerts-without-metrics"],
)
def test_unsafe_or_inconsistent_settings_are_spec_errors(root, run_cli, snippet, expected):
    staging = root / "environments/staging.yaml"
    staging.write_text(staging.read_text().replace("    env:\n", snippet + "    env:\n", 1), encoding="utf-8")
    outcome = run_cli("render", "--root", str(root))
    assert outcome.code == 2 and expected in outcome.err, outcome.err


def test_rotated_secrets_roll_the_pods_through_reloader():
    objs = objects(EXAMPLES / "supabase", "production")
    assert find(objs, "Deployment", "auth")["metadata"]["annotations"]["secret.reloader.stakater.com/reload"] == "auth-secrets"
    assert "secret.reloader.stakater.com/reload" not in find(objs, "Deployment", "kong")["metadata"].get("annotations", {})


def test_team_access_is_namespaced_and_never_cluster_admin():
    bindings = [o for o in objects(EXAMPLES / "video-pipeline", "staging") if o["kind"] == "RoleBinding"]
    assert {(b["metadata"]["name"], b["roleRef"]["name"], b["subjects"][0]["name"]) for b in bindings} == {
        ("team-video-admin", "admin", "video-admin"),
        ("team-video-dev", "view", "video-dev"),
        ("team-video-gitops", "edit", "video-gitops"),
    }
    assert all(b["roleRef"]["kind"] == "ClusterRole" and b["metadata"]["namespace"] == "video" for b in bindings)


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ("teams: {ops: cluster-admin}\n", "teams.ops: Input should be 'view', 'edit' or 'admin'"),
        ("teams: {'ops.team': view, 'ops:team': edit}\n", "teams.ops:team: its RoleBinding name 'team-ops-team' is the same"),
    ],
    ids=["cluster-admin", "colliding-names"],
)
def test_team_settings_are_checked(root, run_cli, snippet, expected):
    staging = root / "environments/staging.yaml"
    staging.write_text(staging.read_text() + snippet, encoding="utf-8")
    outcome = run_cli("render", "--root", str(root))
    assert outcome.code == 2 and expected in outcome.err, outcome.err


def test_restart_on_secret_change_needs_secrets(root, run_cli):
    staging = root / "environments/staging.yaml"
    text = staging.read_text()
    text = text[: text.index("    secrets:\n")] + "    secrets: null\n    restartOnSecretChange: true\n"
    staging.write_text(text, encoding="utf-8")
    outcome = run_cli("render", "--root", str(root))
    assert outcome.code == 2
    assert "services.securenexus.restartOnSecretChange: there is no synced Secret to watch" in outcome.err
