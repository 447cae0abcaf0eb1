/**
 * Deployment modes per-gateway and shared, controller side: data planes run in pods of their own
 * (`portico dataplane`) and take their configuration from here: one per Gateway, or one per
 * GatewayClass serving all of its Gateways (src/ir/shared-data-plane.ts). This DataPlane keeps
 * each data plane's IR with a version (a hash of its content, so every replica and every
 * controller replica names the same configuration alike), serves it over HTTP(S) to data planes
 * that show its token, and turns their reports into the Gateways' state: programmed once a
 * replica runs the current version, Invalid when one refused it, Pending until then.
 *
 *   GET  /v1/gateways/NS/NAME/config?after=VERSION&replica=POD&ok=BOOL   200 {version, gateway}
 *   GET  /v1/gatewayclasses/NAME/config?...                               (shared mode)
 *        at once when the version differs, else held up to `holdMs` and answered 204; 404 when
 *        the controller has no configuration for it (not Portico's, or not accepted).
 *        `after`, `replica` and `ok` also say what the replica runs, so a restarted controller
 *        learns it from the next poll
 *   POST /v1/gateways/NS/NAME/report, /v1/gatewayclasses/NAME/report  {replica, version, ok, message}   204
 *
 * Every request carries `Authorization: Bearer <token>`; a token opens one data plane's configuration.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { DataPlaneState, RuleChecker } from '../api/data-plane.js';
import type { DataPlane } from '../ir/data-plane.js';
import type { IR, IRGateway } from '../ir/model.js';
import { dataPlaneUnits, sharedDataPlaneName } from '../ir/shared-data-plane.js';
import type { Logger } from '../log.js';

/** What the channel sends: one data plane's IR (a Gateway's, or a class's Gateways' together) and its version. */
export interface ConfigMessage {
  version: string;
  gateway: IRGateway;
}

/** What a data plane reports after applying (or failing to apply) a version. */
export interface ReportMessage {
  replica: string;
  version: string;
  ok: boolean;
  message?: string;
}

export interface RemoteDataPlanesOptions {
  logger: Logger;
  checkRule: RuleChecker;
  /** The token of a data plane (a Gateway "namespace/name", or sharedDataPlaneName(class)), or undefined when none is known (yet). */
  tokenOf: (dataPlane: string) => string | undefined;
  /** One data plane per Gateway (default), or one per GatewayClass. */
  mode?: 'per-gateway' | 'shared';
  listen: { host: string; port: number };
  /** PEM files of the channel's server certificate; without them the channel is plain HTTP. */
  tls?: { certFile: string; keyFile: string };
  /** How long a poll without news is held; default 25 s. */
  holdMs?: number;
  /** A report changed a Gateway's state: translate again so its status says so. */
  onStateChange?: () => void;
}

interface Entry {
  message: ConfigMessage;
  /** The Gateways it serves, and those of its class it cannot serve with why (shared mode). */
  members: string[];
  refused: ReadonlyMap<string, string>;
  /** Per replica: the last version it reported, and whether it runs it. */
  replicas: Map<string, { version: string; ok: boolean; message?: string; at: number }>;
}

/** The version of a Gateway's configuration: the same content always gets the same version. */
export function configVersion(gateway: IRGateway): string {
  return createHash('sha256').update(JSON.stringify(gateway)).digest('hex').slice(0, 16);
}

/** The state a Gateway's reports give its current version. */
export function reportedState(version: string, replicas: ReadonlyMap<string, { version: string; ok: boolean; message?: string }>): DataPlaneState {
  const current = [...replicas.values()].filter((r) => r.version === version);
  if (current.some((r) => r.ok)) return { programmed: true };
  const refused = current.find((r) => !r.ok);
  if (refused) return { programmed: false, reason: 'Invalid', message: `the data plane refused the configuration: ${refused.message ?? 'no reason given'}` };
  return { programmed: false, reason: 'Pending', message: `waiting for the data plane to apply configuration ${version}` };
}

function sameToken(given: string, want: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(want);
  return a.length === b.length && timingSafeEqual(a, b);
}

export class RemoteDataPlanes implements DataPlane {
  readonly checkRule: RuleChecker;
  private readonly entries = new Map<string, Entry>();
  private readonly waiters = new Map<string, Set<() => void>>();
  private server: http.Server | undefined;
  private closing = false;

  constructor(private readonly options: RemoteDataPlanesOptions) {
    this.checkRule = options.checkRule;
  }

