{{/*
workloads.pod_template: the hardened pod of one service (non-root, RuntimeDefault seccomp, no privilege
escalation, every capability dropped, read-only root with emptyDir volumes for the writable paths), its
config checksum and prometheus.io annotations, the token mounted only with API access, zone spread for
multi-pod services, and its secrets as variables or read-only files. Input: dict root name svc.
*/}}
{{- define "gitops.podTemplate" -}}
{{- $name := .name }}{{ $svc := .svc }}
{{- $secretName := printf "%s-secrets" $name }}
{{- $metricsPort := include "gitops.metricsPort" $svc | int }}
{{- $secretEnv := list }}
{{- $volumes := list }}
{{- $mounts := list }}
{{- range $path := $svc.security.writablePaths }}
{{- $volume := regexReplaceAll "[^a-z0-9]+" (lower $path) "-" | trimAll "-" | trunc 63 | default "root" }}
{{- $volumes = append $volumes (dict "name" $volume "emptyDir" (dict)) }}
{{- $mounts = append $mounts (dict "name" $volume "mountPath" $path) }}
{{- end }}
{{- range $index, $source := $svc.secrets }}
{{- $pairs := include "gitops.secretKeys" $source | fromJsonArray }}
{{- if hasKey $source "mountPath" }}
{{- $items := list }}
{{- range $pair := $pairs }}{{ $items = append $items (dict "key" (index $pair 0) "path" (index $pair 0)) }}{{ end }}
{{- $volume := printf "secret-%d" $index }}
{{- $volumes = append $volumes (dict "name" $volume "secret" (dict "secretName" $secretName "items" $items)) }}
{{- $mounts = append $mounts (dict "name" $volume "mountPath" $source.mountPath "readOnly" true) }}
{{- else }}
{{- range $pair := $pairs }}
{{- $secretEnv = append $secretEnv (dict "name" (index $pair 0) "valueFrom" (dict "secretKeyRef" (dict "name" $secretName "key" (index $pair 0)))) }}
{{- end }}
{{- end }}
{{- end }}
{{- $annotations := dict }}
{{- if $svc.env }}{{ $_ := set $annotations "checksum/config" (include "gitops.configChecksum" $svc.env) }}{{ end }}
{{- with $svc.metrics }}{{ if .podAnnotations }}
{{- $_ := set $annotations "prometheus.io/scrape" "true" }}
{{- $_ := set $annotations "prometheus.io/port" (toString (ternary $metricsPort (int $svc.port) (gt $metricsPort 0))) }}
{{- $_ := set $annotations "prometheus.io/path" .path }}
{{- end }}{{ end }}
{{- $ports := list (dict "name" "http" "containerPort" $svc.port "protocol" "TCP") }}
{{- if $metricsPort }}{{ $ports = append $ports (dict "name" "metrics" "containerPort" $metricsPort "protocol" "TCP") }}{{ end }}
{{- $maxPods := int $svc.replicas }}
{{- with $svc.autoscaling }}{{ $maxPods = int .maxReplicas }}{{ end }}
metadata:
  labels:
    {{- include "gitops.labels" (dict "system" .root.Values.system "service" $name) | nindent 4 }}
  {{- if $annotations }}
  annotations: {{ include "gitops.json" $annotations }}
  {{- end }}
spec:
  serviceAccountName: {{ include "gitops.json" $name }}
  automountServiceAccountToken: {{ hasKey $svc "access" }}
  securityContext:
    runAsNonRoot: true
    runAsUser: {{ include "gitops.json" $svc.security.runAsUser }}
    runAsGroup: {{ include "gitops.json" $svc.security.runAsGroup }}
    fsGroup: {{ include "gitops.json" $svc.security.fsGroup }}
    seccompProfile:
      type: RuntimeDefault
  terminationGracePeriodSeconds: {{ include "gitops.json" $svc.terminationGracePeriodSeconds }}
  {{- if and $svc.spread.zones (ge $maxPods 2) }}
  topologySpreadConstraints:
  - maxSkew: {{ include "gitops.json" $svc.spread.maxSkew }}
    topologyKey: topology.kubernetes.io/zone
    whenUnsatisfiable: {{ include "gitops.json" $svc.spread.whenUnsatisfiable }}
    labelSelector:
      matchLabels:
        app.kubernetes.io/name: {{ include "gitops.json" $name }}
  {{- end }}
  containers:
  - name: {{ include "gitops.json" $name }}
    image: {{ include "gitops.image" $svc.image | include "gitops.json" }}
    imagePullPolicy: {{ include "gitops.json" $svc.image.pullPolicy }}
    ports: {{ include "gitops.json" $ports }}
    {{- if $svc.env }}
    envFrom:
    - configMapRef:
        name: {{ printf "%s-env" $name | include "gitops.json" }}
    {{- end }}
    {{- if $secretEnv }}
    env: {{ include "gitops.json" $secretEnv }}
    {{- end }}
    resources:
      requests:
        cpu: {{ include "gitops.json" $svc.resources.requests.cpu }}
        memory: {{ include "gitops.json" $svc.resources.requests.memory }}
      limits:
        cpu: {{ include "gitops.json" $svc.resources.limits.cpu }}
        memory: {{ include "gitops.json" $svc.resources.limits.memory }}
    {{- with $svc.probes.startup }}
    startupProbe: {{ include "gitops.probe" . }}
    {{- end }}
    livenessProbe: {{ include "gitops.probe" $svc.probes.liveness }}
    readinessProbe: {{ include "gitops.probe" $svc.probes.readiness }}
    securityContext:
      allowPrivilegeEscalation: false
      readOnlyRootFilesystem: true
      runAsNonRoot: true
      capabilities:
        drop: ["ALL"]
    {{- if $mounts }}
    volumeMounts: {{ include "gitops.json" $mounts }}
    {{- end }}
  {{- if $volumes }}
  volumes: {{ include "gitops.json" $volumes }}
  {{- end }}
{{- end }}

{{/* workloads.waiver_annotations: checkov.io/skipN per waiver in order, plus the token-mount waiver of API access. */}}
{{- define "gitops.waivers" -}}
{{- $waivers := list }}
{{- $tokenWaived := false }}
{{- range .waivers }}
{{- $waivers = append $waivers (list .check .reason) }}
{{- if eq .check "CKV_K8S_38" }}{{ $tokenWaived = true }}{{ end }}
{{- end }}
{{- if and .access (not $tokenWaived) }}{{ $waivers = append $waivers (list "CKV_K8S_38" .access.reason) }}{{ end }}
{{- $annotations := dict }}
{{- range $i, $waiver := $waivers }}
{{- $_ := set $annotations (printf "checkov.io/skip%d" (add1 $i)) (printf "%s=%s" (index $waiver 0) (index $waiver 1)) }}
{{- end }}
{{- toJson $annotations }}
{{- end }}
