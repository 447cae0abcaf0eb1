/**
 * Traffic ports of the upstream conformance tests HTTPRouteMatching, HTTPRouteExactPathMatching,
 * HTTPRouteHeaderMatching, HTTPRouteQueryParamMatching, HTTPRouteMethodMatching and
 * HTTPRouteMatchingAcrossRoutes, through a real HAProxy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayYaml, haproxyInstalled, startStack } from './harness.js';

const NS = 'gateway-conformance-infra';
const backends = ['infra-backend-v1', 'infra-backend-v2', 'infra-backend-v3'].map((name) => ({ name, namespace: NS }));

const routes = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: matching, namespace: ${NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - matches:
    - path: {type: PathPrefix, value: /}
    - headers: [{name: version, value: one}]
    backendRefs: [{name: infra-backend-v1, port: 8080}]
  - matches:
    - path: {type: PathPrefix, value: /v2}
    - headers: [{name: version, value: two}]
    backendRefs: [{name: infra-backend-v2, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: exact-and-query, namespace: ${NS}}
spec:
  parentRefs: [{name: same-namespace}]
  hostnames: [exact.example.com]
  rules:
  - matches: [{path: {type: Exact, value: /one}}]
    backendRefs: [{name: infra-backend-v1, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /}, queryParams: [{name: animal, value: whale}]}]
    backendRefs: [{name: infra-backend-v2, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /}, method: POST}]
    backendRefs: [{name: infra-backend-v3, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: across-a, namespace: ${NS}}
spec:
  parentRefs: [{name: same-namespace}]
  hostnames: [across.example.com]
  rules:
  - matches: [{path: {type: PathPrefix, value: /}}]
    backendRefs: [{name: infra-backend-v1, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: across-b, namespace: ${NS}}
spec:
  parentRefs: [{name: same-namespace}]
  hostnames: [across.example.com]
  rules:
  - matches: [{path: {type: PathPrefix, value: /v2}}]
    backendRefs: [{name: infra-backend-v2, port: 8080}]
`;

test('HTTPRoute matching through HAProxy', { skip: !haproxyInstalled && 'haproxy is not installed' }, async (t) => {
  const stack = await startStack(t, backends, `${gatewayYaml()}---\n${routes}`);
  const gw = await stack.gatewayAddress(NS, 'same-namespace');
  const cases: { host?: string; path: string; method?: string; headers?: Record<string, string>; backend?: string; status?: number }[] = [
    // HTTPRouteMatching: OR of path and header matches; the longer prefix wins.
    { path: '/', backend: 'infra-backend-v1' },
    { path: '/example', backend: 'infra-backend-v1' },
    { path: '/', headers: { version: 'one' }, backend: 'infra-backend-v1' },
    { path: '/v2', backend: 'infra-backend-v2' },
    { path: '/v2/example', backend: 'infra-backend-v2' },
    { path: '/v2example', backend: 'infra-backend-v1' },
    { path: '/', headers: { version: 'two' }, backend: 'infra-backend-v2' },
    // Exact, query and method matches on one host; what none of them takes falls through to the
    // route for any host ("matching").
    { host: 'exact.example.com', path: '/one', backend: 'infra-backend-v1' },
    { host: 'exact.example.com', path: '/one/more', backend: 'infra-backend-v1' },
    { host: 'exact.example.com', path: '/?animal=whale', backend: 'infra-backend-v2' },
    { host: 'exact.example.com', path: '/v2?animal=dolphin', backend: 'infra-backend-v2' },
    { host: 'exact.example.com', path: '/', method: 'POST', backend: 'infra-backend-v3' },
    { host: 'EXACT.example.com:80', path: '/one', backend: 'infra-backend-v1' },
    // Matching across routes on one hostname.
    { host: 'across.example.com', path: '/', backend: 'infra-backend-v1' },
    { host: 'across.example.com', path: '/v2/x', backend: 'infra-backend-v2' },
  ];
  for (const c of cases) {
    const what = `${c.method ?? 'GET'} ${c.host ?? '(gateway address)'}${c.path} ${JSON.stringify(c.headers ?? {})}`;
    const r = await stack.expect(gw, 80, { path: c.path, host: c.host, method: c.method, headers: c.headers }, (res) => res.status === (c.status ?? 200), what);
    if (c.backend) assert.equal(r.json?.pod, c.backend, what);
    if (c.backend) assert.equal(r.json?.path, c.path, what);
  }
});
