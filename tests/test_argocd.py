"""The Argo CD objects: strictly schema-valid for every environment and every source tree, auto-sync on
unless a spec turns it off, a project no wider than the objects it deploys, and spec errors that name the
file and line. Also the sync-wave table that builders apply to their objects."""

from __future__ import annotations

import pytest

from generator import pipeline, yamlio
from generator.builders import waves
from generator.errors import SpecError
from generator.validate import schemas

ARGOCD = "rendered/argocd/"


def argocd_objects(root) -> dict[str, dict]:
    """The Argo CD objects of a render of ``root``, by ``<kind>/<name>``."""
    files = pipeline.render(root).files
    found = {}
    for path, text in files.items():
        if path.startswith(ARGOCD):
            o = yamlio.load(text)
            found[f"{o['kind']}/{o['metadata']['name']}"] = o
    return found


def append(root, env_file: str, text: str) -> None:
    path = root / "environments" / env_file
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_repository_specs_give_projects_root_and_one_application_per_environment(root):
    objects = argocd_objects(root)
    assert sorted(objects) == [
        "AppProject/securenexus",
        "AppProject/securenexus-argocd",
        "Application/securenexus",
        "Application/securenexus-production",
        "Application/securenexus-staging",
        "Application/securenexus-uat",
    ]
    for key, o in objects.items():
        assert schemas.errors(o, "1.33") == [], key
    root_app = objects["Application/securenexus"]
    assert root_app["spec"]["source"]["path"] == "rendered/argocd"
    assert root_app["spec"]["project"] == "securenexus-argocd"


@pytest.mark.parametrize(
    ("source", "path", "extra"),
    [
        pytest.param("rendered", "rendered/{env}", {"directory": {"recurse": True}}, id="rendered"),
        pytest.param("kustomize", "overlays/{env}", {}, id="kustomize"),
        pytest.param(
            "helm", "charts/securenexus",
            {"helm": {"releaseName": "securenexus", "valueFiles": ["values-{env}.yaml"]}}, id="helm",
        ),
    ],
)
def test_each_source_tree_is_schema_valid_and_points_at_its_folder(root, source, path, extra):
    defaults = root / "environments/_defaults.yaml"
    text = defaults.read_text(encoding="utf-8")
    assert text.count("  source: rendered\n") == 1
    defaults.write_text(text.replace("  source: rendered\n", f"  source: {source}\n"), encoding="utf-8")
    objects = argocd_objects(root)
    for env in ("production", "staging", "uat"):
        app = objects[f"Application/securenexus-{env}"]
        assert schemas.errors(app, "1.33") == []
        expected_extra = yamlio.load(yamlio.dump(extra).replace("{env}", env)) or {}
        assert app["spec"]["source"] == {
            "repoURL": "https://git.example.com/securenexus/gitops.git",
            "targetRevision": "main",
            "path": path.format(env=env),
            **expected_extra,
        }
        assert app["spec"]["destination"] == {"server": "https://kubernetes.default.svc", "namespace": env}


def test_auto_sync_prunes_and_self_heals_by_default_in_every_environment(root):
    objects = argocd_objects(root)
    for env in ("production", "staging", "uat"):
        policy = objects[f"Application/securenexus-{env}"]["spec"]["syncPolicy"]
        assert policy["automated"] == {"prune": True, "selfHeal": True}
        assert "CreateNamespace=false" in policy["syncOptions"] and "PruneLast=true" in policy["syncOptions"]
        assert policy["retry"] == {"limit": 5, "backoff": {"duration": "10s", "factor": 2, "maxDuration": "5m"}}


def test_auto_sync_is_off_only_where_the_spec_says_so(root):
    append(root, "production.yaml", "argocd:\n  autoSync: false\n")
    objects = argocd_objects(root)
    assert "automated" not in objects["Application/securenexus-production"]["spec"]["syncPolicy"]
    assert schemas.errors(objects["Application/securenexus-production"], "1.33") == []
    for env in ("staging", "uat"):
        assert objects[f"Application/securenexus-{env}"]["spec"]["syncPolicy"]["automated"]["selfHeal"] is True
    # The root keeps syncing the Application objects themselves.
    assert objects["Application/securenexus"]["spec"]["syncPolicy"]["automated"] == {"prune": True, "selfHeal": True}


def test_project_allows_this_repository_and_only_the_kinds_and_namespaces_deployed(root):
    result = pipeline.render(root)
    project = argocd_objects(root)["AppProject/securenexus"]["spec"]
    deployed = [o for env in result.built.environments for o in env.objects]
    cluster = {(o["apiVersion"].rpartition("/")[0], o["kind"]) for o in deployed if "namespace" not in o["metadata"]}
    namespaced = {(o["apiVersion"].rpartition("/")[0], o["kind"]) for o in deployed if "namespace" in o["metadata"]}
    assert project["sourceRepos"] == ["https://git.example.com/securenexus/gitops.git"]
    assert {(w["group"], w["kind"]) for w in project["clusterResourceWhitelist"]} == cluster == {("", "Namespace")}
    assert {(w["group"], w["kind"]) for w in project["namespaceResourceWhitelist"]} == namespaced
    assert [d["namespace"] for d in project["destinations"]] == ["production", "staging", "uat"]


