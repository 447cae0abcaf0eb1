/**
 * The Kubernetes objects of data planes in pods: a ServiceAccount without API access, a
 * Deployment running `portico dataplane`, a Secret with the token the data plane shows the
 * controller, and, when the parameters ask, a PodDisruptionBudget and a HorizontalPodAutoscaler;
 * and a Service per Gateway in front of them.
 * - per-gateway: one set per Gateway, in its namespace, owned by it, so deleting the Gateway
 *   lets garbage collection remove them.
 * - shared: one set per GatewayClass, in the controller's namespace, owned by the class; each
 *   Gateway's Service sits beside the pods (a Service selects pods of its own namespace only),
 *   mapping the Gateway's ports to the data plane ports its listeners were moved to.
 * Pure: the controller applies them (server-side apply) and reads the Services' addresses back.
 */
import {
  DATA_PLANE_APP,
  GATEWAY_CLASS_LABEL,
  GATEWAY_NAMESPACE_LABEL,
  GATEWAY_NAME_LABEL,
  dataPlaneName,
  gatewayLabelValue,
  sharedDataPlaneObjectName,
  sharedServiceName,
} from '../api/data-plane-names.js';
import type { KubeObject } from '../api/object.js';
import type { KubeParameters } from '../graph/parameters.js';

export interface DataPlaneGateway {
  namespace: string;
  name: string;
  uid: string;
  /** spec.infrastructure labels and annotations: copied onto every object and the pods. */
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** The listeners' ports, each once per protocol; `targetPort`: where the data plane listens, when elsewhere (shared mode). */
  ports: { port: number; protocol: 'TCP' | 'UDP'; targetPort?: number }[];
}

/** A GatewayClass whose Gateways share one data plane. */
export interface DataPlaneClass {
  name: string;
  uid: string;
  /** Where its data plane runs: the controller's namespace. */
  namespace: string;
}

export interface DataPlaneSettings {
  /** The image running `portico dataplane` (GatewayParameters' envoyContainer.image overrides it). */
  image: string;
  /** Where the data plane reaches the controller's configuration channel. */
  controllerUrl: string;
  /** The data plane's token (kept in the Secret; the controller checks it). */
  token: string;
  /** The CA that vouches for the controller's channel (kept in the Secret as ca.crt). */
  caPem?: string;
  /** Per-route series on the data plane's /metrics (`--route-metrics`, `--route-latency-histograms`). */
  routeMetrics?: 'counters' | 'histograms';
}

/** The port `portico dataplane` answers /healthz and /readyz on. */
export const DATA_PLANE_HEALTH_PORT = 8082;
const TOKEN_DIR = '/etc/portico/dataplane';
const STATE_DIR = '/var/lib/portico';

type Fields = Record<string, unknown>;

function record(value: unknown): Record<string, string> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, string>) : {};
}

/** Labels that select the Gateway's pods; nothing a user sets may change them. */
export function selectorLabels(gateway: string): Record<string, string> {
  return { 'app.kubernetes.io/name': DATA_PLANE_APP, [GATEWAY_NAME_LABEL]: gatewayLabelValue(gateway) };
}

/** The objects to apply for one Gateway, in the order to create them. */
export function dataPlaneObjects(gw: DataPlaneGateway, kube: KubeParameters = {}, settings: DataPlaneSettings): KubeObject[] {
  const name = dataPlaneName(gw.name);
  const selector = selectorLabels(gw.name);
  const owner = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', name: gw.name, uid: gw.uid };
  const meta = metadataFor(gw.namespace, name, owner, { ...(gw.labels ?? {}), ...selector, 'app.kubernetes.io/managed-by': 'portico' }, gw.annotations ?? {});
  const objects = workload({ name, selector, meta, args: ['--gateway', `${gw.namespace}/${gw.name}`], ports: gw.ports }, kube, settings);
  const service = gatewayService(gw, kube, selector, meta({ labels: kube.service?.extraLabels, annotations: kube.service?.extraAnnotations }));
  // The Service goes right after the Deployment, ahead of the optional PDB and autoscaler.
  return [...objects.slice(0, 3), service, ...objects.slice(3)];
}

