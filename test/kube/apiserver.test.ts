/**
 * The test infrastructure for running Portico against a real API server: kube-apiserver and etcd
 * built from source (scripts/kube-binaries.sh), the Gateway API CRDs as a cluster serves them,
 * ServiceAccount tokens under RBAC, EndpointSlices with backend addresses that the API server
 * accepts and that answer on this machine, and a restart of the API server mid-test.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  ApiException,
  CoreV1Api,
  CustomObjectsApi,
  DiscoveryV1Api,
  KubeConfig,
  KubernetesObjectApi,
  loadYaml,
  PatchStrategy,
  RbacAuthorizationV1Api,
  type KubernetesObject,
  type V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { GATEWAY_GROUP as GROUP } from '../../src/api/kinds.js';
import { projectRoot } from '../e2e/support.js';
import { requestJson } from '../support/echo-server.js';
import { waitFor } from '../support/fs-wait.js';
import { ensureKubeBinaries, startKubeApiserver, type KubeApiserver } from '../support/kube-apiserver.js';
import { kubeConfigFor, waitForCrdsEstablished } from '../support/kube-deploy.js';
import { enterPrivateNetwork } from '../support/private-network.js';

// Order matters: a build needs the network outside; then the file runs itself inside its private
// network namespace (this line does not return outside it).
const binaries = ensureKubeBinaries();
const network = 'skip' in binaries ? binaries : await enterPrivateNetwork();

const NS = 'portico-test';
const FIELD_MANAGER = 'portico-test';

interface Condition {
  type: string;
  status: string;
  reason?: string;
}
interface Listener {
  name: string;
  protocol: string;
  port: number;
  allowedRoutes?: { namespaces?: { from?: string } };
}
interface Gateway extends KubernetesObject {
  spec: { gatewayClassName: string; listeners: Listener[] };
  status?: { conditions?: Condition[] };
}
interface GatewayList {
  items: Gateway[];
}

/** The API server's answer to a refused request: its HTTP status and the Status message. */
async function refusal(request: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await request;
  } catch (err) {
    if (err instanceof ApiException) {
      const body: unknown = typeof err.body === 'string' ? JSON.parse(err.body) : err.body;
      const message = typeof body === 'object' && body !== null && 'message' in body ? String(body.message) : String(err.body);
      return { code: err.code, message };
    }
    throw err;
  }
  assert.fail('the API server accepted the request');
}

function gateway(name: string, listeners: Listener[] | Record<string, unknown>[]): Gateway {
  return {
    apiVersion: `${GROUP}/v1`,
    kind: 'Gateway',
    metadata: { name, namespace: NS },
    spec: { gatewayClassName: 'portico', listeners: listeners as Listener[] },
  };
}

const built = 'skip' in binaries ? undefined : binaries;

