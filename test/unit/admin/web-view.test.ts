import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test, type TestContext } from 'node:test';
import { Script } from 'node:vm';
import type { GatewayConfigView } from '../../../src/api/data-plane.js';
import type { ViewTree } from '../../../src/api/view-tree.js';
import { startAdminServer } from '../../../src/admin/server.js';
import type { AdminView } from '../../../src/admin/view.js';
import { Metrics } from '../../../src/metrics.js';
import { ResourceSet } from '../../../src/store/resources.js';
import { CLIENT_JS } from '../../../src/admin/web/client.js';

const leaf = (namespace: string, name: string) => ({ id: `HTTPRoute/${namespace}/${name}`, kind: 'HTTPRoute', namespace, name, health: 'ok' as const, reason: '', children: [] });

/** A view whose tree and configuration the test changes, and whose listeners it calls. */
function fakeView() {
  const listeners = new Set<(version: number) => void>();
  const state = {
    tree: { version: 1, namespaces: ['a', 'b'], roots: [leaf('a', 'ra'), leaf('b', 'rb')] } as ViewTree,
    config: new Map<string, GatewayConfigView>([['default/web', { format: 'haproxy.cfg', text: 'frontend p80\n', ports: { '80': 'frontend p80' }, routes: {} }]]),
    listeners,
    apply(tree: ViewTree) {
      state.tree = tree;
      for (const l of listeners) l(tree.version);
    },
  };
  const view: AdminView = {
    isReady: () => true,
    resources: () => new ResourceSet(),
    statusOf: () => undefined,
    viewTree: () => state.tree,
    dataPlaneConfig: (gw) => state.config.get(gw),
    onApplied: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return { view, state };
}

async function serve(t: TestContext, view: AdminView) {
  const server = await startAdminServer({ host: '127.0.0.1', port: 0, view, metrics: new Metrics({ processMetrics: false }) });
  t.after(() => server.close());
  return server;
}

test('web view: the page, its script and style, each with a Content-Security-Policy that allows this server only', async (t) => {
  const server = await serve(t, fakeView().view);
  const page = await fetch(`${server.url}/`);
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.match(page.headers.get('content-security-policy') ?? '', /^default-src 'self'(;|$)/);
  const html = await page.text();
  assert.match(html, /<script type="module" src="\/view\/app.js"><\/script>/);
  assert.doesNotMatch(html, /<script>|<style>|style=|https?:\/\//, 'no inline script or style, nothing from elsewhere');
  for (const [path, type] of [['/view/app.js', 'text/javascript; charset=utf-8'], ['/view/app.css', 'text/css; charset=utf-8']]) {
    const res = await fetch(`${server.url}${path}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), type);
    assert.match(res.headers.get('content-security-policy') ?? '', /^default-src 'self'/);
    assert.doesNotMatch(await res.text(), /https?:\/\/|innerHTML|outerHTML|insertAdjacentHTML|document\.write/, `${path}: no other origin, no HTML parsing of data`);
  }
  assert.equal((await fetch(`${server.url}/view/nothing.js`)).status, 404);
});

test('web view: the script parses (it is a string to TypeScript, checked by nothing else before a browser runs it)', () => {
  assert.doesNotThrow(() => new Script(CLIENT_JS, { filename: 'app.js' }));
});

test('web view: the tree with an ETag answered 304 until a new state; ?namespace= filters it', async (t) => {
  const { view, state } = fakeView();
  const server = await serve(t, view);
  const first = await fetch(`${server.url}/view/api/tree`);
  const etag = first.headers.get('etag');
  assert.ok(etag);
  assert.deepEqual(((await first.json()) as ViewTree).roots.map((r) => r.name), ['ra', 'rb']);
  assert.equal((await fetch(`${server.url}/view/api/tree`, { headers: { 'If-None-Match': etag } })).status, 304);
  const filtered = await fetch(`${server.url}/view/api/tree?namespace=b`, { headers: { 'If-None-Match': etag } });
  assert.equal(filtered.status, 200, 'another namespace is another representation');
  assert.deepEqual(((await filtered.json()) as ViewTree).roots.map((r) => r.name), ['rb']);
  state.apply({ version: 2, namespaces: ['a'], roots: [leaf('a', 'ra')] });
  const next = await fetch(`${server.url}/view/api/tree`, { headers: { 'If-None-Match': etag } });
  assert.equal(next.status, 200);
  assert.notEqual(next.headers.get('etag'), etag);
  assert.equal(((await next.json()) as ViewTree).version, 2);
});

test('web view: a Gateway\'s data plane configuration; 404 with why when there is none, 400 without a Gateway', async (t) => {
  const server = await serve(t, fakeView().view);
  const found = await fetch(`${server.url}/view/api/dataplane?gateway=default/web`);
  assert.equal(found.status, 200);
  assert.deepEqual(((await found.json()) as GatewayConfigView).ports, { '80': 'frontend p80' });
  const missing = await fetch(`${server.url}/view/api/dataplane?gateway=default/other`);
  assert.equal(missing.status, 404);
  assert.match(((await missing.json()) as { message: string }).message, /--data-plane none/);
  assert.equal((await fetch(`${server.url}/view/api/dataplane`)).status, 400);
  assert.equal((await fetch(`${server.url}/view/api/dataplane?gateway=nonamespace`)).status, 400);
});

test('web view: the event stream says "applied" with each new state, and lets go of its listener when the client leaves', async (t) => {
  const { view, state } = fakeView();
  const server = await serve(t, view);
  const res = await fetch(`${server.url}/view/api/events`);
  assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  const reader = res.body?.getReader();
  assert.ok(reader);
  const decoder = new TextDecoder();
  let text = '';
  const readUntil = async (pattern: RegExp): Promise<void> => {
    while (!pattern.test(text)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended before ${pattern}: ${text}`);
      text += decoder.decode(value);
    }
  };
  await readUntil(/retry: \d+\n\n/);
  assert.equal(state.listeners.size, 1);
  state.apply({ version: 5, namespaces: [], roots: [] });
  await readUntil(/event: applied\ndata: \{"version":5\}\n\n/);
  await reader.cancel();
  const deadline = Date.now() + 5000;
  while (state.listeners.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.equal(state.listeners.size, 0);
});

test('web view: GET only, like the rest of the admin API', async (t) => {
  const server = await serve(t, fakeView().view);
  for (const path of ['/', '/view/api/tree']) {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(`${server.url}${path}`, { method: 'POST' }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 405, path);
  }
});