/** Labels that select a GatewayClass's shared data plane pods. */
export function sharedSelectorLabels(className: string): Record<string, string> {
  return { 'app.kubernetes.io/name': DATA_PLANE_APP, [GATEWAY_CLASS_LABEL]: gatewayLabelValue(className) };
}

/**
 * The objects of a GatewayClass's shared data plane (its kube parameters shape them) and the
 * Service of each of its Gateways (their own kube.service over the class's, and their
 * spec.infrastructure labels and annotations). Every object is owned by the class: a Gateway,
 * being namespaced, cannot own objects in another namespace; the controller deletes a Gateway's
 * Service when the Gateway goes.
 */
export function sharedDataPlaneObjects(cls: DataPlaneClass, kube: KubeParameters = {}, settings: DataPlaneSettings): KubeObject[] {
  const selector = sharedSelectorLabels(cls.name);
  const meta = metadataFor(cls.namespace, sharedDataPlaneObjectName(cls.name), classOwner(cls), { ...selector, 'app.kubernetes.io/managed-by': 'portico' }, {});
  return workload({ name: sharedDataPlaneObjectName(cls.name), selector, meta, args: ['--gateway-class', cls.name], ports: [] }, kube, settings);
}

/** A Gateway's Service in front of its class's shared data plane. */
export function sharedGatewayService(cls: DataPlaneClass, gw: DataPlaneGateway, kube: KubeParameters = {}): KubeObject {
  const selector = sharedSelectorLabels(cls.name);
  const labels = {
    ...(gw.labels ?? {}),
    [GATEWAY_NAME_LABEL]: gatewayLabelValue(gw.name),
    [GATEWAY_NAMESPACE_LABEL]: gw.namespace,
    [GATEWAY_CLASS_LABEL]: gatewayLabelValue(cls.name),
    'app.kubernetes.io/name': DATA_PLANE_APP,
    'app.kubernetes.io/managed-by': 'portico',
  };
  const meta = metadataFor(cls.namespace, sharedServiceName(gw.namespace, gw.name), classOwner(cls), labels, gw.annotations ?? {});
  return gatewayService(gw, kube, selector, meta({ labels: kube.service?.extraLabels, annotations: kube.service?.extraAnnotations }));
}

function classOwner(cls: DataPlaneClass): Owner {
  return { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', name: cls.name, uid: cls.uid };
}

interface Owner {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
}

type MetaFn = (extra?: { labels?: unknown; annotations?: unknown }, objectName?: string) => KubeObject['metadata'];

/** Metadata in `namespace`, named `name` unless told otherwise, owned by `owner`; labels Portico sets win over extra ones, annotations the other way. */
function metadataFor(namespace: string, name: string, owner: Owner, labels: Record<string, string>, annotations: Record<string, string>): MetaFn {
  const ownerReferences = [{ ...owner, controller: true, blockOwnerDeletion: true }];
  return (extra = {}, objectName = name) => {
    const a = { ...annotations, ...record(extra.annotations) };
    return {
      name: objectName,
      namespace,
      labels: { ...record(extra.labels), ...labels },
      ...(Object.keys(a).length > 0 ? { annotations: a } : {}),
      ownerReferences,
    };
  };
}

/** ServiceAccount, token Secret, Deployment, and the PDB and autoscaler the parameters ask for. */
function workload(
  w: { name: string; selector: Record<string, string>; meta: MetaFn; args: string[]; ports: readonly { port: number; protocol: 'TCP' | 'UDP' }[] },
  kube: KubeParameters,
  settings: DataPlaneSettings,
): KubeObject[] {
  const { name, selector, meta } = w;
  const base = meta();
  const tokenSecret = `${name}-token`;
  const out: KubeObject[] = [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: meta({ labels: kube.serviceAccount?.extraLabels, annotations: kube.serviceAccount?.extraAnnotations }),
      automountServiceAccountToken: false,
    } as KubeObject,
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta({}, tokenSecret),
      type: 'Opaque',
      stringData: { token: settings.token, ...(settings.caPem ? { 'ca.crt': settings.caPem } : {}) },
    } as KubeObject,
    deployment(w.args, w.ports, kube, settings, {
      name,
      selector,
      meta: base,
      tokenSecret,
      podLabels: { ...record(kube.podTemplate?.extraLabels), ...(base.labels ?? {}) },
      podAnnotations: { ...(base.annotations ?? {}), ...record(kube.podTemplate?.extraAnnotations) },
    }),
  ];
  const pdb = kube.podDisruptionBudget;
  if (pdb) {
    const m = pdb.metadata as { labels?: unknown; annotations?: unknown } | undefined;
    out.push({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta(m ?? {}), spec: { ...(pdb.spec as Fields | undefined), selector: { matchLabels: selector } } } as KubeObject);
  }
  const hpa = kube.horizontalPodAutoscaler;
  if (hpa) {
    const m = hpa.metadata as { labels?: unknown; annotations?: unknown } | undefined;
    out.push({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: meta(m ?? {}),
      spec: { ...(hpa.spec as Fields | undefined), scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name } },
    } as KubeObject);
  }
  return out;
}

