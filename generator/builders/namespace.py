"""The Namespace: Pod Security Standards 'restricted' enforced, audited and warned, pinned to the target
Kubernetes version, plus the spec's extra labels."""

from __future__ import annotations

from generator.builders.meta import Context, metadata, obj

PSS_LEVEL = "restricted"


def namespace(ctx: Context) -> dict:
    version = f"v{ctx.spec.kubernetes_version}"
    pss = {}
    for mode in ("enforce", "audit", "warn"):
        pss[f"pod-security.kubernetes.io/{mode}"] = PSS_LEVEL
        pss[f"pod-security.kubernetes.io/{mode}-version"] = version
    meta = metadata(ctx.namespace, ctx, namespaced=False, extra_labels={**pss, **dict(sorted(ctx.spec.namespace_labels.items()))})
    return obj("v1", "Namespace", meta)
