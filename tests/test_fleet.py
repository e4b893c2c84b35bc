"""An environment on several clusters: each cluster rendered in full in its own tree, one ApplicationSet
whose list generator names exactly those trees (schema-valid, primaries synced before standbys), a project
that allows exactly those clusters, per-cluster overrides that land in their cluster's tree only, spec
errors that name file, line and field; and nothing lost: the data-safety sync options on every Namespace
and PVC of every root (that no root's app-of-apps may touch an AppProject: test_generated_folders)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import spec_roots
from generator import pipeline, yamlio
from generator.argocd.fleet import ROLE_LABEL, rendered_application
from generator.builders import safety
from generator.errors import SpecError
from generator.validate import findings

DEFAULTS = """\
system: shop
ingressController: {vpcCidr: 10.0.0.0/16}
services:
  web:
    image: {repository: registry.example.com/web, tag: 1.4.2}
    port: 8080
    replicas: 2
    resources:
      requests: {cpu: 100m, memory: 128Mi}
      limits: {cpu: 500m, memory: 256Mi}
    probes:
      liveness: {path: /live}
      readiness: {path: /ready}
    expose: {host: shop.example.com, certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/east"}
    secrets:
      - {store: vault, path: secret/data/web, keys: [TOKEN]}
secretStores:
  vault:
    vault: {server: "https://vault.us-east-1.example.internal:8200", role: shop}
argocd:
  repoURL: https://git.example.com/platform/gitops.git
  source: {source}
"""

CLUSTER = """\
  {name}:
    destination: {{name: {name}}}
    region: {region}
    role: {role}
"""

WEST = """\
    overrides:
      secretStores:
        vault:
          vault: {server: "https://vault.us-west-2.example.internal:8200"}
      services:
        web:
          replicas: 3
          expose: {certificateArn: "arn:aws:acm:us-west-2:123456789012:certificate/west"}
"""


def fleet_root(path: Path, source: str = "rendered", clusters: int = 2, extra: str = "") -> Path:
    """A root with 'staging' on one cluster and 'live' on ``clusters`` clusters (the second a standby in
    us-west-2 with its own Vault, certificate and replica count)."""
    specs = path / "environments"
    specs.mkdir(parents=True, exist_ok=True)
    (specs / "_defaults.yaml").write_text(DEFAULTS.replace("{source}", source), encoding="utf-8")
    (specs / "staging.yaml").write_text("extends: _defaults.yaml\n", encoding="utf-8")
    text = "extends: _defaults.yaml\nclusters:\n" + CLUSTER.format(name="east", region="us-east-1", role="primary")
    text += CLUSTER.format(name="west", region="us-west-2", role="standby") + WEST
    for i in range(2, clusters):
        text += CLUSTER.format(name=f"extra-{i}", region="eu-west-1", role="standby")
    (specs / "live.yaml").write_text(text + extra, encoding="utf-8")
    return path


def parsed(files: dict[str, str], prefix: str) -> dict[str, dict]:
    return {p: yamlio.load(t) for p, t in files.items() if p.startswith(prefix) and p.endswith(".yaml")}


def appset(files: dict[str, str]) -> dict:
    return yamlio.load(files["rendered/argocd/applicationset-shop-live.yaml"])


@pytest.mark.parametrize("source", ["rendered", "kustomize", "helm"])
def test_every_generator_element_points_at_its_clusters_tree(tmp_path, source):
    files = pipeline.render(fleet_root(tmp_path, source)).files
    a = appset(files)
    assert findings("applicationset", a, "1.33") == []
    elements = a["spec"]["generators"][0]["list"]["elements"]
    assert [(e["cluster"], e["role"], e["region"]) for e in elements] == [("east", "primary", "us-east-1"), ("west", "standby", "us-west-2")]
    for e in elements:
        app = rendered_application(a, e)
        assert findings("application", app, "1.33") == []
        assert app["metadata"]["name"] == f"shop-live-{e['cluster']}"
        assert app["metadata"]["labels"][ROLE_LABEL] == e["role"]
        assert app["spec"]["destination"] == {"name": e["cluster"], "namespace": "live"}
        assert "automated" not in app["spec"]["syncPolicy"]  # RollingSync syncs them itself
        tree = {"rendered": f"rendered/live/{e['cluster']}/", "kustomize": f"overlays/live/{e['cluster']}/",
                "helm": "charts/shop/"}[source]
        assert app["spec"]["source"]["path"] == tree.rstrip("/")
        assert any(p.startswith(tree) for p in files), tree
        if source == "helm":
            values = yamlio.load(files[f"charts/shop/{e['valuesFile']}"])
            assert values["environment"] == f"live.{e['cluster']}"
    assert not any(p.startswith("rendered/live/") and p.count("/") == 3 for p in files)  # nothing outside a cluster tree
    assert "rendered/argocd/application-shop-staging.yaml" in files
    assert "rendered/argocd/application-shop-live.yaml" not in files


def test_primaries_sync_before_standbys_and_standbys_go_first_on_removal(tmp_path):
    strategy = appset(pipeline.render(fleet_root(tmp_path)).files)["spec"]["strategy"]
    assert strategy["type"] == "RollingSync" and strategy["deletionOrder"] == "Reverse"
    steps = [s["matchExpressions"] for s in strategy["rollingSync"]["steps"]]
    assert steps == [[{"key": ROLE_LABEL, "operator": "In", "values": ["primary"]}],
                     [{"key": ROLE_LABEL, "operator": "In", "values": ["standby"]}]]


def test_each_cluster_tree_holds_its_own_objects_in_full(tmp_path):
    files = pipeline.render(fleet_root(tmp_path)).files
    east, west = parsed(files, "rendered/live/east/"), parsed(files, "rendered/live/west/")
    assert [p.replace("/east/", "/west/") for p in east] == list(west)  # every object written in both
    store = west["rendered/live/west/live/secretstore-vault.yaml"]["spec"]["provider"]["vault"]["server"]
    assert store == "https://vault.us-west-2.example.internal:8200"
    ingress = west["rendered/live/west/live/ingress-web.yaml"]["metadata"]["annotations"]
    assert "us-west-2" in ingress["alb.ingress.kubernetes.io/certificate-arn"]
    assert west["rendered/live/west/live/deployment-web.yaml"]["spec"]["replicas"] == 3
    assert east["rendered/live/east/live/deployment-web.yaml"]["spec"]["replicas"] == 2
    assert not any("us-west-2" in files[p] for p in files if p.startswith("rendered/live/east/"))


def test_adding_a_cluster_adds_exactly_one_tree_and_one_element(tmp_path):
    two = pipeline.render(fleet_root(tmp_path / "two")).files
    three = pipeline.render(fleet_root(tmp_path / "three", clusters=3)).files
    added = {p for p in three.keys() - two.keys() if p.startswith("rendered/")}
    assert {p.split("/")[2] for p in added} == {"extra-2"} and all(p.startswith("rendered/live/extra-2/") for p in added)
    assert {p.replace("/east/", "/extra-2/") for p in two if p.startswith("rendered/live/east/")} == added
    assert {p for p in two.keys() - three.keys() if p.startswith("rendered/")} == set()
    overlays = {p for p in three.keys() ^ two.keys() if p.startswith("overlays/")}
    assert overlays and all(p.startswith("overlays/live/extra-2/") for p in overlays)
    assert "overlays/live/extra-2/kustomization.yaml" in overlays
    before = appset(two)["spec"]["generators"][0]["list"]["elements"]
    after = appset(three)["spec"]["generators"][0]["list"]["elements"]
    assert after[:2] == before and [e["cluster"] for e in after[2:]] == ["extra-2"]
    assert "charts/shop/values-live.extra-2.yaml" in three.keys() - two.keys()


def test_the_project_allows_exactly_the_clusters_and_namespaces(tmp_path):
    files = pipeline.render(fleet_root(tmp_path)).files
    project = yamlio.load(files["rendered/argocd/projects/appproject-shop.yaml"])
    assert project["spec"]["destinations"] == [
        {"name": "east", "namespace": "live"},
        {"name": "west", "namespace": "live"},
        {"server": "https://kubernetes.default.svc", "namespace": "staging"},
    ]


def test_a_sync_window_covers_exactly_the_environments_applications(tmp_path):
    window = "argocd:\n  syncWindows:\n    - {kind: deny, schedule: '0 0 * * 5', duration: 72h, timeZone: Europe/Paris}\n"
    files = pipeline.render(fleet_root(tmp_path, extra=window)).files
    project = yamlio.load(files["rendered/argocd/projects/appproject-shop.yaml"])
    assert findings("project", project, "1.33") == []
    assert project["spec"]["syncWindows"] == [{
        "kind": "deny", "schedule": "0 0 * * 5", "duration": "72h", "applications": ["shop-live-east", "shop-live-west"],
        "manualSync": True, "timeZone": "Europe/Paris",
    }]


def test_the_app_of_apps_syncs_the_applicationset_and_no_appproject(tmp_path):
    files = pipeline.render(fleet_root(tmp_path)).files
    objects = parsed(files, "rendered/argocd/")
    root_project = objects["rendered/argocd/projects/appproject-shop-argocd.yaml"]
    kinds = {k["kind"] for k in root_project["spec"]["namespaceResourceWhitelist"]}
    assert kinds == {"Application", "ApplicationSet"} and root_project["spec"]["clusterResourceWhitelist"] == []
    directory = objects["rendered/argocd/application-shop.yaml"]["spec"]["source"]["directory"]
    assert directory == {"recurse": False, "include": "{application-shop-staging.yaml,application-shop.yaml,applicationset-shop-live.yaml}"}


@pytest.mark.parametrize("spec_root", spec_roots(), ids=lambda p: p.name)
def test_every_root_keeps_its_namespaces_and_volumes(spec_root, shared_renders):
    _, result = shared_renders(spec_root)
    objects = [o for env in result.built.environments for o in env.objects]
    protected = [o for o in objects if o["kind"] in safety.PROTECTED_KINDS]
    protected += [claim for o in objects if o["kind"] == "StatefulSet" for claim in o["spec"].get("volumeClaimTemplates", [])]
    assert protected
    for o in protected:
        options = o["metadata"]["annotations"][safety.SYNC_OPTIONS].split(",")
        assert options[-2:] == ["Prune=false", "Delete=false"], o["metadata"]["name"]
        assert not any(opt.startswith(("Prune=true", "Delete=true")) for opt in options), o["metadata"]["name"]


def test_safety_merges_existing_options_and_protects_statefulset_claims():
    claim = {"kind": "PersistentVolumeClaim", "metadata": {"name": "d", "annotations": {safety.SYNC_OPTIONS: "ServerSideApply=true,Prune=true"}}}
    assert safety.protect(claim)["metadata"]["annotations"][safety.SYNC_OPTIONS] == "ServerSideApply=true,Prune=false,Delete=false"
    sts = {"kind": "StatefulSet", "metadata": {"name": "db"}, "spec": {"volumeClaimTemplates": [{"metadata": {"name": "data"}}]}}
    kept = safety.protect(sts)
    assert kept["spec"]["volumeClaimTemplates"][0]["metadata"]["annotations"] == {safety.SYNC_OPTIONS: "Prune=false,Delete=false"}
    assert "annotations" not in sts["spec"]["volumeClaimTemplates"][0]["metadata"]  # input untouched


@pytest.mark.parametrize(("extra", "where", "field", "says"), [
    pytest.param("    overrides: {namespace: other}\n", None, "", "may not set namespace", id="fixed-key"),
    pytest.param("    overrides: {services: {web: {replicaz: 3}}}\n", "live.yaml", "services.web.replicaz",
                 "in cluster 'extra-2': unknown field 'replicaz'", id="override-typo"),
    pytest.param("argocd: {destination: {name: east}}\n", None, "", "exclude each other", id="destination-and-clusters"),
])
def test_cluster_spec_errors_name_file_line_and_field(tmp_path, extra, where, field, says):
    root = fleet_root(tmp_path, clusters=3)
    live = root / "environments/live.yaml"
    text = live.read_text(encoding="utf-8")
    live.write_text(text + extra, encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        pipeline.render(root)
    [finding] = caught.value.findings
    assert finding.file == "environments/live.yaml" and finding.line > 0 and says in finding.message
    if field:
        assert finding.path == field and finding.line == len(text.splitlines()) + 1


def test_a_fleet_needs_a_primary(tmp_path):
    root = fleet_root(tmp_path)
    live = root / "environments/live.yaml"
    live.write_text(live.read_text(encoding="utf-8").replace("role: primary", "role: standby"), encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        pipeline.render(root)
    [finding] = caught.value.findings
    assert (finding.file, finding.line, finding.path) == ("environments/live.yaml", 2, "clusters")
    assert "at least one cluster must have role 'primary'" in finding.message


def test_a_fleet_addresses_every_cluster_the_same_way(tmp_path):
    live = fleet_root(tmp_path) / "environments/live.yaml"
    live.write_text(live.read_text(encoding="utf-8").replace("{name: west}", "{server: 'https://10.0.0.9'}"), encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        pipeline.render(tmp_path)
    [finding] = caught.value.findings
    assert (finding.line, finding.path) == (8, "clusters.west.destination") and "not a mix" in finding.message


def test_two_environments_may_not_share_a_cluster_namespace(tmp_path):
    root = fleet_root(tmp_path)
    (root / "environments/staging.yaml").write_text("extends: _defaults.yaml\nnamespace: live\nargocd: {destination: {name: west}}\n", encoding="utf-8")
    with pytest.raises(SpecError, match="deploys to namespace 'live' of west"):
        pipeline.render(root)


def test_an_application_name_longer_than_a_label_value_is_refused(tmp_path):
    root = fleet_root(tmp_path)
    live = root / "environments/live.yaml"
    long = "west-" + "x" * 50
    live.write_text(live.read_text(encoding="utf-8").replace("west", long), encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        pipeline.render(root)
    [finding] = caught.value.findings
    assert (finding.file, finding.path) == ("environments/live.yaml", f"clusters.{long}")
    assert f"shop-live-{long}" in finding.message and "63 characters" in finding.message
