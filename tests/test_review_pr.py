"""A scripted pull request on a temporary repository, as a reviewer would see it: the risky change from the
issue (production replicas lowered, egress to 0.0.0.0/0 on port 22, a Role reading secrets, a team bound to
admin) is reported in JSON with its values, with exactly these risks and none in untouched environments;
the exit-code switches gate on it; and the markdown of a 400-service change fits one GitHub comment."""

from __future__ import annotations

import json
import sys

import pytest

from conftest import REPO

import review_roots
from generator import pipeline
from generator.review import compare, report, rules

sys.path.insert(0, str(REPO / "bench"))
import synthetic  # noqa: E402  (bench/synthetic.py: the 400-service root the benchmarks use too)

PRODUCTION_PR = review_roots.ENVIRONMENTS["production.yaml"].replace("    replicas: 3\n", "    replicas: 2\n") + """\
    egress:
      - to: {cidr: 10.0.0.0/8}
        ports: [5432]
      - to: {cidr: 0.0.0.0/0}
        ports: [22]
    access:
      reason: reads its own configuration secrets at start-up
      rules:
        - apiGroups: [""]
          resources: [secrets]
          verbs: [get, list]
teams:
  platform-admins: admin
"""


@pytest.fixture
def pull_request(tmp_path):
    root = review_roots.write(tmp_path / "repo")
    review_roots.commit_all(root, "base")
    (root / "environments/production.yaml").write_text(PRODUCTION_PR, encoding="utf-8")
    return root


