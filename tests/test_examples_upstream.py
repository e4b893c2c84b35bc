"""The ported examples (their specs, kept as fixture roots under tests/fixtures/) keep what their upstream manifests say: each workload's images, commands, ports,
probe handlers and timings, env, resources, volumes and schedules, and each Service's type and ports, read
from the copies under tests/upstream/ (see SOURCE.md there) and compared with the rendered objects.
Only what the platform adds is left out: labels, ServiceAccounts, hardening, NetworkPolicies, /tmp."""

from __future__ import annotations

import pytest

from conftest import FIXTURES
from generator import pipeline
from upstream_facts import UPSTREAM, config_map_data, load_upstream, service_facts, workload_facts, workloads

PLATFORM_MOUNTS = {"/tmp"}


def rendered(root: str) -> dict[str, list[dict]]:
    return {b.name: list(b.objects) for b in pipeline.build(FIXTURES / root).environments}


def comparable(facts: dict, upstream: dict) -> dict:
    """Rendered facts without what the platform adds where upstream has none: the writable /tmp, and
    requests and limits (required here; upstream's init container sets none)."""
    for group in ("containers", "initContainers"):
        for name, container in facts[group].items():
            theirs = upstream[group].get(name, {})
            container["mounts"] = {
                p: v for p, v in container["mounts"].items() if p in theirs.get("mounts", {}) or p not in PLATFORM_MOUNTS
            }
            if theirs and theirs["resources"] is None:
                container["resources"] = None
    return facts


@pytest.fixture(scope="module")
def boutique():
    return rendered("online-boutique")


BOUTIQUE = load_upstream("online-boutique", "kubernetes-manifests.yaml")
BOUTIQUE_WORKLOADS = workloads(BOUTIQUE)


def test_the_port_has_every_upstream_workload(boutique):
    assert len(BOUTIQUE_WORKLOADS) == 12
    for env in ("staging", "uat"):
        assert set(workloads(boutique[env])) == set(BOUTIQUE_WORKLOADS)
    assert set(workloads(boutique["production"])) == set(BOUTIQUE_WORKLOADS) - {"loadgenerator"}


@pytest.mark.parametrize("name", sorted(BOUTIQUE_WORKLOADS))
def test_boutique_workload_keeps_the_upstream_facts(boutique, name):
    upstream = workload_facts(BOUTIQUE_WORKLOADS[name], config_map_data(BOUTIQUE))
    objects = boutique["staging"]
    ours = comparable(workload_facts(workloads(objects)[name], config_map_data(objects)), upstream)
    assert ours == upstream


def test_boutique_services_keep_the_upstream_types_and_ports(boutique):
    objects = boutique["staging"]
    ours = {o["metadata"]["name"]: o for o in objects if o["kind"] == "Service"}
    theirs = {o["metadata"]["name"]: o for o in BOUTIQUE if o["kind"] == "Service"}
    assert set(ours) == set(theirs)
    for name, service in theirs.items():
        workload = BOUTIQUE_WORKLOADS[service["spec"]["selector"]["app"]]
        ours_workload = workloads(objects)[ours[name]["spec"]["selector"]["app.kubernetes.io/name"]]
        assert service_facts(ours[name], ours_workload) == service_facts(service, workload), name
        names = [p.get("name") for p in service["spec"]["ports"]]
        assert [p["name"] for p in ours[name]["spec"]["ports"]] == names


def test_boutique_production_pins_redis_and_keeps_it_single(boutique):
    redis = workloads(boutique["production"])["redis-cart"]
    assert redis["spec"]["replicas"] == 1
    assert redis["spec"]["template"]["spec"]["containers"][0]["image"] == "redis:7.4.2-alpine"
    assert "gitops-gen/singleton" in redis["metadata"]["annotations"]
    budgets = {o["metadata"]["name"] for o in boutique["production"] if o["kind"] == "PodDisruptionBudget"}
    assert "redis-cart" not in budgets and len(budgets) == 10


def test_boutique_network_allows_exactly_the_calls_the_env_names(boutique):
    """Every *_ADDR a service is given is an egress allow on the callee's container port, and the public
    load balancer may reach the frontend."""
    objects = boutique["staging"]
    policies = {o["metadata"]["name"]: o["spec"] for o in objects if o["kind"] == "NetworkPolicy"}
    ports = {n: pod["containers"][0]["ports"][0]["containerPort"]
             for n, w in workloads(objects).items() if (pod := w["spec"]["template"]["spec"])["containers"][0].get("ports")}
    config = config_map_data(objects)
    for name, workload in workloads(objects).items():
        env = config.get(f"{name}-env", {})
        callees = {v.split(":")[0] for k, v in env.items() if k.endswith("_ADDR")} - {"shoppingassistantservice"}
        egress = {
            (rule["to"][0]["podSelector"]["matchLabels"]["app.kubernetes.io/name"], rule["ports"][0]["port"])
            for rule in policies[name].get("egress", []) if "podSelector" in rule["to"][0] and "namespaceSelector" not in rule["to"][0]
        }
        assert egress == {(c, ports[c]) for c in callees}, name
    frontend_from = [rule["from"][0] for rule in policies["frontend"]["ingress"]]
    assert {"ipBlock": {"cidr": "0.0.0.0/0"}} in frontend_from


