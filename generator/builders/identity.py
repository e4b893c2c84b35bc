"""ServiceAccounts: one dedicated identity per service (and per IRSA-authenticated secret store) that never
mounts its API token, carrying an IAM role through IRSA when the spec names one."""

from __future__ import annotations

from generator.builders.meta import Context, metadata, obj

IRSA_ANNOTATION = "eks.amazonaws.com/role-arn"


def service_account(
    ctx: Context, name: str, role_arn: str | None, *, service: str | None = None, api_access: bool = False
) -> dict:
    """Mounts its token only for a service granted API access (see ``generator.builders.access``)."""
    annotations = {IRSA_ANNOTATION: role_arn} if role_arn else None
    return obj(
        "v1", "ServiceAccount", metadata(name, ctx, service=service, annotations=annotations),
        automountServiceAccountToken=api_access,
    )
