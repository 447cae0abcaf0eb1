/**
 * bench/convergence: how long a change in the files takes to reach traffic. Portico runs
 * in-process with the real HAProxy data plane, as the traffic tests run it
 * (test/traffic/harness.ts), with echo backends on a loopback /24 of its own.
 *
 *  (a) new route: with N routes already served, a new file holding one HTTPRoute (a hostname of
 *      its own, a catch-all rule to a Service already served) is written; measured from the end
 *      of the write to the first 200 from the new route's hostname. Only routing maps change, so
 *      it must go through the runtime API: no reload. Target at 5,000 routes: a quarter of what
 *      `haproxy -c` and a reload of the same configuration take, measured in the same run.
 *  (b) endpoint change: the EndpointSlice of one Service is rewritten to point at a second echo
 *      server; measured until a request reaches it. This must go through HAProxy's runtime API:
 *      the data plane's reload counter may not move.
 *
 * The probe is a fresh connection per request in a loop with nothing but a setImmediate between
 * requests. It and the echo servers run in a worker thread (bench/traffic-worker.ts), so Portico's
 * own work after a change reached HAProxy does not hold up the answer that proves it. Each edit also records when each stage ran, seen from outside src/: our own fs.watch
 * on the directory, the validator (first object validated), the translate function, the data
 * plane's apply, and the debug log lines HaproxyInstance writes after `haproxy -c` and after a
 * confirmed reload (they carry the duration). After the edits, the last IR is rendered and
 * checked again offline to split the apply step further.
 *
 * Run: npm run build && npm run bench:convergence
 * Env: BENCH_ROUTES=100,5000  BENCH_EDITS=20  BENCH_DEBOUNCE_MS=<quiet window; default: the one
 * `portico run` uses>
 */
import { spawn } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { mkdtempSync, rmSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino, type DestinationStream } from 'pino';
import { stringify } from 'yaml';
import type { KubeObject } from '../src/api/object.js';
import { resolveHaproxy } from '../src/haproxy/binary.js';
import { checkConfig } from '../src/haproxy/check.js';
import { HaproxyDataPlane } from '../src/haproxy/dataplane.js';
import { endpointCommands } from '../src/haproxy/endpoint-update.js';
import { defaultsSection, globalSection, instancePaths } from '../src/haproxy/instance-config.js';
import { MasterCli } from '../src/haproxy/master-cli.js';
import { renderGateway } from '../src/haproxy/render.js';
import type { IR } from '../src/ir/model.js';
import { translate } from '../src/pipeline/translate.js';
import { DEFAULT_DEBOUNCE_MS, type ObjectValidator } from '../src/providers/file/index.js';
import { startPortico, type RunningPortico } from '../src/runtime/app.js';
import type { DataPlane } from '../src/ir/data-plane.js';
import type { TranslateFn } from '../src/runtime/runtime.js';
import { Validator } from '../src/validation/index.js';
import { claimLoopbackPool, markdownTable, median, ms, percentile, sleep } from './support.js';
import type { TrafficWorkerReply, TrafficWorkerRequest } from './traffic-worker.js';

const ROUTE_COUNTS = (process.env.BENCH_ROUTES ?? '100,5000').split(',').map(Number);
const EDITS = Number(process.env.BENCH_EDITS ?? 20);
/** Edits made before measuring, so the JIT and the file cache are warm as in a long-running process. */
const WARMUP = 2;
const DEBOUNCE_MS = process.env.BENCH_DEBOUNCE_MS === undefined ? undefined : Number(process.env.BENCH_DEBOUNCE_MS);
/** FileProvider's default quiet window, which `portico run` uses; only for the printout. */
const PROVIDER_DEFAULT_DEBOUNCE_MS = DEFAULT_DEBOUNCE_MS;
/** Pause between edits once everything is idle: users do not edit back to back, and old workers drain. */
const SETTLE_MS = 300;
const ROUTES_PER_FILE = 100;
const TARGETS = { routeSmall: 100, endpoint: 50 };
const GW_PORT = 80;
const G = 'gateway.networking.k8s.io/v1';

/** When each stage of one edit ran (performance.now()); the first occurrence after the write counts. */
interface Marks {
  write: number;
  event?: number;
  load?: number;
  translateStart?: number;
  translateEnd?: number;
  applyStart?: number;
  checkStart?: number;
  checkEnd?: number;
  reloadStart?: number;
  reloadEnd?: number;
  applyEnd?: number;
  served?: number;
}

