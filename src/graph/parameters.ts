/**
 * Data plane parameters: a GatewayParameters (gateway.portico.dev, kgateway's kind) named by a
 * GatewayClass's parametersRef or a Gateway's spec.infrastructure.parametersRef. Portico reads
 * its `haproxy` section; a Gateway's parameters override its class's field by field. A ConfigMap
 * reference is still accepted and carries nothing.
 */
import { PORTICO_GROUP } from '../api/kinds.js';
import type { GatewayParametersObject } from '../api/policy-spec.js';
import type { ResourceSet } from '../store/resources.js';

export interface DataPlaneParameters {
  threads?: number;
  maxConnections?: number;
  logLevel?: string;
  /** The objects of a data plane in the cluster (deployment models), by kgateway's section. */
  kube?: KubeParameters;
}

type Fields = Record<string, unknown>;

/**
 * kgateway's `kube` sections Portico carries into a Gateway's own data plane (its Deployment,
 * Service, ServiceAccount, PodDisruptionBudget and HorizontalPodAutoscaler). `envoyContainer` is
 * kgateway's name for the proxy container: in Portico it is the HAProxy data plane's.
 */
export interface KubeParameters {
  deployment?: Fields;
  podTemplate?: Fields;
  envoyContainer?: Fields;
  service?: Fields;
  serviceAccount?: Fields;
  podDisruptionBudget?: Fields;
  horizontalPodAutoscaler?: Fields;
}

/** Per section, the fields Portico carries; any other field of `kube` refuses the parameters. */
const KUBE_FIELDS: Record<keyof KubeParameters, readonly string[]> = {
  deployment: ['replicas', 'strategy'],
  podTemplate: [
    'extraLabels',
    'extraAnnotations',
    'nodeSelector',
    'affinity',
    'tolerations',
    'securityContext',
    'imagePullSecrets',
    'priorityClassName',
    'terminationGracePeriodSeconds',
    'topologySpreadConstraints',
    'readinessProbe',
    'livenessProbe',
    'startupProbe',
    'extraVolumes',
    'gracefulShutdown',
  ],
  envoyContainer: ['image', 'resources', 'securityContext', 'env', 'extraVolumeMounts'],
  service: ['type', 'clusterIP', 'externalTrafficPolicy', 'extraAnnotations', 'extraLabels', 'loadBalancerClass', 'loadBalancerSourceRanges', 'ports'],
  serviceAccount: ['extraLabels', 'extraAnnotations'],
  podDisruptionBudget: ['metadata', 'spec'],
  horizontalPodAutoscaler: ['metadata', 'spec'],
};

/** The kube section in the subset Portico carries out, or the path of the first field it cannot. */
export function kubeParameters(kube: Record<string, unknown>, where: string): KubeParameters | string {
  const out: KubeParameters = {};
  for (const [section, value] of Object.entries(kube)) {
    const allowed = KUBE_FIELDS[section as keyof KubeParameters] as readonly string[] | undefined;
    if (!allowed) return `${where}.${section} is not supported by Portico`;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return `${where}.${section} must be an object`;
    const other = Object.keys(value).find((k) => !allowed.includes(k));
    if (other) return `${where}.${section}.${other} is not supported by Portico`;
    out[section as keyof KubeParameters] = value as Fields;
  }
  const type = out.service?.type;
  if (type !== undefined && !['LoadBalancer', 'NodePort', 'ClusterIP'].includes(String(type))) return `${where}.service.type ${JSON.stringify(type)}: LoadBalancer, NodePort or ClusterIP`;
  return out;
}

/** A Gateway's kube parameters over its class's, section by section, field by field. */
export function mergeKubeParameters(base: KubeParameters | undefined, over: KubeParameters | undefined): KubeParameters | undefined {
  if (!base || !over) return over ?? base;
  const out: KubeParameters = { ...base };
  for (const [section, fields] of Object.entries(over) as [keyof KubeParameters, Fields][]) out[section] = { ...(base[section] ?? {}), ...fields };
  return out;
}

const LOG_LEVELS = new Set(['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug']);

/** What a parametersRef resolves to, or why it does not. `namespace`: where the referent lives. */
export function resolveParameters(ref: { group: string; kind: string; name: string }, namespace: string | undefined, where: string, resources: ResourceSet): DataPlaneParameters | string {
  const what = `${where} ${ref.group ? `${ref.group}/` : ''}${ref.kind} ${namespace ? `${namespace}/` : ''}${ref.name}`;
  if (ref.group === '' && ref.kind === 'ConfigMap') {
    if (!namespace) return `${what}: namespace is required (ConfigMaps are namespaced)`;
    return resources.get('ConfigMap', namespace, ref.name) ? {} : `${what} does not exist`;
  }
  if (ref.group !== PORTICO_GROUP || ref.kind !== 'GatewayParameters') return `${what}: only ${PORTICO_GROUP} GatewayParameters and core ConfigMaps are supported`;
  if (!namespace) return `${what}: namespace is required (GatewayParameters are namespaced)`;
  const params = resources.get<GatewayParametersObject>('GatewayParameters', namespace, ref.name);
  if (!params) return `${what} does not exist`;
  const h = params.spec.haproxy ?? {};
  if (h.logLevel !== undefined && !LOG_LEVELS.has(h.logLevel)) return `${what}: spec.haproxy.logLevel ${JSON.stringify(h.logLevel)} is not a level`;
  const kube = params.spec.kube ? kubeParameters(params.spec.kube, 'spec.kube') : undefined;
  if (typeof kube === 'string') return `${what}: ${kube}`;
  return {
    ...(h.threads !== undefined ? { threads: h.threads } : {}),
    ...(h.maxConnections !== undefined ? { maxConnections: h.maxConnections } : {}),
    ...(h.logLevel !== undefined ? { logLevel: h.logLevel } : {}),
    ...(kube ? { kube } : {}),
  };
}
