{{/*
alerts.builtin_rules: the platform's seven default rules for one service, as a JSON list of rules
(alert, expr, for when set, severity, summary, description). Input: dict app namespace service alerts.
*/}}
{{- define "gitops.builtinAlerts" -}}
{{- $app := .app }}{{ $ns := .namespace }}{{ $svc := .service }}
{{- $job := printf `namespace="%s",job="%s"` $ns $svc }}
{{- $pod := printf `namespace="%s",container="%s"` $ns $svc }}
{{- $req := .alerts.requestsMetric }}{{ $lat := .alerts.latencyMetric }}
{{- $rules := list
  (dict "alert" (printf "%sDown" $app) "expr" (printf `up{%s} == 0` $job) "for" "2m" "severity" "critical"
    "summary" (printf "%s is down" $app)
    "description" (printf "No %s target in %s has answered a scrape for 2 minutes." $svc $ns))
  (dict "alert" "HighErrorRate"
    "expr" (printf `sum(rate(%s{%s,status=~"5.."}[5m])) / sum(rate(%s{%s}[5m])) > 0.05` $req $job $req $job)
    "for" "5m" "severity" "warning" "summary" (printf "%s 5xx rate above 5%%" $app)
    "description" "More than 5% of responses were server errors for 5 minutes.")
  (dict "alert" "HighResponseLatency"
    "expr" (printf `histogram_quantile(0.95, sum by (le) (rate(%s_bucket{%s}[5m]))) > 2` $lat $job)
    "for" "5m" "severity" "warning" "summary" (printf "%s p95 latency above 2s" $app)
    "description" "The 95th percentile response time exceeded 2 seconds for 5 minutes.")
  (dict "alert" "HighMemoryUsage"
    "expr" (printf `max by (pod) (container_memory_working_set_bytes{%s}) / max by (pod) (kube_pod_container_resource_limits{%s,resource="memory"}) > 0.85` $pod $pod)
    "for" "5m" "severity" "warning" "summary" (printf "%s memory above 85%% of its limit" $app)
    "description" "A pod used more than 85% of its memory limit for 5 minutes.")
  (dict "alert" "HighCpuUsage"
    "expr" (printf `sum by (pod) (rate(container_cpu_usage_seconds_total{%s}[5m])) / max by (pod) (kube_pod_container_resource_limits{%s,resource="cpu"}) > 0.8` $pod $pod)
    "for" "10m" "severity" "warning" "summary" (printf "%s CPU above 80%% of its limit" $app)
    "description" "A pod used more than 80% of its CPU limit for 10 minutes.")
  (dict "alert" "PodRestartLooping"
    "expr" (printf `increase(kube_pod_container_status_restarts_total{%s}[1h]) > 3` $pod)
    "severity" "critical" "summary" (printf "%s pods restart repeatedly" $app)
    "description" "A container restarted more than 3 times in the last hour.")
  (dict "alert" "SLOAvailabilityBreach"
    "expr" (printf `sum(rate(%s{%s,status!~"5.."}[1h])) / sum(rate(%s{%s}[1h])) < 0.999` $req $job $req $job)
    "severity" "critical" "summary" (printf "%s availability below 99.9%%" $app)
    "description" "Less than 99.9% of requests succeeded over the last hour.")
}}
{{- toJson $rules }}
{{- end }}
