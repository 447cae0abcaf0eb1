import { createHash } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { mkdtemp, rm } from 'node:fs/promises';
import { endpointOnlyChange } from '../ir/endpoint-change.js';
import { routeContent, routeKeys, withoutRoutes } from '../ir/route-selection.js';
import type { IR, IRGateway, IRPort } from '../ir/model.js';
import type { Logger } from '../log.js';
import type { DataPlaneState, GatewayConfigView } from '../api/data-plane.js';
import type { DataPlane } from '../ir/data-plane.js';
import { haproxyRuleProblem } from './capabilities.js';
import { resolveHaproxy } from './binary.js';
import { checkConfig } from './check.js';
import { configView } from './config-view.js';
import { serializeConfig, type HaproxyConfig } from './config-model.js';
import { withEndpoints } from './endpoint-update.js';
import { writeConfigFiles } from './generations.js';
import { defaultsSection, globalSection, instancePaths } from './instance-config.js';
import { HaproxyInstance } from './process.js';
import { UnsafeValueError } from './quote.js';
import { findRefusedRoutes } from './refusals.js';
import { prepareStateDir, sweepStateDir } from './state-dir.js';
import { renderGateway, type RenderedConfig } from './render.js';
import { runtimePlan } from './runtime-update.js';
import { configuredKeys, COUNTER_FIELDS, CounterAccumulator, parseInfoPid, parseShowStat, parseShowTable, samplesOf, type Sample, type TimeSample } from './route-metrics.js';
import { socketCommand } from './sockets.js';
import type { DataPlaneMetricsSource, GatewayDataPlaneReport, TrafficSeries } from '../metrics.js';
import { UdpForwarder } from './udp-forwarder.js';

export interface HaproxyDataPlaneOptions {
  /** Directory holding one sub-directory per Gateway (sockets, generated files). */
  stateDir: string;
  logger: Logger;
  binary?: string;
  /** How long a UDP flow lives without traffic (udp-forwarder.ts); default 60 s. */
  udpIdleMs?: number;
  /** Per-route traffic metrics (render.ts routeMetrics, route-metrics.ts); off by default, see docs/observability.md. */
  routeMetrics?: boolean;
  /** With routeMetrics: latency histograms with these bucket bounds in milliseconds (route-metrics.ts). */
  routeLatencyBucketsMs?: readonly number[];
}

/** What happened to one Gateway's HAProxy, for metrics. */
interface GatewayEvents {
  reloads: number;
  runtimeUpdates: { endpoints: number; maps: number };
  refusedConfigurations: { unsafe_value: number; haproxy: number };
  restarts: number;
}

/** How long a read of HAProxy's statistics may take before a scrape goes without it. */
const STATS_TIMEOUT_MS = 2000;

interface Managed {
  instance: HaproxyInstance;
  dir: string;
  /** What was last applied successfully, to skip reloads when nothing changed. */
  applied?: string;
  /** The configuration HAProxy runs now (endpoint changes included), and the IR it came from. */
  running?: RenderedConfig;
  runningIR?: IRGateway;
  /** Routes HAProxy refused ("Kind/namespace/name"), with what they contributed then (routeContent). */
  refused: Map<string, string>;
  state: DataPlaneState;
  events: GatewayEvents;
  /** Route metrics' counters across the Gateway's HAProxy workers. */
  traffic?: CounterAccumulator;
  /** HAProxy's averaged times per rule, as last read. */
  times?: TimeSample[];
}

/** How changes reached HAProxy, for metrics and tests. */
export interface DataPlaneCounters {
  reloads: number;
  /** Changes made through the runtime API, endpoint and route changes alike. */
  runtimeUpdates: number;
  /** Those of them that replaced routing maps (a route added, changed or removed). */
  runtimeMapUpdates: number;
}

/**
 * A Gateway's directory name: readable, but short, because HAProxy's unix socket paths inside it
 * must stay under about 100 bytes whatever the namespace and name (each up to 253 characters).
 */
export function stateDirName(gateway: string): string {
  const hash = createHash('sha256').update(gateway).digest('hex').slice(0, 10);
  return `${gateway.replace('/', '_').slice(0, 20)}-${hash}`;
}

