/**
 * Deployment mode shared on a real API server: one data plane per GatewayClass, in the
 * controller's namespace and owned by the class, serving every Gateway of the class; each Gateway
 * gets a Service there mapping its ports to where the data plane serves them, and that Service's
 * address. `portico dataplane --gateway-class`, started as the pod spec says, serves two Gateways
 * that both listen on port 80 from one process, with one backend for the Service both use.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../src/api/object.js';
import { sharedServiceName } from '../../src/api/data-plane-names.js';
import { createLogger, silentLogger } from '../../src/log.js';
import { startController, type RunningController } from '../../src/runtime/controller-app.js';
import { freePort } from '../support/free-port.js';
import { fixtureDir, haproxyInstalled, startTlsEcho } from '../traffic/harness.js';
import { startDataPlanePod } from '../support/dataplane-pod.js';
import type { TestKubeClient } from '../support/kube-client.js';
import { ensureKubeBinaries, type KubeApiserver } from '../support/kube-apiserver.js';
import { backendObjects, condition, CONTROLLER, eventually, GROUP, httpGet, startPodModeCluster, type Backend, type GatewayStatus, type HttpAnswer, testControllerOptions } from '../support/kube-controller.js';
import { PORTICO_NAMESPACE } from '../support/kube-deploy.js';
import { enterPrivateNetwork } from '../support/private-network.js';

const binaries = ensureKubeBinaries();
const network = 'skip' in binaries ? binaries : await enterPrivateNetwork();
const addresses = (): readonly string[] => ('ipv4' in network ? network.ipv4 : []);
const skip = 'skip' in binaries ? binaries.skip : 'skip' in network ? network.skip : !haproxyInstalled ? 'haproxy is not installed' : false;

const APPS = 'apps';
const DATA_PLANE = 'portico-class-portico';
type Obj = KubeObject & { spec?: Record<string, unknown>; status?: Record<string, unknown> };
type ServiceSpec = { selector: Record<string, string>; clusterIP: string; ports: { port: number; targetPort: number }[] };

/** The configuration each HAProxy under `dir` runs: `<its state dir>/current/haproxy.cfg` (generations.ts). */
function haproxyConfigs(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    const stat = lstatSync(p);
    if (name === 'current' && stat.isSymbolicLink()) out.push(path.join(p, 'haproxy.cfg'));
    else if (stat.isDirectory()) out.push(...haproxyConfigs(p));
  }
  return out;
}

