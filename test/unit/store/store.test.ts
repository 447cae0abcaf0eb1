import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../../src/api/object.js';
import { ObjectStore } from '../../../src/store/store.js';

const route = (name: string, spec: unknown, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name, namespace: 'default', ...extra },
  spec,
});
const meta = (store: ObjectStore, name = 'r') => store.current.get('HTTPRoute', 'default', name)?.metadata;

test('ObjectStore: first sight gets generation 1, a uid and a resourceVersion; no creationTimestamp', () => {
  const store = new ObjectStore();
  const snapshot = store.update([route('r', { a: 1 })]);
  assert.ok(snapshot);
  const m = meta(store);
  assert.equal(m?.generation, 1);
  assert.match(m?.uid ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(m?.resourceVersion, '1');
  assert.equal(m?.creationTimestamp, undefined);
});

test('ObjectStore: generation moves only when spec changes; resourceVersion on any change', () => {
  const store = new ObjectStore();
  store.update([route('r', { a: 1, b: [1, 2] })]);
  const uid = meta(store)?.uid;

  // Same spec, keys in another order: no change at all.
  assert.equal(store.update([route('r', { b: [1, 2], a: 1 })]), undefined);
  assert.equal(meta(store)?.generation, 1);

  store.update([route('r', { b: [1, 2], a: 1 }, { labels: { team: 'x' } })]);
  assert.equal(meta(store)?.generation, 1, 'labels do not bump generation');
  assert.equal(meta(store)?.resourceVersion, '2');

  store.update([{ ...route('r', { b: [1, 2], a: 1 }, { labels: { team: 'x' } }), status: { parents: [] } }]);
  assert.equal(meta(store)?.generation, 1, 'status does not bump generation');
  assert.equal(meta(store)?.resourceVersion, '3');

  store.update([route('r', { a: 2 }, { labels: { team: 'x' } })]);
  assert.equal(meta(store)?.generation, 2);
  assert.equal(meta(store)?.resourceVersion, '4');
  assert.equal(meta(store)?.uid, uid, 'uid is stable');
});

test('ObjectStore: values given in the file for generation, uid and resourceVersion are replaced', () => {
  const store = new ObjectStore();
  store.update([route('r', {}, { generation: 7, uid: 'mine', resourceVersion: '99' })]);
  assert.equal(meta(store)?.generation, 1);
  assert.notEqual(meta(store)?.uid, 'mine');
  assert.equal(meta(store)?.resourceVersion, '1');
});

test('ObjectStore: an object that goes away and comes back keeps its uid and counts on', () => {
  const store = new ObjectStore();
  store.update([route('r', { a: 1 })]);
  store.update([route('r', { a: 2 })]);
  const uid = meta(store)?.uid;
  assert.ok(store.update([]));
  assert.equal(store.current.size, 0);
  store.update([route('r', { a: 2 })]);
  assert.equal(meta(store)?.generation, 2, 'same spec as before it left');
  assert.equal(meta(store)?.uid, uid);
  store.update([]);
  store.update([route('r', { a: 3 })]);
  assert.equal(meta(store)?.generation, 3);
});

test('ObjectStore: unchanged input returns undefined and keeps the same snapshot and objects', () => {
  const store = new ObjectStore();
  const input = [route('a', {}), route('b', {})];
  const first = store.update(input);
  assert.ok(first);
  assert.equal(store.update(input), undefined);
  assert.equal(store.update([...input].reverse()), undefined);
  assert.equal(store.current, first);
  const b = store.current.get('HTTPRoute', 'default', 'b');
  store.update([route('a', { changed: true }), input[1]!]);
  assert.equal(store.current.get('HTTPRoute', 'default', 'b'), b, 'untouched objects keep their identity');
});

test('ObjectStore: does not modify the objects it is given', () => {
  const store = new ObjectStore();
  const input = route('r', { a: 1 });
  const copy = structuredClone(input);
  store.update([input]);
  assert.deepEqual(input, copy);
});

test('ObjectStore: sources follow the stored objects; a move to another file is a change', () => {
  const store = new ObjectStore();
  const obj = route('r', {});
  store.update([obj], new Map([[obj, { file: 'a.yaml', document: 1, line: 1 }]]));
  const stored = store.current.get('HTTPRoute', 'default', 'r');
  assert.ok(stored);
  assert.deepEqual(store.current.sourceOf(stored), { file: 'a.yaml', document: 1, line: 1 });
  const moved = store.update([obj], new Map([[obj, { file: 'b.yaml', document: 2, line: 5 }]]));
  assert.ok(moved);
  assert.equal(moved.sourceOf(moved.get('HTTPRoute', 'default', 'r')!)?.file, 'b.yaml');
  assert.equal(moved.get('HTTPRoute', 'default', 'r')?.metadata.resourceVersion, '1', 'moving is not an edit');
});

test('ObjectStore: an edit rebuilds only its kind in the snapshot; changedKinds sees that kind alone', () => {
  const store = new ObjectStore();
  const slice = (address: string): KubeObject => ({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 's', namespace: 'default' }, endpoints: [{ addresses: [address] }] } as KubeObject);
  const routes = [route('a', { x: 1 }), route('b', { x: 2 })];
  const sources = new Map<KubeObject, { file: string; document: number }>(routes.map((r, i) => [r, { file: 'routes.yaml', document: i + 1 }]));
  const first = store.update([...routes, slice('10.0.0.1')], sources);
  assert.ok(first);
  const listed = first.list('HTTPRoute');
  const second = store.update([...routes, slice('10.0.0.2')], sources);
  assert.ok(second);
  assert.deepEqual([...second.changedKinds(first)], ['EndpointSlice']);
  assert.deepEqual(second.list('HTTPRoute'), listed);
  assert.equal(second.get('HTTPRoute', 'default', 'a'), first.get('HTTPRoute', 'default', 'a'), 'unchanged objects are shared');
  assert.deepEqual(second.sourceOf(second.get('HTTPRoute', 'default', 'b') as KubeObject), { file: 'routes.yaml', document: 2 });
  assert.equal((second.get('EndpointSlice', 'default', 's') as unknown as { endpoints: { addresses: string[] }[] }).endpoints[0]?.addresses[0], '10.0.0.2');

  const third = store.update([routes[0] as KubeObject, slice('10.0.0.2')], sources);
  assert.ok(third);
  assert.deepEqual([...third.changedKinds(second)], ['HTTPRoute'], 'a removal');
  assert.equal(third.get('HTTPRoute', 'default', 'b'), undefined);
  assert.equal(third.size, 2);
});
