"""Offline validation of objects: strict JSON schemas (``schemas``) and Pod Security Standards
(``policies``), combined by ``findings``; ``committed`` applies them to files already on disk."""

from __future__ import annotations

from generator.errors import Finding
from generator.validate import policies, schemas


def findings(where: str, obj: dict, kubernetes_version: str) -> list[Finding]:
    """Every schema and policy problem of one object, located in the file ``where``."""
    return [Finding(where, 0, 0, p, m) for p, m in schemas.errors(obj, kubernetes_version)] + [
        Finding(where, 0, 0, p, f"PSS restricted: {m}") for p, m in policies.restricted_violations(obj)
    ]
