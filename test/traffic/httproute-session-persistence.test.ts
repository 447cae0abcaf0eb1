/**
 * Session persistence (HTTPRoute rules' sessionPersistence, GEP-1619): the first answer sets the
 * session cookie, or the session header; a client that sends it back keeps reaching the same
 * backend of a 50/50 split, while clients without it are spread. A header session past its
 * absolute timeout starts again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backends, INFRA_NS, V1, V2 } from './cases.js';
import { gatewayYaml, haproxyInstalled, startStack } from './harness.js';

const routes = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: sticky, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /sticky}}]
    sessionPersistence: {sessionName: portico-sid, absoluteTimeout: 1h, cookieConfig: {lifetimeType: Permanent}}
    backendRefs: [{name: ${V1}, port: 8080}, {name: ${V2}, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /header}}]
    sessionPersistence: {type: Header, sessionName: x-session, absoluteTimeout: 1h}
    backendRefs: [{name: ${V1}, port: 8080}, {name: ${V2}, port: 8080}]
`;

test('HTTPRoute sessionPersistence: a cookie or a header keeps a client on its backend', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, backends(V1, V2), `${gatewayYaml()}---\n${routes}`);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  const first = await stack.expect(gw, 80, { path: '/sticky' }, (r) => r.status === 200, 'the sticky rule');
  const setCookie = ([] as string[]).concat(first.headers['set-cookie'] ?? []);
  const cookie = setCookie.find((c) => c.startsWith('portico-sid='));
  assert.ok(cookie, `a session cookie in ${JSON.stringify(setCookie)}`);
  assert.match(cookie, /Max-Age=3600/);
  assert.match(cookie, /HttpOnly/i);
  const pinned = first.json?.pod;
  const value = cookie.split(';')[0] as string;
  for (let i = 0; i < 20; i++) {
    const r = await stack.request(gw, 80, { path: '/sticky', headers: { cookie: value } });
    assert.equal(r.json?.pod, pinned, `request ${i} with the cookie stays on ${pinned}`);
    assert.equal(r.json?.headers.Cookie, undefined, 'the session cookie is not passed to the backend');
  }
  // Without the cookie the split still spreads clients (both seen in 40 requests unless broken, p ≈ 2⁻³⁹).
  const seen = new Set<string>();
  for (let i = 0; i < 40; i++) seen.add((await stack.request(gw, 80, { path: '/sticky' })).json?.pod ?? '');
  assert.deepEqual([...seen].sort(), [V1, V2]);

  await t.test('a session header keeps a client on its backend until the session expires', async () => {
    const started = Math.floor(Date.now() / 1000);
    const first = await stack.request(gw, 80, { path: '/header' });
    assert.equal(first.status, 200);
    const token = first.headers['x-session'];
    assert.ok(typeof token === 'string' && /^s\d+_\d+\.\d+$/.test(token), `a session header, got ${JSON.stringify(token)}`);
    const start = Number(token.split('.')[1]);
    assert.ok(Math.abs(start - started) <= 5, `the session starts now (${start} vs ${started})`);
    const pinned = first.json?.pod;
    for (let i = 0; i < 20; i++) {
      const r = await stack.request(gw, 80, { path: '/header', headers: { 'x-session': token } });
      assert.equal(r.json?.pod, pinned, `request ${i} with the header stays on ${pinned}`);
      assert.equal(r.json?.headers['X-Session'], undefined, 'the session header is not passed to the backend');
      assert.equal(r.headers['x-session'], token, 'the same session goes on');
    }
    // A session that began two hours ago is past its absolute timeout: balanced again, a new start.
    const stale = `${token.split('.')[0]}.${started - 7200}`;
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const r = await stack.request(gw, 80, { path: '/header', headers: { 'x-session': stale } });
      seen.add(r.json?.pod ?? '');
      const again = String(r.headers['x-session']);
      assert.ok(Number(again.split('.')[1]) >= started, `an expired session starts again, got ${again}`);
    }
    assert.deepEqual([...seen].sort(), [V1, V2]);
  });
});