/** A series in the terms of metrics.ts: the counters by name. */
function trafficSeries(s: Sample & { kind: TrafficSeries['kind'] }): TrafficSeries {
  const v = Object.fromEntries(COUNTER_FIELDS.map((f, i) => [f, s.counters[i] ?? 0])) as Record<(typeof COUNTER_FIELDS)[number], number>;
  return {
    kind: s.kind,
    labels: s.labels,
    counts: {
      requests: v.req_tot,
      responses: { '1xx': v.hrsp_1xx, '2xx': v.hrsp_2xx, '3xx': v.hrsp_3xx, '4xx': v.hrsp_4xx, '5xx': v.hrsp_5xx, other: v.hrsp_other },
      receivedBytes: v.bin,
      sentBytes: v.bout,
    },
  };
}

const ms = (value: number): number => Math.round(value * 10) / 10;

/** What a route HAProxy refused says in its status (the details, HAProxy's words, quote other routes). */
const REFUSED_ROUTE = "HAProxy refuses the configuration made from this route, so it is not served (details in Portico's log); the Gateway's other routes are";

/**
 * The Gateway without the routes HAProxy refused, as long as each is unchanged; a route that
 * changed is tried again.
 */
function withoutRefused(m: Managed, gw: IRGateway): IRGateway {
  if (m.refused.size === 0) return gw;
  for (const [key, content] of m.refused) if (routeContent(gw, key) !== content) m.refused.delete(key);
  return m.refused.size > 0 ? withoutRoutes(gw, new Set(m.refused.keys())) : gw;
}

/** What decides whether a rendering is already applied: the text HAProxy reads. */
function fingerprintOf(r: RenderedConfig): string {
  return JSON.stringify([r.config, r.files]);
}

/** Serves the IR with one HAProxy per Gateway; Gateways that disappear have theirs stopped. */
export class HaproxyDataPlane implements DataPlane, DataPlaneMetricsSource {
  private readonly managed = new Map<string, Managed>();
  readonly counters: DataPlaneCounters = { reloads: 0, runtimeUpdates: 0, runtimeMapUpdates: 0 };
  readonly checkRule = haproxyRuleProblem;
  private readonly udp: UdpForwarder;
  private readonly withoutUdp = new WeakMap<readonly IRPort[], IRPort[]>();
  private closed = false;
  /** Views already prepared, by the configuration they show: asked for again while the page is open. */
  private readonly views = new WeakMap<RenderedConfig, GatewayConfigView>();

  constructor(private readonly options: HaproxyDataPlaneOptions) {
    this.udp = new UdpForwarder({ logger: options.logger, idleMs: options.udpIdleMs });
    prepareStateDir(options.stateDir);
    const removed = sweepStateDir(options.stateDir);
    if (removed.length > 0) options.logger.info({ stateDir: options.stateDir, removed }, 'removed what an earlier run left in the state directory');
  }

  async apply(ir: IR): Promise<Map<string, DataPlaneState>> {
    const states = new Map<string, DataPlaneState>();
    // Closed: starting a Gateway's HAProxy now would leave it running after shutdown.
    if (this.closed) return states;
    const wanted = new Set(ir.gateways.map((g) => g.name));
    await Promise.all(
      [...this.managed.keys()].filter((k) => !wanted.has(k)).map((k) => this.remove(k)),
    );
    await this.udp.retain(wanted);
    // Gateways are independent: one failing to apply does not hold the others back.
    await Promise.all(ir.gateways.map(async (gw) => states.set(gw.name, await this.applyWithUdp(gw))));
    return states;
  }

  /**
   * UDP ports go to the forwarder (HAProxy 2.6 has none), the rest to the Gateway's HAProxy; a
   * Gateway with UDP listeners only runs no HAProxy at all.
   */
  private async applyWithUdp(gw: IRGateway): Promise<DataPlaneState> {
    const unservedUdp = await this.udp.apply(gw);
    const proxied = gw.ports.some((p) => p.mode === 'UDP') ? { ...gw, ports: this.proxiedPorts(gw.ports) } : gw;
    let state: DataPlaneState;
    if (proxied.ports.length === 0) {
      await this.remove(gw.name);
      state = { programmed: true };
    } else {
      state = await this.applyGateway(proxied);
    }
    if (!state.programmed || Object.keys(unservedUdp).length === 0) return state;
    return { ...state, unservedListeners: { ...state.unservedListeners, ...unservedUdp } };
  }

