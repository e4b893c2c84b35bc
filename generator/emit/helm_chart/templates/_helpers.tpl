{{/*
Helpers shared by the templates. Each mirrors one function of generator/build (named in its comment);
tests/test_helm.py proves the chart renders exactly the objects the builders produce.
Every value reaches the output through "gitops.json" (toJson, YAML-safe), so no value can change the YAML structure.
*/}}

{{/* meta.labels: the service it belongs to (when any), the system, and the generator. */}}
{{- define "gitops.labels" -}}
{{- if .service }}
app.kubernetes.io/name: {{ include "gitops.json" .service }}
{{- end }}
app.kubernetes.io/part-of: {{ include "gitops.json" .system }}
app.kubernetes.io/managed-by: "gitops-gen"
{{- end }}

{{/*
meta.metadata, then waves.annotate: name, namespace (unless "cluster" is set), labels, and the given
annotations plus the sync wave of the kind (an explicit wave wins).
Input: dict root name kind [service] [annotations] [cluster].
*/}}
{{- define "gitops.metadata" -}}
name: {{ include "gitops.json" .name }}
{{- if not .cluster }}
namespace: {{ include "gitops.json" .root.Values.namespace }}
{{- end }}
labels:
  {{- include "gitops.labels" (dict "system" .root.Values.system "service" .service) | nindent 2 }}
{{- $annotations := deepCopy (.annotations | default dict) }}
{{- $wave := include "gitops.wave" .kind }}
{{- if and $wave (not (hasKey $annotations "argocd.argoproj.io/sync-wave")) }}
{{- $_ := set $annotations "argocd.argoproj.io/sync-wave" $wave }}
{{- end }}
{{- if $annotations }}
annotations: {{ include "gitops.json" $annotations }}
{{- end }}
{{- end }}

{{/* waves.WAVES: the Argo CD sync wave of a kind, or nothing for wave 0. */}}
{{- define "gitops.wave" -}}
{{- $waves := dict "Namespace" "-4" "ResourceQuota" "-3" "LimitRange" "-3" "NetworkPolicy" "-3"
  "ServiceAccount" "-2" "ClusterRole" "-2" "ClusterRoleBinding" "-2" "Role" "-2" "RoleBinding" "-2"
  "ClusterSecretStore" "-2" "SecretStore" "-2"
  "ExternalSecret" "-1" "Secret" "-1" "ConfigMap" "-1" "AnalysisTemplate" "-1" }}
{{- get $waves . }}
{{- end }}

{{/* monitoring.metrics_port via Service.metrics_port: the metrics port when it differs from the service's, else 0. */}}
{{- define "gitops.metricsPort" -}}
{{- $port := 0 }}
{{- with .metrics }}{{ if and (hasKey . "port") (ne (int .port) (int $.port)) }}{{ $port = int .port }}{{ end }}{{ end }}
{{- $port }}
{{- end }}

{{/* monitoring.display_name: alerts.name, else 'video-uploader' -> 'VideoUploader'. Input: list name alerts. */}}
{{- define "gitops.displayName" -}}
{{- $alerts := index . 1 }}
{{- if $alerts.name }}{{ $alerts.name }}
{{- else }}{{ range $part := splitList "-" (index . 0) }}{{ title $part }}{{ end }}{{ end }}
{{- end }}

{{/* Image.reference: repository[:tag][@digest]. */}}
{{- define "gitops.image" -}}
{{- .repository }}{{ if .tag }}:{{ .tag }}{{ end }}{{ if .digest }}@{{ .digest }}{{ end }}
{{- end }}

{{/* workloads.probe, as JSON: httpGet on the probe's port or 'http', and the timings that are set. */}}
{{- define "gitops.probe" -}}
{{- $probe := dict "httpGet" (dict "path" .path "port" (.port | default "http")) }}
{{- range $field := list "initialDelaySeconds" "periodSeconds" "timeoutSeconds" "successThreshold" "failureThreshold" }}
{{- if hasKey $ $field }}{{ $_ := set $probe $field (get $ $field) }}{{ end }}
{{- end }}
{{- include "gitops.json" $probe }}
{{- end }}

{{/* A service's secret keys in order, as a JSON list of [variable, property]. Input: one secrets entry. */}}
{{- define "gitops.secretKeys" -}}
{{- $pairs := list }}
{{- range $item := .keys }}
{{- if kindIs "string" $item }}{{ $pairs = append $pairs (list $item $item) }}
{{- else }}{{ range $var, $prop := $item }}{{ $pairs = append $pairs (list $var $prop) }}{{ end }}{{ end }}
{{- end }}
{{- toJson $pairs }}
{{- end }}

{{/*
workloads.pod_template checksum/config: sha256 of Python's json.dumps(dict(sorted(env.items()))), i.e.
'{"K": "V", ...}' with ASCII-only escapes (DEL and non-ASCII as \uXXXX, astral ones as surrogate pairs)
and '<', '>', '&' left as they are.
*/}}
{{- define "gitops.configChecksum" -}}
{{- $items := list }}
{{- range $k, $v := . }}
{{- $items = append $items (printf "%s: %s" (include "gitops.pyJson" $k) (include "gitops.pyJson" $v)) }}
{{- end }}
{{- printf "{%s}" (join ", " $items) | sha256sum }}
{{- end }}

