"""Metrics and alerts of a service: a ServiceMonitor and/or prometheus.io pod annotations, and a
PrometheusRule whose built-in rules are the alert table of the platform (down, error rate, latency,
memory, CPU, restarts, SLO), each overridable or removable by name, plus rules of the spec's own."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from generator.spec.common import DnsLabel, Duration, Model, Port

AlertName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]


class Metrics(Model):
    """Where Prometheus scrapes the service."""

    port: Port | None = Field(None, description="Metrics port; defaults to the service's port ('http').")
    path: Annotated[str, StringConstraints(pattern=r"^/\S*$")] = Field("/metrics", description="Metrics path.")
    interval: Duration = Field("15s", description="Scrape interval.")
    service_monitor: bool = Field(True, description="Emit a ServiceMonitor (prometheus-operator).")
    pod_annotations: bool = Field(False, description="Add prometheus.io/scrape, port and path pod annotations.")
    scrape_namespace: DnsLabel = Field(
        "monitoring", description="Namespace of Prometheus, allowed in by NetworkPolicy on the metrics port."
    )


class AlertRule(Model):
    """One Prometheus alerting rule."""

    alert: AlertName = Field(description="Alert name; a built-in rule of the same name is replaced.")
    expr: Annotated[str, StringConstraints(min_length=1)] = Field(description="PromQL condition.")
    for_: Duration | None = Field(None, alias="for", description="How long the condition must hold.")
    severity: Literal["critical", "warning", "info"] = Field("warning", description="severity label.")
    summary: str = Field("", description="Short human summary (annotation).")
    description: str = Field("", description="Longer explanation (annotation).")


class Alerts(Model):
    """A PrometheusRule for the service: the built-in set unless turned off, minus `disable`, plus `rules`."""

    name: Annotated[str | None, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9]*$")] = Field(
        None, description="Display name in alert names ('<name>Down'); defaults to the service name in CamelCase."
    )
    builtin: bool = Field(True, description="Include the built-in rules.")
    disable: list[AlertName] = Field(default_factory=list, description="Built-in rules to leave out, by alert name.")
    rules: list[AlertRule] = Field(default_factory=list, description="Extra rules, or replacements by alert name.")
    requests_metric: AlertName = Field("http_requests_total", description="Counter of HTTP requests, labelled status.")
    latency_metric: AlertName = Field(
        "http_request_duration_seconds", description="Histogram of request durations (without _bucket)."
    )