function portName(p: { port: number; protocol: string }): string {
  return `${p.protocol.toLowerCase()}-${p.port}`;
}

function deployment(
  args: readonly string[],
  ports: readonly { port: number; protocol: 'TCP' | 'UDP' }[],
  kube: KubeParameters,
  settings: DataPlaneSettings,
  o: { name: string; selector: Record<string, string>; meta: KubeObject['metadata']; tokenSecret: string; podLabels: Record<string, string>; podAnnotations: Record<string, string> },
): KubeObject {
  const pod = kube.podTemplate ?? {};
  const container = kube.envoyContainer ?? {};
  const image = imageOf(container.image, settings.image);
  const graceful = record(pod.gracefulShutdown) as { enabled?: boolean; sleepTimeSeconds?: number };
  const podSpec: Fields = {
    serviceAccountName: o.name,
    automountServiceAccountToken: false,
    // Listeners may use ports below 1024 without root or capabilities.
    securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' }, sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }], ...record(pod.securityContext) },
    terminationGracePeriodSeconds: pod.terminationGracePeriodSeconds ?? 60,
    containers: [
      {
        name: 'dataplane',
        image,
        ...(typeof record(container.image).pullPolicy === 'string' ? { imagePullPolicy: record(container.image).pullPolicy } : {}),
        args: [
          'dataplane',
          ...args,
          '--controller',
          settings.controllerUrl,
          '--token-file',
          `${TOKEN_DIR}/token`,
          ...(settings.caPem ? ['--ca-file', `${TOKEN_DIR}/ca.crt`] : []),
          '--state-dir',
          STATE_DIR,
          '--health',
          `0.0.0.0:${DATA_PLANE_HEALTH_PORT}`,
          ...(settings.routeMetrics === 'histograms' ? ['--route-latency-histograms'] : settings.routeMetrics === 'counters' ? ['--route-metrics'] : []),
        ],
        // The pod's own address and name: what its listeners bind, and who reports.
        env: [
          { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          ...((container.env as unknown[] | undefined) ?? []),
        ],
        ports: [...ports.map((p) => ({ name: portName(p).slice(0, 15), containerPort: p.port, protocol: p.protocol })), { name: 'health', containerPort: DATA_PLANE_HEALTH_PORT, protocol: 'TCP' }],
        readinessProbe: pod.readinessProbe ?? { httpGet: { path: '/readyz', port: DATA_PLANE_HEALTH_PORT }, periodSeconds: 5 },
        livenessProbe: pod.livenessProbe ?? { httpGet: { path: '/healthz', port: DATA_PLANE_HEALTH_PORT }, periodSeconds: 10 },
        ...(pod.startupProbe ? { startupProbe: pod.startupProbe } : {}),
        ...(container.resources ? { resources: container.resources } : {}),
        ...(graceful.enabled ? { lifecycle: { preStop: { sleep: { seconds: graceful.sleepTimeSeconds ?? 10 } } } } : {}),
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, ...record(container.securityContext) },
        volumeMounts: [
          { name: 'state', mountPath: STATE_DIR },
          { name: 'tmp', mountPath: '/tmp' },
          { name: 'token', mountPath: TOKEN_DIR, readOnly: true },
          ...((container.extraVolumeMounts as unknown[] | undefined) ?? []),
        ],
      },
    ],
    volumes: [{ name: 'state', emptyDir: {} }, { name: 'tmp', emptyDir: {} }, { name: 'token', secret: { secretName: o.tokenSecret } }, ...((pod.extraVolumes as unknown[] | undefined) ?? [])],
  };
  for (const f of ['nodeSelector', 'affinity', 'tolerations', 'imagePullSecrets', 'priorityClassName', 'topologySpreadConstraints']) if (pod[f] !== undefined) podSpec[f] = pod[f];
  const d = kube.deployment ?? {};
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: o.meta,
    spec: {
      // With an autoscaler the replica count is its to set.
      ...(kube.horizontalPodAutoscaler ? {} : { replicas: d.replicas ?? 1 }),
      ...(d.strategy ? { strategy: d.strategy } : {}),
      selector: { matchLabels: o.selector },
      template: { metadata: { labels: o.podLabels, ...(Object.keys(o.podAnnotations).length > 0 ? { annotations: o.podAnnotations } : {}) }, spec: podSpec },
    },
  } as KubeObject;
}

