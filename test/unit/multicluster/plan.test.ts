import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../../src/api/object.js';
import { mergeExports, type ExportIn } from '../../../src/multicluster/merge.js';
import { importObject, importStatusObject, planWrites, sliceObject, unmanagedImports, withTransitionTimes } from '../../../src/multicluster/plan.js';

const API = 'multicluster.x-k8s.io/v1alpha1';
const exp = (cluster: string, name = 'cart'): ExportIn => ({
  cluster,
  namespace: 'shop',
  name,
  created: '2026-01-01T00:00:00Z',
  service: { ports: [{ name: 'http', port: 80 }] },
  slices: [{ name: `${name}-1`, addressType: 'IPv4', endpoints: [{ addresses: ['192.0.2.1'] }], ports: [{ name: 'http', port: 8080 }] }],
});
const phases = new Map([['west', { phase: 'reachable' as const }], ['east', { phase: 'reachable' as const }]]);

/** The config cluster after a plan was carried out in full, as the API server would echo it. */
function written(result: ReturnType<typeof mergeExports>): KubeObject[] {
  const imports = result.imports.map((d) => ({ ...importObject(d, API), metadata: { ...importObject(d, API).metadata, uid: `uid-${d.name}` }, status: importStatusObject(d, API, undefined, '2026-01-01T00:00:00Z').status }));
  return [...imports, ...result.slices.map((s) => sliceObject(s, { apiVersion: API, uid: `uid-${s.importName}` }))];
}
const split = (objects: KubeObject[]) => ({ imports: objects.filter((o) => o.kind === 'ServiceImport'), slices: objects.filter((o) => o.kind === 'EndpointSlice') });

test('planWrites: everything is written once, then nothing while nothing changes', () => {
  const result = mergeExports([exp('west'), exp('east')], phases);
  const first = planWrites(result, { imports: [], slices: [] });
  assert.deepEqual([first.imports.length, first.statuses.length, first.slices.length, first.deleteSlices.length, first.deleteImports.length], [1, 1, 2, 0, 0]);
  const again = planWrites(result, split(written(result)));
  assert.deepEqual(again, { imports: [], statuses: [], slices: [], deleteSlices: [], deleteImports: [] });
});

test('planWrites: a withdrawn export takes its mirror (and, when the last, its import) away', () => {
  const before = written(mergeExports([exp('west'), exp('east'), exp('west', 'gone')], phases));
  const plan = planWrites(mergeExports([exp('west')], phases), split(before));
  assert.deepEqual(plan.deleteSlices.map((r) => r.name).sort(), [before.find((o) => o.metadata.labels?.['multicluster.kubernetes.io/source-cluster'] === 'east')?.metadata.name, before.find((o) => o.kind === 'EndpointSlice' && o.metadata.labels?.['multicluster.kubernetes.io/service-name'] === 'gone')?.metadata.name].sort());
  assert.deepEqual(plan.deleteImports, [{ namespace: 'shop', name: 'gone' }]);
  assert.deepEqual(plan.statuses.map((d) => d.clusters), [['west']]);
});

test('planWrites: a cluster not listed yet keeps its mirrors and their import; others are never touched', () => {
  const before = written(mergeExports([exp('west'), exp('east')], phases));
  const held = planWrites(mergeExports([], phases), split(before), new Set(['east']));
  assert.deepEqual(held.deleteSlices.map((r) => r.name), [before.find((o) => o.metadata.labels?.['multicluster.kubernetes.io/source-cluster'] === 'west')?.metadata.name]);
  assert.deepEqual(held.deleteImports, []);
  const foreign: KubeObject = { apiVersion: API, kind: 'ServiceImport', metadata: { name: 'cart', namespace: 'shop' }, spec: { type: 'ClusterSetIP', ports: [] } };
  const existing = { imports: [foreign], slices: [] };
  const result = mergeExports([exp('west')], phases, unmanagedImports(existing));
  assert.deepEqual(planWrites(result, existing), { imports: [], statuses: [], slices: [], deleteSlices: [], deleteImports: [] });
});

test('mirrored slices: labelled for the import and the source cluster, owned by the import, ready endpoints only', () => {
  const [slice] = mergeExports([exp('west')], phases).slices;
  assert.ok(slice);
  const o = sliceObject(slice, { apiVersion: API, uid: 'u1' });
  assert.deepEqual(o.metadata.labels, {
    'multicluster.kubernetes.io/service-name': 'cart',
    'multicluster.kubernetes.io/source-cluster': 'west',
    'app.kubernetes.io/managed-by': 'portico-multicluster',
    'endpointslice.kubernetes.io/managed-by': 'multicluster.portico.dev',
  });
  assert.deepEqual(o.metadata.ownerReferences, [{ apiVersion: API, kind: 'ServiceImport', name: 'cart', uid: 'u1', controller: true, blockOwnerDeletion: false }]);
  assert.deepEqual(o.endpoints, [{ addresses: ['192.0.2.1'], conditions: { ready: true } }]);
  assert.deepEqual(o.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
});

test('withTransitionTimes keeps the time of a condition whose status stays', () => {
  const previous = [{ type: 'Ready', status: 'True' as const, reason: 'Ready', message: 'a', lastTransitionTime: 'T1' }];
  assert.equal(withTransitionTimes([{ type: 'Ready', status: 'True', reason: 'Ready', message: 'b' }], previous, 'T2')[0]?.lastTransitionTime, 'T1');
  assert.equal(withTransitionTimes([{ type: 'Ready', status: 'False', reason: 'Pending', message: 'b' }], previous, 'T2')[0]?.lastTransitionTime, 'T2');
  assert.equal(withTransitionTimes([{ type: 'Ready', status: 'True', reason: 'Ready', message: 'b' }], previous, 'T2', 3)[0]?.observedGeneration, 3);
});
