/**
 * bench/throughput: requests per second and p99 latency through `portico run` (the shipped
 * process, started from bin/portico.js on manifests written as YAML files), against an HAProxy
 * with a minimal hand-written configuration to the same backend (the baseline, measured around
 * every Portico run). The backend is itself an HAProxy answering 200 from memory, so the proxy,
 * not the backend, is what is measured. nginx with a minimal proxy_pass configuration is a
 * reference row when installed.
 *
 * What is measured: each route shape of bench/proxy-set.ts (basic, canary, mixed) at each route
 * count, over HTTP and HTTPS (TLS terminated by the proxy with one ECDSA P-256 certificate for
 * *.example.com, made with openssl at start). wrk cycles through the shape's request list, one
 * request per rule of the route in the middle of the set, with their paths, queries and headers;
 * every answer must be a 200, or the run fails. One `portico run` at a time: it is started,
 * waited for (admin /readyz, then every request of the list answering 200), measured, and stopped
 * with SIGTERM before the next one.
 *
 * Fairness: Portico does not set nbthread, so its HAProxy runs HAProxy's default, one thread per
 * CPU; the baseline gets `nbthread` of that same count (checked against `show info` of Portico's
 * HAProxy on each run) and nginx as many `worker_processes`. The backend HAProxy has one thread
 * whoever is measured. Every proxy keeps connections to the backend open (HAProxy by default;
 * nginx through an upstream `keepalive` pool, HTTP/1.1 and an empty Connection header, and its
 * per-connection request limits lifted, as HAProxy has none). No access logs anywhere. The
 * baseline and nginx get the same wrk script as Portico (they answer 200 to anything). Each run's
 * ratio is against the mean of the baseline runs right before and after it; medians over the
 * rounds are reported. wrk connects to an IP address, so the TLS server name it sends is that
 * address, not the Host header's name, for every proxy alike.
 *
 * wrk, the proxies and the backend share the machine's cores: ratios, not absolute numbers, are
 * what carries over to another machine.
 *
 * Needs haproxy, wrk, openssl (for HTTPS) and optionally nginx (apt-get install wrk nginx-light).
 * Run: npm run build && npm run bench:throughput
 * Env: BENCH_SHAPES=basic,canary,mixed,policy  BENCH_ROUTES=10,1000,5000  BENCH_TLS=1 (0: HTTP only)
 *      BENCH_SECONDS=5 per wrk run  BENCH_ROUNDS=3  BENCH_START_TIMEOUT=600 seconds for a
 *      `portico run` to answer  BENCH_KEEP=1 keeps the temporary directory (manifests, logs,
 *      HAProxy state)  BENCH_ROUTE_METRICS=0 (default), 1 (`portico run --route-metrics`), both
 *      (each Portico row twice, without and with), hist (`--route-latency-histograms`) or all
 *      (without, with, with histograms)  BENCH_SCRAPE_SECONDS=N: a curl loop scrapes
 *      Portico's /metrics every N seconds while it is measured (default: no scraping)
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, closeSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { findExecutable, resolveHaproxy } from '../src/haproxy/binary.js';
import {
  PROXY_BENCH_BACKEND as BACKEND,
  PROXY_BENCH_BACKEND_CONFIG,
  PROXY_BENCH_SHAPES,
  benchCertificate,
  isProxyBenchShape,
  proxyBenchBaselineConfig,
  proxyBenchObjects,
  proxyBenchRequests,
  type BenchCertificate,
  type BenchRequest,
  type ProxyBenchShape,
} from './proxy-set.js';
import { markdownTable, median } from './support.js';
import { freePort } from '../test/support/free-port.js';
import { waitFor } from '../test/support/fs-wait.js';

const PORTICO_ADDRESS = '127.0.92.1';
/** Portico's pool: the Gateway asks for PORTICO_ADDRESS; the pool only has to be a range of its own. */
const PORTICO_POOL = '127.0.92.0/29';
const BASELINE = '127.0.93.1';
const NGINX = '127.0.94.1';
const CONNECTIONS = 32;
const DURATION = process.env.BENCH_SECONDS ?? '5';
/** Each configuration is measured this many times, each run between two baseline runs; medians are reported. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ROUTE_COUNTS = (process.env.BENCH_ROUTES ?? '10,1000,5000').split(',').map(Number);
const SHAPES = (process.env.BENCH_SHAPES ?? PROXY_BENCH_SHAPES.join(',')).split(',').map((s) => s.trim());
const START_TIMEOUT_MS = Number(process.env.BENCH_START_TIMEOUT ?? 600) * 1000;
/** HAProxy's default thread count, which Portico's HAProxy runs with (it does not set nbthread). */
const THREADS = availableParallelism();
const ROUTES_PER_FILE = 500;
const PORTICO_BIN = fileURLToPath(new URL('../../bin/portico.js', import.meta.url));
const ROUTE_METRICS = process.env.BENCH_ROUTE_METRICS ?? '0';
const SCRAPE_SECONDS = process.env.BENCH_SCRAPE_SECONDS;

