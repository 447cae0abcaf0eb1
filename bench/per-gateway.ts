/**
 * bench/per-gateway: deployment mode per-gateway on a real kube-apiserver, in a private network
 * namespace like the kube tests, with `portico controller --deployment-mode per-gateway` as its
 * own process (the RBAC of deploy/: base/rbac.yaml and rbac-dataplanes.yaml).
 *
 * 1. Gateway creation to its first answered request through a fresh data plane, one Gateway at a
 *    time (BENCH_GATEWAYS, default 20): the Gateway and an HTTPRoute are created; as soon as the
 *    Deployment exists, `portico dataplane` starts as its pod spec says (test/support/
 *    dataplane-pod.ts: what a kubelet would do, with the image present and no scheduling delay);
 *    the clock stops at the first 200 through it. p50 and p90.
 * 2. The controller's RSS (VmRSS of its Node process) with BENCH_TOTAL_GATEWAYS Gateways (default
 *    100) and BENCH_ROUTES routes (default 1,000) spread over them, once every Gateway has its
 *    Deployment and its address in status.
 *
 * Run: npm run build && node dist/bench/per-gateway.js
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../test/support/free-port.js';
import { performance } from 'node:perf_hooks';
import type { KubeObject } from '../src/api/object.js';
import { startDataPlanePod } from '../test/support/dataplane-pod.js';
import { ensureKubeBinaries, startKubeApiserver } from '../test/support/kube-apiserver.js';
import { TestKubeClient } from '../test/support/kube-client.js';
import { backendObjects, eventually, httpGet, installCrds, startBackend } from '../test/support/kube-controller.js';
import { applyDeployRbac } from '../test/support/kube-deploy.js';
import { enterPrivateNetwork } from '../test/support/private-network.js';

const GATEWAYS = Number(process.env.BENCH_GATEWAYS ?? 20);
const TOTAL_GATEWAYS = Number(process.env.BENCH_TOTAL_GATEWAYS ?? 100);
const ROUTES = Number(process.env.BENCH_ROUTES ?? 1000);
const G = 'gateway.networking.k8s.io/v1';
const NS = 'bench';


function rssMiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const gateway = (i: number): KubeObject => ({
  apiVersion: G,
  kind: 'Gateway',
  metadata: { name: `gw-${i}`, namespace: NS },
  spec: { gatewayClassName: 'portico', infrastructure: { parametersRef: { group: 'gateway.portico.dev', kind: 'GatewayParameters', name: 'cluster-ip' } }, listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
});

const route = (gw: number, r: number): KubeObject => ({
  apiVersion: G,
  kind: 'HTTPRoute',
  metadata: { name: `gw-${gw}-r${r}`, namespace: NS },
  spec: { parentRefs: [{ name: `gw-${gw}` }], hostnames: [`r${r}.gw-${gw}.example`], rules: [{ backendRefs: [{ name: 'echo', port: 8080 }] }] },
});

async function main(): Promise<void> {
  const binaries = ensureKubeBinaries();
  if ('skip' in binaries) throw new Error(binaries.skip);
  const network = await enterPrivateNetwork();
  if ('skip' in network) throw new Error(network.skip);
  const backendAddress = network.ipv4[0];
  if (!backendAddress) throw new Error('no backend address in the private network');
  const dir = mkdtempSync(path.join(tmpdir(), 'portico-per-gateway-'));
  const api = await startKubeApiserver({ binaries });
  const backend = await startBackend('echo', backendAddress);
  const pods: ChildProcess[] = [];
  let controller: ChildProcess | undefined;
  try {
    const admin = new TestKubeClient(api.kubeconfig());
    await installCrds(admin);
    await installCrds(admin, (name) => name === 'gatewayparameters.gateway.portico.dev', 'portico');
    const credentials = await applyDeployRbac(api, { expirationSeconds: 7200, perGateway: true });
    const kubeconfig = path.join(dir, 'portico.kubeconfig');
    api.writeKubeconfig(kubeconfig, credentials.token);
    await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    for (const o of backendObjects(backend, NS, 'echo')) await admin.apply(o);
    await admin.apply({ apiVersion: G, kind: 'GatewayClass', metadata: { name: 'portico' }, spec: { controllerName: 'portico.dev/gateway-controller' } });
    // No load balancer runs here: ClusterIP Services, whose address the API server assigns.
    await admin.apply({ apiVersion: 'gateway.portico.dev/v1alpha1', kind: 'GatewayParameters', metadata: { name: 'cluster-ip', namespace: NS }, spec: { kube: { service: { type: 'ClusterIP' } } } });

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    controller = spawn(
      process.execPath,
      ['--max-semi-space-size=1', path.join(path.dirname(new URL(import.meta.url).pathname), '../src/cli/main.js'), 'controller', '--kubeconfig', kubeconfig, '--admin', '127.0.0.1:0', '--no-leader-election', '--deployment-mode', 'per-gateway', '--dataplane-listen', `127.0.0.1:${port}`, '--dataplane-controller-url', url, '--log-level', process.env.BENCH_LOG_LEVEL ?? 'error'],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    const pid = controller.pid as number;

    // 1. Creation to first answer, one Gateway at a time.
    const times: number[] = [];
    for (let i = 0; i < GATEWAYS; i++) {
      const started = performance.now();
      await admin.create(gateway(i));
      await admin.create(route(i, 0));
      await eventually(`Deployment of gw-${i}`, async () => (await admin.raw('GET', `/apis/apps/v1/namespaces/${NS}/deployments/portico-gw-${i}`)).status === 200, 60_000, 20);
      const ip = `192.0.2.${100 + i}`;
      pods.push(await startDataPlanePod(admin, NS, `portico-gw-${i}`, { ip, name: `portico-gw-${i}-pod`, dir }));
      await eventually(`first answer through gw-${i}`, async () => (await httpGet(ip, 80, `r0.gw-${i}.example`, '/', 1000).catch(() => undefined))?.status === 200, 60_000, 20);
      times.push(performance.now() - started);
      console.log(`  gw-${i}: ${(times[times.length - 1] as number).toFixed(0)} ms`);
    }

    // 2. RSS with TOTAL_GATEWAYS Gateways and ROUTES routes.
    for (let i = GATEWAYS; i < TOTAL_GATEWAYS; i++) await admin.create(gateway(i));
    const perGateway = Math.ceil(ROUTES / TOTAL_GATEWAYS);
    for (let i = 0; i < TOTAL_GATEWAYS; i++) for (let r = i < GATEWAYS ? 1 : 0; r < perGateway; r++) await admin.create(route(i, r));
    const settled = performance.now();
    await eventually(
      `every Gateway with its address`,
      async () => {
        const list = (await admin.raw('GET', `/apis/${G}/namespaces/${NS}/gateways`)).body as { items: { status?: { addresses?: unknown[] } }[] };
        return list.items.length === TOTAL_GATEWAYS && list.items.every((g) => (g.status?.addresses?.length ?? 0) > 0);
      },
      300_000,
      500,
    );
    const deployments = ((await admin.raw('GET', `/apis/apps/v1/namespaces/${NS}/deployments`)).body as { items: unknown[] }).items.length;
    const rss = rssMiB(pid);
    console.log(
      `\nbench/per-gateway (controller process, ClusterIP Services, data planes as processes)\n\n` +
        `| measure | value |\n| --- | --- |\n` +
        `| Gateway creation to first answer, p50 over ${GATEWAYS} | ${percentile(times, 50).toFixed(0)} ms |\n` +
        `| same, p90 | ${percentile(times, 90).toFixed(0)} ms |\n` +
        `| controller RSS, ${TOTAL_GATEWAYS} Gateways (${deployments} Deployments), ${ROUTES} routes | ${rss.toFixed(0)} MiB |\n` +
        `| from the last object created until every Gateway had its address in status | ${((performance.now() - settled) / 1000).toFixed(1)} s |\n`,
    );
  } finally {
    for (const p of pods) p.kill('SIGTERM');
    controller?.kill('SIGTERM');
    await Promise.all([...pods, ...(controller ? [controller] : [])].map((p) => new Promise((resolve) => (p.exitCode !== null ? resolve(null) : p.once('exit', resolve)))));
    await backend.close();
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
