import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { kindInfo, type KindInfo } from '../../../../src/api/kinds.js';
import { silentLogger } from '../../../../src/log.js';
import { Reflector, type ReflectorOptions } from '../../../../src/providers/kubernetes/reflector.js';
import { waitFor } from '../../../support/fs-wait.js';
import { FakeTransport, list, obj } from './fake-transport.js';

const SERVICES = '/api/v1/services';
const service = kindInfo('Service') as KindInfo;

function start(t: TestContext, transport: FakeTransport, options: Partial<ReflectorOptions> = {}): { reflector: Reflector; changes: () => number } {
  let changes = 0;
  const reflector = new Reflector({
    transport,
    type: service,
    logger: silentLogger(),
    onChange: () => changes++,
    backoff: { initialMs: 1, maxMs: 5 },
    absentRetryMs: 5,
    ...options,
  });
  reflector.start();
  t.after(() => reflector.stop());
  return { reflector, changes: () => changes };
}

const names = (r: Reflector) => [...r.objects()].map((o) => o.metadata.name).sort();

test('Reflector lists every page, then watches from the list version with bookmarks', async (t) => {
  const transport = new FakeTransport((req) => {
    if (req.query?.continue === undefined) return list([obj('a', '1')], '10', 'page2');
    return list([obj('b', '2', { metadata: { name: 'b', namespace: 'default', resourceVersion: '2', managedFields: [{ manager: 'x' }] } })], '10');
  });
  const { reflector, changes } = start(t, transport);
  const watch = await waitFor('a watch', () => transport.openWatch(SERVICES));
  assert.deepEqual(names(reflector), ['a', 'b']);
  assert.equal(reflector.synced, true);
  assert.equal(changes(), 1);
  assert.deepEqual(transport.requests.map((r) => [r.path, r.query?.limit, r.query?.continue]), [
    [SERVICES, 500, undefined],
    [SERVICES, 500, 'page2'],
  ]);
  assert.equal(watch.query.resourceVersion, '10');
  assert.equal(watch.query.allowWatchBookmarks, true);
  assert.ok(Number(watch.query.timeoutSeconds) >= 300 && Number(watch.query.timeoutSeconds) < 600);
  const b = reflector.get('default', 'b');
  assert.equal(b?.kind, 'Service', 'list items get their kind');
  assert.equal(b?.apiVersion, 'v1');
  assert.equal((b?.metadata as unknown as Record<string, unknown>).managedFields, undefined, 'managedFields are dropped');
});

test('Reflector applies watch events, keeps the object on a replay, and resumes from the newest version', async (t) => {
  const transport = new FakeTransport(() => list([obj('a', '1')], '10'));
  const { reflector, changes } = start(t, transport);
  const watch = await waitFor('a watch', () => transport.openWatch(SERVICES));
  const a = reflector.get('default', 'a');
  watch.emit('MODIFIED', obj('a', '1'));
  assert.equal(reflector.get('default', 'a'), a, 'same resourceVersion: same object');
  assert.equal(changes(), 1);
  watch.emit('ADDED', obj('b', '11'));
  watch.emit('MODIFIED', obj('a', '12', { spec: { x: 1 } }));
  watch.emit('DELETED', obj('b', '13'));
  watch.emit('BOOKMARK', { metadata: { resourceVersion: '20' } });
  assert.deepEqual(names(reflector), ['a']);
  assert.notEqual(reflector.get('default', 'a'), a);
  assert.equal(changes(), 4);
  // The server ends the watch (its timeout): watched again from the bookmark, without a list.
  watch.end({ type: 'closed' });
  const next = await waitFor('the next watch', () => transport.openWatch(SERVICES));
  assert.equal(next.query.resourceVersion, '20');
  assert.equal(transport.requests.length, 1);
});

