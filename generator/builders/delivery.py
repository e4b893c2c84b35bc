"""The workload object of a service, by kind, and how it rolls out: a Deployment with a rolling update (also
for a Worker), an Argo Rollout with canary steps (and an AnalysisTemplate on the HTTP success rate when
the spec asks for one), a StatefulSet with its claim templates, a DaemonSet, a Job or a CronJob."""

from __future__ import annotations

from generator.builders.meta import Context, metadata, obj, selector, xdict
from generator.builders.secrets import secret_name
from generator.builders.volumes import claim_templates
from generator.builders.workloads import SINGLETON_ANNOTATION, pod_template, waiver_annotations
from generator.spec import Service

ROLLOUTS_API = "argoproj.io/v1alpha1"
RELOAD_ANNOTATION = "secret.reloader.stakater.com/reload"


JOB_SYNC = {"argocd.argoproj.io/sync-options": "Force=true,Replace=true"}
"""A Job's pod template is immutable: Argo CD replaces the Job when it changes instead of failing to patch it."""


def workload(ctx: Context, name: str, svc: Service) -> dict:
    """The workload object of the service's kind around its pod template."""
    template = pod_template(ctx, name, svc)
    place = svc.placement
    history = {"minReadySeconds": place.min_ready_seconds, "revisionHistoryLimit": place.revision_history_limit}
    surge = {"maxSurge": svc.rolling_update.max_surge, "maxUnavailable": svc.rolling_update.max_unavailable}
    api, kind = "apps/v1", svc.kind
    if svc.kind in ("Deployment", "Worker") and svc.rollout is None:
        kind = "Deployment"
        spec = xdict(
            replicas=None if svc.autoscaling else svc.replicas,
            selector={"matchLabels": selector(name)},
            strategy={"type": "RollingUpdate", "rollingUpdate": surge},
            **history,
            progressDeadlineSeconds=place.progress_deadline_seconds,
            template=template,
        )
    elif svc.kind == "Deployment":
        api, kind = ROLLOUTS_API, "Rollout"
        spec = xdict(
            replicas=None if svc.autoscaling else svc.replicas,
            selector={"matchLabels": selector(name)},
            strategy={"canary": {**surge, **_canary(name, svc)}},
            **history,
            progressDeadlineSeconds=place.progress_deadline_seconds,
            template=template,
        )
    elif svc.kind == "StatefulSet":
        spec = _stateful_set(name, svc, template, history)
    elif svc.kind == "DaemonSet":
        spec = xdict(
            selector={"matchLabels": selector(name)},
            updateStrategy={"type": "RollingUpdate", "rollingUpdate": surge},
            **history,
            template=template,
        )
    elif svc.kind == "Job":
        api, spec = "batch/v1", _job(svc, template)
    else:
        api, spec = "batch/v1", _cron_job(ctx, name, svc, template)
    annotations = waiver_annotations(svc)
    if svc.restart_on_secret_change:
        annotations[RELOAD_ANNOTATION] = secret_name(name)
    if svc.singleton:
        annotations[SINGLETON_ANNOTATION] = svc.singleton.reason
    if svc.kind == "Job":
        annotations.update(JOB_SYNC)
    return obj(api, kind, metadata(name, ctx, service=name, annotations=annotations), spec=spec)


def _stateful_set(name: str, svc: Service, template: dict, history: dict) -> dict:
    sts = svc.sts
    if sts.update_strategy == "OnDelete":
        update = {"type": "OnDelete"}
    else:
        update = xdict(type="RollingUpdate", rollingUpdate={"partition": sts.partition} if sts.partition is not None else None)
    return xdict(
        serviceName=name,
        replicas=None if svc.autoscaling else svc.replicas,
        selector={"matchLabels": selector(name)},
        podManagementPolicy=sts.pod_management_policy,
        updateStrategy=update,
        persistentVolumeClaimRetentionPolicy={"whenDeleted": sts.when_deleted, "whenScaled": sts.when_scaled},
        **history,
        template=template,
        volumeClaimTemplates=claim_templates(svc),
    )


def _job(svc: Service, template: dict) -> dict:
    job = svc.batch
    return xdict(
        parallelism=job.parallelism,
        completions=job.completions,
        backoffLimit=job.backoff_limit,
        activeDeadlineSeconds=job.active_deadline_seconds,
        ttlSecondsAfterFinished=job.ttl_seconds_after_finished,
        template=template,
    )


def _cron_job(ctx: Context, name: str, svc: Service, template: dict) -> dict:
    cron = svc.cron
    return xdict(
        schedule=cron.schedule,
        timeZone=cron.time_zone,
        concurrencyPolicy=cron.concurrency_policy,
        startingDeadlineSeconds=cron.starting_deadline_seconds,
        successfulJobsHistoryLimit=cron.successful_jobs_history_limit,
        failedJobsHistoryLimit=cron.failed_jobs_history_limit,
        suspend=cron.suspend,
        jobTemplate={"metadata": {"labels": metadata(name, ctx, service=name)["labels"]}, "spec": _job(svc, template)},
    )


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
