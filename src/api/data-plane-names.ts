/**
 * Names and labels of a Gateway's own data plane objects (deployment mode per-gateway): the
 * deployment code creates them, the graph reads the Service back for the Gateway's addresses.
 */
import { createHash } from 'node:crypto';

export const DATA_PLANE_APP = 'portico-dataplane';
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

function shortened(text: string, room: number): string {
  return `${text.slice(0, room - 9).replace(/[-._]+$/, '')}-${createHash('sha256').update(text).digest('hex').slice(0, 8)}`;
}

/** "portico-<gateway>", shortened with a hash when the name would pass 63 characters. */
export function dataPlaneName(gateway: string): string {
  const name = `portico-${gateway}`;
  return name.length <= 63 ? name : shortened(name, 63);
}

/** A label value for the Gateway's name: the name, or a shortened form of one too long for a label. */
export function gatewayLabelValue(name: string): string {
  return name.length <= 63 ? name : shortened(name, 63);
}
