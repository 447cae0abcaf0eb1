import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/api/object.js';
import { condOf, endpointSlice, gateway, gatewayClass, httpRoute, listenerStatus, namespace, parentStatus, referenceGrant, run, service, statusOf } from './builders.js';

const GW = 'Gateway/default/gw';
const base = (): KubeObject[] => [
  gatewayClass(),
  namespace('default'),
  namespace('apps', { team: 'apps' }),
  gateway('gw', [
    { name: 'http', port: 80, protocol: 'HTTP', hostname: '*.example.com' },
    { name: 'all', port: 8080, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } },
    { name: 'sel', port: 8081, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { team: 'apps' } } } } },
  ]),
  service('echo'),
  endpointSlice('echo', ['127.0.0.1']),
];
const rule = (ref: object = { name: 'echo', port: 80 }) => ({ backendRefs: [ref] });
const acceptedOf = (t: ReturnType<typeof run>, key: string, i = 0) => condOf(parentStatus(t, key, i).conditions, 'Accepted');
const resolvedOf = (t: ReturnType<typeof run>, key: string, i = 0) => condOf(parentStatus(t, key, i).conditions, 'ResolvedRefs');

test('route attaches to every listener that allows it and counts in attachedRoutes', () => {
  const t = run([...base(), httpRoute('r', { parentRefs: [{ name: 'gw' }], hostnames: ['a.example.com'], rules: [rule()] })]);
  assert.deepEqual([acceptedOf(t, 'HTTPRoute/default/r').status, acceptedOf(t, 'HTTPRoute/default/r').reason], ['True', 'Accepted']);
  assert.equal(resolvedOf(t, 'HTTPRoute/default/r').reason, 'ResolvedRefs');
  assert.equal(listenerStatus(t, GW, 'http').attachedRoutes, 1);
  assert.equal(listenerStatus(t, GW, 'all').attachedRoutes, 1);
  assert.equal(listenerStatus(t, GW, 'sel').attachedRoutes, 0, 'namespace default lacks the team label');
  assert.deepEqual(parentStatus(t, 'HTTPRoute/default/r').parentRef, { name: 'gw' });
});

test('sectionName and port select listeners; no match → NoMatchingParent', () => {
  const t = run([
    ...base(),
    httpRoute('by-name', { parentRefs: [{ name: 'gw', sectionName: 'all' }], rules: [rule()] }),
    httpRoute('by-port', { parentRefs: [{ name: 'gw', port: 8080 }], rules: [rule()] }),
    httpRoute('bad-name', { parentRefs: [{ name: 'gw', sectionName: 'nope' }], rules: [rule()] }),
    httpRoute('bad-port', { parentRefs: [{ name: 'gw', port: 9999 }], rules: [rule()] }),
    httpRoute('name-port-mismatch', { parentRefs: [{ name: 'gw', sectionName: 'all', port: 80 }], rules: [rule()] }),
  ]);
  assert.equal(acceptedOf(t, 'HTTPRoute/default/by-name').status, 'True');
  assert.equal(acceptedOf(t, 'HTTPRoute/default/by-port').status, 'True');
  for (const r of ['bad-name', 'bad-port', 'name-port-mismatch']) {
    assert.deepEqual([acceptedOf(t, `HTTPRoute/default/${r}`).status, acceptedOf(t, `HTTPRoute/default/${r}`).reason], ['False', 'NoMatchingParent'], r);
  }
  assert.equal(listenerStatus(t, GW, 'all').attachedRoutes, 2);
});

test('namespaces: Same refuses other namespaces (NotAllowedByListeners), Selector admits labelled ones', () => {
  const t = run([
    ...base(),
    httpRoute('x', { parentRefs: [{ name: 'gw', namespace: 'default', sectionName: 'http' }], rules: [rule({ name: 'echo', namespace: 'default', port: 80 })] }, 'apps'),
    httpRoute('y', { parentRefs: [{ name: 'gw', namespace: 'default', sectionName: 'sel' }], rules: [] }, 'apps'),
  ]);
  assert.equal(acceptedOf(t, 'HTTPRoute/apps/x').reason, 'NotAllowedByListeners');
  assert.equal(acceptedOf(t, 'HTTPRoute/apps/y').status, 'True');
});

