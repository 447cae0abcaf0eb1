import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { KubeObject } from '../../../src/api/object.js';
import { startAdminServer } from '../../../src/admin/server.js';
import type { AdminView } from '../../../src/admin/view.js';
import { Metrics } from '../../../src/metrics.js';
import { ResourceSet } from '../../../src/store/resources.js';

const gateway: KubeObject = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'web', namespace: 'default' }, spec: {} };

/** A view with no tree, no data plane configuration and no updates, unless the test gives them. */
type BasicView = Pick<AdminView, 'isReady' | 'resources' | 'statusOf'> & Partial<AdminView>;
function withViewDefaults(view: BasicView): AdminView {
  return { viewTree: () => ({ version: 0, namespaces: [], roots: [] }), dataPlaneConfig: () => undefined, onApplied: () => () => undefined, ...view };
}

async function serve(t: TestContext, view: BasicView, metrics = new Metrics({ processMetrics: false })) {
  const server = await startAdminServer({ host: '127.0.0.1', port: 0, view: withViewDefaults(view), metrics });
  t.after(() => server.close());
  return server;
}

test('startAdminServer: binds port 0 to a free port and reports its URL', async (t) => {
  const server = await serve(t, { isReady: () => false, resources: () => new ResourceSet(), statusOf: () => undefined });
  assert.ok(server.port > 0);
  assert.equal(server.url, `http://127.0.0.1:${server.port}`);
});

test('admin API: /healthz always, /readyz only once ready', async (t) => {
  let ready = false;
  const server = await serve(t, { isReady: () => ready, resources: () => new ResourceSet(), statusOf: () => undefined });
  const health = await fetch(`${server.url}/healthz`);
  assert.equal(health.status, 200);
  assert.equal(await health.text(), 'ok\n');
  const notReady = await fetch(`${server.url}/readyz`);
  assert.equal(notReady.status, 503);
  assert.match(await notReady.text(), /not ready/);
  ready = true;
  assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
});

test('admin API: objects as JSON, 404 as a Kubernetes Status', async (t) => {
  const server = await serve(t, {
    isReady: () => true,
    resources: () => new ResourceSet([gateway]),
    statusOf: (key) => (key === 'Gateway/default/web' ? { conditions: [] } : undefined),
  });
  const res = await fetch(`${server.url}/apis/gateway.networking.k8s.io/v1/namespaces/default/gateways/web`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /application\/json/);
  assert.deepEqual(((await res.json()) as KubeObject).status, { conditions: [] });

  const list = await fetch(`${server.url}/apis/gateway.networking.k8s.io/v1/gateways?limit=5`);
  assert.equal(((await list.json()) as { items: unknown[] }).items.length, 1);

  const missing = await fetch(`${server.url}/apis/gateway.networking.k8s.io/v1/namespaces/default/gateways/nope`);
  assert.equal(missing.status, 404);
  assert.deepEqual(await missing.json(), {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'gateways.gateway.networking.k8s.io "nope" not found',
    reason: 'NotFound',
    details: { name: 'nope', group: 'gateway.networking.k8s.io', kind: 'gateways' },
    code: 404,
  });
  assert.equal((await fetch(`${server.url}/nothing/here`)).status, 404);
});

test('admin API: any method but GET is 405 with Allow: GET', async (t) => {
  const server = await serve(t, { isReady: () => true, resources: () => new ResourceSet([gateway]), statusOf: () => undefined });
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'HEAD']) {
    const res = await fetch(`${server.url}/apis/gateway.networking.k8s.io/v1/namespaces/default/gateways/web`, { method });
    assert.equal(res.status, 405, method);
    assert.equal(res.headers.get('allow'), 'GET');
    if (method !== 'HEAD') assert.equal(((await res.json()) as { reason: string }).reason, 'MethodNotAllowed');
  }
});

test('admin API: /metrics is Prometheus text with Portico metrics', async (t) => {
  const metrics = new Metrics();
  metrics.translationsTotal.inc({ result: 'success' });
  metrics.translationDuration.observe(0.01);
  metrics.setObjectCounts(new Map([['Gateway', 2]]));
  metrics.invalidObjects.set(3);
  metrics.lastSuccessfulTranslation.set(1700000000);
  const server = await serve(t, { isReady: () => true, resources: () => new ResourceSet(), statusOf: () => undefined }, metrics);
  const res = await fetch(`${server.url}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
  const text = await res.text();
  for (const line of [
    'portico_translations_total{result="success"} 1',
    'portico_translation_duration_seconds_count 1',
    'portico_objects_loaded{kind="Gateway"} 2',
    'portico_invalid_objects 3',
    'portico_last_successful_translation_timestamp_seconds 1700000000',
  ]) {
    assert.ok(text.includes(line), `missing: ${line}`);
  }
  assert.match(text, /^process_cpu_user_seconds_total /m);
});

test('startAdminServer: a port in use is a clear error', async (t) => {
  const view = withViewDefaults({ isReady: () => true, resources: () => new ResourceSet(), statusOf: () => undefined });
  const first = await serve(t, view);
  await assert.rejects(
    startAdminServer({ host: '127.0.0.1', port: first.port, view, metrics: new Metrics({ processMetrics: false }) }),
    { message: `admin API cannot listen on 127.0.0.1:${first.port}: address already in use` },
  );
});

test('health address: /healthz and /readyz only, the admin API and metrics stay on theirs', async (t) => {
  const server = await startAdminServer({
    host: '127.0.0.1',
    port: 0,
    health: { host: '127.0.0.1', port: 0 },
    view: withViewDefaults({ isReady: () => true, resources: () => new ResourceSet([gateway]), statusOf: () => undefined }),
    metrics: new Metrics({ processMetrics: false }),
  });
  t.after(() => server.close());
  assert.ok(server.healthUrl);
  assert.notEqual(server.healthUrl, server.url);
  assert.equal((await fetch(`${server.healthUrl}/healthz`)).status, 200);
  assert.equal((await fetch(`${server.healthUrl}/readyz`)).status, 200);
  assert.equal((await fetch(`${server.healthUrl}/metrics`)).status, 404);
  assert.equal((await fetch(`${server.healthUrl}/apis/gateway.networking.k8s.io/v1/gateways`)).status, 404);
  assert.equal((await fetch(`${server.url}/apis/gateway.networking.k8s.io/v1/gateways`)).status, 200);
});
