/**
 * bench/throughput: requests per second and p99 latency through Portico's rendered HAProxy
 * configuration with 10 and 5,000 routes, against the same HAProxy with a minimal hand-written
 * configuration to the same backend (the baseline, measured in the same run). The backend is
 * itself an HAProxy answering 200 from memory, so the proxy, not the backend, is what is measured.
 * Needs haproxy and wrk (apt-get install wrk). Run: npm run build && node dist/bench/throughput.js
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { renderGateway } from '../src/haproxy/render.js';
import { translate } from '../src/pipeline/translate.js';
import { ResourceSet } from '../src/store/resources.js';
import type { KubeObject } from '../src/api/object.js';

const BACKEND = { host: '127.0.91.1', port: 8080 };
const DURATION = process.env.BENCH_SECONDS ?? '5';

function startHaproxy(dir: string, name: string, config: string, files: Record<string, string> = {}): ChildProcess {
  const sub = path.join(dir, name);
  spawnSync('mkdir', ['-p', sub]);
  for (const [f, text] of Object.entries(files)) writeFileSync(path.join(sub, f), text);
  writeFileSync(path.join(sub, 'haproxy.cfg'), config);
  return spawn('haproxy', ['-f', path.join(sub, 'haproxy.cfg')], { stdio: 'ignore' });
}

function objects(routes: number): KubeObject[] {
  const G = 'gateway.networking.k8s.io/v1';
  const out: KubeObject[] = [
    { apiVersion: G, kind: 'GatewayClass', metadata: { name: 'portico' }, spec: { controllerName: 'portico.dev/gateway-controller' } },
    { apiVersion: G, kind: 'Gateway', metadata: { name: 'gw', namespace: 'default' }, spec: { gatewayClassName: 'portico', addresses: [{ type: 'IPAddress', value: '127.0.92.1' }], listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'backend', namespace: 'default' }, spec: { ports: [{ name: 'http', port: 80 }] } },
    { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'backend-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'backend' } }, addressType: 'IPv4', ports: [{ name: 'http', port: BACKEND.port }], endpoints: [{ addresses: [BACKEND.host] }] },
  ];
  for (let i = 0; i < routes; i++) {
    out.push({
      apiVersion: G,
      kind: 'HTTPRoute',
      metadata: { name: `r${i}`, namespace: 'default' },
      spec: {
        parentRefs: [{ name: 'gw' }],
        hostnames: [`host-${i}.example.com`],
        rules: [
          { matches: [{ path: { type: 'PathPrefix', value: `/api/${i}` } }], filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-route', value: String(i) }] } }], backendRefs: [{ name: 'backend', port: 80 }] },
          { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'backend', port: 80 }] },
        ],
      },
    });
  }
  return out;
}

interface WrkResult {
  rps: number;
  p99ms: number;
}

function wrk(url: string, host: string): WrkResult {
  const r = spawnSync('wrk', ['-t1', '-c32', `-d${DURATION}s`, '--latency', '-H', `Host: ${host}`, url], { encoding: 'utf8' });
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

const common = 'defaults\n  mode http\n  timeout connect 5s\n  timeout client 60s\n  timeout server 60s\n';

async function main(): Promise<void> {
  if (spawnSync('wrk', ['-v']).error) throw new Error('wrk is not installed: apt-get install wrk');
  const dir = mkdtempSync(path.join(tmpdir(), 'portico-bench-'));
  const children: ChildProcess[] = [];
  try {
    children.push(startHaproxy(dir, 'backend', `global\n  nbthread 1\n${common}frontend be\n  bind ${BACKEND.host}:${BACKEND.port}\n  http-request return status 200 content-type text/plain string ok\n`));
    children.push(startHaproxy(dir, 'baseline', `global\n  nbthread 1\n${common}frontend fe\n  bind 127.0.93.1:80\n  default_backend b\nbackend b\n  server s ${BACKEND.host}:${BACKEND.port}\n`));
    await waitListening(`http://${BACKEND.host}:${BACKEND.port}/`);
    await waitListening('http://127.0.93.1:80/');
    console.log(`bench/throughput: wrk -t1 -c32 -d${DURATION}s; proxy and backend HAProxy 1 thread each; 2 cores shared with wrk`);
    // The baseline is measured right before and after each Portico run and averaged, so drift in
    // what else the machine is doing affects both sides alike.
    const measureBaseline = () => wrk('http://127.0.93.1:80/api/5', 'host-5.example.com');
    for (const routes of [10, 5000]) {
      const gw = translate(new ResourceSet(objects(routes)), { addressPool: '127.0.92.0/24' }).ir.gateways[0];
      if (!gw) throw new Error('no Gateway in the IR');
      const sub = path.join(dir, `portico-${routes}`);
      const rendered = renderGateway(gw, { dir: sub, globalLines: ['nbthread 1'] });
      const child = startHaproxy(dir, `portico-${routes}`, rendered.config, rendered.files);
      children.push(child);
      const host = `host-${Math.floor(routes / 2)}.example.com`;
      await waitListening('http://127.0.92.1:80/');
      const before = measureBaseline();
      const r = wrk(`http://127.0.92.1:80/api/5`, host);
      const after = measureBaseline();
      const baseline = { rps: (before.rps + after.rps) / 2, p99ms: (before.p99ms + after.p99ms) / 2 };
      console.log(`  minimal config (baseline)  ${baseline.rps.toFixed(0).padStart(7)} req/s   p99 ${baseline.p99ms.toFixed(2)} ms`);
      console.log(
        `  Portico, ${String(routes).padStart(5)} routes     ${r.rps.toFixed(0).padStart(7)} req/s   p99 ${r.p99ms.toFixed(2)} ms   ` +
          `throughput ${(r.rps / baseline.rps).toFixed(2)}× baseline, p99 ${(r.p99ms / baseline.p99ms).toFixed(2)}× baseline`,
      );
      child.kill();
      await new Promise((res) => child.once('exit', res));
    }
  } finally {
    for (const c of children) c.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
