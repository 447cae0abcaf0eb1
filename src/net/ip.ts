/**
 * IP and CIDR parsing with Go's rules (netip.ParseAddr / ParsePrefix), which is what the API
 * server and its CEL library use: no leading zeros in IPv4 octets, zones only on IPv6.
 */

export interface IPAddress {
  family: 4 | 6;
  /** 4 bytes for IPv4, 16 for IPv6. */
  bytes: Uint8Array;
  /** IPv6 zone ("fe80::1%eth0"), which most callers must refuse. */
  zone?: string;
}

export interface CIDR {
  ip: IPAddress;
  prefix: number;
}

function parseIPv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i] as string;
    if (!/^[0-9]{1,3}$/.test(part) || (part.length > 1 && part[0] === '0')) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    bytes[i] = n;
  }
  return bytes;
}

function parseGroups(text: string): number[] | undefined {
  if (text === '') return [];
  const groups: number[] = [];
  const parts = text.split(':');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIPv4(part);
      if (!v4) return undefined;
      groups.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
    } else {
      if (!/^[0-9a-fA-F]{1,4}$/.test(part)) return undefined;
      groups.push(parseInt(part, 16));
    }
  }
  return groups;
}

function parseIPv6(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0] as string);
  const tail = halves.length === 2 ? parseGroups(halves[1] as string) : [];
  if (!head || !tail) return undefined;
  const count = head.length + tail.length;
  if (halves.length === 2 ? count > 7 : count !== 8) return undefined;
  const groups = [...head, ...new Array<number>(8 - count).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}

export function parseIP(text: string): IPAddress | undefined {
  if (text.includes(':')) {
    const pct = text.indexOf('%');
    const zone = pct >= 0 ? text.slice(pct + 1) : undefined;
    if (zone === '') return undefined;
    const bytes = parseIPv6(pct >= 0 ? text.slice(0, pct) : text);
    if (!bytes) return undefined;
    return zone === undefined ? { family: 6, bytes } : { family: 6, bytes, zone };
  }
  const bytes = parseIPv4(text);
  return bytes && { family: 4, bytes };
}

/** ::ffff:a.b.c.d — refused by the Kubernetes CEL IP library. */
export function is4In6(ip: IPAddress): boolean {
  if (ip.family !== 6) return false;
  for (let i = 0; i < 10; i++) if (ip.bytes[i] !== 0) return false;
  return ip.bytes[10] === 0xff && ip.bytes[11] === 0xff;
}

/** The IPv4 address inside an IPv4-mapped IPv6 address; any other address unchanged. */
export function unmap(ip: IPAddress): IPAddress {
  return is4In6(ip) ? { family: 4, bytes: ip.bytes.slice(12) } : ip;
}

/** Canonical text (RFC 5952 for IPv6), as Go's netip.Addr.String prints it. */
export function formatIP(ip: IPAddress): string {
  const b = ip.bytes;
  if (ip.family === 4) return Array.from(b).join('.');
  if (is4In6(ip)) return `::ffff:${Array.from(b.slice(12)).join('.')}`;
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(((b[2 * i] as number) << 8) | (b[2 * i + 1] as number));
  // The longest run of two or more zero groups (first one on a tie) becomes "::".
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = (g: number[]): string => g.map((x) => x.toString(16)).join(':');
  const text = bestStart < 0 ? hex(groups) : `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}`;
  return ip.zone === undefined ? text : `${text}%${ip.zone}`;
}

export function parseCIDR(text: string): CIDR | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIP(text.slice(0, slash));
  const bits = text.slice(slash + 1);
  if (!ip || ip.zone !== undefined || !/^(0|[1-9][0-9]{0,2})$/.test(bits)) return undefined;
  const prefix = Number(bits);
  if (prefix > ip.bytes.length * 8) return undefined;
  return { ip, prefix };
}

/** The network address of a prefix (host bits cleared). */
export function maskIP(ip: IPAddress, prefix: number): IPAddress {
  const bytes = ip.bytes.slice();
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    bytes[i] = (bytes[i] as number) & ((0xff << (8 - keep)) & 0xff);
  }
  return { family: ip.family, bytes };
}

export function cidrContains(cidr: CIDR, ip: IPAddress): boolean {
  if (ip.family !== cidr.ip.family) return false;
  const a = maskIP(cidr.ip, cidr.prefix).bytes;
  const b = maskIP(ip, cidr.prefix).bytes;
  return a.every((x, i) => x === b[i]);
}

const allZero = (ip: IPAddress): boolean => ip.bytes.every((x) => x === 0);

export function isUnspecified(ip: IPAddress): boolean {
  return allZero(ip);
}

export function isLoopback(addr: IPAddress): boolean {
  const ip = unmap(addr);
  if (ip.family === 4) return ip.bytes[0] === 127;
  return ip.bytes.every((x, i) => x === (i === 15 ? 1 : 0));
}

export function isMulticast(addr: IPAddress): boolean {
  const ip = unmap(addr);
  return ip.family === 4 ? ((ip.bytes[0] as number) & 0xf0) === 0xe0 : ip.bytes[0] === 0xff;
}

export function isLinkLocalUnicast(addr: IPAddress): boolean {
  const ip = unmap(addr);
  if (ip.family === 4) return ip.bytes[0] === 169 && ip.bytes[1] === 254;
  return ip.bytes[0] === 0xfe && ((ip.bytes[1] as number) & 0xc0) === 0x80;
}

export function isLinkLocalMulticast(addr: IPAddress): boolean {
  const ip = unmap(addr);
  if (ip.family === 4) return ip.bytes[0] === 224 && ip.bytes[1] === 0 && ip.bytes[2] === 0;
  return ip.bytes[0] === 0xff && ((ip.bytes[1] as number) & 0x0f) === 0x02;
}

export function isGlobalUnicast(addr: IPAddress): boolean {
  const ip = unmap(addr);
  if (ip.family === 4 && (allZero(ip) || ip.bytes.every((x) => x === 255))) return false;
  return !allZero(ip) && !isLoopback(ip) && !isMulticast(ip) && !isLinkLocalUnicast(ip);
}

/** The address as one number, for ranges and arithmetic. */
export function ipToBigInt(ip: IPAddress): bigint {
  let n = 0n;
  for (const b of ip.bytes) n = (n << 8n) | BigInt(b);
  return n;
}

/** The address of `family` whose number is `value` (the low 32 or 128 bits). */
export function ipFromBigInt(value: bigint, family: 4 | 6): IPAddress {
  const bytes = new Uint8Array(family === 4 ? 4 : 16);
  let n = value;
  for (let i = bytes.length - 1; i >= 0; i--) {
    bytes[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return { family, bytes };
}
