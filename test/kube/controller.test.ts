/**
 * `portico controller` on a real API server, in-process, with the real HAProxy data plane and a
 * least-privileged ServiceAccount token: objects created, changed and deleted through the API
 * reach both the status the controller writes back and the traffic HAProxy serves.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import type { KindName } from '../../src/api/kinds.js';
import type { KubeObject } from '../../src/api/object.js';
import { HaproxyDataPlane } from '../../src/haproxy/dataplane.js';
import { createLogger, silentLogger } from '../../src/log.js';
import { startController, type RunningController } from '../../src/runtime/controller-app.js';
import { haproxyInstalled } from '../traffic/harness.js';
import { KubeRequestError, TestKubeClient } from '../support/kube-client.js';
import { ensureKubeBinaries, startKubeApiserver, type KubeApiserver } from '../support/kube-apiserver.js';
import {
  backendObjects,
  condition,
  CONTROLLER,
  eventually,
  GROUP,
  httpGet,
  installCrds,
  porticoKubeconfig,
  startBackend,
  type Backend,
  type GatewayStatus,
  type ParentStatus, testControllerOptions } from '../support/kube-controller.js';
import { enterPrivateNetwork } from '../support/private-network.js';

// A build needs the network outside; then the file runs itself inside its private network.
const binaries = ensureKubeBinaries();
const network = 'skip' in binaries ? binaries : await enterPrivateNetwork();
const skip = 'skip' in binaries ? binaries.skip : 'skip' in network ? network.skip : !haproxyInstalled ? 'haproxy is not installed' : false;

const APPS = 'apps';
const BACKENDS = 'backends';
const SELECTED = 'selected';
const gatewayApi = `${GROUP}/v1`;

type Obj = KubeObject & { status?: Record<string, unknown> };

function gateway(name: string, listeners: Record<string, unknown>[], namespace = APPS): Obj {
  return { apiVersion: gatewayApi, kind: 'Gateway', metadata: { name, namespace }, spec: { gatewayClassName: 'portico', listeners } };
}

function httpRoute(name: string, namespace: string, spec: Record<string, unknown>): Obj {
  return { apiVersion: gatewayApi, kind: 'HTTPRoute', metadata: { name, namespace }, spec };
}

const backendRef = (name: string, namespace?: string) => ({ name, port: 8080, ...(namespace ? { namespace } : {}) });

describe('portico controller on a real kube-apiserver', { skip, timeout: 240_000 }, () => {
  let api: KubeApiserver;
  let admin: TestKubeClient;
  let controller: RunningController;
  let dir: string;
  const backends = new Map<string, Backend>();
  let address: string;
  let spareAddress: string;

  const read = (kind: string, namespace: string | undefined, name: string) => admin.get<Obj>(kind, namespace, name);
  const gatewayStatus = async (name: string) => (await read('Gateway', APPS, name))?.status as GatewayStatus | undefined;
  const ourParent = async (kind: string, namespace: string, name: string, gatewayName = 'web') =>
    ((await read(kind, namespace, name))?.status?.parents as ParentStatus[] | undefined)?.find((p) => p.controllerName === CONTROLLER && p.parentRef.name === gatewayName);
  const routeCondition = (namespace: string, name: string, type: string, status: string, reason: string) =>
    eventually(`HTTPRoute ${namespace}/${name} ${type}=${status} ${reason} on the API server`, async () => {
      const c = condition((await ourParent('HTTPRoute', namespace, name))?.conditions, type);
      return c?.status === status && c.reason === reason ? c : undefined;
    });
  const served = (host: string, check: (r: { status: number; backend?: string }) => boolean, what: string, port = 80) =>
    eventually(what, async () => {
      const r = await httpGet(address, port, host);
      return check(r) ? r : undefined;
    });

  before(async () => {
    assert.ok(!('skip' in binaries) && !('skip' in network));
    dir = mkdtempSync(path.join(tmpdir(), 'pc-'));
    api = await startKubeApiserver({ binaries });
    admin = new TestKubeClient(api.kubeconfig());
    // TCPRoute's CRD comes later: the controller starts without it.
    await installCrds(admin, (name) => !name.startsWith('tcproutes.'));
    const kubeconfigFile = await porticoKubeconfig(api, path.join(dir, 'kubeconfig'));

    for (const ns of [APPS, BACKENDS, SELECTED]) await admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    const [a, b, c, d] = network.ipv4;
    assert.ok(a && b && c && d);
    spareAddress = d;
    for (const [name, ip, ns] of [['echo-a', a, APPS], ['echo-b', b, APPS], ['echo-x', c, BACKENDS]] as const) {
      const backend = await startBackend(name, ip);
      backends.set(name, backend);
      for (const obj of backendObjects(backend, ns)) await admin.create(obj);
    }
    await admin.create({ apiVersion: gatewayApi, kind: 'GatewayClass', metadata: { name: 'portico' }, spec: { controllerName: CONTROLLER } });

    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(kubeconfigFile);
    const logger = process.env.PORTICO_TEST_DEBUG ? createLogger({ level: 'debug' }) : silentLogger();
    controller = await startController(
      testControllerOptions({ kubeConfig, logger, identity: 'controller-test' }, {
        dataPlane: new HaproxyDataPlane({ stateDir: path.join(dir, 'h'), logger }),
        tuning: { backoff: { initialMs: 100, maxMs: 1000 } },
      }),
    );
    await controller.ready;
  });

  after(async () => {
    await controller?.close();
    for (const b of backends.values()) await b.close();
    admin?.close();
    await api?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('accepts the GatewayClass and reports the installed CRDs as a supported version', async () => {
    const status = await eventually('GatewayClass status', async () => {
      const s = (await read('GatewayClass', undefined, 'portico'))?.status as GatewayStatus | undefined;
      return condition(s?.conditions, 'Accepted')?.status === 'True' ? s : undefined;
    });
    const supported = condition(status.conditions, 'SupportedVersion');
    assert.deepEqual([supported?.status, supported?.reason], ['True', 'SupportedVersion']);
    assert.match(supported?.message ?? '', /v1\.6\.1/);
  });

  it('serves a Gateway and an HTTPRoute created through the API, and writes their status', async () => {
    await admin.create(gateway('web', [{ name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'All' } } }]));
    await admin.create(httpRoute('route-a', APPS, { parentRefs: [{ name: 'web' }], hostnames: ['a.example'], rules: [{ backendRefs: [backendRef('echo-a')] }] }));
    const status = await eventually('Gateway web Programmed on the API server', async () => {
      const s = await gatewayStatus('web');
      return condition(s?.conditions, 'Programmed')?.status === 'True' && s?.addresses?.[0] ? s : undefined;
    });
    address = status.addresses?.[0]?.value ?? '';
    assert.match(address, /^127\.0\.10\./);
    assert.equal(condition(status.conditions, 'Accepted')?.observedGeneration, 1);
    await routeCondition(APPS, 'route-a', 'Accepted', 'True', 'Accepted');
    await routeCondition(APPS, 'route-a', 'ResolvedRefs', 'True', 'ResolvedRefs');
    await served('a.example', (r) => r.backend === 'echo-a', 'a.example served by echo-a');
    await eventually('attachedRoutes 1', async () => (await gatewayStatus('web'))?.listeners?.[0]?.attachedRoutes === 1);
  });

  it('follows updates and deletions of routes and Gateways', async () => {
    const route = await read('HTTPRoute', APPS, 'route-a');
    assert.ok(route);
    await admin.replace({ ...route, spec: { ...(route.spec as object), rules: [{ backendRefs: [backendRef('echo-b')] }] } });
    await served('a.example', (r) => r.backend === 'echo-b', 'a.example now served by echo-b');
    await eventually('route status for generation 2', async () => condition((await ourParent('HTTPRoute', APPS, 'route-a'))?.conditions, 'Accepted')?.observedGeneration === 2);

    await admin.remove('HTTPRoute', APPS, 'route-a');
    await served('a.example', (r) => r.status === 404, 'a.example answers 404 once the route is gone');
    await eventually('attachedRoutes 0', async () => (await gatewayStatus('web'))?.listeners?.[0]?.attachedRoutes === 0);

    // A second Gateway with a route; deleting the Gateway takes its traffic and our route status away.
    await admin.create(gateway('temp', [{ name: 'http', protocol: 'HTTP', port: 80 }]));
    await admin.create(httpRoute('route-t', APPS, { parentRefs: [{ name: 'temp' }], rules: [{ backendRefs: [backendRef('echo-a')] }] }));
    const temp = await eventually('Gateway temp Programmed', async () => {
      const s = await gatewayStatus('temp');
      return condition(s?.conditions, 'Programmed')?.status === 'True' ? s?.addresses?.[0]?.value : undefined;
    });
    assert.notEqual(temp, address, 'each Gateway has an address of its own');
    await eventually('temp serves route-t', async () => (await httpGet(temp, 80, 'any.example')).backend === 'echo-a');
    await admin.remove('Gateway', APPS, 'temp');
    await eventually('temp no longer listening', () => httpGet(temp, 80, 'any.example', '/', 500).then(() => false, () => true));
    await eventually('our parent entry removed from route-t', async () => {
      const parents = (await read('HTTPRoute', APPS, 'route-t'))?.status?.parents as ParentStatus[] | undefined;
      return parents !== undefined && !parents.some((p) => p.controllerName === CONTROLLER);
    });
    await admin.remove('HTTPRoute', APPS, 'route-t');
  });

  it('follows a ReferenceGrant being added and removed', async () => {
    await admin.create(httpRoute('cross', APPS, { parentRefs: [{ name: 'web' }], hostnames: ['cross.example'], rules: [{ backendRefs: [backendRef('echo-x', BACKENDS)] }] }));
    await routeCondition(APPS, 'cross', 'ResolvedRefs', 'False', 'RefNotPermitted');
    await served('cross.example', (r) => r.status === 500, 'cross.example answers 500 without a grant');

    await admin.create({
      apiVersion: `${GROUP}/v1beta1`,
      kind: 'ReferenceGrant',
      metadata: { name: 'from-apps', namespace: BACKENDS },
      spec: { from: [{ group: GROUP, kind: 'HTTPRoute', namespace: APPS }], to: [{ group: '', kind: 'Service' }] },
    });
    await routeCondition(APPS, 'cross', 'ResolvedRefs', 'True', 'ResolvedRefs');
    await served('cross.example', (r) => r.backend === 'echo-x', 'cross.example served by echo-x with the grant');

    await admin.remove('ReferenceGrant', BACKENDS, 'from-apps');
    await routeCondition(APPS, 'cross', 'ResolvedRefs', 'False', 'RefNotPermitted');
    await served('cross.example', (r) => r.status === 500, 'cross.example answers 500 again');
  });

  it('follows a namespace label switching a Selector listener on and off', async () => {
    await admin.create(
      gateway('picky', [{ name: 'http', protocol: 'HTTP', port: 80, hostname: 'picky.example', allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { 'portico-test/allowed': 'yes' } } } } }]),
    );
    await admin.create(httpRoute('picked', SELECTED, { parentRefs: [{ name: 'picky', namespace: APPS }], rules: [{ backendRefs: [backendRef('echo-p')] }] }));
    const pickedParent = (type: string, status: string, reason: string) =>
      eventually(`picked ${type}=${status} ${reason}`, async () => {
        const c = condition((await ourParent('HTTPRoute', SELECTED, 'picked', 'picky'))?.conditions, type);
        return c?.status === status && c.reason === reason;
      });
    const picky = await eventually('Gateway picky Programmed', async () => {
      const s = await gatewayStatus('picky');
      return condition(s?.conditions, 'Programmed')?.status === 'True' ? s?.addresses?.[0]?.value : undefined;
    });
    const echoP = await startBackend('echo-p', spareAddress);
    backends.set('echo-p', echoP);
    for (const obj of backendObjects(echoP, SELECTED)) await admin.create(obj);
    await pickedParent('Accepted', 'False', 'NotAllowedByListeners');

    const label = async (labels: Record<string, string>) => {
      const ns = await read('Namespace', undefined, SELECTED);
      assert.ok(ns);
      await admin.replace({ ...ns, metadata: { ...ns.metadata, labels } });
    };
    await label({ 'portico-test/allowed': 'yes' });
    await pickedParent('Accepted', 'True', 'Accepted');
    await eventually('picky.example served by echo-p', async () => (await httpGet(picky, 80, 'picky.example')).backend === 'echo-p');

    await label({});
    await pickedParent('Accepted', 'False', 'NotAllowedByListeners');
    await eventually('picky.example answers 404 again', async () => (await httpGet(picky, 80, 'picky.example')).status === 404);
  });

  /**
   * Reads and writes again when the object changed in between (409): Portico may write its
   * status at any moment, and any client of the API server must expect that.
   */
  async function retryOnConflict<T>(write: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await write();
      } catch (err) {
        if (!(err instanceof KubeRequestError && err.response.status === 409) || attempt >= 5) throw err;
      }
    }
  }

  it("keeps another controller's entry in a route's status.parents", async () => {
    await admin.create(
      httpRoute('shared', APPS, {
        parentRefs: [{ name: 'web' }, { name: 'elsewhere' }],
        hostnames: ['shared.example'],
        rules: [{ backendRefs: [backendRef('echo-a')] }],
      }),
    );
    await routeCondition(APPS, 'shared', 'Accepted', 'True', 'Accepted');
    const theirs: ParentStatus = {
      parentRef: { name: 'elsewhere' },
      controllerName: 'example.com/other-controller',
      conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted', message: 'theirs', observedGeneration: 1, lastTransitionTime: '2025-01-01T00:00:00Z' }],
    };
    const written = await retryOnConflict(async () => {
      const current = await read('HTTPRoute', APPS, 'shared');
      assert.ok(current);
      const parents = (current.status?.parents as ParentStatus[]) ?? [];
      return admin.replaceStatus({ ...current, status: { parents: [...parents, theirs] } });
    });
    // As the API server stored it (with the CRD's defaults).
    const stored = (written.status?.parents as ParentStatus[]).filter((p) => p.controllerName !== CONTROLLER);
    assert.equal(stored.length, 1);

    // A spec change makes Portico write again: its entry moves to generation 2, theirs stays as is.
    await retryOnConflict(async () => {
      const before = await read('HTTPRoute', APPS, 'shared');
      assert.ok(before);
      return admin.replace({ ...before, spec: { ...(before.spec as object), hostnames: ['shared.example', 'shared2.example'] } });
    });
    const after = await eventually('our entry at generation 2', async () => {
      const route = await read('HTTPRoute', APPS, 'shared');
      const ours = (route?.status?.parents as ParentStatus[] | undefined)?.find((p) => p.controllerName === CONTROLLER);
      return condition(ours?.conditions, 'Accepted')?.observedGeneration === 2 ? route : undefined;
    });
    const kept = (after.status?.parents as ParentStatus[]).filter((p) => p.controllerName !== CONTROLLER);
    assert.deepEqual(kept, stored);
    await served('shared2.example', (r) => r.backend === 'echo-a', 'shared2.example served');
  });

  it('makes no status write in a steady state, even when unrelated objects change', async () => {
    const settled = async () => {
      await eventually('status writer idle with nothing left to write', async () => {
        await controller.status.idle();
        const before = await controller.kubeMetrics.statusWriteCount();
        // Everything the watch delivered has been handed to the writer (translated, or found to
        // be only the echoes of its own writes).
        const snapshot = controller.cache.snapshot();
        const latest = controller.status.latest;
        const same =
          latest !== undefined &&
          latest.size === snapshot.size &&
          [...snapshot.all()].every((o) => latest.get(o.kind as KindName, o.metadata.namespace, o.metadata.name) === o);
        await controller.status.idle();
        return same && (await controller.kubeMetrics.statusWriteCount()) === before;
      });
      return controller.kubeMetrics.statusWriteCount();
    };
    const count = await settled();
    // An unrelated change: translated again, same status.
    const service = await read('Service', APPS, 'echo-b');
    assert.ok(service);
    await admin.replace({ ...service, metadata: { ...service.metadata, labels: { touched: 'yes' } } });
    await eventually('the change translated', () => controller.runtime.current?.resources.get('Service', APPS, 'echo-b')?.metadata.labels?.touched === 'yes');
    assert.equal(await settled(), count, 'no status write for a change that alters no status');
    // And a change that does alter status is written; the watch's echo of that write is not
    // translated again.
    const echoes = async () => (await controller.kubeMetrics.echoSnapshots.get()).values[0]?.value ?? 0;
    const echoesBefore = await echoes();
    const gw = await read('Gateway', APPS, 'web');
    assert.ok(gw);
    await admin.replace({ ...gw, spec: { ...(gw.spec as object), listeners: [...((gw.spec as { listeners: object[] }).listeners), { name: 'alt', protocol: 'HTTP', port: 8080 }] } });
    await eventually('Gateway web with two listeners', async () => (await gatewayStatus('web'))?.listeners?.length === 2);
    assert.ok((await settled()) > count);
    // An echo is recognised only while no other snapshot is being processed, so on a loaded
    // machine one can miss; of three status changes (listener added, removed, added again), one
    // must be recognised, and the Gateway ends with both listeners either way.
    const toggle = async (withAlt: boolean) => {
      const current = await read('Gateway', APPS, 'web');
      assert.ok(current);
      const listeners = (current.spec as { listeners: { name: string }[] }).listeners.filter((l) => l.name !== 'alt');
      if (withAlt) listeners.push({ name: 'alt', protocol: 'HTTP', port: 8080 } as { name: string });
      await admin.replace({ ...current, spec: { ...(current.spec as object), listeners } });
      await eventually(`Gateway web with ${listeners.length} listener(s)`, async () => (await gatewayStatus('web'))?.listeners?.length === listeners.length);
      await settled();
    };
    if ((await echoes()) === echoesBefore) {
      await toggle(false);
      await toggle(true);
    }
    assert.ok((await echoes()) > echoesBefore, 'the echo of a Gateway status write was recognised');
  });

  it('keeps working while the API server refuses an invalid object', async () => {
    const refused = await admin.raw('POST', `/apis/${GROUP}/v1/namespaces/${APPS}/httproutes`, httpRoute('bad', APPS, { parentRefs: [{ name: 'web' }], hostnames: ['-not a hostname-'] }));
    assert.equal(refused.status, 422);
    await admin.create(httpRoute('after-bad', APPS, { parentRefs: [{ name: 'web' }], hostnames: ['after.example'], rules: [{ backendRefs: [backendRef('echo-a')] }] }));
    await served('after.example', (r) => r.backend === 'echo-a', 'a valid route created after the refusal is served');
    await routeCondition(APPS, 'after-bad', 'Accepted', 'True', 'Accepted');
  });

  it('picks up a kind whose CRD is installed while it runs', async () => {
    const lists = async () => (await controller.kubeMetrics.lists.get()).values.find((v) => v.labels.kind === 'TCPRoute' && v.labels.result === 'absent')?.value ?? 0;
    assert.ok((await lists()) >= 1, 'TCPRoute was found absent at start');
    await installCrds(admin, (name) => name.startsWith('tcproutes.'));
    const gw = await read('Gateway', APPS, 'web');
    assert.ok(gw);
    await admin.replace({ ...gw, spec: { ...(gw.spec as object), listeners: [...((gw.spec as { listeners: object[] }).listeners), { name: 'tcp', protocol: 'TCP', port: 9000 }] } });
    await eventually('TCPRoute created once its CRD is served', () =>
      admin.create({ apiVersion: gatewayApi, kind: 'TCPRoute', metadata: { name: 'tcp', namespace: APPS }, spec: { parentRefs: [{ name: 'web', sectionName: 'tcp' }], rules: [{ backendRefs: [backendRef('echo-a')] }] } }).then(() => true),
    );
    await eventually('TCPRoute Accepted on the API server', async () => condition((await ourParent('TCPRoute', APPS, 'tcp'))?.conditions, 'Accepted')?.status === 'True');
    await eventually('port 9000 forwards to echo-a', async () => (await httpGet(address, 9000, 'tcp.example')).backend === 'echo-a');
  });

  it('serves ServiceImport backends once the Multi-Cluster Services CRDs are installed', async () => {
    await installCrds(admin, () => true, 'multicluster');
    const echoB = backends.get('echo-b');
    assert.ok(echoB);
    await eventually('ServiceImport created once its CRD is served', () =>
      admin
        .create({ apiVersion: 'multicluster.x-k8s.io/v1alpha1', kind: 'ServiceImport', metadata: { name: 'remote-b', namespace: APPS }, spec: { type: 'ClusterSetIP', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] } })
        .then(() => true),
    );
    // The slice another cluster's endpoints arrive in, labelled for the import, not for a Service.
    await admin.create({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'remote-b-west', namespace: APPS, labels: { 'multicluster.kubernetes.io/service-name': 'remote-b', 'multicluster.kubernetes.io/source-cluster': 'west' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: [echoB.address], conditions: { ready: true } }],
      ports: [{ name: 'http', port: echoB.port, protocol: 'TCP' }],
    });
    await admin.create(httpRoute('imported', APPS, { parentRefs: [{ name: 'web' }], hostnames: ['imported.example'], rules: [{ backendRefs: [{ group: 'multicluster.x-k8s.io', kind: 'ServiceImport', name: 'remote-b', port: 8080 }] }] }));
    await served('imported.example', (r) => r.status === 200 && r.backend === 'echo-b', 'the import served through HAProxy');
    // Traffic can be served before the status reaches the API server.
    await eventually('the route ResolvedRefs=True on the API server', async () => condition((await ourParent('HTTPRoute', APPS, 'imported'))?.conditions, 'ResolvedRefs')?.status === 'True');
  });

  it('keeps serving while the API server is killed, and follows changes once it is back', async () => {
    const expired = async () => (await controller.kubeMetrics.watches.get()).values.filter((v) => v.labels.end === 'expired').reduce((n, v) => n + v.value, 0);
    const expiredBefore = await expired();
    const restarted = api.restart({ signal: 'SIGKILL' });
    // Traffic keeps flowing from the last configuration while the API server is away.
    let answered = 0;
    let done = false;
    void restarted.finally(() => (done = true));
    while (!done) {
      const r = await httpGet(address, 80, 'after.example');
      assert.equal(r.backend, 'echo-a');
      answered++;
      await new Promise((resolve) => setTimeout(resolve, 20)); // pacing, not synchronisation
    }
    await restarted;
    assert.ok(answered > 0);
    await admin.create(httpRoute('late', APPS, { parentRefs: [{ name: 'web' }], hostnames: ['late.example'], rules: [{ backendRefs: [backendRef('echo-b')] }] }));
    await served('late.example', (r) => r.backend === 'echo-b', 'a route created after the restart is served', 80);
    await routeCondition(APPS, 'late', 'Accepted', 'True', 'Accepted');
    // The restarted server's watch cache starts at its current revision: watches resumed from
    // older versions of quiet kinds (Secrets, ConfigMaps) are answered 410 Gone and re-listed.
    assert.ok((await expired()) > expiredBefore, 'some watch was answered 410 Gone and its kind listed again');
  });

  it("writes the status of Portico's policies, and serves what they ask", async () => {
    await installCrds(admin, () => true, 'portico');
    const policy = (kind: string, name: string, spec: Record<string, unknown>): Obj => ({ apiVersion: 'gateway.portico.dev/v1alpha1', kind, metadata: { name, namespace: APPS }, spec });
    const toGateway = [{ group: GROUP, kind: 'Gateway', name: 'web' }];
    await eventually('TrafficPolicy created once its CRD is served', () =>
      admin.create(policy('TrafficPolicy', 'limit-a', { targetRefs: toGateway, rateLimit: { local: { tokenBucket: { maxTokens: 1000, fillInterval: '1s' } } } })).then(() => true),
    );
    await admin.create(policy('ListenerPolicy', 'edge', { targetRefs: toGateway, default: { httpSettings: { healthCheck: { path: '/portico-healthz' } } } }));
    // An Opaque Secret is read only when labelled for policies.
    const htpasswd = (name: string, labels?: Record<string, string>): Obj => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: APPS, ...(labels ? { labels } : {}) }, type: 'Opaque', data: { '.htpasswd': Buffer.from('alice:{SHA}tiY7sUhYKUwI5L3866kDY+ENcrQ=\n').toString('base64') } });
    await admin.create(htpasswd('users', { 'gateway.portico.dev/policy-secret': 'true' }));
    await admin.create(htpasswd('hidden'));
    await admin.create(policy('TrafficPolicy', 'login', { targetRefs: [{ group: GROUP, kind: 'HTTPRoute', name: 'late' }], basicAuth: { secretRef: { name: 'users' } } }));
    await admin.create(policy('TrafficPolicy', 'login-hidden', { targetRefs: [{ group: GROUP, kind: 'HTTPRoute', name: 'late' }], basicAuth: { secretRef: { name: 'hidden' } } }));
    await admin.create(policy('ListenerPolicy', 'logs', { targetRefs: toGateway, default: { httpSettings: { accessLog: [{ fileSink: { path: '/etc/portico-access.log', stringFormat: '%RESPONSE_CODE%' } }] } } }));
    const accepted = (kind: string, name: string) =>
      eventually(`${kind} ${name} status on the API server`, async () => {
        const ancestors = (await read(kind, APPS, name))?.status?.ancestors as { ancestorRef: { name: string }; controllerName: string; conditions: { type: string; status: string; reason: string }[] }[] | undefined;
        const ours = ancestors?.find((a) => a.controllerName === CONTROLLER && a.ancestorRef.name === 'web');
        return condition(ours?.conditions, 'Accepted');
      });
    assert.deepEqual(((c) => [c.status, c.reason])(await accepted('TrafficPolicy', 'limit-a')), ['True', 'Accepted']);
    assert.deepEqual(((c) => [c.status, c.reason])(await accepted('ListenerPolicy', 'edge')), ['True', 'Accepted']);
    assert.deepEqual(((c) => [c.status, c.reason])(await accepted('ListenerPolicy', 'logs')), ['False', 'Invalid']);
    const loginStatus = async (name: string) => {
      const a = ((await read('TrafficPolicy', APPS, name))?.status?.ancestors as { conditions: { type: string; status: string; reason: string; message: string }[] }[] | undefined)?.[0];
      return condition(a?.conditions, 'Accepted');
    };
    await eventually('the labelled htpasswd Secret is read', async () => (await loginStatus('login'))?.status === 'True');
    const hidden = await eventually('the unlabelled Secret is not', async () => ((await loginStatus('login-hidden'))?.reason === 'Invalid' ? loginStatus('login-hidden') : undefined));
    assert.match(hidden?.message ?? '', /label it gateway\.portico\.dev\/policy-secret=true/);
    await eventually('the health check answered by the proxy', async () => (await httpGet(address, 80, 'any.example', '/portico-healthz')).body === 'ok\n');
  });

  it('serves readiness and its metrics on the admin API', async () => {
    const get = (p: string) => httpGet('127.0.0.1', controller.admin.port, 'admin', p);
    assert.equal((await get('/readyz')).status, 200);
    const metrics = (await get('/metrics')).body;
    assert.match(metrics, /portico_status_writes_total\{kind="Gateway",result="ok"\} \d+/);
    assert.match(metrics, /portico_leader 1/);
    const route = JSON.parse((await get(`/apis/${GROUP}/v1/namespaces/${APPS}/httproutes/late`)).body) as Obj;
    assert.equal(route.metadata.name, 'late');
  });
});
