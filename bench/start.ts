/**
 * bench/start: how long `portico run` takes from spawn to serving traffic, and how much memory
 * its Node process holds then, on N HTTPRoutes of the canary shape (bench/proxy-set.ts: per
 * route its own hostname, an Exact path; a PathPrefix with a header match split 90/10; a
 * PathPrefix with a RequestHeaderModifier; a catch-all with a ResponseHeaderModifier), written
 * as YAML files as a user would have them.
 *
 * The shipped process is measured: `node bin/portico.js run -f <dir>` is spawned and a request
 * for the middle route's catch-all is sent in a loop until the answer is a 200 carrying the
 * route's own `x-served-by` response header, so it went through that route. Then the Node
 * process's VmRSS and VmHWM (peak) are read from /proc/<pid>/status.
 *
 * Baselines, measured in the same run:
 *  - HAProxy alone, started on the configuration Portico rendered (copied from its state
 *    directory after it stopped), until the same request is answered the same way: what any
 *    HAProxy-based Portico must pay at least;
 *  - an idle `node` process (`node -e` with a timer): start time until it says it runs, and its RSS.
 *
 * Echo backend: an HTTP server in this process answering 200 on a loopback /24 of its own.
 * Targets (issue): at 1,000 routes, serving within 2 s and at most 150 MiB RSS.
 *
 * Run: npm run build && node dist/bench/start.js
 * Env: BENCH_ROUTES=1000  BENCH_ROUNDS=3  BENCH_KEEP=1 (keep the files)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import type { KubeObject } from '../src/api/object.js';
import { resolveHaproxy } from '../src/haproxy/binary.js';
import { freePort } from '../test/support/free-port.js';
import { proxyBenchObjects } from './proxy-set.js';
import { claimLoopbackPool, markdownTable, median, ms, probe, sleep } from './support.js';

const ROUTES = Number(process.env.BENCH_ROUTES ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ROUTES_PER_FILE = 500;
const DEADLINE_MS = 60_000;
const TARGET = { servingMs: 2000, rssMiB: 150 };
const PORTICO_BIN = fileURLToPath(new URL('../../bin/portico.js', import.meta.url));
const GATEWAY_PORT = 80;

interface Memory {
  rssMiB: number;
  hwmMiB: number;
}

/** VmRSS and VmHWM of a live process, in MiB. */
function memoryOf(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMiB: kib('VmRSS') / 1024, hwmMiB: kib('VmHWM') / 1024 };
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (exited(child)) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await gone;
  clearTimeout(timer);
}

/**
 * Polls the route's catch-all until it answers 200 with the route's own response header; the time
 * from `started` to that answer. Fails at the deadline or when the process exits.
 */
async function untilServed(what: string, child: ChildProcess, started: number, address: string, host: string, marker: string): Promise<number> {
  while (performance.now() - started < DEADLINE_MS) {
    if (exited(child)) throw new Error(`${what} exited (code ${child.exitCode}, signal ${child.signalCode}) before serving`);
    const answer = await probe(address, GATEWAY_PORT, host, '/other', 1000);
    if (answer.status === 200 && answer.text.toLowerCase().includes(marker)) return performance.now() - started;
    await sleep(5);
  }
  throw new Error(`${what} did not serve ${host} within ${DEADLINE_MS / 1000} s`);
}

function writeManifests(dir: string, objects: readonly KubeObject[]): void {
  mkdirSync(dir, { recursive: true });
  const yamlDocs = (list: readonly KubeObject[]) => list.map((o) => stringify(o)).join('---\n');
  const routes = objects.filter((o) => o.kind === 'HTTPRoute');
  writeFileSync(path.join(dir, 'gateway.yaml'), yamlDocs(objects.filter((o) => o.kind !== 'HTTPRoute')));
  for (let i = 0; i < routes.length; i += ROUTES_PER_FILE) {
    writeFileSync(path.join(dir, `routes-${String(i / ROUTES_PER_FILE).padStart(3, '0')}.yaml`), yamlDocs(routes.slice(i, i + ROUTES_PER_FILE)));
  }
}

/** The canary objects with every endpoint moved to our echo server. */
function objectsFor(gatewayAddress: string, backend: { host: string; port: number }): KubeObject[] {
  return proxyBenchObjects('canary', ROUTES, { address: gatewayAddress }).map((o) => {
    if (o.kind !== 'EndpointSlice') return o;
    return { ...o, ports: [{ name: 'http', port: backend.port }], endpoints: [{ addresses: [backend.host] }] } as KubeObject;
  });
}

interface PorticoRun {
  servingMs: number;
  memory: Memory;
  /** Where Portico's HAProxy configuration was copied to, for the baseline. */
  config: string;
}

