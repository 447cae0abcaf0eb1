/**
 * bench/request-cost: CPU instructions HAProxy spends per proxied request, counted by valgrind's
 * callgrind, for Portico's rendered configuration of each route shape of bench/proxy-set.ts
 * (basic, canary, mixed) at 10 and 5,000 routes, and for a minimal hand-written configuration to
 * the same backend (the baseline). Instruction counts do not depend on what else the machine is
 * doing, so the ratios are repeatable where wrk's requests per second are not.
 *
 * The requests cycle through the shape's list, one per rule of the route in the middle of the set
 * (the baseline gets the same list). Each configuration runs twice, with N and 2N requests on one
 * keep-alive connection, counted from the moment HAProxy answers (callgrind_control --zero) until
 * it exits; the difference divided by N is the cost of one request, start-up and shutdown
 * excluded. N is rounded up to whole cycles of the list, so both runs send the same mix.
 *
 * The configuration is rendered here with renderGateway and the global and defaults lines the
 * data plane adds, plus `nbthread 1`: callgrind serialises threads, and one thread's instruction
 * count is what is compared (bench/throughput runs the shipped process with all threads).
 *
 * Needs haproxy and valgrind (with its callgrind_control). Run: npm run build && node dist/bench/request-cost.js
 * Env: BENCH_REQUESTS=1000 (N)  BENCH_SHAPES=basic,canary,mixed  BENCH_ROUTES=10,5000 (the
 *      growth ratio is the largest count over the smallest)  BENCH_START_TIMEOUT=300 seconds for
 *      HAProxy to answer under valgrind  BENCH_KEEP=1 keeps the callgrind files
 *      BENCH_ROUTE_METRICS=0 (default), 1 (rendered with routeMetrics, as `--route-metrics` does),
 *      both (each Portico configuration twice, without and with), hist (with latency histograms,
 *      as `--route-latency-histograms`) or all (without, with, with histograms)
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findExecutable, resolveHaproxy } from '../src/haproxy/binary.js';
import { defaultsSection, globalSection } from '../src/haproxy/instance-config.js';
import { renderGateway } from '../src/haproxy/render.js';
import { DEFAULT_LATENCY_BUCKETS_MS } from '../src/haproxy/route-metrics.js';
import { translate } from '../src/pipeline/translate.js';
import { ResourceSet } from '../src/store/resources.js';
import {
  PROXY_BENCH_BACKEND_CONFIG,
  PROXY_BENCH_SHAPES,
  isProxyBenchShape,
  proxyBenchBaselineConfig,
  proxyBenchObjects,
  proxyBenchRequests,
  type BenchRequest,
  type ProxyBenchShape,
} from './proxy-set.js';
import { markdownTable } from './support.js';
import { waitFor } from '../test/support/fs-wait.js';
import { haproxyRuleProblem } from '../src/haproxy/capabilities.js';

const N = Number(process.env.BENCH_REQUESTS ?? 1000);
const SHAPES = (process.env.BENCH_SHAPES ?? PROXY_BENCH_SHAPES.join(',')).split(',').map((s) => s.trim());
const ROUTE_COUNTS = (process.env.BENCH_ROUTES ?? '10,5000').split(',').map(Number);
const START_TIMEOUT_MS = Number(process.env.BENCH_START_TIMEOUT ?? 300) * 1000;
const ROUTE_METRICS = process.env.BENCH_ROUTE_METRICS ?? '0';
/** The growth of the cost per request from 10 to 5,000 routes must stay within this. */
const GROWTH_TARGET = 1.15;
const PORTICO = '127.0.92.1';
const BASELINE = '127.0.93.1';

