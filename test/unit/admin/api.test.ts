import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kindInfo } from '../../../src/api/kinds.js';
import type { KubeObject } from '../../../src/api/object.js';
import { getApi, parseApiPath, present } from '../../../src/admin/api.js';
import { hideInlineJwks } from '../../../src/admin/hide-credentials.js';
import type { AdminView } from '../../../src/admin/view.js';
import { ResourceSet } from '../../../src/store/resources.js';

const objects: KubeObject[] = [
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'portico' }, spec: {} },
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'web', namespace: 'default' }, spec: {}, status: { from: 'file' } },
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'api', namespace: 'prod' }, spec: {} },
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'a', namespace: 'default' }, spec: {} },
  {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'tls', namespace: 'default', labels: { team: 'a' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"tls.key":"S0VZ"}}' } },
    type: 'kubernetes.io/tls',
    data: { 'tls.crt': 'Q0VSVA==', 'tls.key': 'S0VZ' },
  },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prod' } },
  { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'echo-1', namespace: 'default' }, endpoints: [] },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ca', namespace: 'default', annotations: { note: 'x' } }, data: { 'ca.crt': 'PEM' } },
  {
    apiVersion: 'gateway.portico.dev/v1alpha1',
    kind: 'GatewayExtension',
    metadata: { name: 'jwt', namespace: 'default', annotations: { note: 'kept', 'kubectl.kubernetes.io/last-applied-configuration': '{"spec":{"k":"c2VjcmV0"}}' } },
    spec: {
      type: 'JWT',
      jwt: {
        providers: [
          { name: 'hmac', issuer: 'me', jwks: { local: { inline: JSON.stringify({ keys: [{ kty: 'oct', kid: 'one', alg: 'HS256', k: 'c2VjcmV0' }, { kty: 'EC', kid: 'two', crv: 'P-256', x: 'AAAA', y: 'BBBB' }] }) } } },
          { name: 'pem', jwks: { local: { inline: '-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n' } } },
          { name: 'cm', jwks: { local: { configMapRef: { name: 'jwks' } } } },
        ],
      },
    },
  },
  {
    apiVersion: 'gateway.portico.dev/v1alpha1',
    kind: 'TrafficPolicy',
    metadata: { name: 'basic', namespace: 'default' },
    spec: { targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'r' }], basicAuth: { users: ['alice:{SHA}qUqP5cyxm6YcTAhz05Hph5gvu9M=', 'broken'] } },
  },
];
const statuses = new Map<string, unknown>([
  ['Gateway/default/web', { conditions: [{ type: 'Accepted', status: 'True' }] }],
  ['GatewayClass//portico', { conditions: [{ type: 'Accepted', status: 'True' }] }],
]);
const view: AdminView = {
  isReady: () => true,
  resources: () => new ResourceSet(objects),
  statusOf: (key) => statuses.get(key),
  viewTree: () => ({ version: 0, namespaces: [], roots: [] }),
  dataPlaneConfig: () => undefined,
  onApplied: () => () => undefined,
};

const body = (path: string): Record<string, unknown> => getApi(path, view).body as Record<string, unknown>;
const names = (list: Record<string, unknown>): string[] =>
  (list.items as KubeObject[]).map((o) => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name));

test('parseApiPath: namespaced, cluster-scoped, core and list paths', () => {
  assert.deepEqual(parseApiPath('/apis/gateway.networking.k8s.io/v1/namespaces/default/gateways/web'), {
    info: kindInfo('Gateway'),
    version: 'v1',
    namespace: 'default',
    name: 'web',
  });
  assert.deepEqual(parseApiPath('/apis/gateway.networking.k8s.io/v1beta1/gatewayclasses/portico'), {
    info: kindInfo('GatewayClass'),
    version: 'v1beta1',
    name: 'portico',
  });
  assert.deepEqual(parseApiPath('/api/v1/namespaces/prod'), { info: kindInfo('Namespace'), version: 'v1', name: 'prod' });
  assert.deepEqual(parseApiPath('/api/v1/namespaces'), { info: kindInfo('Namespace'), version: 'v1' });
  assert.deepEqual(parseApiPath('/api/v1/namespaces/default/services'), { info: kindInfo('Service'), version: 'v1', namespace: 'default' });
  assert.deepEqual(parseApiPath('/apis/discovery.k8s.io/v1/endpointslices/'), { info: kindInfo('EndpointSlice'), version: 'v1' });
});

