import { test } from 'node:test';
import type { KubeObject } from '../../../src/api/object.js';
import assert from 'node:assert/strict';
import { caConfigMap, condOf, gateway, gatewayClass, listenerStatus, namespace, referenceGrant, run, service, statusOf, tlsSecret } from './builders.js';
import type { TranslateOptions } from '../../../src/pipeline/translate.js';

const GW = 'Gateway/default/gw';

test('GatewayClass of ours is Accepted with supportedFeatures; other classes get nothing', () => {
  const t = run([gatewayClass(), gatewayClass('theirs', 'example.com/other'), gateway('gw', [{ name: 'http', port: 80, protocol: 'HTTP' }], { gatewayClassName: 'theirs' })]);
  const gc = statusOf(t, 'GatewayClass//portico');
  assert.equal(condOf(gc.conditions, 'Accepted').reason, 'Accepted');
  assert.equal(condOf(gc.conditions, 'Accepted').observedGeneration, 1);
  assert.ok((gc.supportedFeatures as { name: string }[]).some((f) => f.name === 'HTTPRoute'));
  assert.equal(t.status.has('GatewayClass//theirs'), false);
  assert.equal(t.status.has(GW), false, 'a Gateway of another class is left alone');
});

test('GatewayClass supportedFeatures follow the deployment mode: static addresses in host mode, infrastructure propagation per Gateway, neither shared', () => {
  const features = (addressSource?: TranslateOptions['addressSource']) =>
    (statusOf(run([gatewayClass()], addressSource ? { addressSource } : {}), 'GatewayClass//portico').supportedFeatures as { name: string }[]).map((f) => f.name);
  const host = features();
  const perGateway = features('service');
  const shared = features({ shared: 'portico-system' });
  for (const list of [host, perGateway, shared]) assert.deepEqual(list, [...list].sort(), 'sorted by name');
  assert.ok(host.includes('GatewayStaticAddresses') && !host.includes('GatewayInfrastructurePropagation'));
  assert.ok(perGateway.includes('GatewayInfrastructurePropagation') && !perGateway.includes('GatewayStaticAddresses'));
  assert.ok(!shared.includes('GatewayInfrastructurePropagation') && !shared.includes('GatewayStaticAddresses'));
  assert.deepEqual(
    shared,
    host.filter((f) => f !== 'GatewayStaticAddresses'),
    'otherwise the same',
  );
});

test('GatewayClass with a dangling parametersRef is InvalidParameters and its Gateways are not accepted', () => {
  const t = run([gatewayClass('portico', undefined, { parametersRef: { group: '', kind: 'ConfigMap', name: 'nope', namespace: 'default' } }), gateway('gw', [{ name: 'http', port: 80, protocol: 'HTTP' }])]);
  const gc = condOf(statusOf(t, 'GatewayClass//portico').conditions, 'Accepted');
  assert.deepEqual([gc.status, gc.reason], ['False', 'InvalidParameters']);
  const acc = condOf(statusOf(t, GW).conditions, 'Accepted');
  assert.deepEqual([acc.status, acc.reason], ['False', 'Invalid']);
  assert.equal(condOf(statusOf(t, GW).conditions, 'Programmed').reason, 'Invalid');
});

test('Gateway gets an address from the pool, or the static one it asks for', () => {
  const t = run([
    gatewayClass(),
    gateway('gw', [{ name: 'http', port: 80, protocol: 'HTTP' }]),
    gateway('fixed', [{ name: 'http', port: 80, protocol: 'HTTP' }], { addresses: [{ type: 'IPAddress', value: '127.0.20.1' }] }),
  ]);
  const a = statusOf(t, GW).addresses as { type: string; value: string }[];
  assert.equal(a.length, 1);
  assert.match(a[0]?.value ?? '', /^127\.0\.10\./);
  assert.deepEqual(statusOf(t, 'Gateway/default/fixed').addresses, [{ type: 'IPAddress', value: '127.0.20.1' }]);
  assert.equal(condOf(statusOf(t, 'Gateway/default/fixed').conditions, 'Programmed').status, 'True');
});

