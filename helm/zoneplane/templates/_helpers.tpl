{{/*
Names, labels and the pieces of pod spec the components share. Component helpers take a dict:
(dict "context" $ "component" "control-plane").
*/}}

{{/* Chart name, overridable. */}}
{{- define "zoneplane.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name prefix of every resource: "<release>-<chart>", or the release name when it already
contains the chart name. Truncated so that "<fullname>-control-plane" still fits in 63 characters.
*/}}
{{- define "zoneplane.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Name of one component's resources, e.g. "zp-zoneplane-data-plane". */}}
{{- define "zoneplane.componentName" -}}
{{- printf "%s-%s" (include "zoneplane.fullname" .context) .component }}
{{- end }}

{{/* Chart name and version as used by the helm.sh/chart label. */}}
{{- define "zoneplane.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every resource. */}}
{{- define "zoneplane.labels" -}}
helm.sh/chart: {{ include "zoneplane.chart" .context }}
{{ include "zoneplane.selectorLabels" . }}
app.kubernetes.io/version: {{ .context.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .context.Release.Service }}
app.kubernetes.io/part-of: zoneplane
{{- with .context.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Labels that select one component's pods; never change them (selectors are immutable). */}}
{{- define "zoneplane.selectorLabels" -}}
app.kubernetes.io/name: {{ include "zoneplane.name" .context }}
app.kubernetes.io/instance: {{ .context.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* ServiceAccount of the Zoneplane pods. */}}
{{- define "zoneplane.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "zoneplane.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
"registry/repository:tag" of an image dict, or "registry/repository@digest" when it has a digest
(a digest pins the exact image, so it wins over the tag). The tag defaults to the chart's
appVersion; global.imageRegistry, when set, replaces every image's registry (a mirror).
*/}}
{{- define "zoneplane.image" -}}
{{- $registry := .image.registry }}
{{- with (.context.Values.global).imageRegistry }}
{{- $registry = . }}
{{- end }}
{{- $name := .image.repository }}
{{- if $registry }}
{{- $name = printf "%s/%s" $registry .image.repository }}
{{- end }}
{{- if .image.digest }}
{{- printf "%s@%s" $name .image.digest }}
{{- else }}
{{- printf "%s:%s" $name (default .context.Chart.AppVersion .image.tag) }}
{{- end }}
{{- end }}

{{/* Secret holding the bootstrap and node tokens. */}}
{{- define "zoneplane.tokensSecretName" -}}
{{- default (printf "%s-tokens" (include "zoneplane.fullname" .)) .Values.auth.existingSecret }}
{{- end }}

{{/* Secret holding the database credentials (chart-made unless database.existingSecret). */}}
{{- define "zoneplane.databaseSecretName" -}}
{{- if and (not .Values.postgresql.enabled) .Values.database.existingSecret }}
{{- .Values.database.existingSecret }}
{{- else }}
{{- printf "%s-database" (include "zoneplane.fullname" .) }}
{{- end }}
{{- end }}

{{/* Keys of the database Secret: the chart's own Secret always uses username/password. */}}
{{- define "zoneplane.databaseUsernameKey" -}}
{{- if and (not .Values.postgresql.enabled) .Values.database.existingSecret }}
{{- .Values.database.existingSecretKeys.username }}
{{- else }}username{{ end }}
{{- end }}
{{- define "zoneplane.databasePasswordKey" -}}
{{- if and (not .Values.postgresql.enabled) .Values.database.existingSecret }}
{{- .Values.database.existingSecretKeys.password }}
{{- else }}password{{ end }}
{{- end }}

{{/* True ("true") when credentials come from a Secret: always, except an external database
configured with neither a password nor an existing Secret (e.g. credentials in the URL). */}}
{{- define "zoneplane.databaseHasCredentials" -}}
{{- if or .Values.postgresql.enabled .Values.database.existingSecret .Values.database.password }}true{{ end }}
{{- end }}

{{/* Port of the database, for NetworkPolicies. */}}
{{- define "zoneplane.databasePort" -}}
{{- if .Values.postgresql.enabled }}5432{{ else }}{{ .Values.database.port }}{{ end }}
{{- end }}

{{/* JDBC URL of the database, unless it comes from database.existingSecretKeys.url. */}}
{{- define "zoneplane.databaseUrl" -}}
{{- if .Values.postgresql.enabled }}
{{- printf "jdbc:postgresql://%s:5432/%s" (include "zoneplane.componentName" (dict "context" . "component" "postgresql")) .Values.postgresql.database }}
{{- else }}
{{- .Values.database.url }}
{{- end }}
{{- end }}

{{/*
Environment of the database connection, shared by the control plane and the migration job.
Takes (dict "context" $ "secretName" <name of the Secret with the credentials>).
*/}}
{{- define "zoneplane.databaseEnv" -}}
{{- $ := .context }}
{{- if and (not $.Values.postgresql.enabled) $.Values.database.existingSecret $.Values.database.existingSecretKeys.url }}
- name: ZONEPLANE_DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ $.Values.database.existingSecret }}
      key: {{ $.Values.database.existingSecretKeys.url }}
{{- else }}
- name: ZONEPLANE_DATABASE_URL
  value: {{ include "zoneplane.databaseUrl" $ | quote }}
{{- end }}
{{- if include "zoneplane.databaseHasCredentials" $ }}
- name: SPRING_DATASOURCE_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ .secretName }}
      key: {{ include "zoneplane.databaseUsernameKey" $ }}
- name: SPRING_DATASOURCE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .secretName }}
      key: {{ include "zoneplane.databasePasswordKey" $ }}
{{- end }}
{{- end }}

