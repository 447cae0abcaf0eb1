import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/api/object.js';
import { endpointOnlyChange } from '../../../src/ir/endpoint-change.js';
import { endpointSliceChanges, withServiceEndpoints } from '../../../src/pipeline/endpoint-patch.js';
import { ResourceSet } from '../../../src/store/resources.js';
import { endpointSlice, gateway, gatewayClass, httpRoute, run, service } from './builders.js';

const route = (name: string, backends: string[]) =>
  httpRoute(name, { parentRefs: [{ name: 'gw' }], hostnames: [`${name}.example.com`], rules: [{ backendRefs: backends.map((b) => ({ name: b, port: 80 })) }] });

const fixed: KubeObject[] = [
  gatewayClass(),
  gateway('gw', [{ name: 'http', port: 80, protocol: 'HTTP' }]),
  service('a'),
  service('b'),
  service('c', [{ name: 'web', port: 80, targetPort: 8080 }]),
  route('one', ['a']),
  route('two', ['a', 'b']),
  route('three', ['c']),
];

test('endpointSliceChanges: the Services whose EndpointSlices changed; undefined when anything else did', () => {
  const sliceA = endpointSlice('a', ['10.0.0.1']);
  const sliceB = endpointSlice('b', ['10.0.0.2']);
  const before = new ResourceSet([...fixed, sliceA, sliceB]);
  assert.deepEqual(endpointSliceChanges(before, new ResourceSet([...fixed, endpointSlice('a', ['10.0.0.9']), sliceB])), new Set(['default/a']));
  assert.deepEqual(endpointSliceChanges(before, new ResourceSet([...fixed, sliceB])), new Set(['default/a']), 'a slice removed');
  assert.equal(endpointSliceChanges(before, new ResourceSet([...fixed, sliceA, sliceB])), undefined, 'nothing changed');
  const edited = [...fixed.slice(0, -1), route('three', ['a'])];
  assert.equal(endpointSliceChanges(before, new ResourceSet([...edited, endpointSlice('a', ['10.0.0.9']), sliceB])), undefined, 'a route changed too');
});

test('withServiceEndpoints gives the IR a full translation gives, and shares everything else', () => {
  const cases: [KubeObject[], KubeObject[]][] = [
    [[endpointSlice('a', ['10.0.0.1'])], [endpointSlice('a', ['10.0.0.9', '10.0.0.1'])]],
    [[endpointSlice('a', ['10.0.0.1']), endpointSlice('b', ['10.0.0.2'])], [endpointSlice('b', ['10.0.0.2'])]],
    [[], [endpointSlice('b', ['10.0.0.3'], 9090)]],
    // The slice's port is picked by the Service port's name.
    [[], [{ ...endpointSlice('c', ['10.0.0.4']), ports: [{ name: 'web', port: 7070 }, { name: 'other', port: 1 }] }]],
    [[endpointSlice('a', ['10.0.0.1'])], [endpointSlice('a', ['10.0.0.1'], 8080, 'default', false)]],
  ];
  for (const [slicesBefore, slicesAfter] of cases) {
    const before = new ResourceSet([...fixed, ...slicesBefore]);
    const after = new ResourceSet([...fixed, ...slicesAfter]);
    const services = endpointSliceChanges(before, after);
    assert.ok(services);
    const previous = run([...before.all()]).ir;
    const patched = withServiceEndpoints(previous, after, services);
    assert.deepEqual(patched, run([...after.all()]).ir);
    const gwBefore = previous.gateways[0];
    const gwAfter = patched?.gateways[0];
    assert.ok(gwBefore && gwAfter);
    assert.equal(gwAfter.ports, gwBefore.ports, 'listeners and routes are the same objects');
    const changed = endpointOnlyChange(gwBefore, gwAfter);
    assert.ok(changed);
    for (const id of changed) assert.ok(services.has(id.replace(/:\d+$/, '')), id);
  }
});

test('endpointOnlyChange: undefined as soon as anything but endpoints differs', () => {
  const ir = run([...fixed, endpointSlice('a', ['10.0.0.1'])]).ir.gateways[0];
  assert.ok(ir);
  assert.deepEqual(endpointOnlyChange(ir, ir), new Set());
  const again = run([...fixed, endpointSlice('a', ['10.0.0.1'])]).ir.gateways[0];
  assert.ok(again);
  assert.equal(endpointOnlyChange(ir, again), undefined, 'a fresh translation: other objects, the full way');
  const moved = { ...ir, backends: { ...ir.backends, 'default/a:80': { ...(ir.backends['default/a:80'] as NonNullable<(typeof ir.backends)[string]>), endpoints: [] } } };
  assert.deepEqual(endpointOnlyChange(ir, moved), new Set(['default/a:80']));
  const h2c = { ...moved, backends: { ...moved.backends, 'default/b:80': { ...(ir.backends['default/b:80'] as NonNullable<(typeof ir.backends)[string]>), protocol: 'h2c' as const } } };
  assert.equal(endpointOnlyChange(ir, h2c), undefined, 'another protocol');
  assert.equal(endpointOnlyChange(ir, { ...ir, addresses: ['127.0.0.2'] }), undefined, 'another address');
});
