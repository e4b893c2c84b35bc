"""Typed models of the Kustomize files the generator writes, with only the fields it uses.

``Kustomization`` is a ``kustomization.yaml`` (kustomize.config.k8s.io/v1beta1). ``NamespaceTransformer``
and ``PatchTransformer`` are configs of kustomize's builtin transformers, listed under ``transformers:``
so that they run after the ``patches:`` of the same kustomization. Like the spec models they are strict
and frozen; ``to_dict`` gives the plain data that ``yamlio`` serializes, in kustomize's documented key
order, leaving out lists that are empty (an empty ``patches:`` says nothing to a reviewer).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from generator.spec.common import Model


class Patch(Model):
    """One entry of ``patches:``: a strategic merge patch file; its own apiVersion, kind and name pick the
    object it patches (a ``$patch: delete`` patch removes that object)."""

    path: str = Field(description="Patch file, relative to the kustomization.")


class Kustomization(Model):
    """A ``kustomization.yaml``: what to load, how to patch it, which transformers to run afterwards."""

    api_version: Literal["kustomize.config.k8s.io/v1beta1"] = "kustomize.config.k8s.io/v1beta1"
    kind: Literal["Kustomization"] = "Kustomization"
    resources: tuple[str, ...] = Field((), description="Object files and kustomization folders to load.")
    patches: tuple[Patch, ...] = Field((), description="Strategic merge patches, applied in order.")
    transformers: tuple[str, ...] = Field((), description="Transformer config files, run after the patches.")

    def to_dict(self) -> dict:
        data = self.model_dump(by_alias=True, mode="python")
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in data.items() if v != ()}


class Metadata(Model):
    """Name (and for the namespace transformer, the namespace it sets) of a transformer config."""

    name: str = Field(description="Name of the config, for error messages.")
    namespace: str | None = Field(None, description="NamespaceTransformer only: the namespace to set.")


class NamespaceTransformer(Model):
    """Sets ``metadata.namespace`` on every object that has none, unless kustomize knows its kind is
    cluster-scoped. ``unsetOnly`` leaves objects that already name a namespace alone; no field specs and
    ``setRoleBindingSubjects: none`` keep it from renaming Namespace objects or rewriting subjects (the
    defaults of the ``namespace:`` shorthand do both)."""

    api_version: Literal["builtin"] = "builtin"
    kind: Literal["NamespaceTransformer"] = "NamespaceTransformer"
    metadata: Metadata = Field(description="Config name and the namespace to set.")
    unset_only: Literal[True] = True
    set_role_binding_subjects: Literal["none"] = "none"
    field_specs: tuple[()] = ()

    def to_dict(self) -> dict:
        data = self.model_dump(by_alias=True, exclude_none=True, mode="python")
        data["fieldSpecs"] = []
        return data


class Target(Model):
    """Selects exactly one object for a PatchTransformer."""

    group: str = Field(description="API group ('' for the core group).")
    version: str = Field(description="API version within the group.")
    kind: str = Field(description="Object kind.")
    name: str = Field(description="Object name (kustomize anchors it as a whole-string match).")


class PatchTransformer(Model):
    """A JSON 6902 patch run as a transformer; used only to take back the namespace that the namespace
    transformer gives a cluster-scoped object of a kind kustomize does not know (a CRD kind)."""

    api_version: Literal["builtin"] = "builtin"
    kind: Literal["PatchTransformer"] = "PatchTransformer"
    metadata: Metadata = Field(description="Config name.")
    target: Target = Field(description="The object to patch.")
    patch: str = Field(description="JSON 6902 operations, as JSON text.")

    def to_dict(self) -> dict:
        return self.model_dump(by_alias=True, exclude_none=True, mode="python")
