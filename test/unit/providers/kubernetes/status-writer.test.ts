import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { KubeObject } from '../../../../src/api/object.js';
import { silentLogger } from '../../../../src/log.js';
import { StatusWriter, type StatusWriterOptions } from '../../../../src/providers/kubernetes/status-writer.js';
import type { KubeRequest, KubeResponse } from '../../../../src/providers/kubernetes/transport.js';
import { ResourceSet } from '../../../../src/store/resources.js';
import { waitFor } from '../../../support/fs-wait.js';
import { FakeTransport } from './fake-transport.js';

const OURS = 'portico.dev/gateway-controller';
const writers: StatusWriter[] = [];
after(() => {
  for (const w of writers) w.close();
});

function gateway(name: string, resourceVersion: string, status?: unknown): KubeObject {
  return { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name, namespace: 'default', resourceVersion, generation: 1 }, spec: {}, ...(status === undefined ? {} : { status }) };
}

/** A writer whose cache is `live` (what the watch delivered), with every PUT answered by `answer`. */
function setup(answer: (req: KubeRequest) => KubeResponse | Promise<KubeResponse> = (req) => ({ status: 200, body: req.body }), options: Partial<StatusWriterOptions> = {}) {
  const live = new Map<string, KubeObject>();
  const offers: [string, unknown, string][] = [];
  const transport = new FakeTransport(answer);
  const writer = new StatusWriter({
    transport,
    logger: silentLogger(),
    lookup: (kind, namespace, name) => live.get(`${kind}/${namespace ?? ''}/${name}`),
    offer: (kind, namespace, name, raw, stale) => void offers.push([`${kind}/${namespace ?? ''}/${name}`, raw, stale]),
    retry: { initialMs: 5, maxMs: 5 },
    ...options,
  });
  writer.setEnabled(true);
  writers.push(writer);
  const show = (...objects: KubeObject[]) => {
    for (const o of objects) live.set(`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, o);
    return new ResourceSet(objects);
  };
  const puts = () => transport.requests.filter((r) => r.method === 'PUT');
  return { transport, writer, live, offers, show, puts };
}

test('StatusWriter writes only what differs, compared canonically', async () => {
  const { writer, show, puts } = setup();
  const same = gateway('same', '1', { conditions: [{ type: 'Accepted', status: 'True' }], addresses: [] });
  const differs = gateway('differs', '1', { conditions: [] });
  const resources = show(same, differs);
  writer.update(
    resources,
    new Map<string, unknown>([
      ['Gateway/default/same', { addresses: [], conditions: [{ status: 'True', type: 'Accepted' }] }], // other key order
      ['Gateway/default/differs', { conditions: [{ type: 'Accepted', status: 'True' }] }],
    ]),
  );
  await writer.idle();
  assert.equal(puts().length, 1);
  const put = puts()[0];
  assert.equal(put?.path, '/apis/gateway.networking.k8s.io/v1/namespaces/default/gateways/differs/status');
  assert.equal(put?.query?.fieldManager, 'portico');
  const body = put?.body as KubeObject;
  assert.equal(body.metadata.resourceVersion, '1', 'optimistic concurrency on the version the status was computed from');
  assert.deepEqual(body.status, { conditions: [{ type: 'Accepted', status: 'True' }] });
});

test('StatusWriter does not write an object again until the watch delivered its own write', async () => {
  const { writer, show, puts } = setup((req) => ({ status: 200, body: { ...(req.body as object), metadata: { ...(req.body as KubeObject).metadata, resourceVersion: '2' } } }));
  const desired = new Map<string, unknown>([['Gateway/default/gw', { conditions: [{ type: 'Accepted', status: 'True' }] }]]);
  writer.update(show(gateway('gw', '1', {})), desired);
  await writer.idle();
  assert.equal(puts().length, 1);
  // A newer translation from the same (old) snapshot: the write is not visible yet, so no write.
  const newer = new Map<string, unknown>([['Gateway/default/gw', { conditions: [{ type: 'Accepted', status: 'False' }] }]]);
  writer.update(show(gateway('gw', '1', {})), newer);
  await writer.idle();
  assert.equal(puts().length, 1);
  // The watch delivers our write: equal to the status wanted now → nothing; else → written.
  writer.update(show(gateway('gw', '2', { conditions: [{ type: 'Accepted', status: 'True' }] })), desired);
  await writer.idle();
  assert.equal(puts().length, 1, 'steady state: no write');
  writer.update(show(gateway('gw', '2', { conditions: [{ type: 'Accepted', status: 'True' }] })), newer);
  await writer.idle();
  assert.equal(puts().length, 2);
});

test('StatusWriter skips a snapshot older than the cache (a newer translation is coming)', async () => {
  const { writer, show, live, puts } = setup();
  const resources = show(gateway('gw', '1', {}));
  live.set('Gateway/default/gw', gateway('gw', '2', {}));
  writer.update(resources, new Map([['Gateway/default/gw', { conditions: [] }]]));
  await writer.idle();
  assert.equal(puts().length, 0);
});

test('StatusWriter on 409 reads the object again and offers it to the cache', async () => {
  const { writer, show, offers, transport } = setup((req) =>
    req.method === 'PUT' ? { status: 409, body: { reason: 'Conflict' } } : { status: 200, body: gateway('gw', '7', { conditions: [] }) },
  );
  writer.update(show(gateway('gw', '1', {})), new Map([['Gateway/default/gw', { conditions: [{ type: 'Accepted', status: 'True' }] }]]));
  await writer.idle();
  assert.deepEqual(transport.requests.map((r) => [r.method, r.path]), [
    ['PUT', '/apis/gateway.networking.k8s.io/v1/namespaces/default/gateways/gw/status'],
    ['GET', '/apis/gateway.networking.k8s.io/v1/namespaces/default/gateways/gw'],
  ]);
  assert.equal(offers.length, 1);
  assert.equal(offers[0]?.[0], 'Gateway/default/gw');
  assert.equal(offers[0]?.[2], '1', 'replaces only the version that conflicted');
});

test('StatusWriter keeps at most `concurrency` writes in flight', async () => {
  let inFlight = 0;
  let most = 0;
  const release: (() => void)[] = [];
  const { writer, show, puts } = setup(
    async (req) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise<void>((resolve) => release.push(resolve));
      inFlight--;
      return { status: 200, body: req.body };
    },
    { concurrency: 4 },
  );
  const objects = Array.from({ length: 20 }, (_, i) => gateway(`gw${i}`, '1', {}));
  writer.update(show(...objects), new Map(objects.map((o) => [`Gateway/default/${o.metadata.name}`, { conditions: [] }])));
  while (puts().length < 20 || release.length > 0) {
    await waitFor('a write to release', () => release.length > 0);
    release.shift()?.();
  }
  await writer.idle();
  assert.equal(most, 4);
  assert.equal(puts().length, 20);
});

test('StatusWriter writes nothing while disabled, and what differs as soon as it is enabled', async () => {
  const { writer, show, puts } = setup();
  writer.setEnabled(false);
  writer.update(show(gateway('gw', '1', {})), new Map([['Gateway/default/gw', { conditions: [] }]]));
  await writer.idle();
  assert.equal(puts().length, 0);
  writer.setEnabled(true);
  await writer.idle();
  assert.equal(puts().length, 1);
});

test('StatusWriter: a status the server stores differently is not written again for that difference', async () => {
  // The server drops a field it does not know.
  const { writer, show, puts } = setup((req) => ({ status: 200, body: { ...(req.body as object), status: { conditions: [] } } }));
  const desired = new Map([['Gateway/default/gw', { conditions: [], unknownField: 1 }]]);
  writer.update(show(gateway('gw', '1', {})), desired);
  await writer.idle();
  writer.update(show(gateway('gw', '2', { conditions: [] })), desired);
  await writer.idle();
  assert.equal(puts().length, 1);
});

test('StatusWriter: a refused status waits for a change; a failing server is retried', async () => {
  let answer = 422;
  let written = 0;
  const { writer, show, puts } = setup((req) => {
    if (answer !== 200) return { status: answer, body: { message: 'nope' } };
    written++;
    return { status: 200, body: req.body };
  });
  const desired = new Map([['Gateway/default/gw', { conditions: [] }]]);
  writer.update(show(gateway('gw', '1', {})), desired);
  await writer.idle();
  writer.update(show(gateway('gw', '1', {})), desired);
  await writer.idle();
  assert.equal(puts().length, 1, 'not retried as is');

  answer = 503;
  writer.update(show(gateway('gw', '1', {})), new Map([['Gateway/default/gw', { conditions: [{ type: 'X' }] }]]));
  await waitFor('retries', () => puts().length >= 3);
  answer = 200;
  await waitFor('written once the server is back', () => written === 1);
});

test("StatusWriter removes our entries from a route no longer attached to any Gateway of ours, and only ours", async () => {
  const { writer, show, puts } = setup();
  const theirs = { parentRef: { name: 'other' }, controllerName: 'example.com/other', conditions: [] };
  const route: KubeObject = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'r', namespace: 'default', resourceVersion: '4' },
    spec: {},
    status: { parents: [{ parentRef: { name: 'gone' }, controllerName: OURS, conditions: [] }, theirs] },
  };
  const untouched: KubeObject = { ...route, metadata: { ...route.metadata, name: 'theirs-only' }, status: { parents: [theirs] } };
  writer.update(show(route, untouched), new Map());
  await writer.idle();
  assert.equal(puts().length, 1);
  assert.equal(puts()[0]?.path, '/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes/r/status');
  assert.deepEqual((puts()[0]?.body as KubeObject).status, { parents: [theirs] });
});

test('StatusWriter writes cluster-scoped GatewayClass status at its own path', async () => {
  const { writer, show, puts } = setup();
  const gc: KubeObject = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'portico', resourceVersion: '3' }, spec: {} };
  writer.update(show(gc), new Map([['GatewayClass//portico', { conditions: [] }]]));
  await writer.idle();
  assert.equal(puts()[0]?.path, '/apis/gateway.networking.k8s.io/v1/gatewayclasses/portico/status');
});