test('hostnames that do not intersect → NoMatchingListenerHostname', () => {
  const t = run([...base(), httpRoute('r', { parentRefs: [{ name: 'gw', sectionName: 'http' }], hostnames: ['foo.org'], rules: [rule()] })]);
  assert.deepEqual([acceptedOf(t, 'HTTPRoute/default/r').status, acceptedOf(t, 'HTTPRoute/default/r').reason], ['False', 'NoMatchingListenerHostname']);
  assert.equal(listenerStatus(t, GW, 'http').attachedRoutes, 0);
});

test('route kind not allowed by the listener → NotAllowedByListeners', () => {
  const t = run([
    gatewayClass(),
    gateway('gw', [{ name: 'only-grpc', port: 80, protocol: 'HTTP', allowedRoutes: { kinds: [{ kind: 'GRPCRoute' }] } }]),
    httpRoute('r', { parentRefs: [{ name: 'gw' }], rules: [] }),
  ]);
  assert.equal(acceptedOf(t, 'HTTPRoute/default/r').reason, 'NotAllowedByListeners');
});

test('backendRefs: BackendNotFound, InvalidKind, RefNotPermitted, UnsupportedProtocol; a grant fixes cross-namespace', () => {
  const objs = [
    ...base(),
    service('h2', [{ port: 80, appProtocol: 'kubernetes.io/wss' }]),
    service('remote', [{ port: 80 }], 'apps'),
    httpRoute('missing', { parentRefs: [{ name: 'gw' }], rules: [rule({ name: 'nope', port: 80 })] }),
    httpRoute('noport', { parentRefs: [{ name: 'gw' }], rules: [rule({ name: 'echo', port: 81 })] }),
    httpRoute('kind', { parentRefs: [{ name: 'gw' }], rules: [rule({ group: 'example.com', kind: 'Bucket', name: 'b' })] }),
    httpRoute('cross', { parentRefs: [{ name: 'gw' }], rules: [rule({ name: 'remote', namespace: 'apps', port: 80 })] }),
    httpRoute('proto', { parentRefs: [{ name: 'gw' }], rules: [rule({ name: 'h2', port: 80 })] }),
  ];
  const t = run(objs);
  const reason = (r: string) => resolvedOf(t, `HTTPRoute/default/${r}`).reason;
  assert.equal(reason('missing'), 'BackendNotFound');
  assert.equal(reason('noport'), 'BackendNotFound');
  assert.equal(reason('kind'), 'InvalidKind');
  assert.equal(reason('cross'), 'RefNotPermitted');
  assert.equal(reason('proto'), 'UnsupportedProtocol');
  // Unresolved refs do not stop attachment.
  assert.equal(acceptedOf(t, 'HTTPRoute/default/missing').status, 'True');
  const granted = run([...objs, referenceGrant('apps', [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'default' }], [{ group: '', kind: 'Service' }])]);
  assert.equal(resolvedOf(granted, 'HTTPRoute/default/cross').reason, 'ResolvedRefs');
});

