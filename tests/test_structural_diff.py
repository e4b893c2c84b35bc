"""The structural diff (``emit.kustomize.patch.strategic_patch``): readable patch shapes for each kind of change, and,
for random pairs of objects, the real kustomize applying the patch to the base gives the target exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import toolchain, yamlio
from generator.emit.kustomize import patch_keys
from generator.emit.kustomize.patch import strategic_patch
from generator.verify.objects import first_difference

DEPLOYMENT = patch_keys.cursor("1.33", "apps/v1", "Deployment")
CUSTOM = patch_keys.cursor("1.33", "example.com/v1", "Widget")


def _deployment(containers: list[dict], replicas: int = 1, labels: dict | None = None) -> dict:
    meta = {"name": "web", **({"labels": labels} if labels is not None else {})}
    spec = {"replicas": replicas, "template": {"spec": {"containers": containers}}}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta, "spec": spec}


def _env(*names: str) -> list[dict]:
    return [{"name": n, "value": n.lower()} for n in names]


SHAPES = [
    pytest.param(
        _deployment([{"name": "app", "image": "a:1", "env": _env("A", "B")}]),
        _deployment([{"name": "app", "image": "a:2", "env": _env("A", "B")}]),
        {"spec": {"template": {"spec": {"containers": [{"name": "app", "image": "a:2"}]}}}},
        id="one-container-field-changes",
    ),
    pytest.param(
        _deployment([{"name": "app", "env": _env("A", "B", "C")}]),
        _deployment([{"name": "app", "env": _env("A", "C")}]),
        {"spec": {"template": {"spec": {"containers": [{"name": "app", "env": [{"name": "B", "$patch": "delete"}]}]}}}},
        id="merge-list-element-removed",
    ),
    pytest.param(
        _deployment([{"name": "app", "env": _env("A", "B")}]),
        _deployment([{"name": "app", "env": _env("A", "B", "C")}]),
        {"spec": {"template": {"spec": {"containers": [
            {"name": "app", "env": [{"name": "A"}, {"name": "B"}, {"name": "C", "value": "c"}]}]}}}},
        id="merge-list-element-appended-keeps-order-with-anchors",
    ),
    pytest.param(
        _deployment([{"name": "app", "args": ["--a", "--b"]}]),
        _deployment([{"name": "app", "args": ["--b"]}]),
        {"spec": {"template": {"spec": {"containers": [{"name": "app", "args": ["--b"]}]}}}},
        id="atomic-list-replaced-whole",
    ),
    pytest.param(
        _deployment([{"name": "app"}], labels={"a": "1", "b": "2"}),
        _deployment([{"name": "app"}], labels={"a": "1"}),
        {"metadata": {"labels": {"b": None}}},
        id="map-key-removed-is-null",
    ),
    pytest.param(
        _deployment([{"name": "app"}], labels={"a": "1"}),
        _deployment([{"name": "app"}], labels={}),
        {"metadata": {"labels": {"$patch": "replace"}}},
        id="map-emptied-is-replaced",
    ),
    pytest.param(
        {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}, "spec": {"items": [{"name": "x"}]}},
        {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}, "spec": {"items": [{"name": "y"}]}},
        {"spec": {"items": [{"name": "y"}]}},
        id="custom-resource-list-replaced-whole",
    ),
]


@pytest.mark.parametrize(("base", "target", "expected"), SHAPES)
def test_patch_shape(base, target, expected):
    schema = patch_keys.cursor("1.33", base["apiVersion"], base["kind"])
    assert strategic_patch(base, target, schema) == expected


def test_schema_cursor_knows_merge_keys_and_atomic_lists():
    container = DEPLOYMENT.field("spec").field("template").field("spec").field("containers")
    assert container.merge_key() == "name"
    assert container.item().field("ports").merge_key() == "containerPort"
    assert container.item().field("volumeMounts").merge_key() == "mountPath"
    assert container.item().field("args").merge_key() is None
    assert CUSTOM.field("spec").merge_key() is None


# --- property: the real kustomize turns base + patch into target -------------------------------------------

NAMES = ["A", "B", "C", "D"]
env_lists = st.lists(st.sampled_from(NAMES), unique=True, max_size=4).flatmap(
    lambda names: st.tuples(*[st.tuples(st.just(n), st.sampled_from(["1", "2"])) for n in names])
).map(lambda pairs: [{"name": n, "value": v} for n, v in pairs])
containers = st.lists(st.sampled_from(["app", "sidecar", "proxy"]), unique=True, min_size=1, max_size=3).flatmap(
    lambda names: st.tuples(*[
        st.fixed_dictionaries(
            {"name": st.just(n), "image": st.sampled_from(["img:1", "img:2"])},
            optional={
                "env": env_lists,
                "args": st.lists(st.sampled_from(["--x", "--y", "--z"]), max_size=3),
                "resources": st.fixed_dictionaries({}, optional={
                    "limits": st.fixed_dictionaries({}, optional={"cpu": st.sampled_from(["1", "2"]), "memory": st.just("1Gi")}),
                }),
            },
        )
        for n in names
    ])
).map(list)
deployments = st.builds(
    _deployment, containers, st.integers(1, 3),
    st.one_of(st.none(), st.dictionaries(st.sampled_from(["a", "b", "c"]), st.sampled_from(["x", "y"]), max_size=3)),
)
widgets = st.builds(
    lambda data, kind: {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "web"},
                        "spec": {"kind": kind, "data": data}},
    st.lists(st.fixed_dictionaries({"key": st.sampled_from(["p", "q", "r"])}), max_size=3),
    st.sampled_from(["one", "two"]),
)
pairs = st.one_of(st.tuples(deployments, deployments), st.tuples(widgets, widgets))


def _named(o: dict, i: int) -> dict:
    return {**o, "metadata": {**o["metadata"], "name": f"o{i}"}}


@pytest.mark.starts_first
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(pairs, min_size=1, max_size=6))
def test_kustomize_applies_the_patch_to_give_the_target(tmp_path_factory, cases):
    folder: Path = tmp_path_factory.mktemp("smp")
    (folder / "base").mkdir()
    (folder / "overlay").mkdir()
    bases = [_named(b, i) for i, (b, _) in enumerate(cases)]
    targets = [_named(t, i) for i, (_, t) in enumerate(cases)]
    (folder / "base/objects.yaml").write_text("---\n".join(yamlio.dump(o) for o in bases))
    (folder / "base/kustomization.yaml").write_text(yamlio.dump({"resources": ["objects.yaml"]}))
    patches = []
    for i, (b, t) in enumerate(zip(bases, targets)):
        schema = patch_keys.cursor("1.33", b["apiVersion"], b["kind"])
        patch = strategic_patch(b, t, schema)
        stub = {"apiVersion": b["apiVersion"], "kind": b["kind"], "metadata": {"name": b["metadata"]["name"]}}
        document = {**stub, **patch, "metadata": {**stub["metadata"], **patch.get("metadata", {})}}
        (folder / f"overlay/p{i}.yaml").write_text(yamlio.dump(document))
        patches.append({"path": f"p{i}.yaml"})
    (folder / "overlay/kustomization.yaml").write_text(yamlio.dump({"resources": ["../base"], "patches": patches}))
    built = {o["metadata"]["name"]: o for o in yamlio.load_all(toolchain.kustomize_build(folder / "overlay")) if o}
    for t in targets:
        assert first_difference(t, built[t["metadata"]["name"]]) is None