test('unsupported address type → UnsupportedAddress; unusable or contested IP → AddressNotUsable', () => {
  const t = run([
    gatewayClass(),
    gateway('host', [{ name: 'http', port: 80, protocol: 'HTTP' }], { addresses: [{ type: 'Hostname', value: 'gw.example.com' }] }),
    gateway('far', [{ name: 'http', port: 80, protocol: 'HTTP' }], { addresses: [{ type: 'IPAddress', value: '192.0.2.10' }] }),
    gateway('a1', [{ name: 'http', port: 80, protocol: 'HTTP' }], { addresses: [{ value: '127.0.30.1' }] }),
    gateway('a2', [{ name: 'http', port: 80, protocol: 'HTTP' }], { addresses: [{ value: '127.0.30.1' }] }),
  ]);
  const host = condOf(statusOf(t, 'Gateway/default/host').conditions, 'Accepted');
  assert.deepEqual([host.status, host.reason], ['False', 'UnsupportedAddress']);
  const far = condOf(statusOf(t, 'Gateway/default/far').conditions, 'Programmed');
  assert.deepEqual([far.status, far.reason], ['False', 'AddressNotUsable']);
  assert.equal(condOf(statusOf(t, 'Gateway/default/a1').conditions, 'Programmed').status, 'True');
  const a2 = condOf(statusOf(t, 'Gateway/default/a2').conditions, 'Programmed');
  assert.deepEqual([a2.status, a2.reason], ['False', 'AddressNotUsable']);
});

test('an IPAddress without value asks for a pool address; an exhausted pool gives AddressNotAssigned', () => {
  const t = run(
    [gatewayClass(), gateway('gw', [{ name: 'http', port: 80, protocol: 'HTTP' }], { addresses: [{ type: 'IPAddress' }] }), gateway('gw2', [{ name: 'http', port: 80, protocol: 'HTTP' }])],
    { addressPool: '127.0.10.7-127.0.10.7' },
  );
  const got = [t.addresses.get('default/gw'), t.addresses.get('default/gw2')].filter(Boolean);
  assert.deepEqual(got, ['127.0.10.7']);
  const loser = t.addresses.get('default/gw') ? 'Gateway/default/gw2' : GW;
  const p = condOf(statusOf(t, loser).conditions, 'Programmed');
  assert.deepEqual([p.status, p.reason], ['False', 'AddressNotAssigned']);
});

test('listener with an unsupported protocol is not accepted; the Gateway stays accepted with ListenersNotValid', () => {
  const t = run([gatewayClass(), gateway('gw', [{ name: 'http', port: 80, protocol: 'HTTP' }, { name: 'udp', port: 53, protocol: 'example.com/quic' }])]);
  const udp = listenerStatus(t, GW, 'udp');
  assert.equal(condOf(udp.conditions, 'Accepted').reason, 'UnsupportedProtocol');
  assert.equal(condOf(udp.conditions, 'Programmed').reason, 'Invalid');
  assert.deepEqual(udp.supportedKinds, []);
  const acc = condOf(statusOf(t, GW).conditions, 'Accepted');
  assert.deepEqual([acc.status, acc.reason], ['True', 'ListenersNotValid']);
});

test('all listeners invalid → Gateway Accepted=False ListenersNotValid, Programmed=False Invalid', () => {
  const t = run([gatewayClass(), gateway('gw', [{ name: 'udp', port: 53, protocol: 'example.com/quic' }])]);
  const acc = condOf(statusOf(t, GW).conditions, 'Accepted');
  assert.deepEqual([acc.status, acc.reason], ['False', 'ListenersNotValid']);
  assert.equal(condOf(statusOf(t, GW).conditions, 'Programmed').reason, 'Invalid');
  assert.equal(t.ir.gateways.length, 0);
});

test('route kinds: invalid kinds → InvalidRouteKinds, valid ones kept in supportedKinds', () => {
  const t = run([
    gatewayClass(),
    gateway('gw', [
      { name: 'only-bad', port: 80, protocol: 'HTTP', allowedRoutes: { kinds: [{ kind: 'FooRoute' }] } },
      { name: 'mixed', port: 81, protocol: 'HTTP', allowedRoutes: { kinds: [{ kind: 'HTTPRoute' }, { group: 'example.com', kind: 'HTTPRoute' }, { kind: 'TCPRoute' }] } },
    ]),
  ]);
  const bad = listenerStatus(t, GW, 'only-bad');
  assert.deepEqual(bad.supportedKinds, []);
  assert.equal(condOf(bad.conditions, 'ResolvedRefs').reason, 'InvalidRouteKinds');
  const mixed = listenerStatus(t, GW, 'mixed');
  assert.deepEqual(mixed.supportedKinds, [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }]);
  assert.equal(condOf(mixed.conditions, 'ResolvedRefs').status, 'False');
});

