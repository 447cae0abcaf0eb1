/**
 * Stream listeners: TLS listeners (TLSRoute; passed through, or terminated by HAProxy) and TCP
 * listeners (TCPRoute), rendered as `mode tcp` sections under a defaults section of their own, so
 * that none of the HTTP defaults (and their warnings) apply to them.
 *
 * A port is served in one of these ways:
 * - TCP: one frontend sending every connection to the oldest TCPRoute's backends.
 * - TLS listeners that all terminate: one frontend terminating TLS with the listeners'
 *   certificates (a crt-list by SNI), then routing the decrypted stream by the TLS server name.
 * - Anything else (passthrough listeners, or HTTPS and TLS listeners together): a frontend reads
 *   the server name (SNI) from the ClientHello without terminating TLS and picks the most specific
 *   listener, as HTTP listeners are picked by Host. A passthrough listener's connections go as they
 *   are to its most specific TLSRoute's backends; terminating TLS listeners and HTTPS listeners hand
 *   theirs to an internal frontend that terminates TLS (over a private unix socket with the
 *   PROXY protocol, so the client's address survives): the TLS one above, or the port's ordinary
 *   HTTP frontend (render.ts), which then routes, and checks for misdirected requests, as on a
 *   port of its own.
 * Ports with HTTPS listeners only are not stream ports: their HTTP frontend binds with TLS itself.
 */
import path from 'node:path';
import type { IRGateway, IRListener, IRPort, IRStreamRoute } from '../ir/model.js';
import { internalSocket } from './internal-socket.js';
import { writeCrtList } from './crt-list.js';
import { buildPatternTable, mostSpecific, type PatternTable } from './host-table.js';
import { mapField } from './quote.js';
import { hostPort, serverPool, type Section } from './config-model.js';

/** The name routing gives connections that nothing takes; they are rejected (closed). */
const REJECT = 'reject';
/** How long a new connection may take to send its TLS ClientHello before it is closed. */
const HELLO_WAIT = '5s';
const DEFAULTS = 'streams';

/** What the port's HTTP frontend (render.ts) must do when the port is a stream port. */
export interface StreamPort {
  /**
   * Where the HTTP frontend binds instead of the Gateway's addresses: set when HTTPS listeners
   * share the port with TLS listeners. Unset: the port has no HTTP frontend.
   */
  httpsBind?: string;
}

/** Whether a TLS listener terminates TLS itself; one without TLS settings has nothing to terminate with. */
function terminates(l: IRListener): boolean {
  return l.tls?.mode === 'Terminate';
}

export class StreamRenderer {
  private readonly frontends: Section[] = [];
  private readonly backends: Section[] = [];
  /** Per port: backend signature → name (backends are shared within a port only). */
  private readonly backendsByPort = new Map<number, Map<string, string>>();
  private readonly hops = new Set<string>();

  constructor(
    private readonly gw: IRGateway,
    private readonly dir: string,
    private readonly files: Record<string, string>,
  ) {}

  private file(name: string): string {
    return path.join(this.dir, name);
  }

  /**
   * Renders the port when it is a stream port. Undefined for plain HTTP ports and ports with only
   * HTTPS listeners, which render.ts serves on its own.
   */
  add(port: IRPort): StreamPort | undefined {
    if (port.mode === 'HTTP') return undefined;
    if (port.mode === 'TCP') {
      this.tcp(port);
      return {};
    }
    const tls = port.listeners.filter((l) => l.protocol === 'TLS');
    if (tls.length === 0) return undefined;
    const https = port.listeners.some((l) => l.protocol === 'HTTPS');
    const passthrough = tls.some((l) => !terminates(l));
    if (!https && !passthrough) {
      this.terminate(port, `p${port.port}`, this.publicBinds(port));
      return {};
    }
    this.sni(port);
    if (tls.some(terminates)) this.terminate(port, `p${port.port}_tls`, [`${this.internalAddress(port, 'tls')} accept-proxy`]);
    return https ? { httpsBind: `${this.internalAddress(port, 'https')} accept-proxy` } : {};
  }

