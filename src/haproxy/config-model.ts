/**
 * The HAProxy configuration as data, between the IR and the text HAProxy reads: sections with
 * their directives, and, for backends that balance over Services, typed server slots. Renderers
 * (render.ts, render-stream.ts, mirror.ts) build it; `serializeConfig` is the one place that
 * turns it into haproxy.cfg. Because server slots are data, an endpoint change is found by
 * comparing two models (endpoint-update.ts) and can be applied to a model without rendering the
 * whole configuration again (`withEndpoints`).
 *
 * Directives are single lines, already made safe with quote.ts by the renderer that wrote them;
 * server lines are written here, from values the IR has already validated (addresses, ports).
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { IRBackend, IRBackendRef, IRCertificate } from '../ir/model.js';
import { UnsafeValueError } from './quote.js';

export type SectionKeyword = 'global' | 'defaults' | 'frontend' | 'backend' | 'resolvers';

/** One server line. A spare slot has no endpoint: it is disabled and points nowhere useful. */
export interface ServerSlot {
  name: string;
  endpoint?: { address: string; port: number };
  weight: number;
}

/** The servers of a backend that balances over Services: what it sends to, and the slots that result. */
export interface ServerPool {
  /** The backendRefs (IR backend ids and weights) the slots were made from, in slot order. */
  refs: readonly { backend: string; weight: number }[];
  /** HTTP backends speak h2c to Services that ask for it; stream backends pass bytes as they are. */
  http: boolean;
  /** Whether each ref's servers speak HTTP/2 (h2c); fixed by the structure, not by endpoints. */
  h2: readonly boolean[];
  /** Slots per ref, in ref order: `perRef[i]` slots named s<i>_0 … */
  perRef: readonly number[];
  /** Per ref, the TLS options of its server lines ('' for plain text); fixed by the structure. */
  tls: readonly string[];
  /** Per ref, what the TLS options were made from, to tell whether they still hold. */
  tlsKeys: readonly string[];
  /** Each server line carries `cookie <slot name>` (session persistence). */
  cookies?: boolean;
  slots: ServerSlot[];
}

export interface Section {
  keyword: SectionKeyword;
  name?: string;
  /**
   * Says where the section comes from (the first route using a backend). Not part of the
   * structure: the route it names may go while the backend stays.
   */
  comment?: string;
  /** Directives without indentation, in order. */
  directives: string[];
  /** Server slots, written after the directives. */
  pool?: ServerPool;
}

export interface HaproxyConfig {
  /** The first line of haproxy.cfg, a comment. */
  title: string;
  sections: Section[];
  /** Files haproxy.cfg reads (maps, crt-lists, Lua), by file name. */
  files: Record<string, string>;
}

/**
 * Where backend CA bundles go: a function that puts one among the configuration's `files` in
 * `dir` (named by its content, so the same CAs share one file) and returns its path.
 */
export function caFileWriter(dir: string, files: Record<string, string>): (pem: string) => string {
  return (pem) => {
    const name = `backend-ca-${createHash('sha256').update(pem).digest('hex').slice(0, 16)}.pem`;
    files[name] = pem;
    return path.join(dir, name);
  };
}

/**
 * A backend client certificate as a PEM file among `files` (certificate, then key): a function
 * that writes it when a TLS server line first needs it, so a private key is only on disk when it
 * is used. Named by its content: in a shared data plane each Gateway shows backends its own, and
 * a backend reached with two certificates is two HAProxy backends. Undefined without one.
 */
export function backendClientCertificateFile(cert: IRCertificate | undefined, dir: string, files: Record<string, string>): () => string | undefined {
  return () => {
    if (!cert) return undefined;
    const name = backendClientCertificateName(cert);
    files[name] = `${cert.certPem.trim()}\n${cert.keyPem.trim()}\n`;
    return path.join(dir, name);
  };
}

/** Names already computed: a rule backend's signature asks for its port's certificate's name. */
const certificateNames = new WeakMap<IRCertificate, string>();

