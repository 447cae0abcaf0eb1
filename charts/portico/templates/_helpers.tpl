{{/*
The chart's name, or nameOverride.
*/}}
{{- define "portico.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The name of the objects the chart creates: fullnameOverride, else the release name when it already
contains the chart's name (so `helm install portico` gives "portico", as deploy/ does), else
release-chart. 63 characters at most, the limit of a label value and of a DNS label.
*/}}
{{- define "portico.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart name and version, for the helm.sh/chart label ("+" is not allowed in a label value).
*/}}
{{- define "portico.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels of every object the chart creates.
*/}}
{{- define "portico.labels" -}}
helm.sh/chart: {{ include "portico.chart" . }}
{{ include "portico.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
The labels that select the controller's pods. They must never change between upgrades: a
Deployment's selector is immutable.
*/}}
{{- define "portico.selectorLabels" -}}
app.kubernetes.io/name: {{ include "portico.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
The labels of the controller's pods: the Deployment's selector, the channel Service's selector and
host mode's anti-affinity.
*/}}
{{- define "portico.controllerSelectorLabels" -}}
{{ include "portico.selectorLabels" . }}
app.kubernetes.io/component: controller
{{- end }}

{{/*
The leader-election Lease: the Deployment's --leader-election-id and the one name the Role lets
the controller get and update.
*/}}
{{- define "portico.leaseName" -}}
{{- printf "%s-leader" (include "portico.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The controller's image: repository and tag, the tag defaulting to the chart's appVersion.
*/}}
{{- define "portico.image" -}}
{{- printf "%s:%s" .Values.image.repository (toString (default .Chart.AppVersion .Values.image.tag)) }}
{{- end }}

{{/*
Per-gateway mode: the image of the data plane pods (the controller's unless dataplane.image is
set), and the URL they reach the controller's channel at, through the chart's Service. The
controller's own default URL names a Service "portico", which is this one only for a release
named portico; the certificate the controller makes for itself names this URL's host.
*/}}
{{- define "portico.dataplaneImage" -}}
{{- default (include "portico.image" .) .Values.dataplane.image }}
{{- end }}

{{- define "portico.channelURL" -}}
{{- printf "https://%s.%s.svc:9443" (include "portico.fullname" .) .Release.Namespace }}
{{- end }}

{{/*
Values the templates cannot use as given, refused with a message that says what to set instead.
Included by the Deployment, the one template that always renders.
*/}}
{{- define "portico.validate" -}}
{{- $modes := list "per-gateway" "shared" "host" }}
{{- if not (has .Values.deploymentMode $modes) }}
{{- fail (printf "deploymentMode must be one of per-gateway, shared, host (it is passed to the controller as --deployment-mode); got %q" (toString .Values.deploymentMode)) }}
{{- end }}
{{- if hasKey .Values "hostNetwork" }}
{{- fail "hostNetwork is not a value of this chart: the controller pod uses the host's network exactly when deploymentMode is host" }}
{{- end }}
{{- $levels := list "trace" "debug" "info" "warn" "error" "fatal" "silent" }}
{{- if not (has .Values.logLevel $levels) }}
{{- fail (printf "logLevel must be one of trace, debug, info, warn, error, fatal, silent; got %q" (toString .Values.logLevel)) }}
{{- end }}
{{- with .Values.accessLogDir }}
{{- if not (isAbs .) }}
{{- fail (printf "accessLogDir must be an absolute path in the controller's container; got %q" .) }}
{{- end }}
{{- if eq (clean .) "/tmp" }}
{{- fail "accessLogDir cannot be /tmp: the chart already mounts a volume there for HAProxy's files; use a directory of its own, e.g. /var/log/portico" }}
{{- end }}
{{- end }}
{{- end }}
