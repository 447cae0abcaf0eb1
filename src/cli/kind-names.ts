import { KINDS, type KindInfo, type KindName } from '../api/kinds.js';

/**
 * Short names of the kinds, as kubectl knows them: the shortNames of the Gateway API CRDs
 * (crds/, checked by a unit test) and of the core kinds. Portico's own CRDs declare none.
 */
export const SHORT_NAMES: Partial<Record<KindName, readonly string[]>> = {
  GatewayClass: ['gc'],
  Gateway: ['gtw'],
  ListenerSet: ['lset'],
  ReferenceGrant: ['refgrant'],
  BackendTLSPolicy: ['btlspolicy'],
  Service: ['svc'],
  ConfigMap: ['cm'],
  Namespace: ['ns'],
};

/** Every name a kind answers to: singular, plural and short names, each also qualified by the group. */
export function namesOf(info: KindInfo): string[] {
  // GatewayParameters is its own plural: each name once.
  const bare = [...new Set([info.kind.toLowerCase(), info.plural, ...(SHORT_NAMES[info.kind] ?? [])])];
  return info.group ? [...bare, ...bare.map((name) => `${name}.${info.group}`)] : bare;
}

const byName = new Map<string, KindInfo>(KINDS.flatMap((info) => namesOf(info).map((name) => [name, info] as const)));

/**
 * The kind a kubectl-style resource name means ("gateways", "gateway", "gtw", "Gateway",
 * "httproutes.gateway.networking.k8s.io"), or undefined when it means none of Portico's.
 */
export function resolveKind(text: string): KindInfo | undefined {
  return byName.get(text.toLowerCase());
}

/** One line per kind for help text: plural, then the singular and short names it also answers to. */
export function kindNamesHelp(): string {
  const rows = KINDS.map((info) => [info.plural, [info.kind.toLowerCase(), ...(SHORT_NAMES[info.kind] ?? [])].filter((n) => n !== info.plural).join(', ')] as const);
  const width = Math.max(...rows.map(([plural]) => plural.length));
  return rows.map(([plural, others]) => `  ${plural.padEnd(width)}   ${others}`.trimEnd()).join('\n');
}