type Protocol = 'http' | 'https';
const PORTS: Record<Protocol, number> = { http: 80, https: 443 };

/** Throughput targets: the ratio to the baseline a Portico run must reach at this many routes. */
function target(routes: number): number {
  return routes <= 10 ? 0.9 : 0.85;
}

interface WrkResult {
  rps: number;
  p99ms: number;
}

function wrk(binary: string, url: string, script: string): WrkResult {
  const r = spawnSync(binary, ['-t1', `-c${CONNECTIONS}`, `-d${DURATION}s`, '--latency', '-s', script, url], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`wrk ${url} failed: ${r.error?.message ?? r.stderr}`);
  if (/Non-2xx or 3xx responses/.test(r.stdout)) throw new Error(`answers other than 2xx from ${url}:\n${r.stdout}`);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(r.stdout)?.[1] ?? 0);
  const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(r.stdout);
  if (rps === 0 || !p99) throw new Error(`no throughput or p99 in wrk's output for ${url}:\n${r.stdout}${r.stderr}`);
  const socketErrors = /Socket errors:.*/.exec(r.stdout)?.[0];
  if (socketErrors) console.log(`  warning: ${url}: ${socketErrors}`);
  const scale = p99[2] === 'us' ? 0.001 : p99[2] === 's' ? 1000 : 1;
  return { rps, p99ms: Number(p99[1]) * scale };
}

/**
 * A wrk script sending the requests in turn. They are formatted once in init(): request() runs
 * for every request on wrk's one thread, so it must stay as cheap as returning a string.
 */
function wrkScript(requests: readonly BenchRequest[]): string {
  const lua = (s: string) => {
    if (!/^[\x20-\x7e]*$/.test(s)) throw new Error(`not printable ASCII, no Lua literal written for it: ${s}`);
    return JSON.stringify(s);
  };
  const formatted = requests.map((r, i) => {
    const headers = Object.entries({ Host: r.host, ...r.headers }).map(([k, v]) => `[${lua(k)}] = ${lua(v)}`);
    return `  requests[${i + 1}] = wrk.format("GET", ${lua(r.path)}, { ${headers.join(', ')} })`;
  });
  return ['local requests = {}', 'local n = 0', 'function init(args)', ...formatted, 'end', 'function request()', '  n = n % #requests + 1', '  return requests[n]', 'end', ''].join('\n');
}

/** The status of one request on a fresh connection, TLS with the Host's name as server name; 0 for no answer. */
function status(protocol: Protocol, address: string, req: BenchRequest, timeoutMs = 5000): Promise<number> {
  return new Promise((resolve) => {
    const options = { host: address, port: PORTS[protocol], path: req.path, headers: { ...req.headers, host: req.host }, agent: false, timeout: timeoutMs };
    const onResponse = (res: http.IncomingMessage) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    };
    const r = protocol === 'https' ? https.get({ ...options, servername: req.host, rejectUnauthorized: false }, onResponse) : http.get(options, onResponse);
    r.on('timeout', () => r.destroy(new Error('timed out')));
    r.on('error', () => resolve(0));
  });
}

