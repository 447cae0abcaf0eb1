/**
 * Deployment mode per-gateway on a real API server: a Gateway gets a ServiceAccount, token
 * Secret, Deployment and Service of its own, owned by it and carrying its infrastructure labels
 * and annotations; GatewayParameters shape them; `portico dataplane` started as the pod spec
 * says (its arguments and environment, the Secret's files in a temporary directory) serves the
 * Gateway's traffic with no Kubernetes credentials; two replicas; a controller restart leaves
 * traffic alone; the Gateway's address is its Service's, and Programmed follows the data planes.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { parse } from 'yaml';
import path from 'node:path';
import { freePort } from '../support/free-port.js';
import { after, before, describe, it } from 'node:test';
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '../../src/api/object.js';
import { createLogger, silentLogger } from '../../src/log.js';
import { startController, type RunningController } from '../../src/runtime/controller-app.js';
import { haproxyInstalled } from '../traffic/harness.js';
import { startDataPlanePod } from '../support/dataplane-pod.js';
import { projectRoot } from '../e2e/support.js';
import type { TestKubeClient } from '../support/kube-client.js';
import { ensureKubeBinaries, type KubeApiserver } from '../support/kube-apiserver.js';
import { condition, CONTROLLER, eventually, GROUP, httpGet, startBackend, startPodModeCluster, type Backend, type GatewayStatus, testControllerOptions } from '../support/kube-controller.js';
import { PORTICO_NAMESPACE } from '../support/kube-deploy.js';
import { enterPrivateNetwork } from '../support/private-network.js';

const binaries = ensureKubeBinaries();
const network = 'skip' in binaries ? binaries : await enterPrivateNetwork();
const addresses = (): readonly string[] => ('ipv4' in network ? network.ipv4 : []);
const skip = 'skip' in binaries ? binaries.skip : 'skip' in network ? network.skip : !haproxyInstalled ? 'haproxy is not installed' : false;

const APPS = 'apps';
type Obj = KubeObject & { spec?: Record<string, unknown>; status?: Record<string, unknown>; data?: Record<string, string> };
interface Container {
  args: string[];
}


describe('deployment mode per-gateway on a real kube-apiserver', { skip, timeout: 240_000 }, () => {
  let api: KubeApiserver;
  let admin: TestKubeClient;
  let controller: RunningController | undefined;
  let dir: string;
  let kubeConfig: KubeConfig;
  let channelPort: number;
  let backend: Backend;
  let second: Backend | undefined;
  const planes: ChildProcess[] = [];
  const logger = process.env.PORTICO_TEST_DEBUG ? createLogger({ level: 'debug' }) : silentLogger();

  const get = async (group: string, plural: string, name: string): Promise<Obj | undefined> => {
    const base = group === '' ? '/api/v1' : `/apis/${group}`;
    const r = await admin.raw('GET', `${base}/namespaces/${APPS}/${plural}/${name}`);
    return r.status === 200 ? (r.body as Obj) : undefined;
  };
  const gatewayStatus = async () => (await admin.get<Obj>('Gateway', APPS, 'web'))?.status as GatewayStatus | undefined;
  const start = () =>
    startController(
      testControllerOptions({ kubeConfig, logger, identity: 'per-gateway-test' }, {
        tuning: { backoff: { initialMs: 100, maxMs: 1000 } },
        // The channel's certificate as in a cluster: made once, kept in portico-system, trusted by the data planes.
        perGateway: { image: 'portico:test', controllerUrl: `https://127.0.0.1:${channelPort}`, listen: { host: '127.0.0.1', port: channelPort }, holdMs: 2000, tls: 'self-issued', namespace: PORTICO_NAMESPACE, routeMetrics: 'counters' },
      }),
    );

  /** Starts `portico dataplane` as the Deployment's pod spec says, as a pod at `podIp` would run it. */
  async function startDataPlane(podIp: string, podName: string): Promise<ChildProcess> {
    const child = await startDataPlanePod(admin, APPS, 'portico-web', { ip: podIp, name: podName, dir, debug: Boolean(process.env.PORTICO_TEST_DEBUG) });
    planes.push(child);
    return child;
  }

  before(async () => {
    assert.ok(!('skip' in binaries) && !('skip' in network));
    const ip = addresses()[0];
    assert.ok(ip);
    ({ dir, api, admin, kubeConfig, backend } = await startPodModeCluster(binaries, APPS, ip, 'pg-'));
    await admin.create({ apiVersion: `${GROUP}/v1`, kind: 'GatewayClass', metadata: { name: 'portico' }, spec: { controllerName: CONTROLLER } });
    channelPort = await freePort();
    controller = await start();
    await controller.ready;
  });

  after(async () => {
    for (const p of planes) p.kill('SIGTERM');
    await Promise.all(planes.map((p) => new Promise((resolve) => (p.exitCode !== null ? resolve(null) : p.once('exit', resolve)))));
    await controller?.close();
    await backend?.close();
    await second?.close();
    admin?.close();
    await api?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("a Gateway gets a ServiceAccount, Secret, Deployment and Service of its own, owned by it, with its infrastructure's labels and annotations", async () => {
    await admin.create({
      apiVersion: 'gateway.portico.dev/v1alpha1',
      kind: 'GatewayParameters',
      metadata: { name: 'edge', namespace: APPS },
      spec: { kube: { service: { type: 'ClusterIP' }, deployment: { replicas: 1 } } },
    });
    const gw: Obj = await admin.create<Obj>({
      apiVersion: `${GROUP}/v1`,
      kind: 'Gateway',
      metadata: { name: 'web', namespace: APPS },
      spec: {
        gatewayClassName: 'portico',
        infrastructure: { labels: { team: 'payments' }, annotations: { 'example.com/owner': 'payments' }, parametersRef: { group: 'gateway.portico.dev', kind: 'GatewayParameters', name: 'edge' } },
        listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }],
      },
    });
    await admin.create({ apiVersion: `${GROUP}/v1`, kind: 'HTTPRoute', metadata: { name: 'app', namespace: APPS }, spec: { parentRefs: [{ name: 'web' }], rules: [{ backendRefs: [{ name: 'echo', port: 8080 }] }] } });
    const objects = await eventually('the data plane objects', async () => {
      const found = await Promise.all([get('', 'serviceaccounts', 'portico-web'), get('', 'secrets', 'portico-web-token'), get('apps/v1', 'deployments', 'portico-web'), get('', 'services', 'portico-web')]);
      return found.every((o) => o !== undefined) ? (found as Obj[]) : undefined;
    });
    for (const o of objects) {
      assert.deepEqual(
        o.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.uid, r.controller]),
        [['Gateway', 'web', gw.metadata.uid, true]],
        `${o.kind} is owned by the Gateway`,
      );
      assert.equal(o.metadata.labels?.['gateway.networking.k8s.io/gateway-name'], 'web');
      assert.equal(o.metadata.labels?.team, 'payments');
      assert.equal(o.metadata.annotations?.['example.com/owner'], 'payments');
    }
    const [sa, secret, deployment, service] = objects as [Obj & { automountServiceAccountToken?: boolean }, Obj, Obj, Obj];
    assert.equal(sa.automountServiceAccountToken, false, 'the data plane has no API credentials');
    const channel = await admin.get<Obj>('Secret', PORTICO_NAMESPACE, 'portico-channel-tls');
    assert.equal(secret.data?.['ca.crt'], channel?.data?.['tls.crt'], 'the data plane trusts the channel certificate Portico made');
    const pod = (deployment.spec as { replicas: number; template: { metadata: { labels: Record<string, string> }; spec: { containers: Container[]; automountServiceAccountToken: boolean } } });
    assert.equal(pod.template.metadata.labels.team, 'payments');
    assert.equal(pod.template.spec.automountServiceAccountToken, false);
    assert.deepEqual(pod.template.spec.containers[0]?.args.slice(0, 3), ['dataplane', '--gateway', 'apps/web']);
    assert.equal(pod.replicas, 1);
    const svc = service.spec as { type: string; ports: { port: number }[]; clusterIP: string };
    assert.equal(svc.type, 'ClusterIP');
    assert.deepEqual(svc.ports.map((p) => p.port), [80]);
    // No data plane yet: the Gateway has its Service's address, and is not programmed.
    const status = await eventually('the Service address and Programmed=False Pending', async () => {
      const s = await gatewayStatus();
      const p = condition(s?.conditions, 'Programmed');
      return s?.addresses?.[0]?.value === svc.clusterIP && p?.status === 'False' && p.reason === 'Pending' ? s : undefined;
    });
    assert.deepEqual(status.addresses, [{ type: 'IPAddress', value: svc.clusterIP }]);
  });

  it('`portico dataplane`, started as the pod spec says, serves the Gateway and makes it Programmed; two replicas', async () => {
    const [, podA, podB] = addresses();
    assert.ok(podA && podB);
    await startDataPlane(podA, 'portico-web-a');
    const r = await eventually('traffic through the first data plane', async () => {
      const answer = await httpGet(podA, 80, 'anything.example').catch(() => undefined);
      return answer?.status === 200 ? answer : undefined;
    });
    assert.equal(r.backend, 'echo');
    await eventually('Programmed=True', async () => condition((await gatewayStatus())?.conditions, 'Programmed')?.status === 'True').catch((err: unknown) => {
      throw new Error(`${String(err)}; runtime: ${JSON.stringify((controller?.runtime.statusOf('Gateway/apps/web') as { conditions?: unknown })?.conditions)}; planes: ${JSON.stringify([...(controller?.channel?.planes.states() ?? [])])}`);
    });
    await startDataPlane(podB, 'portico-web-b');
    await eventually('traffic through the second data plane', async () => (await httpGet(podB, 80, 'anything.example').catch(() => undefined))?.status === 200);
    const replicas = await eventually('both replicas reported', () => {
      const list = controller?.channel?.planes.replicas('apps/web') ?? [];
      return list.length === 2 ? list : undefined;
    });
    assert.deepEqual(replicas.map((x) => x.replica).sort(), ['portico-web-a', 'portico-web-b']);
    assert.equal(new Set(replicas.map((x) => x.version)).size, 1, 'both replicas run the same version');
  });

  it('an endpoint change reaches the data plane through the runtime API, without a reload', async () => {
    const [, podA, , spare] = addresses();
    assert.ok(podA && spare);
    const status = async () => (await (await fetch(`http://${podA}:8082/status`)).json()) as { version: string; counters: { reloads: number; runtimeUpdates: number } };
    const before = await status();
    second = await startBackend('echo-two', spare);
    await admin.create({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'echo-2', namespace: APPS, labels: { 'kubernetes.io/service-name': 'echo' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: [spare], conditions: { ready: true } }],
      ports: [{ name: 'http', port: second.port, protocol: 'TCP' }],
    });
    await eventually('the new endpoint answers through the data plane', async () => (await httpGet(podA, 80, 'anything.example').catch(() => undefined))?.backend === 'echo-two');
    const after = await status();
    assert.equal(after.counters.reloads, before.counters.reloads, 'no reload');
    assert.ok(after.counters.runtimeUpdates > before.counters.runtimeUpdates, 'a runtime API update');
    assert.notEqual(after.version, before.version, 'a new configuration version');
    // The controller's --route-metrics reaches the pod spec: the data plane counts per route on /metrics.
    const metrics = await (await fetch(`http://${podA}:8082/metrics`)).text();
    const served = /^portico_route_requests_total\{gateway="apps\/web",listener="http",route_kind="HTTPRoute",route="apps\/app",rule="0"\} (\d+)$/m.exec(metrics);
    assert.ok(served && Number(served[1]) > 0, metrics.split('\n').filter((l) => l.startsWith('portico_route_requests_total')).join('\n'));
    assert.match(metrics, /^portico_haproxy_runtime_updates_total\{gateway="apps\/web",kind="endpoints"\} [1-9]/m);
  });

  it('a controller restart leaves traffic alone, and the data planes follow the new controller', async () => {
    const [, podA] = addresses();
    assert.ok(podA);
    await controller?.close();
    controller = undefined;
    for (let i = 0; i < 5; i++) assert.equal((await httpGet(podA, 80, 'anything.example')).status, 200, 'served while no controller runs');
    controller = await start();
    await controller.ready;
    // A route change reaches the data planes through the new controller.
    await admin.create({ apiVersion: `${GROUP}/v1`, kind: 'HTTPRoute', metadata: { name: 'teapot', namespace: APPS }, spec: { parentRefs: [{ name: 'web' }], hostnames: ['teapot.example'], rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { statusCode: 302, hostname: 'elsewhere.example' } }] }] } });
    await eventually('the new route on the first data plane', async () => (await httpGet(podA, 80, 'teapot.example').catch(() => undefined))?.status === 302);
    await eventually('Programmed=True after the restart', async () => condition((await gatewayStatus())?.conditions, 'Programmed')?.status === 'True');
  });

  it('GatewayInfrastructure (upstream conformance, its manifest and checks): the ServiceAccount and Service carry the labels and annotations', async () => {
    const ns = 'gateway-conformance-infra';
    await admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    const manifest = readFileSync(path.join(projectRoot, 'test/conformance/fixtures/gateway-infrastructure.yaml'), 'utf8').replace('"{GATEWAY_CLASS_NAME}"', 'portico');
    const gw = parse(manifest) as Obj & { spec: { infrastructure: { labels: Record<string, string>; annotations: Record<string, string> } } };
    await admin.create(gw);
    await eventually('Accepted=True', async () => condition(((await admin.get<Obj>('Gateway', ns, gw.metadata.name))?.status as GatewayStatus | undefined)?.conditions, 'Accepted')?.status === 'True');
    const selector = encodeURIComponent(`gateway.networking.k8s.io/gateway-name=${gw.metadata.name}`);
    const list = async (plural: string) => ((await admin.raw('GET', `/api/v1/namespaces/${ns}/${plural}?labelSelector=${selector}`)).body as { items: Obj[] }).items;
    const [sas, services] = await eventually('a ServiceAccount and a Service with the gateway-name label', async () => {
      const found = [await list('serviceaccounts'), await list('services')];
      return found.every((l) => l.length > 0) ? found : undefined;
    });
    for (const o of [sas?.[0], services?.[0]]) {
      assert.ok(o);
      for (const [k, v] of Object.entries(gw.spec.infrastructure.labels)) assert.equal(o.metadata.labels?.[k], v, `${o.kind} label ${k}`);
      for (const [k, v] of Object.entries(gw.spec.infrastructure.annotations)) assert.equal(o.metadata.annotations?.[k], v, `${o.kind} annotation ${k}`);
    }
    // So the class declares the feature in this mode (and not static addresses, which it refuses).
    const features = (((await admin.get<Obj>('GatewayClass', '', 'portico'))?.status as { supportedFeatures?: { name: string }[] } | undefined)?.supportedFeatures ?? []).map((f) => f.name);
    assert.ok(features.includes('GatewayInfrastructurePropagation') && !features.includes('GatewayStaticAddresses'), features.join(' '));
  });

  it('a GatewayParameters change rolls through to the Deployment', async () => {
    const params = await admin.get<Obj>('GatewayParameters', APPS, 'edge');
    assert.ok(params);
    await admin.replace({ ...params, spec: { kube: { service: { type: 'ClusterIP' }, deployment: { replicas: 3 }, podDisruptionBudget: { spec: { minAvailable: 1 } } } } });
    await eventually('3 replicas', async () => ((await get('apps/v1', 'deployments', 'portico-web'))?.spec as { replicas?: number } | undefined)?.replicas === 3);
    const pdb = await eventually('the PodDisruptionBudget', () => get('policy/v1', 'poddisruptionbudgets', 'portico-web'));
    assert.deepEqual((pdb.spec as { minAvailable: number }).minAvailable, 1);
  });
});