  /** The defaults section of the stream sections and the sections themselves; empty when there are none. */
  sections(): Section[] {
    if (this.frontends.length === 0) return [];
    return [
      // Proxies take the last defaults section above them: every stream section comes after this one.
      {
        keyword: 'defaults',
        name: DEFAULTS,
        directives: [
          'mode tcp',
          'timeout connect 5s',
          // Client and server timeouts apply until the connection is established (including the
          // wait for the ClientHello); from then on the tunnel timeout does.
          'timeout client 60s',
          'timeout server 60s',
          'timeout tunnel 1h',
        ],
      },
      ...this.frontends,
      ...this.backends,
    ];
  }

  private publicBinds(port: IRPort): string[] {
    // A ListenerPolicy's proxyProtocol: the client's address comes in a PROXY header first.
    return this.gw.addresses.map((a) => `${hostPort(a, port.port)}${port.settings?.proxyProtocol ? ' accept-proxy' : ''}`);
  }

  /** The unix socket of an internal frontend (see internalSocket). */
  private internalAddress(port: IRPort, kind: 'tls' | 'https'): string {
    return internalSocket(this.dir, `p${port.port}-${kind}`);
  }

  /** A backend forwarding connections to an internal frontend, the client's address in a PROXY header. */
  private hop(port: IRPort, kind: 'tls' | 'https'): string {
    const name = `p${port.port}_to_${kind}`;
    if (!this.hops.has(name)) {
      this.hops.add(name);
      this.backends.push({ keyword: 'backend', name, directives: ['mode tcp', `server ${kind} ${this.internalAddress(port, kind)} send-proxy-v2`] });
    }
    return name;
  }

  private tcp(port: IRPort): void {
    // Hostnames mean nothing to TCP: the first listener's oldest route takes the connections.
    const stream = port.listeners.flatMap((l) => l.streams)[0];
    const backend = stream ? this.streamBackend(port, stream) : REJECT;
    this.frontends.push({
      keyword: 'frontend',
      name: `p${port.port}`,
      directives: ['mode tcp', ...this.publicBinds(port).map((b) => `bind ${b}`), backend === REJECT ? 'tcp-request connection reject' : `default_backend ${backend}`],
    });
  }

  /**
   * The public frontend of a port with passthrough listeners, or with HTTPS and TLS listeners:
   * the ClientHello's server name picks the listener, then (passthrough) the route.
   */
  private sni(port: IRPort): void {
    const p = port.port;
    const https = port.listeners.some((l) => l.protocol === 'HTTPS');
    const patterns: string[] = [];
    for (const l of port.listeners) {
      if (l.hostname) patterns.push(l.hostname);
      if (l.protocol === 'TLS' && !terminates(l)) for (const s of l.streams) patterns.push(...s.hostnames);
    }
    const table = buildPatternTable(patterns, (covers) => {
      const l = mostSpecific(port.listeners, (x) => x.hostname, covers);
      // A name no listener claims gets what an HTTPS-only port gives it: the HTTP frontend, which
      // routes by Host (and answers 421 when the Host belongs to a listener the SNI did not pick).
      if (!l) return https ? this.hop(port, 'https') : undefined;
      if (l.protocol === 'HTTPS') return this.hop(port, 'https');
      if (terminates(l)) return this.hop(port, 'tls');
      return this.routeFor(port, l, covers);
    });
    this.frontends.push({
      keyword: 'frontend',
      name: `p${p}${https ? '_sni' : ''}`,
      directives: [
      'mode tcp',
      ...this.publicBinds(port).map((b) => `bind ${b}`),
      `tcp-request inspect-delay ${HELLO_WAIT}`,
      // Waits for a complete ClientHello; anything else (plain text, a timeout) is closed.
      'tcp-request content reject unless { req.ssl_hello_type 1 }',
      ...this.routing(table, 'req.ssl_sni,lower', `p${p}.sni`),
      ],
    });
  }

  /**
   * A frontend terminating TLS for TLS listeners with mode Terminate, then sending the decrypted
   * stream to the most specific listener's most specific route by the TLS server name.
   */
  private terminate(port: IRPort, name: string, binds: readonly string[]): void {
    const p = port.port;
    const listeners = port.listeners.filter((l) => l.protocol === 'TLS' && terminates(l));
    const patterns: string[] = [];
    for (const l of listeners) {
      if (l.hostname) patterns.push(l.hostname);
      for (const s of l.streams) patterns.push(...s.hostnames);
    }
    const table = buildPatternTable(patterns, (covers) => {
      const l = mostSpecific(listeners, (x) => x.hostname, covers);
      return l ? this.routeFor(port, l, covers) : undefined;
    });
    // No ALPN: the stream is not HTTP, and nothing here could speak HTTP/2.
    const list = writeCrtList(port, (l) => l.protocol === 'TLS' && terminates(l), `p${p}.tls.crt-list`, '', this.dir, this.files);
    this.frontends.push({
      keyword: 'frontend',
      name,
      directives: ['mode tcp', ...binds.map((b) => `bind ${b} ssl crt-list ${list}`), ...this.routing(table, 'ssl_fc_sni,lower', `p${p}.tls-sni`)],
    });
  }