describe('deployment mode shared on a real kube-apiserver', { skip, timeout: 240_000 }, () => {
  let api: KubeApiserver;
  let admin: TestKubeClient;
  let controller: RunningController | undefined;
  let dir: string;
  let backend: Backend;
  let plane: ChildProcess | undefined;
  const logger = process.env.PORTICO_TEST_DEBUG ? createLogger({ level: 'debug' }) : silentLogger();

  const service = (gateway: string) => admin.get<Obj>('Service', PORTICO_NAMESPACE, sharedServiceName(APPS, gateway));
  const gatewayStatus = async (name: string) => (await admin.get<Obj>('Gateway', APPS, name))?.status as GatewayStatus | undefined;
  const createGateway = (name: string) =>
    admin.create<Obj>({ apiVersion: `${GROUP}/v1`, kind: 'Gateway', metadata: { name, namespace: APPS }, spec: { gatewayClassName: 'portico', listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }] } });
  const createRoute = (name: string, gateway: string, hostname: string) =>
    admin.create({ apiVersion: `${GROUP}/v1`, kind: 'HTTPRoute', metadata: { name, namespace: APPS }, spec: { parentRefs: [{ name: gateway }], hostnames: [hostname], rules: [{ backendRefs: [{ name: 'echo', port: 8080 }] }] } });
  /** Where a Gateway's port 80 is served: its Service's target port. */
  const servedPort = async (gateway: string): Promise<number> => {
    const spec = (await eventually(`the Service of Gateway ${gateway}`, () => service(gateway)))?.spec as unknown as ServiceSpec;
    const port = spec.ports.find((p) => p.port === 80)?.targetPort;
    assert.ok(port);
    return port;
  };

  before(async () => {
    assert.ok(!('skip' in binaries) && !('skip' in network));
    const ip = addresses()[0];
    assert.ok(ip);
    const cluster = await startPodModeCluster(binaries, APPS, ip, 'shared-');
    ({ dir, api, admin, backend } = cluster);
    const { kubeConfig } = cluster;
    // No load balancer runs here: the class's parameters make the Gateways' Services ClusterIP.
    await admin.create({ apiVersion: 'gateway.portico.dev/v1alpha1', kind: 'GatewayParameters', metadata: { name: 'shared', namespace: APPS }, spec: { kube: { service: { type: 'ClusterIP' } } } });
    await admin.create({
      apiVersion: `${GROUP}/v1`,
      kind: 'GatewayClass',
      metadata: { name: 'portico' },
      spec: { controllerName: CONTROLLER, parametersRef: { group: 'gateway.portico.dev', kind: 'GatewayParameters', name: 'shared', namespace: APPS } },
    });
    const channelPort = await freePort();
    controller = await startController(
      testControllerOptions({ kubeConfig, logger, identity: 'shared-test' }, {
        tuning: { backoff: { initialMs: 100, maxMs: 1000 } },
        perGateway: { image: 'portico:test', controllerUrl: `https://127.0.0.1:${channelPort}`, listen: { host: '127.0.0.1', port: channelPort }, holdMs: 2000, tls: 'self-issued', namespace: PORTICO_NAMESPACE, shared: true },
      }),
    );
    await controller.ready;
  });

  after(async () => {
    plane?.kill('SIGTERM');
    if (plane && plane.exitCode === null) await new Promise((resolve) => plane?.once('exit', resolve));
    await controller?.close();
    await backend?.close();
    admin?.close();
    await api?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('two Gateways of one class get one data plane owned by the class, and a Service each beside it, on ports of their own', async () => {
    const cls = await admin.get<Obj>('GatewayClass', '', 'portico');
    for (const name of ['web-a', 'web-b']) await createGateway(name);
    await createRoute('to-a', 'web-a', 'a.example');
    await createRoute('to-b', 'web-b', 'b.example');
    const deployment = await eventually('the class data plane', async () => {
      const r = await admin.raw('GET', `/apis/apps/v1/namespaces/${PORTICO_NAMESPACE}/deployments/${DATA_PLANE}`);
      return r.status === 200 ? (r.body as Obj) : undefined;
    });
    assert.deepEqual(deployment.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.uid]), [['GatewayClass', 'portico', cls?.metadata.uid]]);
    const pod = deployment.spec as { selector: { matchLabels: Record<string, string> }; template: { spec: { containers: { args: string[] }[] } } };
    assert.deepEqual(pod.template.spec.containers[0]?.args.slice(0, 3), ['dataplane', '--gateway-class', 'portico']);
    const [a, b] = [await servedPort('web-a'), await servedPort('web-b')];
    assert.notEqual(a, b, 'both port 80, served on ports of their own');
    for (const name of ['web-a', 'web-b']) {
      const svc = (await service(name)) as Obj;
      assert.deepEqual((svc.spec as unknown as ServiceSpec).selector, pod.selector.matchLabels, `the Service of ${name} selects the class's pods`);
      assert.equal(svc.metadata.labels?.['gateway.networking.k8s.io/gateway-name'], name);
      assert.equal(svc.metadata.ownerReferences?.[0]?.kind, 'GatewayClass');
      const clusterIP = (svc.spec as unknown as ServiceSpec).clusterIP;
      await eventually(`Gateway ${name} has its Service's address and waits for the data plane`, async () => {
        const s = await gatewayStatus(name);
        const p = condition(s?.conditions, 'Programmed');
        return s?.addresses?.[0]?.value === clusterIP && p?.status === 'False' && p.reason === 'Pending';
      });
    }
  });

  it('one `portico dataplane --gateway-class`, started as the pod spec says, serves both Gateways with one backend for their Service', async () => {
    const [, podIp] = addresses();
    assert.ok(podIp);
    plane = await startDataPlanePod(admin, PORTICO_NAMESPACE, DATA_PLANE, { ip: podIp, name: `${DATA_PLANE}-a`, dir, debug: Boolean(process.env.PORTICO_TEST_DEBUG) });
    for (const [gateway, host] of [
      ['web-a', 'a.example'],
      ['web-b', 'b.example'],
    ] as const) {
      const port = await servedPort(gateway);
      const answered: HttpAnswer = await eventually(`traffic to ${gateway}`, async () => {
        const answer: HttpAnswer | undefined = await httpGet(podIp, port, host).catch(() => undefined);
        return answer?.status === 200 ? answer : undefined;
      });
      assert.equal(answered.backend, 'echo');
      await eventually(`${gateway} Programmed=True`, async () => condition((await gatewayStatus(gateway))?.conditions, 'Programmed')?.status === 'True');
    }
    // Each Gateway's frontend is its own: a's hostname is not served on b's port.
    assert.equal((await httpGet(podIp, await servedPort('web-b'), 'a.example')).status, 404);
    const configs = haproxyConfigs(dir);
    assert.equal(configs.length, 1, 'one HAProxy for the class');
    const config = readFileSync(configs[0] as string, 'utf8');
    const pools = config.split('\n\n').filter((s) => s.startsWith('backend ') && s.includes(`${backend.address}:${backend.port}`));
    assert.equal(pools.length, 1, `one backend holds the echo Service's server:\n${config}`);
  });

  it('a third Gateway moves no other; a deleted Gateway loses its Service, the others keep serving', async () => {
    const [, podIp] = addresses();
    assert.ok(podIp);
    const before = [await servedPort('web-a'), await servedPort('web-b')];
    await createGateway('web-c');
    await createRoute('to-c', 'web-c', 'c.example');
    const c = await servedPort('web-c');
    await eventually('traffic to web-c', async () => (await httpGet(podIp, c, 'c.example').catch(() => undefined))?.status === 200);
    assert.deepEqual([await servedPort('web-a'), await servedPort('web-b')], before);
    const r = await admin.raw('DELETE', `/apis/${GROUP}/v1/namespaces/${APPS}/gateways/web-b`);
    assert.ok(r.status === 200 || r.status === 202, `delete: ${r.status}`);
    await eventually("web-b's Service deleted", async () => (await service('web-b')) === undefined);
    await eventually("web-b's port closed", async () => (await httpGet(podIp, before[1] as number, 'b.example').catch(() => 'closed')) === 'closed');
    assert.equal((await httpGet(podIp, before[0] as number, 'a.example')).status, 200);
  });

  it('each Gateway shows a TLS backend its own client certificate, or none, from the one data plane', async () => {
    const [ip, podIp] = addresses();
    assert.ok(ip && podIp);
    const fixture = (name: string) => readFileSync(path.join(fixtureDir(), 'tls', name), 'utf8');
    // The backend takes only clients with a certificate of the test client CA.
    const secure = await startTlsEcho('secure', APPS, { clientCA: fixture('client-ca.crt'), host: ip });
    try {
      await admin.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'backend-client', namespace: APPS }, type: 'kubernetes.io/tls', stringData: { 'tls.crt': fixture('client.crt'), 'tls.key': fixture('client.key') } });
      await admin.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'backend-ca', namespace: APPS }, data: { 'ca.crt': fixture('example.crt') } });
      for (const obj of backendObjects({ name: 'secure', address: secure.host, port: secure.port, close: secure.close }, APPS)) await admin.create(obj);
      await admin.create({
        apiVersion: `${GROUP}/v1`,
        kind: 'BackendTLSPolicy',
        metadata: { name: 'secure', namespace: APPS },
        spec: { targetRefs: [{ group: '', kind: 'Service', name: 'secure' }], validation: { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'backend-ca' }], hostname: 'abc.example.com' } },
      });
      await admin.create<Obj>({
        apiVersion: `${GROUP}/v1`,
        kind: 'Gateway',
        metadata: { name: 'mtls-a', namespace: APPS },
        spec: { gatewayClassName: 'portico', tls: { backend: { clientCertificateRef: { name: 'backend-client' } } }, listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }] },
      });
      await createGateway('mtls-b');
      for (const g of ['mtls-a', 'mtls-b']) {
        await admin.create({ apiVersion: `${GROUP}/v1`, kind: 'HTTPRoute', metadata: { name: `to-${g}`, namespace: APPS }, spec: { parentRefs: [{ name: g }], hostnames: [`${g}.example`], rules: [{ backendRefs: [{ name: 'secure', port: 8080 }] }] } });
      }
      const withCertificate = await eventually('mtls-a through to the backend', async () => {
        const answer = await httpGet(podIp, await servedPort('mtls-a'), 'mtls-a.example').catch(() => undefined);
        return answer?.status === 200 ? answer : undefined;
      });
      assert.equal((JSON.parse(withCertificate.body) as { client?: string }).client, 'client.example.com', "mtls-a's certificate was shown");
      // mtls-b has no certificate of its own: it must not borrow mtls-a's, so the backend refuses it.
      const without = await eventually('mtls-b served', async () => {
        const answer = await httpGet(podIp, await servedPort('mtls-b'), 'mtls-b.example').catch(() => undefined);
        return answer && answer.status !== 404 ? answer : undefined;
      });
      // With TLS 1.3 the backend's refusal comes after HAProxy's side of the handshake: 502, else 503.
      assert.ok([502, 503].includes(without.status), `${without.status} ${without.body}`);
      for (const g of ['mtls-a', 'mtls-b']) await eventually(`${g} Programmed=True`, async () => condition((await gatewayStatus(g))?.conditions, 'Programmed')?.status === 'True');
      const config = readFileSync(haproxyConfigs(dir)[0] as string, 'utf8');
      const pools = config.split('\n\n').filter((s) => s.startsWith('backend ') && s.includes(`${secure.host}:${secure.port}`));
      assert.deepEqual(pools.map((p) => / crt \S+/.test(p)).sort(), [false, true], `one backend per certificate for the TLS Service:\n${config}`);
    } finally {
      await secure.close();
    }
  });
});
