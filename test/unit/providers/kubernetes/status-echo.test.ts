import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../../../src/api/object.js';
import { onlyStatusEchoes } from '../../../../src/providers/kubernetes/status-echo.js';
import { ResourceSet } from '../../../../src/store/resources.js';

const ACCEPTED = { parents: [{ parentRef: { name: 'gw' }, controllerName: 'portico.dev/gateway-controller', conditions: [{ type: 'Accepted', status: 'True' }] }] };

function route(resourceVersion: string, changes: Partial<KubeObject> = {}, labels?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'r', namespace: 'ns', resourceVersion, generation: 1, ...(labels ? { labels } : {}) },
    spec: { parentRefs: [{ name: 'gw' }] },
    ...changes,
  };
}

const service: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'ns', resourceVersion: '5' }, spec: { ports: [{ port: 80 }] } };
const desired = new Map<string, unknown>([['HTTPRoute/ns/r', ACCEPTED]]);

test('onlyStatusEchoes: an object whose only change is the status that was desired is an echo', () => {
  const before = new ResourceSet([route('1'), service]);
  // Key order differs from the desired value: compared canonically.
  const echoed = route('2', { status: { parents: [{ conditions: [{ status: 'True', type: 'Accepted' }], controllerName: 'portico.dev/gateway-controller', parentRef: { name: 'gw' } }] } });
  assert.equal(onlyStatusEchoes(before, new ResourceSet([echoed, service]), desired), true);
});

test('onlyStatusEchoes: any other change needs a translation', () => {
  const before = new ResourceSet([route('1'), service]);
  const cases: [string, KubeObject[]][] = [
    ['a status other than the desired one', [route('2', { status: { parents: [] } }), service]],
    ['a spec change', [route('2', { status: ACCEPTED, spec: { parentRefs: [{ name: 'other' }] } }), service]],
    ['a label change', [route('2', { status: ACCEPTED }, { team: 'a' }), service]],
    ['a change to an object Portico writes no status for', [route('1'), { ...service, metadata: { ...service.metadata, resourceVersion: '6' }, status: {} }]],
    ['an object removed', [route('2', { status: ACCEPTED })]],
    ['an object added', [route('2', { status: ACCEPTED }), service, { ...service, metadata: { ...service.metadata, name: 't' } }]],
  ];
  for (const [what, objects] of cases) assert.equal(onlyStatusEchoes(before, new ResourceSet(objects), desired), false, what);
});

test('onlyStatusEchoes: a snapshot with no change at all is not skipped', () => {
  const r = route('1');
  assert.equal(onlyStatusEchoes(new ResourceSet([r, service]), new ResourceSet([r, service]), desired), false);
});