async function runPortico(dir: string, round: number, manifests: string, haproxy: string, pool: string, gatewayAddress: string, host: string, marker: string): Promise<PorticoRun> {
  const stateDir = path.join(dir, `state-${round}`);
  const logFile = path.join(dir, `portico-${round}.log`);
  const admin = await freePort();
  const log: Buffer[] = [];
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [PORTICO_BIN, 'run', '-f', manifests, '--admin', `127.0.0.1:${admin}`, '--address-pool', pool, '--state-dir', stateDir, '--haproxy', haproxy, '--log-level', 'warn'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (c: Buffer) => log.push(c));
  child.stderr?.on('data', (c: Buffer) => log.push(c));
  try {
    const servingMs = await untilServed('portico run', child, started, gatewayAddress, host, marker);
    const memory = memoryOf(child.pid as number);
    // What the baseline HAProxy starts from (configuration, maps, Lua), copied while Portico
    // still runs: it removes its Gateway directories when it stops. Sockets are made anew.
    const cfg = readdirSync(stateDir, { recursive: true, encoding: 'utf8' }).find((f) => f.endsWith('.cfg') && !f.includes('scratch'));
    if (!cfg) throw new Error(`no HAProxy configuration under ${stateDir}`);
    cpSync(stateDir, `${stateDir}.copy`, { recursive: true, filter: (src) => !lstatSync(src).isSocket() });
    return { servingMs, memory, config: path.join(stateDir, cfg) };
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${Buffer.concat(log).toString('utf8').slice(-4000)}`);
  } finally {
    await stop(child);
    writeFileSync(logFile, Buffer.concat(log));
    // Back where the configuration's paths point.
    rmSync(stateDir, { recursive: true, force: true });
    renameSync(`${stateDir}.copy`, stateDir);
  }
}

/**
 * HAProxy alone on Portico's rendered configuration. Its global section points at Portico's
 * state directory for sockets and files (maps, Lua), which stay in place after Portico stops.
 */
async function runHaproxy(haproxy: string, config: string, gatewayAddress: string, host: string, marker: string): Promise<number> {
  const started = performance.now();
  const child = spawn(haproxy, ['-db', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  const err: Buffer[] = [];
  child.stderr?.on('data', (c: Buffer) => err.push(c));
  try {
    return await untilServed('haproxy', child, started, gatewayAddress, host, marker);
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${Buffer.concat(err).toString('utf8').slice(-2000)}`);
  } finally {
    await stop(child);
  }
}

/** An idle Node process: time until it has run its first line, and its RSS then. */
async function runIdleNode(): Promise<{ startMs: number; memory: Memory }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['-e', 'process.stdout.write("up\\n"); setInterval(() => {}, 1000);'], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', () => reject(new Error('idle node exited')));
  });
  const startMs = performance.now() - started;
  await sleep(200);
  const memory = memoryOf(child.pid as number);
  await stop(child);
  return { startMs, memory };
}

async function main(): Promise<void> {
  const haproxy = (await resolveHaproxy()).path;
  const claim = claimLoopbackPool('bench-start');
  const dir = mkdtempSync(path.join(tmpdir(), 'portico-bench-start-'));
  const backend = http.createServer((_req, res) => res.end('ok'));
  try {
    const backendAddress = { host: `${claim.prefix}.100`, port: 0 };
    await new Promise<void>((resolve) => backend.listen(0, backendAddress.host, resolve));
    backendAddress.port = (backend.address() as { port: number }).port;
    const gatewayAddress = `${claim.prefix}.1`;
    const pool = `${claim.prefix}.0/29`;
    const manifests = path.join(dir, 'manifests');
    writeManifests(manifests, objectsFor(gatewayAddress, backendAddress));
    const middle = Math.floor(ROUTES / 2);
    const host = `host-${middle}.example.com`;
    const marker = `x-served-by: route-${middle}`;

    console.log(`bench/start: portico run on ${ROUTES.toLocaleString('en-US')} HTTPRoutes (canary shape, ${Math.ceil(ROUTES / ROUTES_PER_FILE)} route files), ${ROUNDS} rounds`);
    const portico: PorticoRun[] = [];
    const bare: number[] = [];
    const idle: { startMs: number; memory: Memory }[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const run = await runPortico(dir, round, manifests, haproxy, pool, gatewayAddress, host, marker);
      portico.push(run);
      const bareMs = await runHaproxy(haproxy, run.config, gatewayAddress, host, marker);
      bare.push(bareMs);
      const node = await runIdleNode();
      idle.push(node);
      console.log(
        `  round ${round}: portico serving after ${ms(run.servingMs)}, RSS ${run.memory.rssMiB.toFixed(0)} MiB (peak ${run.memory.hwmMiB.toFixed(0)} MiB); ` +
          `haproxy alone ${ms(bareMs)}; idle node ${ms(node.startMs)}, ${node.memory.rssMiB.toFixed(0)} MiB`,
      );
    }
    const servingMs = median(portico.map((r) => r.servingMs));
    const rss = median(portico.map((r) => r.memory.rssMiB));
    const hwm = median(portico.map((r) => r.memory.hwmMiB));
    const bareMs = median(bare);
    const idleMs = median(idle.map((r) => r.startMs));
    const idleRss = median(idle.map((r) => r.memory.rssMiB));
    console.log(`\n### Cold start of \`portico run\`, ${ROUTES.toLocaleString('en-US')} HTTPRoutes (canary shape), median of ${ROUNDS}\n`);
    console.log(
      markdownTable(
        ['measure', 'Portico', 'baseline', 'ratio', 'target'],
        [
          ['spawn → first answer through the route', ms(servingMs), `${ms(bareMs)} (haproxy alone, same config)`, `${(servingMs / bareMs).toFixed(1)}×`, `≤ ${ms(TARGET.servingMs)} ${servingMs <= TARGET.servingMs ? '✔' : '✘'}`],
          ['Node RSS when serving', `${rss.toFixed(0)} MiB`, `${idleRss.toFixed(0)} MiB (idle node)`, `${(rss / idleRss).toFixed(1)}×`, `≤ ${TARGET.rssMiB} MiB ${rss <= TARGET.rssMiB ? '✔' : '✘'}`],
          ['Node peak RSS (VmHWM)', `${hwm.toFixed(0)} MiB`, '', '', ''],
          ['idle node start', '', ms(idleMs), '', ''],
        ],
      ),
    );
  } finally {
    await new Promise<void>((resolve) => backend.close(() => resolve()));
    claim.release();
    if (process.env.BENCH_KEEP === '1') console.log(`files kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

await main();