  /**
   * A Gateway's ports without the UDP ones, the same array for the same ports: an endpoint-only
   * change is recognised by the ports' identity (ir/endpoint-change.ts), and a new filtered array
   * on every apply would send each endpoint change of a Gateway with UDP listeners the long way.
   */
  private proxiedPorts(ports: readonly IRPort[]): IRPort[] {
    let kept = this.withoutUdp.get(ports);
    if (!kept) {
      kept = ports.filter((p) => p.mode !== 'UDP');
      this.withoutUdp.set(ports, kept);
    }
    return kept;
  }

  private managedFor(name: string): Managed {
    let m = this.managed.get(name);
    if (!m) {
      const dir = path.join(this.options.stateDir, stateDirName(name));
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      let managed: Managed | undefined = undefined;
      const instance = new HaproxyInstance({
        name,
        dir,
        binary: this.options.binary,
        logger: this.options.logger,
        // Runtime API changes are recorded in the live file, so a restarted HAProxy serves them;
        // still, the next change goes through a full apply rather than trust a new process.
        onStateChange: (state) => {
          if (managed && state === 'restarting') managed.events.restarts++;
          if (managed && state !== 'running') {
            managed.running = undefined;
            managed.runningIR = undefined;
            managed.applied = undefined;
          }
        },
      });
      managed = {
        instance,
        dir,
        refused: new Map(),
        state: { programmed: false, reason: 'Pending', message: 'HAProxy is starting' },
        events: { reloads: 0, runtimeUpdates: { endpoints: 0, maps: 0 }, refusedConfigurations: { unsafe_value: 0, haproxy: 0 }, restarts: 0 },
        ...(this.options.routeMetrics ? { traffic: new CounterAccumulator() } : {}),
      };
      m = managed;
      this.managed.set(name, m);
    }
    return m;
  }

  private async applyGateway(gw: IRGateway): Promise<DataPlaneState> {
    const m = this.managedFor(gw.name);
    const served = withoutRefused(m, gw);
    if (await this.moveEndpoints(m, served)) return m.state;
    const first = await this.serve(m, served);
    if (first === undefined) return m.state;
    // Refused for a value no check foresaw: serve the Gateway without the routes responsible
    // rather than not at all, and let them say so in their status.
    const refused = await this.isolate(m, gw);
    if (refused && refused.length > 0) {
      for (const key of refused) m.refused.set(key, routeContent(gw, key));
      this.options.logger.warn({ gateway: gw.name, routes: refused }, 'HAProxy refuses the configuration made from these routes: serving the Gateway without them');
      if ((await this.serve(m, withoutRoutes(gw, new Set(m.refused.keys())))) === undefined) return m.state;
    }
    m.state = first;
    return m.state;
  }

