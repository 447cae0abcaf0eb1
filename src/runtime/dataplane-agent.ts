/**
 * `portico dataplane`: the data plane of one Gateway (deployment mode per-gateway), or of every
 * Gateway of a GatewayClass (shared), in pods of its own. It holds no Kubernetes credentials: it asks the controller for its Gateway's
 * configuration over the channel (remote-data-planes.ts) with the Gateway's token, serves it with
 * HAProxy (endpoint-only changes through the runtime API, without a reload), and reports what it
 * applied. When the controller cannot be reached it keeps serving what it has and asks again.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IRGateway } from '../ir/model.js';
import { sharedDataPlaneName } from '../ir/shared-data-plane.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import { tokenCredentials } from '../providers/kubernetes/kubeconfig.js';
import { HttpTransport } from '../providers/kubernetes/transport.js';
import type { DataPlane } from '../ir/data-plane.js';
import type { ConfigMessage, ReportMessage } from './remote-data-planes.js';

export interface AgentOptions {
  /** What this data plane serves: a Gateway "namespace/name", or sharedDataPlaneName(class). */
  gateway: string;
  controllerUrl: string;
  tokenFile: string;
  caFile?: string;
  /** What the Gateway's listeners bind (the pod's address; default every address). */
  bindAddress: string;
  /** This replica's name in reports (the pod's name). */
  replica: string;
  dataPlane: DataPlane;
  logger: Logger;
  health: { host: string; port: number };
  /** Waits after failures: first, then doubled up to the last. */
  retryMs?: [number, number];
  /** Served on /metrics of the health address (Prometheus text). */
  metrics?: Metrics;
  /** How changes reached HAProxy (reloads, runtime API updates), shown on /status. */
  counters?: () => Readonly<Record<string, number>>;
}

export class DataPlaneAgent {
  private readonly transport: HttpTransport;
  private version = '';
  /** Whether `version` runs here (false: it was refused, and the previous one runs). */
  private versionOk = true;
  private applied = false;
  private stopped = false;
  private loop: Promise<void> = Promise.resolve();
  private healthServer: http.Server | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly options: AgentOptions) {
    this.transport = new HttpTransport(tokenCredentials(options.controllerUrl, options.tokenFile, options.caFile));
  }

  /** Whether a configuration is applied and served: the pod's readiness. */
  get ready(): boolean {
    return this.applied;
  }

  get currentVersion(): string {
    return this.version;
  }

  /** Starts the health server and the configuration loop; resolves with the health URL. */
  async start(): Promise<string> {
    const server = http.createServer((req, res) => {
      if (req.url === '/healthz') res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      else if (req.url === '/readyz') res.writeHead(this.applied ? 200 : 503, { 'content-type': 'text/plain' }).end(this.applied ? `ready: configuration ${this.version}\n` : 'no configuration applied yet\n');
      else if (req.url === '/status') {
        const body = { gateway: this.options.gateway, replica: this.options.replica, version: this.version, applied: this.applied, versionOk: this.versionOk, ...(this.options.counters ? { counters: this.options.counters() } : {}) };
        res.writeHead(200, { 'content-type': 'application/json' }).end(`${JSON.stringify(body)}\n`);
      }
      else if (req.url === '/metrics' && this.options.metrics) {
        const metrics = this.options.metrics;
        metrics.text().then(
          (text) => res.writeHead(200, { 'content-type': metrics.contentType }).end(text),
          () => res.writeHead(500).end(),
        );
      } else res.writeHead(404).end();
    });
    this.healthServer = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.health.port, this.options.health.host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    this.loop = this.run();
    return `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  }

  private path(what: 'config' | 'report'): string {
    const [ns, name] = this.options.gateway.split('/') as [string, string];
    if (this.options.gateway === sharedDataPlaneName(name)) return `/v1/gatewayclasses/${encodeURIComponent(name)}/${what}`;
    return `/v1/gateways/${encodeURIComponent(ns)}/${encodeURIComponent(name)}/${what}`;
  }

  private async pause(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = undefined;
  }

  private async run(): Promise<void> {
    const [first, last] = this.options.retryMs ?? [500, 10_000];
    let wait = first;
    const log = this.options.logger;
    while (!this.stopped) {
      let response;
      try {
        response = await this.transport.request({ method: 'GET', path: this.path('config'), query: { after: this.version, replica: this.options.replica, ok: this.versionOk }, timeoutMs: 60_000 });
      } catch (err) {
        if (this.stopped) return;
        log.warn({ err: (err as Error).message, retryMs: wait }, 'the controller cannot be reached; serving the last configuration');
        await this.pause(wait);
        wait = Math.min(wait * 2, last);
        continue;
      }
      if (response.status === 200) {
        wait = first;
        await this.apply(response.body as ConfigMessage);
      } else if (response.status === 204) {
        wait = first;
      } else {
        const message = (response.body as { message?: string } | undefined)?.message ?? '';
        log.warn({ status: response.status, message, retryMs: wait }, 'the controller did not give a configuration');
        await this.pause(wait);
        wait = Math.min(wait * 2, last);
      }
    }
  }

  private async apply(message: ConfigMessage): Promise<void> {
    const log = this.options.logger;
    // The controller does not know this pod's address: the data plane binds its own.
    const gateway: IRGateway = { ...message.gateway, addresses: [this.options.bindAddress] };
    let ok = false;
    let reason: string | undefined;
    try {
      const states = await this.options.dataPlane.apply({ gateways: [gateway] });
      const state = states.get(gateway.name);
      ok = state?.programmed !== false;
      if (state && state.programmed === false) reason = state.message;
    } catch (err) {
      reason = (err as Error).message;
    }
    if (ok) {
      this.applied = true;
      log.info({ version: message.version }, 'configuration applied');
    } else log.error({ version: message.version, reason }, 'configuration not applied; the previous one keeps serving');
    const report: ReportMessage = { replica: this.options.replica, version: message.version, ok, ...(reason ? { message: reason } : {}) };
    // Asking again for a refused version would fail the same way: wait for the next one.
    this.version = message.version;
    this.versionOk = ok;
    try {
      const r = await this.transport.request({ method: 'POST', path: this.path('report'), body: report });
      if (r.status !== 204) log.warn({ status: r.status }, 'the controller did not take the report');
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'the report did not reach the controller');
    }
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    this.transport.close();
    await this.loop.catch(() => undefined);
    const server = this.healthServer;
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    }
    await this.options.dataPlane.close();
  }
}
