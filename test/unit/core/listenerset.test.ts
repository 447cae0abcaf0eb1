import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/api/object.js';
import { condOf, gateway, gatewayClass, httpRoute, listenerStatus, namespace, parentStatus, run, statusOf } from './builders.js';

function listenerSet(name: string, listeners: object[], ns = 'default', parent: object = { name: 'gw', namespace: 'default' }): KubeObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'ListenerSet',
    metadata: { name, namespace: ns, generation: 1 },
    spec: { parentRef: parent, listeners: listeners.map((l) => ({ allowedRoutes: { namespaces: { from: 'Same' } }, ...l })) },
  };
}

const gw = (from?: string) =>
  gateway('gw', [{ name: 'http', port: 80, protocol: 'HTTP' }], from ? { allowedListeners: { namespaces: { from } } } : {});

test('a Gateway allows no ListenerSets by default → NotAllowed', () => {
  const t = run([gatewayClass(), gw(), listenerSet('ls', [{ name: 'extra', port: 8080, protocol: 'HTTP' }])]);
  const acc = condOf(statusOf(t, 'ListenerSet/default/ls').conditions, 'Accepted');
  assert.deepEqual([acc.status, acc.reason], ['False', 'NotAllowed']);
  assert.equal(condOf(statusOf(t, 'ListenerSet/default/ls').conditions, 'Programmed').status, 'False');
});

test('an allowed ListenerSet is accepted, counted, and routes attach to its listeners by parentRef', () => {
  const t = run([
    gatewayClass(),
    namespace('default'),
    gw('Same'),
    listenerSet('ls', [{ name: 'extra', port: 8080, protocol: 'HTTP' }]),
    httpRoute('r', { parentRefs: [{ kind: 'ListenerSet', name: 'ls' }], rules: [] }),
    httpRoute('to-gw', { parentRefs: [{ name: 'gw' }], rules: [] }),
  ]);
  const s = statusOf(t, 'ListenerSet/default/ls');
  assert.equal(condOf(s.conditions, 'Accepted').reason, 'Accepted');
  assert.equal(condOf(s.conditions, 'Programmed').status, 'True');
  const ls = (s.listeners as { name: string; attachedRoutes: number }[])[0];
  assert.equal(ls?.attachedRoutes, 1, 'only the route naming the ListenerSet attaches to it');
  assert.equal(statusOf(t, 'Gateway/default/gw').attachedListenerSets, 1);
  assert.equal(listenerStatus(t, 'Gateway/default/gw', 'http').attachedRoutes, 1);
  assert.equal(condOf(parentStatus(t, 'HTTPRoute/default/r').conditions, 'Accepted').status, 'True');
  assert.deepEqual(t.ir.gateways[0]?.ports.map((p) => p.port), [80, 8080]);
});

test('a ListenerSet listener that clashes with a Gateway listener is Conflicted; the Gateway one wins', () => {
  const t = run([gatewayClass(), gw('All'), listenerSet('ls', [{ name: 'dup', port: 80, protocol: 'HTTP' }, { name: 'ok', port: 81, protocol: 'HTTP' }], 'other')]);
  const entries = statusOf(t, 'ListenerSet/other/ls').listeners as { name: string; conditions: unknown }[];
  const dup = entries.find((e) => e.name === 'dup');
  assert.equal(condOf(dup?.conditions, 'Conflicted').reason, 'HostnameConflict');
  assert.equal(condOf(listenerStatus(t, 'Gateway/default/gw', 'http').conditions, 'Conflicted').status, 'False');
  assert.equal(condOf(statusOf(t, 'ListenerSet/other/ls').conditions, 'Accepted').reason, 'ListenersNotValid');
});

test('a ListenerSet whose parent Gateway is not ours gets no status', () => {
  const t = run([gatewayClass(), gw('All'), listenerSet('ls', [{ name: 'x', port: 81, protocol: 'HTTP' }], 'default', { name: 'ghost' })]);
  assert.equal(t.status.has('ListenerSet/default/ls'), false);
});
