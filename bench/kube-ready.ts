/**
 * bench/kube-ready: time to ready of `portico controller` on a real kube-apiserver (built by
 * scripts/kube-binaries.sh), run as its own process with the least-privileged ServiceAccount of
 * deploy/base/rbac.yaml and the HAProxy data plane, inside a private network namespace like the
 * kube tests.
 *
 * 1. ROUTES HTTPRoutes (default 1,000) over NAMESPACES namespaces (default 150), each namespace
 *    with a Service and EndpointSlice of its own, all created before the controller starts; from
 *    the controller's start until every route is Accepted in status and every route answers.
 * 2. Routes created one by one at full API speed after that (ONE_BY_ONE, default 100); from the
 *    last one's creation until it answers.
 * 3. The controller process's RSS (VmRSS of the Node process; HAProxy not included), run with the
 *    V8 setting deploy/deployment.yaml gives it (--max-semi-space-size=1).
 *
 * 4. CPU time of each process from start to ready.
 *
 * Accepted is followed on a watch and traffic by probing one waiting route at a time: the probes
 * share the two cores with what they measure.
 *
 * Run: npm run build && node dist/bench/kube-ready.js   (env BENCH_ROUTES, BENCH_NAMESPACES,
 * BENCH_ONE_BY_ONE; BENCH_NODE_ARGS adds flags to the controller's node, e.g. --cpu-prof)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { KubeObject } from '../src/api/object.js';
import { ensureKubeBinaries, startKubeApiserver } from '../test/support/kube-apiserver.js';
import { TestKubeClient } from '../test/support/kube-client.js';
import { backendObjects, eventually, httpGet, installCrds, startBackend } from '../test/support/kube-controller.js';
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

/**
 * CPU time (user + system, ms) of every process in the private PID namespace, summed by command
 * name, this process as "bench": on two cores, what the probes cost is taken from what they measure.
 */