/** Every request of the list answers 200, or an error naming the ones that do not. */
async function checkAll(protocol: Protocol, address: string, requests: readonly BenchRequest[], what: string): Promise<void> {
  const wrong: string[] = [];
  for (const r of requests) {
    const s = await status(protocol, address, r);
    if (s !== 200) wrong.push(`${r.path} ${JSON.stringify(r.headers)} (Host ${r.host}): ${s || 'no answer'}`);
  }
  if (wrong.length > 0) throw new Error(`${what} over ${protocol}: not every request answers 200:\n  ${wrong.join('\n  ')}`);
}

/** Polls until `ready` is true; fails at the deadline, or at once when `alive` says the process is gone. */
async function until(what: string, deadline: number, alive: () => boolean, ready: () => Promise<boolean>): Promise<void> {
  const check = async (): Promise<boolean> => {
    if (await ready()) return true;
    if (!alive()) throw new Error(`${what}: the process exited`);
    return false;
  };
  await waitFor(what, check, Math.max(0, deadline - Date.now()), { intervalMs: 50 });
}

function adminReady(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const r = http.get({ host: '127.0.0.1', port, path: '/readyz', agent: false, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    r.on('timeout', () => r.destroy());
    r.on('error', () => resolve(false));
  });
}

/** A Gateway whose configuration the data plane refused (Programmed=False, Invalid), with its message; undefined when none. */
async function refusedGateway(adminPort: number): Promise<string | undefined> {
  type Gateways = { items?: { metadata: { namespace?: string; name: string }; status?: { conditions?: { type: string; status: string; reason: string; message?: string }[] } }[] };
  const answer = await fetch(`http://127.0.0.1:${adminPort}/apis/gateway.networking.k8s.io/v1/gateways`).catch(() => undefined);
  if (!answer?.ok) return undefined;
  for (const gw of ((await answer.json()) as Gateways).items ?? []) {
    const programmed = gw.status?.conditions?.find((c) => c.type === 'Programmed');
    if (programmed?.status === 'False' && programmed.reason === 'Invalid') return `Gateway ${gw.metadata.namespace ?? ''}/${gw.metadata.name} is not programmed: ${programmed.message ?? ''}`;
  }
  return undefined;
}

/** Something accepts connections on address:port. */
function answers(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: address, port });
    s.setTimeout(1000);
    s.on('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.on('timeout', () => {
      s.destroy();
      resolve(false);
    });
    s.on('error', () => resolve(false));
  });
}


/** `show info`'s Nbthread of the HAProxy whose runtime socket is somewhere under `stateDir`; undefined when there is none. */
async function haproxyThreads(stateDir: string): Promise<number | undefined> {
  const socket = readdirSync(stateDir, { recursive: true, encoding: 'utf8' }).find((f) => path.basename(f) === 'runtime.sock');
  if (!socket) return undefined;
  const text = await new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    const s = net.connect(path.join(stateDir, socket), () => s.end('show info\n'));
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    s.on('error', () => resolve(''));
  });
  const n = /^Nbthread:\s*(\d+)/m.exec(text)?.[1];
  return n === undefined ? undefined : Number(n);
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** The objects as YAML files, routes split over several files as a user with many routes would have them. */
function writeManifests(dir: string, objects: ReturnType<typeof proxyBenchObjects>): void {
  mkdirSync(dir, { recursive: true });
  const yamlDocs = (list: typeof objects) => list.map((o) => stringify(o)).join('---\n');
  const routes = objects.filter((o) => o.kind === 'HTTPRoute');
  writeFileSync(path.join(dir, 'gateway.yaml'), yamlDocs(objects.filter((o) => o.kind !== 'HTTPRoute')));
  for (let i = 0; i < routes.length; i += ROUTES_PER_FILE) {
    writeFileSync(path.join(dir, `routes-${String(i / ROUTES_PER_FILE).padStart(3, '0')}.yaml`), yamlDocs(routes.slice(i, i + ROUTES_PER_FILE)));
  }
}

