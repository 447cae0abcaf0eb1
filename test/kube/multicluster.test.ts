/**
 * Multi-Cluster Services across three real API servers: a config cluster where `portico controller`
 * runs and serves Gateways, and two workload clusters ("west", "east") it reads with the least
 * privileges of deploy/multicluster/workload-cluster.yaml. Exports there become one ServiceImport
 * and mirrored EndpointSlices here; the traffic HAProxy serves follows exports, conflicts and a
 * workload API server that stops answering.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '../../src/api/object.js';
import { HaproxyDataPlane } from '../../src/haproxy/dataplane.js';
import { createLogger, silentLogger } from '../../src/log.js';
import { loadKubeConfig } from '../../src/providers/kubernetes/kubeconfig.js';
import { startController, type RunningController } from '../../src/runtime/controller-app.js';
import { haproxyInstalled } from '../traffic/harness.js';
import { TestKubeClient } from '../support/kube-client.js';
import { ensureKubeBinaries, startKubeApiserver, type KubeApiserver } from '../support/kube-apiserver.js';
import { condition, CONTROLLER, eventually, GROUP, httpGet, installCrds, startBackend, type Backend, type Condition, type GatewayStatus, testControllerOptions } from '../support/kube-controller.js';
import { applyDeployRbac, applyWorkloadRbac, PORTICO_NAMESPACE } from '../support/kube-deploy.js';
import { enterPrivateNetwork } from '../support/private-network.js';

const binaries = ensureKubeBinaries();
const network = 'skip' in binaries ? binaries : await enterPrivateNetwork();
const skip = 'skip' in binaries ? binaries.skip : 'skip' in network ? network.skip : !haproxyInstalled ? 'haproxy is not installed' : false;

const APPS = 'apps';
const GRACE_MS = 2000;
const MCS = 'multicluster.x-k8s.io/v1alpha1';
type Obj = KubeObject & { status?: Record<string, unknown> };

const service = (name: string, ports: { name: string; port: number; targetPort?: number }[], extra: Record<string, unknown> = {}): Obj => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: APPS },
  spec: { ports: ports.map((p) => ({ ...p, protocol: 'TCP' })), ...extra },
});
const slice = (name: string, backend: Backend): Obj => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: `${name}-1`, namespace: APPS, labels: { 'kubernetes.io/service-name': name } },
  addressType: 'IPv4',
  endpoints: [{ addresses: [backend.address], conditions: { ready: true } }],
  ports: [{ name: 'http', port: backend.port, protocol: 'TCP' }],
});
const serviceExport = (name: string): Obj => ({ apiVersion: MCS, kind: 'ServiceExport', metadata: { name, namespace: APPS } });

describe('multi-cluster: ServiceExports of two workload clusters served through the config cluster', { skip, timeout: 180_000 }, () => {
  let config: KubeApiserver;
  const workloads = new Map<string, KubeApiserver>();
  const clients = new Map<string, TestKubeClient>();
  let admin: TestKubeClient;
  let controller: RunningController;
  let dir: string;
  let address: string;
  const backends = new Map<string, Backend>();

  const client = (cluster: string): TestKubeClient => {
    const c = clients.get(cluster);
    assert.ok(c, cluster);
    return c;
  };
  const importStatus = async (name: string) => (await admin.get<Obj>('ServiceImport', APPS, name))?.status as { clusters?: { cluster: string }[]; conditions?: Condition[] } | undefined;
  const exportCondition = async (cluster: string, name: string, type: string) => condition(((await client(cluster).get<Obj>('ServiceExport', APPS, name))?.status as { conditions?: Condition[] } | undefined)?.conditions, type);
  /** Which backends answer `count` requests, by name. */
  const split = async (host: string, count: number): Promise<Map<string, number>> => {
    const seen = new Map<string, number>();
    for (let i = 0; i < count; i++) {
      const r = await httpGet(address, 80, host);
      const key = r.status === 200 ? (r.backend ?? '?') : String(r.status);
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    return seen;
  };
  /** Polls until `count` requests in a row all reach `only`. */
  const onlyTo = (host: string, only: string, what: string, timeoutMs = 20_000) =>
    eventually(what, async () => {
      const seen = await split(host, 10);
      return seen.size === 1 && seen.get(only) === 10;
    }, timeoutMs);

  before(async () => {
    assert.ok(!('skip' in binaries) && !('skip' in network));
    dir = mkdtempSync(path.join(tmpdir(), 'pmc-'));
    const [a, b] = network.ipv4;
    assert.ok(a && b);
    const [configApi, west, east] = await Promise.all([startKubeApiserver({ binaries }), startKubeApiserver({ binaries }), startKubeApiserver({ binaries })]);
    config = configApi;
    workloads.set('west', west);
    workloads.set('east', east);
    admin = new TestKubeClient(config.kubeconfig());
    await installCrds(admin);
    await installCrds(admin, () => true, 'multicluster');
    const { kubeconfig } = await applyDeployRbac(config, { multicluster: true });
    writeFileSync(path.join(dir, 'config'), kubeconfig);
    await admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: APPS } });
    await admin.create({ apiVersion: `${GROUP}/v1`, kind: 'GatewayClass', metadata: { name: 'portico' }, spec: { controllerName: CONTROLLER } });
    await admin.create({ apiVersion: `${GROUP}/v1`, kind: 'Gateway', metadata: { name: 'web', namespace: APPS }, spec: { gatewayClassName: 'portico', listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }] } });
    await admin.create({
      apiVersion: `${GROUP}/v1`,
      kind: 'HTTPRoute',
      metadata: { name: 'cart', namespace: APPS },
      spec: { parentRefs: [{ name: 'web' }], hostnames: ['cart.example'], rules: [{ backendRefs: [{ group: 'multicluster.x-k8s.io', kind: 'ServiceImport', name: 'cart', port: 80 }] }] },
    });

    const clusters: { name: string; kubeConfig: ReturnType<typeof loadKubeConfig> }[] = [];
    for (const [name, api, ip] of [['west', west, a], ['east', east, b]] as const) {
      const c = new TestKubeClient(api.kubeconfig());
      clients.set(name, c);
      await installCrds(c, () => true, 'multicluster');
      const file = path.join(dir, name);
      writeFileSync(file, await applyWorkloadRbac(api));
      clusters.push({ name, kubeConfig: loadKubeConfig(file) });
      await c.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: APPS } });
      const backend = await startBackend(`cart-${name}`, ip);
      backends.set(name, backend);
      // east offers one more port: the import has both.
      await c.create(service('cart', [{ name: 'http', port: 80, targetPort: backend.port }, ...(name === 'east' ? [{ name: 'metrics', port: 9090 }] : [])]));
      await c.create(slice('cart', backend));
      await c.create(serviceExport('cart'));
    }

    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(path.join(dir, 'config'));
    const logger = process.env.PORTICO_TEST_DEBUG ? createLogger({ level: 'debug' }) : silentLogger();
    controller = await startController(
      testControllerOptions({ kubeConfig, logger, identity: 'multicluster-test' }, {
        dataPlane: new HaproxyDataPlane({ stateDir: path.join(dir, 'h'), logger }),
        tuning: { backoff: { initialMs: 100, maxMs: 500 } },
        multiCluster: { clusters, graceMs: GRACE_MS, probeIntervalMs: 200, secretNamespace: PORTICO_NAMESPACE },
      }),
    );
    await controller.ready;
    const status = await eventually('Gateway web Programmed', async () => {
      const s = (await admin.get<Obj>('Gateway', APPS, 'web'))?.status as GatewayStatus | undefined;
      return condition(s?.conditions, 'Programmed')?.status === 'True' && s?.addresses?.[0] ? s : undefined;
    });
    address = status.addresses?.[0]?.value ?? '';
  });

  after(async () => {
    await controller?.close();
    for (const b of backends.values()) await b.close();
    admin?.close();
    for (const c of clients.values()) c.close();
    await Promise.all([config?.stop(), ...[...workloads.values()].map((w) => w.stop())]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('makes one ServiceImport of both exports (ports merged, both clusters in status) and splits traffic across both clusters', async () => {
    const status = await eventually('ServiceImport apps/cart with both clusters', async () => {
      const s = await importStatus('cart');
      return s?.clusters?.map((c) => c.cluster).join(',') === 'east,west' ? s : undefined;
    });
    assert.deepEqual([condition(status.conditions, 'Ready')?.status, condition(status.conditions, 'portico.dev/ClustersReachable')?.status], ['True', 'True']);
    const imported = await admin.get<Obj>('ServiceImport', APPS, 'cart');
    assert.deepEqual(imported?.spec, { type: 'ClusterSetIP', ports: [{ name: 'http', protocol: 'TCP', port: 80 }, { name: 'metrics', protocol: 'TCP', port: 9090 }] });
    assert.equal(imported?.metadata.labels?.['app.kubernetes.io/managed-by'], 'portico-multicluster');
    for (const cluster of ['west', 'east']) {
      const ready = await eventually(`ServiceExport ${cluster}/cart Ready`, () => exportCondition(cluster, 'cart', 'Ready'));
      assert.deepEqual([ready.status, ready.reason], ['True', 'Exported']);
      assert.deepEqual(((c) => [c?.status, c?.reason])(await exportCondition(cluster, 'cart', 'Valid')), ['True', 'Valid']);
      assert.deepEqual(((c) => [c?.status, c?.reason])(await exportCondition(cluster, 'cart', 'Conflict')), ['False', 'NoConflicts']);
    }
    // Traffic comes first from both clusters once both mirrored slices are served.
    await eventually('both clusters answer', async () => (await split('cart.example', 10)).size === 2);
    const seen = await split('cart.example', 200);
    const west = seen.get('cart-west') ?? 0;
    const east = seen.get('cart-east') ?? 0;
    assert.equal(west + east, 200, `every request answered by a cluster: ${JSON.stringify([...seen])}`);
    assert.ok(west >= 70 && east >= 70, `an even split across clusters, measured ${west}/${east}`);
    process.stdout.write(`# traffic split west/east over 200 requests: ${west}/${east}\n`);
  });

  it('raises Conflict (PortConflict) on both exports when their ports disagree', async () => {
    for (const [name, port] of [['west', 81], ['east', 82]] as const) {
      await client(name).create(service('stock', [{ name: 'http', port }]));
      await client(name).create(serviceExport('stock'));
    }
    for (const cluster of ['west', 'east']) {
      const c = await eventually(`ServiceExport ${cluster}/stock Conflict=True`, async () => {
        const found = await exportCondition(cluster, 'stock', 'Conflict');
        return found?.status === 'True' ? found : undefined;
      });
      assert.equal(c.reason, 'PortConflict');
      assert.match(c.message ?? '', /port "http" is \d+\/TCP in cluster \w+ and \d+\/TCP in cluster \w+, whose export is older and wins/);
    }
    const imported = await eventually('ServiceImport apps/stock', () => admin.get<Obj>('ServiceImport', APPS, 'stock'));
    assert.equal((imported.spec as { ports: { port: number }[] }).ports.length, 1, 'one port: the oldest export wins');
  });

  it('takes a withdrawn export\'s endpoints away, and brings them back when exported again', async () => {
    await client('west').remove('ServiceExport', APPS, 'cart');
    await onlyTo('cart.example', 'cart-east', 'traffic to east only once west withdrew its export');
    assert.deepEqual((await importStatus('cart'))?.clusters, [{ cluster: 'east' }]);
    await eventually('west\'s mirrored slice deleted', async () => {
      const slices = (await admin.raw('GET', `/apis/discovery.k8s.io/v1/namespaces/${APPS}/endpointslices?labelSelector=multicluster.kubernetes.io/source-cluster%3Dwest,multicluster.kubernetes.io/service-name%3Dcart`)).body as { items: unknown[] };
      return slices.items.length === 0;
    });
    await client('west').create(serviceExport('cart'));
    await eventually('both clusters answer again', async () => (await split('cart.example', 10)).size === 2);
  });

  it('takes a workload cluster from a labelled Secret while running, and drops it when the Secret goes', async () => {
    // "south" is west's API server under another name: a cluster of its own to the controller.
    const kubeconfig = Buffer.from(readFileSync(path.join(dir, 'west'))).toString('base64');
    await admin.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cluster-south', namespace: PORTICO_NAMESPACE, labels: { 'portico.dev/cluster': 'south' } }, type: 'Opaque', data: { kubeconfig } });
    await eventually('south in the import\'s clusters', async () => (await importStatus('cart'))?.clusters?.map((c) => c.cluster).join(',') === 'east,south,west');
    const mirrors = async (cluster: string) =>
      ((await admin.raw('GET', `/apis/discovery.k8s.io/v1/namespaces/${APPS}/endpointslices?labelSelector=multicluster.kubernetes.io/source-cluster%3D${cluster}`)).body as { items: unknown[] }).items.length;
    // The import's status and the mirrored slices are separate writes: either may land first.
    await eventually("south's endpoints mirrored", async () => (await mirrors('south')) === 1);
    await admin.remove('Secret', PORTICO_NAMESPACE, 'cluster-south');
    await eventually('south gone from the import\'s clusters', async () => (await importStatus('cart'))?.clusters?.map((c) => c.cluster).join(',') === 'east,west');
    await eventually('south\'s mirrored slice deleted', async () => (await mirrors('south')) === 0);
  });

  it('keeps an unreachable cluster\'s endpoints for the grace period, then moves traffic to the other cluster', async () => {
    const east = workloads.get('east');
    assert.ok(east);
    const stopped = Date.now();
    // Not awaited first: kube-apiserver refuses connections at once but may take seconds to exit.
    const stopping = east.stop();
    await onlyTo('cart.example', 'cart-west', 'traffic to west only after the grace period', 20_000);
    const moved = Date.now() - stopped;
    await stopping;
    process.stdout.write(`# east stopped → traffic to west only after ${moved} ms (grace ${GRACE_MS} ms)\n`);
    // The last answer came at most one probe (200 ms) before the stop: the endpoints were kept until then + grace.
    assert.ok(moved >= GRACE_MS - 500, `endpoints kept for the grace period: moved after ${moved} ms`);
    const status = await eventually('ServiceImport status shows east removed', async () => {
      const s = await importStatus('cart');
      return s?.clusters?.map((c) => c.cluster).join(',') === 'west' ? s : undefined;
    });
    const reachable = condition(status.conditions, 'portico.dev/ClustersReachable');
    assert.equal(reachable?.status, 'False');
    assert.match(reachable?.message ?? '', /cluster east is unreachable since .*; its endpoints were removed at /);
    const metrics = (await httpGet('127.0.0.1', controller.admin.port, 'admin', '/metrics')).body;
    assert.match(metrics, /portico_cluster_reachable\{cluster="east"\} 0/);
    assert.match(metrics, /portico_cluster_reachable\{cluster="west"\} 1/);
    assert.match(metrics, /portico_cluster_endpoints_kept\{cluster="east"\} 0/);
  });
});
