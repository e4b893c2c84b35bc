"""The built-in alert rules, as data: the platform's alert table (condition, duration, severity) written
as PromQL over one service in one namespace. ``generator.builders.monitoring`` merges them with the spec."""

from __future__ import annotations

from generator.spec.monitoring import AlertRule, Alerts


def builtin_rules(app: str, namespace: str, service: str, alerts: Alerts) -> list[AlertRule]:
    """The seven default rules for ``service``; ``app`` is its display name (e.g. 'SecureNexus')."""
    job = f'namespace="{namespace}",job="{service}"'
    pod = f'namespace="{namespace}",container="{service}"'
    req, lat = alerts.requests_metric, alerts.latency_metric
    table = [
        (f"{app}Down", f"up{{{job}}} == 0", "2m", "critical",
         f"{app} is down", f"No {service} target in {namespace} has answered a scrape for 2 minutes."),
        ("HighErrorRate",
         f'sum(rate({req}{{{job},status=~"5.."}}[5m])) / sum(rate({req}{{{job}}}[5m])) > 0.05', "5m", "warning",
         f"{app} 5xx rate above 5%", "More than 5% of responses were server errors for 5 minutes."),
        ("HighResponseLatency",
         f"histogram_quantile(0.95, sum by (le) (rate({lat}_bucket{{{job}}}[5m]))) > 2", "5m", "warning",
         f"{app} p95 latency above 2s", "The 95th percentile response time exceeded 2 seconds for 5 minutes."),
        ("HighMemoryUsage",
         f"max by (pod) (container_memory_working_set_bytes{{{pod}}}) / max by (pod) "
         f'(kube_pod_container_resource_limits{{{pod},resource="memory"}}) > 0.85', "5m", "warning",
         f"{app} memory above 85% of its limit", "A pod used more than 85% of its memory limit for 5 minutes."),
        ("HighCpuUsage",
         f"sum by (pod) (rate(container_cpu_usage_seconds_total{{{pod}}}[5m])) / max by (pod) "
         f'(kube_pod_container_resource_limits{{{pod},resource="cpu"}}) > 0.8', "10m", "warning",
         f"{app} CPU above 80% of its limit", "A pod used more than 80% of its CPU limit for 10 minutes."),
        ("PodRestartLooping",
         f"increase(kube_pod_container_status_restarts_total{{{pod}}}[1h]) > 3", None, "critical",
         f"{app} pods restart repeatedly", "A container restarted more than 3 times in the last hour."),
        ("SLOAvailabilityBreach",
         f'sum(rate({req}{{{job},status!~"5.."}}[1h])) / sum(rate({req}{{{job}}}[1h])) < 0.999', None, "critical",
         f"{app} availability below 99.9%", "Less than 99.9% of requests succeeded over the last hour."),
    ]
    return [
        AlertRule(alert=a, expr=e, for_=f, severity=s, summary=summary, description=d)
        for a, e, f, s, summary, d in table
    ]
