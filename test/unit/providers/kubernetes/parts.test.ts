import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kindInfo, type KindInfo } from '../../../../src/api/kinds.js';
import type { KubeObject } from '../../../../src/api/object.js';
import { Backoff } from '../../../../src/providers/kubernetes/backoff.js';
import { installedBundle } from '../../../../src/providers/kubernetes/bundle-version.js';
import { BUNDLE_VERSION_ANNOTATION, decodeGatewayCrd, decodeObject } from '../../../../src/providers/kubernetes/decode.js';
import { ConcurrencyLimit } from '../../../../src/providers/kubernetes/limit.js';
import { collectionPath, objectPath } from '../../../../src/providers/kubernetes/paths.js';
import { previousStatusFromObjects } from '../../../../src/providers/kubernetes/previous-status.js';
import { ResourceSet } from '../../../../src/store/resources.js';

const info = (kind: string) => kindInfo(kind) as KindInfo;

test('paths: core and group kinds, namespaced and cluster-scoped, with subresources', () => {
  assert.equal(collectionPath(info('Service'), 'v1'), '/api/v1/services');
  assert.equal(collectionPath(info('Service'), 'v1', 'apps'), '/api/v1/namespaces/apps/services');
  assert.equal(collectionPath(info('Namespace'), 'v1', 'ignored'), '/api/v1/namespaces');
  assert.equal(objectPath(info('Gateway'), 'v1', 'apps', 'web', 'status'), '/apis/gateway.networking.k8s.io/v1/namespaces/apps/gateways/web/status');
  assert.equal(objectPath(info('GatewayClass'), 'v1', undefined, 'portico'), '/apis/gateway.networking.k8s.io/v1/gatewayclasses/portico');
});

test('decodeObject: names the kind, drops managedFields, and keeps of a Secret only what listeners read', () => {
  const secret = (type: string) =>
    decodeObject(
      { metadata: { name: 's', managedFields: [{}], annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"tls.key":"k"}}' } }, type, data: { 'tls.crt': 'x', 'tls.key': 'k', 'ca.crt': 'c' }, stringData: { a: 'b' } },
      info('Secret'),
      'v1',
    );
  const tls = secret('kubernetes.io/tls');
  assert.deepEqual(tls, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'x', 'tls.key': 'k' } });
  const opaque = secret('Opaque');
  assert.equal(opaque?.data, undefined);
  assert.equal(opaque?.metadata.annotations, undefined);
  assert.equal(opaque?.type, 'Opaque', 'the type stays, so the core can say why it is refused');
  assert.equal(decodeObject({ metadata: {} }, info('Service'), 'v1'), undefined);
  assert.equal(decodeObject('nope', info('Service'), 'v1'), undefined);
});

test('decodeGatewayCrd keeps Gateway API CRDs as name and bundle version only', () => {
  const crd = decodeGatewayCrd(
    { metadata: { name: 'gateways.gateway.networking.k8s.io', resourceVersion: '4', annotations: { [BUNDLE_VERSION_ANNOTATION]: 'v1.6.1', other: 'x' } }, spec: { group: 'gateway.networking.k8s.io', names: { kind: 'Gateway', plural: 'gateways' }, versions: [{}] } },
    ['gateway.networking.k8s.io'],
  );
  assert.deepEqual(crd?.metadata, { name: 'gateways.gateway.networking.k8s.io', resourceVersion: '4', annotations: { [BUNDLE_VERSION_ANNOTATION]: 'v1.6.1' } });
  assert.equal((crd?.spec as { versions?: unknown }).versions, undefined);
  assert.equal(decodeGatewayCrd({ metadata: { name: 'x.example.com' }, spec: { group: 'example.com' } }, ['gateway.networking.k8s.io']), undefined);
});

