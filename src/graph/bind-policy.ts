/**
 * What a cluster admin lets Gateways bind: which addresses a Gateway may ask for in
 * spec.addresses, and which ports its listeners may use. Route and Gateway owners are less
 * trusted than the admin; without a policy, any Gateway could bind 127.0.0.1 or a port below 1024
 * of the node.
 */
import { isLoopback, parseIP } from '../net/ip.js';
import { parseAddressPool, poolContains, type AddressPool } from './address-pool.js';

export interface BindPolicy {
  /** As given, for messages. */
  addressesText?: string;
  portsText?: string;
  addresses?: {
    loopback: boolean;
    /** This host's interface addresses other than loopback. */
    local: boolean;
    ranges: AddressPool[];
  };
  ports?: [number, number][];
}

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * "local,10.0.0.0/8,192.168.1.5-192.168.1.9": entries separated by commas, each `loopback`,
 * `local` (the host's own addresses other than loopback), a CIDR or a FIRST-LAST range.
 */
export function parseBindAddresses(text: string): Parsed<NonNullable<BindPolicy['addresses']>> {
  const out = { loopback: false, local: false, ranges: [] as AddressPool[] };
  for (const entry of text.split(',').map((e) => e.trim())) {
    if (entry === 'loopback') out.loopback = true;
    else if (entry === 'local') out.local = true;
    else {
      const range = parseAddressPool(entry);
      if (!range.ok) return { ok: false, message: `${range.message}; or "loopback", or "local"` };
      out.ranges.push(range.value);
    }
  }
  return { ok: true, value: out };
}

/** "80,443,1024-65535": ports and ranges separated by commas. */
export function parseBindPorts(text: string): Parsed<[number, number][]> {
  const out: [number, number][] = [];
  for (const entry of text.split(',').map((e) => e.trim())) {
    const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(entry);
    const low = Number(m?.[1]);
    const high = m?.[2] === undefined ? low : Number(m[2]);
    if (!m || low < 1 || high > 65535 || high < low) return { ok: false, message: `invalid port range "${entry}" (expected a port 1-65535, or FIRST-LAST)` };
    out.push([low, high]);
  }
  return { ok: true, value: out };
}

function loopback(text: string): boolean {
  const ip = parseIP(text);
  return ip !== undefined && isLoopback(ip);
}

/**
 * Why a Gateway may not ask for `ip`, or undefined when it may. `local` holds the host's
 * interface addresses; an address must be one of the host's (or the pool's) anyway.
 */
export function addressRefusal(policy: BindPolicy | undefined, ip: string, local: ReadonlySet<string>, pool: AddressPool): string | undefined {
  const host = loopback(ip) || poolContains(pool, ip) || local.has(ip);
  if (!host) return `address ${ip} is not an address of this host; use a local address or leave spec.addresses empty`;
  const allowed = policy?.addresses;
  if (!allowed || poolContains(pool, ip)) return undefined;
  const ok = (allowed.loopback && loopback(ip)) || (allowed.local && !loopback(ip) && local.has(ip)) || allowed.ranges.some((r) => poolContains(r, ip));
  return ok ? undefined : `address ${ip} is not one Gateways may use here (allowed: ${policy?.addressesText ?? ''}); leave spec.addresses empty for one from the pool`;
}

/** Why a listener may not use `port`, or undefined when it may. */
export function portRefusal(policy: BindPolicy | undefined, port: number): string | undefined {
  const ranges = policy?.ports;
  if (!ranges || ranges.some(([low, high]) => port >= low && port <= high)) return undefined;
  return `port ${port} is not one Gateways may use here (allowed: ${policy?.portsText ?? ''})`;
}
