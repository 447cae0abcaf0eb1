import { isIPv4, isIPv6 } from 'node:net';
import { createHash } from 'node:crypto';

/** A contiguous range of IP addresses that Gateways without spec.addresses draw from. */
export interface AddressPool {
  family: 4 | 6;
  first: bigint;
  last: bigint;
  text: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; message: string };

export function ipToBigInt(ip: string): bigint | undefined {
  if (isIPv4(ip)) {
    return ip.split('.').reduce((acc, part) => (acc << 8n) + BigInt(Number(part)), 0n);
  }
  if (!isIPv6(ip)) return undefined;
  let text = ip;
  // An embedded IPv4 tail ("::ffff:1.2.3.4") becomes two hex groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4?.[1]) {
    const n = ipToBigInt(v4[1]) ?? 0n;
    text = text.slice(0, -v4[1].length) + `${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const missing = 8 - headParts.length - tailParts.length;
  const groups = [...headParts, ...(tail !== undefined ? Array<string>(missing).fill('0') : []), ...tailParts];
  return groups.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g || '0', 16)), 0n);
}

export function bigIntToIp(value: bigint, family: 4 | 6): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join('.');
  }
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((value >> s) & 0xffffn).toString(16));
  // Compress the longest run of zero groups, as the canonical IPv6 text form does.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return groups.join(':');
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLen).join(':')}`;
}

function familyOf(ip: string): 4 | 6 | undefined {
  return isIPv4(ip) ? 4 : isIPv6(ip) ? 6 : undefined;
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
    const family = familyOf(addr);
    const width = family === 4 ? 32 : 128;
    const bits = Number(bitsText);
    if (!family) return bad(`"${addr}" is not an IP address`);
    if (!/^\d+$/.test(bitsText) || bits > width) return bad(`prefix length must be 0..${width}`);
    const size = 1n << BigInt(width - bits);
    const base = (ipToBigInt(addr) ?? 0n) & ~(size - 1n);
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
  const family = familyOf(firstText);
  if (!family || familyOf(lastText) !== family) return bad('both ends must be IP addresses of the same family');
  const first = ipToBigInt(firstText) ?? 0n;
  const last = ipToBigInt(lastText) ?? 0n;
  if (last < first) return bad('the last address is before the first');
  return { ok: true, value: { family, first, last, text } };
}

export function poolContains(pool: AddressPool, ip: string): boolean {
  if (familyOf(ip) !== pool.family) return false;
  const n = ipToBigInt(ip);
  return n !== undefined && n >= pool.first && n <= pool.last;
}

/** Canonical text of an IP address (so "127.0.10.01"-style duplicates compare equal). */
export function canonicalIp(ip: string): string | undefined {
  const family = familyOf(ip);
  const n = ipToBigInt(ip);
  return family && n !== undefined ? bigIntToIp(n, family) : undefined;
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
      const ip = bigIntToIp(pool.first + ((start + i) % size), pool.family);
      if (!used.has(ip)) {
        out.set(key, ip);
        used.add(ip);
        break;
      }
    }
  }
  return out;
}
