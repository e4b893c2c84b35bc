"""Offline validation of objects: strict JSON schemas (``schemas``), Pod Security Standards
(``policies``) and the API server's own rules (``apiserver``), combined by ``findings``; ``committed`` applies them to files already on disk."""

from __future__ import annotations

from generator.errors import Finding
from generator.validate import apiserver, policies, schemas


def findings(where: str, obj: dict, kubernetes_version: str) -> list[Finding]:
    """Every schema and policy problem of one object, located in the file ``where``."""
    return [Finding(where, 0, 0, p, m) for p, m in schemas.errors(obj, kubernetes_version)] + [
        Finding(where, 0, 0, p, f"PSS restricted: {m}") for p, m in policies.restricted_violations(obj)
    ] + [Finding(where, 0, 0, p, f"API server: {m}") for p, m in apiserver.violations(obj)]
