/**
 * bench/throughput: requests per second and p99 latency through Portico's rendered HAProxy
 * configuration with 10 and 5,000 routes, and through nginx with a minimal proxy_pass
 * configuration, against the same HAProxy with a minimal hand-written configuration to the same
 * backend (the baseline, measured in the same run). The backend is itself an HAProxy answering 200
 * from memory, so the proxy, not the backend, is what is measured.
 *
 * Fairness: every proxy runs one thread (HAProxy `nbthread 1`, nginx `worker_processes 1`) and
 * keeps connections to the backend open (HAProxy does by default; nginx gets an upstream
 * `keepalive` pool as large as wrk's connection count, HTTP/1.1 and an empty Connection header).
 * nginx's per-connection request limits (1,000 by default, client and upstream side) are lifted,
 * as HAProxy has none: otherwise nginx alone would pay for reconnects. No access logs anywhere.
 *
 * Needs haproxy, wrk and nginx (apt-get install wrk nginx-light; nginx is skipped with a note
 * when missing). Run: npm run build && npm run bench:throughput   (BENCH_SECONDS=5 per run,
 * BENCH_ROUNDS=3)
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { renderGateway } from '../src/haproxy/render.js';
import { translate } from '../src/pipeline/translate.js';
import { ResourceSet } from '../src/store/resources.js';
import { PROXY_BENCH_BACKEND as BACKEND, PROXY_BENCH_BACKEND_CONFIG, proxyBenchBaselineConfig, proxyBenchRequest, proxyBenchSet } from './proxy-set.js';
import { markdownTable, median } from './support.js';

/** Portico's Gateway with N routes listens on 127.0.92.<index of N in ROUTE_COUNTS + 1>. */
const PORTICO_NET = '127.0.92';
const ROUTE_COUNTS = [10, 5000];
const BASELINE = '127.0.93.1';
const NGINX = '127.0.94.1';
const CONNECTIONS = 32;
const DURATION = process.env.BENCH_SECONDS ?? '5';
/** Each proxy is measured this many times, interleaved with the others; medians are reported. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

function startHaproxy(dir: string, name: string, config: string, files: Record<string, string> = {}): ChildProcess {
  const sub = path.join(dir, name);
  spawnSync('mkdir', ['-p', sub]);
  for (const [f, text] of Object.entries(files)) writeFileSync(path.join(sub, f), text);
  writeFileSync(path.join(sub, 'haproxy.cfg'), config);
  return spawn('haproxy', ['-f', path.join(sub, 'haproxy.cfg')], { stdio: 'ignore' });
}

interface WrkResult {
  rps: number;
  p99ms: number;
}

function wrk(url: string, host: string): WrkResult {
  const r = spawnSync('wrk', ['-t1', `-c${CONNECTIONS}`, `-d${DURATION}s`, '--latency', '-H', `Host: ${host}`, url], { encoding: 'utf8' });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(r.stdout)?.[1] ?? 0);
  const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(r.stdout);
  const scale = p99?.[2] === 'us' ? 0.001 : p99?.[2] === 's' ? 1000 : 1;
  if (/Non-2xx/.test(r.stdout)) throw new Error(`non-2xx answers from ${url}:\n${r.stdout}`);
  return { rps, p99ms: Number(p99?.[1] ?? 0) * scale };
}

async function waitListening(url: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    if (spawnSync('curl', ['-s', '-o', '/dev/null', url]).status === 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${url} did not answer`);
}


function nginxInstalled(): boolean {
  return spawnSync('nginx', ['-v']).status === 0;
}

/** nginx in the foreground, everything it writes kept under `dir` (it runs as whoever runs the benchmark). */
function startNginx(dir: string): ChildProcess {
  const sub = path.join(dir, 'nginx');
  mkdirSync(path.join(sub, 'tmp'), { recursive: true });
  const config = `worker_processes 1;
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
    listen ${NGINX}:80;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`;
  writeFileSync(path.join(sub, 'nginx.conf'), config);
  return spawn('nginx', ['-p', sub, '-c', path.join(sub, 'nginx.conf')], { stdio: 'ignore' });
}

interface Target {
  name: string;
  url: string;
  host: string;
  runs: { result: WrkResult; baseline: WrkResult }[];
}