interface Tools {
  haproxy: string;
  wrk: string;
  nginx: string | undefined;
}

function startHaproxy(haproxy: string, dir: string, name: string, config: string): ChildProcess {
  const sub = path.join(dir, name);
  mkdirSync(sub, { recursive: true });
  writeFileSync(path.join(sub, 'haproxy.cfg'), config);
  return spawn(haproxy, ['-db', '-f', path.join(sub, 'haproxy.cfg')], { stdio: 'ignore' });
}

/** nginx in the foreground, everything it writes kept under `dir` (it runs as whoever runs the benchmark). */
function startNginx(nginx: string, dir: string, pem: string | undefined): ChildProcess {
  const sub = path.join(dir, 'nginx');
  mkdirSync(path.join(sub, 'tmp'), { recursive: true });
  const tls = pem ? `\n    listen ${NGINX}:443 ssl;\n    ssl_certificate ${pem};\n    ssl_certificate_key ${pem};` : '';
  const config = `worker_processes ${THREADS};
daemon off;
pid ${sub}/nginx.pid;
error_log ${sub}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${sub}/tmp/body;
  proxy_temp_path ${sub}/tmp/proxy;
  fastcgi_temp_path ${sub}/tmp/fastcgi;
  uwsgi_temp_path ${sub}/tmp/uwsgi;
  scgi_temp_path ${sub}/tmp/scgi;
  keepalive_requests 1000000;
  upstream backend {
    server ${BACKEND.host}:${BACKEND.port};
    keepalive ${CONNECTIONS};
    keepalive_requests 1000000;
  }
  server {
    listen ${NGINX}:80;${tls}
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`;
  writeFileSync(path.join(sub, 'nginx.conf'), config);
  return spawn(nginx, ['-p', sub, '-c', path.join(sub, 'nginx.conf')], { stdio: 'ignore' });
}

interface Run {
  result: WrkResult;
  baseline: WrkResult;
}

interface Row {
  /** Shape, or the reference proxy's name. */
  shape: string;
  protocol: Protocol;
  routes: number | undefined;
  runs: Run[];
}

const url = (protocol: Protocol, address: string) => `${protocol}://${address}:${PORTS[protocol]}/`;

/**
 * ROUNDS wrk runs against `targetUrl`, each between two baseline runs. The first baseline run is
 * made right before, so what the machine did earlier (such as Portico's start) does not count.
 */
function series(label: string, tools: Tools, protocol: Protocol, targetUrl: string, script: string): Run[] {
  const baselineUrl = url(protocol, BASELINE);
  let before = wrk(tools.wrk, baselineUrl, script);
  const runs: Run[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const result = wrk(tools.wrk, targetUrl, script);
    const after = wrk(tools.wrk, baselineUrl, script);
    const baseline = { rps: (before.rps + after.rps) / 2, p99ms: (before.p99ms + after.p99ms) / 2 };
    before = after;
    runs.push({ result, baseline });
    console.log(
      `  ${label.padEnd(24)} round ${round}: ${result.rps.toFixed(0).padStart(7)} req/s  p99 ${result.p99ms.toFixed(2)} ms   ` +
        `baseline ${baseline.rps.toFixed(0).padStart(7)} req/s  p99 ${baseline.p99ms.toFixed(2)} ms   ` +
        `${(result.rps / baseline.rps).toFixed(2)}× req/s, ${(result.p99ms / baseline.p99ms).toFixed(2)}× p99`,
    );
  }
  return runs;
}