test('HTTPS certificateRefs: missing, wrong kind, not permitted, malformed, then granted', () => {
  const https = (name: string, port: number, ref: object) => ({ name, port, protocol: 'HTTPS', tls: { mode: 'Terminate', certificateRefs: [ref] } });
  const objects = [
    gatewayClass(),
    namespace('certs'),
    tlsSecret('good'),
    tlsSecret('elsewhere', 'example', 'certs'),
    { ...tlsSecret('broken'), data: { 'tls.crt': Buffer.from('not a cert').toString('base64'), 'tls.key': 'eA==' } },
    { ...tlsSecret('opaque'), type: 'Opaque' },
    gateway('gw', [
      https('ok', 443, { name: 'good' }),
      https('missing', 444, { name: 'nope' }),
      https('kind', 445, { group: 'example.com', kind: 'Vault', name: 'good' }),
      https('cross', 446, { name: 'elsewhere', namespace: 'certs' }),
      https('broken', 447, { name: 'broken' }),
      https('opaque', 448, { name: 'opaque' }),
    ]),
  ];
  const t = run(objects);
  const reason = (l: string) => condOf(listenerStatus(t, GW, l).conditions, 'ResolvedRefs').reason;
  assert.equal(reason('ok'), 'ResolvedRefs');
  assert.equal(reason('missing'), 'InvalidCertificateRef');
  assert.equal(reason('kind'), 'InvalidCertificateRef');
  assert.equal(reason('cross'), 'RefNotPermitted');
  assert.equal(reason('broken'), 'InvalidCertificateRef');
  assert.equal(reason('opaque'), 'InvalidCertificateRef');
  assert.equal(condOf(listenerStatus(t, GW, 'missing').conditions, 'Programmed').reason, 'Invalid');
  const granted = run([
    ...objects,
    referenceGrant('certs', [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'default' }], [{ group: '', kind: 'Secret' }]),
  ]);
  assert.equal(condOf(listenerStatus(granted, GW, 'cross').conditions, 'ResolvedRefs').reason, 'ResolvedRefs');
});

test('conflicts: same port and hostname → HostnameConflict; HTTP and HTTPS on one port → ProtocolConflict', () => {
  const t = run([
    gatewayClass(),
    tlsSecret('good'),
    gateway('gw', [
      { name: 'a', port: 80, protocol: 'HTTP', hostname: 'x.example.com' },
      { name: 'b', port: 80, protocol: 'HTTP', hostname: 'x.example.com' },
      { name: 'c', port: 80, protocol: 'HTTP', hostname: 'y.example.com' },
      { name: 'd', port: 8443, protocol: 'HTTP' },
      { name: 'e', port: 8443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'good' }] } },
    ]),
  ]);
  const c = (l: string) => condOf(listenerStatus(t, GW, l).conditions, 'Conflicted');
  assert.deepEqual([c('a').status, c('a').reason], ['True', 'HostnameConflict']);
  assert.equal(c('b').reason, 'HostnameConflict');
  assert.deepEqual([c('c').status, c('c').reason], ['False', 'NoConflicts']);
  assert.equal(c('d').reason, 'ProtocolConflict');
  assert.equal(c('e').reason, 'ProtocolConflict');
  assert.equal(condOf(listenerStatus(t, GW, 'a').conditions, 'Accepted').status, 'False');
  assert.equal(condOf(listenerStatus(t, GW, 'c').conditions, 'Programmed').status, 'True');
});

test('data plane state drives Programmed: Pending until applied, Invalid with HAProxy message', () => {
  const objects = [gatewayClass(), gateway('gw', [{ name: 'http', port: 80, protocol: 'HTTP' }])];
  const pending = run(objects, { dataPlane: new Map([['default/gw', { programmed: false, reason: 'Pending', message: 'waiting for HAProxy' }]]) });
  const p = condOf(statusOf(pending, GW).conditions, 'Programmed');
  assert.deepEqual([p.status, p.reason], ['False', 'Pending']);
  assert.equal(condOf(listenerStatus(pending, GW, 'http').conditions, 'Programmed').reason, 'Pending');
  const invalid = run(objects, { dataPlane: new Map([['default/gw', { programmed: false, reason: 'Invalid', message: 'haproxy -c failed: line 3' }]]) });
  assert.equal(condOf(statusOf(invalid, GW).conditions, 'Programmed').reason, 'Invalid');
});