test('parseApiPath: what does not exist is a NotFound Status', () => {
  for (const path of [
    '/',
    '/apis',
    '/apis/gateway.networking.k8s.io/v1',
    '/apis/gateway.networking.k8s.io/v2/gateways',
    '/apis/gateway.networking.k8s.io/v1/widgets',
    '/apis/apps/v1/deployments',
    '/api/v1/services/web', // namespaced kind without its namespace
    '/apis/gateway.networking.k8s.io/v1/namespaces/default/gatewayclasses', // cluster-scoped kind in a namespace
    '/apis/gateway.networking.k8s.io/v1/namespaces/default/gateways/web/extra',
    '/api/v1/namespaces/%E0%A4%A',
  ]) {
    const result = parseApiPath(path);
    assert.ok('kind' in result, path);
    assert.equal('kind' in result && result.code, 404, path);
  }
});

test('getApi: one object, with Portico status replacing the status from the file', () => {
  const gw = body('/apis/gateway.networking.k8s.io/v1/namespaces/default/gateways/web');
  assert.equal(gw.kind, 'Gateway');
  assert.deepEqual(gw.status, { conditions: [{ type: 'Accepted', status: 'True' }] });
});

test('getApi: an object Portico does not own comes back as loaded', () => {
  const gw = body('/apis/gateway.networking.k8s.io/v1/namespaces/prod/gateways/api');
  assert.equal((gw.metadata as { name: string }).name, 'api');
  assert.equal(gw.status, undefined);
});

test('getApi: objects come back in the version asked for', () => {
  assert.equal(body('/apis/gateway.networking.k8s.io/v1beta1/namespaces/default/gateways/web').apiVersion, 'gateway.networking.k8s.io/v1beta1');
});

test('getApi: cluster-scoped objects, and Namespaces under /api/v1', () => {
  assert.deepEqual(body('/apis/gateway.networking.k8s.io/v1/gatewayclasses/portico').status, statuses.get('GatewayClass//portico'));
  assert.equal(body('/api/v1/namespaces/prod').kind, 'Namespace');
});

test('getApi: lists across namespaces and in one, sorted by namespace/name', () => {
  const all = body('/apis/gateway.networking.k8s.io/v1/gateways');
  assert.equal(all.apiVersion, 'v1');
  assert.equal(all.kind, 'List');
  assert.deepEqual(names(all), ['default/a', 'default/web', 'prod/api']);
  assert.deepEqual(names(body('/apis/gateway.networking.k8s.io/v1/namespaces/default/gateways')), ['default/a', 'default/web']);
  assert.deepEqual(names(body('/apis/gateway.networking.k8s.io/v1/namespaces/empty/gateways')), []);
  assert.deepEqual(names(body('/apis/discovery.k8s.io/v1/namespaces/default/endpointslices')), ['default/echo-1']);
  assert.deepEqual(names(body('/api/v1/services')), []);
});

test('getApi: a missing object is a Kubernetes NotFound Status', () => {
  const response = getApi('/apis/gateway.networking.k8s.io/v1/namespaces/default/gateways/nope', view);
  assert.equal(response.status, 404);
  assert.deepEqual(response.body, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'gateways.gateway.networking.k8s.io "nope" not found',
    reason: 'NotFound',
    details: { name: 'nope', group: 'gateway.networking.k8s.io', kind: 'gateways' },
    code: 404,
  });
  assert.equal((getApi('/api/v1/namespaces/default/services/x', view).body as { message: string }).message, 'services "x" not found');
});

