/**
 * bench/shared: what deployment mode shared saves. BENCH_GATEWAYS Gateways (default 20) of one
 * class, each with BENCH_ROUTES_PER_GATEWAY HTTPRoutes (default 50) to BENCH_SERVICES Services
 * (default 25, 4 endpoints each) that every Gateway uses: the tenants of one class sending to
 * the same applications. Rendered one HAProxy per Gateway (host and per-gateway modes) and one for
 * the class (shared: combineGateways), then each configuration run by a real HAProxy on loopback:
 * backends, server lines, configuration size, render time and the HAProxy processes' memory
 * (VmRSS once every frontend accepts connections), both measured in the same run.
 *
 * Run: npm run build && node dist/bench/shared.js
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { KubeObject } from '../src/api/object.js';
import { haproxyRuleProblem } from '../src/haproxy/capabilities.js';
import { renderGateway, type RenderedConfig } from '../src/haproxy/render.js';
import type { IRGateway } from '../src/ir/model.js';
import { combineGateways } from '../src/ir/shared-data-plane.js';
import { translate } from '../src/pipeline/translate.js';
import { ResourceSet } from '../src/store/resources.js';
import { markdownTable } from './support.js';

const G = 'gateway.networking.k8s.io/v1';
const gateways = Number(process.env.BENCH_GATEWAYS ?? 20);
const perGateway = Number(process.env.BENCH_ROUTES_PER_GATEWAY ?? 50);
const services = Number(process.env.BENCH_SERVICES ?? 25);

function objects(): KubeObject[] {
  const out: KubeObject[] = [{ apiVersion: G, kind: 'GatewayClass', metadata: { name: 'portico' }, spec: { controllerName: 'portico.dev/gateway-controller' } }];
  for (let s = 0; s < services; s++) {
    out.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: `svc-${s}`, namespace: 'apps' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] } } as KubeObject);
    out.push({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `svc-${s}`, namespace: 'apps', labels: { 'kubernetes.io/service-name': `svc-${s}` } },
      addressType: 'IPv4',
      endpoints: [1, 2, 3, 4].map((e) => ({ addresses: [`127.2.${s}.${e}`], conditions: { ready: true } })),
      ports: [{ name: 'http', port: 8080 }],
    } as KubeObject);
  }
  for (let g = 0; g < gateways; g++) {
    out.push({ apiVersion: G, kind: 'Gateway', metadata: { name: `gw-${g}`, namespace: 'apps' }, spec: { gatewayClassName: 'portico', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } });
    for (let r = 0; r < perGateway; r++) {
      out.push({
        apiVersion: G,
        kind: 'HTTPRoute',
        metadata: { name: `gw-${g}-route-${r}`, namespace: 'apps' },
        spec: {
          parentRefs: [{ name: `gw-${g}` }],
          hostnames: [`r${r}.tenant-${g}.example.com`],
          rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: `svc-${(g + r) % services}`, port: 80 }] }],
        },
      });
    }
  }
  return out;
}

const count = (text: string, pattern: RegExp): number => text.match(pattern)?.length ?? 0;

function waitForPort(host: string, port: number, deadline: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, host);
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing listens on ${host}:${port}`));
        else setTimeout(attempt, 20);
      });
    };
    attempt();
  });
}

/** Runs each configuration with its own HAProxy; resolves with their summed VmRSS (KiB), then stops them. */
async function runAll(configs: { gw: IRGateway; render: (dir: string) => RenderedConfig }[]): Promise<number> {
  const root = mkdtempSync(path.join(tmpdir(), 'bench-shared-'));
  const children: ChildProcess[] = [];
  try {
    let i = 0;
    for (const c of configs) {
      const dir = path.join(root, String(i++));
      const r = c.render(dir);
      // The files live where the configuration names them.
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'haproxy.cfg'), r.config);
      for (const [name, text] of Object.entries(r.files)) writeFileSync(path.join(dir, name), text);
      const child = spawn('haproxy', ['-db', '-f', path.join(dir, 'haproxy.cfg')], { stdio: 'ignore' });
      children.push(child);
      const deadline = Date.now() + 30_000;
      for (const p of c.gw.ports) await waitForPort(c.gw.addresses[0] ?? '127.0.0.1', p.port, deadline);
    }
    let kib = 0;
    for (const child of children) kib += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
    return kib;
  } finally {
    for (const child of children) child.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const t = translate(new ResourceSet(objects()), { addressPool: '127.0.10.0/24', checkRule: haproxyRuleProblem });
  const irs = t.ir.gateways;
  if (irs.length !== gateways) throw new Error(`${irs.length} Gateways translated, ${gateways} expected`);

  let started = performance.now();
  const separate = irs.map((gw) => renderGateway(gw, { dir: '/bench', globalLines: [] }));
  const separateMs = performance.now() - started;
  started = performance.now();
  const shared = combineGateways('portico', irs);
  const sharedGateway: IRGateway = { ...shared.gateway, addresses: ['127.0.0.1'] };
  const together = renderGateway(sharedGateway, { dir: '/bench', globalLines: [] });
  const sharedMs = performance.now() - started;

  const sum = (f: (r: RenderedConfig) => number) => separate.reduce((s, r) => s + f(r), 0);
  const backends = (r: RenderedConfig) => count(r.config, /^backend /gm);
  const servers = (r: RenderedConfig) => count(r.config, /^ {2}server /gm);
  const bytes = (r: RenderedConfig) => r.config.length + Object.values(r.files).reduce((s, f) => s + f.length, 0);

  const separateRss = await runAll(irs.map((gw) => ({ gw, render: (dir) => renderGateway(gw, { dir, globalLines: [] }) })));
  const sharedRss = await runAll([{ gw: sharedGateway, render: (dir) => renderGateway(sharedGateway, { dir, globalLines: [] }) }]);

  console.log(`${gateways} Gateways × ${perGateway} routes, ${services} Services of 4 endpoints each, used by every Gateway\n`);
  console.log(
    markdownTable(
      ['', 'a HAProxy per Gateway', 'shared (one per class)', 'shared / separate'],
      [
        ['HAProxy processes', String(separate.length), '1', ''],
        ['backends', String(sum(backends)), String(backends(together)), (backends(together) / sum(backends)).toFixed(2)],
        ['server lines', String(sum(servers)), String(servers(together)), (servers(together) / sum(servers)).toFixed(2)],
        ['configuration and files (KiB)', (sum(bytes) / 1024).toFixed(0), (bytes(together) / 1024).toFixed(0), (bytes(together) / sum(bytes)).toFixed(2)],
        ['render (ms)', separateMs.toFixed(1), sharedMs.toFixed(1), (sharedMs / separateMs).toFixed(2)],
        ['HAProxy RSS (MiB)', (separateRss / 1024).toFixed(1), (sharedRss / 1024).toFixed(1), (sharedRss / separateRss).toFixed(2)],
      ],
    ),
  );
}

await main();