def test_destination_by_cluster_name(root):
    append(root, "production.yaml", "argocd:\n  destination:\n    server: null\n    name: prod-eu-1\n")
    objects = argocd_objects(root)
    assert objects["Application/securenexus-production"]["spec"]["destination"] == {
        "name": "prod-eu-1", "namespace": "production",
    }
    assert {"name": "prod-eu-1", "namespace": "production"} in objects["AppProject/securenexus"]["spec"]["destinations"]


def test_no_argocd_block_means_no_argocd_files(root):
    text = (root / "environments/_defaults.yaml").read_text(encoding="utf-8")
    (root / "environments/_defaults.yaml").write_text(text.split("\nargocd:")[0] + "\n", encoding="utf-8")
    assert argocd_objects(root) == {}


def test_the_strict_schema_refuses_a_field_argo_cd_does_not_know(root):
    app = argocd_objects(root)["Application/securenexus-uat"]
    app["spec"]["syncPolicy"]["automated"]["selfheal"] = True
    assert [path for path, _ in schemas.errors(app, "1.33")] == ["spec.syncPolicy.automated"]


@pytest.mark.parametrize(
    ("env_file", "text", "expected"),
    [
        pytest.param(
            "production.yaml", "argocd:\n  source: flux\n",
            "environments/production.yaml:{line}:3: argocd.source: Input should be 'rendered', 'kustomize' or 'helm'",
            id="unknown-source",
        ),
        pytest.param(
            "staging.yaml", "argocd:\n  destination:\n    name: other\n",
            "environments/staging.yaml:{line}:3: argocd.destination: give exactly one of name, server",
            id="name-and-server",
        ),
        pytest.param(
            "uat.yaml", "argocd:\n  autosync: false\n",
            "environments/uat.yaml:{line}:3: argocd.autosync: unknown field 'autosync'; did you mean 'autoSync'?",
            id="misspelt-field",
        ),
        pytest.param(
            "uat.yaml", "argocd:\n  repoURL: ftp://example.com/repo\n",
            "environments/uat.yaml:{line}:3: argocd.repoURL: String should match pattern",
            id="bad-repo-url",
        ),
    ],
)
def test_spec_errors_name_file_line_and_field(root, run_cli, env_file, text, expected):
    # the faulty key is on the second appended line
    line = len((root / "environments" / env_file).read_text(encoding="utf-8").splitlines()) + 2
    append(root, env_file, text)
    result = run_cli("render", "--root", str(root))
    assert result.code == 2
    assert expected.format(line=line) in result.err, result.err
    assert not (root / "rendered").exists()


def test_an_environment_named_argocd_is_refused(root, run_cli):
    (root / "environments/argocd.yaml").write_text("extends: _defaults.yaml\nnamespace: tools\n", encoding="utf-8")
    result = run_cli("render", "--root", str(root))
    assert result.code == 2
    assert result.err.startswith("environments/argocd.yaml:1:1: the environment name 'argocd' is reserved")


def test_settings_of_the_one_repository_must_agree_across_environments(root):
    append(root, "staging.yaml", "argocd:\n  targetRevision: staging\n")
    with pytest.raises(SpecError) as caught:
        pipeline.render(root)
    assert [str(f) for f in caught.value.findings] == [
        "environments/staging.yaml: argocd.targetRevision: 'staging' differs from 'main' in "
        "environments/production.yaml; every environment must share it (set it once in a shared layer)"
    ]


def test_two_environments_cannot_deploy_to_the_same_namespace(root):
    append(root, "uat.yaml", "namespace: staging\n")
    with pytest.raises(SpecError) as caught:
        pipeline.render(root)
    assert [f"{f.file} {f.path}" for f in caught.value.findings] == ["environments/uat.yaml argocd.destination"]


def test_sync_waves_put_namespace_guard_rails_identities_and_stores_before_workloads():
    order = ["Namespace", "ResourceQuota", "ServiceAccount", "SecretStore", "ExternalSecret", "ConfigMap"]
    ranks = [waves.sync_wave(kind) for kind in order]
    assert ranks == sorted(ranks) and ranks[-1] < 0
    assert ranks[0] < ranks[1] < ranks[3] < ranks[4], "namespace, then quotas, then stores, then what reads them"
    assert waves.sync_wave("Deployment") is None and waves.sync_wave("Rollout") is None


def test_annotate_adds_the_wave_without_touching_its_input():
    sa = {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "a", "annotations": {"x": "1"}}}
    annotated = waves.annotate(sa)
    assert annotated["metadata"]["annotations"] == {"x": "1", waves.SYNC_WAVE: "-2"}
    assert sa["metadata"]["annotations"] == {"x": "1"}
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "a"}}
    assert waves.annotate(deployment) is deployment
    pinned = {"kind": "Namespace", "metadata": {"name": "a", "annotations": {waves.SYNC_WAVE: "5"}}}
    assert waves.annotate(pinned) is pinned