test('unsupported filters: some rules → PartiallyInvalid; all rules → Accepted=False UnsupportedValue', () => {
  const ext = { filters: [{ type: 'ExtensionRef', extensionRef: { group: 'example.com', kind: 'Magic', name: 'm' } }], backendRefs: [{ name: 'echo', port: 80 }] };
  const t = run([
    ...base(),
    httpRoute('some', { parentRefs: [{ name: 'gw', sectionName: 'all' }], rules: [rule(), ext] }),
    httpRoute('every', { parentRefs: [{ name: 'gw', sectionName: 'all' }], rules: [ext] }),
  ]);
  const some = parentStatus(t, 'HTTPRoute/default/some');
  assert.equal(condOf(some.conditions, 'Accepted').status, 'True');
  assert.deepEqual([condOf(some.conditions, 'PartiallyInvalid').status, condOf(some.conditions, 'PartiallyInvalid').reason], ['True', 'UnsupportedValue']);
  assert.deepEqual([acceptedOf(t, 'HTTPRoute/default/every').status, acceptedOf(t, 'HTTPRoute/default/every').reason], ['False', 'UnsupportedValue']);
  assert.equal(listenerStatus(t, GW, 'all').attachedRoutes, 1, 'only accepted routes count');
  assert.match(String((some.conditions as { type: string; message?: string }[]).find((c) => c.type === 'PartiallyInvalid')?.message), /^Rule 1 answers 500: filter type ExtensionRef is supported only for kind DirectResponse of group gateway.portico.dev$/);
  // The rule stays in routing, answering 500, with nothing of its own: no filters, no backends.
  const rules = t.ir.gateways.flatMap((g) => g.ports.flatMap((p) => p.listeners.flatMap((l) => l.virtualHosts.flatMap((v) => v.rules))));
  const closed = rules.filter((r) => r.route.name === 'some' && r.ruleIndex === 1);
  assert.equal(closed.length, 1);
  assert.deepEqual([closed[0]?.failClosed, closed[0]?.filters, closed[0]?.backends], [true, [], []]);
});

test('parents of other controllers are kept; parents naming no Gateway of ours get no entry', () => {
  const other = { parentRef: { name: 'theirs' }, controllerName: 'example.com/other', conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted', message: '', lastTransitionTime: '2020-01-01T00:00:00Z' }] };
  const r = httpRoute('r', { parentRefs: [{ name: 'theirs' }, { name: 'gw', sectionName: 'all' }, { name: 'ghost' }], rules: [rule()] });
  r.status = { parents: [other] };
  const t = run([...base(), gatewayClass('other', 'example.com/other'), gateway('theirs', [{ name: 'http', port: 80, protocol: 'HTTP' }], { gatewayClassName: 'other' }), r]);
  const parents = statusOf(t, 'HTTPRoute/default/r').parents as { controllerName: string; parentRef: object }[];
  assert.equal(parents.length, 2);
  assert.deepEqual(parents[0], other);
  assert.deepEqual(parents[1]?.parentRef, { name: 'gw', sectionName: 'all' });
});

test('a route whose parents are all foreign gets no status at all', () => {
  const t = run([...base(), httpRoute('r', { parentRefs: [{ name: 'ghost' }], rules: [rule()] })]);
  assert.equal(t.status.has('HTTPRoute/default/r'), false);
});

test('route observedGeneration follows its own generation', () => {
  const r = httpRoute('r', { parentRefs: [{ name: 'gw' }], rules: [rule()] });
  r.metadata.generation = 4;
  const t = run([...base(), r]);
  for (const c of parentStatus(t, 'HTTPRoute/default/r').conditions as { observedGeneration: number }[]) assert.equal(c.observedGeneration, 4);
});

test('a route the data plane refused is not Accepted on that Gateway, with the data plane\'s words', () => {
  const objs = [...base(), httpRoute('r', { parentRefs: [{ name: 'gw', sectionName: 'all' }], rules: [rule()] }), httpRoute('ok', { parentRefs: [{ name: 'gw', sectionName: 'all' }], rules: [rule()] })];
  const dataPlane = new Map([['default/gw', { programmed: true as const, refusedRoutes: { 'HTTPRoute/default/r': 'HAProxy refuses it' } }]]);
  const t = run(objs, { dataPlane });
  const accepted = acceptedOf(t, 'HTTPRoute/default/r');
  assert.deepEqual([accepted.status, accepted.reason], ['False', 'UnsupportedValue']);
  assert.equal(acceptedOf(t, 'HTTPRoute/default/ok').status, 'True');
  // Once the data plane no longer refuses it, it is Accepted again.
  assert.equal(acceptedOf(run(objs), 'HTTPRoute/default/r').status, 'True');
});