/** Starts `portico run` on the shape's manifests, measures it, stops it. */
type MetricsMode = 'none' | 'metrics' | 'histograms';
const METRICS_MODES: Record<string, MetricsMode[]> = { '0': ['none'], '1': ['metrics'], both: ['none', 'metrics'], hist: ['histograms'], all: ['none', 'metrics', 'histograms'] };
const METRICS_FLAGS: Record<MetricsMode, string[]> = { none: [], metrics: ['--route-metrics'], histograms: ['--route-latency-histograms'] };
const METRICS_LABEL: Record<MetricsMode, string> = { none: '', metrics: ' + route metrics', histograms: ' + latency histograms' };

async function measurePortico(dir: string, tools: Tools, shape: ProxyBenchShape, routes: number, protocol: Protocol, cert: BenchCertificate | undefined, mode: MetricsMode): Promise<Run[]> {
  // Short: HAProxy's socket paths under the state directory must stay within 95 bytes.
  const name = `${shape}-${protocol}-${routes}${mode === 'none' ? '' : `-${mode[0]}`}`;
  const label = `${shape}${mode === 'none' ? '' : `+${mode}`} ${protocol} ${routes.toLocaleString('en-US')}`;
  const manifests = path.join(dir, `manifests-${name}`);
  const stateDir = path.join(dir, `state-${name}`);
  const logFile = path.join(dir, `portico-${name}.log`);
  const tls = protocol === 'https' ? cert : undefined;
  writeManifests(manifests, proxyBenchObjects(shape, routes, { address: PORTICO_ADDRESS, ...(tls ? { tls } : {}) }));
  const requests = proxyBenchRequests(shape, routes);
  const script = path.join(dir, `requests-${shape}-${routes}.lua`);
  writeFileSync(script, wrkScript(requests));

  if (await answers(PORTICO_ADDRESS, PORTS[protocol])) throw new Error(`${PORTICO_ADDRESS}:${PORTS[protocol]} is already in use: a Portico from an earlier run?`);
  const admin = await freePort();
  const log = openSync(logFile, 'w');
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [PORTICO_BIN, 'run', '-f', manifests, '--admin', `127.0.0.1:${admin}`, '--address-pool', PORTICO_POOL, '--state-dir', stateDir, '--haproxy', tools.haproxy, ...METRICS_FLAGS[mode]],
    { stdio: ['ignore', log, log] },
  );
  closeSync(log);
  let scraper: ChildProcess | undefined;
  try {
    const deadline = started + START_TIMEOUT_MS;
    const alive = () => !exited(child);
    try {
      await until(`portico run (${label}): admin /readyz`, deadline, alive, () => adminReady(admin));
      const first = requests[0] as BenchRequest;
      await until(`portico run (${label}): ${protocol} ${first.host}${first.path}`, deadline, alive, async () => {
        if ((await status(protocol, PORTICO_ADDRESS, first)) === 200) return true;
        // A refused configuration never answers: say so now rather than at the deadline.
        const refused = await refusedGateway(admin);
        if (refused) throw new Error(`portico run (${label}): ${refused}`);
        return false;
      });
      await checkAll(protocol, PORTICO_ADDRESS, requests, `Portico (${label})`);
    } catch (err) {
      throw new Error(`${(err as Error).message}\nlast lines of ${logFile}:\n${tail(logFile)}`);
    }
    const readyMs = Date.now() - started;
    const threads = await haproxyThreads(stateDir);
    if (threads === undefined) console.log(`  warning: could not read the thread count of Portico's HAProxy under ${stateDir}`);
    else if (threads !== THREADS) throw new Error(`Portico's HAProxy runs ${threads} threads, the baseline ${THREADS}: the comparison would not be fair`);
    console.log(`  ${label.padEnd(24)} portico run answered after ${(readyMs / 1000).toFixed(1)} s; HAProxy threads: ${threads ?? '?'}`);
    if (SCRAPE_SECONDS) {
      // A process of its own: wrk runs synchronously and blocks this one.
      scraper = spawn('sh', ['-c', `while :; do curl -s -o /dev/null http://127.0.0.1:${admin}/metrics; sleep ${Number(SCRAPE_SECONDS)}; done`], { stdio: 'ignore', detached: true });
    }
    return series(label, tools, protocol, url(protocol, PORTICO_ADDRESS), script);
  } finally {
    if (scraper?.pid !== undefined) process.kill(-scraper.pid, 'SIGTERM');
    child.kill('SIGTERM');
    if (!(await waitExit(child, 60_000))) {
      child.kill('SIGKILL');
      console.log(`  warning: portico run (${label}) did not exit within 60 s of SIGTERM and was killed; see ${logFile}`);
    }
  }
}