  /** Renders and applies `gw`; undefined once it is served, else the state that says why not. */
  private async serve(m: Managed, gw: IRGateway): Promise<DataPlaneState | undefined> {
    const servedState = (): DataPlaneState => {
      const refusedRoutes = Object.fromEntries([...m.refused.keys()].map((key) => [key, REFUSED_ROUTE]));
      // Every listener in the IR is served: HTTP and HTTPS by render.ts, TLS and TCP by render-stream.ts.
      return m.refused.size > 0 ? { programmed: true, refusedRoutes } : { programmed: true };
    };
    let rendered: RenderedConfig;
    try {
      rendered = renderGateway(gw, { dir: instancePaths(m.dir).current, globalLines: globalSection(m.dir), defaultsLines: defaultsSection(), routeMetrics: this.options.routeMetrics === true, ...(this.options.routeLatencyBucketsMs ? { routeLatencyBucketsMs: this.options.routeLatencyBucketsMs } : {}) });
    } catch (err) {
      if (!(err instanceof UnsafeValueError)) throw err;
      // The details name a route owner's value: for the operator's log, not for the Gateway's
      // status, which every tenant of the Gateway may read.
      this.options.logger.warn({ gateway: gw.name, err: err.message }, 'configuration not applied: a value cannot be written safely');
      m.events.refusedConfigurations.unsafe_value++;
      return { programmed: false, reason: 'Invalid', message: "configuration not applied: a value cannot be written safely into the HAProxy configuration (details in Portico's log); the last configuration applied, if any, keeps serving" };
    }
    const fingerprint = fingerprintOf(rendered);
    if (m.applied === fingerprint && m.instance.running) {
      m.runningIR = gw;
      return undefined;
    }
    if (await this.updateAtRuntime(m, rendered.model, gw, rendered)) {
      m.state = servedState();
      return undefined;
    }
    // The worker about to be replaced is read last, so that little of what it counted is lost.
    if (m.traffic) await this.readTraffic(m);
    const result = await m.instance.apply({ config: rendered.config, extra: rendered.files });
    if (!result.ok) {
      m.events.refusedConfigurations.haproxy++;
      // HAProxy quotes the configuration lines it refuses, other tenants' values included: log only.
      this.options.logger.warn({ gateway: gw.name, haproxy: result.message }, 'HAProxy refused the new configuration');
      return { programmed: false, reason: 'Invalid', message: "HAProxy refused the new configuration (details in Portico's log); the last configuration applied, if any, keeps serving" };
    }
    m.applied = fingerprint;
    m.running = rendered;
    m.runningIR = gw;
    if (result.reloaded) {
      this.counters.reloads++;
      m.events.reloads++;
    }
    m.state = servedState();
    return undefined;
  }

