"""Workload kinds and what comes with them, on a small spec root written here: a StatefulSet, a
DaemonSet, a Job, a CronJob, a Worker and a Deployment with a native sidecar, lifecycle hooks, ordered
env with valueFrom, emptyDirs, a standalone claim and placement. Each renders hardened and valid (the
render validates schemas and PSS), the real kustomize builds every overlay to rendered/, and every bad
input is refused with its file, line and field."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from generator import pipeline, yamlio
from kustomize_equivalence import overlay_difference, render_into

BASE = {
    "system": "kinds",
    "secretStores": {"aws": {"aws": {"region": "us-east-1"}}},
    "services": {
        "api": {
            "image": {"repository": "registry.example.com/api", "tag": "1.2.3"},
            "port": 8080,
            "ports": [{"name": "grpc", "containerPort": 9090, "servicePort": 9090, "appProtocol": "kubernetes.io/h2c"}],
            "command": ["/api"],
            "args": ["--listen=:8080"],
            "workingDir": "/srv",
            "lifecycle": {"preStop": {"sleepSeconds": 5}},
            "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}, "limits": {"cpu": "500m", "memory": "256Mi"}},
            "probes": {
                "startup": {"tcpSocket": {"port": "grpc"}, "failureThreshold": 30},
                "liveness": {"grpc": {"port": 9090, "service": "liveness"}},
                "readiness": {"path": "/ready", "scheme": "HTTP", "httpHeaders": [{"name": "X-Probe", "value": "1"}]},
            },
            "secrets": [{"store": "aws", "path": "kinds/api", "keys": ["DB_PASSWORD"]}],
            "envVars": [
                {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                {"name": "MEMORY_LIMIT", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory", "divisor": "1Mi"}}},
                {"name": "DB_URL", "value": "postgres://api:$(DB_PASSWORD)@db:5432/api"},
            ],
            "initContainers": [{
                "name": "proxy", "sidecar": True,
                "image": {"repository": "registry.example.com/proxy", "tag": "2.0.0"},
                "resources": {"requests": {"cpu": "50m", "memory": "32Mi"}, "limits": {"cpu": "100m", "memory": "64Mi"}},
                "ports": [{"name": "admin", "containerPort": 15000}],
                "probes": {"readiness": {"path": "/ready", "port": "admin"}},
                "mounts": [{"volume": "cache", "mountPath": "/cache"}],
            }],
            "volumes": {
                "cache": {"mountPath": "/var/cache/api", "emptyDir": {"sizeLimit": "1Gi"}},
                "shm": {"mountPath": "/dev/shm", "emptyDir": {"medium": "Memory", "sizeLimit": "64Mi"}},
                "uploads": {"mountPath": "/uploads", "claim": {"size": "5Gi", "storageClass": "gp3"}},
            },
            "placement": {
                "podLabels": {"tier": "api"}, "labels": {"team": "payments"},
                "nodeSelector": {"kubernetes.io/os": "linux"},
                "tolerations": [{"key": "dedicated", "value": "api", "effect": "NoSchedule"}],
                "antiAffinity": "preferred", "priorityClassName": "high", "imagePullSecrets": ["registry"],
                "minReadySeconds": 5, "revisionHistoryLimit": 3, "progressDeadlineSeconds": 120,
            },
            "security": {"writablePaths": ["/tmp", "/var-cache"]},
        },
        "store": {
            "kind": "StatefulSet",
            "image": {"repository": "registry.example.com/store", "tag": "3.1.0"},
            "port": 5432, "portName": "postgres", "replicas": 3,
            "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}, "limits": {"cpu": "500m", "memory": "256Mi"}},
            "probes": {"readiness": {"exec": {"command": ["pg_isready"]}}, "liveness": {"tcpSocket": {"port": 5432}}},
            "statefulSet": {"podManagementPolicy": "Parallel", "partition": 1},
            "volumes": {"data": {"mountPath": "/var/lib/store", "claim": {"size": "10Gi"}}},
            "ingress": [{"from": {"service": "api"}}],
        },
        "agent": {
            "kind": "DaemonSet",
            "image": {"repository": "registry.example.com/agent", "tag": "0.9.1"},
            "port": 9100, "portName": "metrics",
            "daemonSet": {"maxNodes": 5},
            "resources": {"requests": {"cpu": "10m", "memory": "16Mi"}, "limits": {"cpu": "50m", "memory": "32Mi"}},
            "probes": {"readiness": {"path": "/"}, "liveness": {"path": "/"}},
        },
        "migrate": {
            "kind": "Job",
            "image": {"repository": "registry.example.com/api", "tag": "1.2.3"},
            "args": ["migrate"],
            "job": {"backoffLimit": 2, "activeDeadlineSeconds": 600, "restartPolicy": "Never"},
            "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}, "limits": {"cpu": "500m", "memory": "256Mi"}},
            "egress": [{"to": {"service": "store"}}],
        },
        "report": {
            "kind": "CronJob",
            "image": {"repository": "registry.example.com/api", "tag": "1.2.3"},
            "args": ["report"],
            "cron": {"schedule": "0 3 * * *", "timeZone": "Etc/UTC", "concurrencyPolicy": "Allow",
                     "startingDeadlineSeconds": 300, "suspend": False},
            "job": {"ttlSecondsAfterFinished": 3600, "parallelism": 2},
            "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}, "limits": {"cpu": "500m", "memory": "256Mi"}},
        },
        "queue-worker": {
            "kind": "Worker",
            "image": {"repository": "registry.example.com/worker", "tag": "4.0.0"},
            "replicas": 2,
            "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}, "limits": {"cpu": "500m", "memory": "256Mi"}},
            "probes": {"liveness": {"exec": {"command": ["/worker", "health"]}}},
            "waivers": [{"check": "CKV_K8S_9", "reason": "a queue worker serves no traffic: nothing for readiness to gate"}],
        },
    },
}


def write_root(root: Path, staging: dict, production_edit=None) -> Path:
    (root / "environments").mkdir(parents=True)
    (root / "environments" / "staging.yaml").write_text(yamlio.dump(staging), encoding="utf-8")
    uat = copy.deepcopy(staging)
    if production_edit:
        production_edit(uat)
    (root / "environments" / "uat.yaml").write_text(yamlio.dump(uat), encoding="utf-8")
    return root


def _more_in_uat(spec):
    spec["services"]["store"]["replicas"] = 5
    spec["services"]["report"]["cron"]["schedule"] = "0 4 * * *"
    spec["services"]["api"]["initContainers"][0]["image"]["tag"] = "2.0.1"
    del spec["services"]["agent"]


@pytest.fixture(scope="module")
def kinds_root(tmp_path_factory):
    root = write_root(tmp_path_factory.mktemp("kinds"), BASE, _more_in_uat)
    render_into(root)
    return root


def objects(root: Path, env: str = "staging") -> dict[tuple[str, str], dict]:
    built = {b.name: b.objects for b in pipeline.build(root).environments}
    return {(o["kind"], o["metadata"]["name"]): o for o in built[env]}


def test_every_kind_renders_with_its_own_objects(kinds_root):
    objs = objects(kinds_root)
    assert {k for k, _ in objs} >= {"StatefulSet", "DaemonSet", "Job", "CronJob", "Deployment", "PersistentVolumeClaim"}
    for name in ("migrate", "report", "queue-worker"):
        assert ("Service", name) not in objs and ("PodDisruptionBudget", name) not in objs
    assert objs[("Service", "store")]["spec"]["clusterIP"] == "None"
    sts = objs[("StatefulSet", "store")]["spec"]
    assert sts["serviceName"] == "store" and sts["podManagementPolicy"] == "Parallel"
    assert sts["updateStrategy"] == {"type": "RollingUpdate", "rollingUpdate": {"partition": 1}}
    assert sts["persistentVolumeClaimRetentionPolicy"] == {"whenDeleted": "Retain", "whenScaled": "Retain"}
    assert sts["volumeClaimTemplates"][0]["metadata"]["name"] == "data"
    assert "volumes" not in sts["template"]["spec"] or all(v["name"] != "data" for v in sts["template"]["spec"]["volumes"])
    job = objs[("Job", "migrate")]
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"
    assert (job["spec"]["backoffLimit"], job["spec"]["activeDeadlineSeconds"]) == (2, 600)
    assert job["metadata"]["annotations"]["argocd.argoproj.io/sync-options"] == "Force=true,Replace=true"
    cron = objs[("CronJob", "report")]["spec"]
    assert (cron["schedule"], cron["timeZone"], cron["concurrencyPolicy"]) == ("0 3 * * *", "Etc/UTC", "Allow")
    assert cron["jobTemplate"]["spec"]["ttlSecondsAfterFinished"] == 3600
    worker = objs[("Deployment", "queue-worker")]["spec"]["template"]["spec"]["containers"][0]
    assert "ports" not in worker and "readinessProbe" not in worker
    ds = objs[("DaemonSet", "agent")]["spec"]
    assert "replicas" not in ds and ds["updateStrategy"]["type"] == "RollingUpdate"


def test_containers_probes_env_and_volumes(kinds_root):
    objs = objects(kinds_root)
    pod = objs[("Deployment", "api")]["spec"]["template"]["spec"]
    main = pod["containers"][0]
    assert (main["command"], main["args"], main["workingDir"]) == (["/api"], ["--listen=:8080"], "/srv")
    assert main["lifecycle"] == {"preStop": {"sleep": {"seconds": 5}}}
    assert [p["name"] for p in main["ports"]] == ["http", "grpc"]
    assert main["startupProbe"]["tcpSocket"] == {"port": "grpc"}
    assert main["livenessProbe"]["grpc"] == {"port": 9090, "service": "liveness"}
    assert main["readinessProbe"]["httpGet"] == {"path": "/ready", "port": "http", "scheme": "HTTP",
                                                 "httpHeaders": [{"name": "X-Probe", "value": "1"}]}
    assert [e["name"] for e in main["env"]] == ["DB_PASSWORD", "POD_NAME", "MEMORY_LIMIT", "DB_URL"]
    assert main["env"][3]["value"] == "postgres://api:$(DB_PASSWORD)@db:5432/api"
    sidecar = pod["initContainers"][0]
    assert sidecar["restartPolicy"] == "Always" and sidecar["readinessProbe"]["httpGet"]["port"] == "admin"
    assert sidecar["securityContext"] == main["securityContext"]
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert volumes["shm"]["emptyDir"] == {"medium": "Memory", "sizeLimit": "64Mi"}
    assert volumes["uploads"]["persistentVolumeClaim"] == {"claimName": "api-uploads"}
    assert {"tmp", "var-cache", "cache"} <= set(volumes)
    claim = objs[("PersistentVolumeClaim", "api-uploads")]
    assert claim["spec"]["storageClassName"] == "gp3"
    assert "Prune=false" in claim["metadata"]["annotations"]["argocd.argoproj.io/sync-options"]
    ports = objs[("Service", "api")]["spec"]["ports"]
    assert ports[1] == {"name": "grpc", "port": 9090, "targetPort": "grpc", "protocol": "TCP", "appProtocol": "kubernetes.io/h2c"}


def test_placement_and_labels(kinds_root):
    objs = objects(kinds_root)
    deployment = objs[("Deployment", "api")]
    pod = deployment["spec"]["template"]
    assert pod["metadata"]["labels"]["tier"] == "api"
    assert deployment["metadata"]["labels"]["team"] == "payments"
    assert objs[("Service", "api")]["metadata"]["labels"]["team"] == "payments"
    spec = pod["spec"]
    assert spec["nodeSelector"] == {"kubernetes.io/os": "linux"}
    assert spec["tolerations"] == [{"key": "dedicated", "operator": "Equal", "value": "api", "effect": "NoSchedule"}]
    assert spec["affinity"]["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"][0]["weight"] == 100
    assert (spec["priorityClassName"], spec["imagePullSecrets"]) == ("high", [{"name": "registry"}])
    assert (deployment["spec"]["minReadySeconds"], deployment["spec"]["revisionHistoryLimit"],
            deployment["spec"]["progressDeadlineSeconds"]) == (5, 3, 120)


def test_quota_counts_sidecars_cronjob_overlap_and_daemonset_nodes(kinds_root):
    quota = objects(kinds_root)[("ResourceQuota", "compute")]["spec"]["hard"]
    pods = {"api": 1 + 1, "store": 3, "agent": 5 + 1, "migrate": 1, "report": 2 * 2, "queue-worker": 2 + 1}
    assert quota["pods"] == str(-(-sum(pods.values()) * 3 // 2))
    # requests.cpu: api pod = 100m + 50m sidecar; others 100m, the agent 10m
    cpu = (2 * 150 + 3 * 100 + 6 * 10 + 1 * 100 + 4 * 100 + 3 * 100) * 1.5
    assert quota["requests.cpu"] == f"{int(cpu)}m"


@pytest.mark.parametrize("env", ["staging", "uat"])
def test_kustomize_builds_every_kind_to_rendered(kinds_root, env):
    assert overlay_difference(kinds_root, env) is None


def _bad(edit):
    spec = copy.deepcopy(BASE)
    edit(spec["services"])
    return spec


BAD = [
    pytest.param(lambda s: s["api"]["probes"]["liveness"].update(grpc={"port": 7000}),
                 "services.api.probes.liveness: probes port 7000, which the container does not declare", id="probe-undeclared-port"),
    pytest.param(lambda s: s["api"]["probes"].pop("readiness"),
                 "services.api.probes.readiness: a workload behind a Service needs a readiness probe", id="no-readiness"),
    pytest.param(lambda s: s["queue-worker"].update(servicePort=80),
                 "services.queue-worker.servicePort: a Worker listens on no port", id="worker-with-service-port"),
    pytest.param(lambda s: s["queue-worker"].update(statefulSet={"partition": 1}),
                 "services.queue-worker.statefulSet: statefulSet goes with kind StatefulSet", id="settings-of-another-kind"),
    pytest.param(lambda s: s["report"].pop("cron"), "services.report.cron: a CronJob needs cron", id="cronjob-without-schedule"),
    pytest.param(lambda s: s["migrate"].update(disruption={"minAvailable": 1}),
                 "services.migrate.disruption: a Job takes no disruption", id="job-with-pdb"),
    pytest.param(lambda s: s["migrate"]["job"].update(ttlSecondsAfterFinished=60),
                 "services.migrate.job.ttlSecondsAfterFinished: Argo CD would recreate", id="job-ttl"),
    pytest.param(lambda s: s["store"].update(rollout={"canary": {"steps": [50]}}),
                 "services.store.rollout: a canary rollout needs kind Deployment", id="rollout-on-statefulset"),
    pytest.param(lambda s: s["api"]["security"].update(writablePaths=["/var/cache", "/var-cache"]),
                 "would share the volume name 'var-cache'", id="writable-paths-collide"),
    pytest.param(lambda s: s["api"]["initContainers"][0]["mounts"][0].update(volume="nope"),
                 "services.api.initContainers[0].mounts[0].volume: unknown volume 'nope'", id="mount-unknown-volume"),
    pytest.param(lambda s: s["api"]["image"].update(pullPolicy="IfNotPresent"),
                 "services.api.image.pullPolicy: imagePullPolicy IfNotPresent fails CKV_K8S_15", id="pull-policy-unwaived"),
    pytest.param(lambda s: s["api"]["envVars"].append({"name": "X", "valueFrom": {"secretKey": "MISSING"}}),
                 "services.api.envVars[3].valueFrom.secretKey: MISSING is not a key of the synced Secret", id="unknown-secret-key"),
    pytest.param(lambda s: s["api"]["envVars"].append({"name": "URL", "value": "postgres://api:hunter22@db/x"}),
                 "services.api.envVars[3].value: looks like a credential", id="literal-password-in-url"),
    pytest.param(lambda s: s["api"]["ports"].append({"name": "http", "containerPort": 9999}),
                 "services.api.ports[1].name: port name 'http' is already used", id="duplicate-port-name"),
    pytest.param(lambda s: s["api"]["volumes"].update(conf={"mountPath": "/etc/x", "files": {"a.conf": {"file": "../outside.conf"}}}),
                 "services.api.volumes.conf.files.a.conf.file: '../outside.conf': ../outside.conf: leaves the root", id="file-outside-root"),
    pytest.param(lambda s: s["api"]["volumes"].update(conf={"mountPath": "/etc/x", "files": {"a.conf": {"file": "missing.conf"}}}),
                 "services.api.volumes.conf.files.a.conf.file: cannot read 'missing.conf'", id="file-missing"),
    pytest.param(lambda s: s["queue-worker"].update(serviceAccount={"name": "api"}, access={
        "rules": [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get"]}], "reason": "reads its own configuration"}),
                 "shares ServiceAccount 'api' with api; both or neither need access", id="shared-account-disagrees"),
]


@pytest.mark.parametrize(("edit", "expected"), BAD)
def test_bad_input_is_refused_with_file_line_and_field(tmp_path, run_cli, edit, expected):
    root = write_root(tmp_path / "root", _bad(edit))
    outcome = run_cli("render", "--root", str(root))
    assert outcome.code == 2, outcome.out
    assert expected in outcome.err, outcome.err
    assert all(line.startswith("environments/") and line.split(":")[1].isdigit() for line in outcome.err.splitlines())
    assert "Traceback" not in outcome.err
    assert sorted(p.name for p in root.iterdir()) == ["environments"]


def test_a_reference_is_not_a_credential_and_a_file_is_read_from_the_root(tmp_path, run_cli):
    spec = copy.deepcopy(BASE)
    spec["services"]["api"]["volumes"]["conf"] = {
        "mountPath": "/etc/api/api.conf", "subPath": "api.conf",
        "files": {"api.conf": {"file": "environments/files/api.conf", "mode": "0640"}},
    }
    root = write_root(tmp_path / "root", spec)
    (root / "environments" / "files").mkdir()
    (root / "environments" / "files" / "api.conf").write_text("listen 8080\n", encoding="utf-8")
    assert run_cli("render", "--root", str(root)).code == 0
    objs = objects(root)
    assert objs[("ConfigMap", "api-conf")]["data"] == {"api.conf": "listen 8080\n"}
    pod = objs[("Deployment", "api")]["spec"]["template"]["spec"]
    volume = next(v for v in pod["volumes"] if v["name"] == "conf")
    assert volume["configMap"]["items"] == [{"key": "api.conf", "path": "api.conf", "mode": 0o640}]
    mount = next(m for m in pod["containers"][0]["volumeMounts"] if m["name"] == "conf")
    assert mount == {"name": "conf", "mountPath": "/etc/api/api.conf", "subPath": "api.conf", "readOnly": True}
    before = objs[("Deployment", "api")]["spec"]["template"]["metadata"]["annotations"]["checksum/files"]
    (root / "environments" / "files" / "api.conf").write_text("listen 9090\n", encoding="utf-8")
    after = objects(root)[("Deployment", "api")]["spec"]["template"]["metadata"]["annotations"]["checksum/files"]
    assert before != after


def _exposed(expose: dict, controller: dict | None = None) -> dict:
    spec = copy.deepcopy(BASE)
    spec["services"]["api"]["expose"] = expose
    if controller is not None:
        spec["ingressController"] = controller
    return spec


def test_alb_admits_the_vpc_nginx_its_pods_and_a_gateway_route_its_proxies(tmp_path):
    cases = {
        "alb": _exposed({"host": "api.example.com"}, {"vpcCidr": "10.20.0.0/16"}),
        "nginx": _exposed({"host": "api.example.com", "ingressClassName": "nginx", "controller": "in-cluster",
                           "tlsSecretName": "api-tls",
                           "issuer": {"name": "letsencrypt"}},
                          {"namespace": "ingress-nginx", "podLabels": {"app.kubernetes.io/name": "ingress-nginx"}}),
        "gateway": _exposed({"host": "api.example.com", "path": "/v1",
                             "gateway": {"name": "public", "namespace": "gateways", "sectionName": "https",
                                         "proxyNamespace": "envoy-gateway-system"}}),
    }
    peers = {}
    for case, spec in cases.items():
        root = write_root(tmp_path / case, spec)
        objs = objects(root)
        rules = objs[("NetworkPolicy", "api")]["spec"]["ingress"]
        peers[case] = [r["from"][0] for r in rules if r["ports"] == [{"protocol": "TCP", "port": 8080}]]
        if case == "alb":
            assert objs[("Ingress", "api")]["metadata"]["annotations"]["alb.ingress.kubernetes.io/target-type"] == "ip"
        if case == "nginx":
            ingress = objs[("Ingress", "api")]
            assert not any(k.startswith("alb.") for k in ingress["metadata"]["annotations"])
            assert ingress["metadata"]["annotations"]["cert-manager.io/cluster-issuer"] == "letsencrypt"
            assert ingress["spec"]["tls"] == [{"hosts": ["api.example.com"], "secretName": "api-tls"}]
        if case == "gateway":
            assert ("Ingress", "api") not in objs
            route = objs[("HTTPRoute", "api")]["spec"]
            assert route["parentRefs"][0]["name"] == "public" and route["parentRefs"][0]["sectionName"] == "https"
            assert route["rules"][0] == {"matches": [{"path": {"type": "PathPrefix", "value": "/v1"}}],
                                         "backendRefs": [{"name": "api", "port": 8080}]}
    assert peers["alb"] == [{"ipBlock": {"cidr": "10.20.0.0/16"}}]
    assert peers["nginx"] == [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}},
                               "podSelector": {"matchLabels": {"app.kubernetes.io/name": "ingress-nginx"}}}]
    assert peers["gateway"] == [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "envoy-gateway-system"}}}]


@pytest.mark.parametrize(("expose", "expected"), [
    pytest.param({"host": "api.example.com"}, "the ALB sends from the VPC's addresses", id="alb-without-vpc"),
    pytest.param({"host": "api.example.com", "ingressClassName": "nginx", "controller": "in-cluster", "certificateArn":
                  "arn:aws:acm:us-east-1:123456789012:certificate/abc"}, "ALB settings, not for controller in-cluster",
                 id="acm-on-nginx"),
    pytest.param({"host": "api.example.com", "tlsSecretName": "x"}, "go with an in-cluster controller", id="secret-on-alb"),
])
def test_exposure_that_cannot_work_is_refused(tmp_path, run_cli, expose, expected):
    root = write_root(tmp_path / "root", _exposed(expose))
    outcome = run_cli("render", "--root", str(root))
    assert outcome.code == 2 and expected in outcome.err, outcome.err