/** kgateway's image fields (registry/repository:tag or @digest) over the default image. */
function imageOf(value: unknown, fallback: string): string {
  const i = record(value) as { registry?: string; repository?: string; tag?: string; digest?: string };
  if (!i.repository && !i.registry && !i.tag && !i.digest) return fallback;
  const at = fallback.lastIndexOf('@');
  const base = at >= 0 ? fallback.slice(0, at) : fallback;
  const colon = base.lastIndexOf(':');
  const fallbackRepo = colon > base.lastIndexOf('/') ? base.slice(0, colon) : base;
  const fallbackTag = colon > base.lastIndexOf('/') ? base.slice(colon + 1) : 'latest';
  const repository = i.repository ?? fallbackRepo;
  const full = i.registry ? `${i.registry}/${repository}` : repository;
  return i.digest ? `${full}@${i.digest}` : `${full}:${i.tag ?? fallbackTag}`;
}

function gatewayService(gw: DataPlaneGateway, kube: KubeParameters, selector: Record<string, string>, metadata: KubeObject['metadata']): KubeObject {
  const s = kube.service ?? {};
  const nodePorts = new Map<number, number>();
  for (const p of (s.ports as { port: number; nodePort?: number }[] | undefined) ?? []) if (p.nodePort !== undefined) nodePorts.set(p.port, p.nodePort);
  const type = (s.type as string | undefined) ?? 'LoadBalancer';
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata,
    spec: {
      type,
      selector,
      ports: gw.ports.map((p) => ({ name: portName(p), port: p.port, targetPort: p.targetPort ?? p.port, protocol: p.protocol, ...(type !== 'ClusterIP' && nodePorts.has(p.port) ? { nodePort: nodePorts.get(p.port) } : {}) })),
      ...(s.clusterIP !== undefined ? { clusterIP: s.clusterIP } : {}),
      ...(s.externalTrafficPolicy !== undefined && type !== 'ClusterIP' ? { externalTrafficPolicy: s.externalTrafficPolicy } : {}),
      ...(s.loadBalancerClass !== undefined && type === 'LoadBalancer' ? { loadBalancerClass: s.loadBalancerClass } : {}),
      ...(s.loadBalancerSourceRanges !== undefined && type === 'LoadBalancer' ? { loadBalancerSourceRanges: s.loadBalancerSourceRanges } : {}),
    },
  } as KubeObject;
}