function writeConfig(dir: string, name: string, config: string, files: Record<string, string> = {}): string {
  const sub = path.join(dir, name);
  mkdirSync(sub, { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(path.join(sub, f), text);
  writeFileSync(path.join(sub, 'haproxy.cfg'), config);
  return path.join(sub, 'haproxy.cfg');
}

function get(agent: http.Agent, address: string, req: BenchRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    const r = http.get({ host: address, port: 80, path: req.path, headers: { ...req.headers, host: req.host }, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    r.on('error', reject);
  });
}

async function untilAnswering(address: string, req: BenchRequest): Promise<void> {
  // Not listening yet (an error) or another answer than 200: tried again until the deadline.
  const answers200 = async (): Promise<boolean> => {
    const agent = new http.Agent({ keepAlive: false });
    try {
      return (await get(agent, address, req)) === 200;
    } finally {
      agent.destroy();
    }
  };
  await waitFor(`${address} answering 200 under valgrind`, answers200, START_TIMEOUT_MS, { intervalMs: 100, retryErrors: true });
}

interface Subject {
  config: string;
  address: string;
  requests: readonly BenchRequest[];
}

interface Tools {
  haproxy: string;
  valgrind: string;
  callgrindControl: string;
  /** vgdb's prefix of our own, so callgrind_control never reaches another valgrind on the machine. */
  vgdbPrefix: string;
}

/**
 * Instructions of one HAProxy process from the moment it answered until it exited, having served
 * `count` requests. Counting starts there (callgrind_control --zero) because start-up alone is
 * about 2 billion instructions at 5,000 routes and varies by several million from one start to
 * the next (Lua seeds its string hashes afresh in every process): the difference of two runs
 * would be that noise more than the requests.
 */
async function instructions(tools: Tools, s: Subject, count: number, out: string): Promise<number> {
  const child: ChildProcess = spawn(tools.valgrind, ['--tool=callgrind', `--callgrind-out-file=${out}`, `--vgdb-prefix=${tools.vgdbPrefix}`, tools.haproxy, '-db', '-f', s.config], { stdio: 'ignore' });
  try {
    await untilAnswering(s.address, s.requests[0] as BenchRequest);
    const zero = spawnSync(tools.callgrindControl, [`--vgdb-prefix=${tools.vgdbPrefix}`, '--zero', String(child.pid)], { encoding: 'utf8', timeout: 60_000 });
    if (zero.error || zero.status !== 0) throw new Error(`callgrind_control --zero ${child.pid} failed: ${zero.error?.message ?? zero.stdout + zero.stderr}`);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    for (let i = 0; i < count; i++) {
      const req = s.requests[i % s.requests.length] as BenchRequest;
      const status = await get(agent, s.address, req);
      if (status !== 200) throw new Error(`${s.address} ${req.path} (Host ${req.host}, ${JSON.stringify(req.headers)}): ${status}`);
    }
    agent.destroy();
  } finally {
    child.kill('SIGUSR1'); // soft stop: HAProxy exits cleanly, so callgrind writes its counts
    await new Promise((r) => child.once('exit', r));
  }
  const summary = /^summary:\s+(\d+)/m.exec(readFileSync(out, 'utf8'));
  if (!summary) throw new Error(`no callgrind summary in ${out}`);
  return Number(summary[1]);
}

async function perRequest(tools: Tools, dir: string, name: string, s: Subject): Promise<number> {
  const cycle = s.requests.length;
  const n = Math.ceil(N / cycle) * cycle;
  const once = await instructions(tools, s, n, path.join(dir, `${name}.1.out`));
  const twice = await instructions(tools, s, 2 * n, path.join(dir, `${name}.2.out`));
  return (twice - once) / n;
}

type MetricsMode = 'none' | 'metrics' | 'histograms';
const MODES: Record<string, MetricsMode[]> = { '0': ['none'], '1': ['metrics'], both: ['none', 'metrics'], hist: ['histograms'], all: ['none', 'metrics', 'histograms'] };
const MODE_LABEL: Record<MetricsMode, string> = { none: '', metrics: ' + route metrics', histograms: ' + route metrics and latency histograms' };

function portico(dir: string, shape: ProxyBenchShape, routes: number, mode: MetricsMode): Subject {
  const gw = translate(new ResourceSet(proxyBenchObjects(shape, routes, { address: PORTICO })), { addressPool: '127.0.92.0/29', checkRule: haproxyRuleProblem }).ir.gateways[0];
  if (!gw) throw new Error('no Gateway in the IR');
  const name = `portico-${shape}-${routes}-${mode}`;
  const sub = path.join(dir, name);
  const rendered = renderGateway(gw, {
    dir: sub,
    globalLines: [...globalSection(sub), 'nbthread 1'],
    defaultsLines: defaultsSection(),
    routeMetrics: mode !== 'none',
    ...(mode === 'histograms' ? { routeLatencyBucketsMs: DEFAULT_LATENCY_BUCKETS_MS } : {}),
  });
  return { config: writeConfig(dir, name, rendered.config, rendered.files), address: PORTICO, requests: proxyBenchRequests(shape, routes) };
}

async function main(): Promise<void> {
  const unknown = SHAPES.filter((s) => !isProxyBenchShape(s));
  if (unknown.length > 0) throw new Error(`BENCH_SHAPES: unknown shape ${unknown.join(', ')}; known: ${PROXY_BENCH_SHAPES.join(', ')}`);
  if (ROUTE_COUNTS.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`BENCH_ROUTES: positive integers separated by commas, not "${process.env.BENCH_ROUTES}"`);
  const shapes = SHAPES.filter(isProxyBenchShape);
  const valgrind = findExecutable('valgrind');
  const callgrindControl = findExecutable('callgrind_control');
  if (!valgrind || !callgrindControl || spawnSync(valgrind, ['--version']).error) throw new Error('valgrind is not installed: apt-get install valgrind');
  const haproxy = (await resolveHaproxy()).path;
  const dir = mkdtempSync(path.join(tmpdir(), 'portico-cost-'));
  const tools: Tools = { haproxy, valgrind, callgrindControl, vgdbPrefix: path.join(dir, 'vgdb') };
  const backend = spawn(haproxy, ['-db', '-f', writeConfig(dir, 'backend', PROXY_BENCH_BACKEND_CONFIG)], { stdio: 'ignore' });
  const fewest = Math.min(...ROUTE_COUNTS);
  const most = Math.max(...ROUTE_COUNTS);
  try {
    const baselineConfig = writeConfig(dir, 'baseline', proxyBenchBaselineConfig(`${BASELINE}:80`));
    console.log(`bench/request-cost: callgrind instructions per request (N vs 2N requests on one keep-alive connection, N ≈ ${N}); shapes ${shapes.join(', ')}; routes ${ROUTE_COUNTS.join(', ')}`);
    const rows: string[][] = [];
    const growth: string[][] = [];
    for (const shape of shapes) {
      // The baseline answers anything; it gets the shape's own requests so both sides parse the same bytes.
      const baseline = await perRequest(tools, dir, `baseline-${shape}`, { config: baselineConfig, address: BASELINE, requests: proxyBenchRequests(shape, fewest) });
      console.log(`  ${shape}: baseline ${Math.round(baseline).toLocaleString('en')} instructions per request`);
      rows.push([shape, 'minimal config (baseline)', Math.round(baseline).toLocaleString('en'), '1.00×']);
      const costs = new Map<number, number>();
      for (const routes of ROUTE_COUNTS) {
        const modes = MODES[ROUTE_METRICS];
        if (!modes) throw new Error(`BENCH_ROUTE_METRICS: one of ${Object.keys(MODES).join(', ')}`);
        for (const mode of modes) {
          const what = `Portico${MODE_LABEL[mode]}, ${routes.toLocaleString('en')} routes`;
          const cost = await perRequest(tools, dir, `portico-${shape}-${routes}-${mode}`, portico(dir, shape, routes, mode));
          // The growth target is judged on the first configuration of the list (without metrics when measured).
          if (mode === modes[0]) costs.set(routes, cost);
          console.log(`  ${shape}: ${what} ${Math.round(cost).toLocaleString('en')} instructions per request`);
          rows.push([shape, what, Math.round(cost).toLocaleString('en'), `${(cost / baseline).toFixed(2)}×`]);
        }
      }
      if (most > fewest) {
        const ratio = (costs.get(most) as number) / (costs.get(fewest) as number);
        growth.push([shape, `${ratio.toFixed(2)}×`, `≤ ${GROWTH_TARGET.toFixed(2)} ${ratio <= GROWTH_TARGET ? '✔' : '✘'}`]);
      }
    }
    console.log(`\n### Instructions per request (callgrind, one thread)\n`);
    console.log(markdownTable(['shape', 'configuration', 'instructions per request', 'vs baseline'], rows));
    if (growth.length > 0) {
      console.log(`\n### Growth with the number of routes: ${most.toLocaleString('en')} / ${fewest.toLocaleString('en')} routes\n`);
      console.log(markdownTable(['shape', `${most.toLocaleString('en')} / ${fewest.toLocaleString('en')} routes`, 'target'], growth));
      console.log(`\nTarget: ≤ ${GROWTH_TARGET.toFixed(2)}× from 10 to 5,000 routes.`);
    }
  } finally {
    backend.kill();
    // BENCH_KEEP=1 keeps the callgrind files, for callgrind_annotate.
    if (process.env.BENCH_KEEP === '1') console.log(`callgrind files kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

await main();