  /**
   * Lines choosing the backend from the server name `sni` (a sample expression): the exact name,
   * then the longest wildcard, then the default; a name nothing takes is rejected. Every name in
   * the maps carries an answer, a rejection included: a name whose most specific listener takes
   * nothing must not fall through to a wildcard listener's routes.
   */
  private routing(table: PatternTable<string>, sni: string, mapName: string): string[] {
    const answer = (t: string | undefined) => t ?? REJECT;
    const exact = [...table.exact].map(([h, t]) => `${mapField(h, 'hostname')} ${answer(t)}`);
    const wild = table.wildcards.map(([h, t]) => `${mapField(h.slice(1), 'hostname')} ${answer(t)}`);
    const out: string[] = [];
    if (exact.length > 0) {
      this.files[`${mapName}.map`] = exact.join('\n') + '\n';
      out.push(`tcp-request content set-var(txn.be) ${sni},map_str(${this.file(`${mapName}.map`)})`);
    }
    const unlessFound = exact.length > 0 ? ' if !{ var(txn.be) -m found }' : '';
    if (wild.length > 0) {
      this.files[`${mapName}-wild.map`] = wild.join('\n') + '\n';
      out.push(`tcp-request content set-var(txn.be) ${sni},map_end(${this.file(`${mapName}-wild.map`)})${unlessFound}`);
    }
    // Also for connections without a server name, which the map lookups leave unset.
    out.push(`tcp-request content set-var(txn.be) str(${answer(table.fallback)}) if !{ var(txn.be) -m found }`);
    out.push(`tcp-request content reject if { var(txn.be) -m str ${REJECT} }`, 'use_backend %[var(txn.be)]');
    return out;
  }

  /**
   * The backend of the listener's route for the names `covers` describes: the route whose hostname
   * is the most specific match, the oldest one among equals (the IR lists routes oldest first).
   */
  private routeFor(port: IRPort, l: IRListener, covers: (pattern: string | undefined) => boolean): string | undefined {
    const candidates = l.streams.flatMap((stream) => (stream.hostnames.length > 0 ? stream.hostnames : [undefined]).map((hostname) => ({ hostname, stream })));
    const best = mostSpecific(candidates, (c) => c.hostname, covers);
    return best ? this.streamBackend(port, best.stream) : undefined;
  }

  /**
   * The backend of one stream route: its backends by weight, the share of backendRefs that could
   * not be resolved rejected. REJECT when nothing can take a connection. Identical routes share one.
   */
  private streamBackend(port: IRPort, stream: IRStreamRoute): string {
    const valid = stream.backends.reduce((s, b) => s + b.weight, 0);
    if (valid === 0) return REJECT;
    const total = valid + stream.invalidWeight;
    const directives = ['mode tcp', ...(stream.invalidWeight > 0 ? [`tcp-request content reject if { rand(${total}) -m int lt ${stream.invalidWeight} }`] : [])];
    // Shared within a port only (a backend's name tells its port), by routes with the same lines
    // and the same Services whatever their endpoints: keyed by server addresses instead, an
    // endpoint change could split or merge backends and need a reload the runtime API avoids.
    const refs = stream.backends.filter((b) => b.weight > 0).map((b) => `${b.backend} ${b.weight}`);
    const signature = [...directives, ...refs].join('\n');
    let backends = this.backendsByPort.get(port.port);
    if (!backends) {
      backends = new Map();
      this.backendsByPort.set(port.port, backends);
    }
    const known = backends.get(signature);
    if (known) return known;
    const name = `p${port.port}_t${backends.size + 1}`;
    backends.set(signature, name);
    this.backends.push({
      keyword: 'backend',
      name,
      comment: `${stream.route.kind} ${stream.route.namespace}/${stream.route.name}`,
      directives,
      pool: serverPool(this.gw.backends, stream.backends, { http: false }),
    });
    return name;
  }
}
