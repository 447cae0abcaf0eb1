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
  return { ...(h.threads !== undefined ? { threads: h.threads } : {}), ...(h.maxConnections !== undefined ? { maxConnections: h.maxConnections } : {}), ...(h.logLevel !== undefined ? { logLevel: h.logLevel } : {}) };
}
