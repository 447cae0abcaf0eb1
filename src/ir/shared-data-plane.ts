/**
 * Deployment mode shared: one data plane serves every Gateway of a GatewayClass. Each Gateway
 * keeps its own frontends: its ports move to ports of their own in the data plane (a Service per
 * Gateway maps the Gateway's ports back), so two Gateways may both have a listener on port 80.
 * What the Gateways have in common is defined once: a Service that routes of several Gateways use
 * is one backend, with one pool of servers and one set of health checks.
 */
import { createHash } from 'node:crypto';
import type { IR, IRGateway, IRListener, IRPort, IRTrafficPolicy } from './model.js';

/** The ports a shared data plane gives Gateways' listeners: unprivileged, below the ephemeral range. */
export const SHARED_PORTS = { first: 10_000, last: 29_999 } as const;

/** The name of the data plane that serves a GatewayClass's Gateways, as IRGateway.name. */
export function sharedDataPlaneName(className: string): string {
  return `GatewayClass/${className}`;
}

/**
 * Per Gateway "namespace/name", the data plane port of each of its ports. A port's place comes
 * from a hash of the Gateway's name and the port, so it stays put while other Gateways come and
 * go; only when two hash to one place does the later (by name) take the next free one. The
 * controller computes this for the Services and the data plane's configuration from the same IR.
 */
export function sharedPorts(gateways: readonly { name: string; ports: readonly number[] }[]): Map<string, Map<number, number>> {
  const size = SHARED_PORTS.last - SHARED_PORTS.first + 1;
  const taken = new Set<number>();
  const out = new Map<string, Map<number, number>>();
  for (const gw of [...gateways].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const ports = new Map<number, number>();
    for (const port of [...new Set(gw.ports)].sort((a, b) => a - b)) {
      if (taken.size >= size) throw new Error(`a shared data plane has room for ${size} ports`);
      let slot = createHash('sha256').update(`${gw.name}|${port}`).digest().readUInt32BE(0) % size;
      while (taken.has(slot)) slot = (slot + 1) % size;
      taken.add(slot);
      ports.set(port, SHARED_PORTS.first + slot);
    }
    out.set(gw.name, ports);
  }
  return out;
}

export interface SharedDataPlane {
  /** The configuration of the data plane: every member's ports, one set of backends. */
  gateway: IRGateway;
  /** The Gateways it serves. */
  members: string[];
  /** Gateways of the class it cannot serve beside the others, with why (their status says so). */
  refused: Map<string, string>;
}

/**
 * One data plane's configuration for the Gateways of `className`. Each Gateway's ports carry its
 * own backend client certificate (or none), so a Gateway never shows backends another's. A
 * Gateway whose backends differ from what the Gateways before it (by name) already put in the
 * data plane cannot share it, and is refused rather than served with the others' settings.
 */
export function combineGateways(className: string, gateways: readonly IRGateway[]): SharedDataPlane {
  const sorted = [...gateways].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const assignment = sharedPorts(sorted.map((g) => ({ name: g.name, ports: g.ports.map((p) => p.port) })));
  const combined: IRGateway = { name: sharedDataPlaneName(className), className, addresses: [], ports: [], backends: {} };
  const members: string[] = [];
  const refused = new Map<string, string>();
  const backendFrom = new Map<string, string>();
  for (const gw of sorted) {
    const problem = conflict(combined, gw, backendFrom);
    if (problem) {
      refused.set(gw.name, problem);
      continue;
    }
    members.push(gw.name);
    for (const [id, b] of Object.entries(gw.backends)) {
      if (combined.backends[id]) continue;
      combined.backends[id] = b;
      backendFrom.set(id, gw.name);
    }
    // The class's parameters give every Gateway the same process settings (a Gateway's own may not set them in this mode).
    if (gw.process && !combined.process) combined.process = gw.process;
    const ports = assignment.get(gw.name) ?? new Map<number, number>();
    for (const p of gw.ports) combined.ports.push(movedPort(p, ports.get(p.port) ?? p.port, gw));
  }
  combined.ports.sort((a, b) => a.port - b.port);
  return { gateway: combined, members, refused };
}

function conflict(combined: IRGateway, gw: IRGateway, backendFrom: ReadonlyMap<string, string>): string | undefined {
  for (const [id, b] of Object.entries(gw.backends)) {
    const known = combined.backends[id];
    if (known && JSON.stringify(known) !== JSON.stringify(b)) {
      return `backend ${id} is configured differently for Gateway ${backendFrom.get(id) ?? '?'}, which shares this class's data plane; in shared mode a backend is one pool for every Gateway of the class`;
    }
  }
  return undefined;
}

/** A Gateway's port as the shared data plane serves it: on its own port, with its client certificate and rate limit buckets of its own. */
function movedPort(p: IRPort, to: number, gw: IRGateway): IRPort {
  const { backendClientCertificate, ...rest } = p;
  const certificate = backendClientCertificate ?? gw.backendClientCertificate;
  return {
    ...rest,
    port: to,
    publicPort: p.publicPort ?? p.port,
    gateway: gw.name,
    ...(certificate ? { backendClientCertificate: certificate } : {}),
    listeners: p.listeners.map((l) => ownBuckets(l, gw.name)),
  };
}

/**
 * Rate limit buckets are named after the rule or listener; a route attached to two Gateways would
 * otherwise share one bucket in a shared data plane, where it has two in data planes of their own.
 */
function ownBuckets(l: IRListener, gateway: string): IRListener {
  const scoped = (policy: IRTrafficPolicy | undefined): IRTrafficPolicy | undefined =>
    policy?.rateLimit ? { ...policy, rateLimit: { ...policy.rateLimit, scope: `${gateway}|${policy.rateLimit.scope}` } } : policy;
  const hasLimit = l.policy?.rateLimit || l.virtualHosts.some((v) => v.rules.some((r) => r.policy?.rateLimit));
  if (!hasLimit) return l;
  const policy = scoped(l.policy);
  return {
    ...l,
    ...(policy ? { policy } : {}),
    virtualHosts: l.virtualHosts.map((v) => ({
      ...v,
      rules: v.rules.map((r) => {
        const rp = scoped(r.policy);
        return rp ? { ...r, policy: rp } : r;
      }),
    })),
  };
}

/**
 * What the data planes of a cluster run: one configuration per Gateway (per-gateway), or one per
 * GatewayClass (shared). Each is named by its IRGateway's name: the Gateway's "namespace/name",
 * or sharedDataPlaneName(class), which no Gateway can have (namespaces are lower case).
 */
export function dataPlaneUnits(ir: IR, mode: 'per-gateway' | 'shared'): SharedDataPlane[] {
  if (mode === 'per-gateway') return ir.gateways.map((g) => ({ gateway: g, members: [g.name], refused: new Map() }));
  const classes = new Map<string, IRGateway[]>();
  for (const g of ir.gateways) {
    const list = classes.get(g.className);
    if (list) list.push(g);
    else classes.set(g.className, [g]);
  }
  return [...classes].map(([className, gateways]) => combineGateways(className, gateways));
}
