"""The workload of a service and how it rolls out: a Deployment with a rolling update, or an Argo Rollout
with canary steps (and an AnalysisTemplate on the HTTP success rate when the spec asks for one)."""

from __future__ import annotations

from generator.build.meta import Context, metadata, obj, selector, xdict
from generator.build.secrets import secret_name
from generator.build.workloads import pod_template, waiver_annotations
from generator.spec import Service

ROLLOUTS_API = "argoproj.io/v1alpha1"
RELOAD_ANNOTATION = "secret.reloader.stakater.com/reload"


def workload(ctx: Context, name: str, svc: Service) -> dict:
    """A Deployment, or a Rollout when the service has a canary; no replica count when an HPA owns it."""
    surge = {"maxSurge": svc.rolling_update.max_surge, "maxUnavailable": svc.rolling_update.max_unavailable}
    if svc.rollout is None:
        api, kind, strategy = "apps/v1", "Deployment", {"type": "RollingUpdate", "rollingUpdate": surge}
    else:
        api, kind, strategy = ROLLOUTS_API, "Rollout", {"canary": {**surge, **_canary(name, svc)}}
    spec = xdict(
        replicas=None if svc.autoscaling else svc.replicas,
        selector={"matchLabels": selector(name)},
        strategy=strategy,
        template=pod_template(ctx, name, svc),
    )
    annotations = waiver_annotations(svc)
    if svc.restart_on_secret_change:
        annotations[RELOAD_ANNOTATION] = secret_name(name)
    return obj(api, kind, metadata(name, ctx, service=name, annotations=annotations), spec=spec)


def _canary(name: str, svc: Service) -> dict:
    canary = svc.rollout.canary
    pause = {} if canary.pause == "manual" else {"duration": canary.pause}
    steps = []
    for weight in canary.steps:
        steps += [{"setWeight": weight}, {"pause": pause}]
    result: dict = {}
    if canary.analysis:
        result["analysis"] = xdict(
            templates=[{"templateName": analysis_name(name)}],
            startingStep=canary.analysis.starting_step,
        )
    result["steps"] = steps
    return result


def analysis_name(service: str) -> str:
    return f"{service}-success-rate"


def analysis_template(ctx: Context, name: str, svc: Service) -> dict | None:
    """The success-rate AnalysisTemplate of a canary, when asked."""
    if svc.rollout is None or svc.rollout.canary.analysis is None:
        return None
    analysis = svc.rollout.canary.analysis
    metric = svc.alerts.requests_metric if svc.alerts else "http_requests_total"
    scope = f'namespace="{ctx.namespace}",job="{name}"'
    query = analysis.query or (
        f'sum(rate({metric}{{{scope},status!~"5.."}}[5m])) / sum(rate({metric}{{{scope}}}[5m]))'
    )
    metric_spec = {
        "name": "success-rate",
        "interval": analysis.interval,
        "count": analysis.count,
        "failureLimit": analysis.failure_limit,
        "successCondition": f"result[0] >= {analysis.success_rate}",
        "provider": {"prometheus": {"address": analysis.prometheus_address, "query": query}},
    }
    meta = metadata(analysis_name(name), ctx, service=name)
    return obj(ROLLOUTS_API, "AnalysisTemplate", meta, spec={"metrics": [metric_spec]})
