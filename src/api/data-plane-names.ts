/**
 * Names and labels of a Gateway's own data plane objects (deployment mode per-gateway): the
 * deployment code creates them, the graph reads the Service back for the Gateway's addresses.
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