def test_the_risky_change_reports_exactly_its_risks_with_values(pull_request, run_cli):
    result = run_cli("diff", "--base", "HEAD", "--root", str(pull_request), "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert (data["base"], data["head"]) == ("HEAD", "working tree")
    risks = {(r["rule"], r["severity"], r["env"], r["kind"], r["name"], r["message"]) for r in data["risks"]}
    reason = "reads its own configuration secrets at start-up"
    assert risks == {
        ("replicas-reduced", "medium", "production", "Rollout", "web", "spec.replicas 3 -> 2"),
        ("egress-widened", "high", "production", "NetworkPolicy", "web", "egress to 0.0.0.0/0 on TCP/22 newly allowed"),
        ("rbac-widened", "high", "production", "Role", "web", "new role grants get,list on secrets"),
        ("rbac-widened", "high", "production", "RoleBinding", "web",
         "new binding of ServiceAccount web (production) to Role web"),
        ("rbac-widened", "high", "production", "RoleBinding", "team-platform-admins",
         "new binding of Group platform-admins to ClusterRole admin"),
        ("privilege-raised", "high", "production", "Rollout", "web",
         "automountServiceAccountToken false -> true: the pod's API token is mounted"),
        ("waiver-added", "medium", "production", "Rollout", "web", f"checkov CKV_K8S_38 skipped: {reason}"),
    }
    assert [r["severity"] for r in data["risks"]] == sorted((r["severity"] for r in data["risks"]),
                                                            key=["high", "medium", "low"].index)
    # values, not just paths; absent is null
    changes = {(c["env"], c["kind"], c["name"]): c for c in data["changes"]}
    rollout = changes[("production", "Rollout", "web")]
    assert {"path": "spec.replicas", "before": 3, "after": 2} in rollout["fields"]
    policy = changes[("production", "NetworkPolicy", "web")]
    assert {"path": "spec.egress[1]", "before": None,
            "after": {"to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}], "ports": [{"protocol": "TCP", "port": 22}]}} in policy["fields"]
    assert changes[("production", "Role", "web")]["status"] == "added"
    assert changes[("production", "Role", "web")]["fields"] == []
    # nothing in the environments the pull request did not touch
    assert {c["env"] for c in data["changes"]} <= {"production", "argocd"}
    assert {r["env"] for r in data["risks"]} == {"production"}


def test_markdown_puts_the_risks_first_and_the_gates_exit_1(pull_request, run_cli):
    result = run_cli("diff", "--base", "HEAD", "--root", str(pull_request), "--format", "markdown")
    assert result.code == 0
    text = result.out
    assert text.startswith(report.MARKER)
    first_table = text.index("| | object | field | before | after |")
    risk = "- **high** `egress-widened` · `production` NetworkPolicy `production/web`: egress to 0.0.0.0/0 on TCP/22 newly allowed"
    assert risk in text and text.index(risk) < first_table
    assert "| changed | Rollout `production/web` |" in text
    assert "|  |  | `spec.replicas` | `3` | `2` |" in text
    # --fail-on high gates, --fail-on with only lower risks does not; --exit-code reports any change
    assert run_cli("diff", "--base", "HEAD", "--root", str(pull_request), "--fail-on", "high").code == 1
    assert run_cli("diff", "--base", "HEAD", "--root", str(pull_request), "--exit-code").code == 1


def test_gates_pass_on_an_unchanged_tree_and_on_low_risks_only(pull_request, run_cli):
    review_roots.git(pull_request, "checkout", "-q", "--", "environments")
    assert run_cli("diff", "--base", "HEAD", "--root", str(pull_request), "--exit-code", "--fail-on", "low").code == 0
    staging = pull_request / "environments/staging.yaml"
    staging.write_text(staging.read_text(encoding="utf-8").replace('"2.1.0"', '"2.1.1"'), encoding="utf-8")
    result = run_cli("diff", "--base", "HEAD", "--root", str(pull_request), "--fail-on", "medium")
    assert result.code == 0, result.out
    assert ("  low image-changed staging Deployment staging/web: container web: "
            "registry.example.com/shop/web:2.1.0 -> registry.example.com/shop/web:2.1.1") in result.out.splitlines()
    assert run_cli("diff", "--base", "HEAD", "--root", str(pull_request), "--fail-on", "low").code == 1


def _synthetic(root, n: int, tag: str):
    synthetic.write_root(root, n)
    defaults = root / "environments/_defaults.yaml"
    text = defaults.read_text(encoding="utf-8")
    assert text.count("tag: 1.0.0\n") == n
    defaults.write_text(text.replace("tag: 1.0.0\n", f"tag: {tag}\n"), encoding="utf-8")
    production = root / "environments/production.yaml"
    # production refuses a floating tag; this test is about the size of the comment, not that rule
    production.write_text(production.read_text(encoding="utf-8") + "production: false\n", encoding="utf-8")
    # the built objects are what rendered/ holds (the root has no Argo CD files); emitting the other
    # trees would only slow the test down
    return compare.rendered_objects(pipeline.Result(files={}, built=pipeline.build(root)))


@pytest.mark.starts_first
def test_a_400_service_change_fits_one_comment_and_says_what_it_left_out(tmp_path):
    before = _synthetic(tmp_path / "a", 400, "1.0.0")
    after = _synthetic(tmp_path / "b", 400, "main")
    found = compare.compare(before, after, base_label="origin/main", head_label="pull request")
    risks = rules.evaluate(found)
    assert len(found.changes) >= 1200 and len(risks) >= 2400  # every workload: image changed and unpinned
    text = report.render(found, risks, "markdown")
    assert len(text) < 65_536
    assert len(report.render(found, risks, "text")) > 65_536  # the summary was needed
    shown = text.count("\n| changed | ")
    assert 0 < shown < len(found.changes)
    assert f"**{len(found.changes) - shown} of {len(found.changes)} objects not shown**" in text
    assert "| `production` | Deployment | changed | 400 |" in text
    # the highest risks are the ones shown; the rest are counted by rule
    assert text.count("- **medium** `image-unpinned`") > 100 and "- **low**" not in text
    assert "more not shown: 1200 `image-changed`, " in text
    # the JSON keeps everything
    data = json.loads(report.render(found, risks, "json"))
    assert len(data["changes"]) == len(found.changes) and len(data["risks"]) == len(risks)


EVERY_RULE_BASE = {
    "production.yaml": review_roots.ENVIRONMENTS["production.yaml"] + """\
    secrets:
      - {store: aws, path: shop/production, keys: [DATABASE_URL]}
""",
    "staging.yaml": review_roots.ENVIRONMENTS["staging.yaml"] + """\
    probes:
      startup: {path: /healthz, failureThreshold: 30}
      liveness: {path: /healthz}
      readiness: {path: /ready}
""",
}
EVERY_RULE_HEAD = {
    "production.yaml": PRODUCTION_PR.replace("    egress:", """\
    secrets:
      - {store: aws, path: shop/production-v2, keys: [DATABASE_URL]}
    resources:
      requests: {cpu: 100m, memory: 128Mi}
      limits: {cpu: 500m, memory: 192Mi}
    ingress:
      - from: {namespace: partners}
        ports: [8080]
    egress:"""),
    "staging.yaml": review_roots.ENVIRONMENTS["staging.yaml"].replace('"2.1.0"', "main") + """\
    expose: {host: shop-staging.example.com}
ingressController: {vpcCidr: 10.0.0.0/16}
""",
    "uat.yaml": review_roots.ENVIRONMENTS["uat.yaml"].replace("    disruption: {minAvailable: 1}\n", """\
    disruption: null
    rollout:
      canary: {steps: [50]}
argocd:
  autoSync: false
"""),
}


def test_every_rule_fires_on_real_renders(tmp_path, run_cli):
    """One scripted pull request that trips every rule on objects the builders made (the README's
    example lines are this output)."""
    root = review_roots.write(tmp_path / "repo", EVERY_RULE_BASE)
    review_roots.commit_all(root, "base")
    review_roots.write(root, EVERY_RULE_HEAD)
    result = run_cli("diff", "--base", "HEAD", "--root", str(root), "--fail-on", "high")
    assert result.code == 1, result.err
    lines = [line.strip() for line in result.out.splitlines() if line.startswith("  ") and not line.startswith("   ")]
    fired = {line.split()[1] for line in lines if line.split()[0] in ("high", "medium", "low")}
    assert fired == set(rules.BY_ID)
    for expected in [
        "medium disruption-weakened uat PodDisruptionBudget uat/web: PodDisruptionBudget removed: voluntary evictions may take every pod at once",
        "medium secret-ref-changed production ExternalSecret production/web: data DATABASE_URL: shop/production.DATABASE_URL -> shop/production-v2.DATABASE_URL",
        "medium resources-changed production Rollout production/web: container web: limits.memory 256Mi -> 192Mi",
        "high object-removed uat Deployment uat/web: Deployment deleted",
        "medium autosync-changed argocd Application argocd/shop-uat: automated sync on -> off",
        "medium probe-removed staging Deployment staging/web: container web: startupProbe removed",
        "medium exposure-added staging Ingress staging/web: Ingress newly exposes shop-staging.example.com/",
        "high ingress-widened production NetworkPolicy production/web: ingress from namespace partners on TCP/8080 newly allowed",
    ]:
        assert expected in lines
    # the README's rule table shows lines of exactly this output
    table = [row for row in (REPO / "README.md").read_text(encoding="utf-8").splitlines() if row.startswith("| `")]
    examples = {row.split(" | ")[0][3:-1]: row.rsplit(" | ", 1)[1][1:-3] for row in table if row.split(" | ")[0][3:-1] in rules.BY_ID}
    assert set(examples) == set(rules.BY_ID)
    assert [e for e in examples.values() if e not in lines] == []
