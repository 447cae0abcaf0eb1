import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kindInfo, type KindInfo } from '../../../../src/api/kinds.js';
import { silentLogger } from '../../../../src/log.js';
import { ClusterCache } from '../../../../src/providers/kubernetes/cluster-cache.js';
import { CRD_TYPE, decodeGatewayCrd } from '../../../../src/providers/kubernetes/decode.js';
import type { ResourceSet } from '../../../../src/store/resources.js';
import { waitFor } from '../../../support/fs-wait.js';
import { FakeTransport, list, obj } from './fake-transport.js';

const kinds = ['Service', 'Namespace'].map((k) => kindInfo(k) as KindInfo);

test('ClusterCache: the first snapshot once every kind is listed, then one per burst, with unchanged objects kept', async (t) => {
  let servicesListed = false;
  const transport = new FakeTransport((req) => {
    if (req.path === '/api/v1/namespaces') return list([{ metadata: { name: 'default', resourceVersion: '1' } }], '5');
    if (!servicesListed) return { status: 500, body: 'not yet' };
    return list([obj('a', '2'), obj('b', '3')], '5');
  });
  const snapshots: ResourceSet[] = [];
  const cache = new ClusterCache({
    transport,
    logger: silentLogger(),
    kinds,
    onSnapshot: (s) => snapshots.push(s),
    quietMs: 10,
    maxWaitMs: 100,
    tuning: { backoff: { initialMs: 5, maxMs: 5 } },
  });
  cache.start();
  t.after(() => cache.stop());
  await waitFor('namespaces listed', () => transport.openWatch('/api/v1/namespaces'));
  assert.equal(snapshots.length, 0, 'not before Services are listed');
  assert.deepEqual(cache.pending(), ['Service']);
  servicesListed = true;
  await cache.synced;
  await waitFor('first snapshot', () => snapshots.length === 1);
  const first = snapshots[0] as ResourceSet;
  assert.equal(first.size, 3);

  const services = await waitFor('services watch', () => transport.openWatch('/api/v1/services'));
  services.emit('MODIFIED', obj('a', '10', { spec: { x: 1 } }));
  services.emit('ADDED', obj('c', '11'));
  services.emit('DELETED', obj('c', '12'));
  await waitFor('second snapshot', () => snapshots.length === 2);
  const second = snapshots[1] as ResourceSet;
  assert.equal(second.get('Service', 'default', 'b'), first.get('Service', 'default', 'b'), 'same object for b');
  assert.notEqual(second.get('Service', 'default', 'a'), first.get('Service', 'default', 'a'));
  assert.equal(second.get('Service', 'default', 'c'), undefined);
  assert.equal(cache.lookup('Service', 'default', 'a')?.metadata.resourceVersion, '10');
});

test('ClusterCache: namespaced kinds per namespace; cluster-scoped ones and extra types cluster-wide, extras outside snapshots', async (t) => {
  const transport = new FakeTransport((req) => {
    if (req.path === '/apis/apiextensions.k8s.io/v1/customresourcedefinitions') {
      return list(
        [
          { metadata: { name: 'gateways.gateway.networking.k8s.io', resourceVersion: '1', annotations: { 'gateway.networking.k8s.io/bundle-version': 'v1.6.1' } }, spec: { group: 'gateway.networking.k8s.io' } },
          { metadata: { name: 'widgets.example.com', resourceVersion: '2' }, spec: { group: 'example.com' } },
        ],
        '9',
      );
    }
    return list(req.path.includes('/namespaces/b/') ? [obj('x', '1', {}, 'b')] : [], '9');
  });
  const snapshots: ResourceSet[] = [];
  const cache = new ClusterCache({
    transport,
    logger: silentLogger(),
    kinds,
    namespaces: ['a', 'b', 'a'],
    extra: [{ type: CRD_TYPE, decode: (raw) => decodeGatewayCrd(raw, ['gateway.networking.k8s.io']) }],
    onSnapshot: (s) => snapshots.push(s),
  });
  cache.start();
  t.after(() => cache.stop());
  await waitFor('first snapshot', () => snapshots.length === 1);
  assert.deepEqual(transport.requests.map((r) => r.path).sort(), [
    '/api/v1/namespaces',
    '/api/v1/namespaces/a/services',
    '/api/v1/namespaces/b/services',
    '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
  ]);
  assert.deepEqual([...(snapshots[0] as ResourceSet).all()].map((o) => `${o.kind}/${o.metadata.name}`), ['Service/x']);
  assert.deepEqual(cache.extraObjects('CustomResourceDefinition').map((c) => c.metadata.name), ['gateways.gateway.networking.k8s.io']);
  assert.equal(cache.lookup('Service', 'b', 'x')?.metadata.name, 'x');
  assert.equal(cache.lookup('Service', 'c', 'x'), undefined, 'not watched there');
  cache.refresh();
  await waitFor('a snapshot on refresh', () => snapshots.length === 2);
});

test('ClusterCache: Secrets are listed and watched by type, kubernetes.io/tls, and by the policy label for others; other kinds without a selector', async (t) => {
  const transport = new FakeTransport(() => list([], '5'));
  const cache = new ClusterCache({ transport, logger: silentLogger(), kinds: [kindInfo('Secret') as KindInfo, kindInfo('Service') as KindInfo], onSnapshot: () => undefined, quietMs: 10, maxWaitMs: 100 });
  cache.start();
  t.after(() => cache.stop());
  await cache.synced;
  await waitFor('secrets watch', () => transport.openWatch('/api/v1/secrets'));
  const lists = transport.requests.filter((r) => r.path === '/api/v1/secrets').map((r) => `${String(r.query?.fieldSelector)} ${String(r.query?.labelSelector)}`);
  assert.deepEqual([...new Set(lists)].sort(), ['type!=kubernetes.io/tls gateway.portico.dev/policy-secret=true', 'type=kubernetes.io/tls undefined']);
  assert.equal(transport.requests.find((r) => r.path === '/api/v1/services')?.query?.fieldSelector, undefined);
});