PODINFO = [
    doc
    for path in sorted((UPSTREAM / "podinfo" / "bases").rglob("*.yaml"))
    if path.name != "kustomization.yaml"
    for doc in load_upstream("podinfo", *path.relative_to(UPSTREAM / "podinfo").parts)
]
PODINFO_WORKLOADS = workloads(PODINFO)
PODINFO_FILES = {
    "cache-config": {"redis.conf": "cache/redis.conf"},
    "warm-cache-script": {"warm-cache.sh": "frontend/scripts/warm-cache.sh",
                          "warm-cache-init.sh": "frontend/scripts/warm-cache-init.sh"},
    "rollup-daily-script": {"rollup.sh": "database/scripts/rollup.sh"},
    "rollup-weekly-script": {"rollup.sh": "database/scripts/rollup.sh"},
    "backup-daily-script": {"backup.sh": "database/scripts/backup.sh"},
}


@pytest.fixture(scope="module")
def podinfo():
    return rendered("podinfo")


def test_podinfo_has_every_upstream_workload_in_each_overlay(podinfo):
    assert len(PODINFO_WORKLOADS) == 9
    assert sorted(podinfo) == sorted(p.name for p in (UPSTREAM / "podinfo" / "overlays").iterdir())
    for env, objects in podinfo.items():
        assert set(workloads(objects)) == set(PODINFO_WORKLOADS), env


@pytest.mark.parametrize("name", sorted(PODINFO_WORKLOADS))
def test_podinfo_workload_keeps_the_upstream_facts(podinfo, name):
    upstream = workload_facts(PODINFO_WORKLOADS[name], {})
    objects = podinfo["production"]
    ours = comparable(workload_facts(workloads(objects)[name], config_map_data(objects)), upstream)
    assert ours == upstream
    pod = (PODINFO_WORKLOADS[name]["spec"].get("jobTemplate", {}).get("spec") or PODINFO_WORKLOADS[name]["spec"])
    account = pod["template"]["spec"].get("serviceAccountName")
    ours_pod = workloads(objects)[name]["spec"]
    ours_pod = ours_pod.get("jobTemplate", {}).get("spec") or ours_pod
    assert ours_pod["template"]["spec"]["serviceAccountName"] == (account or name)


def test_podinfo_services_and_autoscalers_keep_the_upstream_numbers(podinfo):
    objects = podinfo["staging"]
    for kind in ("Service", "HorizontalPodAutoscaler"):
        theirs = {o["metadata"]["name"]: o for o in PODINFO if o["kind"] == kind}
        ours = {o["metadata"]["name"]: o for o in objects if o["kind"] == kind}
        assert set(ours) == set(theirs), kind
        for name, o in theirs.items():
            if kind == "Service":
                selected = o["spec"]["selector"]["app.kubernetes.io/name"]
                assert service_facts(ours[name], workloads(objects)[selected]) == \
                    service_facts(o, PODINFO_WORKLOADS[selected]), name
            else:
                keep = lambda h: (h["spec"]["scaleTargetRef"], h["spec"]["minReplicas"], h["spec"]["maxReplicas"],
                                  h["spec"]["metrics"])
                assert keep(ours[name]) == keep(o), name


def test_podinfo_config_files_are_the_upstream_files(podinfo):
    data = config_map_data(podinfo["dev"])
    for config_map, files in PODINFO_FILES.items():
        expected = {key: (UPSTREAM / "podinfo" / "bases" / path).read_text(encoding="utf-8") for key, path in files.items()}
        assert data[config_map] == expected, config_map


def test_podinfo_statefulset_keeps_its_volume_and_the_shared_account(podinfo):
    objects = podinfo["production"]
    primary = workloads(objects)["database-primary"]
    assert primary["spec"]["serviceName"] == "database-primary"
    assert primary["spec"]["persistentVolumeClaimRetentionPolicy"] == {"whenDeleted": "Retain", "whenScaled": "Retain"}
    upstream_claim = next(o for o in PODINFO if o["kind"] == "PersistentVolumeClaim")["spec"]
    assert primary["spec"]["volumeClaimTemplates"][0]["spec"] == upstream_claim
    accounts = [o["metadata"]["name"] for o in objects if o["kind"] == "ServiceAccount"]
    assert accounts.count("database") == 1
    users = {n for n, w in workloads(objects).items()
             if "database" == (w["spec"].get("jobTemplate", {}).get("spec") or w["spec"])["template"]["spec"]["serviceAccountName"]}
    assert users == {"database-primary", "database-replica", "rollup-daily", "rollup-weekly", "backup-daily"}
