"""Kubernetes API access of a service: least-privilege Role rules. Only with these does the service's
token get mounted, and the spec must say why."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, field_validator

from generator.spec.common import Model

_FORBIDDEN_VERBS = {"escalate", "bind", "impersonate"}
Word = Annotated[str, StringConstraints(pattern=r"^[^\s]*$")]


class AccessRule(Model):
    """One RBAC rule in the service's namespace: no wildcards, no escalate/bind/impersonate."""

    api_groups: list[Word] = Field(description="API groups; '' is the core group.")
    resources: list[Annotated[Word, StringConstraints(min_length=1)]] = Field(min_length=1, description="Resources.")
    verbs: list[Annotated[Word, StringConstraints(min_length=1)]] = Field(min_length=1, description="Verbs.")
    resource_names: list[str] = Field(default_factory=list, description="Limit the rule to these objects.")

    @field_validator("api_groups", "resources", "verbs", "resource_names")
    @classmethod
    def _no_wildcards(cls, values: list[str]) -> list[str]:
        if any("*" in v for v in values):
            raise ValueError("wildcards ('*') are not allowed (least privilege): name each one")
        return values

    @field_validator("verbs")
    @classmethod
    def _least_privilege(cls, verbs: list[str]) -> list[str]:
        bad = sorted(set(verbs) & _FORBIDDEN_VERBS)
        if bad:
            raise ValueError(f"verbs {bad} let a workload raise its own privileges and are not allowed")
        return verbs


class Access(Model):
    """A Role and RoleBinding for the service's ServiceAccount, whose token is then mounted."""

    rules: list[AccessRule] = Field(min_length=1, description="What the service may do in its namespace.")
    reason: Annotated[str, StringConstraints(min_length=10, pattern=r"^[^\n=]+$")] = Field(
        description="Why the service calls the Kubernetes API; written as the waiver of the token-mount check."
    )
