/**
 * Traffic port of upstream HTTPRouteRequestHeaderModifierBackendWeights: filters on a backendRef
 * apply only to requests sent to that backend (each backend here gets a "Backend" header naming it).
 * Not upstream: the same with an unresolvable backendRef beside them (its share answers 500), and
 * a response header set per backendRef.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backends, INFRA_NS, runCases, V1, V2 } from './cases.js';
import { gatewayYaml, haproxyInstalled, startStack } from './harness.js';

const skip = !haproxyInstalled && 'haproxy is not installed';
const NAME = 'request-header-modifier-backend-weights';
const ref = (backend: string) =>
  `    - {name: ${backend}, port: 8080, weight: 10, filters: [{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: Backend, value: ${backend}}]}}]}\n`;
const route = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${NAME}, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - backendRefs:
${ref(V1)}${ref(V2)}`;

test('HTTPRouteRequestHeaderModifierBackendWeights', { skip }, async (t) => {
  const stack = await startStack(t, backends(V1, V2), `${gatewayYaml()}---\n${route}`);
  const accepted = stack.status('HTTPRoute', INFRA_NS, NAME)?.parents?.[0]?.conditions.find((c) => c.type === 'Accepted');
  assert.equal(accepted?.status, 'True', accepted?.message);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await runCases(stack, gw, 80, [{ path: '/' }]);
  const seen = new Set<string>();
  for (let i = 0; i < 100; i++) {
    const r = await stack.request(gw, 80, { path: '/' });
    assert.equal(r.status, 200);
    const set = r.json?.headers.Backend ?? [];
    assert.equal(set.length, 1, `request ${i}: one Backend header, got ${JSON.stringify(set)}`);
    assert.ok(r.json?.pod.startsWith(set[0] ?? '?'), `request ${i}: sent to ${r.json?.pod} with Backend: ${set[0]}`);
    seen.add(r.json?.pod ?? '');
  }
  // Both halves of a 10/10 split show up in 100 requests unless the draw is broken (p ≈ 2⁻⁹⁹).
  assert.deepEqual([...seen].sort(), [V1, V2]);
});

test('backendRef filters with an invalid backendRef beside them: its share answers 500, the rest keep their own filters', { skip }, async (t) => {
  const split = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: split, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /split}}]
    filters: [{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: Rule, value: split}]}}]
    backendRefs:
    - {name: ${V1}, port: 8080, weight: 1, filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: X-Served-By, value: one}]}}]}
    - {name: ${V2}, port: 8080, weight: 1}
    - {name: does-not-exist, port: 8080, weight: 2}
`;
  const stack = await startStack(t, backends(V1, V2), `${gatewayYaml()}---\n${split}`);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await stack.expect(gw, 80, { path: '/split' }, (r) => r.status === 200 || r.status === 500, 'the split rule answers');
  const counts = new Map<string, number>();
  for (let i = 0; i < 400; i++) {
    const r = await stack.request(gw, 80, { path: '/split' });
    const key = r.status === 200 ? (r.json?.pod ?? '?') : String(r.status);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (r.status !== 200) continue;
    assert.deepEqual(r.json?.headers.Rule, ['split'], 'the rule filter applies to every backendRef');
    const servedBy = r.headers['x-served-by'];
    assert.equal(servedBy, r.json?.pod === V1 ? 'one' : undefined, `response header of ${r.json?.pod}`);
  }
  // Expected 100 / 100 / 200 of 400; the bounds are over 6 standard deviations wide.
  const share = (k: string) => counts.get(k) ?? 0;
  assert.ok(share(V1) > 40 && share(V1) < 160, `V1 got ${share(V1)} of 400`);
  assert.ok(share(V2) > 40 && share(V2) < 160, `V2 got ${share(V2)} of 400`);
  assert.ok(share('500') > 140 && share('500') < 260, `500 for ${share('500')} of 400`);
});

test('a backendRef filter Portico cannot apply per backend is refused, not ignored', { skip }, async (t) => {
  const mirror = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: odd, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - backendRefs: [{name: ${V1}, port: 8080, filters: [{type: RequestMirror, requestMirror: {backendRef: {name: ${V1}, port: 8080}}}]}]
`;
  const plain = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: plain, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  hostnames: [plain.example.com]
  rules:
  - backendRefs: [{name: ${V1}, port: 8080}]
`;
  const stack = await startStack(t, backends(V1), `${gatewayYaml()}---\n${mirror}---\n${plain}`);
  await stack.routeCondition(INFRA_NS, 'odd', 'same-namespace', 'Accepted', 'False', 'UnsupportedValue');
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await runCases(stack, gw, 80, [
    { path: '/', status: 404 },
    { host: 'plain.example.com', path: '/', backend: V1 },
  ]);
});

test('HTTPRouteBackendRequestRedirect: a RequestRedirect on a backendRef answers the requests drawn to it', { skip }, async (t) => {
  const redirects = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: backend-request-redirect, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - backendRefs:
    - {name: ${V1}, port: 8080, filters: [{type: RequestRedirect, requestRedirect: {scheme: https, hostname: redirect-example.com, port: 443, statusCode: 302}}]}
    - {name: ${V2}, port: 8080, filters: [{type: RequestRedirect, requestRedirect: {scheme: http, hostname: redirect-example.com, port: 8080, statusCode: 301}}]}
`;
  const stack = await startStack(t, backends(V1, V2), `${gatewayYaml()}---\n${redirects}`);
  const accepted = stack.status('HTTPRoute', INFRA_NS, 'backend-request-redirect')?.parents?.[0]?.conditions.find((c) => c.type === 'Accepted');
  assert.equal(accepted?.status, 'True', accepted?.message);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  const expected = new Map([
    [302, 'https://redirect-example.com/p?q=1'],
    [301, 'http://redirect-example.com:8080/p?q=1'],
  ]);
  await stack.expect(gw, 80, { path: '/p?q=1' }, (r) => expected.has(r.status), 'a redirect');
  const seen = new Set<number>();
  for (let i = 0; i < 60; i++) {
    const r = await stack.request(gw, 80, { path: '/p?q=1' });
    assert.ok(expected.has(r.status), `request ${i}: status ${r.status}, not one of the backendRefs' redirects`);
    assert.equal(r.headers.location, expected.get(r.status), `request ${i}`);
    seen.add(r.status);
  }
  // Both halves of a 1/1 split show up in 60 requests unless the draw is broken (p ≈ 2⁻⁵⁹).
  assert.deepEqual([...seen].sort(), [301, 302]);
});