test('installedBundle: the GatewayClass CRD decides; others that differ are listed', () => {
  const crd = (plural: string, version?: string): KubeObject => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.gateway.networking.k8s.io`, ...(version ? { annotations: { [BUNDLE_VERSION_ANNOTATION]: version } } : {}) },
  });
  assert.deepEqual(installedBundle([]), { version: undefined, mismatched: [] });
  assert.deepEqual(installedBundle([crd('gatewayclasses', 'v1.6.1'), crd('gateways', 'v1.6.1')]), { version: 'v1.6.1', mismatched: [] });
  assert.deepEqual(installedBundle([crd('gatewayclasses', 'v1.5.0'), crd('gateways', 'v1.6.1'), crd('httproutes')]), {
    version: 'v1.5.0',
    mismatched: ['gateways.gateway.networking.k8s.io=v1.6.1', 'httproutes.gateway.networking.k8s.io=(none)'],
  });
  assert.equal(installedBundle([crd('gatewayclasses')]).version, null);
});

test('previousStatusFromObjects: the status objects carry, except where the last computed one is equal (kept by identity)', () => {
  const live = { conditions: [{ type: 'Accepted', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z' }] };
  const gw = (name: string, status?: unknown): KubeObject => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name, namespace: 'ns' }, ...(status ? { status } : {}) });
  const resources = new ResourceSet([gw('fresh', live), gw('equal', live), gw('none')]);
  const computedEqual = { conditions: [{ lastTransitionTime: '2025-01-01T00:00:00Z', status: 'True', type: 'Accepted' }] };
  const computedOnly = { conditions: [] };
  const previous = previousStatusFromObjects(resources, new Map<string, unknown>([['Gateway/ns/equal', computedEqual], ['Gateway/ns/none', computedOnly]]));
  assert.equal(previous.get('Gateway/ns/fresh'), live, 'after a restart: what the object carries');
  assert.equal(previous.get('Gateway/ns/equal'), computedEqual, 'equal: our own value, so caches keyed by identity hit');
  assert.equal(previous.get('Gateway/ns/none'), computedOnly);
});

test('Backoff doubles up to its cap, with jitter below the nominal delay, and resets', () => {
  const b = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0.5, random: () => 0 });
  assert.deepEqual([b.next(), b.next(), b.next(), b.next(), b.next()], [100, 200, 400, 800, 1000]);
  b.reset();
  assert.equal(b.next(), 100);
  const jittered = new Backoff({ initialMs: 100, jitter: 0.5, random: () => 1 });
  assert.equal(jittered.next(), 50);
});

test('ConcurrencyLimit runs at most n tasks at once, in order', async () => {
  const limit = new ConcurrencyLimit(2);
  let active = 0;
  let most = 0;
  const order: number[] = [];
  await Promise.all(
    Array.from({ length: 6 }, (_, i) =>
      limit.run(async () => {
        active++;
        most = Math.max(most, active);
        order.push(i);
        await new Promise((resolve) => setTimeout(resolve, 2));
        active--;
      }),
    ),
  );
  assert.equal(most, 2);
  assert.deepEqual(order, [0, 1, 2, 3, 4, 5]);
});

test('decodeObject keeps the data of a Secret labelled for policies, and of no other Secret but TLS ones', () => {
  const type = { kind: 'Secret', group: '', plural: 'secrets', namespaced: true, versions: ['v1'] } as const;
  const labelled = decodeObject({ metadata: { name: 'keys', labels: { 'gateway.portico.dev/policy-secret': 'true' }, annotations: { x: 'y' } }, type: 'Opaque', data: { alice: 'azE=' } }, type, 'v1') as KubeObject & { data?: Record<string, string> };
  assert.deepEqual(labelled.data, { alice: 'azE=' });
  assert.equal(labelled.metadata.annotations, undefined);
  const other = decodeObject({ metadata: { name: 'db' }, type: 'Opaque', data: { password: 'c2VjcmV0' } }, type, 'v1') as KubeObject & { data?: unknown };
  assert.equal(other.data, undefined);
});