// The timeout only guards against a hung API server: a run takes about 15 s.
describe('a real kube-apiserver', { skip: 'skip' in binaries ? binaries.skip : false, timeout: 180_000 }, () => {
  let api: KubeApiserver;
  let kc: KubeConfig;
  let core: CoreV1Api;
  let custom: CustomObjectsApi;

  before(async () => {
    assert.ok(built);
    api = await startKubeApiserver({ binaries: built });
    kc = kubeConfigFor(api);
    core = kc.makeApiClient(CoreV1Api);
    custom = kc.makeApiClient(CustomObjectsApi);
  });
  after(async () => {
    await api?.stop();
  });

  it('serves the Gateway API standard CRDs once they are server-side applied', async () => {
    const objects = KubernetesObjectApi.makeApiClient(kc);
    const dir = path.join(projectRoot, 'crds/standard');
    const names: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
      // loadYaml, not a plain YAML parser: client-node serializes through its typed models, which
      // silently drop keys in wire form such as `x-kubernetes-validations` (and with them the CEL
      // rules and the status default) unless the object came through its own deserializer.
      const crd = loadYaml<V1CustomResourceDefinition>(readFileSync(path.join(dir, file), 'utf8'));
      names.push(crd.metadata?.name ?? file);
      await objects.patch(crd, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
    }
    assert.ok(names.includes(`gateways.${GROUP}`), `crds/standard holds the Gateway CRD: ${names.join(', ')}`);
    await waitForCrdsEstablished(kc, names);
  });

  it('stores a GatewayClass and a Gateway, with the defaults of the CRD schema', async () => {
    await core.createNamespace({ body: { metadata: { name: NS } } });
    await custom.createClusterCustomObject({
      group: GROUP,
      version: 'v1',
      plural: 'gatewayclasses',
      body: { apiVersion: `${GROUP}/v1`, kind: 'GatewayClass', metadata: { name: 'portico' }, spec: { controllerName: 'portico.dev/gateway-controller' } },
    });
    await custom.createNamespacedCustomObject({
      group: GROUP,
      version: 'v1',
      namespace: NS,
      plural: 'gateways',
      body: gateway('web', [{ name: 'http', protocol: 'HTTP', port: 80 }]),
    });

    const read = (await custom.getNamespacedCustomObject({ group: GROUP, version: 'v1', namespace: NS, plural: 'gateways', name: 'web' })) as Gateway;
    assert.equal(read.spec.gatewayClassName, 'portico');
    assert.deepEqual(
      read.spec.listeners.map((l) => [l.name, l.protocol, l.port]),
      [['http', 'HTTP', 80]],
    );
    // Applied by the API server from the CRD's schema, not sent by this test.
    assert.equal(read.spec.listeners[0]?.allowedRoutes?.namespaces?.from, 'Same');
    // The CRD's default status, which a controller replaces.
    assert.deepEqual(
      read.status?.conditions?.map((c) => [c.type, c.status, c.reason]),
      [
        ['Accepted', 'Unknown', 'Pending'],
        ['Programmed', 'Unknown', 'Pending'],
      ],
    );
    const classes = (await custom.getClusterCustomObject({ group: GROUP, version: 'v1', plural: 'gatewayclasses', name: 'portico' })) as {
      spec: { controllerName: string };
    };
    assert.equal(classes.spec.controllerName, 'portico.dev/gateway-controller');
  });

  it("refuses invalid Gateways through the CRD's schema and its CEL rules", async () => {
    const create = (body: Gateway): Promise<unknown> => custom.createNamespacedCustomObject({ group: GROUP, version: 'v1', namespace: NS, plural: 'gateways', body });

    const port0 = await refusal(create(gateway('port-zero', [{ name: 'http', protocol: 'HTTP', port: 0 }])));
    assert.equal(port0.code, 422);
    assert.match(port0.message, /spec\.listeners\[0\]\.port: Invalid value: 0: spec\.listeners\[0\]\.port in body should be greater than or equal to 1/);

    const badProtocol = await refusal(create(gateway('bad-protocol', [{ name: 'http', protocol: 'not a protocol', port: 80 }])));
    assert.equal(badProtocol.code, 422);
    assert.match(badProtocol.message, /spec\.listeners\[0\]\.protocol.*should match/);

    // A rule of the CRD's x-kubernetes-validations: evaluated by the API server's CEL.
    const tlsOnHttp = await refusal(create(gateway('tls-on-http', [{ name: 'http', protocol: 'HTTP', port: 80, tls: { mode: 'Terminate', certificateRefs: [{ name: 'cert' }] } }])));
    assert.equal(tlsOnHttp.code, 422);
    assert.match(tlsOnHttp.message, /tls must not be specified for protocols \['HTTP', 'TCP', 'UDP'\]/);

    const list = (await custom.listNamespacedCustomObject({ group: GROUP, version: 'v1', namespace: NS, plural: 'gateways' })) as GatewayList;
    assert.deepEqual(
      list.items.map((g) => g.metadata?.name),
      ['web'],
    );
  });

  it(
    'accepts an EndpointSlice whose backend address answers on the private network, and refuses loopback',
    { skip: 'skip' in network ? network.skip : false },
    async (t) => {
      assert.ok(!('skip' in network));
      const discovery = kc.makeApiClient(DiscoveryV1Api);
      const [address] = network.ipv4;
      assert.ok(address !== undefined);
      const backend = http.createServer((req, res) => res.end(`echo ${req.url ?? ''} from ${req.socket.localAddress ?? '?'}`));
      await new Promise<void>((resolve) => backend.listen(0, address, resolve));
      t.after(() => backend.close());
      const { port } = backend.address() as { port: number };

      await core.createNamespacedService({
        namespace: NS,
        body: { metadata: { name: 'echo' }, spec: { ports: [{ name: 'http', port: 8080, targetPort: port, protocol: 'TCP' }] } },
      });
      const slice = (name: string, ip: string, addressType: 'IPv4' | 'IPv6' = 'IPv4') => ({
        namespace: NS,
        body: {
          metadata: { name, labels: { 'kubernetes.io/service-name': 'echo' } },
          addressType,
          endpoints: [{ addresses: [ip], conditions: { ready: true } }],
          ports: [{ name: 'http', port, protocol: 'TCP' }],
        },
      });

      const loopback = await refusal(discovery.createNamespacedEndpointSlice(slice('echo-loopback', '127.0.0.1')));
      assert.equal(loopback.code, 422);
      assert.match(loopback.message, /loopback/);

      await discovery.createNamespacedEndpointSlice(slice('echo-1', address));
      // Read back through a label selector, as a controller finds a Service's slices.
      const slices = await discovery.listNamespacedEndpointSlice({ namespace: NS, labelSelector: 'kubernetes.io/service-name=echo' });
      assert.deepEqual(
        slices.items.map((s) => s.metadata?.name),
        ['echo-1'],
      );
      const stored = slices.items[0]?.endpoints[0]?.addresses[0];
      const storedPort = slices.items[0]?.ports?.[0]?.port;
      assert.equal(stored, address);
      assert.equal((await requestJson(`http://${stored}:${String(storedPort)}/hello`)).text, `echo /hello from ${address}`);

      const [address6] = network.ipv6;
      if (address6 !== undefined) {
        await discovery.createNamespacedEndpointSlice(slice('echo-ipv6', address6, 'IPv6'));
        const loopback6 = await refusal(discovery.createNamespacedEndpointSlice(slice('echo-loopback6', '::1', 'IPv6')));
        assert.equal(loopback6.code, 422);
      }
    },
  );

  it('issues ServiceAccount tokens through the TokenRequest API and enforces RBAC on them', async () => {
    await core.createNamespacedServiceAccount({ namespace: NS, body: { metadata: { name: 'portico' } } });
    const request = await core.createNamespacedServiceAccountToken({
      namespace: NS,
      name: 'portico',
      body: { spec: { audiences: [], expirationSeconds: 3600 } },
    });
    const token = request.status?.token;
    assert.ok(token, 'a token was issued');
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { iss?: string; sub?: string };
    assert.equal(claims.iss, api.serviceAccountIssuer);
    assert.equal(claims.sub, `system:serviceaccount:${NS}:portico`);

    const asPortico = kubeConfigFor(api, token).makeApiClient(CustomObjectsApi);
    const list = (namespace: string): Promise<unknown> => asPortico.listNamespacedCustomObject({ group: GROUP, version: 'v1', namespace, plural: 'gateways' });
    const before = await refusal(list(NS));
    assert.equal(before.code, 403);
    assert.match(before.message, new RegExp(`"system:serviceaccount:${NS}:portico" cannot list resource "gateways"`));

    const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createClusterRole({
      body: {
        metadata: { name: 'portico-gateway-reader' },
        rules: [{ apiGroups: [GROUP], resources: ['gateways'], verbs: ['get', 'list', 'watch'] }],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: NS,
      body: {
        metadata: { name: 'portico-gateway-reader' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'portico-gateway-reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'portico', namespace: NS }],
      },
    });
    // The authorizer sees new bindings through its informers: soon, not at once.
    const allowed = await waitFor(
      'the RoleBinding to take effect',
      () =>
        list(NS).then(
          (result) => result as GatewayList,
          () => undefined,
        ),
      10_000,
    );
    assert.deepEqual(
      allowed.items.map((g) => g.metadata?.name),
      ['web'],
    );
    // The binding is namespaced: other namespaces stay forbidden.
    assert.equal((await refusal(list('default'))).code, 403);
  });

  it('keeps every object, and accepts the tokens it issued, across a kube-apiserver restart', async () => {
    const token = (await core.createNamespacedServiceAccountToken({ namespace: NS, name: 'portico', body: { spec: { audiences: [] } } })).status?.token;
    assert.ok(token);
    await api.restart();

    const read = (await custom.getNamespacedCustomObject({ group: GROUP, version: 'v1', namespace: NS, plural: 'gateways', name: 'web' })) as Gateway;
    assert.equal(read.spec.listeners[0]?.name, 'http');
    const gatewayClass = (await custom.getClusterCustomObject({ group: GROUP, version: 'v1', plural: 'gatewayclasses', name: 'portico' })) as KubernetesObject;
    assert.equal(gatewayClass.metadata?.name, 'portico');
    const serviceAccount = await core.readNamespacedServiceAccount({ namespace: NS, name: 'portico' });
    assert.equal(serviceAccount.metadata?.name, 'portico');

    const asPortico = kubeConfigFor(api, token).makeApiClient(CustomObjectsApi);
    const list = (await asPortico.listNamespacedCustomObject({ group: GROUP, version: 'v1', namespace: NS, plural: 'gateways' })) as GatewayList;
    assert.deepEqual(
      list.items.map((g) => g.metadata?.name),
      ['web'],
    );
  });
});
