import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/api/object.js';
import type { IRBackend } from '../../../src/ir/model.js';
import { caConfigMap, endpointSlice, gateway, gatewayClass, httpRoute, run, service, statusOf } from './builders.js';

const G = 'gateway.networking.k8s.io/v1';

function policy(name: string, spec: object, created = '2026-01-01T00:00:00Z'): KubeObject {
  return { apiVersion: G, kind: 'BackendTLSPolicy', metadata: { name, namespace: 'default', generation: 2, creationTimestamp: created }, spec };
}
const target = (name = 'secure', sectionName?: string) => ({ group: '', kind: 'Service', name, ...(sectionName ? { sectionName } : {}) });
const validation = (extra: object = {}) => ({ caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'backend-ca' }], hostname: 'abc.example.com', ...extra });

const world = (...extra: KubeObject[]): KubeObject[] => [
  gatewayClass(),
  gateway('gw', [{ name: 'http', port: 80, protocol: 'HTTP' }]),
  service('secure', [{ name: 'https', port: 443, targetPort: 8443 }, { name: 'plain', port: 80, targetPort: 8080 }]),
  endpointSlice('secure', ['127.0.0.1'], 8443),
  caConfigMap('backend-ca'),
  httpRoute('r', {
    parentRefs: [{ name: 'gw' }],
    rules: [{ backendRefs: [{ name: 'secure', port: 443 }] }, { matches: [{ path: { type: 'PathPrefix', value: '/plain' } }], backendRefs: [{ name: 'secure', port: 80 }] }],
  }),
  ...extra,
];

const backend = (t: ReturnType<typeof run>, id: string): IRBackend => {
  const b = t.ir.gateways[0]?.backends[id];
  assert.ok(b, `backend ${id}`);
  return b;
};
type Ancestor = { ancestorRef: { kind: string; namespace: string; name: string }; controllerName: string; conditions: { type: string; status: string; reason: string; message: string; observedGeneration: number }[] };
const ancestors = (t: ReturnType<typeof run>, name: string) => (statusOf(t, `BackendTLSPolicy/default/${name}`).ancestors as Ancestor[]);
const condition = (a: Ancestor | undefined, type: string) => a?.conditions.find((c) => c.type === type);

test('BackendTLSPolicy: the Service port it names is reached over TLS, verified with its CAs and hostname; the Gateway is its ancestor', () => {
  const t = run(world(policy('tls', { targetRefs: [target('secure', 'https')], validation: validation() })));
  const tls = backend(t, 'default/secure:443').tls;
  assert.ok(tls && !('unusable' in tls));
  assert.match(tls.caPem ?? '', /^-----BEGIN CERTIFICATE-----/);
  assert.deepEqual([tls.sni, tls.verifyName], ['abc.example.com', 'abc.example.com']);
  assert.equal(backend(t, 'default/secure:80').tls, undefined, 'sectionName: the other port stays plain');
  const [a] = ancestors(t, 'tls');
  assert.deepEqual(a?.ancestorRef, { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'default', name: 'gw' });
  assert.equal(a?.controllerName, 'portico.dev/gateway-controller');
  assert.deepEqual([condition(a, 'Accepted')?.status, condition(a, 'ResolvedRefs')?.status, condition(a, 'Accepted')?.observedGeneration], ['True', 'True', 2]);
});

test('BackendTLSPolicy: a subjectAltName is the name verified; wellKnownCACertificates System uses the system CAs', () => {
  const t = run(world(policy('tls', { targetRefs: [target()], validation: { hostname: 'abc.example.com', wellKnownCACertificates: 'System', subjectAltNames: [{ type: 'Hostname', hostname: 'spiffe.example.com' }] } })));
  const tls = backend(t, 'default/secure:443').tls;
  assert.deepEqual(tls, { sni: 'abc.example.com', verifyName: 'spiffe.example.com' });
  assert.ok(backend(t, 'default/secure:80').tls, 'without sectionName every port of the Service');
});

test('BackendTLSPolicy that cannot be carried out: reported, and its Service gets no traffic rather than plain text', () => {
  const cases: [string, object, string, string, string][] = [
    ['missing CA', validation({ caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'nope' }] }), 'NoValidCACertificate', 'InvalidCACertificateRef', 'ConfigMap default/nope does not exist'],
    ['wrong kind', validation({ caCertificateRefs: [{ group: '', kind: 'Secret', name: 'backend-ca' }] }), 'NoValidCACertificate', 'InvalidKind', 'only core ConfigMaps'],
    ['URI SAN', validation({ subjectAltNames: [{ type: 'URI', uri: 'spiffe://example.com/a' }] }), 'Invalid', 'ResolvedRefs', 'one name only'],
  ];
  for (const [what, v, accepted, resolved, message] of cases) {
    const t = run(world(policy('tls', { targetRefs: [target('secure', 'https')], validation: v })));
    const [a] = ancestors(t, 'tls');
    assert.deepEqual([condition(a, 'Accepted')?.status, condition(a, 'Accepted')?.reason, condition(a, 'ResolvedRefs')?.reason], ['False', accepted, resolved], what);
    assert.match(`${condition(a, 'Accepted')?.message} ${condition(a, 'ResolvedRefs')?.message}`, new RegExp(message), what);
    const b = backend(t, 'default/secure:443');
    assert.deepEqual(b.endpoints, [], `${what}: no endpoints`);
    assert.ok(b.tls && 'unusable' in b.tls, what);
  }
});