test('lastTransitionTime is kept while a condition keeps its status, and moves when it changes', () => {
  const objects = [gatewayClass(), gateway('gw', [{ name: 'http', port: 80, protocol: 'HTTP' }])];
  const first = run(objects, { now: '2026-01-01T00:00:00Z' });
  const same = run(objects, { now: '2026-02-02T00:00:00Z', previousStatus: first.status });
  const t1 = condOf(statusOf(same, GW).conditions, 'Accepted') as unknown as { lastTransitionTime: string };
  assert.equal(t1.lastTransitionTime, '2026-01-01T00:00:00Z');
  const changed = run(objects, {
    now: '2026-03-03T00:00:00Z',
    previousStatus: same.status,
    dataPlane: new Map([['default/gw', { programmed: false, reason: 'Invalid', message: 'x' }]]),
  });
  const t2 = condOf(statusOf(changed, GW).conditions, 'Programmed') as unknown as { lastTransitionTime: string };
  assert.equal(t2.lastTransitionTime, '2026-03-03T00:00:00Z');
});

test('observedGeneration follows metadata.generation', () => {
  const gw = gateway('gw', [{ name: 'http', port: 80, protocol: 'HTTP' }]);
  gw.metadata.generation = 7;
  const t = run([gatewayClass(), gw]);
  for (const c of statusOf(t, GW).conditions as { observedGeneration: number }[]) assert.equal(c.observedGeneration, 7);
  for (const c of listenerStatus(t, GW, 'http').conditions as { observedGeneration: number }[]) assert.equal(c.observedGeneration, 7);
});

test('listeners the data plane does not serve are Programmed=False while the rest of the Gateway is', () => {
  const objects = [gatewayClass(), gateway('gw', [{ name: 'http', port: 80, protocol: 'HTTP' }, { name: 'raw', port: 9000, protocol: 'TCP' }])];
  const t = run(objects, {
    dataPlane: new Map([['default/gw', { programmed: true, unservedListeners: { 'Gateway/default/gw/raw': 'TCP listeners are not served yet' } }]]),
  });
  assert.equal(condOf(statusOf(t, GW).conditions, 'Programmed').status, 'True');
  assert.equal(condOf(listenerStatus(t, GW, 'http').conditions, 'Programmed').status, 'True');
  const raw = condOf(listenerStatus(t, GW, 'raw').conditions, 'Programmed');
  assert.deepEqual([raw.status, raw.reason], ['False', 'Invalid']);
  assert.deepEqual(t.ir.gateways[0]?.ports.flatMap((p) => p.listeners.map((l) => l.id)), ['Gateway/default/gw/http', 'Gateway/default/gw/raw']);
});

test('two TCP listeners on one port conflict whatever their hostnames', () => {
  const t = run([
    gatewayClass(),
    gateway('gw', [
      { name: 'a', port: 9000, protocol: 'TCP', hostname: 'a.example.com' },
      { name: 'b', port: 9000, protocol: 'TCP', hostname: 'b.example.com' },
      { name: 'c', port: 9001, protocol: 'TCP' },
    ]),
  ]);
  for (const name of ['a', 'b']) {
    const conflicted = condOf(listenerStatus(t, 'Gateway/default/gw', name).conditions, 'Conflicted');
    assert.equal(conflicted.status, 'True');
    assert.equal(conflicted.reason, 'HostnameConflict');
  }
  assert.equal(condOf(listenerStatus(t, 'Gateway/default/gw', 'c').conditions, 'Conflicted').status, 'False');
});

