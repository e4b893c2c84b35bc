"""Monitoring objects of one service: a ServiceMonitor (prometheus-operator) and a PrometheusRule made of
the built-in alert table (minus what the spec disables, with its replacements) and the spec's own rules."""

from __future__ import annotations

from generator.builders.alerts import builtin_rules
from generator.builders.meta import Context, metadata, obj, selector, xdict
from generator.spec import Service

API = "monitoring.coreos.com/v1"


def metrics_port_name(svc: Service) -> str:
    """The Service port Prometheus scrapes: a declared port with the metrics number, 'metrics', or the main one."""
    if svc.metrics_port:
        return next((p.name for p in svc.ports if p.container_port == svc.metrics_port), "metrics")
    return svc.port_name


def service_monitor(ctx: Context, name: str, svc: Service) -> dict | None:
    if svc.metrics is None or not svc.metrics.service_monitor:
        return None
    endpoint = {"port": metrics_port_name(svc), "path": svc.metrics.path, "interval": svc.metrics.interval}
    spec = {"selector": {"matchLabels": selector(name)}, "endpoints": [endpoint]}
    return obj(API, "ServiceMonitor", metadata(name, ctx, service=name), spec=spec)


def pod_annotations(svc: Service) -> dict[str, str]:
    """prometheus.io/* annotations for annotation-based scraping, when asked."""
    if svc.metrics is None or not svc.metrics.pod_annotations:
        return {}
    return {
        "prometheus.io/scrape": "true",
        "prometheus.io/port": str(svc.metrics_port or svc.port),
        "prometheus.io/path": svc.metrics.path,
    }


def display_name(service: str) -> str:
    """'video-uploader' -> 'VideoUploader'."""
    return "".join(part.capitalize() for part in service.split("-"))


def prometheus_rule(ctx: Context, name: str, svc: Service) -> dict | None:
    if svc.alerts is None:
        return None
    alerts = svc.alerts
    app = alerts.name or display_name(name)
    own = {rule.alert: rule for rule in alerts.rules}
    rules = []
    if alerts.builtin:
        for rule in builtin_rules(app, ctx.namespace, name, alerts):
            if rule.alert not in alerts.disable:
                rules.append(own.pop(rule.alert, rule))
    rules += own.values()
    if not rules:
        return None
    group = {
        "name": f"{name}.rules",
        "rules": [
            xdict(
                alert=r.alert,
                expr=r.expr,
                **{"for": r.for_},
                labels={"severity": r.severity, "service": name},
                annotations=xdict(summary=r.summary or None, description=r.description or None) or None,
            )
            for r in rules
        ],
    }
    return obj(API, "PrometheusRule", metadata(name, ctx, service=name), spec={"groups": [group]})
