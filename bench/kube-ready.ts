/**
 * bench/kube-ready: time to ready of `portico controller` on a real kube-apiserver (built by
 * scripts/kube-binaries.sh), run as its own process with the least-privileged ServiceAccount of
 * deploy/rbac.yaml and the HAProxy data plane, inside a private network namespace like the kube
 * tests.
 *
 * 1. ROUTES HTTPRoutes (default 1,000) over NAMESPACES namespaces (default 150), each namespace
 *    with a Service and EndpointSlice of its own, all created before the controller starts; from
 *    the controller's start until every route is Accepted in status and every route answers.
 * 2. Routes created one by one at full API speed after that (ONE_BY_ONE, default 100); from the
 *    last one's creation until it answers.
 * 3. The controller process's RSS (VmRSS of the Node process; HAProxy not included), run with the
 *    V8 setting deploy/deployment.yaml gives it (--max-semi-space-size=1).
 *
 * Run: npm run build && node dist/bench/kube-ready.js   (env BENCH_ROUTES, BENCH_NAMESPACES, BENCH_ONE_BY_ONE)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { KubeObject } from '../src/api/object.js';
import { ensureKubeBinaries, startKubeApiserver } from '../test/support/kube-apiserver.js';
import { TestKubeClient } from '../test/support/kube-client.js';
import { backendObjects, httpGet, installCrds, startBackend } from '../test/support/kube-controller.js';
import { applyDeployRbac } from '../test/support/kube-deploy.js';
import { enterPrivateNetwork } from '../test/support/private-network.js';

const ROUTES = Number(process.env.BENCH_ROUTES ?? 1000);
const NAMESPACES = Number(process.env.BENCH_NAMESPACES ?? 150);
const ONE_BY_ONE = Number(process.env.BENCH_ONE_BY_ONE ?? 100);
const G = 'gateway.networking.k8s.io/v1';
const GATEWAY_ADDRESS = '127.0.10.1';

/** Runs `fn` over `items` with at most `limit` calls in flight. */
async function inParallel<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

function route(i: number): KubeObject {
  return {
    apiVersion: G,
    kind: 'HTTPRoute',
    metadata: { name: `r${i}`, namespace: `ns-${i % NAMESPACES}` },
    spec: {
      parentRefs: [{ name: 'gw', namespace: 'bench-gw' }],
      hostnames: [`r${i}.bench.example`],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'echo', port: 8080 }] }],
    },
  };
}

async function answers(host: string): Promise<boolean> {
  try {
    return (await httpGet(GATEWAY_ADDRESS, 80, host, '/', 2000)).status === 200;
  } catch {
    return false;
  }
}

