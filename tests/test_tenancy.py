"""Class 5 of the hostile-input review: tenancy and privilege from a spec. An environment cannot take a
namespace of the cluster or of its platform, bind a role to a ``system:`` group, or steer a policy engine
or deployment tool through metadata (waivers come only from ``waivers``); the legitimate neighbours of each
rule still render."""

from __future__ import annotations

import pytest

from conftest import SECURENEXUS, REPO, copy_root, tree

QA = "environments/qa.yaml"


def qa(tmp_path, run_cli, body: str):
    root = copy_root(SECURENEXUS, tmp_path / "root")
    (root / QA).write_text("extends: _defaults.yaml\n" + body, encoding="utf-8")
    before = tree(root)
    outcome = run_cli("render", "--root", str(root))
    return root, before, outcome


def refused(tmp_path, run_cli, body: str, expected: str) -> None:
    root, before, outcome = qa(tmp_path, run_cli, body)
    assert outcome.code == 2, outcome.out
    assert expected in outcome.err, outcome.err
    assert tree(root) == before


NAMESPACES = [
    pytest.param("namespace: kube-system\nservices:\n  kube-dns:\n    image: {repository: x/dns, tag: '1'}\n"
                 "    resources: {requests: {cpu: 10m, memory: 8Mi}, limits: {cpu: 10m, memory: 8Mi}}\n"
                 "    probes: {liveness: {path: /}, readiness: {path: /}}\n",
                 "is a namespace of the cluster", id="kube-system-with-kube-dns"),
    *(pytest.param(f"namespace: {ns}\n", "is a namespace of the cluster", id=ns)
      for ns in ("kube-public", "kube-node-lease", "default", "argocd", "kube-anything")),
    pytest.param("namespace: gitops\nargocd:\n  repoURL: https://git.example.com/x/y.git\n  namespace: gitops\n",
                 "is the namespace of Argo CD", id="argocd-namespace-renamed"),
    pytest.param("namespace: monitoring\nservices:\n  securenexus:\n    metrics: {port: 9090}\n",
                 "is the namespace of Prometheus", id="prometheus"),
    pytest.param("namespace: ingress\ningressController: {namespace: ingress}\n",
                 "is the namespace of the ingress controller", id="ingress-controller"),
    pytest.param("namespace: dns\ndns: {namespace: dns}\n", "is the namespace of the cluster DNS", id="cluster-dns"),
]


@pytest.mark.parametrize(("body", "expected"), NAMESPACES)
def test_namespaces_of_the_cluster_and_the_platform_are_refused(tmp_path, run_cli, body, expected):
    refused(tmp_path, run_cli, body, f"{QA}:2:1: namespace: " if body.startswith("namespace") else "namespace: ")
    refused(tmp_path / "again", run_cli, body, expected)


@pytest.mark.parametrize("group", ["system:authenticated", "system:masters", "system:serviceaccounts",
                                   "System:Unauthenticated", "system:serviceaccounts:kube-system"])
def test_system_groups_cannot_be_bound(tmp_path, run_cli, group):
    refused(tmp_path, run_cli, f"teams:\n  '{group}': admin\n", f"teams.{group}: system: groups are Kubernetes' own")


STEERING = ["checkov.io/skip1", "checkov.io/skip2", "argocd.argoproj.io/sync-options", "argocd.argoproj.io/hook",
            "argocd.argoproj.io/compare-options", "helm.sh/hook", "helm.sh/resource-policy", "meta.helm.sh/release-name",
            "config.kubernetes.io/local-config", "kustomize.config.k8s.io/behavior", "kubectl.kubernetes.io/last-applied-configuration",
            "kubernetes.io/ingress.class"]


@pytest.mark.parametrize("key", STEERING)
def test_annotations_that_steer_policy_or_tools_are_refused(tmp_path, run_cli, key):
    body = f"services:\n  securenexus:\n    expose:\n      host: qa.example.com\n      annotations:\n        {key}: 'CKV_K8S_40=x'\n"
    refused(tmp_path, run_cli, body, f"services.securenexus.expose.annotations.{key}: this annotation steers")


def test_a_checkov_skip_annotation_points_to_waivers(tmp_path, run_cli):
    body = "services:\n  securenexus:\n    expose:\n      host: qa.example.com\n      annotations:\n        checkov.io/skip1: CKV_K8S_21\n"
    refused(tmp_path, run_cli, body, "policy exceptions go in waivers, with a reason")


@pytest.mark.parametrize("key", ["argocd.argoproj.io/instance", "pod-security.kubernetes.io/enforce", "kubernetes.io/metadata.name"])
def test_namespace_labels_that_steer_are_refused(tmp_path, run_cli, key):
    refused(tmp_path, run_cli, f"namespaceLabels:\n  {key}: x\n", f"namespaceLabels.{key}: ")


def test_the_legitimate_neighbours_still_render(tmp_path, run_cli):
    body = ("namespace: qa-kube\nteams:\n  'platform:system-admins': view\n  'sre@corp.example.com': edit\n"
            "namespaceLabels: {istio-injection: enabled}\n"
            "services:\n  securenexus:\n    expose:\n      host: qa.example.com\n      annotations:\n"
            "        alb.ingress.kubernetes.io/wafv2-acl-arn: arn:aws:wafv2:us-east-1:123456789012:regional/webacl/x/1\n"
            "        example.com/team: payments\n")
    root, _, outcome = qa(tmp_path, run_cli, body)
    assert outcome.code == 0, outcome.err
    ingress = (root / "rendered/qa/qa-kube/ingress-securenexus.yaml").read_text()
    assert "wafv2-acl-arn" in ingress and "checkov.io" not in ingress
