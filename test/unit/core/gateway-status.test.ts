import { test } from 'node:test';
import assert from 'node:assert/strict';
import { condOf, gateway, gatewayClass, listenerStatus, namespace, referenceGrant, run, statusOf, tlsSecret } from './builders.js';

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
  const t = run([gatewayClass(), gateway('gw', [{ name: 'http', port: 80, protocol: 'HTTP' }, { name: 'udp', port: 53, protocol: 'UDP' }])]);
  const udp = listenerStatus(t, GW, 'udp');
  assert.equal(condOf(udp.conditions, 'Accepted').reason, 'UnsupportedProtocol');
  assert.equal(condOf(udp.conditions, 'Programmed').reason, 'Invalid');
  assert.deepEqual(udp.supportedKinds, []);
  const acc = condOf(statusOf(t, GW).conditions, 'Accepted');
  assert.deepEqual([acc.status, acc.reason], ['True', 'ListenersNotValid']);
});

test('all listeners invalid → Gateway Accepted=False ListenersNotValid, Programmed=False Invalid', () => {
  const t = run([gatewayClass(), gateway('gw', [{ name: 'udp', port: 53, protocol: 'UDP' }])]);
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

test('client certificate validation (spec.tls.frontend) is not implemented: its HTTPS listeners are not accepted, nor served', () => {
  const listeners = [
    { name: 'https', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'cert' }] } },
    { name: 'other', port: 8443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'cert' }] } },
    { name: 'http', port: 80, protocol: 'HTTP' },
  ];
  const validation = { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'ca' }] };
  const t = run([
    gatewayClass(),
    tlsSecret('cert'),
    gateway('gw', listeners, { tls: { frontend: { default: { validation }, perPort: [{ port: 8443, tls: {} }] } } }),
  ]);
  const accepted = (name: string) => condOf(listenerStatus(t, 'Gateway/default/gw', name).conditions, 'Accepted');
  assert.deepEqual([accepted('https').status, accepted('https').reason], ['False', 'NoValidCACertificate']);
  assert.match((accepted('https') as unknown as { message: string }).message, /client certificate validation .* not supported/);
  assert.equal(accepted('other').status, 'True', 'a per-port entry without validation overrides the default');
  assert.equal(accepted('http').status, 'True');
  const served = t.ir.gateways.flatMap((g) => g.ports.flatMap((p) => p.listeners.map((l) => l.name)));
  assert.deepEqual(served.sort(), ['http', 'other']);
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