function parseConfig(): { shapes: ProxyBenchShape[]; protocols: Protocol[] } {
  if (!METRICS_MODES[ROUTE_METRICS]) throw new Error(`BENCH_ROUTE_METRICS: one of ${Object.keys(METRICS_MODES).join(', ')}`);
  const shapes = SHAPES.filter(isProxyBenchShape);
  const unknown = SHAPES.filter((s) => !isProxyBenchShape(s));
  if (unknown.length > 0) throw new Error(`BENCH_SHAPES: unknown shape ${unknown.join(', ')}; known: ${PROXY_BENCH_SHAPES.join(', ')}`);
  if (ROUTE_COUNTS.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`BENCH_ROUTES: positive integers separated by commas, not "${process.env.BENCH_ROUTES}"`);
  const tls = process.env.BENCH_TLS ?? '1';
  if (tls !== '0' && tls !== '1') throw new Error('BENCH_TLS: 1 (HTTP and HTTPS) or 0 (HTTP only)');
  return { shapes, protocols: tls === '1' ? ['http', 'https'] : ['http'] };
}

async function main(): Promise<void> {
  const { shapes, protocols } = parseConfig();
  const wrkBinary = findExecutable('wrk');
  if (!wrkBinary) throw new Error('wrk is not installed: apt-get install wrk');
  if (protocols.includes('https') && !findExecutable('openssl')) throw new Error('openssl is not installed (needed for HTTPS; BENCH_TLS=0 measures HTTP only)');
  const tools: Tools = { haproxy: (await resolveHaproxy()).path, wrk: wrkBinary, nginx: findExecutable('nginx') };
  const dir = mkdtempSync(path.join(tmpdir(), 'portico-bench-'));
  const children: ChildProcess[] = [];
  try {
    const cert = protocols.includes('https') ? benchCertificate(dir) : undefined;
    const pem = cert ? path.join(dir, 'bench.pem') : undefined;
    if (cert && pem) writeFileSync(pem, cert.certPem + cert.keyPem);

    for (const address of [BASELINE, NGINX, PORTICO_ADDRESS]) {
      for (const p of protocols) {
        if (await answers(address, PORTS[p])) throw new Error(`${address}:${PORTS[p]} is already in use: a proxy from an earlier run?`);
      }
    }
    // HAProxy binds with SO_REUSEPORT, so a second backend would share the connections silently.
    if (await answers(BACKEND.host, BACKEND.port)) console.log(`warning: something already listens on the backend address ${BACKEND.host}:${BACKEND.port}; it shares the backend's connections`);

    const backend = startHaproxy(tools.haproxy, dir, 'backend', PROXY_BENCH_BACKEND_CONFIG);
    children.push(backend);
    const baselineBinds = [`${BASELINE}:80`, ...(pem ? [`${BASELINE}:443 ssl crt ${pem}`] : [])];
    const baseline = startHaproxy(tools.haproxy, dir, 'baseline', proxyBenchBaselineConfig(baselineBinds, THREADS));
    children.push(baseline);
    const anyRequest = proxyBenchRequests('basic', 10)[0] as BenchRequest;
    const startDeadline = Date.now() + 10_000;
    await until('backend HAProxy', startDeadline, () => !exited(backend), () => answers(BACKEND.host, BACKEND.port));
    for (const p of protocols) await until(`baseline HAProxy (${p})`, startDeadline, () => !exited(baseline), async () => (await status(p, BASELINE, anyRequest)) === 200);
    if (tools.nginx) {
      const nginx = startNginx(tools.nginx, dir, pem);
      children.push(nginx);
      for (const p of protocols) await until(`nginx (${p})`, startDeadline, () => !exited(nginx), async () => (await status(p, NGINX, anyRequest)) === 200);
    }

    console.log(
      `bench/throughput: wrk -t1 -c${CONNECTIONS} -d${DURATION}s, ${ROUNDS} rounds; shapes ${shapes.join(', ')}; routes ${ROUTE_COUNTS.join(', ')}; ${protocols.join(' and ')}\n` +
        `  proxies: ${THREADS} threads each (Portico's HAProxy by default, the baseline nbthread ${THREADS}, nginx worker_processes ${THREADS}); backend 1 thread; ${availableParallelism()} cores shared with wrk`,
    );
    if (!tools.nginx) console.log('  nginx is not installed (apt-get install nginx-light): its rows are skipped');

    const rows: Row[] = [];
    for (const protocol of protocols) {
      if (tools.nginx) {
        const script = path.join(dir, 'requests-nginx.lua');
        writeFileSync(script, wrkScript(proxyBenchRequests('basic', 10)));
        rows.push({ shape: 'nginx, minimal proxy_pass', protocol, routes: undefined, runs: series(`nginx ${protocol}`, tools, protocol, url(protocol, NGINX), script) });
      }
      for (const shape of shapes) {
        for (const routes of ROUTE_COUNTS) {
          for (const mode of METRICS_MODES[ROUTE_METRICS] ?? []) {
            rows.push({ shape: `${shape}${METRICS_LABEL[mode]}`, protocol, routes, runs: await measurePortico(dir, tools, shape, routes, protocol, cert, mode) });
          }
        }
      }
    }

    console.log(`\n### Throughput through \`portico run\`, wrk -t1 -c${CONNECTIONS}, ${ROUNDS} × ${DURATION} s per configuration, ${THREADS} proxy threads, ${availableParallelism()} cores shared with wrk and the backend\n`);
    const fmt = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 0 });
    console.log(
      markdownTable(
        ['shape', 'protocol', 'routes', 'Portico req/s', 'baseline req/s', 'ratio', 'p99 ratio', 'target', 'ratio per round'],
        rows.map((row) => {
          const ratios = row.runs.map((r) => r.result.rps / r.baseline.rps);
          // Judged as printed, so a row never reads "0.90× … ≥ 0.90 ✘".
          const ratio = Number(median(ratios).toFixed(2));
          const goal = row.routes === undefined ? undefined : target(row.routes);
          return [
            row.shape,
            row.protocol.toUpperCase(),
            row.routes === undefined ? '' : fmt(row.routes),
            fmt(median(row.runs.map((r) => r.result.rps))),
            fmt(median(row.runs.map((r) => r.baseline.rps))),
            `${ratio.toFixed(2)}×`,
            `${median(row.runs.map((r) => r.result.p99ms / r.baseline.p99ms)).toFixed(2)}×`,
            goal === undefined ? '' : `≥ ${goal.toFixed(2)} ${ratio >= goal ? '✔' : '✘'}`,
            ratios.map((x) => x.toFixed(2)).join(', '),
          ];
        }),
      ),
    );
    console.log(
      '\nThe nginx rows (when present) are a reference, not Portico; they are measured with the basic shape\'s requests.' +
        '\nRatios: median over the rounds of each run against the mean of the baseline runs right before and after it.' +
        `\nTargets: req/s ratio ≥ ${target(10).toFixed(2)} at 10 routes (and fewer), ≥ ${target(5000).toFixed(2)} at 5,000 routes (and any count above 10).`,
    );
  } finally {
    for (const c of children) c.kill();
    await Promise.all(children.map((c) => waitExit(c, 10_000)));
    if (process.env.BENCH_KEEP === '1') console.log(`files kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

await main();