{{- define "gitops.pyJson" -}}
{{- if regexMatch "^[\\x00-\\x7e]*$" . }}
{{- include "gitops.asciiJson" . }}
{{- else }}
{{- $out := list }}
{{- range $c := splitList "" . }}
{{- if regexMatch "^[\\x00-\\x7e]$" $c }}{{ $out = append $out (include "gitops.asciiJson" $c | trimPrefix "\"" | trimSuffix "\"") }}
{{- else if eq (len $c) 4 }}
{{- $v := sub (include "gitops.codePoint" $c | int) 65536 }}
{{- $out = append $out (printf "\\u%04x\\u%04x" (add 55296 (div $v 1024)) (add 56320 (mod $v 1024))) }}
{{- else }}{{ $out = append $out (printf "\\u%04x" (include "gitops.codePoint" $c | int)) }}
{{- end }}
{{- end }}
{{- printf "\"%s\"" (join "" $out) }}
{{- end }}
{{- end }}

{{/* The code point of one UTF-8 encoded character, decoded from its bytes. */}}
{{- define "gitops.codePoint" -}}
{{- $c := . }}
{{- if eq (len $c) 1 }}{{ index $c 0 }}
{{- else if eq (len $c) 2 }}{{ add (mul (mod (index $c 0) 32) 64) (mod (index $c 1) 64) }}
{{- else if eq (len $c) 3 }}{{ add (mul (mod (index $c 0) 16) 4096) (mul (mod (index $c 1) 64) 64) (mod (index $c 2) 64) }}
{{- else }}{{ add (mul (mod (index $c 0) 8) 262144) (mul (mod (index $c 1) 64) 4096) (mul (mod (index $c 2) 64) 64) (mod (index $c 3) 64) }}
{{- end }}
{{- end }}

{{/* Go's JSON string of ASCII text with its HTML escapes undone (an escaped backslash is set aside first). */}}
{{- define "gitops.asciiJson" -}}
{{- toJson . | replace "\\\\" "\x00" | replace "\\u003c" "<" | replace "\\u003e" ">" | replace "\\u0026" "&" | replace "\x00" "\\\\" }}
{{- end }}

{{/* network.service_edges: every service-to-service allow, deduplicated and sorted, as a JSON list. */}}
{{- define "gitops.edges" -}}
{{- $services := .Values.services }}
{{- $edges := dict }}
{{- range $name, $svc := $services }}
{{- range $rule := $svc.ingress }}
{{- if hasKey $rule.from "service" }}
{{- $edge := dict "caller" $rule.from.service "callee" $name "ports" ($rule.ports | default (list $svc.port)) "protocols" $rule.protocols }}
{{- $_ := set $edges (include "gitops.edgeKey" $edge) $edge }}
{{- end }}
{{- end }}
{{- range $rule := $svc.egress }}
{{- if hasKey $rule.to "service" }}
{{- $callee := get $services $rule.to.service }}
{{- $edge := dict "caller" $name "callee" $rule.to.service "ports" ($rule.ports | default (list $callee.port)) "protocols" $rule.protocols }}
{{- $_ := set $edges (include "gitops.edgeKey" $edge) $edge }}
{{- end }}
{{- end }}
{{- end }}
{{- $sorted := list }}
{{- range $key := keys $edges | sortAlpha }}{{ $sorted = append $sorted (get $edges $key) }}{{ end }}
{{- toJson $sorted }}
{{- end }}

{{/* A sort key that orders edges like Python tuples (caller, callee, ports, protocols). */}}
{{- define "gitops.edgeKey" -}}
{{- $ports := list }}{{ range .ports }}{{ $ports = append $ports (printf "%05d" (int .)) }}{{ end }}
{{- printf "%s %s %s %s" .caller .callee (join "," $ports) (join "," .protocols) }}
{{- end }}

{{/* network._rule: one peer, every port with every protocol. Input: list direction peer ports protocols. */}}
{{- define "gitops.rule" -}}
{{- $ports := list }}
{{- range $port := index . 2 }}{{ range $proto := index $ 3 }}{{ $ports = append $ports (dict "protocol" $proto "port" $port) }}{{ end }}{{ end }}
{{- toJson (dict (index . 0) (list (index . 1)) "ports" $ports) }}
{{- end }}

{{/* network._peer: an IP block, or a namespace (optionally narrowed to pods with given labels). */}}
{{- define "gitops.peer" -}}
{{- if hasKey . "cidr" }}
{{- $block := dict "cidr" .cidr }}{{ if .except }}{{ $_ := set $block "except" .except }}{{ end }}
{{- toJson (dict "ipBlock" $block) }}
{{- else }}
{{- $peer := dict "namespaceSelector" (dict "matchLabels" (dict "kubernetes.io/metadata.name" .namespace)) }}
{{- if .podLabels }}{{ $_ := set $peer "podSelector" (dict "matchLabels" .podLabels) }}{{ end }}
{{- toJson $peer }}
{{- end }}
{{- end }}

{{/*
toJson made safe for YAML readers: Go's JSON leaves DEL, the C1 controls (NEL is a YAML line break) and
U+FFFE/U+FFFF raw, which YAML forbids or folds; they become \uXXXX escapes. Every output value goes here.
*/}}
{{- define "gitops.json" -}}
{{- $json := toJson . }}
{{- if regexMatch "[\\x7f-\\x{9f}\\x{fffe}\\x{ffff}]" $json }}
{{- $out := list }}
{{- range $c := splitList "" $json }}
{{- if regexMatch "^[\\x7f-\\x{9f}\\x{fffe}\\x{ffff}]$" $c }}
{{- $out = append $out (printf "\\u%04x" (include "gitops.codePoint" $c | int)) }}
{{- else }}{{ $out = append $out $c }}{{ end }}
{{- end }}
{{- join "" $out }}
{{- else }}{{ $json }}{{ end }}
{{- end }}