test('client certificate validation: the CAs that resolve reach the IR; none resolving leaves the listener unaccepted and unserved', () => {
  const listeners = [
    { name: 'https', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'cert' }] } },
    { name: 'other', port: 8443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'cert' }] } },
    { name: 'missing', port: 9443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'cert' }] } },
    { name: 'http', port: 80, protocol: 'HTTP' },
  ];
  const ref = (name: string, extra: object = {}) => ({ group: '', kind: 'ConfigMap', name, ...extra });
  const t = run([
    gatewayClass(),
    tlsSecret('cert'),
    caConfigMap('ca'),
    gateway('gw', listeners, {
      tls: {
        frontend: {
          default: { validation: { caCertificateRefs: [ref('ca'), { group: 'example.com', kind: 'Bundle', name: 'x' }] } },
          perPort: [
            { port: 8443, tls: {} },
            { port: 9443, tls: { validation: { caCertificateRefs: [ref('gone')] } } },
          ],
        },
      },
    }),
  ]);
  const cond = (name: string, type: string) => condOf(listenerStatus(t, 'Gateway/default/gw', name).conditions, type) as unknown as { status: string; reason: string; message: string };
  // One CA of two resolves: the listener is served with it, and ResolvedRefs says what is wrong.
  assert.deepEqual([cond('https', 'Accepted').status, cond('https', 'ResolvedRefs').status, cond('https', 'ResolvedRefs').reason], ['True', 'False', 'InvalidCACertificateKind']);
  assert.match(cond('https', 'ResolvedRefs').message, /example.com\/Bundle default\/x: only core ConfigMaps/);
  assert.deepEqual([cond('missing', 'Accepted').status, cond('missing', 'Accepted').reason], ['False', 'NoValidCACertificate']);
  assert.deepEqual([cond('missing', 'ResolvedRefs').reason, cond('missing', 'ResolvedRefs').message], ['InvalidCACertificateRef', 'caCertificateRef: ConfigMap default/gone does not exist']);
  assert.equal(cond('other', 'Accepted').status, 'True', 'a per-port entry without validation overrides the default');
  assert.equal(cond('other', 'ResolvedRefs').status, 'True');
  assert.equal(cond('http', 'Accepted').status, 'True');
  const served = t.ir.gateways.flatMap((g) => g.ports.flatMap((p) => p.listeners));
  assert.deepEqual(served.map((l) => l.name).sort(), ['http', 'https', 'other']);
  const https = served.find((l) => l.name === 'https');
  assert.match(https?.tls?.clientValidation?.caPem ?? '', /^-----BEGIN CERTIFICATE-----\n[^]*-----END CERTIFICATE-----\n$/);
  assert.equal(https?.tls?.clientValidation?.insecureFallback, false);
  assert.equal(served.find((l) => l.name === 'other')?.tls?.clientValidation, undefined);
  const types = (statusOf(t, 'Gateway/default/gw').conditions as { type: string }[]).map((c) => c.type);
  assert.ok(!types.includes('InsecureFrontendValidationMode'), 'no fallback, no condition');
});

test('client certificate validation: a CA in another namespace needs a ReferenceGrant; ca.crt must hold certificates; AllowInsecureFallback shows on the Gateway', () => {
  const listeners = [
    { name: 'a', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'cert' }] } },
    { name: 'b', port: 8443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'cert' }] } },
    { name: 'c', port: 9443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'cert' }] } },
  ];
  const validation = (refs: object[], mode?: string) => ({ validation: { caCertificateRefs: refs, ...(mode ? { mode } : {}) } });
  const objects = [
    gatewayClass(),
    tlsSecret('cert'),
    namespace('pki'),
    caConfigMap('ca', 'pki'),
    caConfigMap('junk', 'default', 'not a certificate'),
    gateway('gw', listeners, {
      tls: {
        frontend: {
          default: validation([{ group: '', kind: 'ConfigMap', name: 'ca', namespace: 'pki' }]),
          perPort: [
            { port: 8443, tls: validation([{ group: '', kind: 'ConfigMap', name: 'junk' }]) },
            { port: 9443, tls: validation([{ group: '', kind: 'ConfigMap', name: 'ca', namespace: 'pki' }], 'AllowInsecureFallback') },
          ],
        },
      },
    }),
  ];
  const cond = (t: ReturnType<typeof run>, name: string, type: string) => condOf(listenerStatus(t, 'Gateway/default/gw', name).conditions, type);
  const without = run(objects);
  assert.deepEqual([cond(without, 'a', 'ResolvedRefs').reason, cond(without, 'a', 'Accepted').reason], ['RefNotPermitted', 'NoValidCACertificate']);
  assert.deepEqual([cond(without, 'b', 'ResolvedRefs').reason, cond(without, 'b', 'Accepted').reason], ['InvalidCACertificateRef', 'NoValidCACertificate']);
  const insecure = condOf(statusOf(without, 'Gateway/default/gw').conditions, 'InsecureFrontendValidationMode');
  assert.deepEqual([insecure.status, insecure.reason], ['True', 'ConfigurationChanged']);

  const granted = run([...objects, referenceGrant('pki', [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'default' }], [{ group: '', kind: 'ConfigMap' }])]);
  assert.deepEqual([cond(granted, 'a', 'ResolvedRefs').status, cond(granted, 'a', 'Accepted').status], ['True', 'True']);
  const served = granted.ir.gateways.flatMap((g) => g.ports.flatMap((p) => p.listeners));
  assert.equal(served.find((l) => l.name === 'c')?.tls?.clientValidation?.insecureFallback, true);
  assert.equal(served.find((l) => l.name === 'b'), undefined);
});

