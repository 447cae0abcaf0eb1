import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/api/object.js';
import { condOf, gateway, gatewayClass, httpRoute, run, statusOf } from './builders.js';

const backend = (name: string, spec: Record<string, unknown>, namespace = 'default'): KubeObject => ({ apiVersion: 'gateway.portico.dev/v1alpha1', kind: 'Backend', metadata: { name, namespace }, spec } as KubeObject);
const ref = (name: string, namespace?: string) => ({ group: 'gateway.portico.dev', kind: 'Backend', name, ...(namespace ? { namespace } : {}) });
const world = (...extra: KubeObject[]): KubeObject[] => [gatewayClass(), gateway('gw', [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }]), ...extra];
const resolved = (t: ReturnType<typeof run>, route = 'r') => condOf((statusOf(t, `HTTPRoute/default/${route}`).parents as { conditions: unknown }[])[0]?.conditions, 'ResolvedRefs');

test('a Static Backend is a backendRef: IP hosts as they are, DNS names for the data plane to resolve', () => {
  const t = run(world(backend('ext', { type: 'Static', static: { hosts: [{ host: '192.0.2.10', port: 443 }, { host: 'API.Example.com', port: 8443 }], appProtocol: 'http2' } }), httpRoute('r', { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [ref('ext')] }] })));
  assert.equal(resolved(t).status, 'True');
  const b = Object.values(t.ir.gateways[0]?.backends ?? {})[0];
  assert.deepEqual(b && { id: b.id, source: b.source, resolve: b.resolve, protocol: b.protocol, endpoints: b.endpoints }, {
    id: 'default/Backend/ext',
    source: 'Backend',
    resolve: true,
    protocol: 'h2c',
    endpoints: [{ address: '192.0.2.10', port: 443 }, { address: 'api.example.com', port: 8443 }],
  });
});

test('a Backend that is missing, of another type, in another namespace without a grant, or with a bad host is refused for that route', () => {
  const cases: [KubeObject[], Record<string, unknown>, string, RegExp][] = [
    [[], ref('nope'), 'BackendNotFound', /Backend default\/nope does not exist/],
    [[backend('aws', { type: 'AWS', aws: { accountId: '1', lambda: { functionName: 'f' } } })], ref('aws'), 'InvalidKind', /type AWS; Portico supports type Static/],
    [[backend('far', { type: 'Static', static: { hosts: [{ host: '192.0.2.1', port: 80 }] } }, 'other')], ref('far', 'other'), 'RefNotPermitted', /no ReferenceGrant/],
    [[backend('bad', { type: 'Static', static: { hosts: [{ host: 'a b\nserver x 1.2.3.4:80', port: 80 }] } })], ref('bad'), 'BackendNotFound', /neither an IP address nor a DNS name/],
  ];
  for (const [objects, backendRef, reason, message] of cases) {
    const t = run(world(...objects, httpRoute('r', { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [backendRef] }] }), httpRoute('ok', { parentRefs: [{ name: 'gw' }], hostnames: ['ok.example'], rules: [] })));
    const c = resolved(t);
    assert.deepEqual([c.status, c.reason], ['False', reason], String(c.message));
    assert.match(String(c.message), message);
    assert.equal(resolved(t, 'ok').status, 'True', 'other routes are unaffected');
  }
});