/** The file name of a backend client certificate: the same certificate and key, the same name. */
export function backendClientCertificateName(cert: IRCertificate): string {
  let name = certificateNames.get(cert);
  if (name === undefined) {
    name = `backend-client-${createHash('sha256').update(cert.certPem).update('\0').update(cert.keyPem).digest('hex').slice(0, 16)}.pem`;
    certificateNames.set(cert, name);
  }
  return name;
}

/**
 * The client certificate server lines to `b` show: `certificate` when `b` is reached over TLS,
 * none otherwise (a plain backend is then the same whichever Gateway's port sends to it).
 */
export function certificateShownTo(b: IRBackend | undefined, certificate: IRCertificate | undefined): IRCertificate | undefined {
  return certificate && b?.tls !== undefined && !('unusable' in b.tls) ? certificate : undefined;
}

/** Address of a spare server slot; it is disabled, so nothing is ever sent there. */
export const SPARE_SLOT = '127.0.0.1:9';

/** HAProxy server weights are 1..256; backend shares are kept as closely as that allows. */
const MAX_WEIGHT = 256;

/** An address and port as HAProxy reads them in bind and server lines (IPv6 behind "ipv6@"). */
export function hostPort(address: string, port: number): string {
  return address.includes(':') ? `ipv6@${address}:${port}` : `${address}:${port}`;
}

/** Server slots for a Service with n endpoints: the next power of two, at least 2. */
export function serverSlots(n: number): number {
  let slots = 2;
  while (slots < n) slots *= 2;
  return slots;
}

/**
 * The server slots of a backend sending to `refs` by weight. Each backendRef's share is split
 * evenly over its endpoints; spare slots, disabled, let endpoints come and go through the runtime
 * API without a reload.
 */
export function serverPool(
  backends: Readonly<Record<string, IRBackend>>,
  refs: readonly IRBackendRef[],
  options: { http: boolean; cookies?: boolean; caFile?: (pem: string) => string; clientCertificate?: () => string | undefined } = { http: true },
): ServerPool {
  const used = refs.filter((r) => r.weight > 0).map((r) => ({ backend: r.backend, weight: r.weight }));
  const resolved = used.map((r) => backends[r.backend] as IRBackend);
  const h2 = resolved.map((b) => options.http && b.protocol === 'h2c');
  return {
    refs: used,
    http: options.http,
    h2,
    perRef: resolved.map((b) => serverSlots(b.endpoints.length)),
    tls: resolved.map((b, i) => tlsOptions(b, h2[i] ?? false, options.caFile, options.clientCertificate) + resolveOptions(b)),
    tlsKeys: resolved.map(tlsKey),
    ...(options.cookies ? { cookies: true } : {}),
    slots: fillSlots(used, resolved),
  };
}

/** The resolvers section servers with DNS names use (resolversSection). */
export const RESOLVERS = 'portico';

/**
 * Server options of a backend whose endpoints include DNS names: HAProxy resolves them at start
 * (through the system's resolver, so /etc/hosts counts) and again while it runs, without a
 * reload; a name that does not resolve yet leaves its server down instead of refusing the start.
 */
function resolveOptions(b: IRBackend): string {
  return b.resolve ? ` resolvers ${RESOLVERS} init-addr last,libc,none` : '';
}

/** The resolvers section: the system's nameservers, and how long answers and failures are kept. */
export function resolversSection(): Section {
  return {
    keyword: 'resolvers',
    name: RESOLVERS,
    directives: ['parse-resolv-conf', 'accepted_payload_size 8192', 'timeout resolve 1s', 'timeout retry 1s', 'hold valid 10s', 'hold obsolete 30s', 'hold nx 30s', 'hold timeout 30s', 'hold refused 30s', 'hold other 30s'],
  };
}

function tlsKey(b: IRBackend): string {
  return JSON.stringify([b.tls ?? null, b.resolve ?? false]);
}

/**
 * The server-line options that reach a backend over TLS: verified against the policy's CAs (a
 * file the renderer writes) or the system's, with the policy's hostname as SNI and the name the
 * certificate must carry; `clientCertificate` gives the PEM file (written when first asked for)
 * shown to the backend. HTTP/2 backends ask for it by ALPN.
 */