function cpuTimes(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime, in 10 ms clock ticks (USER_HZ 100)
      const name = pid === String(process.pid) ? 'bench' : comm;
      out[name] = (out[name] ?? 0) + ticks * 10;
    } catch {
      /* gone */
    }
  }
  return out;
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

    // Accepted is followed on a watch, not by listing every route again and again: a list of
    // 1,000 routes is megabytes of JSON for the API server to encode, which would slow the very
    // writes being measured. Listed as the controller starts, then watched from the list's version.
    const routesPath = '/apis/gateway.networking.k8s.io/v1/httproutes';
    type RouteWithStatus = KubeObject & { status?: { parents?: { conditions?: { type: string; status: string }[] }[] } };
    const acceptedRoutes = new Set<string>();
    const see = (route: RouteWithStatus): void => {
      const key = `${route.metadata.namespace ?? ''}/${route.metadata.name}`;
      if (route.status?.parents?.some((p) => p.conditions?.some((c) => c.type === 'Accepted' && c.status === 'True'))) acceptedRoutes.add(key);
      else acceptedRoutes.delete(key);
    };
    let watching: { abort(): void } | undefined;
    let following = true;
    // Listed, then watched from the list's version; listed again whenever the watch ends.
    const followAccepted = async (): Promise<number> => {
      const deadline = Date.now() + 120_000;
      while (following) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for every route Accepted (${acceptedRoutes.size} of ${ROUTES})`);
        const list = await admin.raw('GET', routesPath);
        const body = list.body as { metadata: { resourceVersion: string }; items: RouteWithStatus[] };
        for (const item of body.items) see(item);
        if (acceptedRoutes.size >= ROUTES) return performance.now();
        const at = await new Promise<number | undefined>((resolve) => {
          const handle = admin.transport.watch(routesPath, { resourceVersion: body.metadata.resourceVersion, allowWatchBookmarks: true }, (event) => {
            const { type, object } = event as { type: string; object: RouteWithStatus };
            if (type !== 'ADDED' && type !== 'MODIFIED') return;
            see(object);
            if (acceptedRoutes.size >= ROUTES) {
              handle.abort();
              resolve(performance.now());
            }
          });
          watching = handle;
          void handle.done.then(() => resolve(undefined));
        });
        if (at !== undefined) return at;
        // The watch ended (a 429 while the API server's cache initialises, say): list again shortly.
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('stopped');
    };

    const cpuBefore = cpuTimes();
    const started = performance.now();
    controller = spawn(
      process.execPath,
      // The same V8 setting as deploy/deployment.yaml's NODE_OPTIONS.
      ['--max-semi-space-size=1', ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean), path.join(path.dirname(new URL(import.meta.url).pathname), '../src/cli/main.js'), 'controller', '--kubeconfig', kubeconfig, '--admin', '127.0.0.1:0', '--state-dir', path.join(dir, 'state'), '--no-leader-election', '--log-level', process.env.BENCH_LOG_LEVEL ?? 'warn'],
      { stdio: ['ignore', process.env.BENCH_LOG_LEVEL ? 'inherit' : 'ignore', 'inherit'] },
    );
    // Status and traffic are watched side by side: each is timed on its own.
    const [allAccepted, allAnswering] = await Promise.all([
      followAccepted().then((at) => at - started),
      (async () => {
        // Probing every route in each round would load the two cores the controller and the API
        // server share: one waiting route is probed until it answers, then the rest are swept,
        // and the probe goes on with one of those still waiting.
        let pending = Array.from({ length: ROUTES }, (_, i) => i);
        while (pending.length > 0) {
          const probe = pending[pending.length - 1] as number;
          await eventually(`route r${probe} answering`, () => answers(`r${probe}.bench.example`), 120_000, 20);
          const still: number[] = [];
          await inParallel(pending, 32, async (i) => {
            if (i !== probe && !(await answers(`r${i}.bench.example`))) still.push(i);
          });
          pending = still;
        }
        return performance.now() - started;
      })(),
    ]);
    following = false;
    watching?.abort();
    const cpuReady = cpuTimes();
    const cpuUsed = Object.entries(cpuReady)
      .map(([name, ms]) => [name, ms - (cpuBefore[name] ?? 0)] as const)
      .filter(([, ms]) => ms >= 50)
      .sort(([, a], [, b]) => b - a);
    const rssReady = rssMiB(controller.pid ?? 0);

    let lastCreated = 0;
    for (let i = ROUTES; i < ROUTES + ONE_BY_ONE; i++) {
      await admin.create(route(i));
      lastCreated = performance.now();
    }
    const last = `r${ROUTES + ONE_BY_ONE - 1}.bench.example`;
    await eventually('the last route answering', () => answers(last), 120_000, 20);
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
    console.log(`| ${ROUTES} routes in ${NAMESPACES} namespaces: all Accepted | ${s(allAccepted)} after start | ≤ 5 s ${allAccepted <= 5000 ? '✔' : '✘'} |`);
    console.log(`| ${ROUTES} routes in ${NAMESPACES} namespaces: all answering | ${s(allAnswering)} after start | ≤ 5 s ${allAnswering <= 5000 ? '✔' : '✘'} |`);
    console.log(`| ${ONE_BY_ONE} more routes created one by one: the last one answering | ${s(lastAnswering)} after its creation | ≤ 2 s ${lastAnswering <= 2000 ? '✔' : '✘'} |`);
    console.log(`| controller RSS with ${ROUTES} routes / ${ROUTES + ONE_BY_ONE} routes | ${rssReady.toFixed(0)} MiB / ${rssAfter.toFixed(0)} MiB | ≤ 150 MiB ${Math.max(rssReady, rssAfter) <= 150 ? '✔' : '✘'} |`);
    console.log(`| CPU time from start to ready, by process | ${cpuUsed.map(([name, ms]) => `${name === 'node' ? 'portico' : name} ${s(ms)}`).join(', ')} | |`);
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