  /**
   * The routes HAProxy refuses (findRefusedRoutes), each candidate configuration rendered into a
   * scratch directory and checked with `haproxy -c`; undefined when no set of routes explains it.
   */
  private async isolate(m: Managed, gw: IRGateway): Promise<string[] | undefined> {
    const routes = routeKeys(gw);
    if (routes.length === 0) return undefined;
    const binary = this.options.binary ?? (await resolveHaproxy()).path;
    const scratch = await mkdtemp(path.join(m.dir, 'isolate-'));
    let n = 0;
    try {
      return await findRefusedRoutes(routes, async (excluded) => {
        const dir = path.join(scratch, String(n++));
        let r: RenderedConfig;
        try {
          r = renderGateway(withoutRoutes(gw, excluded), { dir, globalLines: [], defaultsLines: defaultsSection() });
        } catch (err) {
          if (err instanceof UnsafeValueError) return false;
          throw err;
        }
        await writeConfigFiles(dir, { config: r.config, extra: r.files });
        const checked = await checkConfig(binary, path.join(dir, 'haproxy.cfg'), 60_000);
        await rm(dir, { recursive: true, force: true });
        return checked.ok;
      });
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  /**
   * The short way for an IR that differs from the running one only in endpoints (what the runtime
   * hands over after an EndpointSlice edit): the running model's server slots are refilled and
   * compared, nothing is rendered. False when it does not apply or did not work; the caller then
   * renders.
   */
  private async moveEndpoints(m: Managed, gw: IRGateway): Promise<boolean> {
    if (!m.running || !m.runningIR) return false;
    const changed = endpointOnlyChange(m.runningIR, gw);
    if (!changed) return false;
    const model = changed.size === 0 ? m.running.model : withEndpoints(m.running.model, gw.backends, changed);
    if (!model) return false;
    if (model === m.running.model) {
      m.runningIR = gw;
      return m.instance.running;
    }
    return this.updateAtRuntime(m, model, gw);
  }

  /**
   * Applies a change that only moves endpoints or changes routing maps through the runtime API,
   * without a reload (runtime-update.ts). False when the change needs a reload (or a runtime
   * command failed, so a reload is safer).
   */
  private async updateAtRuntime(m: Managed, model: HaproxyConfig, gw: IRGateway, rendered?: RenderedConfig): Promise<boolean> {
    if (!m.running || !m.instance.running || m.state.programmed !== true) return false;
    const started = performance.now();
    const plan = runtimePlan(m.running.model, model);
    if (!plan) return false;
    const planned = performance.now();
    try {
      for (const step of plan.maps) await m.instance.changeMap(step);
      for (const command of plan.servers) {
        const answer = (await m.instance.runtime(command)).trim();
        // Successful "set server" commands print nothing or an informational line.
        if (/^(No such|Require|Unknown|Invalid|Unexpected)/i.test(answer)) throw new Error(`${command}: ${answer}`);
      }
    } catch (err) {
      this.options.logger.warn({ err }, 'runtime API update failed; reloading instead');
      return false;
    }
    // The text is needed only to record the change: written after the commands, off the critical path.
    const sent = performance.now();
    // An endpoint change keeps every backend: the running rendering's names still hold.
    const next = rendered ?? { config: serializeConfig(model), files: model.files, model, ...(m.running.metrics ? { metrics: m.running.metrics } : {}) };
    m.running = next;
    m.runningIR = gw;
    m.applied = fingerprintOf(next);
    await m.instance.recordRuntimeChange({ config: next.config, extra: next.files });
    this.options.logger.debug(
      { gateway: gw.name, maps: plan.maps.map((p) => p.file), servers: plan.servers.length, planMs: ms(planned - started), sendMs: ms(sent - planned), recordMs: ms(performance.now() - sent) },
      'changed through the runtime API',
    );
    // Counted once recorded too, so a count seen means a restart would serve the change.
    this.counters.runtimeUpdates++;
    if (plan.maps.length > 0) this.counters.runtimeMapUpdates++;
    if (plan.maps.length > 0) m.events.runtimeUpdates.maps++;
    else m.events.runtimeUpdates.endpoints++;
    return true;
  }

  describe(gateway: string): GatewayConfigView | undefined {
    const running = this.managed.get(gateway)?.running;
    if (!running) return undefined;
    let view = this.views.get(running);
    if (!view) {
      view = configView(running.model, running.config);
      this.views.set(running, view);
    }
    return view;
  }

  /**
   * Reads the current worker's statistics into the Gateway's route counters. A worker that cannot
   * be asked (starting, reloading, gone) is skipped: the totals keep what was read before.
   */
  private async readTraffic(m: Managed): Promise<void> {
    const table = m.running?.metrics;
    if (!m.traffic || !table || !m.instance.running) return;
    let answer: string;
    try {
      // One connection for both, so the pid and the statistics are of the same worker.
      answer = await socketCommand(instancePaths(m.dir).runtime, `show info;show stat${table.latency ? `;show table ${table.latency.table}` : ''}`, STATS_TIMEOUT_MS);
    } catch {
      return;
    }
    const pid = parseInfoPid(answer);
    if (pid === undefined) return;
    const { counters, times } = samplesOf(table, parseShowStat(answer), table.latency ? parseShowTable(answer) : undefined);
    m.traffic.update(pid, counters, configuredKeys(table));
    m.times = times;
  }

  /** Metrics of every Gateway served (DataPlaneMetricsSource in metrics.ts); reads HAProxy's statistics with route metrics on. */
  async dataPlaneMetrics(): Promise<GatewayDataPlaneReport[]> {
    const entries = [...this.managed];
    await Promise.all(entries.map(([, m]) => this.readTraffic(m)));
    const buckets = this.options.routeLatencyBucketsMs;
    return entries.map(([gateway, m]) => {
      const totals = m.traffic?.totals() ?? [];
      const latency = buckets
        ? { bucketsSeconds: buckets.map((ms) => ms / 1000), series: totals.filter((t) => t.kind === 'latency').map((t) => ({ labels: t.labels, cumulative: t.counters.slice(0, buckets.length), count: t.counters[buckets.length] ?? 0 })) }
        : undefined;
      return {
        gateway,
        ...structuredClone(m.events),
        ...(m.traffic ? { traffic: { series: totals.filter((t): t is Sample & { kind: TrafficSeries['kind'] } => t.kind !== 'latency').map(trafficSeries), times: m.times ?? [], ...(latency ? { latency } : {}) } } : {}),
      };
    });
  }

  private async remove(name: string): Promise<void> {
    const m = this.managed.get(name);
    if (!m) return;
    this.managed.delete(name);
    await m.instance.stop();
    rmSync(m.dir, { recursive: true, force: true });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.managed.keys()].map((k) => this.remove(k)));
    await this.udp.close();
  }
}