class Timeline {
  current: Marks | undefined;
  /** The file whose watch event we wait for. */
  file = '';
  applying = 0;
  lastIr: IR | undefined;
  /** Set while shutting down: HAProxy's workers being terminated are not worth a line on stderr. */
  quiet = false;

  mark(key: Exclude<keyof Marks, 'write'>, t = performance.now()): void {
    if (this.current && this.current[key] === undefined) this.current[key] = t;
  }
}

/** Times the wrapped data plane's apply; everything else is passed through. */
class TimedDataPlane implements DataPlane {
  constructor(
    readonly inner: HaproxyDataPlane,
    private readonly timeline: Timeline,
  ) {}

  get checkRule() {
    return this.inner.checkRule;
  }

  async apply(ir: IR) {
    this.timeline.applying++;
    this.timeline.mark('applyStart');
    try {
      return await this.inner.apply(ir);
    } finally {
      this.timeline.mark('applyEnd');
      this.timeline.applying--;
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/**
 * A debug-level logger whose lines are read as they are written: HaproxyInstance logs
 * "configuration checked" and "HAProxy reloaded" with the step's duration in `ms`, which gives
 * the start and end of `haproxy -c` and of the reload without touching src/. Warnings and errors
 * are passed on to stderr.
 */
function stageLogger(timeline: Timeline) {
  const destination: DestinationStream = {
    write(line: string) {
      const now = performance.now();
      let record: { msg?: unknown; ms?: unknown; level?: unknown };
      try {
        record = JSON.parse(line) as typeof record;
      } catch {
        return;
      }
      if (typeof record.ms === 'number') {
        if (record.msg === 'configuration checked') {
          timeline.mark('checkStart', now - record.ms);
          timeline.mark('checkEnd', now);
        } else if (record.msg === 'HAProxy reloaded') {
          timeline.mark('reloadStart', now - record.ms);
          timeline.mark('reloadEnd', now);
        }
      }
      if (typeof record.level === 'number' && record.level >= 40 && !timeline.quiet) process.stderr.write(line);
    },
  };
  return pino({ level: 'debug', base: { name: 'portico' } }, destination);
}

const yamlDocs = (objects: readonly KubeObject[]) => objects.map((o) => stringify(o)).join('---\n');

/** An echo server of the traffic worker. */
interface Echo {
  host: string;
  port: number;
  name: string;
}

/** What a probe waits for: a status, and for an endpoint change, the echo server that answers. */
interface Wanted {
  status: number;
  pod?: string;
}

/** Echo servers and probes in a worker thread (bench/traffic-worker.ts says why). */
async function startTrafficWorker(echo: { host: string; name: string }[]): Promise<{
  echo: Echo[];
  until: (address: string, port: number, host: string, wanted: Wanted, what: string) => Promise<number>;
  close: () => Promise<void>;
}> {
  const worker = new Worker(new URL('./traffic-worker.js', import.meta.url), { workerData: { echo } });
  const waiting = new Map<number, { resolve: (at: number) => void; reject: (err: Error) => void; what: string }>();
  let nextId = 0;
  const ready = new Promise<Echo[]>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (reply: TrafficWorkerReply) => {
      if (reply.type === 'ready') resolve(reply.echo);
      else {
        const w = waiting.get(reply.id);
        waiting.delete(reply.id);
        if (reply.type === 'answered') w?.resolve(reply.at - performance.timeOrigin);
        else w?.reject(new Error(`${w.what}: ${reply.message}`));
      }
    });
  });
  const started = await ready;
  const post = (m: TrafficWorkerRequest) => worker.postMessage(m);
  return {
    echo: started,
    until: (address, port, host, wanted, what) =>
      new Promise<number>((resolve, reject) => {
        const id = ++nextId;
        waiting.set(id, { resolve, reject, what });
        post({ type: 'probe', id, address, port, host, status: wanted.status, pod: wanted.pod, timeoutMs: 30_000 });
      }),
    close: async () => {
      post({ type: 'close' });
      await new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    },
  };
}

function service(name: string, echo: Echo): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { ports: [{ name: 'http', port: 80, targetPort: echo.port }] } };
}

