import { createHash } from 'node:crypto';
import { formatIP, ipFromBigInt, ipToBigInt, parseIP } from '../net/ip.js';

/** A contiguous range of IP addresses that Gateways without spec.addresses draw from. */
export interface AddressPool {
  family: 4 | 6;
  first: bigint;
  last: bigint;
  text: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** The address's family and number; undefined unless it is a plain IP address (no zone). */
function addressNumber(text: string): { family: 4 | 6; n: bigint } | undefined {
  const ip = parseIP(text);
  return ip && ip.zone === undefined ? { family: ip.family, n: ipToBigInt(ip) } : undefined;
}

/** Parses "CIDR" (127.0.10.0/24, fd00::/120) or "FIRST-LAST" (127.0.10.1-127.0.10.9). */
export function parseAddressPool(spec: string): ParseResult<AddressPool> {
  const text = spec.trim();
  const bad = (why: string): ParseResult<AddressPool> => ({
    ok: false,
    message: `invalid address pool "${spec}": ${why} (expected CIDR such as 127.0.10.0/24, or FIRST-LAST)`,
  });
  if (text.includes('/')) {
    const [addr = '', bitsText = ''] = text.split('/');
    const parsed = addressNumber(addr);
    if (!parsed) return bad(`"${addr}" is not an IP address`);
    const family = parsed.family;
    const width = family === 4 ? 32 : 128;
    const bits = Number(bitsText);
    if (!/^\d+$/.test(bitsText) || bits > width) return bad(`prefix length must be 0..${width}`);
    const size = 1n << BigInt(width - bits);
    const base = parsed.n & ~(size - 1n);
    // The network and broadcast addresses of an IPv4 subnet are not handed out.
    const skipEnds = family === 4 && bits <= 30;
    return {
      ok: true,
      value: { family, first: skipEnds ? base + 1n : base, last: skipEnds ? base + size - 2n : base + size - 1n, text },
    };
  }
  const dash = text.indexOf('-');
  if (dash < 0) return bad('neither a CIDR nor a range');
  const firstText = text.slice(0, dash).trim();
  const lastText = text.slice(dash + 1).trim();
  const first = addressNumber(firstText);
  const last = addressNumber(lastText);
  if (!first || !last || first.family !== last.family) return bad('both ends must be IP addresses of the same family');
  if (last.n < first.n) return bad('the last address is before the first');
  return { ok: true, value: { family: first.family, first: first.n, last: last.n, text } };
}

export function poolContains(pool: AddressPool, ip: string): boolean {
  const a = addressNumber(ip);
  return a !== undefined && a.family === pool.family && a.n >= pool.first && a.n <= pool.last;
}

/** Canonical text of an IP address, so that two spellings of one IPv6 address ("fd00:0::1", "fd00::1") compare equal. */
export function canonicalIp(ip: string): string | undefined {
  const a = addressNumber(ip);
  return a && formatIP(ipFromBigInt(a.n, a.family));
}

/**
 * Hands each requesting Gateway one address from the pool. Deterministic, so a Gateway keeps its
 * address across restarts: it starts at a slot derived from its name and probes forward past
 * addresses that are taken. Addresses from the previous run are honoured first while still free.
 */
export function allocateAddresses(
  pool: AddressPool,
  requesters: readonly string[],
  taken: ReadonlySet<string>,
  previous: ReadonlyMap<string, string> = new Map(),
): Map<string, string> {
  const used = new Set(taken);
  const out = new Map<string, string>();
  const size = pool.last - pool.first + 1n;
  const pending: string[] = [];
  for (const key of requesters) {
    const prev = previous.get(key);
    if (prev && poolContains(pool, prev) && !used.has(prev)) {
      out.set(key, prev);
      used.add(prev);
    } else {
      pending.push(key);
    }
  }
  for (const key of pending) {
    const digest = createHash('sha256').update(key).digest();
    const start = BigInt('0x' + digest.subarray(0, 16).toString('hex')) % size;
    // Probing is bounded by the number of addresses in use, not by the pool size.
    for (let i = 0n; i <= BigInt(used.size) && i < size; i++) {
      const ip = formatIP(ipFromBigInt(pool.first + ((start + i) % size), pool.family));
      if (!used.has(ip)) {
        out.set(key, ip);
        used.add(ip);
        break;
      }
    }
  }
  return out;
}
