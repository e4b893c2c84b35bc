"""The Kustomize tree: ``base/`` plus ``overlays/<tree>/``, which kustomize builds to exactly
``rendered/<tree>/`` (a tree is an environment, or one cluster of it: ``<env>/<cluster>``; each cluster
counts as one version in the consensus).

Derived from the same built objects as ``rendered``, in four steps, none of which knows a particular field:

1. **Relative identity.** An object in its environment's own namespace (``spec.namespace``) is identified
   without that namespace, so ``Deployment securenexus`` in staging and in production is one object.
   Objects in another namespace keep it; cluster-scoped ones have none.
2. **Base = consensus.** An object goes into ``base/`` when a strict majority of environments have it;
   its content is the field-by-field majority of their versions (a map key, or an element of a list the
   schema merges by key, is kept when most versions have it; any other value is the most common one).
   Ties go to the environment latest in promotion order (``promotionOrder``: production before uat
   before staging), so an edit to a fast-moving early environment stays in its own overlay.
3. **Overlay = difference.** Each overlay loads ``../../base`` and adds: its own objects as ``resources/``;
   one strategic merge patch per base object it changes (``patch``) or lacks (``$patch: delete``) as
   ``patches/``; and a ``NamespaceTransformer`` that puts every namespace-less object into the
   environment's namespace (plus, for a cluster-scoped custom kind kustomize cannot tell apart, a
   ``PatchTransformer`` that takes that namespace back).
4. **Files.** One object per file, ``<kind>-<name>.yaml``, in a ``<namespace>/`` or ``_cluster/``
   sub-folder when the object is not in the environment's own namespace. Every file starts with the
   generated-file header naming the spec(s) it came from (for ``base/``, every environment's).

No ``images:``, ``replicas:`` or ``namespace:`` shorthands: their cost grows badly with size, and the
``namespace:`` shorthand also renames Namespace objects.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterable, NamedTuple

from generator import yamlio
from generator.built import BuiltRoot
from generator.emit.kustomize import patch_keys
from generator.emit.kustomize.patch import DIRECTIVE, keyed, strategic_patch
from generator.emit.kustomize.kustomization import Kustomization, Metadata, NamespaceTransformer, Patch, PatchTransformer, Target
from generator.fileset import header
from generator.objectref import ObjectRef

BASE = "base"
OVERLAYS = "overlays"
CLUSTER_DIR = "_cluster"
KUSTOMIZATION = "kustomization.yaml"


class Key(NamedTuple):
    """An object's identity across environments; ``namespace`` is "" for the environment's own namespace
    and None for a cluster-scoped object. (A tuple: the emitter hashes keys about 30 times per object.)"""

    api_version: str
    kind: str
    namespace: str | None
    name: str

    def file(self) -> str:
        folder = CLUSTER_DIR + "/" if self.namespace is None else (f"{self.namespace}/" if self.namespace else "")
        return f"{folder}{self.kind.lower()}-{self.name}.yaml"

    def stub(self) -> dict:
        """apiVersion, kind and metadata that pick this object out in a patch."""
        meta = {"name": self.name, **({"namespace": self.namespace} if self.namespace else {})}
        return {"apiVersion": self.api_version, "kind": self.kind, "metadata": meta}


@dataclass(frozen=True)
class _Env:
    name: str
    source: str
    home: str
    version: str
    objects: dict[Key, dict]


def relative(o: dict, home: str) -> tuple[Key, dict]:
    """The identity of ``o`` and ``o`` itself without its namespace when that is ``home``."""
    ref = ObjectRef.of(o)
    if ref.namespace == home:
        o = {**o, "metadata": {k: v for k, v in o["metadata"].items() if k != "namespace"}}
        return Key(ref.api_version, ref.kind, "", ref.name), o
    return Key(ref.api_version, ref.kind, ref.namespace or None, ref.name), o


def _majority(count: int, total: int, in_first: bool) -> bool:
    """More than half, or exactly half including the first (the latest in promotion order)."""
    return 2 * count > total or (2 * count == total and in_first)


def consensus(values: list[Any], schema: patch_keys.Cursor) -> Any:
    """The field-by-field majority of several versions of one value (see the module docstring); ``values``
    come latest in promotion order first, which is how a tie is broken."""
    if all(v == values[0] for v in values[1:]):
        return values[0]  # the common case, and the whole subtree at once
    if all(isinstance(v, dict) for v in values):
        keys = list(dict.fromkeys(k for v in values for k in v))
        return {
            k: consensus(present, schema.field(k))
            for k in keys
            if _majority(len(present := [v[k] for v in values if k in v]), len(values), k in values[0])
        }
    key = schema.merge_key() if all(isinstance(v, list) for v in values) else None
    if key and all(keyed(v, key) for v in values):
        return _list_consensus(values, key, schema.item())
    return _most_common(values)


def _list_consensus(values: list[list[dict]], key: str, item: patch_keys.Cursor) -> list[dict]:
    """A merge-keyed list: the elements most versions have, each the majority of its versions, in the
    most common order (else the order they are first seen in)."""
    seen = list(dict.fromkeys(e[key] for v in values for e in v))
    has = [{e[key] for e in v} for v in values]
    kept = [k for k in seen if _majority(sum(k in h for h in has), len(values), k in has[0])]
    orders = [[e[key] for e in v if e[key] in kept] for v in values]
    order = next((o for o in [_most_common(orders)] if sorted(map(str, o)) == sorted(map(str, kept))), kept)
    return [consensus([e for v in values for e in v if e[key] == k], item) for k in order]


def _most_common(values: list[Any]) -> Any:
    """The most common value; on a tie, the one seen first."""
    counts: dict[str, list] = {}
    for v in values:
        counts.setdefault(json.dumps(v, sort_keys=True), []).append(v)
    return max(counts.values(), key=len)[0]


def emit(built: BuiltRoot) -> dict[str, str]:
    """Every file of ``base/`` and ``overlays/<env>/`` for the built environments."""
    by_tree = {b.tree: _environment(b) for b in built.environments}
    envs = list(by_tree.values())
    if not envs:
        return {}
    latest_first = [by_tree[b.tree] for b in built.latest_first()]
    order = list(dict.fromkeys(k for e in envs for k in e.objects))
    base = {k: _base_object(k, latest_first) for k in order if _in_base(k, latest_first)}
    all_sources = ", ".join(e.source for e in envs)
    files = {f"{BASE}/{KUSTOMIZATION}": _kustomization(all_sources, Kustomization(resources=_files(base)))}
    for key, o in base.items():  # every environment's spec in the header, so adding an object to one
        files[f"{BASE}/{key.file()}"] = _yaml(all_sources, o)  # environment leaves base/ untouched
    for e in envs:
        files.update(_overlay(e, base))
    return files


def _environment(b) -> _Env:
    objects: dict[Key, dict] = {}
    files: set[str] = set()
    for o in b.objects:
        key, o = relative(o, b.spec.namespace)
        if key.file() in files:
            raise ValueError(f"{b.name}: two objects would be written to {key.file()}")
        files.add(key.file())
        objects[key] = o
    return _Env(b.tree, b.source, b.spec.namespace, b.spec.kubernetes_version, objects)


def _base_object(key: Key, envs: list[_Env]) -> dict:
    schema = patch_keys.cursor(envs[0].version, key.api_version, key.kind)
    return consensus([e.objects[key] for e in envs if key in e.objects], schema)


def _in_base(key: Key, envs: list[_Env]) -> bool:
    return _majority(sum(key in e.objects for e in envs), len(envs), key in envs[0].objects)


def _overlay(e: _Env, base: dict[Key, dict]) -> dict[str, str]:
    root = f"{OVERLAYS}/{e.name}"
    files: dict[str, str] = {}
    own = [k for k in e.objects if k not in base]
    for key in own:
        files[f"{root}/resources/{key.file()}"] = _yaml(e.source, e.objects[key])
    patches = []
    for key, o in base.items():
        if key not in e.objects:
            files[f"{root}/patches/{key.file()}"] = _yaml(e.source, {**key.stub(), DIRECTIVE: "delete"})
        elif e.objects[key] != o:
            schema = patch_keys.cursor(e.version, key.api_version, key.kind)
            files[f"{root}/patches/{key.file()}"] = _yaml(e.source, _patch(key, strategic_patch(o, e.objects[key], schema)))
        else:
            continue
        patches.append(Patch(path=f"patches/{key.file()}"))
    transformers = {f"transformers/{name}": config for name, config in _transformers(e)}
    for path, config in transformers.items():
        files[f"{root}/{path}"] = _yaml(e.source, config)
    up = "../" * (1 + e.name.count("/") + 1)  # overlays/<tree>/ -> the root
    resources = ((f"{up}{BASE}",) if base else ()) + _files({k: None for k in own}, "resources/")
    kustomization = Kustomization(resources=tuple(resources), patches=tuple(patches), transformers=tuple(transformers))
    files[f"{root}/{KUSTOMIZATION}"] = _kustomization(e.source, kustomization)
    return files


def _patch(key: Key, patch: dict) -> dict:
    stub = key.stub()
    return {**stub, **patch, "metadata": {**stub["metadata"], **patch.get("metadata", {})}}


def _transformers(e: _Env) -> Iterable[tuple[str, dict]]:
    if any(k.namespace == "" for k in e.objects):
        meta = Metadata(name="environment-namespace", namespace=e.home)
        yield "namespace.yaml", NamespaceTransformer(metadata=meta).to_dict()
    for key in e.objects:
        if key.namespace is None and not patch_keys.is_builtin(e.version, key.api_version, key.kind):
            group, _, version = key.api_version.rpartition("/")
            undo = [{"op": "add", "path": "/metadata/namespace", "value": ""}, {"op": "remove", "path": "/metadata/namespace"}]
            config = PatchTransformer(
                metadata=Metadata(name=f"cluster-scoped-{key.kind.lower()}-{key.name}"),
                target=Target(group=group, version=version, kind=key.kind, name=key.name),
                patch=json.dumps(undo),
            )
            yield f"cluster-scoped-{key.kind.lower()}-{key.name}.yaml", config.to_dict()


def _files(objects: dict, prefix: str = "") -> tuple[str, ...]:
    return tuple(prefix + key.file() for key in objects)


def _yaml(source: str, data: dict) -> str:
    return header(source) + yamlio.dump(data)


def _kustomization(source: str, k: Kustomization) -> str:
    return _yaml(source, k.to_dict())