test('Reflector lists again on 410 Gone, keeping the very objects whose version did not change', async (t) => {
  let version = 0;
  const transport = new FakeTransport(() => {
    version++;
    return version === 1 ? list([obj('same', '1'), obj('changed', '2'), obj('gone', '3')], '10') : list([obj('same', '1'), obj('changed', '5'), obj('new', '6')], '30');
  });
  const { reflector, changes } = start(t, transport);
  const watch = await waitFor('a watch', () => transport.openWatch(SERVICES));
  const same = reflector.get('default', 'same');
  const changed = reflector.get('default', 'changed');
  watch.emit('ERROR', { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version: 10 (25)' });
  const second = await waitFor('a watch after the re-list', () => transport.openWatch(SERVICES));
  assert.equal(second.query.resourceVersion, '30');
  assert.deepEqual(names(reflector), ['changed', 'new', 'same']);
  assert.equal(reflector.get('default', 'same'), same);
  assert.notEqual(reflector.get('default', 'changed'), changed);
  assert.equal(changes(), 2);

  // A watch request answered 410 itself (not as an event) is re-listed as well.
  second.end({ type: 'status', status: 410, body: { kind: 'Status', code: 410 } });
  await waitFor('a third list', () => transport.requests.length === 3);
  assert.equal(changes(), 2, 'nothing changed in that list');
});

test('Reflector reconnects after errors with backoff and never throws', async (t) => {
  let calls = 0;
  const transport = new FakeTransport(() => {
    calls++;
    if (calls === 1) throw new Error('connect ECONNREFUSED');
    if (calls === 2) return { status: 500, body: { message: 'etcd is down' } };
    return list([obj('a', '1')], '10');
  });
  const { reflector } = start(t, transport);
  let watch = await waitFor('a watch', () => transport.openWatch(SERVICES));
  assert.equal(reflector.synced, true);
  for (const end of [{ type: 'error', error: new Error('connection lost') }, { type: 'status', status: 500, body: 'oops' }] as const) {
    watch.end(end);
    watch = await waitFor('a new watch', () => transport.openWatch(SERVICES));
    assert.equal(watch.query.resourceVersion, '10', 'resumed, not re-listed');
  }
  assert.equal(transport.requests.length, 3);
  assert.deepEqual(names(reflector), ['a'], 'the cache is kept meanwhile');
});

test('Reflector: a type that is not served is absent (and synced), looked for again, and found later', async (t) => {
  let installed = false;
  const transport = new FakeTransport(() => (installed ? list([obj('r', '1')], '5') : { status: 404, body: { reason: 'NotFound' } }));
  const tcp = kindInfo('TCPRoute') as KindInfo;
  const { reflector, changes } = start(t, transport, { type: tcp, absentRetryMs: 60_000 });
  await waitFor('absent', () => reflector.absent);
  assert.equal(reflector.synced, true);
  assert.equal(changes(), 1, 'synced (empty) is a change the cache must hear of');
  // Every version is tried before giving up.
  assert.deepEqual(transport.requests.map((r) => r.path), ['/apis/gateway.networking.k8s.io/v1/tcproutes', '/apis/gateway.networking.k8s.io/v1alpha2/tcproutes']);
  installed = true;
  reflector.poke(); // the CRD showed up: no need to wait the whole retry period
  await waitFor('found', () => reflector.size === 1);
  assert.equal(reflector.absent, false);
  assert.equal(reflector.get('default', 'r')?.apiVersion, 'gateway.networking.k8s.io/v1');
});

test('Reflector falls back to an older served version and names objects with it', async (t) => {
  const transport = new FakeTransport((req) => (req.path.includes('/v1beta1/') ? list([obj('g', '1')], '5') : { status: 404, body: {} }));
  const gateways = kindInfo('Gateway') as KindInfo;
  const { reflector } = start(t, transport, { type: gateways });
  const watch = await waitFor('a watch', () => transport.openWatch('/apis/gateway.networking.k8s.io/v1beta1/gateways'));
  assert.ok(watch);
  assert.equal(reflector.get('default', 'g')?.apiVersion, 'gateway.networking.k8s.io/v1beta1');
});

test('Reflector limited to a namespace lists and watches only there', async (t) => {
  const transport = new FakeTransport(() => list([], '1'));
  start(t, transport, { namespace: 'apps' });
  await waitFor('a watch', () => transport.openWatch('/api/v1/namespaces/apps/services'));
  assert.equal(transport.requests[0]?.path, '/api/v1/namespaces/apps/services');
});

test('Reflector.offer takes a re-read object only while the cache still holds the stale version', async (t) => {
  const transport = new FakeTransport(() => list([obj('a', '1')], '10'));
  const { reflector, changes } = start(t, transport);
  const watch = await waitFor('a watch', () => transport.openWatch(SERVICES));
  assert.equal(reflector.offer(obj('a', '3'), '2'), false, 'the cache is not at the stale version');
  assert.equal(reflector.offer(obj('a', '3'), '1'), true);
  assert.equal(reflector.get('default', 'a')?.metadata.resourceVersion, '3');
  assert.equal(changes(), 2);
  // The watch then delivers that very version: nothing changes.
  const taken = reflector.get('default', 'a');
  watch.emit('MODIFIED', obj('a', '3'));
  assert.equal(reflector.get('default', 'a'), taken);
});

test('Reflector.stop ends the watch and the loop', async () => {
  const transport = new FakeTransport(() => list([], '1'));
  const reflector = new Reflector({ transport, type: service, logger: silentLogger(), onChange: () => undefined });
  reflector.start();
  const watch = await waitFor('a watch', () => transport.openWatch(SERVICES));
  await reflector.stop();
  assert.deepEqual(watch.ended, { type: 'aborted' });
  assert.equal(transport.requests.length, 1);
});
