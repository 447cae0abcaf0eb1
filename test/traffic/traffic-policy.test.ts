/**
 * TrafficPolicies and DirectResponse (gateway.portico.dev, kgateway's API) through a real HAProxy:
 * a local rate limit answers 429 once its bucket is empty and lets requests in again after the
 * fill interval; header modifiers reach the backend and the client; a direct response is answered
 * by the proxy; a policy Portico cannot carry out makes its rule answer 500.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backends, INFRA_NS, V1 } from './cases.js';
import { gatewayYaml, haproxyInstalled, startStack } from './harness.js';

const objects = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: app, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - name: limited
    matches: [{path: {type: PathPrefix, value: /limited}}]
    backendRefs: [{name: ${V1}, port: 8080}]
  - name: open
    matches: [{path: {type: PathPrefix, value: /open}}]
    backendRefs: [{name: ${V1}, port: 8080}]
  - name: own-header
    matches: [{path: {type: PathPrefix, value: /own}}]
    filters:
    - {type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x-team, value: route}]}}
    - {type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: x-served-by, value: route}]}}
    backendRefs: [{name: ${V1}, port: 8080}]
  - name: split
    matches: [{path: {type: PathPrefix, value: /split}}]
    backendRefs:
    - name: ${V1}
      port: 8080
      filters: [{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x-team, value: split}]}}]
  - name: teapot
    matches: [{path: {type: PathPrefix, value: /teapot}}]
    filters: [{type: ExtensionRef, extensionRef: {group: gateway.portico.dev, kind: DirectResponse, name: teapot}}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: guarded, namespace: ${INFRA_NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /guarded}}]
    backendRefs: [{name: ${V1}, port: 8080}]
---
apiVersion: gateway.portico.dev/v1alpha1
kind: DirectResponse
metadata: {name: teapot, namespace: ${INFRA_NS}}
spec: {status: 418, body: "I'm a teapot\\n"}
---
apiVersion: gateway.portico.dev/v1alpha1
kind: TrafficPolicy
metadata: {name: limit, namespace: ${INFRA_NS}}
spec:
  targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: app, sectionName: limited}]
  rateLimit:
    local:
      tokenBucket: {maxTokens: 3, tokensPerFill: 3, fillInterval: 1s}
---
apiVersion: gateway.portico.dev/v1alpha1
kind: TrafficPolicy
metadata: {name: headers, namespace: ${INFRA_NS}}
spec:
  targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: app}]
  headerModifiers:
    request:
      set: [{name: x-team, value: payments}]
    response:
      add: [{name: x-served-by, value: portico}]
---
apiVersion: gateway.portico.dev/v1alpha1
kind: TrafficPolicy
metadata: {name: needs-ext-auth, namespace: ${INFRA_NS}}
spec:
  targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: guarded}]
  extAuth:
    extensionRef: {name: auth}
`;

test('TrafficPolicy and DirectResponse through HAProxy', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, backends(V1), `${gatewayYaml()}---\n${objects}`);
  const gw = await stack.gatewayAddress(INFRA_NS, 'same-namespace');
  await stack.expect(gw, 80, { path: '/open' }, (r) => r.status === 200, 'the route is served');

  await t.test('header modifiers reach the backend and the client', async () => {
    const r = await stack.request(gw, 80, { path: '/open' });
    assert.deepEqual(r.json?.headers['X-Team'], ['payments']);
    assert.equal(r.headers['x-served-by'], 'portico');
  });

  await t.test("a route's own header filters win over the policy's, split or not", async () => {
    const own = await stack.request(gw, 80, { path: '/own' });
    assert.deepEqual(own.json?.headers['X-Team'], ['route']);
    assert.equal(own.headers['x-served-by'], 'route');
    const split = await stack.request(gw, 80, { path: '/split' });
    assert.deepEqual(split.json?.headers['X-Team'], ['split']);
    assert.equal(split.headers['x-served-by'], 'portico');
  });

  await t.test('a direct response is answered by the proxy', async () => {
    const r = await stack.request(gw, 80, { path: '/teapot' });
    assert.equal(r.status, 418);
    assert.equal(r.text, "I'm a teapot\n");
  });

  await t.test('a policy Portico cannot carry out makes its rule answer 500', async () => {
    const r = await stack.request(gw, 80, { path: '/guarded' });
    assert.equal(r.status, 500);
  });

  await t.test('the rate limit answers 429 once the bucket is empty, and lets requests in after the interval', async () => {
    // Empty the bucket: at most 3 requests pass, then 429 with the rate-limit headers.
    const limited = await stack.eventually(
      'a 429 from the rate limit',
      () => stack.request(gw, 80, { path: '/limited' }),
      (r) => r.status === 429,
    );
    assert.equal(limited.headers['x-ratelimit-limit'], '3');
    assert.equal(limited.headers['x-ratelimit-remaining'], '0');
    assert.equal(limited.headers['retry-after'], '1');
    // Another rule of the same route has no limit.
    assert.equal((await stack.request(gw, 80, { path: '/open' })).status, 200);
    // Refilled as the window moves on: polled, not slept.
    await stack.eventually('the bucket refills', () => stack.request(gw, 80, { path: '/limited' }), (r) => r.status === 200, 10_000);
  });
});