test('TLS options Portico does not know are not ignored: the listener is not accepted, nor served', () => {
  const t = run([
    gatewayClass(),
    tlsSecret('cert'),
    gateway('gw', [
      { name: 'strict', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'cert' }], options: { 'example.com/min-version': '1.3' } } },
      { name: 'plain', port: 8443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'cert' }] } },
    ]),
  ]);
  const strict = condOf(listenerStatus(t, 'Gateway/default/gw', 'strict').conditions, 'Accepted');
  assert.deepEqual([strict.status, strict.reason], ['False', 'UnsupportedValue']);
  assert.match((strict as unknown as { message: string }).message, /"example.com\/min-version"/);
  assert.equal(condOf(listenerStatus(t, 'Gateway/default/gw', 'plain').conditions, 'Accepted').status, 'True');
  assert.deepEqual(t.ir.gateways.flatMap((g) => g.ports.flatMap((p) => p.listeners.map((l) => l.name))), ['plain']);
});

test('spec.tls.backend.clientCertificateRef: resolved into the IR, or reported in the Gateway ResolvedRefs while it stays accepted', () => {
  const gw = (ref: object) => gateway('gw', [{ name: 'http', port: 80, protocol: 'HTTP' }], { tls: { backend: { clientCertificateRef: ref } } });
  const cases: [string, object, KubeObject[], string, string][] = [
    ['resolves', { name: 'client' }, [tlsSecret('client')], 'True', 'ResolvedRefs'],
    ['missing Secret', { name: 'nope' }, [], 'False', 'InvalidClientCertificateRef'],
    ['wrong kind', { group: 'example.com', kind: 'Vault', name: 'client' }, [tlsSecret('client')], 'False', 'InvalidClientCertificateRef'],
    ['another namespace without a grant', { name: 'client', namespace: 'pki' }, [namespace('pki'), tlsSecret('client', 'example', 'pki')], 'False', 'RefNotPermitted'],
  ];
  for (const [what, ref, extra, status, reason] of cases) {
    const t = run([gatewayClass(), gw(ref), ...extra]);
    const conditions = statusOf(t, 'Gateway/default/gw').conditions;
    assert.deepEqual([condOf(conditions, 'ResolvedRefs').status, condOf(conditions, 'ResolvedRefs').reason], [status, reason], what);
    assert.deepEqual([condOf(conditions, 'Accepted').status, condOf(conditions, 'Accepted').reason], ['True', 'Accepted'], what);
    const cert = t.ir.gateways[0]?.backendClientCertificate;
    assert.equal(cert !== undefined, status === 'True', `${what}: the IR carries the certificate only when it resolves`);
  }
});

test('UDP listeners carry UDPRoutes (served by the UDP forwarder); a cross-namespace backendRef without a grant is RefNotPermitted', () => {
  const udpRoute = (backendNamespace?: string): KubeObject => ({
    apiVersion: 'gateway.networking.k8s.io/v1alpha2',
    kind: 'UDPRoute',
    metadata: { name: 'dns', namespace: 'default', generation: 1 },
    spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'dns', port: 53, ...(backendNamespace ? { namespace: backendNamespace } : {}) }] }] },
  });
  const objects = [gatewayClass(), gateway('gw', [{ name: 'dns', port: 5353, protocol: 'UDP' }]), namespace('other'), service('dns', [{ name: 'dns', port: 53, targetPort: 5353 }], 'other')];
  const t = run([...objects, udpRoute('other')]);
  const listener = listenerStatus(t, GW, 'dns');
  assert.deepEqual(listener.supportedKinds, [{ group: 'gateway.networking.k8s.io', kind: 'UDPRoute' }]);
  assert.equal(condOf(listener.conditions, 'Accepted').status, 'True');
  const parent = (statusOf(t, 'UDPRoute/default/dns').parents as { conditions: unknown }[])[0];
  assert.deepEqual([condOf(parent?.conditions, 'Accepted').status, condOf(parent?.conditions, 'ResolvedRefs').reason], ['True', 'RefNotPermitted']);
  const granted = run([...objects, udpRoute('other'), referenceGrant('other', [{ group: 'gateway.networking.k8s.io', kind: 'UDPRoute', namespace: 'default' }], [{ group: '', kind: 'Service' }])]);
  const port = granted.ir.gateways[0]?.ports[0];
  assert.equal(port?.mode, 'UDP');
  assert.equal(port?.listeners[0]?.streams[0]?.backends[0]?.backend, 'other/dns:53');
});