export function tlsOptions(b: IRBackend, h2: boolean, caFile: ((pem: string) => string) | undefined, clientCertificate?: () => string | undefined): string {
  const t = b.tls;
  if (!t || 'unusable' in t) return '';
  // The graph admits only DNS names here; a value that slipped through refuses this rendering
  // (UnsafeValueError keeps the last configuration), it never reaches a server line.
  if (!/^[a-z0-9.-]+$/.test(t.sni) || !/^[a-z0-9.-]+$/.test(t.verifyName)) throw new UnsafeValueError(`backend ${b.id}: TLS names must be DNS names`);
  if (t.caPem !== undefined && !caFile) throw new Error(`backend ${b.id}: TLS with a CA file needs somewhere to write it`);
  const ca = t.caPem === undefined ? '@system-ca' : (caFile as (pem: string) => string)(t.caPem);
  const crtFile = clientCertificate?.();
  const crt = crtFile ? ` crt ${crtFile}` : '';
  return ` ssl verify required ca-file ${ca} sni str(${t.sni}) verifyhost ${t.verifyName}${crt}${h2 ? ' alpn h2' : ''}`;
}

function fillSlots(refs: readonly { weight: number }[], resolved: readonly IRBackend[]): ServerSlot[] {
  const raw = refs.map((r, i) => r.weight / Math.max(1, resolved[i]?.endpoints.length ?? 1));
  const top = Math.max(...raw, 1e-9);
  const slots: ServerSlot[] = [];
  resolved.forEach((b, i) => {
    const weight = Math.max(1, Math.round(((raw[i] as number) / top) * MAX_WEIGHT));
    const count = serverSlots(b.endpoints.length);
    for (let ei = 0; ei < count; ei++) {
      const e = b.endpoints[ei];
      slots.push({ name: `s${i}_${ei}`, ...(e ? { endpoint: { address: e.address, port: e.port } } : {}), weight });
    }
  });
  return slots;
}

/**
 * The pool with the endpoints `backends` now have, or undefined when they no longer fit its
 * slots (more endpoints than slots, fewer than half, or another protocol): that takes a new
 * rendering. The pool itself is not changed.
 */
export function refillPool(pool: ServerPool, backends: Readonly<Record<string, IRBackend>>): ServerPool | undefined {
  const resolved: IRBackend[] = [];
  for (const [i, ref] of pool.refs.entries()) {
    const b = backends[ref.backend];
    if (!b || serverSlots(b.endpoints.length) !== pool.perRef[i] || (pool.http && b.protocol === 'h2c') !== pool.h2[i]) return undefined;
    if (tlsKey(b) !== pool.tlsKeys[i]) return undefined;
    resolved.push(b);
  }
  return { ...pool, slots: fillSlots(pool.refs, resolved) };
}

/** The pool's lines, without indentation. */
export function poolDirectives(pool: ServerPool): string[] {
  const out = ['balance roundrobin'];
  let slot = 0;
  pool.perRef.forEach((count, i) => {
    const proto = `${pool.h2[i] ? ' proto h2' : ''}${pool.tls[i] ?? ''}`;
    for (let k = 0; k < count; k++, slot++) {
      const s = pool.slots[slot] as ServerSlot;
      const address = s.endpoint ? hostPort(s.endpoint.address, s.endpoint.port) : SPARE_SLOT;
      const cookie = pool.cookies ? ` cookie ${s.name}` : '';
      out.push(`server ${s.name} ${address} weight ${s.weight}${proto}${cookie}${s.endpoint ? '' : ' disabled'}`);
    }
  });
  return out;
}

/** One section as haproxy.cfg holds it, without the blank line that follows it there. */
export function sectionLines(s: Section): string[] {
  const out = [s.name === undefined ? s.keyword : `${s.keyword} ${s.name}`];
  if (s.comment !== undefined) out.push(`  # ${s.comment}`);
  for (const d of s.directives) out.push(`  ${d}`);
  if (s.pool) for (const d of poolDirectives(s.pool)) out.push(`  ${d}`);
  return out;
}

/** haproxy.cfg for the model. */
export function serializeConfig(config: HaproxyConfig): string {
  const out = [config.title];
  for (const s of config.sections) {
    // Pushed one by one: a backend's server lines can be too many to spread as arguments.
    for (const line of sectionLines(s)) out.push(line);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
