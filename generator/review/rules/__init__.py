"""Every risk rule, and ``evaluate``: the risks of a ``compare.Report``, highest severity first.

The rules are grouped by concern: ``capacity`` (replicas, disruption budgets, limits, probes, deletions),
``network`` (NetworkPolicy widening, exposure), ``access`` (RBAC, pod security, secret references,
waivers), ``delivery`` (images, Argo CD auto-sync). Each is a ``risk.Rule`` with its id and severity.
"""

from __future__ import annotations

from generator.review.compare import Report
from generator.review.risk import Risk, Rule, rank
from generator.review.rules import access, capacity, delivery, network

RULES: tuple[Rule, ...] = (
    capacity.replicas_reduced,
    capacity.disruption_weakened,
    network.egress_widened,
    network.ingress_widened,
    access.rbac_widened,
    access.privilege_raised,
    delivery.image_changed,
    delivery.image_unpinned,
    access.secret_ref_changed,
    capacity.resources_changed,
    capacity.probe_removed,
    access.waiver_added,
    network.exposure_added,
    capacity.object_removed,
    delivery.autosync_changed,
)
BY_ID = {r.id: r for r in RULES}


def evaluate(report: Report, rules: tuple[Rule, ...] = RULES) -> list[Risk]:
    """Every risk of every change, ordered by severity (high first), then environment and object."""
    risks = []
    for change in report.changes:
        for r in rules:
            if r.applies(change.kind):
                risks += [
                    Risk(r.id, r.severity, change.env, change.kind, change.namespace, change.name, message)
                    for message in r(change.before, change.after)
                ]
    order = {r.id: i for i, r in enumerate(rules)}
    return sorted(risks, key=lambda x: (rank(x.severity), x.env, order[x.rule], x.kind, x.namespace, x.name))