async function main(): Promise<void> {
  if (spawnSync('wrk', ['-v']).error) throw new Error('wrk is not installed: apt-get install wrk');
  const withNginx = nginxInstalled();
  const dir = mkdtempSync(path.join(tmpdir(), 'portico-bench-'));
  const children: ChildProcess[] = [];
  try {
    children.push(startHaproxy(dir, 'backend', PROXY_BENCH_BACKEND_CONFIG));
    children.push(startHaproxy(dir, 'baseline', proxyBenchBaselineConfig(`${BASELINE}:80`)));
    await waitListening(`http://${BACKEND.host}:${BACKEND.port}/`);
    await waitListening(`http://${BASELINE}:80/`);

    const targets: Target[] = [];
    if (withNginx) {
      children.push(startNginx(dir));
      await waitListening(`http://${NGINX}:80/`);
      targets.push({ name: 'nginx, minimal proxy_pass', url: `http://${NGINX}:80/`, host: 'host-5.example.com', runs: [] });
    }
    for (const [i, routes] of ROUTE_COUNTS.entries()) {
      const address = `${PORTICO_NET}.${i + 1}`;
      const gw = translate(new ResourceSet(proxyBenchSet(routes, address)), { addressPool: `${PORTICO_NET}.0/24` }).ir.gateways[0];
      if (!gw) throw new Error('no Gateway in the IR');
      const sub = path.join(dir, `portico-${routes}`);
      const rendered = renderGateway(gw, { dir: sub, globalLines: ['nbthread 1'] });
      children.push(startHaproxy(dir, `portico-${routes}`, rendered.config, rendered.files));
      await waitListening(`http://${address}:80/`);
      targets.push({ name: `Portico, ${routes.toLocaleString('en-US')} routes`, url: `http://${address}:80${proxyBenchRequest(routes).path}`, host: proxyBenchRequest(routes).host, runs: [] });
    }

    console.log(`bench/throughput: wrk -t1 -c${CONNECTIONS} -d${DURATION}s, ${ROUNDS} rounds; every proxy and the backend HAProxy 1 thread each; cores: ${availableParallelism()}, shared with wrk`);
    if (!withNginx) console.log('  nginx is not installed (apt-get install nginx-light): its row is skipped');
    // Every run is followed by a baseline run; each run's ratio is against the mean of the
    // baseline runs right before and after it, so drift in what else the machine is doing
    // affects both sides alike. Rounds interleave the proxies for the same reason.
    const measureBaseline = () => wrk(`http://${BASELINE}:80/`, 'host-5.example.com');
    const baselines: WrkResult[] = [];
    let before = measureBaseline();
    baselines.push(before);
    for (let round = 1; round <= ROUNDS; round++) {
      for (const t of targets) {
        const result = wrk(t.url, t.host);
        const after = measureBaseline();
        baselines.push(after);
        const baseline = { rps: (before.rps + after.rps) / 2, p99ms: (before.p99ms + after.p99ms) / 2 };
        before = after;
        t.runs.push({ result, baseline });
        console.log(
          `  round ${round}: ${t.name.padEnd(26)} ${result.rps.toFixed(0).padStart(7)} req/s   p99 ${result.p99ms.toFixed(2)} ms   ` +
            `${(result.rps / baseline.rps).toFixed(2)}× / ${(result.p99ms / baseline.p99ms).toFixed(2)}× baseline (${baseline.rps.toFixed(0)} req/s, p99 ${baseline.p99ms.toFixed(2)} ms)`,
        );
      }
    }

    console.log(`\n### Throughput, wrk -t1 -c${CONNECTIONS}, ${ROUNDS} × ${DURATION} s per proxy, one proxy thread, ${availableParallelism()} cores shared with wrk and the backend\n`);
    const runsText = (xs: number[], digits: number) => xs.map((x) => x.toFixed(digits)).join(', ');
    console.log(
      markdownTable(
        ['proxy', 'req/s (median)', 'p99 (median)', 'req/s vs baseline', 'p99 vs baseline', 'req/s ratio per round'],
        [
          ['HAProxy, minimal config (baseline)', median(baselines.map((b) => b.rps)).toFixed(0), `${median(baselines.map((b) => b.p99ms)).toFixed(2)} ms`, '1.00×', '1.00×', ''],
          ...targets.map((t) => {
            const rps = t.runs.map((r) => r.result.rps / r.baseline.rps);
            const p99 = t.runs.map((r) => r.result.p99ms / r.baseline.p99ms);
            return [
              t.name,
              median(t.runs.map((r) => r.result.rps)).toFixed(0),
              `${median(t.runs.map((r) => r.result.p99ms)).toFixed(2)} ms`,
              `${median(rps).toFixed(2)}×`,
              `${median(p99).toFixed(2)}×`,
              runsText(rps, 2),
            ];
          }),
        ],
      ),
    );
    console.log('\nRatios: median over the rounds of each run against the mean of the baseline runs right before and after it.');
  } finally {
    for (const c of children) c.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