test('getApi: Secrets and ConfigMaps are shown by name, type and labels only, in objects and lists', () => {
  const secret = body('/api/v1/namespaces/default/secrets/tls');
  assert.deepEqual(secret, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls', namespace: 'default', labels: { team: 'a' } }, type: 'kubernetes.io/tls' });
  const list = body('/api/v1/secrets');
  assert.deepEqual((list.items as KubeObject[])[0], secret);
  const config = body('/api/v1/namespaces/default/configmaps/ca');
  assert.deepEqual(config, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ca', namespace: 'default' } });
  // The stored object is untouched.
  assert.equal(objects[4]?.data && (objects[4].data as Record<string, string>)['tls.key'], 'S0VZ');
});

test('getApi: inline credentials of Portico\'s kinds are hidden (JWKS secrets, htpasswd hashes), public keys and the rest kept', () => {
  const ext = body('/apis/gateway.portico.dev/v1alpha1/namespaces/default/gatewayextensions/jwt') as unknown as { metadata: KubeObject['metadata']; spec: { jwt: { providers: { name: string; jwks: { local: { inline?: string; configMapRef?: object } } }[] } } };
  const [hmac, pem, cm] = ext.spec.jwt.providers;
  assert.deepEqual(JSON.parse(hmac?.jwks.local.inline ?? ''), { keys: [{ kty: 'oct', kid: 'one', alg: 'HS256', k: '(hidden)' }, { kty: 'EC', kid: 'two', crv: 'P-256', x: 'AAAA', y: 'BBBB' }] });
  assert.match(pem?.jwks.local.inline ?? '', /^-----BEGIN PUBLIC KEY-----/, 'a public key stays');
  assert.deepEqual(cm?.jwks.local, { configMapRef: { name: 'jwks' } });
  assert.deepEqual(ext.metadata.annotations, { note: 'kept' }, "kubectl's copy of the object goes");
  assert.ok(!JSON.stringify(body('/apis/gateway.portico.dev/v1alpha1/gatewayextensions')).includes('c2VjcmV0'), 'nor in lists');
  const policy = body('/apis/gateway.portico.dev/v1alpha1/namespaces/default/trafficpolicies/basic') as unknown as { spec: { basicAuth: { users: string[] } } };
  assert.deepEqual(policy.spec.basicAuth.users, ['alice:(hidden)', '(hidden)']);
  // The stored objects are untouched.
  assert.match(JSON.stringify(objects.find((o) => o.kind === 'GatewayExtension')), /c2VjcmV0/);
});

test('hideInlineJwks: one JWK, private members of asymmetric keys, private PEM and unreadable text hidden; nothing to hide, same text', () => {
  assert.deepEqual(JSON.parse(hideInlineJwks(JSON.stringify({ kty: 'oct', k: 'abc' }))), { kty: 'oct', k: '(hidden)' });
  assert.deepEqual(JSON.parse(hideInlineJwks(JSON.stringify({ keys: [{ kty: 'RSA', n: 'N', e: 'AQAB', d: 'D', p: 'P' }] }))), { keys: [{ kty: 'RSA', n: 'N', e: 'AQAB', d: '(hidden)', p: '(hidden)' }] });
  assert.equal(hideInlineJwks('-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----'), '(hidden)');
  assert.equal(hideInlineJwks('not json'), '(hidden)');
  const plain = JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-256', x: 'X', y: 'Y' }] });
  assert.equal(hideInlineJwks(plain), plain);
});

test('present: sets apiVersion and status without touching the stored object', () => {
  const stored = objects[1]!;
  const shown = present(stored, kindInfo('Gateway')!, 'v1beta1', view);
  assert.equal(shown.apiVersion, 'gateway.networking.k8s.io/v1beta1');
  assert.deepEqual(stored.status, { from: 'file' });
  assert.equal(stored.apiVersion, 'gateway.networking.k8s.io/v1');
});