test('BackendTLSPolicy conflicts: the older policy wins the Service port; the other is Conflicted', () => {
  const t = run(
    world(
      policy('newer', { targetRefs: [target('secure', 'https')], validation: validation({ hostname: 'new.example.com' }) }, '2026-02-01T00:00:00Z'),
      policy('older', { targetRefs: [target('secure', 'https')], validation: validation() }, '2026-01-01T00:00:00Z'),
    ),
  );
  const tls = backend(t, 'default/secure:443').tls;
  assert.equal(tls && !('unusable' in tls) ? tls.sni : undefined, 'abc.example.com');
  assert.equal(condition(ancestors(t, 'older')[0], 'Accepted')?.status, 'True');
  const newer = ancestors(t, 'newer')[0];
  assert.equal(newer?.ancestorRef.name, 'gw', 'the losing policy reports on the same Gateway');
  assert.deepEqual([condition(newer, 'Accepted')?.status, condition(newer, 'Accepted')?.reason], ['False', 'Conflicted']);
});

test('BackendTLSPolicy status keeps the ancestors other controllers wrote', () => {
  const foreign = { ancestorRef: { name: 'theirs' }, controllerName: 'example.com/other', conditions: [] };
  const objects = world(policy('tls', { targetRefs: [target('secure', 'https')], validation: validation() }));
  const t = run(objects, { previousStatus: new Map([['BackendTLSPolicy/default/tls', { ancestors: [foreign] }]]) });
  const list = ancestors(t, 'tls');
  assert.deepEqual(list.map((a) => a.controllerName), ['example.com/other', 'portico.dev/gateway-controller']);
});

test('appProtocol https: reachable through a BackendTLSPolicy; without one the backendRef is unresolved (UnsupportedProtocol)', () => {
  const objects = (...extra: KubeObject[]): KubeObject[] => [
    gatewayClass(),
    gateway('gw', [{ name: 'http', port: 80, protocol: 'HTTP' }]),
    service('tls-only', [{ name: 'https', port: 443, targetPort: 8443, appProtocol: 'HTTPS' }]),
    endpointSlice('tls-only', ['127.0.0.1'], 8443),
    caConfigMap('backend-ca'),
    httpRoute('r', { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'tls-only', port: 443 }] }] }),
    ...extra,
  ];
  const without = run(objects());
  const resolved = (statusOf(without, 'HTTPRoute/default/r').parents as { conditions: { type: string; status: string; reason: string; message: string }[] }[])[0]?.conditions.find((c) => c.type === 'ResolvedRefs');
  assert.deepEqual([resolved?.status, resolved?.reason], ['False', 'UnsupportedProtocol']);
  assert.match(resolved?.message ?? '', /no BackendTLSPolicy says how to verify it/);
  const withPolicy = run(objects(policy('tls', { targetRefs: [target('tls-only')], validation: validation() })));
  const b = backend(withPolicy, 'default/tls-only:443');
  assert.equal(b.protocol, 'http');
  assert.ok(b.tls && !('unusable' in b.tls));
});

test('BackendTLSPolicy on a Service only a UDPRoute uses: it applies nowhere, so it names no ancestor', () => {
  const udp: KubeObject = {
    apiVersion: 'gateway.networking.k8s.io/v1alpha2',
    kind: 'UDPRoute',
    metadata: { name: 'dns', namespace: 'default', generation: 1 },
    spec: { parentRefs: [{ name: 'udp-gw' }], rules: [{ backendRefs: [{ name: 'dns', port: 53 }] }] },
  };
  const t = run([
    gatewayClass(),
    gateway('udp-gw', [{ name: 'dns', port: 5353, protocol: 'UDP' }]),
    service('dns', [{ name: 'dns', port: 53, targetPort: 5353 }]),
    caConfigMap('backend-ca'),
    udp,
    policy('tls', { targetRefs: [target('dns')], validation: validation() }),
  ]);
  assert.deepEqual(ancestors(t, 'tls'), []);
  assert.equal(t.ir.gateways[0]?.backends['default/dns:53']?.tls, undefined);
});

test('BackendTLSPolicy: a Backend (gateway.portico.dev) it targets is reached over TLS; a Service of the same name is not', () => {
  const ext: KubeObject = { apiVersion: 'gateway.portico.dev/v1alpha1', kind: 'Backend', metadata: { name: 'secure', namespace: 'default' }, spec: { type: 'Static', static: { hosts: [{ host: 'api.example.com', port: 443 }] } } } as KubeObject;
  const t = run(
    world(
      ext,
      httpRoute('to-backend', { parentRefs: [{ name: 'gw' }], hostnames: ['ext.example'], rules: [{ backendRefs: [{ group: 'gateway.portico.dev', kind: 'Backend', name: 'secure' }] }] }),
      policy('tls', { targetRefs: [{ group: 'gateway.portico.dev', kind: 'Backend', name: 'secure' }], validation: validation() }),
    ),
  );
  const tls = backend(t, 'default/Backend/secure').tls;
  assert.ok(tls && !('unusable' in tls));
  assert.equal(tls.sni, 'abc.example.com');
  assert.equal(backend(t, 'default/secure:443').tls, undefined, 'the Service named secure is not covered');
  assert.equal(condition(ancestors(t, 'tls')[0], 'Accepted')?.status, 'True');
  assert.equal(ancestors(t, 'tls')[0]?.ancestorRef.name, 'gw');
});