function endpointSlice(serviceName: string, echo: Echo): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${serviceName}-1`, namespace: 'default', labels: { 'kubernetes.io/service-name': serviceName } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: echo.port }],
    endpoints: [{ addresses: [echo.host], conditions: { ready: true } }],
  };
}

/** The shape bench/throughput.ts uses: a hostname, a prefix rule with a header filter, a catch-all. */
function route(name: string, hostname: string, backend: string, i: number): KubeObject {
  return {
    apiVersion: G,
    kind: 'HTTPRoute',
    metadata: { name, namespace: 'default' },
    spec: {
      parentRefs: [{ name: 'gw' }],
      hostnames: [hostname],
      rules: [
        { matches: [{ path: { type: 'PathPrefix', value: `/api/${i}` } }], filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-route', value: String(i) }] } }], backendRefs: [{ name: backend, port: 80 }] },
        { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: backend, port: 80 }] },
      ],
    },
  };
}

/** A route that only routes: a hostname and a catch-all rule to an existing Service, no filter. */
function plainRoute(name: string, hostname: string, backend: string): KubeObject {
  return {
    apiVersion: G,
    kind: 'HTTPRoute',
    metadata: { name, namespace: 'default' },
    spec: { parentRefs: [{ name: 'gw' }], hostnames: [hostname], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: backend, port: 80 }] }] },
  };
}

interface EditResult {
  marks: Marks;
  reloads: number;
  runtimeUpdates: number;
}

interface SizeResult {
  routes: number;
  newRoute: EditResult[];
  endpoint: EditResult[];
  counters: { before: { reloads: number; runtimeUpdates: number }; after: { reloads: number; runtimeUpdates: number } };
  offline: { configBytes: number; mapFiles: number; renderMs: number; fingerprintMs: number; endpointDiffMs: number; checkMs: number; checkNoCaMs: number; reloadMs: number; reloadNoCaMs: number };
  startMs: number;
}

async function runSize(routes: number): Promise<SizeResult> {
  const cleanups: (() => void | Promise<void>)[] = [];
  const timeline = new Timeline();
  try {
    const { pool, prefix, release } = claimLoopbackPool(`bench/convergence/${routes}/${process.pid}`);
    cleanups.push(release);
    const dir = mkdtempSync(path.join(tmpdir(), 'portico-bench-conv-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    // HAProxy's socket paths must stay short (see the traffic harness).
    const stateDir = mkdtempSync(path.join(tmpdir(), 'pb'));
    cleanups.push(() => rmSync(stateDir, { recursive: true, force: true }));

    // echo serves every route; the moving Service's endpoint alternates between echo-a and
    // echo-b, on other addresses with the same port, as a Pod rescheduled elsewhere would. Its
    // endpoints never equal another Service's: the renderer shares one backend between rules
    // whose rendered bodies (servers included) are identical, so a Service that starts or stops
    // sharing its endpoints with another one changes the configuration's structure and reloads.
    const traffic = await startTrafficWorker([
      { host: `${prefix}.2`, name: 'echo' },
      { host: `${prefix}.3`, name: 'echo-a' },
      { host: `${prefix}.4`, name: 'echo-b' },
    ]);
    cleanups.push(() => traffic.close());
    const [echo, echoA, echoB] = traffic.echo as [Echo, Echo, Echo];
    const gwAddress = `${prefix}.1`;

    writeFileSync(
      path.join(dir, 'base.yaml'),
      yamlDocs([
        { apiVersion: G, kind: 'GatewayClass', metadata: { name: 'portico' }, spec: { controllerName: 'portico.dev/gateway-controller' } },
        {
          apiVersion: G,
          kind: 'Gateway',
          metadata: { name: 'gw', namespace: 'default' },
          spec: { gatewayClassName: 'portico', addresses: [{ type: 'IPAddress', value: gwAddress }], listeners: [{ name: 'http', port: GW_PORT, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } }] },
        },
        service('echo', echo),
        endpointSlice('echo', echo),
        service('moving', echoA),
        route('mover', 'mover.example.com', 'moving', -1),
      ]),
    );
    const movingSlice = path.join(dir, 'moving-slice.yaml');
    writeFileSync(movingSlice, yamlDocs([endpointSlice('moving', echoA)]));
    for (let f = 0; f * ROUTES_PER_FILE < routes; f++) {
      const batch: KubeObject[] = [];
      for (let i = f * ROUTES_PER_FILE; i < Math.min(routes, (f + 1) * ROUTES_PER_FILE); i++) batch.push(route(`r${i}`, `host-${i}.example.com`, 'echo', i));
      writeFileSync(path.join(dir, `routes-${String(f).padStart(3, '0')}.yaml`), yamlDocs(batch));
    }

    const logger = stageLogger(timeline);
    const haproxy = new HaproxyDataPlane({ stateDir, logger });
    const dataPlane = new TimedDataPlane(haproxy, timeline);
    const validator = new Validator();
    const timedValidator: ObjectValidator = {
      validate(obj) {
        timeline.mark('load');
        return validator.validate(obj);
      },
    };
    const timedTranslate: TranslateFn = (resources, options) => {
      timeline.mark('translateStart');
      const t = translate(resources, options);
      timeline.mark('translateEnd');
      timeline.lastIr = t.ir;
      return t;
    };
    const started = performance.now();
    const portico: RunningPortico = await startPortico({
      paths: [dir],
      admin: { host: '127.0.0.1', port: 0 },
      addressPool: pool,
      validator: timedValidator,
      logger,
      dataPlane,
      translate: timedTranslate,
      debounceMs: DEBOUNCE_MS,
    });
    let running = true;
    const stopPortico = async () => {
      if (running) await portico.close();
      running = false;
    };
    cleanups.push(stopPortico);
    await portico.ready;
    const watcher: FSWatcher = watch(dir, { persistent: false }, (_event, name) => {
      if (name !== null && path.join(dir, name.toString()) === timeline.file) timeline.mark('event');
    });
    cleanups.push(() => watcher.close());

    const until = (host: string, wanted: Wanted, what: string): Promise<number> => traffic.until(gwAddress, GW_PORT, host, wanted, what);
    const reachedBy = (target: Echo): Wanted => ({ status: 200, pod: target.name });

    if (routes > 0) await until('host-0.example.com', { status: 200 }, 'first route');
    await until('mover.example.com', reachedBy(echoA), 'mover via echo-a');
    const startMs = performance.now() - started;
    process.stderr.write(`  ${routes} routes: serving after ${ms(startMs)}\n`);

    /** Waits until no reload or apply is running or queued, then a little longer. */
    const settle = async () => {
      for (let quiet = 0; quiet < 3; ) {
        await sleep(20);
        quiet = portico.provider.idle && timeline.applying === 0 ? quiet + 1 : 0;
      }
      await sleep(SETTLE_MS);
    };
    const edit = async (file: string, text: string, host: string, wanted: Wanted): Promise<EditResult> => {
      await settle();
      const before = { ...haproxy.counters };
      timeline.file = file;
      writeFileSync(file, text);
      const marks: Marks = { write: performance.now() };
      timeline.current = marks;
      marks.served = await until(host, wanted, `${path.basename(file)} → ${host}`);
      await settle();
      timeline.current = undefined;
      return { marks, reloads: haproxy.counters.reloads - before.reloads, runtimeUpdates: haproxy.counters.runtimeUpdates - before.runtimeUpdates };
    };

    // (a) a new route in a file of its own, answering on its own hostname, to a Service already
    // served: only routing maps change, through the runtime API
    const newRoute: EditResult[] = [];
    for (let k = 0; k < WARMUP + EDITS; k++) {
      const name = `new-${k}`;
      const r = await edit(path.join(dir, `${name}.yaml`), yamlDocs([plainRoute(name, `${name}.example.com`, 'echo')]), `${name}.example.com`, { status: 200 });
      if (k >= WARMUP) newRoute.push(r);
      process.stderr.write(`  ${routes} routes: new route ${k + 1}/${WARMUP + EDITS}: ${ms((r.marks.served ?? 0) - r.marks.write)}\n`);
    }

    // (b) the moving Service's endpoint alternates between the two echo servers
    const counterBefore = { ...haproxy.counters };
    const endpoint: EditResult[] = [];
    let explained = false;
    for (let k = 0; k < WARMUP + EDITS; k++) {
      const target = k % 2 === 0 ? echoB : echoA;
      const irBefore = timeline.lastIr;
      const r = await edit(movingSlice, yamlDocs([endpointSlice('moving', target)]), 'mover.example.com', reachedBy(target));
      if (k >= WARMUP) endpoint.push(r);
      if (r.reloads > 0 && !explained) {
        explained = true;
        explainReload(irBefore, timeline.lastIr);
      }
      process.stderr.write(`  ${routes} routes: endpoint change ${k + 1}/${WARMUP + EDITS}: ${ms((r.marks.served ?? 0) - r.marks.write)}, reloads +${r.reloads}, runtime updates +${r.runtimeUpdates}\n`);
    }
    const counterAfter = { ...haproxy.counters };

    timeline.quiet = true;
    await stopPortico();
    const offline = await profileApply(timeline.lastIr, path.join(dir, 'offline'));
    return { routes, newRoute, endpoint, counters: { before: counterBefore, after: counterAfter }, offline, startMs };
  } finally {
    timeline.quiet = true;
    for (const fn of cleanups.reverse()) await fn();
  }
}

/** Why an endpoint-only change was not applied through the runtime API: what differs besides server lines. */
function explainReload(before: IR | undefined, after: IR | undefined): void {
  const gwBefore = before?.gateways[0];
  const gwAfter = after?.gateways[0];
  if (!gwBefore || !gwAfter) return;
  const options = { dir: '/state/current', globalLines: [], defaultsLines: [] };
  const a = renderGateway(gwBefore, options);
  const b = renderGateway(gwAfter, options);
  const lines: string[] = [];
  for (const name of new Set([...Object.keys(a.files), ...Object.keys(b.files)])) {
    if (a.files[name] !== b.files[name]) lines.push(`  file ${name} differs`);
  }
  const sa = a.model.sections;
  const sb = b.model.sections;
  if (sa.length !== sb.length) lines.push(`  ${sa.length} sections before, ${sb.length} after`);
  for (let i = 0; i < Math.min(sa.length, sb.length) && lines.length < 12; i++) {
    const [x, y] = [sa[i], sb[i]];
    if (x && y && JSON.stringify({ ...x, comment: '', pool: x.pool?.perRef }) !== JSON.stringify({ ...y, comment: '', pool: y.pool?.perRef })) {
      lines.push(`  section ${i + 1}: ${x.keyword} ${x.name ?? ''} / ${y.keyword} ${y.name ?? ''} differ`);
    }
  }
  const commands = endpointCommands(a.model, b.model);
  process.stderr.write(`  an endpoint change reloaded HAProxy; endpointCommands: ${JSON.stringify(commands)}; differences:\n${lines.join('\n') || '  none in the rendering (the data plane declined for another reason)'}\n`);
}

/**
 * The apply step split further, offline, on the last IR: render, the fingerprint the data plane
 * compares (JSON.stringify of the rendering), the endpoint-only diff (endpointCommands), then
 * `haproxy -c` and a reload of a standalone HAProxy on the same files, each also with
 * `httpclient.ssl.verify none`: HAProxy 2.6 loads the system CA store at every start, so in every
 * `haproxy -c` and every reload, for its internal HTTP client, which Portico does not use.
 * Portico must be stopped first: the standalone HAProxy binds the Gateway's address.
 */
async function profileApply(ir: IR | undefined, dir: string): Promise<SizeResult['offline']> {
  const gw = ir?.gateways[0];
  if (!gw) throw new Error('no Gateway in the last IR');
  const binary = (await resolveHaproxy()).path;
  const variant = async (name: string, extraGlobal: string[]) => {
    const sub = path.join(dir, name);
    const options = { dir: instancePaths(sub).current, globalLines: [...globalSection(sub), ...extraGlobal], defaultsLines: defaultsSection() };
    const rendered = renderGateway(gw, options);
    await mkdir(options.dir, { recursive: true });
    await Promise.all(Object.entries(rendered.files).map(([file, text]) => writeFile(path.join(options.dir, file), text)));
    const config = instancePaths(sub).config;
    await writeFile(config, rendered.config);
    const checkMs = await timeMedian(3, async () => {
      const r = await checkConfig(binary, config, 60_000);
      if (!r.ok) throw new Error(`haproxy -c refused the offline copy: ${r.message}`);
    });
    const reloadMs = await timeReloads(binary, sub, 5);
    return { options, rendered, checkMs, reloadMs };
  };
  const plain = await variant('plain', []);
  const noCa = await variant('no-ca', ['httpclient.ssl.verify none']);
  const { options, rendered } = plain;
  // A second rendering: the diff compares two models that share nothing, as after a full translation.
  const again = renderGateway(gw, options);
  return {
    configBytes: Buffer.byteLength(rendered.config),
    mapFiles: Object.keys(rendered.files).length,
    renderMs: await timeMedian(3, () => renderGateway(gw, options)),
    fingerprintMs: await timeMedian(3, () => JSON.stringify([rendered.config, rendered.files])),
    endpointDiffMs: await timeMedian(3, () => endpointCommands(rendered.model, again.model)),
    checkMs: plain.checkMs,
    checkNoCaMs: noCa.checkMs,
    reloadMs: plain.reloadMs,
    reloadNoCaMs: noCa.reloadMs,
  };
}

async function timeMedian(runs: number, fn: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/**
 * Starts a master-worker HAProxy on `dir`'s haproxy.cfg and times `reload` through the master
 * CLI until a new worker answers, the way HaproxyInstance confirms a reload, but polling every
 * 2 ms instead of 10 so the number is HAProxy's own. Median of `count`.
 */
async function timeReloads(binary: string, dir: string, count: number): Promise<number> {
  const paths = instancePaths(dir);
  const child = spawn(binary, ['-W', '-S', `${paths.master},mode,600`, '-f', paths.config], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const cli = new MasterCli(paths.master);
  const newWorker = async (previous: ReadonlySet<number>, what: string): Promise<void> => {
    const deadline = performance.now() + 30_000;
    for (;;) {
      const fresh = (await cli.showProc())?.workers.find((w) => !previous.has(w.pid));
      if (fresh && (await cli.workerAnswers(fresh.pid))) return;
      if (performance.now() > deadline || child.exitCode !== null) throw new Error(`standalone HAProxy: no ${what}`);
      await sleep(2);
    }
  };
  try {
    await newWorker(new Set(), 'first worker');
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      await sleep(200);
      const before = new Set((await cli.showProc())?.workers.map((w) => w.pid));
      const t0 = performance.now();
      // HAProxy 2.6 closes the connection without an answer while the master re-executes itself.
      await cli.command('reload', 10_000).catch(() => undefined);
      await newWorker(before, 'worker after reload');
      times.push(performance.now() - t0);
    }
    return median(times);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

const span = (from: number | undefined, to: number | undefined): number => (from === undefined || to === undefined ? Number.NaN : to - from);

/** Median of a stage over the edits; edits where a stage was not seen are left out. */
function stage(results: readonly EditResult[], from: (m: Marks) => number | undefined, to: (m: Marks) => number | undefined): string {
  const values = results.map((r) => span(from(r.marks), to(r.marks))).filter(Number.isFinite);
  return values.length === 0 ? 'n/a' : ms(median(values));
}

function totals(results: readonly EditResult[]): number[] {
  return results.map((r) => span(r.marks.write, r.marks.served));
}

async function main(): Promise<void> {
  const debounceText = DEBOUNCE_MS === undefined ? `${PROVIDER_DEFAULT_DEBOUNCE_MS} ms (portico run's default)` : `${DEBOUNCE_MS} ms (BENCH_DEBOUNCE_MS)`;
  console.log(`bench/convergence: ${EDITS} edit(s) per measurement after ${WARMUP} warm-up edits; file watcher quiet window ${debounceText}`);
  const results: SizeResult[] = [];
  for (const routes of ROUTE_COUNTS) results.push(await runSize(routes));

  const rows: string[][] = [];
  for (const r of results) {
    const t = totals(r.newRoute);
    // Large sets: a quarter of what `haproxy -c` and a reload of the same configuration take, measured in this run.
    const target = r.routes <= 100 ? TARGETS.routeSmall : 0.25 * (r.offline.checkNoCaMs + r.offline.reloadNoCaMs);
    const reloadsOk = r.newRoute.every((e) => e.reloads === 0);
    rows.push([
      'file edit → new route answers',
      r.routes.toLocaleString('en-US'),
      ms(percentile(t, 0.5)),
      ms(percentile(t, 0.9)),
      ms(Math.max(...t)),
      `p50 ≤ ${ms(target)}`,
      `${percentile(t, 0.5) <= target ? '✔' : '✘'}${reloadsOk ? ' (0 reloads)' : ' (reloaded)'}`,
    ]);
  }
  for (const r of results) {
    const t = totals(r.endpoint);
    const reloads = r.counters.after.reloads - r.counters.before.reloads;
    const updates = r.counters.after.runtimeUpdates - r.counters.before.runtimeUpdates;
    const ok = percentile(t, 0.5) <= TARGETS.endpoint && reloads === 0 && updates > 0;
    rows.push([
      'EndpointSlice edit → new endpoint served',
      r.routes.toLocaleString('en-US'),
      ms(percentile(t, 0.5)),
      ms(percentile(t, 0.9)),
      ms(Math.max(...t)),
      `p50 ≤ ${ms(TARGETS.endpoint)}, 0 reloads`,
      `${ok ? '✔' : '✘'} (reloads +${reloads}, runtime updates +${updates})`,
    ]);
  }
  console.log(`\n### Convergence, ${EDITS} edit(s) each, watcher quiet window ${debounceText}\n`);
  console.log(markdownTable(['change', 'routes present', 'p50', 'p90', 'max', 'target', 'met'], rows));

  const header = ['stage (median)', ...results.map((r) => `new route, ${r.routes.toLocaleString('en-US')}`), ...results.map((r) => `endpoint, ${r.routes.toLocaleString('en-US')}`)];
  const both = [...results.map((r) => r.newRoute), ...results.map((r) => r.endpoint)];
  const stageRow = (name: string, from: (m: Marks) => number | undefined, to: (m: Marks) => number | undefined) => [name, ...both.map((e) => stage(e, from, to))];
  const stages = [
    stageRow('file written → watch event', (m) => m.write, (m) => m.event),
    stageRow('watch event → first object validated (quiet window, stat, read, parse)', (m) => m.event, (m) => m.load),
    stageRow('→ translate starts (validate, merge, snapshot)', (m) => m.load, (m) => m.translateStart),
    stageRow('translate', (m) => m.translateStart, (m) => m.translateEnd),
    stageRow('→ data plane apply starts, without a translation (validate, merge, snapshot, endpoint patch)', (m) => (m.translateStart === undefined ? m.load : undefined), (m) => m.applyStart),
    stageRow('data plane apply, without a translation (until it resolves)', (m) => (m.translateStart === undefined ? m.applyStart : undefined), (m) => m.applyEnd),
    stageRow('apply: render, compare, write generation (until haproxy -c)', (m) => m.translateEnd, (m) => m.checkStart),
    stageRow('apply: haproxy -c', (m) => m.checkStart, (m) => m.checkEnd),
    stageRow('apply: install, reload until the new worker is confirmed', (m) => m.checkEnd, (m) => m.reloadEnd),
    stageRow('apply: everything (translate end → apply resolved)', (m) => m.translateEnd, (m) => m.applyEnd),
    stageRow('reload sent → first answer from the change', (m) => m.reloadStart, (m) => m.served),
    stageRow('apply resolved → first answer from the change', (m) => m.applyEnd, (m) => m.served),
    stageRow('**file written → first answer from the change**', (m) => m.write, (m) => m.served),
  ];
  console.log('\nWhere the time goes (medians over the edits; a stage the change does not go through shows n/a):\n');
  console.log(markdownTable(header, stages));

  console.log('\nThe apply step offline, on the last IR (medians of 3; reloads of a standalone HAProxy, median of 5):\n');
  console.log(
    markdownTable(
      ['routes', 'haproxy.cfg', 'renderGateway', 'JSON.stringify fingerprint', 'endpointCommands diff', 'haproxy -c', 'same, httpclient.ssl.verify none', 'reload until new worker answers', 'same, httpclient.ssl.verify none'],
      results.map((r) => [
        r.routes.toLocaleString('en-US'),
        `${(r.offline.configBytes / 1024).toFixed(0)} KiB, ${r.offline.mapFiles} map files`,
        ms(r.offline.renderMs),
        ms(r.offline.fingerprintMs),
        ms(r.offline.endpointDiffMs),
        ms(r.offline.checkMs),
        ms(r.offline.checkNoCaMs),
        ms(r.offline.reloadMs),
        ms(r.offline.reloadNoCaMs),
      ]),
    ),
  );
  console.log('\nData plane counters over the endpoint edits:');
  for (const r of results) {
    console.log(`  ${r.routes} routes: reloads ${r.counters.before.reloads} → ${r.counters.after.reloads}, runtimeUpdates ${r.counters.before.runtimeUpdates} → ${r.counters.after.runtimeUpdates}`);
  }
  const failedEndpoint = results.filter((r) => r.counters.after.reloads !== r.counters.before.reloads || r.counters.after.runtimeUpdates <= r.counters.before.runtimeUpdates);
  if (failedEndpoint.length > 0) {
    console.error(`endpoint changes did not go through the runtime API alone at ${failedEndpoint.map((r) => r.routes).join(', ')} routes`);
    process.exitCode = 1;
  }
}

await main();
