"""The ported examples keep what their upstream manifests say: each workload's images, commands, ports,
probe handlers and timings, env, resources, volumes and schedules, and each Service's type and ports, read
from the copies under tests/upstream/ (see SOURCE.md there) and compared with the rendered objects.
Only what the platform adds is left out: labels, ServiceAccounts, hardening, NetworkPolicies, /tmp."""

from __future__ import annotations

import pytest

from conftest import REPO
from generator import pipeline
from upstream_facts import config_map_data, load_upstream, service_facts, workload_facts, workloads

EXAMPLES = REPO / "examples"
PLATFORM_MOUNTS = {"/tmp"}


def rendered(root: str) -> dict[str, list[dict]]:
    return {b.name: list(b.objects) for b in pipeline.build(EXAMPLES / root)}


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
