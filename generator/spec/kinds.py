"""The workload kind of a service and the settings only that kind has: a StatefulSet's ordering, update
partition and claim retention, a DaemonSet's node count (for the quota), a Job's retries and clean-up, a
CronJob's schedule. A Deployment is the default; a ``rollout`` turns it into an Argo Rollout
(``generator.spec.delivery``); a Worker is a Deployment that serves nothing (no port, no Service)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from generator.spec.common import Model

Kind = Literal["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Worker"]

SERVING_KINDS = ("Deployment", "StatefulSet", "DaemonSet")
"""Kinds that listen on a port and get a Service; the others (Worker, Job, CronJob) have neither."""

BATCH_KINDS = ("Job", "CronJob")


class StatefulSetSettings(Model):
    """Ordering, updates and claim retention of a StatefulSet (its governing Service is headless)."""

    pod_management_policy: Literal["OrderedReady", "Parallel"] = Field(
        "OrderedReady", description="Start and stop pods one by one, or all at once."
    )
    partition: int | None = Field(
        None, ge=0, description="Rolling update: only pods with an ordinal >= partition are updated (staged rollout)."
    )
    update_strategy: Literal["RollingUpdate", "OnDelete"] = Field(
        "RollingUpdate", description="RollingUpdate, or OnDelete (a pod is updated only when deleted)."
    )
    when_deleted: Literal["Retain", "Delete"] = Field(
        "Retain", description="What happens to the claims when the StatefulSet is deleted (data is kept by default)."
    )
    when_scaled: Literal["Retain", "Delete"] = Field(
        "Retain", description="What happens to the claims of pods removed by scaling down."
    )


class DaemonSetSettings(Model):
    """A DaemonSet runs one pod per node; the quota needs to know on how many nodes at most."""

    max_nodes: int = Field(3, ge=1, description="Most nodes it runs on (sizes the namespace's ResourceQuota).")


class JobSettings(Model):
    """Retries, deadlines and clean-up of a Job (also the job template of a CronJob)."""

    backoff_limit: int | None = Field(None, ge=0, description="Retries before the Job fails (Kubernetes default 6).")
    active_deadline_seconds: int | None = Field(None, ge=1, description="Longest the Job may run.")
    ttl_seconds_after_finished: int | None = Field(
        None, ge=0, description="Delete the finished Job (and its pods) after this many seconds."
    )
    completions: int | None = Field(None, ge=1, description="Successful pods needed.")
    parallelism: int = Field(1, ge=1, description="Pods running at once.")
    restart_policy: Literal["OnFailure", "Never"] = Field(
        "OnFailure", description="Restart a failed container in place, or start a new pod."
    )


class CronSettings(Model):
    """When a CronJob starts its Jobs and how many it keeps."""

    schedule: Annotated[str, StringConstraints(pattern=r"^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|(\S+\s+){4}\S+)$")] = Field(
        description="Cron schedule, e.g. '*/10 * * * *' or '@daily'."
    )
    time_zone: Annotated[str | None, StringConstraints(pattern=r"^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$")] = Field(
        None, description="IANA time zone of the schedule, e.g. 'Etc/UTC'; the controller's when unset."
    )
    concurrency_policy: Literal["Allow", "Forbid", "Replace"] = Field(
        "Forbid", description="Whether a run may start while the previous one is still running."
    )
    successful_jobs_history_limit: int | None = Field(None, ge=0, description="Finished Jobs kept.")
    failed_jobs_history_limit: int | None = Field(None, ge=0, description="Failed Jobs kept.")
    starting_deadline_seconds: int | None = Field(None, ge=1, description="Skip a run that cannot start in time.")
    suspend: bool | None = Field(None, description="Pause the schedule.")