  /** Starts the channel; resolves with its URL. */
  async start(): Promise<string> {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => void this.handle(req, res);
    const tls = this.options.tls;
    this.server = tls ? https.createServer({ cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) }, handler) : http.createServer(handler);
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.listen.port, this.options.listen.host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `${tls ? 'https' : 'http'}://${host}:${address.port}`;
    this.options.logger.info({ url }, `data plane channel listening on ${url}`);
    if (!tls) this.options.logger.warn('the data plane channel is plain HTTP: configurations, private keys included, cross the network unencrypted; give --dataplane-tls-cert and --dataplane-tls-key');
    return url;
  }

  async apply(ir: IR): Promise<Map<string, DataPlaneState>> {
    const seen = new Set<string>();
    for (const unit of dataPlaneUnits(ir, this.options.mode ?? 'per-gateway')) {
      const gw = unit.gateway;
      seen.add(gw.name);
      const version = configVersion(gw);
      const entry = this.entries.get(gw.name);
      if (entry?.message.version === version) {
        entry.members = unit.members;
        entry.refused = unit.refused;
        continue;
      }
      this.entries.set(gw.name, { message: { version, gateway: gw }, members: unit.members, refused: unit.refused, replicas: entry?.replicas ?? new Map() });
      this.wake(gw.name);
    }
    for (const name of [...this.entries.keys()]) {
      if (seen.has(name)) continue;
      this.entries.delete(name);
      this.wake(name);
    }
    return this.states();
  }

  /** The state of every Gateway with a configuration: its data plane's. */
  states(): Map<string, DataPlaneState> {
    const out = new Map<string, DataPlaneState>();
    for (const e of this.entries.values()) {
      const state = reportedState(e.message.version, e.replicas);
      for (const gateway of e.members) out.set(gateway, state);
      for (const [gateway, message] of e.refused) out.set(gateway, { programmed: false, reason: 'Invalid', message });
    }
    return out;
  }

  /** Per data plane (a Gateway, or sharedDataPlaneName(class)), the replicas that reported and what (admin API, tests). */
  replicas(dataPlane: string): { replica: string; version: string; ok: boolean }[] {
    return [...(this.entries.get(dataPlane)?.replicas ?? new Map<string, { version: string; ok: boolean }>())].map(([replica, r]) => ({ replica, version: r.version, ok: r.ok }));
  }

  private wake(gateway: string): void {
    for (const w of this.waiters.get(gateway) ?? []) w();
    this.waiters.delete(gateway);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://channel');
    const m = /^\/v1\/(?:gateways\/([a-z0-9.-]+)\/([a-z0-9.-]+)|gatewayclasses\/([a-z0-9.-]+))\/(config|report)$/.exec(url.pathname);
    const send = (status: number, body?: unknown) => {
      if (body === undefined) res.writeHead(status).end();
      else res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (!m) return send(404, { message: 'no such path' });
    const gateway = m[3] !== undefined ? sharedDataPlaneName(m[3]) : `${m[1]}/${m[2]}`;
    const token = this.options.tokenOf(gateway);
    const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token) {
      // Only the replica that deploys knows the tokens: closing the connection lets the data
      // plane's next attempt reach another controller replica behind the Service.
      res.setHeader('connection', 'close');
      return send(503, { message: `no token is known for data plane ${gateway} here (yet): this is not the controller replica that deploys` });
    }
    if (!given || !sameToken(given, token)) return send(401, { message: 'the token does not open this data plane' });
    if (m[4] === 'config' && req.method === 'GET') {
      const after = url.searchParams.get('after') ?? '';
      const replica = url.searchParams.get('replica');
      if (replica && after) this.record(gateway, { replica, version: after, ok: url.searchParams.get('ok') !== 'false' });
      return this.config(gateway, after, req, send);
    }
    if (m[4] === 'report' && req.method === 'POST') return this.report(gateway, req, send);
    return send(405, { message: 'method not allowed' });
  }

  private async config(gateway: string, after: string, req: http.IncomingMessage, send: (status: number, body?: unknown) => void): Promise<void> {
    const current = () => this.entries.get(gateway)?.message;
    const now = current();
    if (now && now.version !== after) return send(200, now);
    if (!now && after === '') return send(404, { message: `no configuration for ${gateway}: it is not Portico's, or not accepted` });
    // Nothing new: hold the request until the configuration changes or time is up.
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.options.holdMs ?? 25_000);
      let set = this.waiters.get(gateway);
      if (!set) this.waiters.set(gateway, (set = new Set()));
      set.add(done);
      req.socket.once('close', done);
      function done(): void {
        clearTimeout(timer);
        set?.delete(done);
        resolve();
      }
    });
    if (this.closing) return send(503, { message: 'the controller is stopping' });
    const next = current();
    if (next && next.version !== after) return send(200, next);
    if (!next) return send(404, { message: `no configuration for ${gateway} any more` });
    send(204);
  }

  private async report(gateway: string, req: http.IncomingMessage, send: (status: number, body?: unknown) => void): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req as AsyncIterable<Buffer>) {
      size += c.length;
      if (size > 64 * 1024) return send(413, { message: 'report too large' });
      chunks.push(c);
    }
    let r: ReportMessage;
    try {
      r = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ReportMessage;
    } catch {
      return send(400, { message: 'the report is not JSON' });
    }
    if (typeof r.replica !== 'string' || typeof r.version !== 'string' || typeof r.ok !== 'boolean') return send(400, { message: 'a report has replica, version and ok' });
    send(204);
    this.record(gateway, r);
  }

  /** What a replica says it runs; a change of the Gateway's state asks for a new translation. */
  private record(gateway: string, r: ReportMessage): void {
    const entry = this.entries.get(gateway);
    if (!entry) return;
    const known = entry.replicas.get(r.replica);
    if (known && known.version === r.version && known.ok === r.ok && (r.message === undefined || known.message === r.message)) {
      known.at = Date.now();
      return;
    }
    const before = reportedState(entry.message.version, entry.replicas);
    const message = r.message ?? (known?.version === r.version ? known.message : undefined);
    entry.replicas.set(r.replica.slice(0, 253), { version: r.version, ok: r.ok, ...(message ? { message: String(message).slice(0, 1024) } : {}), at: Date.now() });
    const after = reportedState(entry.message.version, entry.replicas);
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      this.options.logger.info({ gateway, replica: r.replica, version: r.version, ok: r.ok }, 'data plane report');
      this.options.onStateChange?.();
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const name of [...this.waiters.keys()]) this.wake(name);
    const server = this.server;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }
}