async function until(what: string, check: () => Promise<boolean>, intervalMs = 20, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

function rssMiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function main(): Promise<void> {
  const binaries = ensureKubeBinaries();
  if ('skip' in binaries) throw new Error(binaries.skip);
  const network = await enterPrivateNetwork();
  if ('skip' in network) throw new Error(network.skip);
  const backendAddress = network.ipv4[0];
  if (!backendAddress) throw new Error('no backend address in the private network');

  const dir = mkdtempSync(path.join(tmpdir(), 'portico-kube-ready-'));
  const api = await startKubeApiserver({ binaries });
  const backend = await startBackend('echo', backendAddress);
  let controller: ReturnType<typeof spawn> | undefined;
  try {
    const admin = new TestKubeClient(api.kubeconfig());
    await installCrds(admin);
    const credentials = await applyDeployRbac(api, { expirationSeconds: 7200 });
    const kubeconfig = path.join(dir, 'portico.kubeconfig');
    api.writeKubeconfig(kubeconfig, credentials.token);

    const created = performance.now();
    await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench-gw' } });
    await admin.apply({ apiVersion: G, kind: 'GatewayClass', metadata: { name: 'portico' }, spec: { controllerName: 'portico.dev/gateway-controller' } });
    await admin.apply({
      apiVersion: G,
      kind: 'Gateway',
      metadata: { name: 'gw', namespace: 'bench-gw' },
      spec: { gatewayClassName: 'portico', addresses: [{ type: 'IPAddress', value: GATEWAY_ADDRESS }], listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }] },
    });
    const namespaces = Array.from({ length: NAMESPACES }, (_, n) => `ns-${n}`);
    await inParallel(namespaces, 16, async (ns) => {
      await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
      for (const o of backendObjects(backend, ns, 'echo')) await admin.apply(o);
    });
    await inParallel(
      Array.from({ length: ROUTES }, (_, i) => i),
      16,
      (i) => admin.create(route(i)),
    );
    console.log(`bench/kube-ready: ${ROUTES} HTTPRoutes in ${NAMESPACES} namespaces created in ${((performance.now() - created) / 1000).toFixed(1)} s; starting the controller`);

    const started = performance.now();
    controller = spawn(
      process.execPath,
      // The same V8 setting as deploy/deployment.yaml's NODE_OPTIONS.
      ['--max-semi-space-size=1', path.join(path.dirname(new URL(import.meta.url).pathname), '../src/cli/main.js'), 'controller', '--kubeconfig', kubeconfig, '--admin', '127.0.0.1:0', '--state-dir', path.join(dir, 'state'), '--no-leader-election', '--log-level', process.env.BENCH_LOG_LEVEL ?? 'warn'],
      { stdio: ['ignore', process.env.BENCH_LOG_LEVEL ? 'inherit' : 'ignore', 'inherit'] },
    );
    const accepted = async (): Promise<boolean> => {
      const list = await admin.raw('GET', '/apis/gateway.networking.k8s.io/v1/httproutes');
      const items = (list.body as { items?: { status?: { parents?: { conditions?: { type: string; status: string }[] }[] } }[] }).items ?? [];
      return items.length >= ROUTES && items.every((r) => r.status?.parents?.some((p) => p.conditions?.some((c) => c.type === 'Accepted' && c.status === 'True')));
    };
    // Status and traffic are watched side by side: each is timed on its own.
    const [allAccepted, allAnswering] = await Promise.all([
      // Each check lists every route (megabytes of JSON): polled every 200 ms so that the
      // measurement does not load the API server it measures.
      until('every route Accepted', accepted, 200).then(() => performance.now() - started),
      (async () => {
        let pending = Array.from({ length: ROUTES }, (_, i) => i);
        await until('every route answering', async () => {
          const still: number[] = [];
          await inParallel(pending, 32, async (i) => {
            if (!(await answers(`r${i}.bench.example`))) still.push(i);
          });
          pending = still;
          return pending.length === 0;
        });
        return performance.now() - started;
      })(),
    ]);
    const rssReady = rssMiB(controller.pid ?? 0);

    let lastCreated = 0;
    for (let i = ROUTES; i < ROUTES + ONE_BY_ONE; i++) {
      await admin.create(route(i));
      lastCreated = performance.now();
    }
    const last = `r${ROUTES + ONE_BY_ONE - 1}.bench.example`;
    await until('the last route answering', () => answers(last));
    const lastAnswering = performance.now() - lastCreated;
    const rssAfter = rssMiB(controller.pid ?? 0);

    // Baseline in the same run: the API server alone taking one status write per route from a
    // client with as many writes in flight as the controller (no controller running).
    controller.kill('SIGTERM');
    await new Promise((r) => controller?.once('exit', r));
    controller = undefined;
    const list = await admin.raw('GET', '/apis/gateway.networking.k8s.io/v1/httproutes');
    // Routes the controller had not written yet (the last ones created) have no status to rewrite.
    const items = (list.body as { items: (KubeObject & { status?: { parents?: unknown[] } })[] }).items.filter((r) => (r.status?.parents ?? []).length > 0);
    const written = performance.now();
    await inParallel(items, 64, async (item) => {
      const status = JSON.parse(JSON.stringify((item as { status?: unknown }).status ?? {})) as { parents?: { conditions?: { lastTransitionTime?: string }[] }[] };
      for (const p of status.parents ?? []) for (const c of p.conditions ?? []) c.lastTransitionTime = new Date(Date.now() - 1000).toISOString().replace(/\.\d+Z$/, 'Z');
      await admin.replaceStatus({ ...item, apiVersion: G, kind: 'HTTPRoute', status } as KubeObject);
    });
    const rawWrites = performance.now() - written;

    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    console.log(`\n| measurement | result | target |\n| --- | --- | --- |`);
    console.log(`| ${ROUTES} routes in ${NAMESPACES} namespaces: all Accepted | ${s(allAccepted)} after start | |`);
    console.log(`| ${ROUTES} routes in ${NAMESPACES} namespaces: all answering | ${s(allAnswering)} after start | ≤ 5 s ${allAnswering <= 5000 ? '✔' : '✘'} |`);
    console.log(`| ${ONE_BY_ONE} more routes created one by one: the last one answering | ${s(lastAnswering)} after its creation | ≤ 2 s ${lastAnswering <= 2000 ? '✔' : '✘'} |`);
    console.log(`| controller RSS with ${ROUTES} routes / ${ROUTES + ONE_BY_ONE} routes | ${rssReady.toFixed(0)} MiB / ${rssAfter.toFixed(0)} MiB | ≤ 150 MiB ${Math.max(rssReady, rssAfter) <= 150 ? '✔' : '✘'} |`);
    console.log(`| baseline: the API server alone taking ${items.length} HTTPRoute status writes (64 in flight) | ${s(rawWrites)} (${Math.round(items.length / (rawWrites / 1000))} writes/s) | |`);
  } finally {
    controller?.kill('SIGTERM');
    if (controller && controller.exitCode === null) await new Promise((r) => controller?.once('exit', r));
    await backend.close();
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
