/**
 * Names and labels of data plane objects (deployment modes per-gateway and shared): the
 * deployment code creates them, the graph reads a Gateway's Service back for its addresses.
 */
import { createHash } from 'node:crypto';

export const DATA_PLANE_APP = 'portico-dataplane';
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

/** `text` as it is when it fits a name or label (63 characters), else cut and completed with a hash of it. */
function within63(text: string): string {
  if (text.length <= 63) return text;
  return `${text.slice(0, 54).replace(/[-._]+$/, '')}-${createHash('sha256').update(text).digest('hex').slice(0, 8)}`;
}

/** "portico-<gateway>", shortened with a hash when the name would pass 63 characters. */
export function dataPlaneName(gateway: string): string {
  return within63(`portico-${gateway}`);
}

/** A label value for the Gateway's name: the name, or a shortened form of one too long for a label. */
export function gatewayLabelValue(name: string): string {
  return within63(name);
}

export const GATEWAY_NAMESPACE_LABEL = 'gateway.networking.k8s.io/gateway-namespace';
export const GATEWAY_CLASS_LABEL = 'gateway.networking.k8s.io/gateway-class-name';

/**
 * Where Gateway addresses come from: `pool` (spec.addresses or the address pool, the default),
 * `service` (each Gateway's own data plane Service, per-gateway mode), or `{ shared: namespace }`
 * (the Gateway's Service in front of its class's data plane, in that namespace: shared mode).
 */
export type AddressSource = 'pool' | 'service' | { shared: string };

/** The objects of a GatewayClass's shared data plane: "portico-class-<class>". */
export function sharedDataPlaneObjectName(className: string): string {
  return within63(`portico-class-${className}`);
}

/**
 * A Gateway's Service in shared mode. It lives beside its class's data plane pods (a Service
 * selects pods of its own namespace only), so the name carries the Gateway's namespace, and a
 * hash keeps "a-b/c" and "a/b-c" apart.
 */
export function sharedServiceName(namespace: string, name: string): string {
  const hash = createHash('sha256').update(`${namespace}/${name}`).digest('hex').slice(0, 6);
  const base = `portico-${namespace}-${name}`;
  return `${base.length > 56 ? base.slice(0, 56).replace(/[-._]+$/, '') : base}-${hash}`;
}

/** The Service whose address a Gateway reports, by address source (none for `pool`). */
export function gatewayServiceRef(source: AddressSource, namespace: string, name: string): { namespace: string; name: string } | undefined {
  if (source === 'pool') return undefined;
  if (source === 'service') return { namespace, name: dataPlaneName(name) };
  return { namespace: source.shared, name: sharedServiceName(namespace, name) };
}