{{/*
A secret value that survives upgrades: the explicit value if given, else the value the Secret
already holds in the cluster (lookup; empty under `helm template`), else a new random one.
Takes (dict "context" $ "secretName" "..." "key" "..." "value" "..." "length" 48).
*/}}
{{- define "zoneplane.persistentSecretValue" -}}
{{- if .value }}
{{- .value }}
{{- else }}
{{- $existing := lookup "v1" "Secret" .context.Release.Namespace .secretName | default dict }}
{{- $data := get $existing "data" | default dict }}
{{- $previous := get $data .key }}
{{- if $previous }}
{{- $previous | b64dec }}
{{- else }}
{{- randAlphaNum (int .length) }}
{{- end }}
{{- end }}
{{- end }}

{{/* Soft spread over hostnames and zones, unless the component sets its own constraints. */}}
{{- define "zoneplane.topologySpreadConstraints" -}}
{{- if .constraints }}
{{- toYaml .constraints }}
{{- else }}
- maxSkew: 1
  topologyKey: kubernetes.io/hostname
  whenUnsatisfiable: ScheduleAnyway
  labelSelector:
    matchLabels:
      {{- include "zoneplane.selectorLabels" . | nindent 6 }}
- maxSkew: 1
  topologyKey: topology.kubernetes.io/zone
  whenUnsatisfiable: ScheduleAnyway
  labelSelector:
    matchLabels:
      {{- include "zoneplane.selectorLabels" . | nindent 6 }}
{{- end }}
{{- end }}

{{/* A writable /tmp for the JVM on a read-only root filesystem. */}}
{{- define "zoneplane.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: 256Mi
{{- end }}

{{/*
Pod spec of the data plane, shared by its Deployment and its DaemonSet.
*/}}
{{- define "zoneplane.dataPlane.podSpec" -}}
{{- $ := . }}
{{- $dp := .Values.dataPlane }}
serviceAccountName: {{ include "zoneplane.serviceAccountName" $ }}
automountServiceAccountToken: {{ .Values.serviceAccount.automountServiceAccountToken }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
terminationGracePeriodSeconds: {{ $dp.terminationGracePeriodSeconds }}
{{- with $dp.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- with $dp.initContainers }}
initContainers:
  {{- tpl (toYaml .) $ | nindent 2 }}
{{- end }}
containers:
  - name: data-plane
    image: {{ include "zoneplane.image" (dict "context" $ "image" $dp.image) }}
    imagePullPolicy: {{ $dp.image.pullPolicy }}
    securityContext:
      {{- toYaml .Values.containerSecurityContext | nindent 6 }}
    ports:
      - name: http
        containerPort: 8000
        protocol: TCP
      - name: https
        containerPort: 8443
        protocol: TCP
      - name: management
        containerPort: 9000
        protocol: TCP
    envFrom:
      - configMapRef:
          name: {{ include "zoneplane.componentName" (dict "context" $ "component" "data-plane") }}
      {{- with $dp.extraEnvFrom }}
      {{- toYaml . | nindent 6 }}
      {{- end }}
    env:
      - name: ZONEPLANE_NODE_ID
        valueFrom:
          fieldRef:
            fieldPath: metadata.name
      - name: ZONEPLANE_NODE_TOKEN
        valueFrom:
          secretKeyRef:
            name: {{ include "zoneplane.tokensSecretName" $ }}
            key: {{ .Values.auth.nodeTokenKey }}
      {{- with $dp.extraEnv }}
      {{- toYaml . | nindent 6 }}
      {{- end }}
    startupProbe:
      httpGet:
        path: /health/readiness
        port: management
      periodSeconds: {{ $dp.startupProbe.periodSeconds }}
      failureThreshold: {{ $dp.startupProbe.failureThreshold }}
    livenessProbe:
      httpGet:
        path: /health/liveness
        port: management
      periodSeconds: {{ $dp.livenessProbe.periodSeconds }}
      failureThreshold: {{ $dp.livenessProbe.failureThreshold }}
      timeoutSeconds: {{ $dp.livenessProbe.timeoutSeconds }}
    readinessProbe:
      httpGet:
        path: /health/readiness
        port: management
      periodSeconds: {{ $dp.readinessProbe.periodSeconds }}
      failureThreshold: {{ $dp.readinessProbe.failureThreshold }}
      timeoutSeconds: {{ $dp.readinessProbe.timeoutSeconds }}
    resources:
      {{- toYaml $dp.resources | nindent 6 }}
    volumeMounts:
      - name: tmp
        mountPath: /tmp
      - name: cache
        mountPath: /var/cache/zoneplane
      {{- if $dp.tls.secretName }}
      - name: tls
        mountPath: /etc/zoneplane/tls
        readOnly: true
      {{- end }}
      {{- with $dp.extraVolumeMounts }}
      {{- toYaml . | nindent 6 }}
      {{- end }}
  {{- with $dp.sidecars }}
  {{- tpl (toYaml .) $ | nindent 2 }}
  {{- end }}
volumes:
  {{- include "zoneplane.tmpVolume" $ | nindent 2 }}
  - name: cache
    {{- toYaml $dp.cache.volume | nindent 4 }}
  {{- if $dp.tls.secretName }}
  - name: tls
    secret:
      secretName: {{ $dp.tls.secretName }}
  {{- end }}
  {{- with $dp.extraVolumes }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
{{- with $dp.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $dp.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $dp.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}
