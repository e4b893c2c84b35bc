"""``gitops-gen graph``: the allow graph read from the generated NetworkPolicies, on a fixture root where
two services call each other, DNS and the ingress controller are allowed and an IP block is reached;
the DOT output parsed by a real DOT parser; and the edges a pull request adds, embedded in its comment."""

from __future__ import annotations

import pydot
import pytest

import review_roots
from conftest import FIXTURES, copy_root

API = """\
  api:
    image: {repository: registry.example.com/shop/api, tag: "1.0.0"}
    port: 9000
    replicas: 2
    disruption: {minAvailable: 1}
    resources:
      requests: {cpu: 100m, memory: 128Mi}
      limits: {cpu: 500m, memory: 256Mi}
    probes:
      liveness: {path: /healthz}
      readiness: {path: /ready}
    ingress:
      - from: {service: web}
"""


@pytest.fixture
def shop(tmp_path):
    defaults = review_roots.DEFAULTS.replace("argocd:\n", API + "argocd:\n").replace(
        "secretStores:", "ingressController:\n  namespace: ingress\n  podLabels: {app.kubernetes.io/name: nginx}\nsecretStores:")
    staging = review_roots.ENVIRONMENTS["staging.yaml"] + (
        "    expose: {host: shop.example.com, controller: in-cluster, ingressClassName: nginx}\n")
    return review_roots.write(tmp_path / "shop", {"_defaults.yaml": defaults, "staging.yaml": staging})


def test_mermaid_draws_each_allow_once_with_its_ports(shop, run_cli):
    result = run_cli("graph", "--env", "staging", "--root", str(shop))
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "flowchart LR"
    nodes = {line.strip() for line in lines if line.startswith("    ")}
    assert nodes == {
        'nstagingstaging_web["web"]', 'nstagingstaging_api["api"]', 'nstagingcidr_10_0_0_0_8["10.0.0.0/8"]',
        'nstagingkube_system_k8s_app_kube_dns["DNS (kube-system)"]', 'nstagingingress_nginx["ingress: nginx"]',
    }
    edges = [line.strip() for line in lines if "--" in line]
    # web -> api is both web's egress and api's ingress: drawn once, on api's port
    assert edges.count('nstagingstaging_web -->|"TCP 9000"| nstagingstaging_api') == 1
    assert 'nstagingstaging_web -->|"TCP 5432"| nstagingcidr_10_0_0_0_8' in edges
    assert 'nstagingingress_nginx -->|"TCP 8080"| nstagingstaging_web' in edges
    assert 'nstagingstaging_api -->|"UDP 53, TCP 53"| nstagingkube_system_k8s_app_kube_dns' in edges
    assert len(edges) == len(set(edges)) == 5  # and web to DNS


@pytest.mark.filterwarnings("ignore:'setParseAction' deprecated")  # pydot 4.0.1 on pyparsing 3.3
def test_dot_parses_and_has_the_same_edges(shop, run_cli):
    mermaid = run_cli("graph", "--root", str(shop)).out
    result = run_cli("graph", "--format", "dot", "--root", str(shop))
    (parsed,) = pydot.graph_from_dot_data(result.out)
    clusters = {g.get_name().strip('"') for g in parsed.get_subgraphs()}
    assert clusters == {"cluster_production", "cluster_staging", "cluster_uat"}
    edges = {(e.get_source().strip('"'), e.get_destination().strip('"'), e.get_label().strip('"')) for e in parsed.get_edges()}
    assert ("uat:uat/web", "uat:uat/api", "TCP 9000") in edges
    assert len(edges) == sum(1 for line in mermaid.splitlines() if "-->" in line)


def test_unknown_environment_is_exit_2(shop, run_cli):
    result = run_cli("graph", "--env", "qa", "--root", str(shop))
    assert (result.code, result.err) == (2, "environments/: --env: unknown environment 'qa' (environments: production, staging, uat)\n")


def test_the_pull_request_comment_embeds_the_allows_it_adds_and_removes(shop, run_cli):
    review_roots.commit_all(shop, "base")
    production = shop / "environments/production.yaml"
    production.write_text(production.read_text(encoding="utf-8") + """\
    egress:
      - to: {cidr: 0.0.0.0/0}
        ports: [22]
""", encoding="utf-8")
    text = run_cli("diff", "--base", "HEAD", "--root", str(shop), "--format", "markdown").out
    section = text[text.index("#### Network allows: 1 added, 1 removed"):]
    assert section.startswith("#### Network allows: 1 added, 1 removed\n\n```mermaid\nflowchart LR\n")
    assert '  nproductionproduction_web -->|"TCP 22"| nproductioncidr_0_0_0_0_0\n' in section
    assert '  nproductionproduction_web -. "− TCP 5432" .-> nproductioncidr_10_0_0_0_8\n' in section
    assert section.rstrip().endswith("```")
    # no network change, no graph
    review_roots.git(shop, "checkout", "-q", "--", "environments")
    staging = shop / "environments/staging.yaml"
    staging.write_text(staging.read_text(encoding="utf-8").replace('"2.1.0"', '"2.1.1"'), encoding="utf-8")
    assert "Network allows" not in run_cli("diff", "--base", "HEAD", "--root", str(shop), "--format", "markdown").out


def test_the_graph_of_an_environment_on_several_clusters_draws_each_cluster(tmp_path, run_cli):
    root = copy_root(FIXTURES / "financehub", tmp_path / "root")
    both = run_cli("graph", "--root", str(root), "--env", "production")
    assert both.code == 0, both.err
    assert '["production/financehub-prod"]' in both.out and '["production/financehub-dr"]' in both.out
    one = run_cli("graph", "--root", str(root), "--env", "production/financehub-dr")
    assert '["production/financehub-dr"]' in one.out and "financehub-prod" not in one.out
